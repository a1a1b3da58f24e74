use crate::charts::ChartUnit;
use crate::check::{Check, CheckContext, Scope};
use crate::finding::Violation;
use crate::model::{Object, ObjectSet};
use crate::yaml::NodeRef;

use super::common::visible_to;

/// A cert-manager issuer reference that nothing creates and no value sets.
pub struct IssuerNotFound;

/// (issuer kind, name node) references of an Ingress or Certificate.
fn references(object: &Object) -> Vec<(&'static str, NodeRef<'_>)> {
    let mut refs = Vec::new();
    match object.kind.as_str() {
        "Ingress" => {
            let annotations = object.annotations();
            for (key, kind) in
                [("cert-manager.io/issuer", "Issuer"), ("cert-manager.io/cluster-issuer", "ClusterIssuer")]
            {
                if let Some(n) = annotations.and_then(|a| a.get(key)) {
                    refs.push((kind, n));
                }
            }
        }
        "Certificate" if object.group() == "cert-manager.io" => {
            let Some(r) = object.node().path(&["spec", "issuerRef"]) else { return refs };
            // External issuers (another group) are served by their own controllers.
            if r.get_str("group").is_some_and(|g| g != "cert-manager.io") {
                return refs;
            }
            let kind = if r.get_str("kind") == Some("ClusterIssuer") { "ClusterIssuer" } else { "Issuer" };
            if let Some(n) = r.get("name") {
                refs.push((kind, n));
            }
        }
        _ => {}
    }
    refs
}

impl Check for IssuerNotFound {
    fn scope(&self) -> Scope {
        Scope::Chart
    }
    fn check_chart(
        &self,
        chart: &ChartUnit,
        set: &ObjectSet,
        cx: &CheckContext,
        out: &mut Vec<(Option<usize>, Violation)>,
    ) {
        for (i, _) in &chart.objects {
            let object = &set.objects[*i];
            for (kind, node) in references(object) {
                let Some(name) = node.as_str().filter(|n| !n.is_empty()) else { continue };
                let created = set.of_kind(kind).any(|(_, o)| {
                    o.name.as_deref() == Some(name)
                        && (kind == "ClusterIssuer" || o.namespace == object.namespace)
                        && visible_to(chart, cx, o)
                });
                if created || chart.value_mentions(name) {
                    continue;
                }
                let message = format!(
                    "{} references {kind} `{name}`, which the chart does not create and no value sets: cert-manager \
                     never issues the certificate and TLS stays broken; create it behind the same toggle, or take \
                     its name from values",
                    object.kind
                );
                out.push((Some(*i), Violation::new(node.span(), message)));
            }
        }
    }
}
