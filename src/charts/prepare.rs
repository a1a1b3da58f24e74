//! Render one chart job on a worker thread and keep what chart rules need as plain data.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{idents, ChartUnit, DocIdent, StreamMap, TemplateOutput};
use crate::discover::{Input, RenderFailure};
use crate::render::chart;
use crate::render::helm::{self, RenderError, Request};
use crate::source::{display_path, FileId};

/// Release name and namespace of the probe render: names that stay the same under them do not
/// follow the release.
pub const PROBE_RELEASE: &str = "plimsoll-probe";
pub const PROBE_NAMESPACE: &str = "plimsoll-probe-ns";

/// Display names of a unit's inputs, resolved to file ids once loaded.
#[derive(Default)]
pub(super) struct PendingNames {
    /// (Helm template name, shown name, text) for mapping findings into templates.
    pub templates: Vec<(Arc<str>, String, Arc<str>)>,
    /// (name as a values origin gives it, shown name, text).
    pub values_files: Vec<(String, String, Arc<str>)>,
    pub chart_yaml: Option<String>,
    pub values_yaml: Option<String>,
    pub stream: Option<String>,
    pub crds: Vec<String>,
}

/// A chart job's inputs to lint and its unit for chart rules.
pub struct Prepared {
    pub inputs: Vec<Input>,
    pub unit: ChartUnit,
}

/// Render `chart_dir` with `values` (`ci` is the variant's values file, already in `values`).
/// The default render also yields the chart's own files and the probe renders.
pub fn prepare(chart_dir: &Path, values: &[PathBuf], ci: Option<&Path>, req: &Request) -> Prepared {
    let display = display_path(chart_dir);
    let variant = ci.and_then(|c| c.file_stem()).map(|s| s.to_string_lossy().into_owned());
    let mut inputs = Vec::new();
    let mut pending = PendingNames::default();
    let mut unit = ChartUnit {
        dir: chart_dir.to_path_buf(),
        display: display.clone(),
        variant: variant.clone(),
        chart_yaml: None,
        values_yaml: None,
        user_values: !values.is_empty(),
        values: serde_json::Value::Object(Default::default()),
        has_schema: chart_file_inside(chart_dir, "values.schema.json").is_some(),
        render_error: None,
        templates: Vec::new(),
        bundled: None,
        stream: None,
        crd_files: Vec::new(),
        objects: Vec::new(),
        release_probe: None,
        without_extra_apis: None,
        map: None,
        template_files: Default::default(),
        values_files: Default::default(),
        values_keys: Default::default(),
        pending: PendingNames::default(),
    };
    if variant.is_none() {
        for (file, slot) in [("Chart.yaml", &mut pending.chart_yaml), ("values.yaml", &mut pending.values_yaml)] {
            // A link leaving the chart is never read: the chart load reports it.
            if let Some(path) = chart_file_inside(chart_dir, file) {
                *slot = Some(display_path(&path));
                inputs.push(Input::ChartFile { path });
            }
        }
    }
    let suffix = variant.as_ref().map(|v| format!(", {v}")).unwrap_or_default();

    // A panic in the loader or renderer fails this chart only (reported as its render error).
    let loaded = guarded(|| chart::load_chart(chart_dir).map_err(RenderError::from));
    if let Ok(c) = &loaded {
        unit.bundled = Some(c.dependencies.iter().map(|d| d.name().to_string()).collect());
    }
    let rendered = loaded.and_then(|loaded| {
        guarded(|| {
            let files = helm::load_values_files(values)?;
            let user: Vec<_> = files.iter().map(|v| v.merged.clone()).collect();
            let traced = Request { source_map: true, ..req.clone() };
            let base = helm::render(&loaded, user.clone(), &traced)?;
            Ok((files, user, base))
        })
        .map(|(files, user, base)| (loaded, files, user, base))
    });
    match rendered {
        Ok((loaded, files, user, base)) => {
            let sources = helm::ValuesSources { chart: &loaded, files, flags: req.set.clone() };
            unit.map = Some(StreamMap::from_rendered(&base, |path| sources.locate(path)));
            unit.values_keys = sources.key_index();
            pending.templates = template_sources(&loaded, chart_dir);
            pending.values_files = values_sources(&loaded, &sources.files, chart_dir);
            let name = super::rendered_stream_name(&display, variant.as_deref());
            pending.stream = Some(name.clone());
            inputs.push(Input::Text { name, text: Arc::from(base.stream.as_str()), render_error: None });
            unit.values = base.values.to_json();
            unit.templates = base
                .templates
                .iter()
                .filter(|(n, _)| !n.ends_with("NOTES.txt"))
                .map(|(n, out)| TemplateOutput { name: n.clone(), empty: renders_nothing(out) })
                .collect();
            if variant.is_none() {
                for (crd_name, text) in &base.crds {
                    // Files of this chart's own crds/ are linted where they live; a packed
                    // subchart's under the name Helm prints.
                    let rel = crd_name.split_once('/').map_or(crd_name.as_str(), |(_, r)| r);
                    if let Some(on_disk) = chart_file_inside(chart_dir, rel) {
                        pending.crds.push(display_path(&on_disk));
                        inputs.push(Input::File { path: on_disk, explicit: false });
                    } else {
                        pending.crds.push(crd_name.clone());
                        inputs.push(Input::Text { name: crd_name.clone(), text: Arc::clone(text), render_error: None });
                    }
                }
                let probe =
                    Request { release_name: PROBE_RELEASE.into(), namespace: PROBE_NAMESPACE.into(), ..req.clone() };
                unit.release_probe =
                    guarded(|| helm::render(&loaded, user.clone(), &probe)).ok().map(|r| stream_idents(&r.stream));
                if !req.api_versions.is_empty() {
                    let bare = Request { api_versions: Vec::new(), ..req.clone() };
                    unit.without_extra_apis =
                        guarded(|| helm::render(&loaded, user, &bare)).ok().map(|r| stream_idents(&r.stream));
                }
            }
        }
        Err(e) => {
            unit.render_error = Some(e.message.clone());
            inputs.push(render_failure(chart_dir, &e, &suffix));
        }
    }
    unit.pending = pending;
    Prepared { inputs, unit }
}

/// Run a load or render step; a panic becomes a render error naming it as plimsoll's bug.
fn guarded<T>(f: impl FnOnce() -> Result<T, RenderError>) -> Result<T, RenderError> {
    crate::guard::catch(f).unwrap_or_else(|panic| {
        Err(RenderError {
            message: format!("internal error: plimsoll crashed rendering this chart ({panic}); please report it"),
            location: None,
        })
    })
}

/// `chart_dir/rel` when it is a regular file resolving inside the chart directory.
fn chart_file_inside(chart_dir: &Path, rel: &str) -> Option<PathBuf> {
    let path = chart_dir.join(rel);
    (path.is_file() && chart::inside_chart(chart_dir, &path)).then_some(path)
}

/// (Helm name, shown name, text) of every template of the chart and its subcharts.
fn template_sources(root: &chart::Chart, dir: &Path) -> Vec<(Arc<str>, String, Arc<str>)> {
    let mut out = Vec::new();
    let mut stack = vec![(root, root.name().to_string(), dir.to_path_buf())];
    while let Some((c, full, path)) = stack.pop() {
        for t in &c.templates {
            out.push((
                Arc::from(format!("{full}/{}", t.name)),
                display_path(&path.join(&t.name)),
                Arc::from(t.text.as_str()),
            ));
        }
        for d in &c.dependencies {
            stack.push((d, format!("{full}/charts/{}", d.name()), path.join("charts").join(&d.dir_name)));
        }
    }
    out
}

/// (name in a values origin, shown name, text) of every values file a key can come from.
fn values_sources(root: &chart::Chart, user: &[chart::ValuesFile], dir: &Path) -> Vec<(String, String, Arc<str>)> {
    let mut out: Vec<(String, String, Arc<str>)> =
        user.iter().map(|f| (f.name.clone(), f.name.clone(), Arc::clone(&f.text))).collect();
    let mut stack = vec![(root, String::new())];
    while let Some((c, prefix)) = stack.pop() {
        if let Some(v) = &c.values {
            let name = format!("{prefix}{}", v.name);
            out.push((name.clone(), display_path(&dir.join(&name)), Arc::clone(&v.text)));
        }
        for d in &c.dependencies {
            stack.push((d, format!("{prefix}charts/{}/", d.dir_name)));
        }
    }
    out
}

/// Template output with nothing Kubernetes could receive.
fn renders_nothing(out: &str) -> bool {
    out.lines().all(|l| {
        let l = l.trim();
        l.is_empty() || l.starts_with('#') || l == "---"
    })
}

/// Object identities of a probe render's stream, keyed like the main render's objects.
fn stream_idents(stream: &str) -> Vec<DocIdent> {
    let mut objects = Vec::new();
    let mut not_objects = Vec::new();
    for doc in crate::yaml::parse_stream(FileId(u32::MAX), stream).into_iter().flatten() {
        let doc = Arc::new(doc);
        let from = crate::load::source_comment(stream, &doc);
        crate::model::objects_from_document(&doc, from, &mut objects, &mut not_objects);
    }
    idents(objects.iter().enumerate()).into_iter().map(|(_, d)| d).collect()
}

/// Point a render error at the template file and line it names, else at Chart.yaml.
fn render_failure(chart: &Path, e: &RenderError, suffix: &str) -> Input {
    let message = e.message.trim_end_matches("\n\nUse --debug flag to render out invalid YAML").to_string();
    let message = if suffix.is_empty() { message } else { format!("{message} (values{suffix})") };
    // Template names start with the chart name; the rest is the path inside the chart dir.
    let on_disk = e.location.as_ref().and_then(|(file, line, col)| {
        let rel = file.split_once('/')?.1;
        let path = chart_file_inside(chart, rel)?;
        let text = crate::fsread::read_to_string(&path).ok()?;
        Some((path, text, *line, *col))
    });
    let (path, text, line, col) = on_disk.unwrap_or_else(|| {
        // Chart.yaml may be the link the load refused: shown only when it is the chart's own.
        let path = chart.join("Chart.yaml");
        let text = chart_file_inside(chart, "Chart.yaml")
            .and_then(|p| crate::fsread::read_to_string(&p).ok())
            .unwrap_or_default();
        (path, text, 1, 0)
    });
    Input::Text {
        name: display_path(&path),
        text: Arc::from(text),
        render_error: Some(RenderFailure { line: line.max(1), col, message }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // A renderer panic is one chart's render error, named as plimsoll's bug.
    #[test]
    fn render_panics_become_render_errors() {
        let e = guarded(|| -> Result<(), RenderError> { panic!("deliberate test panic") }).err();
        let message = e.map(|e| e.message).unwrap_or_default();
        assert_eq!(
            message,
            "internal error: plimsoll crashed rendering this chart (deliberate test panic); please report it"
        );
        assert_eq!(guarded(|| Ok::<_, RenderError>(5)).ok(), Some(5));
    }
}
