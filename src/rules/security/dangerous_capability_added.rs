use super::util::{capability, capability_items, workload_containers};
use crate::check::{Check, CheckContext};
use crate::finding::Violation;
use crate::model::Object;

/// Capabilities that amount to (or come close to) root on the node.
const DANGEROUS: &[(&str, &str)] = &[
    ("ALL", "every capability, equivalent to privileged"),
    ("SYS_ADMIN", "mount, namespaces and much of root; enables container escape"),
    ("NET_ADMIN", "reconfigure interfaces, routes and firewall rules of the pod network"),
    ("SYS_PTRACE", "trace and inject into other processes"),
    ("SYS_MODULE", "load kernel modules"),
    ("SYS_RAWIO", "raw I/O to devices and memory"),
    ("DAC_READ_SEARCH", "bypass file read permissions; open files by handle (container escape)"),
    ("BPF", "load eBPF programs into the kernel"),
    ("PERFMON", "kernel performance monitoring and tracing"),
];

pub struct DangerousCapabilityAdded;

impl Check for DangerousCapabilityAdded {
    fn check_object(&self, object: &Object, _cx: &CheckContext, out: &mut Vec<Violation>) {
        let Some(spec) = object.pod_spec() else { return };
        for c in workload_containers(&spec) {
            for item in capability_items(&c, "add") {
                let Some(name) = item.as_str() else { continue };
                let cap = capability(name);
                let Some((_, why)) = DANGEROUS.iter().find(|(d, _)| *d == cap) else { continue };
                out.push(Violation::new(item.span(), format!("{} adds capability {cap} ({why})", c.describe())));
            }
        }
    }
}
