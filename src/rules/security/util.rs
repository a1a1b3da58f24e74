//! Helpers shared by the security rules (private to the family; the model has no accessor for
//! these yet).

use crate::model::{Container, ContainerKind, Object, ObjectSet, PodSpec};
use crate::source::Span;
use crate::yaml::NodeRef;

/// Linux-only settings (capabilities, seccomp, readOnlyRootFilesystem, ...) do not apply to
/// Windows pods: `spec.os.name: windows` or a `kubernetes.io/os: windows` node selector.
pub(super) fn is_windows(spec: &PodSpec<'_>) -> bool {
    let pod = spec.node();
    pod.path(&["os", "name"]).and_then(|n| n.as_str()) == Some("windows")
        || pod.path(&["nodeSelector", "kubernetes.io/os"]).and_then(|n| n.as_str()) == Some("windows")
}

/// Containers whose security settings the manifest author controls. Ephemeral containers are
/// debugging sessions added at run time, not part of the workload's design.
pub(super) fn workload_containers<'a>(spec: &PodSpec<'a>) -> Vec<Container<'a>> {
    spec.containers().into_iter().filter(|c| c.kind != ContainerKind::Ephemeral).collect()
}

/// `key: value` span of a mapping entry.
pub(super) fn entry_span(key: NodeRef<'_>, value: NodeRef<'_>) -> Span {
    if value.resolved().is_scalar() && value.span().start >= key.span().start {
        key.span().to(value.span())
    } else {
        key.span()
    }
}

/// A capability name without the `CAP_` prefix, upper-cased (`cap_sys_admin` → `SYS_ADMIN`).
pub(super) fn capability(name: &str) -> String {
    let upper = name.trim().to_ascii_uppercase();
    upper.strip_prefix("CAP_").map(str::to_string).unwrap_or(upper)
}

/// Items of a container's `securityContext.capabilities.<list>` (`add` or `drop`).
pub(super) fn capability_items<'a>(c: &Container<'a>, list: &str) -> Vec<NodeRef<'a>> {
    c.security_context()
        .and_then(|sc| sc.path(&["capabilities", list]))
        .map(|l| l.items().collect())
        .unwrap_or_default()
}

/// The first item of `capabilities.<list>` naming `cap` (any case, with or without `CAP_`).
pub(super) fn find_capability<'a>(c: &Container<'a>, list: &str, cap: &str) -> Option<NodeRef<'a>> {
    capability_items(c, list).into_iter().find(|i| i.as_str().is_some_and(|s| capability(s) == cap))
}

/// The ServiceAccount `name` the pod runs as. An object without a namespace is applied to
/// whatever namespace the run targets, and Helm charts often set it on some templates only:
/// when either side lacks one, a same-named account from the same file (the same rendered
/// chart or manifest) counts.
pub(super) fn service_account<'s>(set: &'s ObjectSet, pod: &Object, name: &str) -> Option<&'s Object> {
    let namespace = pod.namespace.as_deref();
    set.find("ServiceAccount", namespace, name).or_else(|| {
        set.of_kind("ServiceAccount").map(|(_, sa)| sa).find(|sa| {
            sa.name.as_deref() == Some(name)
                && sa.origin.file == pod.origin.file
                && (namespace.is_none() || sa.namespace.is_none())
        })
    })
}
