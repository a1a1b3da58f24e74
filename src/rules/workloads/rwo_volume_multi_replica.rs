use crate::check::{Check, CheckContext, Scope};
use crate::finding::Violation;
use crate::model::ObjectSet;

use super::common::{hpa_target_span, hpas_for, max_replicas, rwo_claims};

/// Several Deployment pods sharing one single-node claim: pods scheduled on another node stay
/// `ContainerCreating` (Multi-Attach error); with ReadWriteOncePod every pod but one does.
pub struct RwoVolumeMultiReplica;

impl Check for RwoVolumeMultiReplica {
    fn scope(&self) -> Scope {
        Scope::Set
    }
    fn check_set(&self, set: &ObjectSet, _cx: &CheckContext, out: &mut Vec<(usize, Violation)>) {
        for (i, d) in set.of_kind("Deployment") {
            let replicas = d.replicas().unwrap_or(1);
            let hpa = hpas_for(set, i).find_map(|(_, h)| max_replicas(h).filter(|m| *m > 1).map(|m| (h, m)));
            let (count, via) = match (replicas, &hpa) {
                (r, _) if r > 1 => (r, String::new()),
                (_, Some((_, m))) => (*m, " (HPA maxReplicas)".to_string()),
                _ => continue,
            };
            for claim in rwo_claims(set, d) {
                let why = if claim.mode == "ReadWriteOncePod" {
                    "only one pod can mount it".to_string()
                } else {
                    "pods scheduled on another node cannot attach it (Multi-Attach error)".to_string()
                };
                let mut v = Violation::new(
                    claim.span(),
                    format!("up to {count} replicas{via} share the {} PVC {}: {why}", claim.mode, claim.name()),
                )
                .with_related(claim.pvc_span(), "access mode set here");
                if let Some((h, _)) = &hpa {
                    if replicas <= 1 {
                        v = v.with_related(hpa_target_span(h), "the HPA scaling it");
                    }
                }
                out.push((i, v));
            }
        }
    }
}
