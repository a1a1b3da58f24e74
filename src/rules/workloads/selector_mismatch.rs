use crate::check::{Check, CheckContext};
use crate::finding::Violation;
use crate::model::{LabelSelector, Object};

/// A controller's `spec.selector` must select its own pod template: the API server rejects
/// the object otherwise (and `apps/v1` requires the selector).
pub struct SelectorMismatch;

const KINDS: &[&str] = &["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"];

impl Check for SelectorMismatch {
    fn check_object(&self, object: &Object, _cx: &CheckContext, out: &mut Vec<Violation>) {
        if !KINDS.contains(&object.kind.as_str()) {
            return;
        }
        let Some(template) = object.pod_template() else { return };
        let Some(spec) = object.node().get("spec") else { return };
        let labels = template.metadata.and_then(|m| m.get("labels"));
        let selector = spec.get("selector").filter(|s| !s.is_null());
        let Some(selector) = selector else {
            // Jobs generate their selector; older API groups defaulted it from the labels. A
            // document without template labels either is a partial one (a kustomize patch) or
            // fails on the labels first.
            let has_labels = labels.is_some_and(|l| !l.is_empty());
            if object.api_version == "apps/v1" && object.kind != "Job" && has_labels {
                out.push(Violation::new(
                    object.anchor_span(),
                    format!("{} has no spec.selector (required in apps/v1)", object.kind),
                ));
            }
            return;
        };
        let at = spec.field_span("selector").unwrap_or_else(|| object.anchor_span());
        let parsed = LabelSelector::from_selector(selector);
        if parsed.is_empty() {
            if object.kind != "Job" {
                out.push(Violation::new(
                    at,
                    format!("{} has an empty spec.selector, which the API server rejects", object.kind),
                ));
            }
            return;
        }
        if parsed.matches(labels) {
            return;
        }
        let mut v = Violation::new(
            at,
            format!(
                "spec.selector does not match the pod template labels ({}); the API server rejects this {}",
                unmatched(&parsed, labels),
                object.kind
            ),
        );
        if let Some((k, _)) = template.metadata.and_then(|m| m.entry("labels")) {
            v = v.with_related(k.span(), "pod template labels");
        }
        out.push(v);
    }
}

/// The selector terms the template labels fail, e.g. `app=web (template has app=api)`.
fn unmatched(sel: &LabelSelector, labels: Option<crate::yaml::NodeRef<'_>>) -> String {
    let get = |k: &str| labels.and_then(|l| l.get(k)).and_then(|v| v.scalar()).map(|s| s.json_key().into_owned());
    let mut parts = Vec::new();
    for (k, want) in &sel.match_labels {
        match get(k) {
            Some(have) if &have == want => {}
            Some(have) => parts.push(format!("{k}={want}, template has {k}={have}")),
            None => parts.push(format!("{k}={want}, template has no {k} label")),
        }
    }
    for (k, op, values) in &sel.match_expressions {
        let one = LabelSelector {
            match_labels: Vec::new(),
            match_expressions: vec![(k.clone(), op.clone(), values.clone())],
        };
        if !one.matches(labels) {
            parts.push(format!("{k} {op} [{}]", values.join(", ")));
        }
    }
    parts.join("; ")
}
