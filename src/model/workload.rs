//! Pod specs and containers of every workload kind.

use super::Object;
use crate::yaml::NodeRef;

/// Whether a workload's pods are meant to keep running (probes matter) or to finish.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WorkloadClass {
    LongRunning,
    Batch,
}

/// Path from the object root to its pod template, by kind.
fn template_path(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" | "ReplicationController" | "Job" | "Rollout" => {
            &["spec", "template"]
        }
        "CronJob" => &["spec", "jobTemplate", "spec", "template"],
        "PodTemplate" => &["template"],
        _ => return None,
    })
}

/// A pod template (or a bare Pod): its metadata and spec.
#[derive(Clone, Copy)]
pub struct PodTemplate<'a> {
    pub metadata: Option<NodeRef<'a>>,
    pub spec: PodSpec<'a>,
    /// The node that holds metadata and spec (the template, or the Pod itself).
    pub node: NodeRef<'a>,
}

impl Object {
    /// The pod template of a workload, or the Pod itself.
    pub fn pod_template(&self) -> Option<PodTemplate<'_>> {
        let root = self.node();
        let node = if self.kind == "Pod" { root } else { root.path(template_path(&self.kind)?)? };
        let spec = node.get("spec").filter(|s| s.is_mapping())?;
        Some(PodTemplate { metadata: node.get("metadata"), spec: PodSpec(spec), node })
    }

    pub fn pod_spec(&self) -> Option<PodSpec<'_>> {
        self.pod_template().map(|t| t.spec)
    }

    pub fn workload_class(&self) -> Option<WorkloadClass> {
        match self.kind.as_str() {
            "Job" | "CronJob" => Some(WorkloadClass::Batch),
            "Pod" => {
                let policy = self.pod_spec().and_then(|s| s.node().get_str("restartPolicy"));
                Some(if matches!(policy, Some("Never" | "OnFailure")) {
                    WorkloadClass::Batch
                } else {
                    WorkloadClass::LongRunning
                })
            }
            _ if template_path(&self.kind).is_some() && self.kind != "PodTemplate" => Some(WorkloadClass::LongRunning),
            _ => None,
        }
    }

    /// Declared replicas; `None` when unset (Kubernetes defaults to 1) or not a scalable kind.
    pub fn replicas(&self) -> Option<i64> {
        self.node().path(&["spec", "replicas"])?.as_i64()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContainerKind {
    Regular,
    Init,
    /// An init container with `restartPolicy: Always` (native sidecar): it runs for the pod's life.
    Sidecar,
    Ephemeral,
}

impl ContainerKind {
    pub fn is_long_running(self) -> bool {
        matches!(self, ContainerKind::Regular | ContainerKind::Sidecar)
    }
    pub fn label(self) -> &'static str {
        match self {
            ContainerKind::Regular => "container",
            ContainerKind::Init => "init container",
            ContainerKind::Sidecar => "sidecar container",
            ContainerKind::Ephemeral => "ephemeral container",
        }
    }
}

#[derive(Clone, Copy)]
pub struct PodSpec<'a>(pub NodeRef<'a>);

impl<'a> PodSpec<'a> {
    pub fn node(&self) -> NodeRef<'a> {
        self.0
    }

    pub fn containers(&self) -> Vec<Container<'a>> {
        let mut out = Vec::new();
        for (key, kind) in [
            ("initContainers", ContainerKind::Init),
            ("containers", ContainerKind::Regular),
            ("ephemeralContainers", ContainerKind::Ephemeral),
        ] {
            for (index, node) in self.0.get(key).into_iter().flat_map(|s| s.items()).enumerate() {
                let node = node.resolved();
                if !node.is_mapping() {
                    continue;
                }
                let kind = if kind == ContainerKind::Init && node.get_str("restartPolicy") == Some("Always") {
                    ContainerKind::Sidecar
                } else {
                    kind
                };
                out.push(Container { node, kind, index });
            }
        }
        out
    }

    pub fn security_context(&self) -> Option<NodeRef<'a>> {
        self.0.get("securityContext")
    }

    pub fn volumes(&self) -> impl Iterator<Item = NodeRef<'a>> + 'a {
        self.0.get("volumes").into_iter().flat_map(|v| v.items())
    }

    pub fn flag(&self, key: &str) -> bool {
        self.0.get(key).and_then(|n| n.as_bool()).unwrap_or(false)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProbeKind {
    Liveness,
    Readiness,
    Startup,
}

impl ProbeKind {
    pub fn key(self) -> &'static str {
        match self {
            ProbeKind::Liveness => "livenessProbe",
            ProbeKind::Readiness => "readinessProbe",
            ProbeKind::Startup => "startupProbe",
        }
    }
}

#[derive(Clone, Copy)]
pub struct Container<'a> {
    pub node: NodeRef<'a>,
    pub kind: ContainerKind,
    pub index: usize,
}

impl<'a> Container<'a> {
    pub fn name(&self) -> &'a str {
        self.node.get_str("name").unwrap_or("<unnamed>")
    }

    /// "container 'app'" / "init container 'migrate'".
    pub fn describe(&self) -> String {
        format!("{} '{}'", self.kind.label(), self.name())
    }

    pub fn image(&self) -> Option<NodeRef<'a>> {
        self.node.get("image")
    }

    pub fn probe(&self, kind: ProbeKind) -> Option<NodeRef<'a>> {
        self.node.get(kind.key()).filter(|p| !p.is_null())
    }

    pub fn ports(&self) -> impl Iterator<Item = NodeRef<'a>> + 'a {
        self.node.get("ports").into_iter().flat_map(|p| p.items())
    }

    pub fn resources(&self) -> Option<NodeRef<'a>> {
        self.node.get("resources")
    }

    pub fn security_context(&self) -> Option<NodeRef<'a>> {
        self.node.get("securityContext")
    }

    /// The span to point at for something the container lacks: its `name:` entry, or the item.
    pub fn anchor_span(&self) -> crate::source::Span {
        match self.node.entry("name") {
            Some((k, v)) => k.span().to(v.span()),
            None => self.node.span(),
        }
    }
}
