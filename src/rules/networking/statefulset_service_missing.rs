use super::common::{is_templated, namespace_text};
use crate::check::{Check, CheckContext, Scope};
use crate::finding::Violation;
use crate::model::{Object, ObjectSet};

/// A StatefulSet's `serviceName` must name a headless Service of its namespace: that Service
/// is what creates the per-pod DNS records (`web-0.web`) peers use to find each other.
pub struct StatefulSetServiceMissing;

impl Check for StatefulSetServiceMissing {
    fn scope(&self) -> Scope {
        Scope::Set
    }
    fn check_set(&self, set: &ObjectSet, _cx: &CheckContext, out: &mut Vec<(usize, Violation)>) {
        for (i, sts) in set.of_kind("StatefulSet") {
            let Some(spec) = sts.node().get("spec") else { continue };
            // The API server never required serviceName; unset means no per-pod DNS was asked for.
            let Some(name) = spec.get_str("serviceName").filter(|n| !n.is_empty() && !is_templated(n)) else {
                continue;
            };
            let Some(span) = spec.field_span("serviceName") else { continue };
            let namespace = sts.namespace.as_deref();
            let Some(service) = find_service(set, sts, name) else {
                // Without any Service of the namespace in the run, it is plausibly created elsewhere.
                if set.of_kind("Service").any(|(_, s)| s.namespace.as_deref() == namespace) {
                    out.push((
                        i,
                        Violation::new(
                            span,
                            format!(
                                "serviceName '{name}' names no Service in {}: the pods get no stable DNS names ({}-0.{name}) until a headless Service '{name}' exists",
                                namespace_text(namespace),
                                sts.name.as_deref().unwrap_or("<unnamed>"),
                            ),
                        ),
                    ));
                }
                continue;
            };
            let service_spec = service.node().get("spec");
            let cluster_ip = service_spec.and_then(|s| {
                s.get_str("clusterIP").or_else(|| s.get("clusterIPs").and_then(|l| l.items().next()?.as_str()))
            });
            if cluster_ip.is_some_and(|ip| ip == "None" || is_templated(ip)) {
                continue;
            }
            let (related, what) = match service_spec.and_then(|s| s.field_span("clusterIP")) {
                Some(at) => (at, format!("Service '{name}' sets clusterIP: {}", cluster_ip.unwrap_or("?"))),
                None => (service.anchor_span(), format!("Service '{name}' gets a cluster IP (no clusterIP: None)")),
            };
            out.push((
                i,
                Violation::new(
                    span,
                    format!(
                        "serviceName '{name}' names a Service that is not headless: the per-pod DNS records ({}-0.{name}) exist only for a Service with clusterIP: None",
                        sts.name.as_deref().unwrap_or("<unnamed>"),
                    ),
                )
                .with_related(related, what),
            ));
        }
    }
}

/// The Service `name` in the StatefulSet's namespace. Charts often set the namespace on some
/// templates only: when either side lacks one, a same-named Service of the same file counts.
fn find_service<'s>(set: &'s ObjectSet, sts: &Object, name: &str) -> Option<&'s Object> {
    let namespace = sts.namespace.as_deref();
    set.find("Service", namespace, name).or_else(|| {
        set.of_kind("Service").map(|(_, s)| s).find(|s| {
            s.name.as_deref() == Some(name)
                && s.origin.file == sts.origin.file
                && (namespace.is_none() || s.namespace.is_none())
        })
    })
}
