use super::util::entry_span;
use crate::check::{Check, CheckContext};
use crate::finding::Violation;
use crate::model::Object;

/// One finding per container port that binds a node port (`hostPort` other than 0, which
/// Kubernetes treats as unset). With `hostNetwork: true` every port is a host port anyway:
/// that is `host-network`'s finding.
pub struct HostPort;

impl Check for HostPort {
    fn check_object(&self, object: &Object, _cx: &CheckContext, out: &mut Vec<Violation>) {
        let Some(spec) = object.pod_spec() else { return };
        if spec.flag("hostNetwork") {
            return;
        }
        for c in spec.containers() {
            for port in c.ports() {
                let Some((k, v)) = port.entry("hostPort") else { continue };
                if v.is_null() || v.as_i64() == Some(0) {
                    continue;
                }
                let value = v.scalar().map(|s| s.json_key().into_owned()).unwrap_or_default();
                out.push(Violation::new(
                    entry_span(k, v),
                    format!("{} binds host port {value} on every node it runs on", c.describe()),
                ));
            }
        }
    }
}
