use crate::check::{Check, CheckContext, Scope};
use crate::finding::Violation;
use crate::model::{Object, ObjectSet};
use crate::source::Span;
use crate::yaml::NodeRef;

use super::common::{claim_backing, nfs_backing};

/// A database whose data volume is NFS-backed.
pub struct DatabaseOnNfs;

/// Image name fragments of engines that rely on fsync for durability, with a display name.
const ENGINES: &[(&str, &str)] = &[
    ("postgis", "PostgreSQL"),
    ("timescaledb", "PostgreSQL"),
    ("postgres", "PostgreSQL"),
    ("mariadb", "MariaDB"),
    ("mysql", "MySQL"),
    ("percona", "MySQL"),
    ("mongo", "MongoDB"),
    ("etcd", "etcd"),
    ("redis", "Redis"),
    ("valkey", "Valkey"),
];

const DURABILITY: &str = "fsync is only durable on NFS with a `hard` client mount and a `sync` export on the \
     server; the mount options can be checked here (see nfs-soft-mount), the export cannot be checked from the \
     cluster side: confirm `sync` on the NFS server or move the data to block storage";

/// The database engine a container runs, from its image (registry and tag ignored) or, for
/// SQLite, from its environment or arguments.
fn engine(container: NodeRef<'_>) -> Option<&'static str> {
    let image = container.get_str("image").unwrap_or("");
    let repo = image.split('@').next().unwrap_or(image);
    let last = repo.rsplit('/').next().unwrap_or(repo);
    let name = last.split(':').next().unwrap_or(last).to_ascii_lowercase();
    // `postgres-exporter`, `redis-exporter`, `mysqld-exporter` are clients, not servers.
    if !(name.contains("exporter") || name.contains("operator") || name.contains("client")) {
        if let Some((_, engine)) = ENGINES.iter().find(|(frag, _)| name.contains(frag)) {
            return Some(engine);
        }
    }
    let mentions_sqlite = |n: NodeRef<'_>| n.as_str().is_some_and(|s| s.to_ascii_lowercase().contains("sqlite"));
    let env = container.get("env").into_iter().flat_map(|e| e.items());
    let in_env = env
        .into_iter()
        .any(|e| e.get("value").is_some_and(mentions_sqlite) || e.get("name").is_some_and(mentions_sqlite));
    let in_args =
        ["command", "args"].iter().any(|k| container.get(k).into_iter().flat_map(|a| a.items()).any(mentions_sqlite));
    (in_env || in_args).then_some("SQLite")
}

impl Check for DatabaseOnNfs {
    fn scope(&self) -> Scope {
        Scope::Set
    }
    fn check_set(&self, set: &ObjectSet, _cx: &CheckContext, out: &mut Vec<(usize, Violation)>) {
        for (i, object) in set.objects.iter().enumerate() {
            if object.kind == "Cluster" && object.group() == "postgresql.cnpg.io" {
                cnpg_cluster(set, i, object, out);
                continue;
            }
            let Some(spec) = object.pod_spec() else { continue };
            let ns = object.namespace.as_deref();
            for container in spec.containers() {
                let Some(engine) = engine(container.node) else { continue };
                let mounts = container.node.get("volumeMounts").into_iter().flat_map(|m| m.items());
                for mount in mounts {
                    let Some(volume_name) = mount.get_str("name") else { continue };
                    let path = mount.get_str("mountPath").unwrap_or("?");
                    let volume = spec.volumes().find(|v| v.get_str("name") == Some(volume_name));
                    let found = match volume {
                        Some(v) => nfs_backing(set, ns, v).map(|why| (why, volume_span(v))),
                        None => claim_template(object, volume_name).and_then(|(t, span)| {
                            let spec = t.get("spec")?;
                            claim_backing(set, spec, &format!("volumeClaimTemplate `{volume_name}`")).map(|w| (w, span))
                        }),
                    };
                    if let Some((why, span)) = found {
                        let message = format!(
                            "{engine} in container {} keeps data at {path} on NFS ({why}): {DURABILITY}",
                            container.name()
                        );
                        out.push((i, Violation::new(span, message)));
                    }
                }
            }
        }
    }
}

/// The NFS-relevant part of a pod volume: the claim name, or the inline NFS/CSI source.
fn volume_span(volume: NodeRef<'_>) -> Span {
    volume
        .path(&["persistentVolumeClaim", "claimName"])
        .map(|n| n.span())
        .or_else(|| volume.entry("nfs").or_else(|| volume.entry("csi")).map(|(k, _)| k.span()))
        .unwrap_or_else(|| volume.span())
}

/// A StatefulSet's `volumeClaimTemplates` entry by name, with the span to report.
fn claim_template<'a>(object: &'a Object, name: &str) -> Option<(NodeRef<'a>, Span)> {
    let templates = object.node().path(&["spec", "volumeClaimTemplates"])?;
    let t = templates.items().find(|t| t.path(&["metadata", "name"]).and_then(|n| n.as_str()) == Some(name))?;
    let span = t.path(&["spec", "storageClassName"]).map_or(t.span(), |n| n.span());
    Some((t, span))
}

/// CloudNative-PG `Cluster`: `spec.storage` / `spec.walStorage` name the class directly.
fn cnpg_cluster(set: &ObjectSet, i: usize, cluster: &Object, out: &mut Vec<(usize, Violation)>) {
    for key in ["storage", "walStorage"] {
        let Some(storage) = cluster.node().path(&["spec", key]) else { continue };
        let class = storage.get("storageClass").or_else(|| storage.path(&["pvcTemplate", "storageClassName"]));
        let Some(class) = class else { continue };
        let Some(name) = class.as_str() else { continue };
        let claim = |spec_key: &str| -> Option<String> {
            let is_nfs = match set.find("StorageClass", None, name) {
                Some(sc) => super::common::is_nfs_class(sc),
                None => name.to_ascii_lowercase().contains("nfs"),
            };
            is_nfs.then(|| format!("spec.{spec_key} uses StorageClass `{name}`"))
        };
        if let Some(why) = claim(key) {
            let message = format!("CloudNative-PG Cluster keeps PostgreSQL data on NFS ({why}): {DURABILITY}");
            out.push((i, Violation::new(class.span(), message)));
        }
    }
}
