use crate::check::{Check, CheckContext};
use crate::finding::Violation;
use crate::model::Object;

/// Label keys contain dots, which the declarative `path:` syntax splits on: hence Rust.
const RECOMMENDED: &[&str] = &["app.kubernetes.io/name", "app.kubernetes.io/instance"];

const KINDS: &[&str] = &["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "Pod", "Service"];

pub struct LabelsRecommended;

impl Check for LabelsRecommended {
    fn check_object(&self, object: &Object, _cx: &CheckContext, out: &mut Vec<Violation>) {
        if !KINDS.contains(&object.kind.as_str()) {
            return;
        }
        let labels = object.labels();
        let missing: Vec<&str> =
            RECOMMENDED.iter().copied().filter(|k| labels.and_then(|l| l.get(k)).is_none_or(|v| v.is_null())).collect();
        if missing.is_empty() {
            return;
        }
        // Point at `labels:` when there is one (that is where the line goes), else the object.
        let span = object.metadata().and_then(|m| m.field_span("labels")).unwrap_or_else(|| object.anchor_span());
        out.push(Violation::new(
            span,
            format!(
                "{} '{}' lacks the recommended label{} {}",
                object.kind,
                object.name.as_deref().unwrap_or("<unnamed>"),
                if missing.len() > 1 { "s" } else { "" },
                missing.join(" and ")
            ),
        ));
    }
}
