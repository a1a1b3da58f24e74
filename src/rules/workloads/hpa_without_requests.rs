use crate::check::{Check, CheckContext, Scope};
use crate::finding::Violation;
use crate::model::{Container, ContainerKind, Object, ObjectSet};
use crate::source::Span;
use crate::yaml::NodeRef;

use super::common::{hpa_target, HPA};

/// A utilization metric on a resource the target's containers do not request: the HPA
/// controller reports "missing request for cpu" and never scales.
pub struct HpaWithoutRequests;

/// One utilization metric: resource name, the container it is limited to, where it is written.
struct Utilization {
    resource: String,
    container: Option<String>,
    span: Span,
}

impl Check for HpaWithoutRequests {
    fn scope(&self) -> Scope {
        Scope::Set
    }
    fn check_set(&self, set: &ObjectSet, _cx: &CheckContext, out: &mut Vec<(usize, Violation)>) {
        for (i, hpa) in set.of_kind(HPA) {
            let Some(t) = hpa_target(set, hpa) else { continue };
            let target = &set.objects[t];
            let Some(spec) = target.pod_spec() else { continue };
            // Utilization is computed over the pod's regular containers.
            let containers: Vec<Container<'_>> =
                spec.containers().into_iter().filter(|c| c.kind == ContainerKind::Regular).collect();
            for m in utilization_metrics(hpa) {
                let missing: Vec<&Container<'_>> = containers
                    .iter()
                    .filter(|c| m.container.as_deref().is_none_or(|n| n == c.name()))
                    .filter(|c| !requests(c, &m.resource))
                    .collect();
                if missing.is_empty() {
                    continue;
                }
                let names: Vec<String> = missing.iter().map(|c| c.describe()).collect();
                let mut v = Violation::new(
                    m.span,
                    format!(
                        "HPA scales on {} utilization but {} of {} {} set no {} request; the HPA cannot compute utilization and never scales",
                        m.resource,
                        names.join(", "),
                        target.kind,
                        target.name.as_deref().unwrap_or("<unnamed>"),
                        m.resource
                    ),
                );
                for c in missing {
                    v = v.with_related(c.anchor_span(), format!("no {} request", m.resource));
                }
                out.push((i, v));
            }
        }
    }
}

/// A request, or a limit (which the request defaults to).
fn requests(c: &Container<'_>, resource: &str) -> bool {
    let has = |section: &str| {
        c.resources().and_then(|r| r.get(section)).and_then(|s| s.get(resource)).is_some_and(|v| !v.is_null())
    };
    has("requests") || has("limits")
}

fn utilization_metrics(hpa: &Object) -> Vec<Utilization> {
    let Some(spec) = hpa.node().get("spec") else { return Vec::new() };
    let cpu_default = || Utilization { resource: "cpu".into(), container: None, span: hpa.anchor_span() };
    if hpa.api_version == "autoscaling/v1" {
        // v1 only knows CPU; without a target it defaults to 80% CPU utilization.
        let span = spec.field_span("targetCPUUtilizationPercentage").unwrap_or_else(|| hpa.anchor_span());
        return vec![Utilization { span, ..cpu_default() }];
    }
    let metrics: Vec<NodeRef<'_>> = spec.get("metrics").into_iter().flat_map(|m| m.items()).collect();
    if metrics.is_empty() {
        return vec![cpu_default()];
    }
    metrics.into_iter().filter_map(metric).collect()
}

fn metric(m: NodeRef<'_>) -> Option<Utilization> {
    let (source, container) = match m.get_str("type")? {
        "Resource" => (m.get("resource")?, None),
        "ContainerResource" => {
            let s = m.get("containerResource")?;
            (s, Some(s.get_str("container")?.to_string()))
        }
        _ => return None,
    };
    // v2: target.type Utilization; v2beta1: targetAverageUtilization.
    let utilization = source.path(&["target", "type"]).and_then(|t| t.as_str()) == Some("Utilization")
        || source.get("targetAverageUtilization").is_some();
    if !utilization {
        return None;
    }
    let resource = source.get_str("name")?.to_string();
    let span = source.field_span("name")?;
    Some(Utilization { resource, container, span })
}
