use crate::check::{Check, CheckContext};
use crate::finding::Violation;
use crate::model::Object;

/// The API server requires every port of a multi-port Service to be named (the names key the
/// Endpoints and EndpointSlice ports): `kubectl apply` fails with `spec.ports[1].name: Required value`.
pub struct ServicePortNameMissing;

impl Check for ServicePortNameMissing {
    fn check_object(&self, object: &Object, _cx: &CheckContext, out: &mut Vec<Violation>) {
        if object.kind != "Service" {
            return;
        }
        let Some(ports) = object.node().path(&["spec", "ports"]) else { return };
        let count = ports.len();
        if !ports.is_sequence() || count < 2 {
            return;
        }
        for (index, port) in ports.items().enumerate() {
            let port = port.resolved();
            if !port.is_mapping() {
                continue;
            }
            let named = port.get("name").is_some_and(|n| n.scalar().is_some_and(|s| !s.json_key().is_empty()));
            if named {
                continue;
            }
            let number = port.get("port").and_then(|p| p.scalar()).map(|s| format!(" ({})", s.json_key()));
            let span = port.field_span("port").unwrap_or_else(|| port.span());
            out.push(Violation::new(
                span,
                format!(
                    "spec.ports[{index}]{} has no name: a Service with {count} ports must name each of them, or the API server rejects it",
                    number.unwrap_or_default()
                ),
            ));
        }
    }
}
