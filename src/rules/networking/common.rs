//! Helpers shared by the networking family: Services, their selectors and the pods they pick.

use crate::model::{LabelSelector, Object, ObjectSet};
use crate::yaml::NodeRef;

/// Text that still carries an unrendered template expression: nothing can be judged from it.
pub(crate) fn is_templated(text: &str) -> bool {
    text.contains("{{") || text.contains("${")
}

/// Pod labels set by controllers rather than by the pod template.
pub(super) const CONTROLLER_LABELS: &[&str] = &[
    "statefulset.kubernetes.io/pod-name",
    "apps.kubernetes.io/pod-index",
    "controller-revision-hash",
    "pod-template-hash",
    "pod-template-generation",
    "job-name",
    "batch.kubernetes.io/job-name",
    "controller-uid",
    "batch.kubernetes.io/controller-uid",
    "batch.kubernetes.io/job-completion-index",
];

/// Objects that actually run pods (workloads and bare Pods; a `PodTemplate` runs nothing).
pub(super) fn is_pod_bearing(object: &Object) -> bool {
    object.kind != "PodTemplate" && object.pod_template().is_some()
}

/// Whether the run contains at least one pod-bearing object in `namespace`: only then can it
/// tell that a selector matches nothing (otherwise the pods are deployed elsewhere).
pub(super) fn has_pods_in(set: &ObjectSet, namespace: Option<&str>) -> bool {
    set.with_pod_template_in(namespace).any(|(_, o)| is_pod_bearing(o))
}

/// A Service's selector, when it has one that can be evaluated: not an ExternalName Service,
/// a non-empty plain map, and no templated keys or values.
pub(super) fn service_selector(service: &Object) -> Option<(NodeRef<'_>, LabelSelector)> {
    let spec = service.node().get("spec")?;
    if spec.get_str("type") == Some("ExternalName") {
        return None;
    }
    let node = spec.get("selector").filter(|s| s.is_mapping())?;
    let mut selector = LabelSelector::from_map(node);
    let templated = selector.match_labels.iter().any(|(k, v)| is_templated(k) || is_templated(v));
    // Entries that did not convert to strings (a nested map, a null) make the map unreadable.
    if selector.is_empty() || templated || selector.match_labels.len() != node.len() {
        return None;
    }
    // Labels the controllers add to the pods they create (per-pod Services of a StatefulSet
    // select `statefulset.kubernetes.io/pod-name`) are not in the template: the rest of the
    // selector still has to match it.
    selector.match_labels.retain(|(k, _)| !CONTROLLER_LABELS.contains(&k.as_str()));
    if selector.is_empty() {
        return None;
    }
    Some((node, selector))
}

/// Pod-bearing objects in the Service's namespace whose pod labels its selector matches.
pub(super) fn selected_workloads<'s>(
    set: &'s ObjectSet,
    service: &'s Object,
    selector: &'s LabelSelector,
) -> impl Iterator<Item = (usize, &'s Object)> + 's {
    set.workloads_selected_by(service.namespace.as_deref(), selector).filter(|(_, o)| is_pod_bearing(o))
}

/// "Deployment 'web'".
pub(super) fn describe(object: &Object) -> String {
    format!("{} '{}'", object.kind, object.name.as_deref().unwrap_or("<unnamed>"))
}

/// "namespace 'x'", or a neutral phrase for objects without one (Helm installs them in the release namespace).
pub(crate) fn namespace_text(namespace: Option<&str>) -> String {
    match namespace {
        Some(ns) => format!("namespace '{ns}'"),
        None => "the same (unset) namespace".to_string(),
    }
}

/// Whether the pods are probably created by an operator from a custom resource of the run: a
/// selector value is the name of a custom resource in the namespace (prometheus-operator
/// selects `alertmanager: <Alertmanager name>`, `operator.prometheus.io/name: <Prometheus>`),
/// or the custom resource carries the selected labels.
pub(super) fn operator_managed(set: &ObjectSet, namespace: Option<&str>, wanted: &[(String, String)]) -> bool {
    set.objects.iter().filter(|o| o.namespace.as_deref() == namespace && is_custom_resource(o)).any(|o| {
        let named = o.name.as_deref().is_some_and(|n| wanted.iter().any(|(_, v)| v == n));
        let labels = o.labels();
        let labelled = wanted.iter().all(|(k, v)| {
            labels.and_then(|l| l.get(k)).and_then(|n| n.scalar()).is_some_and(|s| s.json_key() == v.as_str())
        });
        named || labelled
    })
}

/// Kinds served by a CRD rather than by Kubernetes itself (`*.k8s.io` groups are built in,
/// except the `x-k8s.io` ones of SIG projects).
pub(crate) fn is_custom_resource(object: &Object) -> bool {
    let group = object.group();
    group.contains('.') && (!group.ends_with(".k8s.io") || group.ends_with("x-k8s.io"))
}

/// Whether the run creates a Secret called `name` in `namespace`: the Secret itself, a
/// cert-manager Certificate writing it, or an ExternalSecret/SealedSecret producing it.
pub(crate) fn secret_provided(set: &ObjectSet, namespace: Option<&str>, name: &str) -> bool {
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
