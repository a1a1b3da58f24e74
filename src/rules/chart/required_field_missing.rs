use super::common::chart_file;
use crate::charts::ChartUnit;
use crate::check::{Check, CheckContext, Scope};
use crate::finding::Violation;
use crate::model::ObjectSet;
use crate::source::Span;
use crate::yaml::NodeRef;

/// `Chart.yaml` without the fields Helm needs (`apiVersion`, `name`, `version`), or with an
/// `apiVersion`/`type` Helm does not know (helm lint's chartfile rules, and the loader's
/// `Metadata.Validate`).
pub struct ChartRequiredFieldMissing;

impl Check for ChartRequiredFieldMissing {
    fn scope(&self) -> Scope {
        Scope::Chart
    }
    fn check_chart(
        &self,
        chart: &ChartUnit,
        _set: &ObjectSet,
        _cx: &CheckContext,
        out: &mut Vec<(Option<usize>, Violation)>,
    ) {
        let Some(file) = chart_file(chart) else { return };
        let mut push = |span, msg: String| out.push((None, Violation::new(span, msg)));
        let md = &file.meta;

        match file.entry("apiVersion") {
            None => push(
                file.anchor(),
                "Chart.yaml has no `apiVersion`: Helm loads it as a Helm 2 (`v1`) chart and helm lint rejects it; set `apiVersion: v2`".into(),
            ),
            Some((k, v)) if md.api_version.is_empty() => push(blank(k, v), blank_message("apiVersion", v)),
            Some((_, v)) if md.api_version != "v1" && md.api_version != "v2" => push(
                v.span(),
                format!("apiVersion '{}' is not valid: it must be \"v2\" (or \"v1\" for Helm 2 charts)", md.api_version),
            ),
            Some(_) => {}
        }

        match file.entry("name") {
            None => push(file.anchor(), "Chart.yaml has no `name`: Helm cannot load the chart".into()),
            Some((k, v)) if md.name.is_empty() => push(blank(k, v), blank_message("name", v)),
            // Helm's loader rejects a name with path components (`filepath.Base(name) != name`).
            Some((_, v)) if md.name.contains('/') && md.name != "/" => {
                push(v.span(), format!("chart name '{}' is invalid: it must not contain path components", md.name))
            }
            Some(_) => {}
        }

        match file.entry("version") {
            None => push(file.anchor(), "Chart.yaml has no `version`: Helm cannot load the chart".into()),
            Some((k, v)) if md.version.is_empty() => push(blank(k, v), blank_message("version", v)),
            Some(_) => {}
        }

        if let Some((_, v)) = file.entry("type") {
            if !matches!(md.chart_type.as_str(), "" | "application" | "library") {
                push(
                    v.span(),
                    format!("chart type '{}' is not valid: it must be `application` or `library`", md.chart_type),
                );
            } else if !md.chart_type.is_empty() && md.api_version == "v1" {
                push(v.span(), "`type` is not valid in an `apiVersion: v1` chart: use `apiVersion: v2`".into());
            }
        }
        if md.api_version == "v1" && md.dependencies.as_ref().is_some_and(|d| !d.is_empty()) {
            if let Some((k, _)) = file.entry("dependencies") {
                push(
                    k.span(),
                    "`dependencies` in Chart.yaml need `apiVersion: v2` (a v1 chart lists them in requirements.yaml)"
                        .into(),
                );
            }
        }
    }
}

/// A required field present without usable text: its value when it is a list or mapping,
/// else the key (`version:` has nothing to underline).
fn blank(k: NodeRef<'_>, v: NodeRef<'_>) -> Span {
    if v.is_mapping() || v.is_sequence() {
        v.span()
    } else {
        k.span()
    }
}

fn blank_message(field: &str, v: NodeRef<'_>) -> String {
    let consequence = if field == "apiVersion" { "set `apiVersion: v2`" } else { "Helm cannot load the chart" };
    if v.is_mapping() || v.is_sequence() {
        format!("`{field}` must be a string, not a {}: {consequence}", if v.is_mapping() { "mapping" } else { "list" })
    } else {
        format!("`{field}` is empty: {consequence}")
    }
}
