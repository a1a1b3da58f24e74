//! Rule family: API versions. Objects whose `apiVersion` and `kind` the target Kubernetes
//! version (or cert-manager) no longer serves, or serves deprecated. One module per rule,
//! the retired-API table in `table`.

use super::Entry;

use crate::charts::TargetSource;
use crate::model::Object;
use crate::source::Span;

use table::{Retired, Version};

mod api_deprecated;
mod api_removed;
mod table;

pub(super) fn entries() -> Vec<Entry> {
    vec![rust!("api-removed", api_removed::ApiRemoved), rust!("api-deprecated", api_deprecated::ApiDeprecated)]
}

fn version((major, minor): Version) -> String {
    format!("{major}.{minor}")
}

/// Which version was checked and why, so a surprising finding explains itself.
fn target_note(target: Version, source: TargetSource) -> String {
    let v = version(target);
    match source {
        TargetSource::Flag => format!("target {v} from --kube-version"),
        TargetSource::ChartKubeVersion => format!("target {v} from the chart's kubeVersion"),
        TargetSource::Default => format!("target {v} by default; set --kube-version to change it"),
    }
}

/// What to do instead: the successor served at `target` and the field changes moving to it
/// needs, or the advice for an API without one.
fn advice(retired: &Retired, kind: &str, target: Version, with_since: bool) -> String {
    let Some(s) = retired.successor(kind, target) else { return retired.no_successor.to_string() };
    let mut text = format!("use `{}`", s.api_version);
    match s.since {
        Some(since) if since > target => text.push_str(&format!(" (served from Kubernetes {})", version(since))),
        Some(since) if with_since => text.push_str(&format!(" (served since Kubernetes {})", version(since))),
        _ => {}
    }
    if !s.changes.is_empty() {
        text.push_str("; ");
        text.push_str(s.changes);
    }
    text
}

/// The object's `apiVersion` value (else the object as a whole).
fn api_version_span(object: &Object) -> Span {
    object.node().get("apiVersion").map(|n| n.span()).unwrap_or_else(|| object.anchor_span())
}

#[cfg(test)]
mod test_support {
    use std::sync::Arc;

    use crate::charts::RunContext;
    use crate::check::{Check, CheckContext};
    use crate::source::{FileId, Sources};

    /// Run `check` on every object of `yaml` at `--kube-version` `kube` (`None`: the default
    /// target). Returns (text the finding points at, message).
    pub(crate) fn findings(check: &dyn Check, yaml: &str, kube: Option<(u32, u32)>) -> Vec<(String, String)> {
        let mut objects = Vec::new();
        let mut bad = Vec::new();
        for doc in crate::yaml::parse_stream(FileId(0), yaml).into_iter().flatten() {
            crate::model::objects_from_document(&Arc::new(doc), None, &mut objects, &mut bad);
        }
        let run = RunContext { kube_version: kube, ..Default::default() };
        let sources = Sources::default();
        let cx = CheckContext { options: &serde_json::Value::Null, sources: &sources, run: &run };
        let mut out = Vec::new();
        for o in &objects {
            check.check_object(o, &cx, &mut out);
        }
        out.into_iter()
            .map(|v| (yaml.get(v.span.start as usize..v.span.end as usize).unwrap_or("").to_string(), v.message))
            .collect()
    }

    /// A minimal object of this apiVersion and kind.
    pub(crate) fn object(api_version: &str, kind: &str) -> String {
        format!("apiVersion: {api_version}\nkind: {kind}\nmetadata:\n  name: x\n")
    }
}
