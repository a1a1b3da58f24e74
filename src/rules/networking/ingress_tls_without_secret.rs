use super::common::{is_templated, namespace_text};
use crate::check::{Check, CheckContext, Scope};
use crate::finding::Violation;
use crate::model::{Object, ObjectSet};

/// Annotations asking cert-manager's ingress-shim (or kube-lego) to create the TLS secret.
const ISSUER_ANNOTATIONS: &[&str] = &["cert-manager.io/issuer", "cert-manager.io/cluster-issuer"];

/// An Ingress TLS entry whose certificate Secret is neither named, nor in the run, nor created
/// by cert-manager: the controller serves its default (self-signed) certificate instead.
pub struct IngressTlsWithoutSecret;

impl Check for IngressTlsWithoutSecret {
    fn scope(&self) -> Scope {
        Scope::Set
    }
    fn check_set(&self, set: &ObjectSet, _cx: &CheckContext, out: &mut Vec<(usize, Violation)>) {
        for (i, ingress) in set.of_kind("Ingress") {
            let issued = ISSUER_ANNOTATIONS.iter().any(|a| ingress.annotation(a).is_some())
                || ingress.annotation("kubernetes.io/tls-acme") == Some("true");
            let tls = ingress.node().path(&["spec", "tls"]);
            for entry in tls.into_iter().flat_map(|t| t.items()).filter(|e| e.is_mapping()) {
                let Some(secret) = entry.get("secretName").filter(|s| !s.is_null()) else {
                    out.push((
                        i,
                        Violation::new(
                            entry.span(),
                            "TLS entry has no `secretName`: the ingress controller serves its default certificate for these hosts",
                        ),
                    ));
                    continue;
                };
                let Some(name) = secret.as_str().filter(|n| !is_templated(n)) else { continue };
                if issued || secret_provided(set, ingress.namespace.as_deref(), name) {
                    continue;
                }
                let Some(span) = entry.field_span("secretName") else { continue };
                out.push((
                    i,
                    Violation::new(
                        span,
                        format!(
                            "TLS Secret '{name}' is not created by this run in {} and no cert-manager issuer annotation creates it: unless it is created out of band, the controller serves its default certificate",
                            namespace_text(ingress.namespace.as_deref())
                        ),
                    ),
                ));
            }
        }
    }
}

/// Whether the run creates a Secret called `name` in `namespace`: the Secret itself, a
/// cert-manager Certificate writing it, or an ExternalSecret/SealedSecret producing it.
fn secret_provided(set: &ObjectSet, namespace: Option<&str>, name: &str) -> bool {
    let in_ns = |o: &&Object| o.namespace.as_deref() == namespace;
    let target = |o: &Object, path: &[&str]| o.node().path(path).and_then(|n| n.as_str()) == Some(name);
    set.find("Secret", namespace, name).is_some()
        || set.of_kind("Certificate").map(|(_, o)| o).filter(in_ns).any(|o| target(o, &["spec", "secretName"]))
        || ["ExternalSecret", "SealedSecret"].iter().any(|kind| {
            set.of_kind(kind).map(|(_, o)| o).filter(in_ns).any(|o| {
                let produced = o
                    .node()
                    .path(&["spec", "target", "name"])
                    .or_else(|| o.node().path(&["spec", "template", "metadata", "name"]));
                match produced.and_then(|n| n.as_str()) {
                    Some(n) => n == name,
                    None => o.name.as_deref() == Some(name),
                }
            })
        })
}
