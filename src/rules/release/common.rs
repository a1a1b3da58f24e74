//! Shared facts about Kubernetes APIs and objects for release rules.

use crate::model::Object;
use crate::render::chart::objects::DEFAULT_API_VERSIONS;
use crate::source::Span;

/// Kinds that live outside namespaces: two releases creating one with the same name collide
/// wherever they are installed.
pub const CLUSTER_SCOPED: &[&str] = &[
    "APIService",
    "CSIDriver",
    "CSINode",
    "ClusterIssuer",
    "ClusterRole",
    "ClusterRoleBinding",
    "CustomResourceDefinition",
    "IngressClass",
    "MutatingWebhookConfiguration",
    "Namespace",
    "PersistentVolume",
    "PodSecurityPolicy",
    "PriorityClass",
    "RuntimeClass",
    "StorageClass",
    "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding",
    "ValidatingWebhookConfiguration",
    "VolumeSnapshotClass",
];

pub fn is_cluster_scoped(kind: &str) -> bool {
    CLUSTER_SCOPED.contains(&kind)
}

/// Is `group` served by every Kubernetes API server (no CRD needed)?
pub fn is_builtin_group(group: &str) -> bool {
    // Served by every API server but missing from Helm's default capabilities list.
    const ALSO_BUILTIN: &[&str] =
        &["metrics.k8s.io", "apiregistration.k8s.io", "authentication.k8s.io", "authorization.k8s.io"];
    group.is_empty()
        || ALSO_BUILTIN.contains(&group)
        || DEFAULT_API_VERSIONS.iter().any(|v| v.rsplit_once('/').is_some_and(|(g, _)| g == group))
}

/// The span of `metadata.<key>`'s value, else of the object's anchor.
pub fn metadata_span(object: &Object, key: &str) -> Span {
    object.node().path(&["metadata", key]).map_or_else(|| object.anchor_span(), |n| n.span())
}

/// Objects a chart can rely on: its own, and plain manifests linted with it (another chart's
/// render is a different release).
pub fn visible_to(chart: &crate::charts::ChartUnit, cx: &crate::check::CheckContext, object: &Object) -> bool {
    chart.owns(object) || cx.run.chart_of(object).is_none()
}
