use crate::check::{Check, CheckContext, Scope};
use crate::finding::Violation;
use crate::model::ObjectSet;

use super::common::{hpa_target, hpa_target_ref, hpa_target_span, HPA, SCALABLE};

/// An HPA whose `scaleTargetRef` names nothing the run defines. Only judged when the run
/// defines workloads in that namespace: otherwise the target plausibly lives elsewhere.
pub struct HpaTargetMissing;

impl Check for HpaTargetMissing {
    fn scope(&self) -> Scope {
        Scope::Set
    }
    fn check_set(&self, set: &ObjectSet, _cx: &CheckContext, out: &mut Vec<(usize, Violation)>) {
        for (i, hpa) in set.of_kind(HPA) {
            let Some((kind, name)) = hpa_target_ref(hpa) else { continue };
            let ns = hpa.namespace.as_deref();
            // Custom scalable kinds are only judged when the run defines that kind at all.
            let kind_known = SCALABLE.contains(&kind) || set.of_kind(kind).next().is_some();
            let has_workloads =
                set.objects.iter().any(|o| o.namespace.as_deref() == ns && SCALABLE.contains(&o.kind.as_str()));
            if !kind_known || !has_workloads || hpa_target(set, hpa).is_some() {
                continue;
            }
            let other = SCALABLE
                .iter()
                .filter(|k| **k != kind)
                .find_map(|k| set.find(k, ns, name))
                .map(|o| format!(" (a {} {name} exists: check scaleTargetRef.kind)", o.kind))
                .unwrap_or_default();
            out.push((
                i,
                Violation::new(
                    hpa_target_span(hpa),
                    format!(
                        "HPA scales {kind} {name}, which is not defined in this namespace{other}; the HPA does nothing"
                    ),
                ),
            ));
        }
    }
}
