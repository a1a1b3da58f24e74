//! Where chart findings land and how chart authors silence them: values keys for printed
//! values and for absent fields the chart exposes, template lines through `include` chains, and
//! `plimsoll:ignore` comments on any of those lines (values keys and the keys above them,
//! template lines, include calls).

mod common;

use std::path::{Path, PathBuf};

use common::{chart_finding_lines, json_report, lint_files, plimsoll_in};
use plimsoll::finding::Finding;
use plimsoll::source::Sources;

fn write(dir: &Path, files: &[(&str, &str)]) {
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

const CHART_YAML: &str = "apiVersion: v2\nname: inc\nversion: 0.1.0\n";

const HELPERS: &str = r#"{{- define "inc.container" -}}
- name: api
  image: "{{ .Values.api.image.repository }}:{{ .Values.api.image.tag }}"
  {{- with .Values.api.livenessProbe }}
  livenessProbe: {{ toYaml . | nindent 4 }}
  {{- end }}
{{- end }}
"#;

const DEPLOYMENT: &str = r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-api
spec:
  replicas: 1
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
        {{- include "inc.container" . | nindent 8 }}
"#;

const VALUES: &str = "api:\n  image:\n    repository: example/api\n    tag: latest\n  livenessProbe: {}\n";

/// A chart whose only container comes from a helper, with `tag: latest` and an empty
/// `livenessProbe` in its values; `edit` rewrites files before linting.
fn lint_chart(edit: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf, Vec<Finding>, Sources) {
    let dir = tempfile::tempdir().unwrap();
    let chart = dir.path().join("inc");
    write(
        &chart,
        &[
            ("Chart.yaml", CHART_YAML),
            ("values.yaml", VALUES),
            ("templates/_helpers.tpl", HELPERS),
            ("templates/deployment.yaml", DEPLOYMENT),
        ],
    );
    write(&chart, edit);
    let (findings, sources) = lint_files(std::slice::from_ref(&chart));
    (dir, chart, findings, sources)
}

fn find<'a>(findings: &'a [Finding], rule: &str) -> Option<&'a Finding> {
    findings.iter().find(|f| f.rule == rule)
}

fn at(sources: &Sources, span: plimsoll::source::Span) -> String {
    let loc = sources.location(span);
    let file = loc.file.rsplit('/').next().unwrap_or("").to_string();
    format!("{file}:{}", loc.line)
}

#[test]
fn printed_values_point_at_their_key_through_the_include_chain() {
    let (_dir, chart, findings, sources) = lint_chart(&[]);
    chart_finding_lines(&chart, &findings, &sources); // every location is in the chart
    let latest = find(&findings, "image-tag-latest").expect("image-tag-latest fires");
    assert_eq!(at(&sources, latest.span), "values.yaml:4");
    assert_eq!(latest.values_path.as_deref(), Some("api.image.tag"));
    assert!(latest.message.ends_with("(from `.Values.api.image.tag`)"), "{}", latest.message);
    let related: Vec<(String, &str)> =
        latest.related.iter().map(|r| (at(&sources, r.span), r.message.as_str())).collect();
    assert_eq!(related[0], ("_helpers.tpl:3".to_string(), "`.Values.api.image.tag` is printed here"));
    assert_eq!(related[1], ("deployment.yaml:14".to_string(), "included from here"));
    assert!(related[2].1.starts_with("rendered output (# Source: inc/templates/deployment.yaml)"));
}

#[test]
fn absent_fields_point_at_the_values_key_the_chart_exposes() {
    let (_dir, _chart, findings, sources) = lint_chart(&[]);
    let probe = find(&findings, "liveness-probe-missing").expect("liveness-probe-missing fires");
    assert_eq!(at(&sources, probe.span), "values.yaml:5");
    assert_eq!(probe.values_path.as_deref(), Some("api.livenessProbe"));
    assert!(probe.message.contains("`.Values.api.livenessProbe`"), "{}", probe.message);
    // The other side: the container's line in the helper, then the include call.
    assert_eq!(at(&sources, probe.related[0].span), "_helpers.tpl:2");
    assert_eq!(at(&sources, probe.related[1].span), "deployment.yaml:14");

    // No such key: the template line of the container, without a values path.
    let (_dir, _chart, findings, sources) =
        lint_chart(&[("values.yaml", "api:\n  image:\n    repository: example/api\n    tag: latest\n")]);
    let probe = find(&findings, "liveness-probe-missing").expect("still fires");
    assert_eq!(at(&sources, probe.span), "_helpers.tpl:2");
    assert_eq!(probe.values_path, None);
}

#[test]
fn ignore_comments_on_values_keys_and_the_keys_above_them() {
    let on_key = VALUES.replace("tag: latest", "tag: latest # plimsoll:ignore image-tag-latest -- pinned by CI");
    let (_dir, _chart, findings, _) = lint_chart(&[("values.yaml", &on_key)]);
    assert!(find(&findings, "image-tag-latest").is_none());
    assert!(find(&findings, "liveness-probe-missing").is_some(), "other rules are unaffected");

    let above = VALUES.replace("  image:\n", "  # plimsoll:ignore image-tag-latest\n  image:\n");
    let (_dir, _chart, findings, _) = lint_chart(&[("values.yaml", &above)]);
    assert!(find(&findings, "image-tag-latest").is_none(), "a comment above a parent key covers its subtree");

    let sibling = VALUES.replace("  livenessProbe: {}", "  livenessProbe: {} # plimsoll:ignore image-tag-latest");
    let (_dir, _chart, findings, _) = lint_chart(&[("values.yaml", &sibling)]);
    assert!(find(&findings, "image-tag-latest").is_some(), "a sibling key's comment does not apply");
}

#[test]
fn ignore_comments_on_template_lines_and_include_calls() {
    // On the helper line that prints the value (the finding itself is on the values key).
    let helper = HELPERS.replace(
        "  image: \"{{ .Values.api.image.repository }}:{{ .Values.api.image.tag }}\"",
        "  image: \"{{ .Values.api.image.repository }}:{{ .Values.api.image.tag }}\" {{/* plimsoll:ignore image-tag-latest */}}",
    );
    let (_dir, _chart, findings, _) = lint_chart(&[("templates/_helpers.tpl", &helper)]);
    assert!(find(&findings, "image-tag-latest").is_none());

    // Above the include call: everything rendered through it.
    let call = DEPLOYMENT.replace(
        "        {{- include",
        "        {{- /* plimsoll:ignore image-tag-latest, liveness-probe-missing */}}\n        {{- include",
    );
    let (_dir, _chart, findings, _) = lint_chart(&[("templates/deployment.yaml", &call)]);
    assert!(find(&findings, "image-tag-latest").is_none());
    assert!(find(&findings, "liveness-probe-missing").is_none());
    assert!(find(&findings, "readiness-probe-missing").is_some(), "unnamed rules are unaffected");
}

/// Run the binary on a fresh copy of the helper chart (exit 0 expected).
fn run_cli(args: &[&str]) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    let chart = dir.path().join("inc");
    write(
        &chart,
        &[
            ("Chart.yaml", CHART_YAML),
            ("values.yaml", VALUES),
            ("templates/_helpers.tpl", HELPERS),
            ("templates/deployment.yaml", DEPLOYMENT),
        ],
    );
    let args: Vec<&str> = ["check", "inc", "--no-config", "--no-color"].iter().chain(args).copied().collect();
    let out = plimsoll_in(dir.path(), &args);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    out
}

#[test]
fn a_value_set_by_a_flag_names_the_flag_and_points_at_the_template() {
    let report = json_report(&run_cli(&["--set", "api.image.tag=latest", "--format", "json"]));
    let latest = report["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "image-tag-latest").unwrap();
    assert_eq!(latest["valuesPath"], "api.image.tag");
    assert!(latest["message"]
        .as_str()
        .unwrap()
        .ends_with("(from `.Values.api.image.tag`, set by `--set api.image.tag=latest`)"));
    assert_eq!(latest["location"]["file"], "inc/templates/_helpers.tpl");
    assert_eq!(latest["location"]["line"], 3);
}

#[test]
fn human_output_shows_the_values_key_and_the_template_behind_it() {
    let text = String::from_utf8(run_cli(&[]).stdout).unwrap();
    let finding = text.split("\nimage-tag-latest\n").nth(1).expect("image-tag-latest is reported");
    let finding = finding.split("\nliveness-probe-missing").next().unwrap();
    // The values snippet first, with the key underlined ...
    let values = finding.find("╭─[inc/values.yaml:4:5]").expect("values snippet");
    // ... then the template that printed it and the include call, as snippets of their own.
    let helper = finding.find("╭─[inc/templates/_helpers.tpl:3:").expect("helper snippet");
    let call = finding.find("included from here").expect("include call label");
    assert!(values < helper && helper < call, "{finding}");
    assert!(finding.contains("`.Values.api.image.tag` is printed here"));
    assert!(finding.contains("help:"), "the rule's help is shown");
}
