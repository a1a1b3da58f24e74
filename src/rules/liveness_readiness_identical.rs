use crate::check::{Check, CheckContext};
use crate::finding::Violation;
use crate::model::{Object, ProbeKind};
use crate::yaml::NodeRef;

/// Timing fields may differ; what matters is whether both probes ask the same question.
const TIMING: &[&str] = &[
    "initialDelaySeconds",
    "periodSeconds",
    "timeoutSeconds",
    "successThreshold",
    "failureThreshold",
    "terminationGracePeriodSeconds",
];

fn handler(probe: NodeRef<'_>) -> serde_json::Value {
    let mut v = probe.to_json();
    if let Some(map) = v.as_object_mut() {
        map.retain(|k, _| !TIMING.contains(&k.as_str()));
    }
    v
}

/// Seconds of consecutive failures before the probe acts (Kubernetes defaults: 3 × 10s).
fn tolerance(probe: NodeRef<'_>) -> f64 {
    let threshold = probe.get("failureThreshold").and_then(|n| n.as_f64()).unwrap_or(3.0);
    let period = probe.get("periodSeconds").and_then(|n| n.as_f64()).unwrap_or(10.0);
    threshold * period
}

/// Identical handlers only hurt when liveness gives up no later than readiness: then an
/// overloaded pod is killed instead of merely being taken out of rotation. A more tolerant
/// liveness probe (the usual mitigation) is accepted.
pub struct LivenessReadinessIdentical;

impl Check for LivenessReadinessIdentical {
    fn check_object(&self, object: &Object, _cx: &CheckContext, out: &mut Vec<Violation>) {
        let Some(spec) = object.pod_spec() else { return };
        for c in spec.containers() {
            let (Some(live), Some(ready)) = (c.probe(ProbeKind::Liveness), c.probe(ProbeKind::Readiness)) else {
                continue;
            };
            let h = handler(live);
            if h.as_object().is_some_and(|m| !m.is_empty())
                && h == handler(ready)
                && tolerance(live) <= tolerance(ready)
            {
                let live_key = c.node.entry(ProbeKind::Liveness.key()).map_or(live.span(), |(k, _)| k.span());
                let ready_key = c.node.entry(ProbeKind::Readiness.key()).map_or(ready.span(), |(k, _)| k.span());
                out.push(
                    Violation::new(live_key, format!(
                        "liveness and readiness probes of {} run the same check, and liveness gives up after {}s, no later than readiness ({}s)",
                        c.describe(),
                        tolerance(live),
                        tolerance(ready)
                    ))
                        .with_related(ready_key, "the identical readiness probe"),
                );
            }
        }
    }
}
