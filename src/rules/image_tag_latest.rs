use crate::check::{Check, CheckContext};
use crate::finding::Violation;
use crate::model::Object;

/// The tag of an image reference: `None` when absent, `Some("")` never.
/// Digest-pinned references (`@sha256:...`) are immutable whatever the tag says.
pub fn image_tag(image: &str) -> Result<Option<&str>, ()> {
    if image.contains('@') {
        return Err(()); // pinned by digest
    }
    let last_segment_start = image.rfind('/').map_or(0, |i| i + 1);
    Ok(image[last_segment_start..].rsplit_once(':').map(|(_, t)| t))
}

pub struct ImageTagLatest;

impl Check for ImageTagLatest {
    fn check_object(&self, object: &Object, _cx: &CheckContext, out: &mut Vec<Violation>) {
        let Some(spec) = object.pod_spec() else { return };
        for c in spec.containers() {
            let Some(node) = c.image() else { continue };
            let Some(image) = node.as_str().map(str::trim) else { continue };
            // Unexpanded variables (`$(IMAGE)`, `${TAG}`) are resolved by other tooling.
            if image.is_empty() || image.contains('$') {
                continue;
            }
            let span = c.node.field_span("image").unwrap_or(node.span());
            match image_tag(image) {
                Ok(None) => out.push(Violation::new(
                    span,
                    format!("{} uses image '{image}' without a tag, which means :latest", c.describe()),
                )),
                Ok(Some("latest")) => {
                    out.push(Violation::new(span, format!("{} uses the mutable tag :latest ('{image}')", c.describe())))
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::image_tag;

    #[test]
    fn parses_references() {
        assert_eq!(image_tag("nginx"), Ok(None));
        assert_eq!(image_tag("nginx:1.25"), Ok(Some("1.25")));
        assert_eq!(image_tag("registry:5000/team/app"), Ok(None));
        assert_eq!(image_tag("registry:5000/team/app:latest"), Ok(Some("latest")));
        assert_eq!(image_tag("nginx@sha256:abc"), Err(()));
        assert_eq!(image_tag("nginx:latest@sha256:abc"), Err(()));
    }
}
