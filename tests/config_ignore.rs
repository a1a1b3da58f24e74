//! Config `ignore:` entries end to end: a vendored chart's findings dropped by path, rule and
//! object, with paths relative to the config file whatever the working directory.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{copy_dir, json_report as report, plimsoll_in as plimsoll, repo};

const CHART: &str = "fixtures/charts/monorepo-deploy";

/// (rule, file relative to `root`, `Kind/name` of the object) of each finding of a run in
/// `cwd`, sorted.
fn findings_in(out: &Output, cwd: &Path, root: &Path) -> Vec<(String, String, String)> {
    let root = std::fs::canonicalize(root).unwrap();
    let mut all: Vec<_> = report(out)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let shown = PathBuf::from(f["location"]["file"].as_str().unwrap());
            let file = std::fs::canonicalize(cwd.join(&shown))
                .ok()
                .and_then(|p| p.strip_prefix(&root).ok().map(|r| r.to_string_lossy().into_owned()))
                .unwrap_or_else(|| shown.to_string_lossy().into_owned());
            let object = &f["object"];
            let object = format!("{}/{}", object["kind"].as_str().unwrap_or(""), object["name"].as_str().unwrap_or(""));
            (f["rule"].as_str().unwrap().to_string(), file, object)
        })
        .collect();
    all.sort();
    all
}

/// [`findings_in`] for a run in `root`.
fn findings(out: &Output, root: &Path) -> Vec<(String, String, String)> {
    findings_in(out, root, root)
}

/// A repo with the fixture chart twice: `charts/vendor/redis` (third-party) and `charts/own`.
fn repo_with_two_charts() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join(CHART), &dir.path().join("charts/vendor/redis"));
    copy_dir(&repo().join(CHART), &dir.path().join("charts/own"));
    dir
}

fn write_config(dir: &Path, text: &str) {
    std::fs::write(dir.join(".plimsoll.yaml"), text).unwrap();
}

const JSON: [&str; 3] = ["check", "--format", "json"];

fn count(all: &[(String, String, String)], rule: &str, prefix: &str) -> usize {
    all.iter().filter(|(r, f, _)| r == rule && f.starts_with(prefix)).count()
}

#[test]
fn a_path_and_rule_entry_drops_exactly_that_rule_on_that_chart() {
    let tmp = repo_with_two_charts();
    let dir = tmp.path();
    let before = findings(&plimsoll(dir, &[&JSON[..], &["charts"]].concat()), dir);
    assert_eq!(before.len(), 14, "{before:#?}");
    assert_eq!(count(&before, "replicas-with-hpa", "charts/vendor/redis/"), 2);

    write_config(dir, "ignore:\n  - path: charts/vendor/redis\n    rules: [replicas-with-hpa]\n    reason: vendored\n");
    let out = plimsoll(dir, &[&JSON[..], &["charts"]].concat());
    let after = findings(&out, dir);
    let expected: Vec<_> = before
        .iter()
        .filter(|(r, f, _)| !(r == "replicas-with-hpa" && f.starts_with("charts/vendor/redis/")))
        .cloned()
        .collect();
    assert_eq!(after, expected);
    assert_eq!(count(&after, "replicas-with-hpa", "charts/own/"), 2, "the other chart keeps them");
    assert!(report(&out)["notices"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n == "2 findings ignored by the config's `ignore` entries"));

    // A glob path works the same; a path that names another directory drops nothing.
    write_config(dir, "ignore:\n  - path: 'charts/*/redis'\n    rules: [replicas-with-hpa]\n");
    assert_eq!(findings(&plimsoll(dir, &[&JSON[..], &["charts"]].concat()), dir), expected);
    write_config(dir, "ignore:\n  - path: charts/vendor/red\n    rules: [replicas-with-hpa]\n");
    assert_eq!(findings(&plimsoll(dir, &[&JSON[..], &["charts"]].concat()), dir), before);
}

#[test]
fn an_objects_entry_drops_only_the_matching_objects() {
    let tmp = repo_with_two_charts();
    let dir = tmp.path();
    let before = findings(&plimsoll(dir, &[&JSON[..], &["charts"]].concat()), dir);
    write_config(dir, "ignore:\n  - path: charts/vendor/redis\n    objects: ['Deployment/*-email-worker']\n");
    let after = findings(&plimsoll(dir, &[&JSON[..], &["charts"]].concat()), dir);
    let expected: Vec<_> = before
        .iter()
        .filter(|(_, f, object)| {
            !(f.starts_with("charts/vendor/redis/") && object == "Deployment/release-name-email-worker")
        })
        .cloned()
        .collect();
    // The worker's Deployment findings go (two); its HPA's (another kind), the app's and the
    // other chart's stay.
    assert_eq!(before.len() - after.len(), 2, "{after:#?}");
    assert_eq!(after, expected);
    assert!(after.iter().any(|(r, f, _)| r == "hpa-on-single-instance" && f.starts_with("charts/vendor/redis/")));

    // Namespaced form: the chart's objects have no namespace, so it matches nothing.
    write_config(dir, "ignore:\n  - objects: ['Deployment/*/release-name-email-worker']\n");
    assert_eq!(findings(&plimsoll(dir, &[&JSON[..], &["charts"]].concat()), dir), before);
}

#[test]
fn entries_match_the_chart_of_a_finding_outside_it_and_work_from_any_directory() {
    let tmp = repo_with_two_charts();
    let dir = tmp.path();
    // The user's values file lives outside the chart: findings on it belong to the chart's
    // objects, so the chart's `path` entry covers them.
    std::fs::create_dir(dir.join("env")).unwrap();
    std::fs::write(dir.join("env/prod.yaml"), "services:\n  app:\n    replicas: 3\n").unwrap();
    let run = |cwd: &Path, args: &[&str]| findings_in(&plimsoll(cwd, &[&JSON[..], args].concat()), cwd, dir);
    let vendor = dir.join("charts/vendor/redis");
    let values = dir.join("env/prod.yaml");
    let (vendor, values) = (vendor.to_str().unwrap(), values.to_str().unwrap());
    let before = run(dir, &[vendor, "-f", values]);
    assert_eq!(count(&before, "replicas-with-hpa", "env/prod.yaml"), 1, "{before:#?}");

    write_config(
        dir,
        "ignore:\n  - path: charts/vendor/redis\n    rules: [replicas-with-hpa, anti-affinity-missing]\n",
    );
    let expected: Vec<_> =
        before.iter().filter(|(r, _, _)| r != "replicas-with-hpa" && r != "anti-affinity-missing").cloned().collect();
    assert!(expected.len() < before.len());
    // From the repo root, from inside another chart, and from an unrelated directory (the
    // config is found by walking up from the chart, or given with --config).
    assert_eq!(run(dir, &[vendor, "-f", values]), expected);
    assert_eq!(run(&dir.join("charts/own"), &[vendor, "-f", values]), expected);
    assert_eq!(run(&dir.join("charts/own"), &["../vendor/redis", "-f", "../../env/prod.yaml"]), expected);
    let elsewhere = tempfile::tempdir().unwrap();
    assert_eq!(run(elsewhere.path(), &[vendor, "-f", values]), expected);
    let config = dir.join(".plimsoll.yaml");
    assert_eq!(run(&repo(), &[vendor, "-f", values, "--config", config.to_str().unwrap()]), expected);
}

#[test]
fn bad_ignore_entries_are_config_errors() {
    let tmp = repo_with_two_charts();
    let dir = tmp.path();
    let cases = [
        ("ignore:\n  - path: charts\n    objects: ['Deployment/[web']\n", ".plimsoll.yaml:3:15:", "object glob"),
        ("ignore:\n  - reason: everything\n", ".plimsoll.yaml:2:", "/ignore/0"),
        ("ignore:\n  - rules: [no-such-rule]\n", "unknown rule `no-such-rule`", "config `ignore`"),
    ];
    for (config, at, why) in cases {
        write_config(dir, config);
        let out = plimsoll(dir, &[&JSON[..], &["charts"]].concat());
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{config}: {err}");
        assert!(err.contains(at) && err.contains(why), "{config}: {err}");
    }
}
