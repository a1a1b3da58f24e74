use super::util::{entry_span, is_windows, workload_containers};
use super::CONTAINER_SECURITY_CONTEXT;
use crate::check::{Check, CheckContext};
use crate::finding::Violation;
use crate::model::Object;

/// `readOnlyRootFilesystem` exists only at container level and defaults to false.
pub struct ReadOnlyRootFsMissing;

impl Check for ReadOnlyRootFsMissing {
    fn check_object(&self, object: &Object, _cx: &CheckContext, out: &mut Vec<Violation>) {
        let Some(spec) = object.pod_spec() else { return };
        if is_windows(&spec) {
            return;
        }
        for c in workload_containers(&spec) {
            match c.security_context().and_then(|s| s.entry("readOnlyRootFilesystem")) {
                Some((_, v)) if v.as_bool() == Some(true) => {}
                Some((k, v)) => out.push(Violation::new(
                    entry_span(k, v),
                    format!("{} has a writable root filesystem (readOnlyRootFilesystem is not true)", c.describe()),
                )),
                None => out.push(
                    Violation::new(
                        c.anchor_span(),
                        format!(
                            "{} has a writable root filesystem: securityContext.readOnlyRootFilesystem is not set",
                            c.describe()
                        ),
                    )
                    .missing(CONTAINER_SECURITY_CONTEXT.map(|k| k.replace("{field}", "readOnlyRootFilesystem"))),
                ),
            }
        }
    }
}
