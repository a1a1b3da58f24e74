//! What chart rules see: one [`ChartUnit`] per rendered chart (and `ci/` values variant) —
//! the chart's own files with spans, the values its templates saw, the objects its render
//! produced, and two probe renders that reveal what a single render cannot: names that do not
//! follow the release, and operator kinds rendered without their API being available.
//!
//! Built in two steps because rendering runs on worker threads with thread-local values:
//! [`prepare`] renders and extracts plain data, [`ChartUnit::attach`] resolves it against the
//! loaded sources and object set.

mod locate;
mod prepare;
mod source_map;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use crate::model::{Object, ObjectSet};
use crate::render::helm::ValuesOrigin;
use crate::source::{FileId, Sources};
use crate::yaml::{Document, NodeRef};

pub use prepare::{prepare, Prepared, PROBE_NAMESPACE, PROBE_RELEASE};
pub use source_map::{Mapped, StreamMap};

/// Kubernetes minor version rules check against when neither `--kube-version` nor the chart's
/// `kubeVersion` says otherwise: the version Helm 4 renders for by default
/// (`.Capabilities.KubeVersion`), so checks and templates agree.
pub const DEFAULT_KUBE_VERSION: (u32, u32) = (1, 36);

/// Identity of one rendered object, keyed by the template that produced it and its position
/// among that template's objects (stable across renders with other release names).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocIdent {
    pub template: Option<String>,
    pub ordinal: u32,
    pub api_version: String,
    pub kind: String,
    pub name: Option<String>,
    pub namespace: Option<String>,
}

/// One template's output with default (or given) values.
#[derive(Clone, Debug)]
pub struct TemplateOutput {
    /// Helm's template name (`mychart/templates/deployment.yaml`).
    pub name: String,
    /// Nothing but whitespace, comments and document markers.
    pub empty: bool,
}

/// A rendered chart as chart rules see it.
pub struct ChartUnit {
    /// The chart directory (or archive) as given.
    pub dir: PathBuf,
    /// How the chart is shown in reports.
    pub display: String,
    /// The `ci/*.yaml` values file stem for a variant render; `None` for the default render.
    pub variant: Option<String>,
    /// Parsed `Chart.yaml` and `values.yaml` (default render only; spans point into them).
    pub chart_yaml: Option<Arc<Document>>,
    pub values_yaml: Option<Arc<Document>>,
    /// Values files were given (`-f`, or a `ci/` variant): `values` are not just the defaults.
    pub user_values: bool,
    /// The root chart's `.Values` as its templates saw them.
    pub values: serde_json::Value,
    /// The chart ships `values.schema.json`.
    pub has_schema: bool,
    /// Why rendering failed (reported by `chart-render-error`); the probes are then absent.
    pub render_error: Option<String>,
    pub templates: Vec<TemplateOutput>,
    /// Names (`Chart.yaml` `name`) of every chart in `charts/`, enabled or not; `None` when the
    /// chart did not load.
    pub bundled: Option<Vec<String>>,
    /// The rendered stream's file, and the chart's `crds/` files, in the run's sources.
    pub stream: Option<FileId>,
    pub crd_files: Vec<FileId>,
    /// Objects of this render: index in the run's object set, with their template key.
    pub objects: Vec<(usize, DocIdent)>,
    /// The same chart rendered with another release name and namespace ([`PROBE_RELEASE`]).
    pub release_probe: Option<Vec<DocIdent>>,
    /// Rendered without the user's `--api-versions` (`None` when none were given: the main
    /// render already had only the built-in APIs).
    pub without_extra_apis: Option<Vec<DocIdent>>,
    /// Where each part of the rendered stream came from.
    pub map: Option<StreamMap>,
    /// Template and values files registered in the run's sources, by the name the source map
    /// (or a values origin) uses.
    pub template_files: HashMap<Arc<str>, FileId>,
    pub values_files: HashMap<String, FileId>,
    /// Every key of the values files by dotted path, where it is set (see
    /// [`crate::render::helm::ValuesSources::key_index`]).
    pub values_keys: HashMap<String, ValuesOrigin>,
    pending: prepare::PendingNames,
}

impl ChartUnit {
    /// Resolve file names against the loaded sources, and this render's objects in the set.
    pub fn attach(&mut self, sources: &mut Sources, docs: &HashMap<FileId, Vec<Arc<Document>>>, set: &ObjectSet) {
        // Templates and values files become sources findings can point into (once each:
        // variants of a chart share them).
        for (helm_name, shown, text) in std::mem::take(&mut self.pending.templates) {
            let id = register(sources, shown, text);
            self.template_files.insert(helm_name, id);
        }
        for (origin_name, shown, text) in std::mem::take(&mut self.pending.values_files) {
            let id = register(sources, shown, text);
            self.values_files.insert(origin_name, id);
        }
        let sources = &*sources;
        // A failed render may show a template under the same name as the chart's file.
        let mut by_name: HashMap<&str, FileId> = HashMap::new();
        for (id, f) in sources.iter() {
            by_name.entry(f.name.as_str()).or_insert(id);
        }
        let first_doc = |name: &Option<String>| {
            let name = name.as_deref()?;
            sources
                .iter()
                .filter(|(_, f)| f.name == name)
                .find_map(|(id, _)| docs.get(&id)?.iter().find(|d| d.root().is_some()).cloned())
        };
        self.chart_yaml = first_doc(&self.pending.chart_yaml);
        self.values_yaml = first_doc(&self.pending.values_yaml);
        self.stream = self.pending.stream.as_deref().and_then(|n| by_name.get(n).copied());
        self.crd_files = self.pending.crds.iter().filter_map(|n| by_name.get(n.as_str()).copied()).collect();
        if let Some(stream) = self.stream {
            let mine: Vec<(usize, &Object)> =
                set.objects.iter().enumerate().filter(|(_, o)| o.origin.file == stream).collect();
            self.objects = idents(mine.iter().map(|(i, o)| (*i, *o)));
        }
    }

    /// The chart's `Chart.yaml` root mapping.
    pub fn chart_root(&self) -> Option<NodeRef<'_>> {
        self.chart_yaml.as_ref().and_then(|d| d.root())
    }

    /// `Chart.yaml` field as text.
    pub fn chart_field(&self, key: &str) -> Option<&str> {
        self.chart_root()?.get(key)?.as_str()
    }

    /// The chart's name from `Chart.yaml` (else its directory name).
    pub fn name(&self) -> String {
        self.chart_field("name")
            .map(str::to_string)
            .unwrap_or_else(|| self.dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default())
    }

    /// Is this object part of this chart's render (its stream or its `crds/`)?
    pub fn owns(&self, object: &Object) -> bool {
        Some(object.origin.file) == self.stream || self.crd_files.contains(&object.origin.file)
    }

    /// This render's objects paired with the same object in another render of the chart
    /// (same template, position and kind), where it has one.
    pub fn with_twins<'a>(
        &'a self,
        other: &'a [DocIdent],
    ) -> impl Iterator<Item = (usize, &'a DocIdent, &'a DocIdent)> {
        self.objects.iter().filter_map(move |(i, me)| twin(me, other).map(|t| (*i, me, t)))
    }

    /// Does some string in the values equal `text`? Then the user can change it (a name the
    /// chart takes from its values is configurable, not hard-coded).
    pub fn value_mentions(&self, text: &str) -> bool {
        fn walk(v: &serde_json::Value, text: &str) -> bool {
            match v {
                serde_json::Value::String(s) => s == text,
                serde_json::Value::Array(a) => a.iter().any(|x| walk(x, text)),
                serde_json::Value::Object(m) => m.values().any(|x| walk(x, text)),
                _ => false,
            }
        }
        walk(&self.values, text)
    }

    /// Lowest Kubernetes minor version the chart's `kubeVersion` constraint admits (the
    /// first `>=`/`>`/`~`/`^`/bare version bound), when it states one.
    pub fn kube_floor(&self) -> Option<(u32, u32)> {
        let constraint = self.chart_field("kubeVersion")?;
        constraint.split("||").filter_map(floor_of).min()
    }
}

/// How a chart's rendered stream is shown: `<chart> (rendered)`, or `<chart> (rendered, ci)`
/// for a `ci/` variant.
pub fn rendered_stream_name(chart: &str, variant: Option<&str>) -> String {
    match variant {
        Some(v) => format!("{chart} (rendered, {v})"),
        None => format!("{chart} (rendered)"),
    }
}

/// Is this source a chart's rendered stream (see [`rendered_stream_name`])?
pub fn is_rendered_stream(name: &str) -> bool {
    name.ends_with(')') && name.contains(" (rendered")
}

/// `me` in another render of the same chart.
pub fn twin<'a>(me: &DocIdent, other: &'a [DocIdent]) -> Option<&'a DocIdent> {
    other.iter().find(|d| d.template == me.template && d.ordinal == me.ordinal && d.kind == me.kind)
}

/// The id of the source shown as `shown` with this text, added if new.
fn register(sources: &mut Sources, shown: String, text: Arc<str>) -> FileId {
    if let Some((id, _)) = sources.iter().find(|(_, f)| f.name == shown && f.text == text) {
        return id;
    }
    sources.add(crate::source::SourceFile::new(shown, None, text))
}

/// `>= 1.25.0-0`, `^1.22`, `~1.21.0` or `1.23.x`: the version the range starts at.
fn floor_of(range: &str) -> Option<(u32, u32)> {
    range
        .split([',', ' '])
        .map(str::trim)
        .filter(|p| !p.is_empty() && !p.starts_with('<') && !p.starts_with("!="))
        .find_map(|p| {
            let v = p.trim_start_matches(['>', '=', '~', '^', 'v', ' ']);
            let mut nums = v.split(['.', '-', '+']).map(|n| n.parse::<u32>());
            match (nums.next(), nums.next()) {
                (Some(Ok(major)), Some(Ok(minor))) => Some((major, minor)),
                (Some(Ok(major)), _) => Some((major, 0)),
                _ => None,
            }
        })
}

/// Key objects by template and position among that template's objects.
pub(crate) fn idents<'a>(objects: impl Iterator<Item = (usize, &'a Object)>) -> Vec<(usize, DocIdent)> {
    let mut counts: HashMap<Option<String>, u32> = HashMap::new();
    let mut objects: Vec<(usize, &Object)> = objects.collect();
    objects.sort_by_key(|(i, o)| (o.origin.document, o.origin.list_item, *i));
    objects
        .into_iter()
        .map(|(i, o)| {
            let template = o.origin.rendered_from.clone();
            let n = counts.entry(template.clone()).or_default();
            let ordinal = *n;
            *n += 1;
            let ident = DocIdent {
                template,
                ordinal,
                api_version: o.api_version.clone(),
                kind: o.kind.clone(),
                name: o.name.clone(),
                namespace: o.namespace.clone(),
            };
            (i, ident)
        })
        .collect()
}

/// Run-wide facts rules may need beyond their input: the charts and the target version.
#[derive(Default)]
pub struct RunContext {
    pub charts: Vec<ChartUnit>,
    /// `--kube-version`, as (major, minor).
    pub kube_version: Option<(u32, u32)>,
    /// CustomResourceDefinitions (as JSON) from `--crd` directories, for schema validation.
    pub crds: Vec<serde_json::Value>,
}

/// Where the Kubernetes version a rule checks against came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TargetSource {
    Flag,
    ChartKubeVersion,
    Default,
}

impl RunContext {
    /// The chart render an object came from.
    pub fn chart_of(&self, object: &Object) -> Option<&ChartUnit> {
        self.charts.iter().find(|c| c.owns(object))
    }

    /// The Kubernetes version to check `object` against: `--kube-version`, else the floor of
    /// its chart's `kubeVersion`, else [`DEFAULT_KUBE_VERSION`].
    pub fn target_version(&self, object: &Object) -> ((u32, u32), TargetSource) {
        if let Some(v) = self.kube_version {
            return (v, TargetSource::Flag);
        }
        match self.chart_of(object).and_then(ChartUnit::kube_floor) {
            Some(v) => (v, TargetSource::ChartKubeVersion),
            None => (DEFAULT_KUBE_VERSION, TargetSource::Default),
        }
    }
}

/// Parse `--kube-version` (`1.29`, `v1.29.3`) into (major, minor).
pub fn parse_kube_version(text: &str) -> Option<(u32, u32)> {
    floor_of(text.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kube_version_floors() {
        assert_eq!(floor_of(">= 1.25.0-0"), Some((1, 25)));
        assert_eq!(floor_of(">=1.22.0-0 <1.30"), Some((1, 22)));
        assert_eq!(floor_of("^1.21"), Some((1, 21)));
        assert_eq!(floor_of("<1.30"), None);
        assert_eq!(parse_kube_version("v1.29.3"), Some((1, 29)));
    }
}
