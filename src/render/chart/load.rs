//! Loading a chart from a directory or a `.tgz`, as Helm's `loader.Load` does.
//!
//! Directory loading walks the tree in sorted order, following symlinks, skipping what the
//! top chart's `.helmignore` (plus Helm's default rule) ignores — including inside
//! `charts/`, whose own `.helmignore` files are just files. Every file is then sorted into
//! the chart by name (`LoadFiles`): `Chart.yaml`, `values.yaml`, `values.schema.json`,
//! `templates/`, `charts/<sub>/` (recursively) and everything else as `.Files`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::archive;
use super::helmignore::{self, Rules};
use super::metadata::{self, Metadata, API_VERSION_V1};
use super::{Chart, ChartError, ChartFile, ErrorKind, ValuesFile};
use crate::render::value::Value;
use crate::source::FileId;
use crate::yaml::{self, Kind};

/// A file read from a chart directory or archive, named relative to the chart root.
#[derive(Clone, Debug)]
pub struct BufferedFile {
    pub name: String,
    pub data: Vec<u8>,
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Placeholder file id for parsed values documents until the caller registers them
/// (see [`Chart::register_sources`]).
pub const UNREGISTERED: FileId = FileId(u32::MAX);

/// Load a chart directory or chart archive (`helm template PATH`).
pub fn load_chart(path: &Path) -> Result<Chart, ChartError> {
    let meta = std::fs::metadata(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            ChartError::new(ErrorKind::Load, format!("path {:?} not found", path.display().to_string()))
        } else {
            ChartError::new(ErrorKind::Load, format!("stat {}: {}", path.display(), go_io_error(&e)))
        }
    })?;
    let mut chart = if meta.is_dir() { load_dir(path)? } else { load_archive_file(path)? };
    chart.source_path = Some(path.to_path_buf());
    Ok(chart)
}

/// Load a `.tgz` chart file.
pub fn load_archive_file(path: &Path) -> Result<Chart, ChartError> {
    let shown = path.display().to_string();
    let data = crate::fsread::read(path)
        .map_err(|e| ChartError::new(ErrorKind::Load, format!("open {shown}: {}", read_error(&e))))?;
    archive::ensure_archive(&shown, &data)?;
    load_archive(&data).map_err(|e| {
        if e.message() == "gzip: invalid header" {
            ChartError::new(
                ErrorKind::Load,
                format!("file '{shown}' does not appear to be a valid chart file (details: gzip: invalid header)"),
            )
        } else {
            e
        }
    })
}

/// Load a chart from the bytes of a `.tgz`.
pub fn load_archive(data: &[u8]) -> Result<Chart, ChartError> {
    let mut budget = Budget::new();
    let files = archive::load_archive_files(data, &mut budget.remaining)?;
    load_files_within(files, &mut budget, 0)
}

/// Subcharts nested deeper than this are refused. Helm has no limit (its loader recurses as
/// deep as the archives go); real charts nest a few levels, while a crafted `charts/x.tgz`
/// holding `charts/y.tgz`... can go thousands deep in a small file.
pub const MAX_SUBCHART_DEPTH: usize = 64;

/// What one top-level chart load may still decompress, shared by all nested archives (Helm's
/// budget is per archive, so nesting multiplies it).
pub(crate) struct Budget {
    pub remaining: u64,
}

impl Budget {
    pub fn new() -> Self {
        Budget { remaining: archive::MAX_DECOMPRESSED_CHART_SIZE }
    }
}

/// Load a chart directory, honouring its `.helmignore`.
pub fn load_dir(dir: &Path) -> Result<Chart, ChartError> {
    let top = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    let canonical_top = std::fs::canonicalize(&top).unwrap_or_else(|_| top.clone());
    let mut rules = Rules::empty();
    let ignore_file = top.join(helmignore::HELM_IGNORE);
    if ignore_file.exists() {
        check_inside(&canonical_top, &ignore_file, helmignore::HELM_IGNORE)
            .map_err(|m| ChartError::new(ErrorKind::Load, m))?;
        let text = crate::fsread::read(&ignore_file).map_err(|e| {
            ChartError::new(ErrorKind::Load, format!("open {}: {}", ignore_file.display(), read_error(&e)))
        })?;
        rules = Rules::parse(&String::from_utf8_lossy(&text))
            .map_err(|e| ChartError::new(ErrorKind::Load, e.to_string()))?;
    }
    rules.add_defaults();
    let mut files = Vec::new();
    let mut stack = vec![canonical_top.clone()];
    walk(&top, "", &rules, &mut files, &mut stack)?;
    load_files(files)
}

/// Refuse a path inside a chart that is (or goes through) a symlink resolving outside the
/// chart directory `canonical_top`. Helm follows such links; plimsoll does not, because a chart
/// under review could point `values.yaml` at a secret on the machine running the lint and
/// have it printed as a snippet in CI logs.
pub fn check_inside(canonical_top: &Path, path: &Path, rel_name: &str) -> Result<(), String> {
    match std::fs::canonicalize(path) {
        Ok(target) if !target.starts_with(canonical_top) => Err(format!(
            "symlink {rel_name} points to {}, outside the chart directory; refused (plimsoll never reads through chart symlinks that leave the chart)",
            target.display()
        )),
        // Missing files are the caller's error to report, in Helm's words.
        _ => Ok(()),
    }
}

/// Whether `path` (a file of the chart in `chart_dir`) may be read: it resolves inside the
/// chart directory.
pub fn inside_chart(chart_dir: &Path, path: &Path) -> bool {
    let top = std::fs::canonicalize(chart_dir).unwrap_or_else(|_| chart_dir.to_path_buf());
    std::fs::canonicalize(path).is_ok_and(|p| p.starts_with(&top))
}

/// Sorted, symlink-following walk (Helm's `sympath.Walk`). `stack` holds the canonical
/// directories being walked, so a symlink loop is skipped instead of recursing forever.
fn walk(
    dir: &Path,
    rel: &str,
    rules: &Rules,
    out: &mut Vec<BufferedFile>,
    stack: &mut Vec<PathBuf>,
) -> Result<(), ChartError> {
    let read = std::fs::read_dir(dir)
        .map_err(|e| ChartError::new(ErrorKind::Load, format!("open {}: {}", dir.display(), go_io_error(&e))))?;
    let mut names: Vec<std::ffi::OsString> = read.filter_map(|e| e.ok().map(|e| e.file_name())).collect();
    names.sort_by(|a, b| a.as_encoded_bytes().cmp(b.as_encoded_bytes()));
    for name in names {
        let path = dir.join(&name);
        let name = name.to_string_lossy();
        let rel_name = if rel.is_empty() { name.to_string() } else { format!("{rel}/{name}") };
        // Links are followed as sympath does, but only while they stay inside the chart.
        let is_link = std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
        if is_link {
            if let Some(top) = stack.first() {
                check_inside(top, &path, &rel_name).map_err(|m| ChartError::new(ErrorKind::Load, m))?;
            }
        }
        let meta = std::fs::metadata(&path).map_err(|e| {
            ChartError::new(
                ErrorKind::Load,
                format!("error evaluating symlink {}: {}", path.display(), go_io_error(&e)),
            )
        })?;
        if meta.is_dir() {
            if rules.ignore(&rel_name, true) {
                continue;
            }
            let canonical = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
            if stack.contains(&canonical) {
                continue;
            }
            stack.push(canonical);
            walk(&path, &rel_name, rules, out, stack)?;
            stack.pop();
            continue;
        }
        if rules.ignore(&rel_name, false) {
            continue;
        }
        if !meta.is_file() {
            return Err(ChartError::new(
                ErrorKind::Load,
                format!("cannot load irregular file {} as it has file mode type bits set", path.display()),
            ));
        }
        let mut data = crate::fsread::read(&path)
            .map_err(|e| ChartError::new(ErrorKind::Load, format!("error reading {rel_name}: {}", read_error(&e))))?;
        if data.starts_with(UTF8_BOM) {
            data.drain(..UTF8_BOM.len());
        }
        out.push(BufferedFile { name: rel_name, data });
    }
    Ok(())
}

/// A bounded read's error, I/O errors in Go's words.
fn read_error(e: &crate::fsread::ReadError) -> String {
    match e.io() {
        Some(io) => go_io_error(io),
        None => e.to_string(),
    }
}

/// Go's wording of common I/O errors (`no such file or directory`, ...).
fn go_io_error(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => {
            let s = e.to_string();
            // Rust appends " (os error N)"; Go does not.
            s.split(" (os error").next().unwrap_or(&s).to_lowercase()
        }
    }
}

fn text_of(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

/// Helm's `LoadFiles`: sort named files into a chart and load subcharts.
pub fn load_files(files: Vec<BufferedFile>) -> Result<Chart, ChartError> {
    load_files_within(files, &mut Budget::new(), 0)
}

/// [`load_files`] for a chart `depth` subcharts down, decompressing nested archives within
/// `budget`.
fn load_files_within(files: Vec<BufferedFile>, budget: &mut Budget, depth: usize) -> Result<Chart, ChartError> {
    if depth > MAX_SUBCHART_DEPTH {
        return Err(ChartError::new(
            ErrorKind::Load,
            format!("subcharts nested more than {MAX_SUBCHART_DEPTH} levels deep; refused"),
        ));
    }
    let load_err = |m: String| ChartError::new(ErrorKind::Load, m);
    let mut md: Option<Metadata> = None;
    for f in files.iter().filter(|f| f.name == "Chart.yaml") {
        let m = md.get_or_insert_with(Metadata::default);
        decode_yaml_into(&f.data, m).map_err(|e| load_err(format!("cannot load Chart.yaml: {e}")))?;
        // Helm 2 charts could omit apiVersion; they are v1 charts.
        if m.api_version.is_empty() {
            m.api_version = API_VERSION_V1.into();
        }
    }

    let mut chart = Chart::default();
    let mut subcharts: BTreeMap<String, Vec<BufferedFile>> = BTreeMap::new();
    for f in files {
        let name = f.name.as_str();
        match name {
            "Chart.yaml" => {}
            "Chart.lock" => {
                check_yaml(&f.data).map_err(|e| load_err(format!("cannot load {name}: {e}")))?;
            }
            "requirements.lock" => {
                check_yaml(&f.data).map_err(|e| load_err(format!("cannot load {name}: {e}")))?;
                let m = md.get_or_insert_with(Metadata::default);
                if m.api_version == API_VERSION_V1 {
                    chart.files.push(ChartFile { name: f.name, data: f.data });
                }
            }
            "values.yaml" => {
                let values =
                    load_values(name, &f.data).map_err(|e| load_err(format!("cannot load values.yaml: {e}")))?;
                chart.values = Some(values);
            }
            "values.schema.json" => chart.schema = Some(f.data),
            "requirements.yaml" => {
                // Helm 2 kept dependencies in requirements.yaml; Helm still merges it into the
                // metadata (and keeps the file for v1 charts).
                let m = md.get_or_insert_with(Metadata::default);
                decode_yaml_into(&f.data, m).map_err(|e| load_err(format!("cannot load requirements.yaml: {e}")))?;
                if m.api_version == API_VERSION_V1 {
                    chart.files.push(ChartFile { name: f.name, data: f.data });
                }
            }
            _ if name.starts_with("templates/") => {
                chart.templates.push(super::Template { name: f.name, text: text_of(&f.data) });
            }
            _ if name.starts_with("charts/") => {
                if name.ends_with(".prov") && go_ext(name) == ".prov" {
                    chart.files.push(ChartFile { name: f.name, data: f.data });
                    continue;
                }
                let rest = &name["charts/".len()..];
                let sub = rest.split('/').next().unwrap_or(rest).to_string();
                subcharts.entry(sub).or_default().push(BufferedFile { name: rest.to_string(), data: f.data });
            }
            _ => chart.files.push(ChartFile { name: f.name, data: f.data }),
        }
    }

    // A name given twice (possible in archives) is kept once, the last, as Helm's engine and
    // `.Files` key them by name.
    keep_last_by_name(&mut chart.templates, |t| t.name.as_str());
    keep_last_by_name(&mut chart.files, |f| f.name.as_str());

    let Some(mut md) = md else {
        return Err(load_err("Chart.yaml file is missing".into()));
    };
    md.validate().map_err(load_err)?;
    chart.metadata = md;

    // Helm iterates a Go map here (random order); sorted order keeps output reproducible.
    for (sub, files) in subcharts {
        if sub.starts_with(['_', '.']) {
            continue;
        }
        let loaded = if go_ext(&sub) == ".tgz" {
            let Some(file) = files.into_iter().next() else { continue };
            if file.name != sub {
                return Err(load_err(format!(
                    "error unpacking subchart tar in {}: expected {sub}, got {}",
                    chart.metadata.name, file.name
                )));
            }
            archive::load_archive_files(&file.data, &mut budget.remaining)
                .and_then(|files| load_files_within(files, budget, depth + 1))
        } else {
            let inner: Vec<BufferedFile> = files
                .into_iter()
                .filter_map(|f| {
                    f.name.split_once('/').map(|(_, rest)| BufferedFile { name: rest.to_string(), data: f.data })
                })
                .collect();
            load_files_within(inner, budget, depth + 1)
        };
        let mut loaded = loaded.map_err(|e| {
            ChartError::new(
                e.kind,
                format!("error unpacking subchart {sub} in {}: {}", chart.metadata.name, e.message()),
            )
        })?;
        loaded.dir_name = sub;
        chart.dependencies.push(loaded);
    }
    Ok(chart)
}

/// Drop all but the last item of each name, keeping order otherwise.
fn keep_last_by_name<T>(items: &mut Vec<T>, name: impl Fn(&T) -> &str) {
    let mut seen = std::collections::HashSet::new();
    let mut keep: Vec<bool> = items.iter().rev().map(|i| seen.insert(name(i).to_string())).collect();
    keep.reverse();
    let mut flags = keep.into_iter();
    items.retain(|_| flags.next().unwrap_or(true));
}

/// Go's `filepath.Ext`.
fn go_ext(name: &str) -> &str {
    let base = name.rsplit('/').next().unwrap_or(name);
    base.rfind('.').map_or("", |i| &base[i..])
}

/// Decode one YAML document into metadata, with sigs.k8s.io/yaml's error prefixes.
fn decode_yaml_into(data: &[u8], md: &mut Metadata) -> Result<(), String> {
    let text = text_of(data);
    let docs = yaml::parse_stream(UNREGISTERED, &text);
    let first = match docs.into_iter().next() {
        None => return Ok(()),
        Some(Err(e)) => return Err(format!("error converting YAML to JSON: {}", yaml_error(&text, &e))),
        Some(Ok(doc)) => doc,
    };
    metadata::decode_into(first.root(), md)
        .map_err(|e| format!("error unmarshaling JSON: while decoding JSON: {}", e.0))
}

fn check_yaml(data: &[u8]) -> Result<(), String> {
    let text = text_of(data);
    match yaml::parse_stream(UNREGISTERED, &text).into_iter().next() {
        Some(Err(e)) => Err(format!("error converting YAML to JSON: {}", yaml_error(&text, &e))),
        _ => Ok(()),
    }
}

/// go-yaml style `yaml: line N: message` (the message itself is our parser's wording).
fn yaml_error(text: &str, e: &yaml::YamlError) -> String {
    let start = (e.span.start as usize).min(text.len());
    let line = text.as_bytes()[..start].iter().filter(|&&b| b == b'\n').count() + 1;
    format!("yaml: line {line}: {}", e.message)
}

/// Helm's `loader.LoadValues`: every YAML document of the stream must be a mapping (or
/// empty); they are merged in order with `MergeMaps`. Keeps the text and parsed documents.
pub fn load_values(name: &str, data: &[u8]) -> Result<ValuesFile, String> {
    let text: Arc<str> = Arc::from(text_of(data));
    check_separators(&text)?;
    let mut merged = Value::empty_map();
    let mut documents = Vec::new();
    for doc in yaml::parse_stream(UNREGISTERED, &text) {
        let doc = doc.map_err(|e| {
            format!("cannot unmarshal yaml document: error converting YAML to JSON: {}", yaml_error(&text, &e))
        })?;
        if !doc.is_empty() {
            if let Some(root) = doc.root() {
                match root.kind() {
                    Kind::Mapping => merged = merge_maps(&merged, &Value::from_json(&root.to_json())),
                    _ if root.is_null() => {}
                    _ => {
                        let kind = match root.kind() {
                            Kind::Sequence => "array",
                            _ => match root.scalar() {
                                Some(yaml::Scalar::Str(_)) => "string",
                                Some(yaml::Scalar::Bool(_)) => "bool",
                                _ => "number",
                            },
                        };
                        return Err(format!(
                            "cannot unmarshal yaml document: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {kind} into Go value of type map[string]interface {{}}"
                        ));
                    }
                }
            }
        }
        documents.push(doc);
    }
    Ok(ValuesFile { name: name.to_string(), text, documents, merged })
}

/// k8s.io/apimachinery's YAMLReader splits at every line starting with `---` and rejects a
/// separator followed by anything but a comment.
fn check_separators(text: &str) -> Result<(), String> {
    for line in text.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if let Some(rest) = line.strip_prefix("---") {
            let rest = helmignore::go_trim_space(rest);
            if !rest.is_empty() && !rest.starts_with('#') {
                return Err(format!("error reading yaml document: invalid Yaml document separator: {rest}"));
            }
        }
    }
    Ok(())
}

/// Helm's `loader.MergeMaps`: maps merge recursively, anything else from `b` wins.
pub fn merge_maps(a: &Value, b: &Value) -> Value {
    let mut out = match a {
        Value::Map(m) => m.borrow().clone(),
        _ => Default::default(),
    };
    if let Value::Map(bm) = b {
        for (k, v) in bm.borrow().iter() {
            let merged = match (v, out.get(k)) {
                (Value::Map(_), Some(existing @ Value::Map(_))) => merge_maps(existing, v),
                _ => v.clone(),
            };
            out.insert(k.clone(), merged);
        }
    }
    Value::map(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bf(name: &str, data: &str) -> BufferedFile {
        BufferedFile { name: name.into(), data: data.as_bytes().to_vec() }
    }

    fn err(files: Vec<BufferedFile>) -> String {
        load_files(files).err().map(|e| e.to_string()).unwrap_or_default()
    }

    // helm loader messages (pkg/chart/v2/loader/load.go, metadata.go).
    #[test]
    fn loader_errors() {
        assert_eq!(err(vec![bf("values.yaml", "a: 1")]), "Chart.yaml file is missing");
        assert_eq!(err(vec![bf("Chart.yaml", "name: x\nversion: 1.0.0\n")]), "");
        assert_eq!(
            err(vec![bf("Chart.yaml", "apiVersion: v2\nversion: 1.0.0\n")]),
            "validation: chart.metadata.name is required"
        );
        assert_eq!(
            err(vec![bf("Chart.yaml", "apiVersion: v2\nname: x\n")]),
            "validation: chart.metadata.version is required"
        );
        assert_eq!(
            err(vec![bf("Chart.yaml", "apiVersion: v2\nname: x\nversion: 1\n"), bf("charts/sub/values.yaml", "a: 1")]),
            "error unpacking subchart sub in x: Chart.yaml file is missing"
        );
        assert_eq!(
            err(vec![bf("Chart.yaml", "apiVersion: v2\nname: x\nversion: 1\n"), bf("values.yaml", "- a\n")]),
            "cannot load values.yaml: cannot unmarshal yaml document: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}"
        );
        assert_eq!(
            err(vec![bf("Chart.yaml", "apiVersion: v2\nname: x\nversion: 1\n"), bf("values.yaml", "a: 1\n---x\n")]),
            "cannot load values.yaml: error reading yaml document: invalid Yaml document separator: x"
        );
    }

    // Oracle (helm-render, Helm 4.2.3): Chart.yaml decoding and validation messages.
    #[test]
    fn chart_yaml_like_helm() {
        let text = "apiVersion: v2\nname: md\nversion: 1.0\nappVersion: 1.10\ndescription: \"tab\\there\\u200bzero\"\nkeywords: [1, true, 2.50, x]\nannotations:\n  num: 3\n  bool: yes\n  float: 1.5e3\nmaintainers:\n  - name: A\n    email: a@x\n  - Name: B\n    URL: http://b\ndeprecated: yes\nhome: 12345678901\nkubeVersion: \">=1.0.0-0\"\nicon: 0.1\n";
        let chart = load_files(vec![bf("Chart.yaml", text)]).unwrap_or_default();
        let mut m = chart.metadata.as_map();
        m.insert("IsRoot".into(), Value::Bool(true));
        assert_eq!(
            Value::map(m).to_json().to_string(),
            r#"{"APIVersion":"v2","Annotations":{"bool":"true","float":"1500","num":"3"},"AppVersion":"1.1","Condition":"","Dependencies":[],"Deprecated":true,"Description":"tab herezero","Home":"12345678901","Icon":"0.1","IsRoot":true,"Keywords":["1","true","2.5","x"],"KubeVersion":">=1.0.0-0","Maintainers":[{"Email":"a@x","Name":"A","URL":""},{"Email":"","Name":"B","URL":"http://b"}],"Name":"md","Sources":[],"Tags":"","Type":"","Version":"1"}"#
        );
        let cases = [
            ("apiVersion: v2\nname: x\nversion: latest\n", "validation: chart.metadata.version \"latest\" is invalid"),
            ("apiVersion: v2\nname: x\nversion: 1.0.0\ndependencies:\n- name: a\n  alias: \"bad alias\"\n", "validation: dependency \"a\" has disallowed characters in the alias"),
            ("apiVersion: v2\nname: x\nversion: 1.0.0\nkeywords: foo\n", "cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go struct field Metadata.keywords of type []string"),
            ("apiVersion: v2\nname: x\nversion: 1.0.0\nmaintainers:\n- name: [1]\n", "cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go struct field Maintainer.maintainers.name of type string"),
            ("apiVersion: v2\nname: x\nversion: 1.0.0\ntype: weird\n", "validation: chart.metadata.type must be application or library"),
            ("apiVersion: v2\nname: x/y\nversion: 1.0.0\n", "validation: chart.metadata.name \"x/y\" is invalid"),
            ("apiVersion: v2\nname: x\nversion: 1.0.0\ndeprecated: maybe\n", "cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go struct field Metadata.deprecated of type bool"),
        ];
        for (text, want) in cases {
            assert_eq!(err(vec![bf("Chart.yaml", text)]), want, "{text}");
        }
    }

    #[test]
    fn sorts_files_into_the_chart() {
        let chart = load_files(vec![
            bf("Chart.yaml", "apiVersion: v1\nname: top\nversion: 1.0.0\n"),
            bf("requirements.yaml", "dependencies:\n- name: sub\n  version: 1.x\n"),
            bf("values.yaml", "a: 1\n---\nb: {c: 2}\n---\nb: {d: 3}\n"),
            bf("templates/a.yaml", "x"),
            bf("crds/c.yaml", "kind: CustomResourceDefinition"),
            bf("README.md", "hi"),
            bf("charts/sub/Chart.yaml", "apiVersion: v2\nname: sub\nversion: 1.2.0\n"),
            bf("charts/sub/templates/b.yaml", "y"),
            bf("charts/.hidden/whatever", "z"),
            bf("charts/sub-0.1.0.tgz.prov", "sig"),
        ]);
        let chart = match chart {
            Ok(c) => c,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(chart.metadata.dependencies.as_ref().map(Vec::len), Some(1));
        let files: Vec<&str> = chart.files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(files, ["requirements.yaml", "crds/c.yaml", "README.md", "charts/sub-0.1.0.tgz.prov"]);
        assert_eq!(chart.templates[0].name, "templates/a.yaml");
        assert_eq!(chart.dependencies.len(), 1);
        assert_eq!(chart.dependencies[0].metadata.name, "sub");
        // Multi-document values merge in order (Helm 4).
        assert_eq!(chart.values_map().to_string(), "map[a:1 b:map[c:2 d:3]]");
    }

    fn write(dir: &Path, name: &str, text: &str) {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        let _ = std::fs::write(path, text);
    }

    // .helmignore applies to the whole tree (subchart directories included), directory rules
    // prune whole subtrees, and dotfiles in templates/ are skipped by default. (Oracle: the same
    // tree rendered with `range .Files` in both charts by helm-render.)
    #[test]
    fn directory_with_helmignore() {
        let Ok(tmp) = tempfile::tempdir() else { return };
        let dir = tmp.path();
        write(dir, "Chart.yaml", "apiVersion: v2\nname: top\nversion: 1.0.0\n");
        write(dir, ".helmignore", "# comment\n*.tmp\nci/\n/root-only.txt\n");
        write(dir, "templates/a.yaml", "\u{FEFF}a: 1");
        write(dir, "templates/.hidden.yaml", "h");
        write(dir, "x.tmp", "t");
        write(dir, "ci/values.yaml", "v");
        write(dir, "root-only.txt", "r");
        write(dir, "docs/root-only.txt", "kept");
        write(dir, "charts/sub/Chart.yaml", "apiVersion: v2\nname: sub\nversion: 0.1.0\n");
        write(dir, "charts/sub/.helmignore", "*.md\n");
        write(dir, "charts/sub/README.md", "kept: only the top .helmignore counts");
        write(dir, "charts/sub/junk.tmp", "ignored by the top rules");
        let chart = match load_chart(dir) {
            Ok(c) => c,
            Err(e) => panic!("{e}"),
        };
        let files: Vec<&str> = chart.files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(files, [".helmignore", "docs/root-only.txt"]);
        assert_eq!(chart.templates.len(), 1);
        assert_eq!(chart.templates[0].text, "a: 1");
        let sub_files: Vec<&str> = chart.dependencies[0].files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(sub_files, [".helmignore", "README.md"]);

        // The corpus' streamspace case: a negated rule ignores Chart.yaml itself.
        write(dir, ".helmignore", "!README.md\n");
        assert_eq!(load_chart(dir).err().map(|e| e.to_string()).as_deref(), Some("Chart.yaml file is missing"));
        assert_eq!(
            load_chart(&dir.join("nope")).err().map(|e| e.to_string()),
            Some(format!("path {:?} not found", dir.join("nope").display().to_string()))
        );
    }

    #[test]
    fn subchart_archives() {
        let tgz = archive::tests::tgz(&[
            ("sub/Chart.yaml", b"apiVersion: v2\nname: sub\nversion: 0.1.0\n"),
            ("sub/templates/t.yaml", b"t"),
        ]);
        let chart = load_files(vec![
            bf("Chart.yaml", "apiVersion: v2\nname: top\nversion: 1.0.0\n"),
            BufferedFile { name: "charts/sub-0.1.0.tgz".into(), data: tgz },
        ]);
        let chart = chart.unwrap_or_default();
        assert_eq!(chart.dependencies.first().map(|c| c.metadata.name.as_str()), Some("sub"));
        assert_eq!(chart.dependencies[0].templates[0].name, "templates/t.yaml");
    }

    /// A `.tgz` of chart `c{level}` holding `charts/c{level+1}.tgz`, `depth` levels, plus
    /// `extra` bytes of incompressible-ish data in each level.
    fn chain(depth: usize, extra: usize) -> Vec<u8> {
        let mut inner: Option<Vec<u8>> = None;
        for level in (0..depth).rev() {
            let chart_yaml = format!("apiVersion: v2\nname: c{level}\nversion: 1.0.0\n");
            let pad: Vec<u8> = (0..extra).map(|i| (i * 7 + level) as u8).collect();
            let child_name = format!("c{level}/charts/c{}.tgz", level + 1);
            let mut files: Vec<(&str, &[u8])> = vec![("x/Chart.yaml", chart_yaml.as_bytes()), ("x/pad.bin", &pad)];
            let child = inner.take();
            if let Some(c) = &child {
                files.push((child_name.as_str(), c));
            }
            inner = Some(archive::tests::tgz(&files));
        }
        inner.unwrap_or_default()
    }

    #[test]
    fn nesting_depth_is_bounded() {
        assert!(load_archive(&chain(MAX_SUBCHART_DEPTH + 1, 0)).is_ok());
        let deep = load_archive(&chain(MAX_SUBCHART_DEPTH + 2, 0)).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(deep.ends_with("subcharts nested more than 64 levels deep; refused"), "{deep}");
    }

    // Each archive alone is within the budget; together they are not (Helm's per-archive
    // budget lets nesting multiply it).
    #[test]
    fn nested_archives_share_one_budget() {
        let data = chain(3, 1000);
        let mut roomy = Budget { remaining: 10_000 };
        let files = archive::load_archive_files(&data, &mut roomy.remaining).unwrap_or_default();
        assert!(load_files_within(files, &mut roomy, 0).is_ok());
        let mut tight = Budget { remaining: 2500 };
        let files = archive::load_archive_files(&data, &mut tight.remaining).unwrap_or_default();
        assert!(!files.is_empty(), "the outer archive alone fits");
        let e = load_files_within(files, &mut tight, 0).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(e.contains("decompressed chart is larger than the maximum size"), "{e}");
    }

    // Helm keys templates and `.Files` by name: a name given twice renders once, the last.
    #[test]
    fn duplicate_archive_entries_keep_the_last() {
        let tgz = archive::tests::tgz(&[
            ("c/Chart.yaml", b"apiVersion: v2\nname: c\nversion: 1.0.0\n"),
            ("c/templates/a.yaml", b"first"),
            ("c/templates/b.yaml", b"b"),
            ("c/templates/a.yaml", b"second"),
            ("c/f.txt", b"one"),
            ("c/f.txt", b"two"),
        ]);
        let chart = load_archive(&tgz).unwrap_or_default();
        let templates: Vec<(&str, &str)> = chart.templates.iter().map(|t| (t.name.as_str(), t.text.as_str())).collect();
        assert_eq!(templates, [("templates/b.yaml", "b"), ("templates/a.yaml", "second")]);
        let files: Vec<(&str, &[u8])> = chart.files.iter().map(|f| (f.name.as_str(), f.data.as_slice())).collect();
        assert_eq!(files, [("f.txt", &b"two"[..])]);
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_leaving_the_chart_are_refused_inside_ones_work() {
        let Ok(tmp) = tempfile::tempdir() else { return };
        let dir = tmp.path().join("c");
        write(&dir, "Chart.yaml", "apiVersion: v2\nname: c\nversion: 1.0.0\n");
        write(&dir, "files/a.yaml", "inside");
        write(tmp.path(), "secret.txt", "SECRET");
        let _ = std::fs::create_dir_all(dir.join("templates"));
        let _ = std::os::unix::fs::symlink("../files/a.yaml", dir.join("templates/a.yaml"));
        let chart = load_chart(&dir).unwrap_or_default();
        assert_eq!(chart.templates.first().map(|t| t.text.as_str()), Some("inside"));
        let _ = std::os::unix::fs::symlink(tmp.path().join("secret.txt"), dir.join("values.yaml"));
        let e = load_chart(&dir).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(e.starts_with("symlink values.yaml points to "), "{e}");
        assert!(e.contains("secret.txt, outside the chart directory"), "{e}");
    }
}
