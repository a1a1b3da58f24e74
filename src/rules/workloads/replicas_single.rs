use crate::check::{Check, CheckContext, Scope};
use crate::finding::Violation;
use crate::model::ObjectSet;

use super::common::{hpas_for, replicas_span};
use super::hpa_on_single_instance::ANNOTATION;

/// One replica and no HPA: every rollout, node drain or crash is an outage.
pub struct ReplicasSingle;

impl Check for ReplicasSingle {
    fn scope(&self) -> Scope {
        Scope::Set
    }
    fn check_set(&self, set: &ObjectSet, _cx: &CheckContext, out: &mut Vec<(usize, Violation)>) {
        for (i, w) in set.objects.iter().enumerate() {
            if !matches!(w.kind.as_str(), "Deployment" | "StatefulSet") {
                continue;
            }
            let replicas = w.replicas();
            // 0 is scaled down on purpose; declared single instances are meant to be single.
            if replicas.is_some_and(|r| r != 1) || w.annotation(ANNOTATION).is_some() {
                continue;
            }
            if hpas_for(set, i).next().is_some() {
                continue;
            }
            let how = if replicas.is_some() { "runs 1 replica" } else { "runs 1 replica (spec.replicas unset)" };
            out.push((
                i,
                Violation::new(
                    replicas_span(w),
                    format!("{} {how} and no HPA scales it; every rollout, drain or crash interrupts it", w.kind),
                ),
            ));
        }
    }
}
