use crate::check::{Check, CheckContext};
use crate::finding::Violation;
use crate::model::{Object, ProbeKind};

const DEFAULT_THRESHOLD: i64 = 60;

/// A long liveness `initialDelaySeconds` stands in for a startup probe: it delays detection of
/// a hung container on every restart, and is still too short when startup is slower than usual.
pub struct StartupProbeMissingSlowStart;

impl Check for StartupProbeMissingSlowStart {
    fn check_object(&self, object: &Object, cx: &CheckContext, out: &mut Vec<Violation>) {
        let Some(spec) = object.pod_spec() else { return };
        let threshold = cx.option("threshold").and_then(|v| v.as_i64()).unwrap_or(DEFAULT_THRESHOLD);
        for c in spec.containers().into_iter().filter(|c| c.kind.is_long_running()) {
            let Some(liveness) = c.probe(ProbeKind::Liveness) else { continue };
            let Some(delay) = liveness.get("initialDelaySeconds").and_then(|d| d.as_i64()) else { continue };
            if delay < threshold || c.probe(ProbeKind::Startup).is_some() {
                continue;
            }
            let Some(span) = liveness.field_span("initialDelaySeconds") else { continue };
            out.push(Violation::new(
                span,
                format!(
                    "{} delays its liveness probe by {delay}s instead of using a startupProbe; hangs go unnoticed that long after every restart",
                    c.describe()
                ),
            ));
        }
    }
}
