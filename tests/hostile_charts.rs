//! Hostile charts (`fixtures/hostile/cases.json`): each ends in a finding or error with file
//! and line, exit 1 or 2 (never a panic or an abort), and a good chart in the same run is
//! still linted. Time and memory are measured by `scripts/hostile.py`, not asserted here;
//! the watchdog below only turns a hang into a failure instead of a stuck test run.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value as Json;

const WATCHDOG: Duration = Duration::from_secs(180);

/// A template or argument: a string, or `[text, count]` pairs concatenated.
fn expand(v: &Json) -> String {
    match v {
        Json::String(s) => s.clone(),
        Json::Array(parts) => parts
            .iter()
            .map(|p| {
                let text = p[0].as_str().expect("part text");
                let count = p[1].as_u64().expect("part count") as usize;
                text.repeat(count)
            })
            .collect(),
        other => panic!("bad template spec {other}"),
    }
}

struct Outcome {
    code: Option<i32>,
    report: Json,
    stderr: String,
}

fn run_case(case: &Json, dir: &Path) -> Outcome {
    let chart = dir.join("hostile");
    std::fs::create_dir_all(chart.join("templates")).unwrap();
    std::fs::write(chart.join("Chart.yaml"), "apiVersion: v2\nname: hostile\nversion: 0.1.0\n").unwrap();
    std::fs::write(chart.join("values.yaml"), "replicas: 1\n").unwrap();
    std::fs::write(chart.join("templates/t.yaml"), expand(&case["template"])).unwrap();
    let good = common::repo().join("fixtures/hostile/good-chart");
    let manifest = common::repo().join("fixtures/hostile/good-manifest.yaml");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_plimsoll"));
    cmd.current_dir(dir).args(["check", "--no-config", "--fail-on", "warning", "--format", "json", "hostile"]);
    cmd.arg(&good).arg(&manifest);
    for a in case["args"].as_array().into_iter().flatten() {
        cmd.arg(expand(a));
    }
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("spawn plimsoll");
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > WATCHDOG {
            let _ = child.kill();
            panic!("{}: still running after {WATCHDOG:?}", case["name"]);
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let out = child.wait_with_output().expect("output");
    let _ = status;
    let report = serde_json::from_slice(&out.stdout).unwrap_or(Json::Null);
    Outcome { code: out.status.code(), report, stderr: String::from_utf8_lossy(&out.stderr).into_owned() }
}

#[test]
fn hostile_charts_end_in_a_diagnostic_and_the_run_goes_on() {
    let table: Json = serde_json::from_str(
        &std::fs::read_to_string(common::repo().join("fixtures/hostile/cases.json")).expect("cases.json"),
    )
    .expect("cases.json parses");
    let cases = table["cases"].as_array().expect("cases");
    assert!(cases.len() >= 20, "the table lists every case of the hardening issue");
    // Two processes at a time: the machine has two cores and some cases run to a time limit.
    let failures: Vec<String> = std::thread::scope(|s| {
        let chunks: Vec<&[Json]> = cases.chunks(cases.len().div_ceil(2)).collect();
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| s.spawn(move || chunk.iter().filter_map(check_case).collect::<Vec<_>>()))
            .collect();
        handles.into_iter().flat_map(|h| h.join().expect("case thread")).collect()
    });
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// `None` when the case behaves; else what went wrong.
fn check_case(case: &Json) -> Option<String> {
    let name = case["name"].as_str().unwrap_or("?");
    let dir = tempfile::tempdir().expect("tempdir");
    let out = run_case(case, dir.path());
    let findings = out.report["findings"].as_array().cloned().unwrap_or_default();
    let mut problems = Vec::new();
    if !matches!(out.code, Some(1 | 2)) {
        problems.push(format!("exit {:?} (want 1 or 2); stderr: {}", out.code, tail(&out.stderr)));
    }
    let expect_rule = case["expect"].as_str().unwrap_or_default();
    let expect_message = case["message"].as_str().unwrap_or_default();
    let in_hostile = |f: &&Json| {
        f["location"]["file"].as_str().is_some_and(|p| p.starts_with("hostile/") || p.starts_with("hostile (rendered"))
    };
    let hit = findings
        .iter()
        .filter(in_hostile)
        .find(|f| f["rule"] == expect_rule && f["message"].as_str().is_some_and(|m| m.contains(expect_message)));
    match hit {
        None => problems.push(format!(
            "no `{expect_rule}` finding containing {expect_message:?} in the hostile chart; findings: {}",
            tail(&serde_json::to_string(&findings).unwrap_or_default())
        )),
        Some(f) if f["location"]["line"].as_u64().unwrap_or(0) == 0 => {
            problems.push(format!("the finding has no line: {f}"))
        }
        Some(f)
            if expect_rule == "chart-render-error"
                && f["location"]["file"] != case["at"].as_str().unwrap_or("hostile/templates/t.yaml") =>
        {
            problems.push(format!("the render error is not where it should be: {}", f["location"]))
        }
        Some(_) => {}
    }
    let linted = |input: &str| {
        findings.iter().any(|f| {
            f["rule"] == "image-tag-latest" && f["location"]["file"].as_str().is_some_and(|p| p.contains(input))
        })
    };
    if !linted("good-manifest.yaml") {
        problems.push("the manifest beside it was not linted".into());
    }
    // Chart flags (`--set`) apply to every chart, so a flag's error fails the good chart too.
    if case["args"].is_null() && !linted("good-chart") {
        problems.push("the good chart beside it was not linted".into());
    }
    (!problems.is_empty()).then(|| format!("{name} ({}):\n  {}", case["why"], problems.join("\n  ")))
}

fn tail(s: &str) -> &str {
    let start = s.len().saturating_sub(1500);
    let start = (start..s.len()).find(|&i| s.is_char_boundary(i)).unwrap_or(s.len());
    &s[start..]
}
