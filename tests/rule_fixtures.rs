//! Every rule has fixtures that make it fire and fixtures that keep it quiet, under
//! `fixtures/rules/<rule-id>/`. In `fire*.yaml`, each line where the rule must report carries
//! `# expect: <rule-id>`: the rule's findings must start on exactly those lines.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{lint_files, repo};

fn expected_lines(text: &str, rule: &str) -> BTreeSet<u32> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| {
            l.split_once("expect:").is_some_and(|(_, rules)| {
                rules.split(',').any(|r| {
                    // `# expect: x` in YAML, `{{/* expect: x */}}` or `{{/* expect: x */ -}}` in templates.
                    let r = r.trim().trim_end_matches("}}").trim_end_matches('-').trim();
                    r.trim_end_matches("*/").trim() == rule
                })
            })
        })
        .map(|(i, _)| i as u32 + 1)
        .collect()
}

/// Expected (file, line) pairs: markers in the fixture file, or in every file of a chart.
fn expected(path: &Path, rule: &str) -> BTreeSet<(String, u32)> {
    let files = if path.is_dir() {
        common::files_with_ext(path, &["yaml", "yml", "tpl", "txt"])
    } else {
        vec![path.to_path_buf()]
    };
    let mut out = BTreeSet::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap_or_default();
        let name = plimsoll::source::display_path(&f);
        out.extend(expected_lines(&text, rule).into_iter().map(|l| (name.clone(), l)));
    }
    out
}

fn fixture_files(dir: &Path, prefix: &str) -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with(prefix)))
        .collect();
    v.sort();
    v
}

#[test]
fn every_rule_has_firing_and_quiet_fixtures_that_behave() {
    let rules = plimsoll::check::all_rules(&[]).expect("catalogue loads");
    let mut failures = Vec::new();
    for rule in &rules {
        let id = rule.meta.id.as_str();
        let dir = repo().join("fixtures/rules").join(id);
        assert!(dir.is_dir(), "rule {id} has no fixtures directory {}", dir.display());
        let fire = fixture_files(&dir, "fire");
        let quiet = fixture_files(&dir, "quiet");
        // Only a crashing rule fires internal-error, and no input makes a shipped rule crash
        // on purpose: it is proven by a unit test with a panicking rule (src/check/mod.rs).
        if id != "internal-error" {
            assert!(!fire.is_empty(), "rule {id} has no fire*.yaml fixture");
        }
        assert!(!quiet.is_empty(), "rule {id} has no quiet*.yaml fixture");
        for path in fire {
            let want = expected(&path, id);
            assert!(!want.is_empty(), "{} marks no `# expect: {id}` line", path.display());
            let (findings, sources) = lint_files(std::slice::from_ref(&path));
            let got: BTreeSet<(String, u32)> = findings
                .iter()
                .filter(|f| f.rule == id)
                .map(|f| {
                    let loc = sources.location(f.span);
                    (plimsoll::source::display_path(Path::new(&loc.file)), loc.line)
                })
                .collect();
            if got != want {
                failures.push(format!("{}: {id} fired on lines {got:?}, expected {want:?}", path.display()));
            }
        }
        for path in quiet {
            let (findings, sources) = lint_files(std::slice::from_ref(&path));
            for f in findings.iter().filter(|f| f.rule == id) {
                let loc = sources.location(f.span);
                failures.push(format!("{}:{}: {id} fired in a quiet fixture: {}", loc.file, loc.line, f.message));
            }
        }
    }
    assert!(failures.is_empty(), "fixture mismatches:\n{}", failures.join("\n"));
}

#[test]
fn no_fixture_directory_without_a_rule() {
    let rules: BTreeSet<String> = plimsoll::check::all_rules(&[]).unwrap().iter().map(|r| r.meta.id.clone()).collect();
    for entry in std::fs::read_dir(repo().join("fixtures/rules")).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        assert!(rules.contains(&name), "fixtures/rules/{name} has no rule");
    }
}

#[test]
fn every_rule_file_is_registered() {
    let registered: BTreeSet<&str> = plimsoll::rules::registered_files().into_iter().collect();
    for entry in std::fs::read_dir(repo().join("rules")).unwrap().flatten() {
        let name = format!("rules/{}", entry.file_name().to_string_lossy());
        assert!(registered.contains(name.as_str()), "{name} is not registered in src/rules/mod.rs");
    }
}

#[test]
fn duplicates_across_files_are_not_reported() {
    let dir = repo().join("fixtures/rules/object-duplicate");
    let (findings, _) = lint_files(&[dir.join("quiet.yaml"), dir.join("quiet.yaml").with_file_name("quiet.yaml")]);
    assert!(findings.iter().all(|f| f.rule != "object-duplicate"));
    // fire.yaml and quiet.yaml both define prod/web Service: still one finding (fire's own).
    let (findings, _) = lint_files(&[dir.join("fire.yaml"), dir.join("quiet.yaml")]);
    assert_eq!(findings.iter().filter(|f| f.rule == "object-duplicate").count(), 1);
}
