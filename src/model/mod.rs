//! Kubernetes objects on top of the YAML tree: identity, typed span-preserving accessors for
//! what rules need, and an index for cross-resource rules.

mod index;
mod object;
mod workload;

pub use index::{LabelSelector, ObjectIndex, ObjectSet};
pub use object::{objects_from_document, NotAnObject, Object, Origin};
pub use workload::{Container, ContainerKind, PodSpec, PodTemplate, ProbeKind, WorkloadClass};
