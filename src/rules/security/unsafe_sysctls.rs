use crate::check::{Check, CheckContext};
use crate::finding::Violation;
use crate::model::Object;

/// The sysctls Kubernetes treats as safe (namespaced, isolated per pod) as of 1.32. The kubelet
/// rejects a pod setting any other unless the node allow-lists it (`--allowed-unsafe-sysctls`).
const SAFE: &[&str] = &[
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range",
    "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
    "net.ipv4.tcp_rmem",
    "net.ipv4.tcp_wmem",
];

/// Kubernetes accepts both `net.ipv4.x` and `net/ipv4/x`.
fn canonical(name: &str) -> String {
    name.trim().replace('/', ".")
}

pub struct UnsafeSysctls;

impl Check for UnsafeSysctls {
    fn check_object(&self, object: &Object, _cx: &CheckContext, out: &mut Vec<Violation>) {
        let Some(spec) = object.pod_spec() else { return };
        let Some(sysctls) = spec.security_context().and_then(|sc| sc.get("sysctls")) else { return };
        for item in sysctls.items() {
            let Some(name) = item.get_str("name") else { continue };
            if SAFE.contains(&canonical(name).as_str()) {
                continue;
            }
            let span = item.field_span("name").unwrap_or_else(|| item.span());
            out.push(Violation::new(
                span,
                format!("sysctl `{name}` is not in the Kubernetes safe set: the kubelet rejects the pod unless the node allows it, and it may affect the whole node"),
            ));
        }
    }
}
