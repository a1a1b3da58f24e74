//! The three hostPath rules share one classification so that each volume is reported by
//! exactly one of them: a runtime socket by `docker-socket-mount`, another sensitive path by
//! `sensitive-host-mount`, anything else by `hostpath-volume`. `writable-host-mount` reports
//! something else: each container mount of such a volume that is not read-only.

use super::util::{entry_span, workload_containers};
use crate::check::{Check, CheckContext};
use crate::finding::Violation;
use crate::model::{Object, PodSpec};
use crate::source::Span;
use crate::yaml::NodeRef;

/// Host directories whose contents (or writes to them) give control of the node.
const SENSITIVE: &[&str] = &[
    "/",
    "/etc",
    "/proc",
    "/sys",
    "/boot",
    "/root",
    "/var/lib/kubelet",
    "/var/lib/docker",
    "/var/lib/containerd",
    "/var/run",
    "/run",
    "/dev",
];

/// Single host files under a sensitive directory that hold nothing secret and that log and
/// metrics agents routinely mount: reported as ordinary host paths.
const HARMLESS_FILES: &[&str] = &["/etc/machine-id", "/etc/localtime", "/etc/timezone", "/etc/os-release"];

/// Container runtime API sockets: whoever can talk to one can start privileged containers.
const SOCKETS: &[&str] = &["docker.sock", "containerd.sock", "crio.sock"];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Class {
    Socket,
    Sensitive(&'static str),
    Other,
}

/// `//var/run/` → `/var/run`; `/` stays `/`.
fn normalize(path: &str) -> String {
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty() && *p != ".").collect();
    format!("/{}", parts.join("/"))
}

fn classify(path: &str) -> Class {
    let p = normalize(path);
    let file = p.rsplit('/').next().unwrap_or("");
    if SOCKETS.contains(&file) {
        return Class::Socket;
    }
    if HARMLESS_FILES.contains(&p.as_str()) {
        return Class::Other;
    }
    // The longest matching prefix names the finding best (`/var/run`, not `/`).
    let hit = SENSITIVE
        .iter()
        .filter(|s| p == **s || (**s != "/" && p.starts_with(&format!("{s}/"))))
        .max_by_key(|s| s.len());
    match hit {
        Some(s) => Class::Sensitive(s),
        None => Class::Other,
    }
}

/// A hostPath volume: its name, path text and the span of its `path:` entry.
struct HostVolume<'a> {
    name: &'a str,
    path: &'a str,
    span: Span,
}

fn host_volumes<'a>(spec: &PodSpec<'a>) -> Vec<HostVolume<'a>> {
    spec.volumes().filter_map(host_volume).collect()
}

/// The hostPath volume `volume` is, if it is one with a readable path.
fn host_volume(volume: NodeRef<'_>) -> Option<HostVolume<'_>> {
    let host = volume.get("hostPath")?;
    let (k, p) = host.entry("path")?;
    Some(HostVolume { name: volume.get_str("name").unwrap_or("<unnamed>"), path: p.as_str()?, span: entry_span(k, p) })
}

/// The first container `volumeMounts` entry using `volume`: its `mountPath:` (or the item).
fn first_mount<'a>(spec: &PodSpec<'a>, volume: &str) -> Option<(String, NodeRef<'a>)> {
    spec.containers().into_iter().find_map(|c| {
        let mount = c
            .node
            .get("volumeMounts")
            .into_iter()
            .flat_map(|m| m.items())
            .find(|m| m.get_str("name") == Some(volume))?;
        Some((c.describe(), mount))
    })
}

/// Report the hostPath volumes for which `describe(class, path)` says what is mounted.
fn report(object: &Object, describe: fn(Class, &str) -> Option<String>, out: &mut Vec<Violation>) {
    let Some(spec) = object.pod_spec() else { return };
    for vol in host_volumes(&spec) {
        let Some(what) = describe(classify(vol.path), vol.path) else { continue };
        let mut v = Violation::new(vol.span, format!("volume '{}' mounts {what}", vol.name));
        if let Some((who, mount)) = first_mount(&spec, vol.name) {
            let span = mount.field_span("mountPath").unwrap_or_else(|| mount.span());
            let ro = if mount.get("readOnly").and_then(|r| r.as_bool()) == Some(true) { " read-only" } else { "" };
            v = v.with_related(span, format!("mounted{ro} by {who} here"));
        }
        out.push(v);
    }
}

pub struct HostPathVolume;

impl Check for HostPathVolume {
    fn check_object(&self, object: &Object, _cx: &CheckContext, out: &mut Vec<Violation>) {
        report(object, |c, p| (c == Class::Other).then(|| format!("host path `{p}`")), out);
    }
}

pub struct SensitiveHostMount;

impl Check for SensitiveHostMount {
    fn check_object(&self, object: &Object, _cx: &CheckContext, out: &mut Vec<Violation>) {
        report(
            object,
            |c, p| match c {
                Class::Sensitive("/") => Some("the node's root filesystem `/`".to_string()),
                Class::Sensitive(dir) if normalize(p) == dir => Some(format!("sensitive host directory `{p}`")),
                Class::Sensitive(dir) => Some(format!("`{p}`, inside sensitive host directory {dir}")),
                _ => None,
            },
            out,
        );
    }
}

pub struct DockerSocketMount;

impl Check for DockerSocketMount {
    fn check_object(&self, object: &Object, _cx: &CheckContext, out: &mut Vec<Violation>) {
        report(object, |c, p| (c == Class::Socket).then(|| format!("the container runtime socket `{p}`")), out);
    }
}

/// Container mounts of hostPath volumes without `readOnly: true`. Sockets are left out:
/// `readOnly` does not stop a process from connecting to a socket, so asking for it would
/// promise a protection it does not give (`docker-socket-mount` reports them regardless).
pub struct WritableHostMount;

impl Check for WritableHostMount {
    fn check_object(&self, object: &Object, _cx: &CheckContext, out: &mut Vec<Violation>) {
        let Some(spec) = object.pod_spec() else { return };
        let volumes: Vec<(HostVolume, bool)> = spec
            .volumes()
            .filter_map(|v| {
                let host = v.get("hostPath")?;
                let socket = host.get_str("type") == Some("Socket");
                host_volume(v).map(|h| (h, socket))
            })
            .collect();
        if volumes.is_empty() {
            return;
        }
        for c in workload_containers(&spec) {
            for mount in c.node.get("volumeMounts").into_iter().flat_map(|m| m.items()) {
                let Some(name) = mount.get_str("name") else { continue };
                let Some((vol, socket)) = volumes.iter().find(|(v, _)| v.name == name) else { continue };
                if *socket || classify(vol.path) == Class::Socket {
                    continue;
                }
                let read_only = mount.entry("readOnly");
                if read_only.is_some_and(|(_, v)| v.as_bool() == Some(true)) {
                    continue;
                }
                let span = read_only
                    .map(|(k, v)| entry_span(k, v))
                    .or_else(|| mount.field_span("mountPath"))
                    .unwrap_or_else(|| mount.span());
                out.push(
                    Violation::new(
                        span,
                        format!(
                            "{} mounts host path `{}` (volume '{name}') writable: it can change files on the node",
                            c.describe(),
                            vol.path
                        ),
                    )
                    .with_related(vol.span, "hostPath volume defined here"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification() {
        assert_eq!(classify("/var/run/docker.sock"), Class::Socket);
        assert_eq!(classify("/run/containerd/containerd.sock"), Class::Socket);
        assert_eq!(classify("/var/run/crio/crio.sock"), Class::Socket);
        assert_eq!(classify("/"), Class::Sensitive("/"));
        assert_eq!(classify("//"), Class::Sensitive("/"));
        assert_eq!(classify("/etc/"), Class::Sensitive("/etc"));
        assert_eq!(classify("/etc/ssl/certs"), Class::Sensitive("/etc"));
        assert_eq!(classify("/var/run/secrets"), Class::Sensitive("/var/run"));
        assert_eq!(classify("/var/lib/kubelet/pods"), Class::Sensitive("/var/lib/kubelet"));
        assert_eq!(classify("/var/log"), Class::Other);
        assert_eq!(classify("/etc/machine-id"), Class::Other);
        assert_eq!(classify("/etcd-data"), Class::Other);
        assert_eq!(classify("/devices"), Class::Other);
        assert_eq!(classify("/var/lib/dockerd"), Class::Other);
    }
}
