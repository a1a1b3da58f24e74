//! The `plimsoll` binary end to end: exit codes, formats, config, stdin, determinism.

mod common;

use std::io::Write;
use std::process::{Command, Output, Stdio};

use common::repo;

fn plimsoll(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_plimsoll"))
        .args(args)
        .current_dir(repo())
        .env("NO_COLOR", "1")
        .output()
        .expect("runs")
}

fn plimsoll_stdin(args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_plimsoll"))
        .args(args)
        .current_dir(repo())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawns");
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

fn rules_of(report: &serde_json::Value) -> Vec<String> {
    report["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap().to_string()).collect()
}

const EXAMPLE: &str = "fixtures/examples/helm-template-output.yaml";

#[test]
fn exit_codes() {
    assert_eq!(plimsoll(&["check", "--no-config", EXAMPLE]).status.code(), Some(1), "errors present");
    assert_eq!(plimsoll(&["check", "--no-config", "--fail-on", "never", EXAMPLE]).status.code(), Some(0));
    let quiet = "fixtures/rules/resources-missing/quiet.yaml";
    assert_eq!(
        plimsoll(&["check", "--no-config", quiet, "--disable", "all", "--enable", "resources-missing"]).status.code(),
        Some(0)
    );
    // Warnings only: pass by default, fail with --fail-on warning.
    let warn = "fixtures/rules/image-tag-latest/fire.yaml";
    let only = ["--disable", "all", "--enable", "image-tag-latest"];
    assert_eq!(plimsoll(&[&["check", "--no-config", warn][..], &only].concat()).status.code(), Some(0));
    assert_eq!(
        plimsoll(&[&["check", "--no-config", "--fail-on", "warning", warn][..], &only].concat()).status.code(),
        Some(1)
    );
    // Usage, config and I/O errors.
    let missing = plimsoll(&["check", "--no-config", "does/not/exist.yaml"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("does/not/exist.yaml"));
    assert_eq!(plimsoll(&["check", "--no-config", "--enable", "no-such-rule", EXAMPLE]).status.code(), Some(2));
    assert_eq!(plimsoll(&["check", "--bogus-flag"]).status.code(), Some(2));
    assert_eq!(plimsoll(&["explain", "no-such-rule"]).status.code(), Some(2));
}

#[test]
fn human_output_headers_point_at_the_finding() {
    let out = plimsoll(&[
        "check",
        "--no-config",
        "--no-color",
        "--disable",
        "all",
        "--enable",
        "privileged-container",
        EXAMPLE,
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(&format!("[{EXAMPLE}:42:13]")), "{text}");
}

#[test]
fn json_report_has_locations_and_objects() {
    let out = plimsoll(&["check", "--no-config", "--format", "json", EXAMPLE]);
    let report = json(&out);
    let privileged =
        report["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "privileged-container").expect("fires");
    assert_eq!(privileged["location"]["file"], EXAMPLE);
    assert_eq!(privileged["location"]["line"], 42);
    assert_eq!(privileged["location"]["column"], 13);
    assert_eq!(privileged["object"]["kind"], "Deployment");
    assert_eq!(privileged["object"]["name"], "release-name-web");
    assert_eq!(report["summary"]["objects"], 2);
    assert!(rules_of(&report).contains(&"probe-port-not-exposed".to_string()));
}

#[test]
fn stdin_accepts_helm_template_output() {
    let text = std::fs::read_to_string(repo().join(EXAMPLE)).unwrap();
    let out = plimsoll_stdin(&["check", "--no-config", "--format", "json", "-"], &text);
    let report = json(&out);
    assert_eq!(report["findings"][0]["location"]["file"], "<stdin>");
    assert!(rules_of(&report).contains(&"image-tag-latest".to_string()));
}

#[test]
fn bad_input_is_a_diagnostic_and_the_rest_is_still_linted() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("binary.yaml"), b"apiVersion: v1\n\x00\x01\x02").unwrap();
    std::fs::write(dir.path().join("latin1.yaml"), b"kind: ConfigMap\nname: caf\xe9\n").unwrap();
    std::fs::copy(repo().join(EXAMPLE), dir.path().join("good.yaml")).unwrap();
    let d = dir.path().to_str().unwrap();
    let report = json(&plimsoll(&["check", "--no-config", "--format", "json", d]));
    let errors: Vec<&serde_json::Value> =
        report["findings"].as_array().unwrap().iter().filter(|f| f["rule"] == "yaml-parse-error").collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    let binary = errors.iter().find(|f| f["location"]["file"].as_str().unwrap().ends_with("binary.yaml")).unwrap();
    assert_eq!((binary["location"]["line"].as_u64(), binary["location"]["column"].as_u64()), (Some(2), Some(1)));
    let latin1 = errors.iter().find(|f| f["location"]["file"].as_str().unwrap().ends_with("latin1.yaml")).unwrap();
    assert_eq!((latin1["location"]["line"].as_u64(), latin1["location"]["column"].as_u64()), (Some(2), Some(10)));
    assert!(rules_of(&report).contains(&"privileged-container".to_string()), "the good file is still linted");
}

#[test]
fn config_is_found_upwards_and_applied() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("deploy/prod");
    std::fs::create_dir_all(&sub).unwrap();
    std::fs::copy(repo().join(EXAMPLE), sub.join("app.yaml")).unwrap();
    std::fs::write(
        dir.path().join(".plimsoll.yaml"),
        "disable: [privileged-container]\nseverity:\n  image-tag-latest: error\noptions:\n  resources-missing:\n    require: [limits.cpu]\nfailOn: warning\n",
    )
    .unwrap();
    let out = plimsoll(&["check", "--format", "json", sub.to_str().unwrap()]);
    let report = json(&out);
    let rules = rules_of(&report);
    assert!(!rules.contains(&"privileged-container".to_string()));
    let latest = report["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "image-tag-latest").unwrap();
    assert_eq!(latest["severity"], "error");
    let res = report["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "resources-missing").unwrap();
    assert!(res["message"].as_str().unwrap().contains("resources.limits.cpu"), "{res}");
    // The CLI wins over the config.
    let out = plimsoll(&["check", "--format", "json", "--enable", "privileged-container", sub.to_str().unwrap()]);
    assert!(rules_of(&json(&out)).contains(&"privileged-container".to_string()));
    // An invalid config is exit 2 with file:line:col.
    std::fs::write(dir.path().join(".plimsoll.yaml"), "severity:\n  image-tag-latest: fatal\n").unwrap();
    let out = plimsoll(&["check", sub.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(".plimsoll.yaml:2:21"), "{err}");
}

#[test]
fn custom_declarative_rules() {
    let out = plimsoll(&["check", "--no-config", "--format", "json", "--rules", "fixtures/custom-rules", EXAMPLE]);
    let report = json(&out);
    let custom = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "team-label-required")
        .expect("custom rule fires");
    assert_eq!(custom["message"], "Deployment release-name-web has no team label");
    assert_eq!(custom["location"]["line"], 16, "points at the object's kind/name");
    let list = plimsoll(&["rules", "--format", "json", "--rules", "fixtures/custom-rules"]);
    assert!(String::from_utf8_lossy(&list.stdout).contains("team-label-required"));
}

#[test]
fn output_file_and_all_formats() {
    let dir = tempfile::tempdir().unwrap();
    for (format, needle) in [
        ("json", "\"findings\""),
        ("sarif", "\"2.1.0\""),
        ("github", "::error file="),
        ("junit", "<testsuites"),
        ("human", "privileged-container"),
    ] {
        let path = dir.path().join(format!("out.{format}"));
        let out = plimsoll(&["check", "--no-config", "--format", format, "--output", path.to_str().unwrap(), EXAMPLE]);
        assert_eq!(out.status.code(), Some(1), "{format}");
        assert!(out.stdout.is_empty(), "{format}: nothing on stdout with --output");
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(needle), "{format}: {text}");
    }
}

#[test]
fn sarif_of_real_findings_validates_against_the_official_schema() {
    let out = plimsoll(&["check", "--no-config", "--format", "sarif", "fixtures/rules", EXAMPLE]);
    let log = json(&out);
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(repo().join("schemas/sarif-2.1.0.json")).unwrap()).unwrap();
    let validator = jsonschema::options().with_draft(jsonschema::Draft::Draft7).build(&schema).unwrap();
    let errors: Vec<String> = validator.iter_errors(&log).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert!(results.len() > 20);
    assert!(results
        .iter()
        .all(|r| r["locations"][0]["physicalLocation"]["region"]["startLine"].as_u64().unwrap() >= 1));
    assert!(
        results.iter().any(|r| r["locations"][0]["physicalLocation"]["region"]["startLine"].as_u64().unwrap() > 1),
        "real regions, not line 1"
    );
}

#[test]
fn json_report_validates_against_its_schema() {
    let out = plimsoll(&["check", "--no-config", "--format", "json", "fixtures/rules"]);
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(repo().join("schemas/report.schema.json")).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let report = json(&out);
    let errors: Vec<String> = validator.iter_errors(&report).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

/// Same input, same bytes, whatever the thread count.
#[test]
fn output_is_identical_across_thread_counts() {
    let mut paths = vec!["fixtures".to_string()];
    if let Some(corpus) = common::shared_corpus() {
        paths.push(corpus.join("golden").to_string_lossy().into_owned());
        paths.push(corpus.join("manifests").to_string_lossy().into_owned());
    } else {
        println!("SKIPPED part: ../shared/corpus not found; comparing on fixtures only");
    }
    let run = |threads: &str| {
        let mut args = vec!["check", "--no-config", "--format", "json", "--threads", threads, "--enable", "all"];
        args.extend(paths.iter().map(String::as_str));
        plimsoll(&args).stdout
    };
    let one = run("1");
    assert!(one.len() > 1000);
    assert!(one == run("2"), "--threads 1 and --threads 2 differ");
}

#[test]
fn rules_and_explain() {
    let out = plimsoll(&["rules"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text
        .lines()
        .any(|l| l.starts_with("privileged-container") && l.contains("error") && l.contains("security")));
    let out = plimsoll(&["explain", "secret-in-configmap"]);
    let text = String::from_utf8_lossy(&out.stdout);
    for section in ["Why:", "What fires:", "How to fix:", "Example (fires):", "Example (quiet):", "Options:", "Docs: "]
    {
        assert!(text.contains(section), "missing {section}:\n{text}");
    }
}

fn write_chart(dir: &std::path::Path) {
    std::fs::create_dir_all(dir.join("templates")).unwrap();
    std::fs::create_dir_all(dir.join("ci")).unwrap();
    std::fs::write(dir.join("Chart.yaml"), "apiVersion: v2\nname: mychart\nversion: 0.1.0\n").unwrap();
    std::fs::write(dir.join("values.yaml"), "image:\n  tag: latest\nprivileged: false\n").unwrap();
    std::fs::write(
        dir.join("templates/deployment.yaml"),
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}-web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: \"nginx:{{ .Values.image.tag }}\"\n          securityContext:\n            privileged: {{ .Values.privileged }}\n",
    )
    .unwrap();
    std::fs::write(dir.join("templates/_helpers.tpl"), "{{- define \"x\" }}{{ end }}\n").unwrap();
    std::fs::write(dir.join("ci/privileged-values.yaml"), "privileged: true\n").unwrap();
}

#[test]
fn charts_are_rendered_and_linted() {
    let dir = tempfile::tempdir().unwrap();
    write_chart(&dir.path().join("mychart"));
    let d = dir.path().to_str().unwrap();
    let report = json(&plimsoll(&["check", "--no-config", "--format", "json", d]));
    let rules = rules_of(&report);
    assert!(rules.contains(&"image-tag-latest".to_string()), "{rules:?}");
    assert!(!rules.contains(&"privileged-container".to_string()));
    let latest = report["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "image-tag-latest").unwrap();
    assert_eq!(latest["object"]["name"], "release-name-web", "rendered with Helm's default release name");
    // The finding points at the values key that set the tag, with the template expression
    // that printed it as a related location.
    assert!(latest["location"]["file"].as_str().unwrap().ends_with("mychart/values.yaml"), "{latest}");
    assert_eq!(latest["location"]["line"], 2);
    assert!(latest["related"][0]["location"]["file"].as_str().unwrap().ends_with("mychart/templates/deployment.yaml"));
    assert_eq!(latest["related"][0]["location"]["line"], 10);
    // --ci-values adds one pass per ci/*.yaml; -f and --set apply to every pass.
    let report = json(&plimsoll(&["check", "--no-config", "--format", "json", "--ci-values", d]));
    let privileged = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "privileged-container")
        .expect("ci values rendered");
    assert!(
        privileged["location"]["file"].as_str().unwrap().ends_with("mychart/ci/privileged-values.yaml"),
        "{privileged}"
    );
    let report = json(&plimsoll(&["check", "--no-config", "--format", "json", "--set", "image.tag=1.27", d]));
    assert!(!rules_of(&report).contains(&"image-tag-latest".to_string()));
}

#[test]
fn render_errors_point_at_the_template_line() {
    let dir = tempfile::tempdir().unwrap();
    let chart = dir.path().join("mychart");
    write_chart(&chart);
    std::fs::write(
        chart.join("templates/cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\ndata:\n  a: {{ required \"a.value is required\" .Values.a }}\n",
    )
    .unwrap();
    let out = plimsoll(&["check", "--no-config", "--format", "json", chart.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let report = json(&out);
    let err = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "chart-render-error")
        .expect("render error reported");
    assert!(err["location"]["file"].as_str().unwrap().ends_with("mychart/templates/cm.yaml"), "{err}");
    assert_eq!((err["location"]["line"].as_u64(), err["location"]["column"].as_u64()), (Some(4), Some(9)));
    assert_eq!(err["message"], "execution error at (mychart/templates/cm.yaml:4:8): a.value is required");
}

#[test]
fn render_prints_what_helm_template_prints() {
    let dir = tempfile::tempdir().unwrap();
    let chart = dir.path().join("mychart");
    write_chart(&chart);
    let out = plimsoll(&["render", chart.to_str().unwrap(), "--release-name", "prod", "--set", "image.tag=1.2"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("---\n# Source: mychart/templates/deployment.yaml\napiVersion: apps/v1\n"), "{text}");
    assert!(text.contains("name: prod-web") && text.contains("image: \"nginx:1.2\""));
    let out = plimsoll(&["render", chart.to_str().unwrap(), "--show-only", "templates/nope.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim(),
        "Error: could not find template templates/nope.yaml in chart"
    );
}

#[test]
fn inline_suppression_comment() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: c\n      image: x:1\n      securityContext:\n        # plimsoll:ignore privileged-container -- needs /dev access\n        privileged: true\n";
    let report = json(&plimsoll_stdin(&["check", "--no-config", "--format", "json", "-"], text));
    assert!(!rules_of(&report).contains(&"privileged-container".to_string()));
    let report = json(&plimsoll_stdin(
        &["check", "--no-config", "--format", "json", "-"],
        &text.replace("# plimsoll:ignore privileged-container -- needs /dev access\n", ""),
    ));
    assert!(rules_of(&report).contains(&"privileged-container".to_string()));
}

#[test]
fn kube_version_moves_an_api_from_deprecated_to_removed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("cronjob.yaml"),
        "apiVersion: batch/v1beta1\nkind: CronJob\nmetadata:\n  name: nightly\nspec:\n  schedule: \"0 3 * * *\"\n",
    )
    .unwrap();
    let d = dir.path().to_str().unwrap();
    let api_findings = |version: &str| -> Vec<(String, String)> {
        let report = json(&plimsoll(&["check", "--no-config", "--format", "json", "--kube-version", version, d]));
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"].as_str().is_some_and(|r| r.starts_with("api-")))
            .map(|f| (f["rule"].as_str().unwrap().to_string(), f["message"].as_str().unwrap().to_string()))
            .collect()
    };
    let at_124 = api_findings("1.24");
    assert_eq!(at_124.len(), 1, "{at_124:?}");
    assert_eq!(at_124[0].0, "api-deprecated");
    assert!(at_124[0]
        .1
        .contains("deprecated since Kubernetes 1.21 and removed in 1.25 (target 1.24 from --kube-version)"));
    let at_125 = api_findings("v1.25.3");
    assert_eq!(at_125.len(), 1, "{at_125:?}");
    assert_eq!(at_125[0].0, "api-removed");
    assert!(at_125[0].1.contains("removed in Kubernetes 1.25 (target 1.25 from --kube-version): use `batch/v1`"));
    // Only the removal fails the run by default.
    let only = ["--disable", "all", "--enable", "api-removed", "--enable", "api-deprecated"];
    let code =
        |v: &str| plimsoll(&[&["check", "--no-config", "--kube-version", v, d][..], &only].concat()).status.code();
    assert_eq!((code("1.20"), code("1.24"), code("1.25")), (Some(0), Some(0), Some(1)));
}

#[test]
fn crd_dir_validates_custom_resources() {
    let cr =
        "apiVersion: example.com/v1\nkind: Backup\nmetadata: {name: b}\nspec:\n  schedule: daily\n  compress: true\n";
    let args = ["check", "--no-config", "--format", "json", "--disable", "all", "--enable", "schema-invalid", "-"];
    let without = json(&plimsoll_stdin(&args, cr));
    assert!(rules_of(&without).is_empty(), "no CRD, no schema: skipped");
    let mut with_crd = args.to_vec();
    with_crd.splice(1..1, ["--crd", "fixtures/schema/crds"]);
    let report = json(&plimsoll_stdin(&with_crd, cr));
    let messages: Vec<&str> =
        report["findings"].as_array().unwrap().iter().map(|f| f["message"].as_str().unwrap()).collect();
    assert_eq!(messages, ["unknown field spec.compress"]);
    let missing = plimsoll(&["check", "--crd", "no/such/dir", "fixtures/examples"]);
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn schema_follows_the_target_kubernetes_version() {
    // autoscaling/v2beta2 was removed in 1.26: validated for 1.25, skipped (no schema) for 1.36.
    let hpa = "apiVersion: autoscaling/v2beta2\nkind: HorizontalPodAutoscaler\nmetadata: {name: h}\nspec:\n  maxReplicas: 3\n  minReplica: 1\n";
    let args = ["check", "--no-config", "--format", "json", "--disable", "all", "--enable", "schema-invalid", "-"];
    let mut for_125 = args.to_vec();
    for_125.splice(1..1, ["--kube-version", "1.25"]);
    let old = json(&plimsoll_stdin(&for_125, hpa));
    let messages: Vec<&str> =
        old["findings"].as_array().unwrap().iter().map(|f| f["message"].as_str().unwrap()).collect();
    assert_eq!(
        messages,
        ["missing required field spec.scaleTargetRef", "unknown field spec.minReplica (did you mean minReplicas?)"]
    );
    assert!(rules_of(&json(&plimsoll_stdin(&args, hpa))).is_empty());
}
