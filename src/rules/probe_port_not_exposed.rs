use crate::check::{Check, CheckContext};
use crate::finding::Violation;
use crate::model::{Object, ProbeKind};

/// A probe on a port *name* the container does not declare can never succeed. Numeric ports
/// are not checked: containers may listen on undeclared ports, and health/metrics ports often
/// are undeclared on purpose (ingress-nginx's 10254, Keycloak's 9000).
pub struct ProbePortNotExposed;

impl Check for ProbePortNotExposed {
    fn check_object(&self, object: &Object, _cx: &CheckContext, out: &mut Vec<Violation>) {
        let Some(spec) = object.pod_spec() else { return };
        for c in spec.containers() {
            let declared: Vec<&str> = c.ports().filter_map(|p| p.get_str("name")).collect();
            for kind in [ProbeKind::Liveness, ProbeKind::Readiness, ProbeKind::Startup] {
                let Some(probe) = c.probe(kind) else { continue };
                let Some(port) = ["httpGet", "tcpSocket", "grpc"].iter().find_map(|h| probe.get(h)?.get("port")) else {
                    continue;
                };
                let probe_name = kind.key().trim_end_matches("Probe");
                if let Some(name) = port.as_str() {
                    if !declared.contains(&name) {
                        out.push(Violation::new(
                            port.span(),
                            format!("{probe_name} probe of {} uses port name '{name}', which the container does not declare: the probe can never succeed", c.describe()),
                        ));
                    }
                }
            }
        }
    }
}
