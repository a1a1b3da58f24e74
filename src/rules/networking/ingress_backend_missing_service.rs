use super::common::{is_templated, namespace_text};
use crate::check::{Check, CheckContext, Scope};
use crate::finding::Violation;
use crate::model::{Object, ObjectSet};
use crate::yaml::{NodeRef, Scalar};

/// An Ingress backend naming a Service the run does not define, or a port that Service does not
/// expose: the controller answers 503 for that path. Judged only when the run defines Services
/// in the Ingress's namespace (an Ingress-only chart fronts Services deployed elsewhere).
pub struct IngressBackendMissingService;

/// One backend of an Ingress, in either API shape.
struct Backend<'a> {
    /// The value naming the Service (`service.name` or `serviceName`), and its key's field.
    name: &'a str,
    name_span: crate::source::Span,
    port: Option<Port<'a>>,
}

enum Port<'a> {
    Name(&'a str, crate::source::Span),
    Number(i64, crate::source::Span),
}

impl Check for IngressBackendMissingService {
    fn scope(&self) -> Scope {
        Scope::Set
    }
    fn check_set(&self, set: &ObjectSet, _cx: &CheckContext, out: &mut Vec<(usize, Violation)>) {
        for (i, ingress) in set.of_kind("Ingress") {
            let namespace = ingress.namespace.as_deref();
            if !set.of_kind("Service").any(|(_, s)| s.namespace.as_deref() == namespace) {
                continue;
            }
            for backend in backends(ingress) {
                if let Some(v) = check_backend(set, namespace, &backend) {
                    out.push((i, v));
                }
            }
        }
    }
}

fn check_backend(set: &ObjectSet, namespace: Option<&str>, backend: &Backend) -> Option<Violation> {
    let Some(service) = set.find("Service", namespace, backend.name) else {
        return Some(Violation::new(
            backend.name_span,
            format!(
                "backend Service '{}' is not defined in {} in this run: requests for this path get 503",
                backend.name,
                namespace_text(namespace)
            ),
        ));
    };
    let ports = service.node().path(&["spec", "ports"]).filter(|p| p.is_sequence())?;
    let related =
        |v: Violation| v.with_related(service.anchor_span(), format!("Service '{}' is defined here", backend.name));
    match backend.port.as_ref()? {
        Port::Name(name, span) => {
            let exposed: Vec<&str> = ports.items().filter_map(|p| p.get_str("name")).collect();
            if exposed.iter().any(|n| n == name || is_templated(n)) {
                return None;
            }
            Some(related(Violation::new(
                *span,
                format!(
                    "backend port name '{name}' is not a port of Service '{}' ({}): requests for this path get 503",
                    backend.name,
                    listing("names", &exposed)
                ),
            )))
        }
        Port::Number(number, span) => {
            let exposed: Vec<i64> = ports.items().filter_map(|p| p.get("port")?.as_i64()).collect();
            if exposed.contains(number) || exposed.len() != ports.len() {
                return None;
            }
            let texts: Vec<String> = exposed.iter().map(i64::to_string).collect();
            let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
            Some(related(Violation::new(
                *span,
                format!(
                    "backend port {number} is not a port of Service '{}' ({}): requests for this path get 503",
                    backend.name,
                    listing("numbers", &texts)
                ),
            )))
        }
    }
}

fn listing(what: &str, items: &[&str]) -> String {
    if items.is_empty() {
        format!("it declares no port {what}")
    } else {
        format!("its port {what}: {}", items.join(", "))
    }
}

/// Every Service backend of an Ingress: the default backend and each path's backend, in the
/// `networking.k8s.io/v1` shape (`service.name`, `service.port.{name,number}`) or the
/// `v1beta1` one (`serviceName`, `servicePort`). Resource backends and templated names are
/// skipped.
fn backends(ingress: &Object) -> Vec<Backend<'_>> {
    let Some(spec) = ingress.node().get("spec") else { return Vec::new() };
    let paths = spec
        .get("rules")
        .into_iter()
        .flat_map(|r| r.items())
        .filter_map(|r| r.path(&["http", "paths"]))
        .flat_map(|p| p.items())
        .filter_map(|p| p.get("backend"));
    ["defaultBackend", "backend"].iter().filter_map(|k| spec.get(k)).chain(paths).filter_map(backend).collect()
}

fn backend(node: NodeRef<'_>) -> Option<Backend<'_>> {
    let (holder, name_key, port) = match node.get("service") {
        Some(service) => {
            let port = service.get("port");
            let port = port
                .and_then(|p| p.get("name").map(|_| ("name", p)).or_else(|| p.get("number").map(|_| ("number", p))));
            (service, "name", port.and_then(|(k, p)| port_of(p, k)))
        }
        None => (node, "serviceName", port_of(node, "servicePort")),
    };
    let name = holder.get_str(name_key).filter(|n| !n.is_empty() && !is_templated(n))?;
    Some(Backend { name, name_span: holder.field_span(name_key)?, port })
}

/// The port at `key` of `holder`, by name or number (an int-or-string in `servicePort`).
fn port_of<'a>(holder: NodeRef<'a>, key: &str) -> Option<Port<'a>> {
    let span = holder.field_span(key)?;
    match holder.get(key)?.scalar()? {
        Scalar::Int(n) => Some(Port::Number(n, span)),
        Scalar::Str(s) if !s.is_empty() && !is_templated(s) => Some(Port::Name(s, span)),
        _ => None,
    }
}
