use crate::check::{Check, CheckContext};
use crate::finding::Violation;
use crate::model::{Object, ProbeKind};

/// Probes must reach a port the container actually has: a named port must be declared, and a
/// numeric port should be one of the declared ones when the container declares any.
pub struct ProbePortNotExposed;

impl Check for ProbePortNotExposed {
    fn check_object(&self, object: &Object, _cx: &CheckContext, out: &mut Vec<Violation>) {
        let Some(spec) = object.pod_spec() else { return };
        for c in spec.containers() {
            let declared: Vec<(Option<&str>, Option<i64>)> =
                c.ports().map(|p| (p.get_str("name"), p.get("containerPort").and_then(|n| n.as_i64()))).collect();
            for kind in [ProbeKind::Liveness, ProbeKind::Readiness, ProbeKind::Startup] {
                let Some(probe) = c.probe(kind) else { continue };
                let Some(port) = ["httpGet", "tcpSocket", "grpc"].iter().find_map(|h| probe.get(h)?.get("port")) else { continue };
                let probe_name = kind.key().trim_end_matches("Probe");
                if let Some(n) = port.as_i64() {
                    if !declared.is_empty() && !declared.iter().any(|(_, p)| *p == Some(n)) {
                        let list: Vec<String> = declared.iter().filter_map(|(_, p)| p.map(|p| p.to_string())).collect();
                        out.push(Violation::new(
                            port.span(),
                            format!("{probe_name} probe of {} targets port {n}, but the container declares only {}", c.describe(), list.join(", ")),
                        ));
                    }
                } else if let Some(name) = port.as_str() {
                    if !declared.iter().any(|(d, _)| *d == Some(name)) {
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
