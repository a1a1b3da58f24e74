use crate::check::{Check, CheckContext};
use crate::finding::Violation;
use crate::model::Object;

/// Finished standalone Jobs (and their pods) stay in the API forever without a TTL.
pub struct JobTtlMissing;

/// Annotations meaning something else deletes the Job (Helm, Argo CD hooks).
const DELETED_BY: &[&str] = &["helm.sh/hook-delete-policy", "argocd.argoproj.io/hook-delete-policy"];

impl Check for JobTtlMissing {
    fn check_object(&self, object: &Object, _cx: &CheckContext, out: &mut Vec<Violation>) {
        if object.kind != "Job" {
            return;
        }
        let spec = object.node().get("spec");
        if spec.and_then(|s| s.get("ttlSecondsAfterFinished")).is_some_and(|t| !t.is_null()) {
            return;
        }
        // Owned Jobs (CronJob, operators) are cleaned up by their owner.
        if object.metadata().and_then(|m| m.get("ownerReferences")).is_some_and(|o| !o.is_empty()) {
            return;
        }
        if DELETED_BY.iter().any(|a| object.annotation(a).is_some()) {
            return;
        }
        out.push(
            Violation::new(
                object.anchor_span(),
                "Job has no spec.ttlSecondsAfterFinished; the finished Job and its pods are never cleaned up",
            )
            .missing(["ttlSecondsAfterFinished"]),
        );
    }
}
