//! `--write-baseline` / `--baseline` end to end, on a copy of a fixture chart: a baseline
//! accepts today's findings, survives unrelated edits, and lets new findings through.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{copy_dir, json_report as report, plimsoll_in as plimsoll, repo};

const CHART: &str = "fixtures/charts/monorepo-deploy";

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// (rule, file, line) of each finding in a JSON report.
fn findings(report: &serde_json::Value) -> Vec<(String, String, u64)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["location"]["file"].as_str().unwrap().to_string(),
                f["location"]["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn notices(report: &serde_json::Value) -> Vec<String> {
    report["notices"].as_array().unwrap().iter().map(|n| n.as_str().unwrap().to_string()).collect()
}

/// A copy of the fixture chart at `<tmp>/chart`.
fn chart_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let chart = dir.path().join("chart");
    copy_dir(&repo().join(CHART), &chart);
    (dir, chart)
}

fn prepend(file: &Path, text: &str) {
    let old = std::fs::read_to_string(file).unwrap();
    std::fs::write(file, format!("{text}{old}")).unwrap();
}

fn replace(file: &Path, from: &str, to: &str) {
    let old = std::fs::read_to_string(file).unwrap();
    assert!(old.contains(from), "{} has no `{from}`", file.display());
    std::fs::write(file, old.replace(from, to)).unwrap();
}

/// `check` with JSON output, warnings failing the run (the fixture's findings are mostly
/// warnings: exit 0 then really means "nothing left").
fn check(cwd: &Path, extra: &[&str]) -> Output {
    plimsoll(cwd, &[&["check", "--no-config", "--format", "json", "--fail-on", "warning", "chart"][..], extra].concat())
}

#[test]
fn a_baseline_accepts_current_findings_and_survives_unrelated_edits() {
    let (tmp, chart) = chart_copy();
    let dir = tmp.path();
    let before = check(dir, &[]);
    assert_eq!(before.status.code(), Some(1), "the fixture has findings");
    let all = findings(&report(&before));
    assert_eq!(all.len(), 7, "{all:?}");

    // Writing: the report is as usual, the run passes, stderr says what was written.
    let write = check(dir, &["--write-baseline", "baseline.json"]);
    assert_eq!(write.status.code(), Some(0), "{}", stderr(&write));
    assert_eq!(findings(&report(&write)), all);
    assert!(stderr(&write).contains("wrote 7 findings to baseline.json"), "{}", stderr(&write));
    let text = std::fs::read_to_string(dir.join("baseline.json")).unwrap();
    let file: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(file["version"], 1);
    assert_eq!(file["findings"].as_array().unwrap().len(), 7);
    assert!(text.contains("\"file\": \"chart/values.yaml\""), "{text}");
    assert!(!text.contains("\"line\": 7") && !text.contains("message"), "no line numbers or messages: {text}");

    // Nothing new.
    let out = check(dir, &["--baseline", "baseline.json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let r = report(&out);
    assert_eq!(findings(&r), []);
    assert_eq!(notices(&r), ["7 findings matched the baseline baseline.json"]);

    // Lines added above every finding: the same findings, on other lines, still accepted.
    prepend(&chart.join("values.yaml"), "# Values for the monorepo.\n\n# (see README)\n");
    prepend(&chart.join("templates/services.yaml"), "{{/* one */}}\n\n{{/* two */}}\n");
    let moved = findings(&report(&check(dir, &[])));
    assert_eq!(moved.len(), 7);
    assert!(moved.iter().zip(&all).all(|(m, a)| m.0 == a.0 && m.2 == a.2 + 3), "{moved:?} vs {all:?}");
    let out = check(dir, &["--baseline", "baseline.json"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    assert_eq!(findings(&report(&out)), []);

    // A new problem: only it is reported, and it fails the run.
    replace(&chart.join("values.yaml"), "imageTag: v0.2.9", "imageTag: latest");
    let out = check(dir, &["--baseline", "baseline.json"]);
    assert_eq!(out.status.code(), Some(1));
    let r = report(&out);
    let new = findings(&r);
    let expected = ("image-tag-latest".to_string(), "chart/values.yaml".to_string(), 5);
    assert_eq!(new, [expected.clone(), expected], "one per Deployment");
    assert_eq!(r["summary"]["warnings"], 2, "the summary counts what is reported");
    assert_eq!(notices(&r), ["7 findings matched the baseline baseline.json"]);
}

#[test]
fn fixed_findings_are_reported_as_stale_entries() {
    let (tmp, chart) = chart_copy();
    let dir = tmp.path();
    assert_eq!(check(dir, &["--write-baseline", "baseline.json"]).status.code(), Some(0));
    // The worker no longer claims to be single-instance: `hpa-on-single-instance` is fixed.
    replace(&chart.join("values.yaml"), "    singleInstance: true\n", "");
    let out = check(dir, &["--baseline", "baseline.json"]);
    assert_eq!(out.status.code(), Some(0));
    let r = report(&out);
    assert_eq!(findings(&r), []);
    assert_eq!(
        notices(&r),
        [
            "6 findings matched the baseline baseline.json",
            "1 baseline entry is fixed or gone; rewrite it with --write-baseline"
        ]
    );
}

#[test]
fn a_baseline_matches_from_another_working_directory() {
    let (tmp, _chart) = chart_copy();
    let dir = tmp.path();
    std::fs::create_dir(dir.join("ci")).unwrap();
    assert_eq!(check(dir, &["--write-baseline", "ci/baseline.json"]).status.code(), Some(0));
    let text = std::fs::read_to_string(dir.join("ci/baseline.json")).unwrap();
    assert!(text.contains("\"file\": \"../chart/values.yaml\""), "relative to the baseline's directory: {text}");

    // From the repo, with absolute paths: findings are shown differently, still matched.
    let chart = dir.join("chart");
    let baseline = dir.join("ci/baseline.json");
    let args = ["check", "--no-config", "--format", "json", "--fail-on", "warning"];
    let out =
        plimsoll(&repo(), &[&args[..], &[chart.to_str().unwrap(), "--baseline", baseline.to_str().unwrap()]].concat());
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    assert_eq!(findings(&report(&out)), []);
    // And from inside the chart.
    let out = plimsoll(&chart, &[&args[..], &[".", "--baseline", "../ci/baseline.json"]].concat());
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn both_flags_report_against_the_old_baseline_and_write_all_current_findings() {
    let (tmp, chart) = chart_copy();
    let dir = tmp.path();
    assert_eq!(check(dir, &["--write-baseline", "old.json"]).status.code(), Some(0));
    replace(&chart.join("values.yaml"), "imageTag: v0.2.9", "imageTag: latest");
    let out = check(dir, &["--baseline", "old.json", "--write-baseline", "new.json"]);
    assert_eq!(out.status.code(), Some(0), "writing a baseline accepts what it records");
    assert_eq!(findings(&report(&out)).len(), 2, "the report shows what is new");
    assert!(stderr(&out).contains("wrote 9 findings to new.json"), "{}", stderr(&out));
    let out = check(dir, &["--baseline", "new.json"]);
    assert_eq!((out.status.code(), findings(&report(&out)).len()), (Some(0), 0));
}

#[test]
fn bad_baselines_are_errors_naming_the_file() {
    let (tmp, _chart) = chart_copy();
    let dir = tmp.path();
    let cases = [
        ("truncated.json", "{\"version\": 1, \"findings\": [", "not valid JSON"),
        (
            "wrong.json",
            "{\"version\": 1, \"findings\": [{\"rule\": \"r\", \"file\": \"f\", \"line\": 3, \"count\": 1}]}",
            "/findings/0/line",
        ),
        ("future.json", "{\"version\": 7, \"findings\": []}", "/version"),
    ];
    for (name, text, why) in cases {
        std::fs::write(dir.join(name), text).unwrap();
        let out = check(dir, &["--baseline", name]);
        assert_eq!(out.status.code(), Some(2), "{name}");
        let err = stderr(&out);
        assert!(err.starts_with(&format!("error: {name}: ")) && err.contains(why), "{name}: {err}");
        assert!(out.stdout.is_empty(), "{name}: no report before the lint");
    }
    let out = check(dir, &["--baseline", "missing.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).starts_with("error: missing.json: "), "{}", stderr(&out));
    // A baseline that cannot be written is an error too.
    let out = check(dir, &["--write-baseline", "no/such/dir/baseline.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no/such/dir/baseline.json"), "{}", stderr(&out));
}
