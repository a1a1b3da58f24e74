use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::check::{Check, CheckContext, Scope};
use crate::finding::Violation;
use crate::model::{ContainerKind, Object, ObjectSet};
use crate::rules::networking::common::{is_custom_resource, is_templated, namespace_text, secret_provided};
use crate::source::{FileId, Sources};
use crate::yaml::NodeRef;

/// ConfigMaps every namespace gets from the cluster itself.
const CLUSTER_PROVIDED: &[&str] = &["kube-root-ca.crt", "openshift-service-ca.crt"];

/// A pod that references a ConfigMap or Secret the run does not define (and not as
/// `optional: true`) never starts: env references leave it in CreateContainerConfigError,
/// volumes in ContainerCreating. Judged when the run defines at least one object of that kind
/// in the pod's namespace (for pods without a namespace: in the same directory), or when the
/// pod comes from a rendered chart: otherwise the objects plausibly come from elsewhere.
pub struct EnvRefMissing;

/// One reference: the kind it names, the mapping holding the name, the name's key there, and
/// how the pod uses it (for the message).
struct Ref<'a> {
    kind: &'static str,
    holder: NodeRef<'a>,
    key: &'static str,
    used_by: String,
}

fn references<'a>(object: &'a Object) -> Vec<Ref<'a>> {
    let Some(spec) = object.pod_spec() else { return Vec::new() };
    let mut refs = Vec::new();
    let mut push = |kind, holder: Option<NodeRef<'a>>, key, used_by: String| {
        if let Some(holder) = holder.filter(|h| h.is_mapping()) {
            refs.push(Ref { kind, holder, key, used_by });
        }
    };
    for c in spec.containers().into_iter().filter(|c| c.kind != ContainerKind::Ephemeral) {
        for env in c.node.get("env").into_iter().flat_map(|e| e.items()) {
            let var = env.get_str("name").unwrap_or("<unnamed>");
            let from = env.get("valueFrom");
            for (field, kind) in [("configMapKeyRef", "ConfigMap"), ("secretKeyRef", "Secret")] {
                let holder = from.and_then(|f| f.get(field));
                push(kind, holder, "name", format!("{} (env {var})", c.describe()));
            }
        }
        for source in c.node.get("envFrom").into_iter().flat_map(|e| e.items()) {
            for (field, kind) in [("configMapRef", "ConfigMap"), ("secretRef", "Secret")] {
                push(kind, source.get(field), "name", format!("{} (envFrom)", c.describe()));
            }
        }
    }
    for volume in spec.volumes() {
        let used_by = format!("volume '{}'", volume.get_str("name").unwrap_or("<unnamed>"));
        push("ConfigMap", volume.get("configMap"), "name", used_by.clone());
        push("Secret", volume.get("secret"), "secretName", used_by.clone());
        for source in volume.path(&["projected", "sources"]).into_iter().flat_map(|s| s.items()) {
            push("ConfigMap", source.get("configMap"), "name", used_by.clone());
            push("Secret", source.get("secret"), "name", used_by.clone());
        }
    }
    refs
}

impl Check for EnvRefMissing {
    fn scope(&self) -> Scope {
        Scope::Set
    }
    fn check_set(&self, set: &ObjectSet, cx: &CheckContext, out: &mut Vec<(usize, Violation)>) {
        let generated = kustomize_generated(set);
        let present = Presence::of(set, cx.sources);
        for (i, object) in set.objects.iter().enumerate() {
            if object.kind == "PodTemplate" {
                continue; // runs nothing itself
            }
            let namespace = object.namespace.as_deref();
            for r in references(object) {
                let Some((k, v)) = r.holder.entry(r.key) else { continue };
                let Some(name) = v.as_str().filter(|n| !n.is_empty() && !is_templated(n) && !n.contains("$(")) else {
                    continue;
                };
                let optional = r.holder.get("optional").and_then(|o| o.as_bool()) == Some(true);
                if optional || (r.kind == "ConfigMap" && CLUSTER_PROVIDED.contains(&name)) {
                    continue;
                }
                let judged = object.origin.rendered_from.is_some() || present.judges(r.kind, object, cx.sources);
                if !judged
                    || defined(set, object, r.kind, name)
                    || generated.iter().any(|(kind, n)| *kind == r.kind && *n == name)
                    || operator_created(set, object, name)
                    || named_in_args(set, object, name)
                {
                    continue;
                }
                let consequence = if r.used_by.starts_with("volume") {
                    "the pod stays in ContainerCreating (FailedMount)"
                } else {
                    "the container fails to start (CreateContainerConfigError)"
                };
                let mut violation = Violation::new(
                    r.holder.field_span(r.key).unwrap_or_else(|| k.span().to(v.span())),
                    format!(
                        "{} references {} '{name}', which is not defined in {} and not optional: {consequence}",
                        r.used_by,
                        r.kind,
                        namespace_text(namespace)
                    ),
                );
                // The same name elsewhere usually means a wrong or missing namespace.
                if let Some((_, other)) = set.of_kind(r.kind).find(|(_, o)| o.name.as_deref() == Some(name)) {
                    violation = violation.with_related(
                        other.anchor_span(),
                        format!("a {} '{name}' exists in {}", r.kind, namespace_text(other.namespace.as_deref())),
                    );
                }
                out.push((i, violation));
            }
        }
    }
}

/// The object `kind`/`name` (or, for Secrets, something that creates it) in `from`'s
/// namespace. Charts often set the namespace on some templates only: when either side lacks
/// one, a same-named object of the same file counts.
fn defined(set: &ObjectSet, from: &Object, kind: &str, name: &str) -> bool {
    let namespace = from.namespace.as_deref();
    let exact = if kind == "Secret" {
        secret_provided(set, namespace, name)
    } else {
        set.find(kind, namespace, name).is_some()
    };
    exact
        || set.of_kind(kind).any(|(_, o)| {
            o.name.as_deref() == Some(name)
                && o.origin.file == from.origin.file
                && (namespace.is_none() || o.namespace.is_none())
        })
}

/// (kind, name) of the ConfigMaps and Secrets that kustomize `configMapGenerator` and
/// `secretGenerator` entries of the run create (a kustomization linted with its resources).
fn kustomize_generated(set: &ObjectSet) -> Vec<(&'static str, &str)> {
    let mut out = Vec::new();
    for (_, k) in set.of_kind("Kustomization").filter(|(_, k)| k.group() == "kustomize.config.k8s.io") {
        for (field, kind) in [("configMapGenerator", "ConfigMap"), ("secretGenerator", "Secret")] {
            let entries = k.node().get(field).into_iter().flat_map(|g| g.items());
            out.extend(entries.filter_map(|e| e.get_str("name")).map(|n| (kind, n)));
        }
    }
    out
}

/// Whether a pod of the run names `name` as a whole word in its command, args or env values:
/// certificate-generating install hooks (`--secret-name=x`) and operators that create their
/// own serving certificates (`--cert-secret-name=x`) create such objects at run time.
fn named_in_args(set: &ObjectSet, from: &Object, name: &str) -> bool {
    set.objects
        .iter()
        .filter(|o| o.namespace == from.namespace || o.namespace.is_none() || from.namespace.is_none())
        .filter_map(|o| o.pod_spec())
        .flat_map(|s| s.containers())
        .any(|c| {
            let words = ["command", "args"].into_iter().flat_map(|k| c.node.get(k).into_iter().flat_map(|l| l.items()));
            let env = c.node.get("env").into_iter().flat_map(|e| e.items()).filter_map(|e| e.get("value"));
            words.chain(env).filter_map(|n| n.as_str()).any(|text| mentions(text, name))
        })
}

/// Whether a custom resource of the namespace plausibly makes its operator create `name`:
/// operators name what they generate after the resource (CloudNativePG `<cluster>-app`,
/// Strimzi `<cluster>-cluster-ca-cert`, a KafkaUser's own name).
fn operator_created(set: &ObjectSet, from: &Object, name: &str) -> bool {
    set.objects
        .iter()
        .filter(|o| o.namespace == from.namespace || o.namespace.is_none() || from.namespace.is_none())
        .filter(|o| is_custom_resource(o))
        .filter_map(|o| o.name.as_deref())
        .any(|cr| name == cr || name.strip_prefix(cr).is_some_and(|rest| rest.starts_with('-')))
}

/// Where the run defines ConfigMaps and Secrets, read once: (kind, namespace) pairs, and for
/// objects without a namespace their files and directories. Objects without a namespace from
/// unrelated files of one run may be applied to different namespaces, so only those of the
/// same directory make such a pod judgeable.
struct Presence<'s> {
    namespaces: HashSet<(&'static str, &'s str)>,
    unset_files: HashSet<(&'static str, FileId)>,
    unset_dirs: HashSet<(&'static str, PathBuf)>,
}

fn dir_of(sources: &Sources, file: FileId) -> Option<PathBuf> {
    sources.get(file).path.as_deref().and_then(Path::parent).map(Path::to_path_buf)
}

impl<'s> Presence<'s> {
    fn of(set: &'s ObjectSet, sources: &Sources) -> Self {
        let mut p = Presence { namespaces: HashSet::new(), unset_files: HashSet::new(), unset_dirs: HashSet::new() };
        for kind in ["ConfigMap", "Secret"] {
            for (_, o) in set.of_kind(kind) {
                match o.namespace.as_deref() {
                    Some(ns) => {
                        p.namespaces.insert((kind, ns));
                    }
                    None => {
                        p.unset_files.insert((kind, o.origin.file));
                        p.unset_dirs.extend(dir_of(sources, o.origin.file).map(|d| (kind, d)));
                    }
                }
            }
        }
        p
    }

    fn judges(&self, kind: &'static str, pod: &Object, sources: &Sources) -> bool {
        match pod.namespace.as_deref() {
            Some(ns) => self.namespaces.contains(&(kind, ns)),
            None => {
                self.unset_files.contains(&(kind, pod.origin.file))
                    || dir_of(sources, pod.origin.file).is_some_and(|d| self.unset_dirs.contains(&(kind, d)))
            }
        }
    }
}

/// `name` occurs in `text` not as part of a longer DNS name.
fn mentions(text: &str, name: &str) -> bool {
    let is_name_char = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '.';
    text.match_indices(name).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + name.len()..].chars().next();
        !before.is_some_and(is_name_char) && !after.is_some_and(is_name_char)
    })
}

#[cfg(test)]
mod tests {
    use super::mentions;

    #[test]
    fn whole_name_mentions() {
        assert!(mentions("--secret-name=web-admission", "web-admission"));
        assert!(mentions("web-admission", "web-admission"));
        assert!(mentions("kubectl create secret tls web-admission --cert", "web-admission"));
        assert!(!mentions("--secret-name=web-admission-v2", "web-admission"));
        assert!(!mentions("my-web-admission", "web-admission"));
    }
}
