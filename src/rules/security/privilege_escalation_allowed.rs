use super::util::{entry_span, find_capability, is_windows, workload_containers};
use super::CONTAINER_SECURITY_CONTEXT;
use crate::check::{Check, CheckContext};
use crate::finding::Violation;
use crate::model::Object;

/// `allowPrivilegeEscalation` defaults to true, and `privileged: true` or CAP_SYS_ADMIN force it
/// true whatever it says, so only an explicit `false` without either is safe.
pub struct PrivilegeEscalationAllowed;

impl Check for PrivilegeEscalationAllowed {
    fn check_object(&self, object: &Object, _cx: &CheckContext, out: &mut Vec<Violation>) {
        let Some(spec) = object.pod_spec() else { return };
        if is_windows(&spec) {
            return;
        }
        for c in workload_containers(&spec) {
            let sc = c.security_context();
            let describe = c.describe();
            if let Some((k, v)) = sc.and_then(|s| s.entry("privileged")).filter(|(_, v)| v.as_bool() == Some(true)) {
                out.push(Violation::new(
                    entry_span(k, v),
                    format!("{describe} can escalate privileges: privileged: true always allows privilege escalation"),
                ));
                continue;
            }
            if let Some(item) = find_capability(&c, "add", "SYS_ADMIN") {
                out.push(Violation::new(
                    item.span(),
                    format!("{describe} can escalate privileges: CAP_SYS_ADMIN always allows privilege escalation"),
                ));
                continue;
            }
            match sc.and_then(|s| s.entry("allowPrivilegeEscalation")) {
                Some((_, v)) if v.as_bool() == Some(false) => {}
                Some((k, v)) => out.push(Violation::new(
                    entry_span(k, v),
                    format!("{describe} allows privilege escalation (allowPrivilegeEscalation is not false)"),
                )),
                None => out.push(Violation::new(
                    c.anchor_span(),
                    format!(
                        "{describe} allows privilege escalation: securityContext.allowPrivilegeEscalation is not set, and Kubernetes defaults it to true"
                    ),
                )
                .missing(CONTAINER_SECURITY_CONTEXT.map(|k| k.replace("{field}", "allowPrivilegeEscalation")))),
            }
        }
    }
}
