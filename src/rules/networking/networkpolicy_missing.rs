use super::common::{describe, is_pod_bearing};
use crate::check::{Check, CheckContext, Scope};
use crate::finding::Violation;
use crate::model::{LabelSelector, ObjectSet};

/// Pods that no NetworkPolicy selects accept traffic from every pod of the cluster. Judged per
/// workload against the NetworkPolicies of its namespace in the run; policies applied outside
/// the run (a platform-wide default deny) are invisible, hence opt-in.
pub struct NetworkPolicyMissing;

impl Check for NetworkPolicyMissing {
    fn scope(&self) -> Scope {
        Scope::Set
    }
    fn check_set(&self, set: &ObjectSet, _cx: &CheckContext, out: &mut Vec<(usize, Violation)>) {
        // (namespace, podSelector) of every NetworkPolicy; `None` when the selector is unreadable.
        let policies: Vec<(Option<&str>, Option<LabelSelector>)> = set
            .of_kind("NetworkPolicy")
            .map(|(_, p)| {
                let selector = p.node().path(&["spec", "podSelector"]).filter(|s| s.is_mapping() || s.is_null());
                (
                    p.namespace.as_deref(),
                    selector
                        .map(|s| if s.is_null() { LabelSelector::default() } else { LabelSelector::from_selector(s) }),
                )
            })
            .collect();
        for (i, workload) in set.objects.iter().enumerate().filter(|(_, o)| is_pod_bearing(o)) {
            let namespace = workload.namespace.as_deref();
            let labels = workload.pod_template().and_then(|t| t.metadata).and_then(|m| m.get("labels"));
            let covered = policies.iter().filter(|(ns, _)| *ns == namespace).any(|(_, selector)| match selector {
                // An empty podSelector selects every pod of the namespace.
                Some(s) => s.matches(labels),
                None => true,
            });
            if !covered {
                out.push((
                    i,
                    Violation::new(
                        workload.anchor_span(),
                        format!(
                            "no NetworkPolicy in this run selects the pods of {}: they accept traffic from any pod in the cluster",
                            describe(workload)
                        ),
                    ),
                ));
            }
        }
    }
}
