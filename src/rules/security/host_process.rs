use super::util::{entry_span, workload_containers};
use crate::check::{Check, CheckContext};
use crate::finding::Violation;
use crate::model::Object;
use crate::yaml::NodeRef;

/// Windows HostProcess containers run directly on the node, outside any container isolation,
/// with access to the host's network, filesystem and processes: the Windows equivalent of a
/// privileged container with every host namespace. Each explicit `hostProcess: true` is a
/// place to edit, so pod and container settings are reported separately.
pub struct HostProcess;

fn host_process(security_context: Option<NodeRef<'_>>) -> Option<(NodeRef<'_>, NodeRef<'_>)> {
    security_context?.get("windowsOptions")?.entry("hostProcess").filter(|(_, v)| v.as_bool() == Some(true))
}

impl Check for HostProcess {
    fn check_object(&self, object: &Object, _cx: &CheckContext, out: &mut Vec<Violation>) {
        let Some(spec) = object.pod_spec() else { return };
        if let Some((k, v)) = host_process(spec.security_context()) {
            out.push(Violation::new(
                entry_span(k, v),
                "pod runs as a Windows HostProcess pod: every container runs on the node with no container isolation",
            ));
        }
        for c in workload_containers(&spec) {
            if let Some((k, v)) = host_process(c.security_context()) {
                out.push(Violation::new(
                    entry_span(k, v),
                    format!(
                        "{} runs as a Windows HostProcess container, on the node with no container isolation",
                        c.describe()
                    ),
                ));
            }
        }
    }
}
