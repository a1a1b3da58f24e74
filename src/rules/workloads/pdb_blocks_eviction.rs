use crate::check::{Check, CheckContext, Scope};
use crate::finding::Violation;
use crate::model::{LabelSelector, Object, ObjectSet};
use crate::yaml::NodeRef;

use super::common::{describe, hpas_for, min_replicas, prefer_same_file, replicas_span, SCALABLE};

/// A PodDisruptionBudget that allows no eviction of the workloads it selects: `kubectl drain`
/// and cluster-autoscaler scale-down retry forever, so node upgrades hang.
pub struct PdbBlocksEviction;

impl Check for PdbBlocksEviction {
    fn scope(&self) -> Scope {
        Scope::Set
    }
    fn check_set(&self, set: &ObjectSet, _cx: &CheckContext, out: &mut Vec<(usize, Violation)>) {
        for (i, pdb) in set.of_kind("PodDisruptionBudget") {
            let Some(spec) = pdb.node().get("spec") else { continue };
            let Some(selector) = spec.get("selector") else { continue };
            let selector = LabelSelector::from_selector(selector);
            // An empty selector selects every pod of the namespace: too broad to judge here.
            if selector.is_empty() {
                continue;
            }
            let budget = Budget::of(spec);
            let Some(budget) = budget else { continue };
            let selected: Vec<(usize, &Object)> = set
                .workloads_selected_by(pdb.namespace.as_deref(), &selector)
                .filter(|(_, w)| SCALABLE.contains(&w.kind.as_str()))
                .collect();
            let blocked: Vec<(&Object, i64)> = prefer_same_file(pdb, selected)
                .into_iter()
                .filter_map(|(w_i, w)| {
                    let replicas = expected_replicas(set, w_i, w);
                    (replicas > 0 && budget.blocks(replicas)).then_some((w, replicas))
                })
                .collect();
            let Some(&(first, replicas)) = blocked.first() else { continue };
            let Some(at) = spec.field_span(budget.key) else { continue };
            let mut v = Violation::new(
                at,
                format!(
                    "{}: {} allows no disruption of {} ({replicas} replica{}); node drains wait forever",
                    budget.key,
                    budget.text,
                    describe(first),
                    plural(replicas)
                ),
            );
            for (w, n) in &blocked {
                v = v.with_related(replicas_span(w), format!("{} runs {n} replica{}", describe(w), plural(*n)));
            }
            out.push((i, v));
        }
    }
}

/// Replicas the budget must work with: the HPA's minimum when one scales the workload (the
/// count it can sit at), else `spec.replicas` (default 1).
fn expected_replicas(set: &ObjectSet, index: usize, w: &Object) -> i64 {
    hpas_for(set, index).map(|(_, h)| min_replicas(h)).min().unwrap_or_else(|| w.replicas().unwrap_or(1))
}

struct Budget {
    key: &'static str,
    text: String,
    value: IntOrPercent,
}

enum IntOrPercent {
    Int(i64),
    Percent(f64),
}

impl Budget {
    fn of(spec: NodeRef<'_>) -> Option<Budget> {
        for key in ["minAvailable", "maxUnavailable"] {
            let Some(node) = spec.get(key).filter(|n| !n.is_null()) else { continue };
            let value = if let Some(n) = node.as_i64() {
                IntOrPercent::Int(n)
            } else {
                let p = node.as_str()?.trim().strip_suffix('%')?.trim().parse::<f64>().ok()?;
                IntOrPercent::Percent(p)
            };
            let text = node.scalar().map(|s| s.json_key().into_owned()).unwrap_or_default();
            return Some(Budget { key, text, value });
        }
        None
    }

    /// Kubernetes rounds percentages up for both fields.
    fn blocks(&self, replicas: i64) -> bool {
        let scaled = match self.value {
            IntOrPercent::Int(n) => n,
            IntOrPercent::Percent(p) => (p * replicas as f64 / 100.0).ceil() as i64,
        };
        match self.key {
            "minAvailable" => scaled >= replicas,
            _ => scaled <= 0,
        }
    }
}

fn plural(n: i64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
