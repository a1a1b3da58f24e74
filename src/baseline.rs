//! Baselines: how a team adopts plimsoll on a large existing repo. `--write-baseline FILE`
//! records every current finding; `--baseline FILE` then reports only findings that are not
//! recorded, so CI fails on what a change introduces, not on years of history.
//!
//! A recorded finding is identified by what survives unrelated edits: rule, file, object
//! (kind, namespace, name), the `.Values` path behind a chart finding, and the trimmed text of
//! its line. Not the line number (adding lines above must not make a finding new), not the
//! message (it holds counts and names that change), not the apiVersion (an API migration
//! must not resurface everything). Identical identities are counted: an entry with
//! `count: 2` absorbs two matching findings and a third is new.
//!
//! The file is pretty, sorted JSON (reviewable in a diff), described by
//! `schemas/baseline.schema.json` and validated against it on read.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::finding::Finding;
use crate::source::{display_path, relative_to, resolve, slash_path, FileId, Sources};

/// Format version written to and required in the file.
pub const VERSION: u64 = 1;
const TOOL: &str = "plimsoll";
const SCHEMA: &str = include_str!("../schemas/baseline.schema.json");
/// Lines longer than this (minified JSON, long flow mappings) are cut, so the file stays
/// readable; a hash of the whole line keeps distinct long lines distinct.
const MAX_LINE_CHARS: usize = 160;
const KEPT_LINE_CHARS: usize = 120;

/// The identity of a finding in a baseline. Field order is the file's sort order: by file,
/// then object, so the entries of one file and object sit together.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key {
    pub file: String,
    pub object: Option<String>,
    pub rule: String,
    pub values_path: Option<String>,
    pub line: String,
}

/// Accepted findings: identity → how many.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Baseline {
    pub entries: BTreeMap<Key, usize>,
}

/// One entry as written (field order is the order in the file).
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Entry {
    rule: String,
    file: String,
    #[serde(default)]
    object: Option<String>,
    #[serde(default)]
    values_path: Option<String>,
    line: String,
    count: usize,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineFile {
    version: u64,
    #[serde(default)]
    tool: Option<String>,
    findings: Vec<Entry>,
}

/// What filtering by a baseline did.
#[derive(Debug)]
pub struct Filtered {
    /// Findings the baseline does not account for: these are reported.
    pub kept: Vec<Finding>,
    /// Findings the baseline absorbed.
    pub matched: usize,
    /// Accepted findings that did not occur: fixed, or moved beyond recognition. Counted per
    /// occurrence, not per entry: an unused `count` is slack that would let the same number of
    /// new identical findings through unnoticed, so it is worth a rewrite too.
    pub stale: usize,
}

/// Computes [`Key`]s for one run, remembering each file's baseline name (resolving a path
/// touches the filesystem, and big runs have many findings per file).
pub struct Keyer<'a> {
    sources: &'a Sources,
    /// The baseline file's directory, resolved; file names are stored relative to it.
    base: PathBuf,
    files: HashMap<FileId, String>,
}

impl<'a> Keyer<'a> {
    /// Keys for findings of `sources`, with file names relative to `baseline`'s directory.
    pub fn new(sources: &'a Sources, baseline: &Path) -> Self {
        let dir = baseline.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        Keyer { sources, base: resolve(dir), files: HashMap::new() }
    }

    /// The identity of `f`.
    pub fn key(&mut self, f: &Finding) -> Key {
        let file = self.sources.get(f.span.file);
        let line = line_key(file.line_text(file.line_index(f.span.start)));
        Key {
            file: self.file_name(f.span.file),
            object: f.object.as_ref().map(|o| o.to_string()),
            rule: f.rule.clone(),
            values_path: f.values_path.as_deref().map(str::to_string),
            line,
        }
    }

    /// A file's name in the baseline: relative to the baseline's directory when it is a file
    /// on disk, so the baseline matches from any working directory; else as shown (`<stdin>`,
    /// a rendered chart stream, a file inside a `.tgz`).
    fn file_name(&mut self, id: FileId) -> String {
        let sources = self.sources;
        let base = &self.base;
        self.files
            .entry(id)
            .or_insert_with(|| {
                let shown = &sources.get(id).name;
                let path = Path::new(shown);
                let relative = path.is_file().then(|| resolve(path)).and_then(|p| relative_to(&p, base));
                match relative {
                    Some(rel) => slash_path(&rel),
                    None => shown.replace('\\', "/"),
                }
            })
            .clone()
    }
}

/// A line as stored: trimmed (indentation changes when a block moves), and cut with a hash
/// of the whole when very long.
pub fn line_key(line: &str) -> String {
    let line = line.trim();
    if line.chars().count() <= MAX_LINE_CHARS {
        return line.to_string();
    }
    let head: String = line.chars().take(KEPT_LINE_CHARS).collect();
    format!("{head}… #{:016x}", fnv1a(line.as_bytes()))
}

/// FNV-1a, 64 bit: stable across platforms and releases (unlike `DefaultHasher`).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3))
}

impl Baseline {
    /// The baseline accepting exactly `findings`.
    pub fn from_findings(findings: &[Finding], keyer: &mut Keyer<'_>) -> Baseline {
        let mut entries = BTreeMap::new();
        for f in findings {
            *entries.entry(keyer.key(f)).or_insert(0) += 1;
        }
        Baseline { entries }
    }

    /// Accepted findings, counting repeats.
    pub fn len(&self) -> usize {
        self.entries.values().sum()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Drop the findings the baseline accounts for. Findings come sorted, so which of several
    /// identical ones are absorbed is deterministic (the first ones).
    pub fn filter(&self, findings: Vec<Finding>, keyer: &mut Keyer<'_>) -> Filtered {
        let mut left: HashMap<&Key, usize> = self.entries.iter().map(|(k, n)| (k, *n)).collect();
        let mut matched = 0;
        let mut kept = Vec::with_capacity(findings.len());
        for f in findings {
            let key = keyer.key(&f);
            match left.get_mut(&key) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    matched += 1;
                }
                _ => kept.push(f),
            }
        }
        Filtered { kept, matched, stale: left.values().sum() }
    }

    /// The file's text: pretty JSON, entries in [`Key`] order, ending in a newline.
    pub fn to_json(&self) -> String {
        let findings = self
            .entries
            .iter()
            .map(|(k, &count)| Entry {
                rule: k.rule.clone(),
                file: k.file.clone(),
                object: k.object.clone(),
                values_path: k.values_path.clone(),
                line: k.line.clone(),
                count,
            })
            .collect();
        let file = BaselineFile { version: VERSION, tool: Some(TOOL.to_string()), findings };
        // Serialising plain strings and numbers cannot fail.
        serde_json::to_string_pretty(&file).unwrap_or_default() + "\n"
    }

    /// Parse and validate a baseline's text. Errors name the offending JSON pointer.
    pub fn parse(text: &str) -> Result<Baseline, String> {
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))?;
        let schema: serde_json::Value =
            serde_json::from_str(SCHEMA).map_err(|e| format!("internal: baseline schema: {e}"))?;
        let validator = jsonschema::validator_for(&schema).map_err(|e| format!("internal: baseline schema: {e}"))?;
        if let Some(err) = validator.iter_errors(&value).next() {
            let pointer = err.instance_path().to_string();
            let at = if pointer.is_empty() { "/" } else { &pointer };
            return Err(format!("invalid baseline at `{at}`: {err}"));
        }
        let file: BaselineFile = serde_json::from_value(value).map_err(|e| format!("invalid baseline: {e}"))?;
        let mut entries = BTreeMap::new();
        for e in file.findings {
            let key = Key { file: e.file, object: e.object, rule: e.rule, values_path: e.values_path, line: e.line };
            // A hand-merged file may repeat an identity: the counts add up.
            *entries.entry(key).or_insert(0) += e.count;
        }
        Ok(Baseline { entries })
    }

    /// Read a baseline file; errors read `FILE: message`.
    pub fn read(path: &Path) -> Result<Baseline, String> {
        let name = display_path(path);
        let text = crate::fsread::read_to_string(path).map_err(|e| format!("{name}: {e}"))?;
        Baseline::parse(&text).map_err(|e| format!("{name}: {e}"))
    }

    /// Write the baseline file; errors read `FILE: message`.
    pub fn write(&self, path: &Path) -> Result<(), String> {
        std::fs::write(path, self.to_json()).map_err(|e| format!("{}: {e}", display_path(path)))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::finding::{ObjectIdent, Severity};
    use crate::source::{SourceFile, Span};

    const POD: &str =
        "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n    - image: nginx:latest\n";

    /// A run with one file named `name` (not on disk) holding `text`.
    fn sources(name: &str, text: &str) -> Sources {
        let mut s = Sources::default();
        s.add(SourceFile::new(name.to_string(), None, Arc::from(text)));
        s
    }

    /// A finding of `rule` on the first occurrence of `needle` in file 0.
    fn finding(sources: &Sources, rule: &str, needle: &str, message: &str, api_version: &str) -> Finding {
        let text = &sources.get(FileId(0)).text;
        let start = text.find(needle).expect("needle in text") as u32;
        Finding {
            rule: rule.to_string(),
            severity: Severity::Warning,
            message: message.to_string(),
            span: Span::new(FileId(0), start, start + needle.len() as u32),
            object: Some(Arc::new(ObjectIdent {
                api_version: api_version.to_string(),
                kind: "Pod".into(),
                name: Some("web".into()),
                namespace: Some("prod".into()),
            })),
            related: Vec::new(),
            help: None,
            object_index: Some(0),
            values_path: None,
            missing: Vec::new(),
            missing_at_anchor: false,
        }
    }

    fn key(sources: &Sources, f: &Finding) -> Key {
        Keyer::new(sources, Path::new("/nonexistent/baseline.json")).key(f)
    }

    #[test]
    fn fingerprint_ignores_line_numbers_messages_and_api_version() {
        let before = sources("mem/pod.yaml", POD);
        let after =
            sources("mem/pod.yaml", &format!("# added\n\n# lines\n{}", POD.replace("    - image", "      - image")));
        let a = key(&before, &finding(&before, "image-tag-latest", "nginx:latest", "found 1 thing", "v1"));
        let b = key(&after, &finding(&after, "image-tag-latest", "nginx:latest", "found 2 things", "v2"));
        assert_eq!(a, b);
        assert_eq!(a.line, "- image: nginx:latest");
        assert_eq!(a.object.as_deref(), Some("Pod prod/web"));
        assert_eq!(a.file, "mem/pod.yaml", "a name that is not a file is kept as shown");
    }

    #[test]
    fn fingerprint_changes_with_rule_line_text_object_and_values_path() {
        let s = sources("mem/pod.yaml", POD);
        let base = finding(&s, "image-tag-latest", "nginx:latest", "m", "v1");
        let k = key(&s, &base);
        let mut other_rule = base.clone();
        other_rule.rule = "image-pull-policy-not-always".into();
        assert_ne!(key(&s, &other_rule), k);
        let edited = sources("mem/pod.yaml", &POD.replace("nginx:latest", "nginx:1.27"));
        assert_ne!(key(&edited, &finding(&edited, "image-tag-latest", "nginx:1.27", "m", "v1")), k);
        let mut renamed = base.clone();
        renamed.object = Some(Arc::new(ObjectIdent {
            api_version: "v1".into(),
            kind: "Pod".into(),
            name: Some("api".into()),
            namespace: Some("prod".into()),
        }));
        assert_ne!(key(&s, &renamed), k);
        let mut with_values = base.clone();
        with_values.values_path = Some(Arc::from("image.tag"));
        assert_ne!(key(&s, &with_values), k);
    }

    #[test]
    fn counts_absorb_exactly_n() {
        let s = sources("mem/pod.yaml", POD);
        let f = finding(&s, "image-tag-latest", "nginx:latest", "m", "v1");
        let mut keyer = Keyer::new(&s, Path::new("baseline.json"));
        let baseline = Baseline::from_findings(&[f.clone(), f.clone()], &mut keyer);
        assert_eq!(baseline.entries.values().copied().collect::<Vec<_>>(), [2]);
        assert_eq!(baseline.len(), 2);

        let out = baseline.filter(vec![f.clone(), f.clone(), f.clone()], &mut keyer);
        assert_eq!((out.kept.len(), out.matched, out.stale), (1, 2, 0));
        let out = baseline.filter(vec![f.clone(), f.clone()], &mut keyer);
        assert_eq!((out.kept.len(), out.matched, out.stale), (0, 2, 0));
    }

    #[test]
    fn stale_entries_are_counted() {
        let s = sources("mem/pod.yaml", POD);
        let latest = finding(&s, "image-tag-latest", "nginx:latest", "m", "v1");
        let named = finding(&s, "some-rule", "name: web", "m", "v1");
        let mut keyer = Keyer::new(&s, Path::new("baseline.json"));
        let baseline = Baseline::from_findings(&[latest.clone(), latest.clone(), named.clone()], &mut keyer);
        // One `latest` fixed, `named` gone: two accepted findings no longer occur.
        let out = baseline.filter(vec![latest.clone()], &mut keyer);
        assert_eq!((out.kept.len(), out.matched, out.stale), (0, 1, 2));
        assert_eq!(baseline.filter(Vec::new(), &mut keyer).stale, 3);
    }

    #[test]
    fn file_names_are_relative_to_the_baseline_directory() {
        let dir = tempfile::tempdir().unwrap();
        let chart = dir.path().join("charts/web");
        std::fs::create_dir_all(&chart).unwrap();
        let file = chart.join("values.yaml");
        std::fs::write(&file, POD).unwrap();
        let s = sources(&file.to_string_lossy(), POD);
        let f = finding(&s, "image-tag-latest", "nginx:latest", "m", "v1");
        let beside = Keyer::new(&s, &dir.path().join("baseline.json")).key(&f);
        assert_eq!(beside.file, "charts/web/values.yaml");
        let elsewhere = Keyer::new(&s, &dir.path().join("ci/baseline.json")).key(&f);
        assert_eq!(elsewhere.file, "../charts/web/values.yaml");
    }

    #[test]
    fn round_trips_sorted_and_rejects_malformed_files() {
        let s = sources("mem/pod.yaml", POD);
        let mut keyer = Keyer::new(&s, Path::new("baseline.json"));
        let findings = [
            finding(&s, "z-rule", "nginx:latest", "m", "v1"),
            finding(&s, "a-rule", "name: web", "m", "v1"),
            finding(&s, "a-rule", "name: web", "m", "v1"),
        ];
        let baseline = Baseline::from_findings(&findings, &mut keyer);
        let text = baseline.to_json();
        assert_eq!(Baseline::parse(&text).unwrap(), baseline);
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value["version"], 1);
        assert_eq!(value["findings"][0]["rule"], "a-rule");
        assert_eq!(value["findings"][0]["count"], 2);
        assert_eq!(value["findings"][1]["line"], "- image: nginx:latest");
        // The same findings in another order give the same bytes.
        let reversed: Vec<Finding> = findings.iter().rev().cloned().collect();
        assert_eq!(Baseline::from_findings(&reversed, &mut keyer).to_json(), text);

        assert!(Baseline::parse("{").unwrap_err().contains("not valid JSON"));
        let err =
            Baseline::parse(r#"{"version": 1, "findings": [{"rule": "r", "file": "f", "line": "l", "count": 0}]}"#)
                .unwrap_err();
        assert!(err.contains("/findings/0/count"), "{err}");
        assert!(Baseline::parse(r#"{"version": 2, "findings": []}"#).is_err());
        assert!(Baseline::parse(r#"{"version": 1, "findings": [], "extra": true}"#).is_err());
    }

    #[test]
    fn long_lines_are_cut_with_a_hash() {
        let long = format!("{{\"a\": \"{}\"}}", "x".repeat(300));
        let other = format!("{{\"a\": \"{}y\"}}", "x".repeat(300));
        let (a, b) = (line_key(&long), line_key(&other));
        assert!(a.chars().count() < 160 && a.starts_with("{\"a\": \"xxx"), "{a}");
        assert_ne!(a, b);
        assert_eq!(line_key("   short: line  "), "short: line");
    }
}
