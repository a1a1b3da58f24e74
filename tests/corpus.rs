//! The shared corpus (`../shared/corpus`, when present): every plain manifest and every golden
//! Helm rendering is linted without a panic, and Helm's own output parses cleanly.

mod common;

use std::collections::BTreeMap;

use common::{files_with_ext, lint_files, shared_corpus};

#[test]
fn corpus_lints_without_panics_and_goldens_parse() {
    let Some(corpus) = shared_corpus() else {
        println!("SKIPPED: ../shared/corpus not found; corpus checks need the shared data beside the repo");
        return;
    };
    let goldens = files_with_ext(&corpus.join("golden"), &["yaml"]);
    let manifests = files_with_ext(&corpus.join("manifests"), &["yaml", "yml", "json"]);
    assert!(goldens.len() >= 150, "expected the corpus goldens, found {}", goldens.len());

    let (findings, sources) = lint_files(&goldens);
    let mut per_rule: BTreeMap<&str, usize> = BTreeMap::new();
    for f in &findings {
        *per_rule.entry(f.rule.as_str()).or_default() += 1;
    }
    println!("goldens: {} files, findings per rule: {per_rule:?}", goldens.len());
    // Helm produced these streams, so they are valid YAML and every document is an object.
    let parse_errors: Vec<String> = findings
        .iter()
        .filter(|f| f.rule == "yaml-parse-error" || f.rule == "not-a-kubernetes-object")
        .map(|f| {
            let l = sources.location(f.span);
            format!("{}:{}:{}: {}", l.file, l.line, l.column, f.message)
        })
        .collect();
    assert!(parse_errors.is_empty(), "{parse_errors:#?}");

    let (findings, sources) = lint_files(&manifests);
    println!("manifests: {} files, {} findings", manifests.len(), findings.len());
    for f in findings.iter().filter(|f| f.rule == "yaml-parse-error") {
        let l = sources.location(f.span);
        assert!(l.line >= 1 && l.column >= 1, "parse errors carry a position");
        println!("parse error: {}:{}:{}: {}", l.file, l.line, l.column, f.message);
    }
}
