use crate::check::{Check, CheckContext};
use crate::finding::Violation;
use crate::model::{ContainerKind, Object};

/// Containers whose effective `imagePullPolicy` is not `Always`. When the field is unset the
/// API server defaults it from the image: `Always` for `:latest` or an untagged, undigested
/// reference, `IfNotPresent` otherwise. Judging the defaulted value avoids reporting images
/// that are pulled every time anyway.
pub struct ImagePullPolicyNotAlways;

/// Whether the API server defaults the pull policy of `image` to `Always`.
fn defaults_to_always(image: &str) -> bool {
    let (name, digest) = match image.split_once('@') {
        Some((n, d)) => (n, Some(d)),
        None => (image, None),
    };
    let last_segment = &name[name.rfind('/').map_or(0, |i| i + 1)..];
    match last_segment.rsplit_once(':') {
        Some((_, tag)) => tag == "latest",
        None => digest.is_none(),
    }
}

impl Check for ImagePullPolicyNotAlways {
    fn check_object(&self, object: &Object, _cx: &CheckContext, out: &mut Vec<Violation>) {
        let Some(spec) = object.pod_spec() else { return };
        for c in spec.containers() {
            if c.kind == ContainerKind::Ephemeral {
                continue;
            }
            if let Some(policy) = c.node.get("imagePullPolicy").filter(|p| !p.is_null()) {
                let Some(text) = policy.as_str() else { continue };
                if text == "Always" || text.contains("{{") {
                    continue;
                }
                let span = c.node.field_span("imagePullPolicy").unwrap_or_else(|| policy.span());
                out.push(Violation::new(
                    span,
                    format!(
                        "{} uses imagePullPolicy: {text}: a node that already has the image runs it without checking the registry or the pod's pull credentials",
                        c.describe()
                    ),
                ));
                continue;
            }
            let Some(image_node) = c.image() else { continue };
            let Some(image) = image_node.as_str().map(str::trim) else { continue };
            // Unexpanded variables: the reference, and so the default, is unknown.
            if image.is_empty() || image.contains('$') || image.contains("{{") || defaults_to_always(image) {
                continue;
            }
            let span = c.node.field_span("image").unwrap_or_else(|| image_node.span());
            out.push(Violation::new(
                span,
                format!(
                    "{} sets no imagePullPolicy, so '{image}' defaults to IfNotPresent: a node that already has the image runs it without checking the registry or the pod's pull credentials",
                    c.describe()
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::defaults_to_always;

    #[test]
    fn default_policy_follows_the_api_server() {
        assert!(defaults_to_always("nginx"));
        assert!(defaults_to_always("nginx:latest"));
        assert!(defaults_to_always("registry:5000/team/app"));
        assert!(defaults_to_always("nginx:latest@sha256:abc"));
        assert!(!defaults_to_always("nginx:1.27"));
        assert!(!defaults_to_always("registry:5000/team/app:2.0"));
        assert!(!defaults_to_always("nginx@sha256:abc"));
    }
}
