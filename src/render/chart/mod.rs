//! Charts as Helm v4 loads them, and the values Helm computes before rendering.
//!
//! - [`load_chart`] reads a chart directory (honouring `.helmignore`) or `.tgz` into a
//!   [`Chart`]: metadata, templates, CRDs, other files, values (text, parsed documents and
//!   merged value), schema and subcharts.
//! - [`render_values`] does what Helm's install action does before the template engine runs:
//!   dependency conditions/tags/aliases, `import-values`, coalescing chart defaults with user
//!   values, globals, `values.schema.json` validation and the `kubeVersion` check. It returns
//!   `.Values` and the tree of enabled charts the engine renders.
//! - [`objects`] holds the template-facing objects (`.Capabilities`, `.Files`, ...).
//! - [`strvals`] parses `--set`-style flags.
//!
//! Every error displays Helm's own message text.
//!
//! Typical use, as `helm template` does it:
//!
//! ```ignore
//! let chart = load_chart(path)?;
//! let user = strvals::merge_values(&flags, &read_file)?;          // -f and --set*
//! let (values, charts) = render_values(&chart, &[user], &options)?;
//! let (release, caps) = (options.release_value(), options.capabilities.to_value());
//! for c in charts.charts() {
//!     let scope = c.scope(&release, &caps);                     // .Chart .Files .Values ...
//!     for (name, template) in c.templates() { /* add .Template, render */ }
//! }
//! ```
//!
//! Verified against Helm 4.2.3 (the helm-render oracle): every corpus chart loads or fails as
//! its golden says, `.Values` equals Helm's for every corpus variant that Helm computes, and
//! `.Files`/template names match for every enabled chart; `values/scenarios.json` pins
//! dependency processing, coalescing, `.Chart` and schema errors on purpose-built charts.

mod archive;
mod coalesce;
mod glob;
mod gomatch;
pub mod helmignore;
mod load;
pub mod metadata;
pub mod objects;
mod schema;
pub mod strvals;
mod values;

#[cfg(test)]
mod corpus_tests;

use std::path::PathBuf;
use std::sync::Arc;

pub use load::{inside_chart, load_archive, load_chart, load_dir, load_files, load_values, merge_maps, BufferedFile};
pub use metadata::{Dependency, Maintainer, Metadata};
pub use objects::{Capabilities, KubeVersion};
pub use schema::{schema_violations, SchemaViolation};
pub use values::{render_values, validate_release_name, EnabledChart, EnabledCharts, RenderOptions};

use crate::render::value::Value;
use crate::source::{SourceFile, Sources};
use crate::yaml::Document;

/// What went wrong, for callers that react differently (the message is always Helm's).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// Reading or validating the chart (`Chart.yaml file is missing`, `validation: ...`).
    Load,
    /// `library charts are not installable`.
    NotInstallable,
    /// Declared dependencies missing from `charts/`.
    MissingDependencies,
    /// `release name check failed: ...`.
    ReleaseName,
    /// Coalescing values (`type mismatch on ...`).
    Values,
    /// `values don't meet the specifications of the schema(s) ...`.
    Schema,
    /// `chart requires kubeVersion: ...`. Helm reports this from the render stage, so
    /// `helm template` appends "\n\nUse --debug flag to render out invalid YAML".
    KubeVersion,
}

/// A chart error whose `Display` is exactly Helm's message (without the CLI's `Error: `).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChartError {
    pub kind: ErrorKind,
    message: String,
}

impl ChartError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> ChartError {
        ChartError { kind, message: message.into() }
    }
    pub(crate) fn msg(message: impl Into<String>) -> ChartError {
        ChartError::new(ErrorKind::Load, message)
    }
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl std::fmt::Display for ChartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ChartError {}

/// A template file; `name` is relative to its chart (`templates/deployment.yaml`).
#[derive(Clone, Debug)]
pub struct Template {
    pub name: String,
    pub text: String,
}

/// Any other chart file (what `.Files` serves), `crds/` included.
#[derive(Clone, Debug)]
pub struct ChartFile {
    pub name: String,
    pub data: Vec<u8>,
}

/// A values file with its provenance: raw text, parsed documents (for mapping keys back to
/// lines) and the merged value Helm uses.
pub struct ValuesFile {
    /// Path relative to its chart root (`values.yaml`).
    pub name: String,
    pub text: Arc<str>,
    /// Every YAML document of the file, in order (empty ones included).
    pub documents: Vec<Document>,
    /// The documents merged with Helm's `MergeMaps` (always a map).
    pub merged: Value,
}

/// A loaded chart (Helm's `chart.Chart`), subcharts included.
#[derive(Default)]
pub struct Chart {
    pub metadata: Metadata,
    pub templates: Vec<Template>,
    pub files: Vec<ChartFile>,
    pub values: Option<ValuesFile>,
    /// Raw `values.schema.json`.
    pub schema: Option<Vec<u8>>,
    /// Subcharts found in `charts/`, sorted by their entry name there.
    pub dependencies: Vec<Chart>,
    /// Entry name under the parent's `charts/` (directory or `.tgz`); empty for the top chart.
    pub dir_name: String,
    /// Where the top chart was loaded from.
    pub source_path: Option<PathBuf>,
}

/// A CRD file (`crds/*.yaml|yml|json`, any case) with the name Helm prints for it.
#[derive(Clone, Debug)]
pub struct CrdFile<'a> {
    /// `<chart full path>/crds/<file>`.
    pub filename: String,
    pub file: &'a ChartFile,
}

impl Chart {
    /// The chart's default values (an empty map when it has no `values.yaml`).
    pub fn values_map(&self) -> Value {
        self.values.as_ref().map_or_else(Value::empty_map, |v| v.merged.clone())
    }

    pub fn name(&self) -> &str {
        &self.metadata.name
    }

    /// `crds/` files with Helm's manifest extensions (this chart only; the enabled-chart tree
    /// walks subcharts with their final names).
    pub fn crd_files(&self, full_path: &str) -> Vec<CrdFile<'_>> {
        self.files
            .iter()
            .filter(|f| f.name.starts_with("crds/") && has_manifest_extension(&f.name))
            .map(|file| CrdFile { filename: format!("{full_path}/{}", file.name), file })
            .collect()
    }

    /// Register every values file (subcharts too) in `sources`, pointing their parsed
    /// documents at the new file ids. `base` is how the chart root should be shown.
    pub fn register_sources(&mut self, sources: &mut Sources, base: &str) {
        if let Some(values) = &mut self.values {
            let shown = format!("{base}/{}", values.name);
            let id = sources.add(SourceFile::new(shown, None, values.text.clone()));
            for doc in &mut values.documents {
                doc.file = id;
            }
        }
        for sub in &mut self.dependencies {
            let sub_base = format!("{base}/charts/{}", sub.dir_name);
            sub.register_sources(sources, &sub_base);
        }
    }

    /// `chartutil.IsCompatibleRange(kubeVersion, caps.KubeVersion.String())`, checked by the
    /// install action before rendering (top chart only).
    pub fn check_kube_version(&self, caps: &Capabilities) -> Result<(), ChartError> {
        let wanted = &self.metadata.kube_version;
        if wanted.is_empty() {
            return Ok(());
        }
        let have = caps.kube_version.normalized();
        if is_compatible_range(wanted, have) {
            return Ok(());
        }
        Err(ChartError::new(
            ErrorKind::KubeVersion,
            format!("chart requires kubeVersion: {wanted} which is incompatible with Kubernetes {have}"),
        ))
    }
}

/// Helm's `chartutil.IsCompatibleRange`: an invalid version or constraint is incompatible.
pub fn is_compatible_range(constraint: &str, version: &str) -> bool {
    crate::render::funcs::constraint_matches(constraint, version).unwrap_or(false)
}

fn has_manifest_extension(name: &str) -> bool {
    let base = name.rsplit('/').next().unwrap_or(name);
    let ext = base.rfind('.').map_or("", |i| &base[i..]);
    [".yaml", ".yml", ".json"].iter().any(|e| ext.eq_ignore_ascii_case(e))
}
