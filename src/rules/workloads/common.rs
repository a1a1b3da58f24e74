//! Helpers shared by the workload rules: HPA targets, replica counts, RWO claims. Private to
//! the family so the model stays small; each helper only reads what the run contains.

use crate::model::{Object, ObjectSet};
use crate::source::Span;
use crate::yaml::NodeRef;

pub const HPA: &str = "HorizontalPodAutoscaler";

/// Kinds an HPA (or a replica count) can scale and whose pods a PDB protects.
pub const SCALABLE: &[&str] = &["Deployment", "StatefulSet", "ReplicaSet", "ReplicationController", "Rollout"];

/// `(kind, name)` of an HPA's `scaleTargetRef`.
pub fn hpa_target_ref(hpa: &Object) -> Option<(&str, &str)> {
    let r = hpa.node().path(&["spec", "scaleTargetRef"])?;
    Some((r.get_str("kind")?, r.get_str("name")?))
}

/// Span of the HPA's `scaleTargetRef.name` (or of the HPA itself).
pub fn hpa_target_span(hpa: &Object) -> Span {
    hpa.node().path(&["spec", "scaleTargetRef"]).and_then(|r| r.field_span("name")).unwrap_or_else(|| hpa.anchor_span())
}

/// Index of the object an HPA scales, when it is in the run (same namespace).
pub fn hpa_target(set: &ObjectSet, hpa: &Object) -> Option<usize> {
    let (kind, name) = hpa_target_ref(hpa)?;
    find_near(set, hpa, kind, name)
}

/// The object `kind`/`name` in `from`'s namespace, preferring one from `from`'s own file: the
/// same identity in several files is usually one chart rendered with different values, and
/// each render must be judged on its own.
pub fn find_near(set: &ObjectSet, from: &Object, kind: &str, name: &str) -> Option<usize> {
    let key = (kind.to_string(), from.namespace.clone(), name.to_string());
    let candidates = set.index.by_identity.get(&key)?;
    candidates.iter().copied().find(|&i| set.objects[i].origin.file == from.origin.file).or(candidates.first().copied())
}

/// Keep only the objects from `from`'s file when there are any (see [`find_near`]).
pub fn prefer_same_file<'s>(from: &Object, found: Vec<(usize, &'s Object)>) -> Vec<(usize, &'s Object)> {
    if found.iter().any(|(_, o)| o.origin.file == from.origin.file) {
        found.into_iter().filter(|(_, o)| o.origin.file == from.origin.file).collect()
    } else {
        found
    }
}

/// HPAs of the run that scale `set.objects[target]`.
pub fn hpas_for(set: &ObjectSet, target: usize) -> impl Iterator<Item = (usize, &Object)> {
    set.of_kind(HPA).filter(move |(_, h)| hpa_target(set, h) == Some(target))
}

pub fn min_replicas(hpa: &Object) -> i64 {
    hpa.node().path(&["spec", "minReplicas"]).and_then(|n| n.as_i64()).unwrap_or(1)
}

pub fn max_replicas(hpa: &Object) -> Option<i64> {
    hpa.node().path(&["spec", "maxReplicas"]).and_then(|n| n.as_i64())
}

/// Span of `spec.replicas: N`, or the object's anchor when unset.
pub fn replicas_span(object: &Object) -> Span {
    object.node().get("spec").and_then(|s| s.field_span("replicas")).unwrap_or_else(|| object.anchor_span())
}

/// A pod volume backed by a PVC of the run whose access modes allow one node (RWO) or pod (RWOP).
pub struct RwoClaim<'a> {
    /// The volume's `persistentVolumeClaim` node (holds `claimName`).
    pub claim_ref: NodeRef<'a>,
    pub pvc: &'a Object,
    pub mode: &'static str,
}

impl RwoClaim<'_> {
    pub fn span(&self) -> Span {
        self.claim_ref.field_span("claimName").unwrap_or_else(|| self.claim_ref.span())
    }
    pub fn pvc_span(&self) -> Span {
        self.pvc.node().get("spec").and_then(|s| s.field_span("accessModes")).unwrap_or_else(|| self.pvc.anchor_span())
    }
    pub fn name(&self) -> &str {
        self.pvc.name.as_deref().unwrap_or("<unnamed>")
    }
}

/// Pod volumes of `object` that mount a single-node PVC defined in the run (same namespace).
/// `volumeClaimTemplates` are per pod and never appear here.
pub fn rwo_claims<'a>(set: &'a ObjectSet, object: &'a Object) -> Vec<RwoClaim<'a>> {
    let Some(spec) = object.pod_spec() else { return Vec::new() };
    let mut out = Vec::new();
    for volume in spec.volumes() {
        let Some(claim_ref) = volume.get("persistentVolumeClaim") else { continue };
        let Some(claim) = claim_ref.get_str("claimName") else { continue };
        // A read-only mount of a RWO claim still attaches the volume to one node: keep it.
        let Some(pvc) = find_near(set, object, "PersistentVolumeClaim", claim).map(|i| &set.objects[i]) else {
            continue;
        };
        if let Some(mode) = single_node_mode(pvc) {
            out.push(RwoClaim { claim_ref, pvc, mode });
        }
    }
    out
}

/// `ReadWriteOncePod` or `ReadWriteOnce` when the PVC allows nothing broader.
fn single_node_mode(pvc: &Object) -> Option<&'static str> {
    let modes: Vec<&str> = pvc
        .node()
        .path(&["spec", "accessModes"])
        .into_iter()
        .flat_map(|m| m.items())
        .filter_map(|m| m.as_str())
        .collect();
    if modes.iter().any(|m| matches!(*m, "ReadWriteMany" | "ReadOnlyMany")) {
        return None;
    }
    if modes.contains(&"ReadWriteOncePod") {
        Some("ReadWriteOncePod")
    } else if modes.contains(&"ReadWriteOnce") {
        Some("ReadWriteOnce")
    } else {
        None
    }
}

/// "Deployment web" (namespace omitted: findings carry it).
pub fn describe(object: &Object) -> String {
    format!("{} {}", object.kind, object.name.as_deref().unwrap_or("<unnamed>"))
}
