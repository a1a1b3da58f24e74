//! Render a chart the way `helm template` does (Helm v4 `pkg/engine` + `pkg/action`): compute
//! values, parse every template of the chart and its enabled subcharts into one set in Helm's
//! order, execute each non-partial template with its chart's scope, and assemble the stream.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::render::chart::{self, objects, Capabilities, Chart, ChartError, ErrorKind, RenderOptions};
use crate::render::funcs::Registry;
use crate::render::limits::Limits;
use crate::render::output::{self, DocOrigin, OutputOptions};
use crate::render::template::exec::{Engine, ExecError, TemplateSet, Usage};
use crate::render::template::trace::{Origin, Segment};
use crate::render::value::{Map, Value};

/// Everything `helm template` takes besides the chart and `-f` files.
#[derive(Clone, Debug)]
pub struct Request {
    pub release_name: String,
    pub namespace: String,
    pub is_upgrade: bool,
    /// `--kube-version` (default: Helm's, v1.36.0).
    pub kube_version: Option<String>,
    /// `--api-versions`, added to Helm's default set.
    pub api_versions: Vec<String>,
    /// `--set`, `--set-string`, `--set-json`, `--set-file`, `--set-literal`, in order given.
    pub set: Vec<SetFlag>,
    pub skip_schema_validation: bool,
    pub output: OutputOptions,
    /// Record the source map (template text, actions and values keys behind the output).
    pub source_map: bool,
    /// Budgets of the render (time, output, steps); see [`crate::render::limits`].
    pub limits: Limits,
}

impl Default for Request {
    fn default() -> Self {
        Request {
            release_name: "release-name".into(),
            namespace: "default".into(),
            is_upgrade: false,
            kube_version: None,
            api_versions: Vec::new(),
            set: Vec::new(),
            skip_schema_validation: false,
            output: OutputOptions::default(),
            source_map: false,
            limits: Limits::default(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SetFlag {
    Set(String),
    String(String),
    Json(String),
    File(String),
    Literal(String),
}

/// A render failure; `Display` is Helm's message (the CLI prefixes `Error: `).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenderError {
    pub message: String,
    /// For template errors: the innermost template position (file, line, col).
    pub location: Option<(String, u32, u32)>,
}

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

const DEBUG_HINT: &str = "\n\nUse --debug flag to render out invalid YAML";

impl From<ChartError> for RenderError {
    fn from(e: ChartError) -> Self {
        let suffix = if e.kind == ErrorKind::KubeVersion { DEBUG_HINT } else { "" };
        RenderError { message: format!("{e}{suffix}"), location: None }
    }
}

/// What a render produced.
pub struct Rendered {
    /// (Helm template name, output) for every executed template, NOTES.txt included.
    pub templates: Vec<(String, String)>,
    /// CRDs of the chart and enabled subcharts: (name as Helm prints it, text).
    pub crds: Vec<(String, Arc<str>)>,
    /// The `helm template` stream.
    pub stream: String,
    /// Where each document of `stream` came from.
    pub documents: Vec<DocOrigin>,
    /// Per template name, the source map of its output (empty unless requested).
    pub source_maps: std::collections::HashMap<String, Vec<Segment>>,
    /// The root chart's `.Values` as the templates saw them (defaults coalesced with user values).
    pub values: Value,
    /// What the render used of its budgets.
    pub usage: Usage,
}

impl Rendered {
    /// The segments behind byte `offset` of the stream, innermost (most specific) first:
    /// values keys, then template text, then the action that printed it.
    pub fn origins_at(&self, offset: usize) -> Vec<&Segment> {
        let Some(doc) = self.documents.iter().find(|d| d.stream_start <= offset && offset < d.stream_end) else {
            return Vec::new();
        };
        let at = (doc.template_offset + offset - doc.stream_start) as u32;
        let mut hits: Vec<&Segment> =
            self.source_maps.get(&doc.template).into_iter().flatten().filter(|s| s.start <= at && at < s.end).collect();
        let rank = |s: &Segment| match s.origin {
            Origin::Value { .. } => 0,
            Origin::Text { .. } => 1,
            Origin::Action { .. } => 2,
        };
        hits.sort_by_key(|s| (rank(s), s.end - s.start));
        hits
    }

    /// The exact template position of stream byte `offset` when it is literal template text:
    /// (template name, byte offset in that template).
    pub fn template_position(&self, offset: usize) -> Option<(std::rc::Rc<str>, u32)> {
        let doc = self.documents.iter().find(|d| d.stream_start <= offset && offset < d.stream_end)?;
        let at = (doc.template_offset + offset - doc.stream_start) as u32;
        self.source_maps.get(&doc.template)?.iter().find_map(|s| match &s.origin {
            Origin::Text { file, pos } if s.start <= at && at < s.end => {
                Some((std::rc::Rc::clone(file), pos + (at - s.start)))
            }
            _ => None,
        })
    }
}

/// Where a values key was set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ValuesOrigin {
    /// A values file (the chart's `values.yaml`, a subchart's, or a `-f` file): its name as
    /// given and the 1-based line and column of the key.
    File { name: String, line: u32, column: u32 },
    /// A `--set`-family flag, shown as the user wrote it.
    Flag(String),
}

/// Everything a values path can come from, in Helm's precedence order.
pub struct ValuesSources<'a> {
    pub chart: &'a Chart,
    /// `-f` files in the order given (later ones win).
    pub files: Vec<chart::ValuesFile>,
    pub flags: Vec<SetFlag>,
}

impl ValuesSources<'_> {
    /// Where `path` (dotted, e.g. `image.tag`) got its value.
    pub fn locate(&self, path: &str) -> Option<ValuesOrigin> {
        for flag in self.flags.iter().rev() {
            let (kind, text) = match flag {
                SetFlag::Set(t) => ("--set", t),
                SetFlag::String(t) => ("--set-string", t),
                SetFlag::Json(t) => ("--set-json", t),
                SetFlag::File(t) => ("--set-file", t),
                SetFlag::Literal(t) => ("--set-literal", t),
            };
            if flag_sets(text, path) {
                return Some(ValuesOrigin::Flag(format!("{kind} {text}")));
            }
        }
        self.files.iter().rev().find_map(|f| locate_in(f, path)).or_else(|| values_location(self.chart, path))
    }
}

impl ValuesSources<'_> {
    /// Every key of every values file by dotted path (lists are not entered), where the value
    /// that counts was set: `-f` files over the chart's `values.yaml` over a subchart's. For
    /// pointing at a key the chart exposes but the render did not print (an absent field).
    pub fn key_index(&self) -> HashMap<String, ValuesOrigin> {
        let mut index = HashMap::new();
        for f in self.files.iter().rev() {
            index_file(f, &f.name, "", &mut index);
        }
        // (chart, dotted prefix of its values, its directory relative to the top chart)
        let mut stack = vec![(self.chart, String::new(), String::new())];
        while let Some((c, prefix, dir)) = stack.pop() {
            if let Some(v) = &c.values {
                index_file(v, &format!("{dir}{}", v.name), &prefix, &mut index);
            }
            for d in &c.dependencies {
                stack.push((d, format!("{prefix}{}.", d.name()), format!("{dir}charts/{}/", d.dir_name)));
            }
        }
        index
    }
}

/// Where the lines of a values file start, for turning key offsets into the 1-based line and
/// (character) column a [`ValuesOrigin`] carries.
struct LineTable<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineTable<'a> {
    fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        LineTable { text, starts }
    }

    fn position(&self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let column = self.text.get(start..offset).map_or(0, |l| l.chars().count());
        (line as u32, column as u32 + 1)
    }
}

/// Keys of one values file (later documents win), kept only where nothing set them yet.
fn index_file(values: &chart::ValuesFile, name: &str, prefix: &str, index: &mut HashMap<String, ValuesOrigin>) {
    /// Values files are small; the bound only matters for alias bombs.
    const MAX_KEYS: usize = 200_000;
    // One line table per file: positions of thousands of keys in linear time.
    let lines = LineTable::new(&values.text);
    let mut seen = 0usize;
    for doc in values.documents.iter().rev() {
        let Some(root) = doc.root() else { continue };
        let mut stack = vec![(root.resolved(), prefix.to_string(), 0u32)];
        while let Some((node, path, depth)) = stack.pop() {
            if depth > 32 {
                continue;
            }
            for (k, v) in node.entries() {
                seen += 1;
                if seen > MAX_KEYS {
                    return;
                }
                let Some(key) = k.key_text() else { continue };
                let child = format!("{path}{key}");
                if !index.contains_key(&child) {
                    let (line, column) = lines.position(k.span().start as usize);
                    index.insert(child.clone(), ValuesOrigin::File { name: name.to_string(), line, column });
                }
                let v = v.resolved();
                if v.is_mapping() {
                    stack.push((v, format!("{child}."), depth + 1));
                }
            }
        }
    }
}

/// Does a `--set`-style flag (`a.b=1,c[0]=x`) set `path` or something inside it?
fn flag_sets(flag: &str, path: &str) -> bool {
    flag.split(',').filter_map(|assignment| assignment.split_once('=')).any(|(key, _)| {
        let key = key.trim().replace('\\', "");
        key == path || key.starts_with(&format!("{path}.")) || key.starts_with(&format!("{path}["))
    })
}

fn locate_in(values: &chart::ValuesFile, path: &str) -> Option<ValuesOrigin> {
    // Later documents of a multi-document values file win.
    values.documents.iter().rev().find_map(|doc| {
        let node = key_node(doc.root()?, path)?;
        let (line, column) = LineTable::new(&values.text).position(node.span().start as usize);
        Some(ValuesOrigin::File { name: values.name.clone(), line, column })
    })
}

/// The node to point at for a dotted values path with list indices (`a.b[0].c`): the key of
/// the last mapping entry, or the list item itself when the path ends in an index.
fn key_node<'a>(root: crate::yaml::NodeRef<'a>, path: &str) -> Option<crate::yaml::NodeRef<'a>> {
    let mut node = root.resolved();
    let mut at = None;
    for segment in path.split('.') {
        let (key, indices) = match segment.find('[') {
            Some(i) => (&segment[..i], &segment[i..]),
            None => (segment, ""),
        };
        if !key.is_empty() {
            let (k, v) = node.entry(key)?;
            at = Some(k);
            node = v.resolved();
        }
        for index in indices.split(['[', ']']).filter(|s| !s.is_empty()) {
            let item = node.items().nth(index.parse().ok()?)?;
            at = Some(item);
            node = item.resolved();
        }
    }
    at
}

/// Where a values path is set in a chart's own `values.yaml`, or a subchart's for paths under
/// the subchart's name (file names relative to the chart directory).
pub fn values_location(chart: &Chart, path: &str) -> Option<ValuesOrigin> {
    if let Some(found) = chart.values.as_ref().and_then(|v| locate_in(v, path)) {
        return Some(found);
    }
    let (first, rest) = path.split_once('.')?;
    let sub = chart.dependencies.iter().find(|d| d.name() == first || d.dir_name == first)?;
    match values_location(sub, rest)? {
        ValuesOrigin::File { name, line, column } => {
            Some(ValuesOrigin::File { name: format!("charts/{}/{name}", sub.dir_name), line, column })
        }
        flag => Some(flag),
    }
}

/// Load a chart directory or archive and render it with values files; returns the stream.
pub fn render_dir(path: &Path, values_files: &[PathBuf], req: &Request) -> Result<String, RenderError> {
    let chart = chart::load_chart(path)?;
    let user = load_values_files(values_files)?.into_iter().map(|v| v.merged).collect();
    render(&chart, user, req).map(|r| r.stream)
}

/// Read `-f` values files (multi-document files merge, as in Helm 4).
pub fn load_values_files(paths: &[PathBuf]) -> Result<Vec<chart::ValuesFile>, RenderError> {
    paths
        .iter()
        .map(|f| {
            let bytes = crate::fsread::read(f)
                .map_err(|e| RenderError { message: format!("open {}: {e}", f.display()), location: None })?;
            chart::load_values(&f.display().to_string(), &bytes).map_err(|e| RenderError { message: e, location: None })
        })
        .collect()
}

fn capabilities(req: &Request) -> Result<Capabilities, RenderError> {
    let mut caps = Capabilities::default();
    if let Some(v) = &req.kube_version {
        caps.kube_version = objects::KubeVersion::parse(v).map_err(|e| RenderError { message: e, location: None })?;
    }
    Ok(caps.with_extra_api_versions(&req.api_versions))
}

/// Render a loaded chart. `user_values` are `-f` files in order; `--set` flags come from `req`.
pub fn render(chart: &Chart, mut user_values: Vec<Value>, req: &Request) -> Result<Rendered, RenderError> {
    let options = RenderOptions {
        release_name: req.release_name.clone(),
        namespace: req.namespace.clone(),
        revision: 1,
        is_upgrade: req.is_upgrade,
        capabilities: capabilities(req)?,
        skip_schema_validation: req.skip_schema_validation,
    };
    if !req.set.is_empty() {
        let mut merged = Value::empty_map();
        for v in &user_values {
            merged = chart::merge_maps(&merged, v);
        }
        for flag in &req.set {
            apply_set(&merged, flag)?;
        }
        user_values = vec![merged];
    }
    let (top_values, enabled) = chart::render_values(chart, &user_values, &options)?;
    chart.check_kube_version(&options.capabilities)?;

    let release = options.release_value();
    let caps = options.capabilities.to_value();
    // (Helm name, source text, the chart's scope, base path) for every template.
    let mut units: Vec<(String, &str, Value, String)> = Vec::new();
    let mut crds = Vec::new();
    for ec in enabled.charts() {
        let scope = ec.scope(&release, &caps);
        let library = ec.is_library();
        for (name, t) in ec.templates() {
            let base = t.name.rsplit('/').next().unwrap_or(&t.name);
            if library && !base.starts_with('_') {
                continue;
            }
            units.push((name, t.text.as_str(), scope.clone(), format!("{}/templates", ec.full_path)));
        }
    }
    for crd in enabled.root.crds() {
        crds.push((crd.filename.clone(), Arc::from(String::from_utf8_lossy(&crd.file.data).as_ref())));
    }
    // Helm parses deepest paths first, and within a depth in reverse name order, so the
    // parent chart's `define`s win over its subcharts'.
    units.sort_by(|a, b| {
        let (da, db) = (a.0.matches('/').count(), b.0.matches('/').count());
        db.cmp(&da).then_with(|| b.0.cmp(&a.0))
    });

    let funcs = Registry::standard();
    let mut set = TemplateSet::default();
    for (name, text, _, _) in &units {
        set.add(name, text, &funcs).map_err(|e| RenderError {
            message: format!("parse error at ({}:{}): {}{DEBUG_HINT}", e.name, e.line, e.message),
            location: Some((e.name.clone(), e.line, 0)),
        })?;
    }
    let mut engine = Engine::new(&set, &funcs).with_limits(req.limits.clone());
    if req.source_map {
        let values = top_values.get("Values").unwrap_or(top_values.clone());
        engine = engine.with_trace(&values);
        // A subchart's `.Values` is the map under its name in its parent's values.
        for ec in enabled.charts().into_iter().filter(|c| !c.is_root) {
            let path = ec.full_path.split("/charts/").skip(1).collect::<Vec<_>>().join(".");
            engine.trace_values(&ec.values, &path);
        }
    }
    let mut templates = Vec::new();
    let mut source_maps = std::collections::HashMap::new();
    for (name, _, scope, base_path) in &units {
        let base = name.rsplit('/').next().unwrap_or(name);
        if base.starts_with('_') {
            continue;
        }
        let dot = with_template(scope, name, base_path);
        let (out, segments) = engine.execute_traced(name, &dot).map_err(exec_error)?;
        // Helm drops "<no value>"; offsets in the source map must follow.
        let (out, segments) =
            if out.contains("<no value>") { remove_no_value(&out, segments) } else { (out, segments) };
        if req.source_map {
            source_maps.insert(name.clone(), segments);
        }
        templates.push((name.clone(), out));
    }

    // NOTES.txt is rendered (its errors count) but never printed by `helm template`.
    let manifests: Vec<(String, String)> =
        templates.iter().filter(|(n, _)| !n.ends_with("NOTES.txt")).cloned().collect();
    let (mut stream, documents) = output::assemble_with_origins(&manifests, &crds, &req.output)
        .map_err(|m| RenderError { message: format!("{m}{DEBUG_HINT}"), location: None })?;
    if !req.output.show_only.is_empty() {
        stream = output::show_only(&stream, &req.output.show_only)
            .map_err(|m| RenderError { message: m, location: None })?;
    }
    let values = top_values.get("Values").unwrap_or_else(|| top_values.clone());
    let usage = engine.usage();
    Ok(Rendered { templates, crds, stream, documents, source_maps, values, usage })
}

/// Remove Helm's `<no value>` markers, shifting source-map offsets to match.
fn remove_no_value(out: &str, mut segments: Vec<Segment>) -> (String, Vec<Segment>) {
    const MARK: &str = "<no value>";
    let cuts: Vec<usize> = out.match_indices(MARK).map(|(i, _)| i).collect();
    let shift = |x: u32| -> u32 {
        let removed =
            cuts.iter().filter(|&&c| (c as u32) < x).map(|&c| (x - c as u32).min(MARK.len() as u32)).sum::<u32>();
        x - removed
    };
    for s in &mut segments {
        s.start = shift(s.start);
        s.end = shift(s.end);
    }
    segments.retain(|s| s.end > s.start);
    (out.replace(MARK, ""), segments)
}

/// The chart scope plus `.Template` (a fresh map per template, sharing the scope's values).
fn with_template(scope: &Value, name: &str, base_path: &str) -> Value {
    let mut map: Map = match scope {
        Value::Map(m) => m.borrow().clone(),
        _ => Map::new(),
    };
    map.insert("Template".into(), objects::template_value(name, base_path));
    Value::map(map)
}

fn apply_set(values: &Value, flag: &SetFlag) -> Result<(), RenderError> {
    let r = match flag {
        SetFlag::Set(s) => chart::strvals::parse_into(s, values),
        SetFlag::String(s) => chart::strvals::parse_into_string(s, values),
        SetFlag::Json(s) => chart::strvals::parse_json_into(s, values),
        SetFlag::Literal(s) => chart::strvals::parse_literal_into(s, values),
        SetFlag::File(s) => chart::strvals::parse_file_into(s, values, &|path: &str| {
            crate::fsread::read_to_string(std::path::Path::new(path))
                .map(|t| Value::str(t.as_str()))
                .map_err(|e| format!("open {path}: {e}"))
        }),
    };
    r.map_err(|e| RenderError { message: e.to_string(), location: None })
}

/// Helm 4's rendering of a template execution error: `fail`/`required` messages as
/// `execution error at (LOCATION): MESSAGE`, anything else as the Go error chain with one
/// `LOCATION / executing ... / message` block per template.
fn exec_error(e: ExecError) -> RenderError {
    let location = Some((e.file.clone(), e.line, e.col));
    let outer = e.message.strip_prefix("template: ").and_then(|m| m.split_once(": ")).map(|(loc, _)| loc.to_string());
    if let (Some(user), Some(loc)) = (&e.user_message, &outer) {
        return RenderError { message: format!("execution error at ({loc}): {user}{DEBUG_HINT}"), location };
    }
    let mut lines = Vec::new();
    for part in e.message.split("template: ").filter(|p| !p.is_empty()) {
        let part = part.trim_end();
        match part.split_once(": executing ") {
            Some((loc, rest)) => {
                let (head, msg) = match rest.find(">: ") {
                    Some(i) => (&rest[..i + 1], &rest[i + 3..]),
                    None => (rest, ""),
                };
                lines.push(loc.to_string());
                lines.push(format!("  executing {head}:"));
                if !msg.is_empty() {
                    lines.push(format!("    {msg}"));
                }
            }
            None => lines.push(part.to_string()),
        }
    }
    RenderError { message: format!("{}{DEBUG_HINT}", lines.join("\n")), location }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_table_positions_count_characters() {
        let table = LineTable::new("a: 1\nnamé: x\n  last: y");
        assert_eq!(table.position(0), (1, 1));
        assert_eq!(table.position(5), (2, 1));
        assert_eq!(table.position(12), (2, 7)); // after the two-byte `é`
        assert_eq!(table.position(16), (3, 3));
        assert_eq!(table.position(999), (3, 10)); // clamped to the end
    }

    #[test]
    fn helm4_error_chain_format() {
        // From the corpus golden streamspace-patched/default.error.
        let go = "template: streamspace/templates/rbac.yaml:104:13: executing \"streamspace/templates/rbac.yaml\" at <include \"streamspace.api.serviceAccountName\" .>: error calling include: template: streamspace/templates/_helpers.tpl:101:14: executing \"streamspace.api.serviceAccountName\" at <.Values.api.serviceAccount.create>: nil pointer evaluating interface {}.create";
        let e = exec_error(ExecError { message: go.into(), file: "f".into(), line: 1, col: 1, user_message: None });
        assert_eq!(
            e.message,
            "streamspace/templates/rbac.yaml:104:13\n  executing \"streamspace/templates/rbac.yaml\" at <include \"streamspace.api.serviceAccountName\" .>:\n    error calling include:\nstreamspace/templates/_helpers.tpl:101:14\n  executing \"streamspace.api.serviceAccountName\" at <.Values.api.serviceAccount.create>:\n    nil pointer evaluating interface {}.create\n\nUse --debug flag to render out invalid YAML"
        );
        let e = exec_error(ExecError {
            message: "template: c/templates/NOTES.txt:2:3: executing \"c/templates/NOTES.txt\" at <fail \"x\">: error calling fail: x".into(),
            file: "f".into(),
            line: 2,
            col: 3,
            user_message: Some("x".into()),
        });
        assert_eq!(
            e.message,
            "execution error at (c/templates/NOTES.txt:2:3): x\n\nUse --debug flag to render out invalid YAML"
        );
    }
}
