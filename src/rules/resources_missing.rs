use crate::check::{Check, CheckContext};
use crate::finding::Violation;
use crate::model::{ContainerKind, Object};

const DEFAULT_REQUIRED: &[&str] = &["requests.cpu", "requests.memory", "limits.memory"];

pub struct ResourcesMissing;

impl Check for ResourcesMissing {
    fn check_object(&self, object: &Object, cx: &CheckContext, out: &mut Vec<Violation>) {
        let Some(spec) = object.pod_spec() else { return };
        let required: Vec<String> = match cx.option("require").and_then(|v| v.as_array()) {
            Some(list) => list.iter().filter_map(|v| v.as_str().map(str::to_string)).collect(),
            None => DEFAULT_REQUIRED.iter().map(|s| s.to_string()).collect(),
        };
        for c in spec.containers() {
            // Ephemeral (debug) containers cannot have resources.
            if c.kind == ContainerKind::Ephemeral {
                continue;
            }
            let resources = c.resources();
            let missing: Vec<&str> = required
                .iter()
                .filter(|r| {
                    let path: Vec<&str> = r.split('.').collect();
                    resources.and_then(|res| res.path(&path)).is_none_or(|v| v.is_null() || v.as_str() == Some(""))
                })
                .map(String::as_str)
                .collect();
            if missing.is_empty() {
                continue;
            }
            let span = c.node.entry("resources").map_or(c.anchor_span(), |(k, _)| k.span());
            let what: Vec<String> = missing.iter().map(|m| format!("resources.{m}")).collect();
            out.push(
                Violation::new(span, format!("{} does not set {}", c.describe(), what.join(", ")))
                    .missing(["resources"]),
            );
        }
    }
}
