//! The JSON report for each rule's firing fixture, snapshotted with insta and reviewed by a
//! person: messages, positions, objects and related locations all show up in the diff.

mod common;

use std::process::Command;

use common::repo;

#[test]
fn json_report_per_rule_fixture() {
    let mut dirs: Vec<_> =
        std::fs::read_dir(repo().join("fixtures/rules")).unwrap().flatten().map(|e| e.path()).collect();
    dirs.sort();
    for dir in dirs {
        let rule = dir.file_name().unwrap().to_string_lossy().into_owned();
        let rel = format!("fixtures/rules/{rule}");
        let out = Command::new(env!("CARGO_BIN_EXE_plimsoll"))
            .args(["check", "--no-config", "--format", "json", "--disable", "all", "--enable", &rule, &rel])
            .current_dir(repo())
            .output()
            .unwrap();
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        // Help text is the rule's remediation, reviewed in rules/; keep snapshots to findings.
        let findings: Vec<serde_json::Value> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                let mut f = f.clone();
                f.as_object_mut().unwrap().remove("help");
                f
            })
            .collect();
        insta::assert_json_snapshot!(rule, findings);
    }
}
