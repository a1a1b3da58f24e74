use crate::check::{Check, CheckContext, Scope};
use crate::finding::Violation;
use crate::model::{Object, ObjectSet};

use super::common::rwo_claims;

/// A RollingUpdate Deployment on a single-node claim: the new pod is created while the old one
/// still holds the volume, so a rollout hangs whenever the new pod lands on another node (always,
/// with ReadWriteOncePod).
pub struct RwoVolumeRollingUpdate;

impl Check for RwoVolumeRollingUpdate {
    fn scope(&self) -> Scope {
        Scope::Set
    }
    fn check_set(&self, set: &ObjectSet, _cx: &CheckContext, out: &mut Vec<(usize, Violation)>) {
        for (i, d) in set.of_kind("Deployment") {
            if !surges(d) {
                continue;
            }
            for claim in rwo_claims(set, d) {
                out.push((
                    i,
                    Violation::new(
                        claim.span(),
                        format!(
                            "rolling updates start the new pod while the old one holds the {} PVC {}; the rollout hangs when the new pod cannot attach it",
                            claim.mode,
                            claim.name()
                        ),
                    )
                    .with_related(claim.pvc_span(), "access mode set here"),
                ));
            }
        }
    }
}

/// True when a rollout can run old and new pods at once: RollingUpdate (the default) with a
/// non-zero maxSurge (default 25%).
fn surges(d: &Object) -> bool {
    let strategy = d.node().path(&["spec", "strategy"]);
    if strategy.and_then(|s| s.get_str("type")).is_some_and(|t| t != "RollingUpdate") {
        return false;
    }
    let surge = strategy.and_then(|s| s.path(&["rollingUpdate", "maxSurge"]));
    !surge.is_some_and(|s| s.as_i64() == Some(0) || s.as_str().is_some_and(|p| p.trim_end_matches('%').trim() == "0"))
}
