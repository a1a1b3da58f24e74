//! Config `ignore:` entries: drop findings by chart or path, rule and object. Annotations and
//! `# plimsoll:ignore` comments need an editable source; a vendored third-party chart has
//! none worth editing, so its owner says in `.plimsoll.yaml` what to ignore there:
//!
//! ```yaml
//! ignore:
//!   - path: charts/vendor/redis
//!     rules: [run-as-root-allowed]
//!     objects: ["StatefulSet/*-redis-master"]
//!     reason: vendored chart
//! ```
//!
//! Config paths are relative to the config file, findings' paths to the working directory:
//! both are resolved to absolute paths and findings are matched relative to the config's
//! directory, so the result does not depend on where plimsoll runs.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use crate::charts::RunContext;
use crate::config::IgnoreEntry;
use crate::finding::{Finding, ObjectIdent};
use crate::model::ObjectSet;
use crate::source::{relative_to, resolve, FileId, Sources};

/// The compiled `ignore:` entries of a config.
pub struct Ignores {
    /// The config file's directory, resolved: relative `path` globs are relative to it.
    base: PathBuf,
    entries: Vec<Matcher>,
}

struct Matcher {
    path: Option<PathGlob>,
    /// Empty (or `all`): every rule.
    rules: Vec<String>,
    /// `None`: any finding, with or without an object.
    objects: Option<GlobSet>,
}

struct PathGlob {
    /// Matched against absolute paths instead of paths relative to the config directory.
    absolute: bool,
    set: GlobSet,
}

/// A path a finding is at (its file, or its object's chart directory), both ways a glob may
/// want it.
struct Place {
    absolute: PathBuf,
    /// Relative to the config directory; `None` outside it (relative globs never reach out).
    relative: Option<PathBuf>,
}

/// `*` stays within one path segment (or one part of `Kind/namespace/name`); `**` crosses.
fn glob_set<S: AsRef<str>>(patterns: impl IntoIterator<Item = S>) -> Result<GlobSet, String> {
    let mut builder = GlobSetBuilder::new();
    for p in patterns {
        let glob = GlobBuilder::new(p.as_ref()).literal_separator(true).build().map_err(|e| e.to_string())?;
        builder.add(glob);
    }
    builder.build().map_err(|e| e.to_string())
}

/// A `path` glob: the path itself and everything below it, so `charts/vendor/redis` covers
/// the chart's files as well as its directory.
fn path_glob(pattern: &str) -> Result<PathGlob, String> {
    let text = pattern.replace('\\', "/");
    let absolute = text.starts_with('/') || Path::new(&text).is_absolute();
    let mut p = text.as_str();
    while let Some(rest) = p.strip_prefix("./") {
        p = rest;
    }
    let p = p.trim_end_matches('/');
    let set = if p.is_empty() || p == "." {
        glob_set([if absolute { "/**" } else { "**" }])?
    } else {
        glob_set([p.to_string(), format!("{p}/**")])?
    };
    Ok(PathGlob { absolute, set })
}

/// Check every glob of `entries`. The error is (JSON pointer of the bad glob, message), so the
/// config loader can point at its line.
pub fn validate(entries: &[IgnoreEntry]) -> Result<(), (String, String)> {
    for (i, e) in entries.iter().enumerate() {
        if let Some(p) = &e.path {
            path_glob(p).map_err(|m| (format!("/ignore/{i}/path"), format!("invalid `ignore` path glob: {m}")))?;
        }
        for (j, o) in e.objects.iter().enumerate() {
            glob_set([o])
                .map_err(|m| (format!("/ignore/{i}/objects/{j}"), format!("invalid `ignore` object glob: {m}")))?;
        }
    }
    Ok(())
}

impl Ignores {
    /// Compile `entries`; relative paths are relative to `base` (the config's directory).
    pub fn new(entries: &[IgnoreEntry], base: &Path) -> Result<Ignores, String> {
        let entries = entries
            .iter()
            .map(|e| {
                Ok(Matcher {
                    path: e.path.as_deref().map(path_glob).transpose()?,
                    rules: e.rules.clone(),
                    objects: if e.objects.is_empty() { None } else { Some(glob_set(&e.objects)?) },
                })
            })
            .collect::<Result<Vec<_>, String>>()
            .map_err(|m| format!("invalid `ignore` glob: {m}"))?;
        Ok(Ignores { base: resolve(base), entries })
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Drop the findings some entry matches; returns how many were dropped.
    pub fn apply(&self, findings: &mut Vec<Finding>, sources: &Sources, set: &ObjectSet, run: &RunContext) -> usize {
        if self.entries.is_empty() {
            return 0;
        }
        let before = findings.len();
        // Resolving touches the filesystem: once per file and per chart directory.
        let mut files: HashMap<FileId, Place> = HashMap::new();
        let mut chart_dirs: HashMap<PathBuf, Place> = HashMap::new();
        findings.retain(|f| {
            let file = files.entry(f.span.file).or_insert_with(|| self.place(&file_path(f.span.file, sources, run)));
            let chart = f
                .object_index
                .and_then(|i| run.chart_of(&set.objects[i]))
                .map(|unit| &*chart_dirs.entry(unit.dir.clone()).or_insert_with(|| self.place(&unit.dir)));
            let places: Vec<&Place> = std::iter::once(&*file).chain(chart).collect();
            let objects = object_names(f.object.as_deref());
            !self.entries.iter().any(|m| m.matches(f, &places, &objects))
        });
        before - findings.len()
    }

    fn place(&self, path: &Path) -> Place {
        let absolute = resolve(path);
        let relative = relative_to(&absolute, &self.base).filter(|r| !r.starts_with(".."));
        Place { absolute, relative }
    }
}

impl Matcher {
    fn matches(&self, f: &Finding, places: &[&Place], objects: &[String]) -> bool {
        let path_ok = self.path.as_ref().is_none_or(|g| {
            places.iter().any(|p| {
                if g.absolute {
                    g.set.is_match(&p.absolute)
                } else {
                    p.relative.as_ref().is_some_and(|r| g.set.is_match(r))
                }
            })
        });
        let rule_ok = self.rules.is_empty() || self.rules.iter().any(|r| *r == f.rule || r == "all");
        let object_ok = self.objects.as_ref().is_none_or(|g| objects.iter().any(|o| g.is_match(o)));
        path_ok && rule_ok && object_ok
    }
}

/// The path on disk a finding's file stands for: a chart's rendered stream stands for the
/// chart directory; anything else is its shown name (relative to the working directory).
fn file_path(id: FileId, sources: &Sources, run: &RunContext) -> PathBuf {
    match run.charts.iter().find(|c| c.stream == Some(id)) {
        Some(unit) => unit.dir.clone(),
        None => PathBuf::from(&sources.get(id).name),
    }
}

/// The names `objects` globs match: `Kind/name`, and `Kind/namespace/name` when the object
/// has a namespace. No object: no names, so only entries without `objects` apply.
fn object_names(object: Option<&ObjectIdent>) -> Vec<String> {
    let Some(o) = object else { return Vec::new() };
    let name = o.name.as_deref().unwrap_or("<unnamed>");
    let mut names = vec![format!("{}/{name}", o.kind)];
    if let Some(ns) = &o.namespace {
        names.push(format!("{}/{ns}/{name}", o.kind));
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: Option<&str>, rules: &[&str], objects: &[&str]) -> IgnoreEntry {
        IgnoreEntry {
            path: path.map(str::to_string),
            rules: rules.iter().map(|s| s.to_string()).collect(),
            objects: objects.iter().map(|s| s.to_string()).collect(),
            reason: None,
        }
    }

    fn place(rel: &str) -> Place {
        Place { absolute: PathBuf::from("/repo").join(rel), relative: Some(PathBuf::from(rel)) }
    }

    fn finding(rule: &str, object: Option<(&str, Option<&str>, &str)>) -> Finding {
        Finding {
            rule: rule.into(),
            severity: crate::finding::Severity::Warning,
            message: String::new(),
            span: crate::source::Span::new(FileId(0), 0, 0),
            object: object.map(|(kind, ns, name)| {
                std::sync::Arc::new(ObjectIdent {
                    api_version: "v1".into(),
                    kind: kind.into(),
                    name: Some(name.into()),
                    namespace: ns.map(str::to_string),
                })
            }),
            related: Vec::new(),
            help: None,
            object_index: None,
            values_path: None,
            missing: Vec::new(),
            missing_at_anchor: false,
        }
    }

    fn matches(e: IgnoreEntry, f: &Finding, places: &[&Place]) -> bool {
        let ignores = Ignores::new(&[e], Path::new("/repo")).unwrap();
        ignores.entries[0].matches(f, places, &object_names(f.object.as_deref()))
    }

    #[test]
    fn a_plain_path_covers_everything_below_it() {
        let f = finding("r", None);
        let values = place("charts/vendor/redis/values.yaml");
        assert!(matches(entry(Some("charts/vendor/redis"), &[], &[]), &f, &[&values]));
        assert!(matches(entry(Some("./charts/vendor/redis/"), &[], &[]), &f, &[&values]));
        assert!(matches(entry(Some("charts/*/redis"), &[], &[]), &f, &[&values]));
        assert!(matches(entry(Some("charts/**/values.yaml"), &[], &[]), &f, &[&values]));
        assert!(!matches(entry(Some("charts/vendor/red"), &[], &[]), &f, &[&values]));
        assert!(!matches(entry(Some("charts/*"), &[], &[]), &f, &[&place("other/charts/x.yaml")]));
        assert!(matches(entry(Some("/repo/charts"), &[], &[]), &f, &[&values]), "absolute globs match absolute paths");
        // Outside the config directory relative globs never apply.
        let outside = Place { absolute: PathBuf::from("/elsewhere/x.yaml"), relative: None };
        assert!(!matches(entry(Some("**"), &[], &[]), &f, &[&outside]));
    }

    #[test]
    fn rules_and_objects_narrow_an_entry() {
        let redis = finding("run-as-root-allowed", Some(("StatefulSet", Some("db"), "rel-redis-master")));
        let here = place("charts/vendor/redis/templates/master.yaml");
        assert!(matches(entry(None, &["run-as-root-allowed"], &[]), &redis, &[&here]));
        assert!(!matches(entry(None, &["pdb-missing"], &[]), &redis, &[&here]));
        assert!(matches(entry(None, &[], &["StatefulSet/*-redis-master"]), &redis, &[&here]));
        assert!(matches(entry(None, &[], &["StatefulSet/db/*"]), &redis, &[&here]));
        assert!(!matches(entry(None, &[], &["StatefulSet/*"]), &finding("r", None), &[&here]), "no object");
        assert!(!matches(entry(None, &[], &["Deployment/*"]), &redis, &[&here]));
        // `*` does not cross the `/` between namespace and name.
        assert!(!matches(entry(None, &[], &["StatefulSet/d*-master"]), &redis, &[&here]));
        assert!(matches(entry(None, &[], &["StatefulSet/d*/*-master"]), &redis, &[&here]));
        let all_three = entry(Some("charts/vendor"), &["run-as-root-allowed"], &["StatefulSet/*"]);
        assert!(matches(all_three.clone(), &redis, &[&here]));
        assert!(!matches(all_three, &redis, &[&place("charts/own/templates/a.yaml")]));
    }

    #[test]
    fn bad_globs_are_reported_with_their_pointer() {
        let err = validate(&[entry(Some("ok"), &[], &[]), entry(None, &[], &["Kind/[x"])]).unwrap_err();
        assert_eq!(err.0, "/ignore/1/objects/0");
        assert!(err.1.contains("Kind/[x"), "{}", err.1);
        assert_eq!(validate(&[entry(Some("a/{b"), &[], &[])]).unwrap_err().0, "/ignore/0/path");
    }
}
