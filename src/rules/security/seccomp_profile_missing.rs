use super::util::{entry_span, is_windows, workload_containers};
use super::CONTAINER_SECURITY_CONTEXT;
use crate::check::{Check, CheckContext};
use crate::finding::Violation;
use crate::model::Object;
use crate::source::Span;
use crate::yaml::NodeRef;

/// Containers that run without a seccomp filter. Container `seccompProfile` overrides the
/// pod's; the legacy annotations (removed in 1.27 but still in old charts) count as set.
pub struct SeccompProfileMissing;

enum Profile {
    Confined,
    /// `Unconfined` (or the legacy `unconfined`), with where it is set.
    Unconfined(Span),
    Unset,
}

/// The `seccompProfile.type` of a pod or container security context.
fn from_context(sc: Option<NodeRef<'_>>) -> Option<Profile> {
    let profile = sc?.get("seccompProfile")?;
    let (k, v) = profile.entry("type")?;
    Some(match v.as_str()? {
        "Unconfined" => Profile::Unconfined(entry_span(k, v)),
        _ => Profile::Confined,
    })
}

/// A legacy `seccomp.security.alpha.kubernetes.io/pod` or `container.seccomp...` annotation.
fn from_annotation(annotations: Option<NodeRef<'_>>, key: &str) -> Option<Profile> {
    let (k, v) = annotations?.entry(key)?;
    Some(match v.as_str()? {
        "unconfined" => Profile::Unconfined(entry_span(k, v)),
        _ => Profile::Confined,
    })
}

impl Check for SeccompProfileMissing {
    fn check_object(&self, object: &Object, _cx: &CheckContext, out: &mut Vec<Violation>) {
        let Some(template) = object.pod_template() else { return };
        let spec = template.spec;
        if is_windows(&spec) {
            return;
        }
        let annotations = template.metadata.and_then(|m| m.get("annotations"));
        let pod = from_context(spec.security_context())
            .or_else(|| from_annotation(annotations, "seccomp.security.alpha.kubernetes.io/pod"))
            .unwrap_or(Profile::Unset);
        // A pod-level Unconfined is one line to fix: report it once, not per container.
        let mut pod_reported = false;
        for c in workload_containers(&spec) {
            let legacy = format!("container.seccomp.security.alpha.kubernetes.io/{}", c.name());
            let own = from_context(c.security_context()).or_else(|| from_annotation(annotations, &legacy));
            match own.as_ref().unwrap_or(&pod) {
                Profile::Confined => {}
                Profile::Unconfined(span) if own.is_none() => {
                    if !pod_reported {
                        pod_reported = true;
                        out.push(Violation::new(
                            *span,
                            "pod runs with seccomp Unconfined: every system call is allowed to its containers",
                        ));
                    }
                }
                Profile::Unconfined(span) => out.push(Violation::new(
                    *span,
                    format!("{} runs with seccomp Unconfined: every system call is allowed", c.describe()),
                )),
                Profile::Unset => out.push(Violation::new(
                    c.anchor_span(),
                    format!(
                        "{} has no seccomp profile: set securityContext.seccompProfile.type: RuntimeDefault on the pod or container",
                        c.describe()
                    ),
                )
                .missing(
                    CONTAINER_SECURITY_CONTEXT
                        .map(|k| k.replace("{field}", "seccompProfile"))
                        .into_iter()
                        .chain(["podSecurityContext".to_string()]),
                )),
            }
        }
    }
}
