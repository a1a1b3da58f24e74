//! `.plimsoll.yaml`: found by walking up from the first target (or given with `--config`),
//! validated against `schemas/config.schema.json` with errors pointing at the offending key.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;

use crate::finding::Severity;
use crate::source::{display_path, SourceFile, Sources};
use crate::yaml::{self, NodeRef};

pub const FILE_NAMES: &[&str] = &[".plimsoll.yaml", ".plimsoll.yml"];
const SCHEMA: &str = include_str!("../schemas/config.schema.json");

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

impl FailOn {
    pub fn fails(self, severity: Severity) -> bool {
        match self {
            FailOn::Never => false,
            FailOn::Info => true,
            FailOn::Warning => severity >= Severity::Warning,
            FailOn::Error => severity >= Severity::Error,
        }
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Config {
    #[serde(default)]
    pub enable: Vec<String>,
    #[serde(default)]
    pub disable: Vec<String>,
    #[serde(default)]
    pub severity: BTreeMap<String, Severity>,
    #[serde(default)]
    pub exclude: Vec<String>,
    #[serde(default)]
    pub rules_dirs: Vec<PathBuf>,
    /// Directories of CustomResourceDefinitions for `schema-invalid`.
    #[serde(default)]
    pub crd_dirs: Vec<PathBuf>,
    #[serde(default)]
    pub options: BTreeMap<String, serde_json::Value>,
    pub fail_on: Option<FailOn>,
    /// Findings to drop by chart or path, rule and object (third-party charts users cannot
    /// annotate); see [`crate::ignore`].
    #[serde(default)]
    pub ignore: Vec<IgnoreEntry>,
    /// Where the config came from (for messages and relative paths).
    #[serde(skip)]
    pub path: Option<PathBuf>,
}

/// One `ignore:` entry. It applies to a finding when every part it states matches; the
/// schema requires at least one of `path`, `rules` and `objects`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct IgnoreEntry {
    /// Glob relative to the config file's directory, matched against the finding's file and
    /// the chart directory of its object; also matches everything below what it names.
    pub path: Option<String>,
    /// Rule ids; empty means every rule.
    #[serde(default)]
    pub rules: Vec<String>,
    /// Globs over `Kind/name` or `Kind/namespace/name`; empty means any finding.
    #[serde(default)]
    pub objects: Vec<String>,
    /// Why (for people; not used).
    pub reason: Option<String>,
}

/// Find the config for `start` (a file or directory): the nearest `.plimsoll.yaml` upwards.
pub fn find(start: &Path) -> Option<PathBuf> {
    let start = std::fs::canonicalize(start).ok()?;
    let mut dir = if start.is_dir() { Some(start.as_path()) } else { start.parent() };
    while let Some(d) = dir {
        for name in FILE_NAMES {
            let candidate = d.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
        dir = d.parent();
    }
    None
}

/// Load and validate a config file. Errors read `file:line:col: message`.
pub fn load(path: &Path) -> Result<Config, String> {
    let name = display_path(path);
    let text = crate::fsread::read_to_string(path).map_err(|e| format!("{name}: {e}"))?;
    let mut config = parse(&name, &text)?;
    let base = path.parent().unwrap_or(Path::new("."));
    config.rules_dirs = config.rules_dirs.iter().map(|d| base.join(d)).collect();
    config.crd_dirs = config.crd_dirs.iter().map(|d| base.join(d)).collect();
    config.path = Some(path.to_path_buf());
    Ok(config)
}

pub fn parse(name: &str, text: &str) -> Result<Config, String> {
    let mut sources = Sources::default();
    let file = sources.add(SourceFile::new(name.to_string(), None, Arc::from(text)));
    let docs = yaml::parse_stream(file, text);
    let doc = match docs.into_iter().find(|d| d.as_ref().map_or(true, |d| !d.is_empty())) {
        None => return Ok(Config::default()),
        Some(Err(e)) => return Err(at(&sources, e.span, &e.message)),
        Some(Ok(doc)) => doc,
    };
    let Some(root) = doc.root() else { return Ok(Config::default()) };
    let value = root.to_json();
    let schema: serde_json::Value =
        serde_json::from_str(SCHEMA).map_err(|e| format!("internal: config schema: {e}"))?;
    let validator = jsonschema::validator_for(&schema).map_err(|e| format!("internal: config schema: {e}"))?;
    if let Some(err) = validator.iter_errors(&value).next() {
        let pointer = err.instance_path().to_string();
        let node = node_at_pointer(root, &pointer).unwrap_or(root);
        return Err(at(
            &sources,
            node.span(),
            &format!("invalid configuration at `{}`: {err}", if pointer.is_empty() { "/" } else { &pointer }),
        ));
    }
    let config: Config = serde_json::from_value(value).map_err(|e| format!("{name}: {e}"))?;
    // Globs are compiled here too, so a bad one is reported at its line, not at run time.
    if let Err((pointer, message)) = crate::ignore::validate(&config.ignore) {
        let node = node_at_pointer(root, &pointer).unwrap_or(root);
        return Err(at(&sources, node.span(), &message));
    }
    Ok(config)
}

fn at(sources: &Sources, span: crate::source::Span, message: &str) -> String {
    let loc = sources.location(span);
    format!("{}:{}:{}: {message}", loc.file, loc.line, loc.column)
}

/// Walk a JSON pointer (`/a/0/b`) through the YAML tree. For a key that is present, the
/// entry's key node is returned (that is the line a person edits).
pub fn node_at_pointer<'a>(root: NodeRef<'a>, pointer: &str) -> Option<NodeRef<'a>> {
    let mut node = root;
    let mut last_key = None;
    for raw in pointer.split('/').skip(1) {
        let seg = raw.replace("~1", "/").replace("~0", "~");
        if node.is_sequence() {
            node = node.items().nth(seg.parse().ok()?)?;
            last_key = None;
        } else {
            let (k, v) = node.entry(&seg)?;
            node = v;
            last_key = Some(k);
        }
    }
    // Scalars: point at the value. Collections: at their key.
    Some(if node.is_scalar() { node } else { last_key.unwrap_or(node) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_full_config() {
        let c = parse(
            ".plimsoll.yaml",
            "enable: [a]\ndisable: [b]\nseverity: {c: info}\nexclude: ['vendor/**']\nrulesDirs: [policies]\noptions:\n  resources-missing: {require: [limits.cpu]}\nfailOn: warning\n",
        )
        .unwrap();
        assert_eq!(c.enable, ["a"]);
        assert_eq!(c.severity["c"], Severity::Info);
        assert_eq!(c.fail_on, Some(FailOn::Warning));
        assert_eq!(c.options["resources-missing"]["require"][0], "limits.cpu");
    }

    #[test]
    fn errors_point_at_the_offending_key() {
        let err = parse("c.yaml", "enable: [a]\nseverity:\n  x: fatal\n").unwrap_err();
        assert!(err.starts_with("c.yaml:3:6:"), "{err}");
        let err = parse("c.yaml", "enable: [a]\nunknownKey: 1\n").unwrap_err();
        assert!(err.starts_with("c.yaml:1:1:") || err.contains("unknownKey"), "{err}");
        let err = parse("c.yaml", "enable: [a\n").unwrap_err();
        assert!(err.starts_with("c.yaml:"), "{err}");
    }

    #[test]
    fn ignore_entries_parse_and_bad_ones_point_at_their_line() {
        let c = parse(
            "c.yaml",
            "ignore:\n  - path: charts/vendor/redis\n    rules: [run-as-root-allowed]\n    objects: ['StatefulSet/*-master']\n    reason: vendored\n  - rules: [pdb-missing]\n",
        )
        .unwrap();
        assert_eq!(c.ignore.len(), 2);
        assert_eq!(c.ignore[0].path.as_deref(), Some("charts/vendor/redis"));
        assert_eq!(c.ignore[0].objects, ["StatefulSet/*-master"]);
        assert_eq!(c.ignore[1].rules, ["pdb-missing"]);
        // Only a reason: the entry would ignore everything.
        let err = parse("c.yaml", "ignore:\n  - reason: everything\n").unwrap_err();
        assert!(err.starts_with("c.yaml:2:") && err.contains("/ignore/0"), "{err}");
        let err = parse("c.yaml", "ignore:\n  - path: a\n    paths: b\n").unwrap_err();
        assert!(err.contains("/ignore/0"), "{err}");
        let err = parse("c.yaml", "ignore:\n  - path: ok\n  - objects: ['Deployment/[web']\n").unwrap_err();
        assert!(err.starts_with("c.yaml:3:15:") && err.contains("Deployment/[web"), "{err}");
        let err = parse("c.yaml", "ignore:\n  - path: 'charts/{a'\n").unwrap_err();
        assert!(err.starts_with("c.yaml:2:11:"), "{err}");
    }

    #[test]
    fn empty_config_is_default() {
        let c = parse("c.yaml", "# nothing\n").unwrap();
        assert!(c.enable.is_empty() && c.fail_on.is_none());
    }

    #[test]
    fn fail_on_thresholds() {
        assert!(FailOn::Warning.fails(Severity::Error));
        assert!(FailOn::Warning.fails(Severity::Warning));
        assert!(!FailOn::Warning.fails(Severity::Info));
        assert!(!FailOn::Never.fails(Severity::Error));
        assert!(FailOn::Info.fails(Severity::Info));
    }
}
