use super::common::{is_templated, namespace_text, secret_provided};
use crate::check::{Check, CheckContext, Scope};
use crate::finding::Violation;
use crate::model::ObjectSet;

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
