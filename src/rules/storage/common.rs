//! What makes storage NFS-backed, and how it is mounted.

use crate::model::{Object, ObjectSet};
use crate::yaml::NodeRef;

/// CSI drivers and provisioners that mount NFS. Matching is by substring because in-cluster
/// provisioners are named after their release (`cluster.local/nfs-subdir-external-provisioner`,
/// `k8s-sigs.io/nfs-client-provisioner`, `example.com/nfs`).
pub fn is_nfs_provisioner(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name == "nfs.csi.k8s.io" || name.contains("nfs")
}

/// Is this PersistentVolume an NFS mount (in-tree `spec.nfs` or the NFS CSI driver)?
pub fn is_nfs_pv(pv: &Object) -> bool {
    let spec = pv.node().get("spec");
    spec.and_then(|s| s.get("nfs")).is_some()
        || spec.and_then(|s| s.path(&["csi", "driver"])).and_then(|d| d.as_str()).is_some_and(is_nfs_provisioner)
}

/// Is this StorageClass backed by an NFS provisioner?
pub fn is_nfs_class(class: &Object) -> bool {
    class.node().get_str("provisioner").is_some_and(is_nfs_provisioner)
}

/// Mount options as individual flags (`["hard,nfsvers=4.1"]` counts as two).
pub fn mount_flags(options: Option<NodeRef<'_>>) -> Vec<String> {
    options
        .into_iter()
        .flat_map(|o| o.items())
        .filter_map(|i| i.as_str())
        .flat_map(|s| s.split(','))
        .map(|f| f.trim().to_ascii_lowercase())
        .filter(|f| !f.is_empty())
        .collect()
}

/// Why a volume is NFS-backed, if it is: a description for messages.
pub fn nfs_backing(set: &ObjectSet, namespace: Option<&str>, volume: NodeRef<'_>) -> Option<String> {
    if volume.get("nfs").is_some() {
        return Some("an inline `nfs` volume".into());
    }
    if volume.path(&["csi", "driver"]).and_then(|d| d.as_str()).is_some_and(is_nfs_provisioner) {
        return Some("the NFS CSI driver".into());
    }
    let claim = volume.path(&["persistentVolumeClaim", "claimName"])?.as_str()?;
    let pvc = set.find("PersistentVolumeClaim", namespace, claim)?;
    claim_backing(set, pvc.node().get("spec")?, &format!("claim `{claim}`"))
}

/// NFS backing of a claim spec (a PVC's, or a StatefulSet `volumeClaimTemplates` entry's).
pub fn claim_backing(set: &ObjectSet, spec: NodeRef<'_>, what: &str) -> Option<String> {
    if let Some(pv_name) = spec.get_str("volumeName") {
        if set.find("PersistentVolume", None, pv_name).is_some_and(is_nfs_pv) {
            return Some(format!("{what}, bound to NFS PersistentVolume `{pv_name}`"));
        }
    }
    let class = spec.get_str("storageClassName")?;
    match set.find("StorageClass", None, class) {
        Some(sc) if is_nfs_class(sc) => Some(format!("{what}, StorageClass `{class}` (NFS provisioner)")),
        Some(_) => None,
        None if class.to_ascii_lowercase().contains("nfs") => Some(format!("{what}, StorageClass `{class}`")),
        None => None,
    }
}
