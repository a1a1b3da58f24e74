use super::common::{
    describe, has_pods_in, is_pod_bearing, namespace_text, operator_managed, selected_workloads, service_selector,
};
use crate::check::{Check, CheckContext, Scope};
use crate::finding::Violation;
use crate::model::ObjectSet;
use crate::source::Span;

/// A Service whose selector matches no pod template in its namespace routes to nothing.
/// Judged only when the run holds pods in that namespace: a chart that ships the Service
/// alone (pods deployed by another chart or an operator) cannot be judged.
pub struct ServiceSelectsNoPods;

impl Check for ServiceSelectsNoPods {
    fn scope(&self) -> Scope {
        Scope::Set
    }
    fn check_set(&self, set: &ObjectSet, _cx: &CheckContext, out: &mut Vec<(usize, Violation)>) {
        for (i, service) in set.of_kind("Service") {
            let Some((node, selector)) = service_selector(service) else { continue };
            let namespace = service.namespace.as_deref();
            if !has_pods_in(set, namespace)
                || selected_workloads(set, service, &selector).next().is_some()
                || operator_managed(set, namespace, &selector.match_labels)
            {
                continue;
            }
            let Some(spec) = service.node().get("spec") else { continue };
            let span = spec.field_span("selector").unwrap_or_else(|| node.span());
            let labels: Vec<String> = selector.match_labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
            let mut violation = Violation::new(
                span,
                format!(
                    "Service '{}' selects no pods: no workload in {} has pod labels matching {}",
                    service.name.as_deref().unwrap_or("<unnamed>"),
                    namespace_text(namespace),
                    labels.join(", ")
                ),
            );
            if let Some((span, message)) = closest_workload(set, namespace, &selector.match_labels) {
                violation = violation.with_related(span, message);
            }
            out.push((i, violation));
        }
    }
}

/// The workload in the namespace whose pod labels share the most selector pairs (at least one),
/// with the pairs it lacks: usually a typo or a label renamed on one side only.
fn closest_workload(set: &ObjectSet, namespace: Option<&str>, wanted: &[(String, String)]) -> Option<(Span, String)> {
    let mut best: Option<(usize, Span, String)> = None;
    for object in set.objects.iter().filter(|o| o.namespace.as_deref() == namespace && is_pod_bearing(o)) {
        let Some(template) = object.pod_template() else { continue };
        let labels = template.metadata.and_then(|m| m.get("labels"));
        let has = |k: &str, v: &str| {
            labels.and_then(|l| l.get(k)).and_then(|n| n.scalar()).is_some_and(|s| s.json_key() == v)
        };
        let missing: Vec<String> = wanted.iter().filter(|(k, v)| !has(k, v)).map(|(k, v)| format!("{k}={v}")).collect();
        let shared = wanted.len() - missing.len();
        if shared == 0 || best.as_ref().is_some_and(|(n, _, _)| *n >= shared) {
            continue;
        }
        let span = template.metadata.and_then(|m| m.field_span("labels")).unwrap_or_else(|| object.anchor_span());
        best = Some((
            shared,
            span,
            format!("closest match: {}, whose pod labels lack {}", describe(object), missing.join(", ")),
        ));
    }
    best.map(|(_, span, message)| (span, message))
}
