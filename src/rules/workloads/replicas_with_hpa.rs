use crate::check::{Check, CheckContext, Scope};
use crate::finding::Violation;
use crate::model::ObjectSet;

use super::common::{hpa_target, hpa_target_span, HPA};

/// A workload that sets `spec.replicas` while an HPA scales it: every apply or `helm upgrade`
/// resets the live replica count to the manifest's, undoing the HPA until it reacts again.
pub struct ReplicasWithHpa;

impl Check for ReplicasWithHpa {
    fn scope(&self) -> Scope {
        Scope::Set
    }
    fn check_set(&self, set: &ObjectSet, _cx: &CheckContext, out: &mut Vec<(usize, Violation)>) {
        let mut reported = Vec::new();
        for (_, hpa) in set.of_kind(HPA) {
            let Some(t) = hpa_target(set, hpa) else { continue };
            let target = &set.objects[t];
            let Some(spec) = target.node().get("spec") else { continue };
            let Some(span) = spec.get("replicas").filter(|r| !r.is_null()).and(spec.field_span("replicas")) else {
                continue;
            };
            if reported.contains(&t) {
                continue;
            }
            reported.push(t);
            out.push((
                t,
                Violation::new(
                    span,
                    format!(
                        "{} sets spec.replicas but is scaled by HPA {}; every apply or upgrade resets the replica count",
                        target.kind,
                        hpa.name.as_deref().unwrap_or("<unnamed>")
                    ),
                )
                .with_related(hpa_target_span(hpa), "the HPA scaling it"),
            ));
        }
    }
}
