use crate::check::{Check, CheckContext};
use crate::finding::Violation;
use crate::model::{ContainerKind, Object};

pub struct RunAsRootAllowed;

impl Check for RunAsRootAllowed {
    fn check_object(&self, object: &Object, _cx: &CheckContext, out: &mut Vec<Violation>) {
        let Some(spec) = object.pod_spec() else { return };
        let pod = spec.node();
        // runAsNonRoot/runAsUser do not apply to Windows pods.
        let windows = pod.path(&["os", "name"]).and_then(|n| n.as_str()) == Some("windows")
            || pod.path(&["nodeSelector", "kubernetes.io/os"]).and_then(|n| n.as_str()) == Some("windows");
        if windows {
            return;
        }
        let pod_sc = spec.security_context();
        for c in spec.containers() {
            if c.kind == ContainerKind::Ephemeral {
                continue;
            }
            let sc = c.security_context();
            // Container settings override the pod's.
            let pick = |key: &str| sc.and_then(|s| s.entry(key)).or_else(|| pod_sc.and_then(|s| s.entry(key)));
            let user = pick("runAsUser");
            let non_root = pick("runAsNonRoot");
            if let Some((k, v)) = user.filter(|(_, v)| v.as_i64().is_some()) {
                if v.as_i64() == Some(0) {
                    out.push(Violation::new(
                        k.span().to(v.span()),
                        format!("{} runs as root (runAsUser: 0)", c.describe()),
                    ));
                }
                continue; // a non-zero runAsUser is enough
            }
            match non_root {
                Some((_, v)) if v.as_bool() == Some(true) => {}
                Some((k, v)) => out.push(Violation::new(
                    k.span().to(v.span()),
                    format!("{} allows running as root (runAsNonRoot is not true and no runAsUser is set)", c.describe()),
                )),
                None => out.push(Violation::new(
                    c.anchor_span(),
                    format!("{} may run as root: neither runAsNonRoot: true nor a non-zero runAsUser is set on the container or pod", c.describe()),
                )
                .missing(
                    crate::rules::security::CONTAINER_SECURITY_CONTEXT
                        .map(|k| k.replace("{field}", "runAsNonRoot"))
                        .into_iter()
                        .chain(["podSecurityContext".to_string()]),
                )),
            }
        }
    }
}
