use crate::check::{Check, CheckContext, Scope};
use crate::finding::Violation;
use crate::model::{LabelSelector, Object, ObjectSet};
use crate::rules::networking::common::is_templated;

use super::common::{describe, replicas_span};

/// A replicated Deployment or StatefulSet that no PodDisruptionBudget protects: a node drain
/// or cluster-autoscaler scale-down may evict every replica at once.
pub struct PdbMissing;

impl Check for PdbMissing {
    fn scope(&self) -> Scope {
        Scope::Set
    }
    fn check_set(&self, set: &ObjectSet, _cx: &CheckContext, out: &mut Vec<(usize, Violation)>) {
        let pdbs: Vec<&Object> = set.of_kind("PodDisruptionBudget").map(|(_, p)| p).collect();
        for kind in ["Deployment", "StatefulSet"] {
            for (i, workload) in set.of_kind(kind) {
                // Unset replicas (an HPA or the default of 1) are not judged.
                let Some(replicas) = workload.replicas().filter(|n| *n > 1) else { continue };
                let labels = workload.pod_template().and_then(|t| t.metadata).and_then(|m| m.get("labels"));
                if pdbs.iter().any(|pdb| same_namespace(pdb, workload) && covers(pdb, labels)) {
                    continue;
                }
                out.push((
                    i,
                    Violation::new(
                        replicas_span(workload),
                        format!(
                            "{} runs {replicas} replicas but no PodDisruptionBudget in the run selects its pods: a node drain may evict them all at once",
                            describe(workload)
                        ),
                    )
                    // Charts that can render a PDB expose a switch for it.
                    .fixed_by(["podDisruptionBudget", "pdb"]),
                ));
            }
        }
    }
}

/// Same namespace; charts often set it on some templates only, so an unset namespace on
/// either side matches within the same file.
fn same_namespace(a: &Object, b: &Object) -> bool {
    a.namespace == b.namespace || ((a.namespace.is_none() || b.namespace.is_none()) && a.origin.file == b.origin.file)
}

/// Whether the PDB selects pods with `labels`. In policy/v1 an empty selector selects every
/// pod of the namespace and an absent one selects none; a templated one cannot be judged and
/// counts as covering.
fn covers(pdb: &Object, labels: Option<crate::yaml::NodeRef<'_>>) -> bool {
    let Some(node) = pdb.node().path(&["spec", "selector"]).filter(|s| s.is_mapping()) else { return false };
    let selector = LabelSelector::from_selector(node);
    let templated = selector.match_labels.iter().any(|(k, v)| is_templated(k) || is_templated(v))
        || selector.match_expressions.iter().any(|(k, _, vs)| is_templated(k) || vs.iter().any(|v| is_templated(v)));
    selector.is_empty() || templated || selector.matches(labels)
}
