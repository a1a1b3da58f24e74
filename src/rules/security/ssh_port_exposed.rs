use super::util::{entry_span, workload_containers};
use crate::check::{Check, CheckContext};
use crate::finding::Violation;
use crate::model::Object;

/// A container that declares TCP port 22 almost always runs an SSH server: a second way in
/// that bypasses the API server's authentication, RBAC and audit log.
pub struct SshPortExposed;

impl Check for SshPortExposed {
    fn check_object(&self, object: &Object, _cx: &CheckContext, out: &mut Vec<Violation>) {
        let Some(spec) = object.pod_spec() else { return };
        for c in workload_containers(&spec) {
            for port in c.ports() {
                let Some((k, v)) = port.entry("containerPort") else { continue };
                // SSH is TCP (the default protocol); UDP/SCTP 22 is something else.
                let tcp = port.get_str("protocol").is_none_or(|p| p.eq_ignore_ascii_case("TCP"));
                if v.as_i64() != Some(22) || !tcp {
                    continue;
                }
                out.push(Violation::new(
                    entry_span(k, v),
                    format!(
                        "{} exposes port 22 (SSH): shell access that bypasses Kubernetes authentication and audit",
                        c.describe()
                    ),
                ));
            }
        }
    }
}
