use crate::charts::ChartUnit;
use crate::check::{Check, CheckContext, Scope};
use crate::finding::Violation;
use crate::model::ObjectSet;

/// API groups whose CRDs belong to one project, with the charts that project publishes.
/// A group matches itself and its subdomains (`acme.cert-manager.io`).
const OWNERS: &[(&str, &str, &[&str])] = &[
    ("cert-manager.io", "cert-manager", &["cert-manager"]),
    (
        "monitoring.coreos.com",
        "the Prometheus Operator",
        &["kube-prometheus-stack", "prometheus-operator", "prometheus-operator-crds", "kube-prometheus"],
    ),
    ("postgresql.cnpg.io", "CloudNative-PG", &["cloudnative-pg"]),
    ("traefik.io", "Traefik", &["traefik", "traefik-crds"]),
    ("traefik.containo.us", "Traefik", &["traefik", "traefik-crds"]),
    ("argoproj.io", "Argo", &["argo-cd", "argo-workflows", "argo-rollouts", "argo-events"]),
    ("keda.sh", "KEDA", &["keda"]),
    ("external-secrets.io", "External Secrets", &["external-secrets"]),
    ("gateway.networking.k8s.io", "Gateway API", &["gateway-api", "gateway-api-crds"]),
    ("snapshot.storage.k8s.io", "the CSI snapshotter", &["snapshot-controller"]),
    ("opentelemetry.io", "the OpenTelemetry Operator", &["opentelemetry-operator"]),
    ("velero.io", "Velero", &["velero"]),
    ("bitnami.com", "Sealed Secrets", &["sealed-secrets"]),
    ("istio.io", "Istio", &["base", "istio-base", "istiod"]),
    ("cilium.io", "Cilium", &["cilium"]),
    ("projectcalico.org", "Calico", &["tigera-operator", "calico"]),
    ("kyverno.io", "Kyverno", &["kyverno", "kyverno-crds"]),
    ("gatekeeper.sh", "Gatekeeper", &["gatekeeper"]),
    ("externaldns.k8s.io", "ExternalDNS", &["external-dns"]),
    ("grafana.integreatly.org", "the Grafana Operator", &["grafana-operator"]),
    ("k8s.elastic.co", "ECK", &["eck-operator", "eck-operator-crds"]),
    ("strimzi.io", "Strimzi", &["strimzi-kafka-operator"]),
    ("toolkit.fluxcd.io", "Flux", &["flux2"]),
    ("longhorn.io", "Longhorn", &["longhorn"]),
    ("ceph.rook.io", "Rook", &["rook-ceph"]),
    ("acid.zalan.do", "the Zalando Postgres Operator", &["postgres-operator"]),
    ("rabbitmq.com", "the RabbitMQ Cluster Operator", &["rabbitmq-cluster-operator"]),
];

fn owner(group: &str) -> Option<&'static (&'static str, &'static str, &'static [&'static str])> {
    OWNERS.iter().find(|(g, _, _)| group == *g || group.ends_with(&format!(".{g}")))
}

/// CRDs of another project's API group rendered by a chart that is not that project's.
pub struct CrdBundledFromOtherProject;

impl Check for CrdBundledFromOtherProject {
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
        if chart.variant.is_some() {
            return;
        }
        let chart_name = chart.name();
        for (i, crd) in set.of_kind("CustomResourceDefinition").filter(|(_, o)| chart.owns(o)) {
            let Some(group_node) = crd.node().path(&["spec", "group"]) else { continue };
            let Some(group) = group_node.as_str() else { continue };
            let Some((_, project, charts)) = owner(group) else { continue };
            if charts.contains(&chart_name.as_str()) {
                continue;
            }
            // From the project's own subchart: cert-manager-subchart-enabled (or a dependency
            // condition) is the place to judge that.
            let origin =
                crd.origin.rendered_from.clone().unwrap_or_else(|| cx.sources.get(crd.origin.file).name.clone());
            if charts.iter().any(|c| origin.contains(&format!("/charts/{c}/"))) {
                continue;
            }
            let message = format!(
                "CRD {} belongs to {project} ({group}), not to chart {chart_name}: where {project} is already \
                 installed the install fails on CRD ownership, and uninstalling this chart (or an older copy in \
                 its crds/) can remove or downgrade the CRD and every resource of that kind",
                crd.name.as_deref().unwrap_or("<unnamed>")
            );
            out.push((Some(i), Violation::new(group_node.span(), message)));
        }
    }
}
