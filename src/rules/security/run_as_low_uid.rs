use super::util::{entry_span, is_windows, workload_containers};
use crate::check::{Check, CheckContext};
use crate::finding::Violation;
use crate::model::Object;
use crate::source::Span;

/// IDs below this are in use on typical hosts (system accounts, then regular users from 1000).
const MIN_ID: i64 = 10000;

/// A container whose effective `runAsUser` or `runAsGroup` is below 10000 shares its numeric
/// identity with accounts of the host: after a container escape, or through a hostPath or
/// shared volume, it acts as that host user. Reported where the effective value is written
/// (once, however many containers inherit a pod-level value).
pub struct RunAsLowUid;

impl Check for RunAsLowUid {
    fn check_object(&self, object: &Object, _cx: &CheckContext, out: &mut Vec<Violation>) {
        let Some(spec) = object.pod_spec() else { return };
        // Windows ignores these fields, and with user namespaces (hostUsers: false) container
        // IDs map to unprivileged host IDs, which is exactly what this rule asks for.
        if is_windows(&spec) || spec.node().get("hostUsers").and_then(|n| n.as_bool()) == Some(false) {
            return;
        }
        let pod_sc = spec.security_context();
        // (where, user or group, id, containers using it), in first-seen order.
        let mut found: Vec<(Span, &str, i64, Vec<String>)> = Vec::new();
        for c in workload_containers(&spec) {
            let sc = c.security_context();
            for (key, what) in [("runAsUser", "user"), ("runAsGroup", "group")] {
                // The container's setting overrides the pod's.
                let Some((k, v)) = sc.and_then(|s| s.entry(key)).or_else(|| pod_sc.and_then(|s| s.entry(key))) else {
                    continue;
                };
                let Some(id) = v.as_i64() else { continue };
                // UID 0 is `run-as-root-allowed`'s finding.
                if id >= MIN_ID || (key == "runAsUser" && id == 0) {
                    continue;
                }
                let span = entry_span(k, v);
                match found.iter_mut().find(|(s, ..)| *s == span) {
                    Some((.., users)) => users.push(c.describe()),
                    None => found.push((span, what, id, vec![c.describe()])),
                }
            }
        }
        for (span, what, id, users) in found {
            let who = match users.as_slice() {
                [one] => format!("{one} runs"),
                many => format!("{} run", many.join(", ")),
            };
            out.push(Violation::new(
                span,
                format!("{who} with {what} ID {id}, below {MIN_ID}: it may match an account on the host"),
            ));
        }
    }
}
