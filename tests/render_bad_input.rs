//! Bad chart input gives an error with the template position (and the call chain), never a
//! panic or a hang.

use std::path::Path;
use std::time::{Duration, Instant};

use plimsoll::render::helm::{self, Request};

fn render_template(template: &str, values: &str) -> Result<String, helm::RenderError> {
    let dir = tempfile::tempdir().unwrap();
    let c = dir.path();
    std::fs::create_dir_all(c.join("templates")).unwrap();
    std::fs::write(c.join("Chart.yaml"), "apiVersion: v2\nname: bad\nversion: 0.1.0\n").unwrap();
    std::fs::write(c.join("values.yaml"), values).unwrap();
    std::fs::write(c.join("templates/t.yaml"), template).unwrap();
    helm::render_dir(Path::new(c), &[], &Request::default())
}

fn err(template: &str, values: &str) -> String {
    let t = Instant::now();
    let e = render_template(template, values).expect_err("must fail");
    assert!(t.elapsed() < Duration::from_secs(20), "took {:?}", t.elapsed());
    e.message
}

#[test]
fn unclosed_actions_and_unknown_functions_are_parse_errors_with_lines() {
    assert_eq!(
        err("a: 1\nb: {{ .Values.x\n", ""),
        "parse error at (bad/templates/t.yaml:2): unclosed action\n\nUse --debug flag to render out invalid YAML"
    );
    assert_eq!(err("a: {{ nosuchfn 1 }}\n", ""), "parse error at (bad/templates/t.yaml:1): function \"nosuchfn\" not defined\n\nUse --debug flag to render out invalid YAML");
    assert!(err("{{ if .Values.a }}\n", "").starts_with("parse error at (bad/templates/t.yaml:1): unexpected EOF"));
}

#[test]
fn wrong_arity_and_types_name_the_action() {
    let e = err("a: {{ upper 1 }}\n", "");
    assert!(e.starts_with("bad/templates/t.yaml:1:6\n  executing \"bad/templates/t.yaml\" at <upper 1>:\n    wrong type for value; expected string; got int"), "{e}");
    let e = err("a: {{ default }}\n", "");
    assert!(e.contains("wrong number of args for default"), "{e}");
}

#[test]
fn missing_templates() {
    let e = err("a: {{ include \"nope\" . }}\n", "");
    assert!(e.contains("error calling include:") && e.contains("no template \"nope\""), "{e}");
    let e = err("a: {{ template \"nope\" . }}\n", "");
    assert!(e.contains("template \"nope\" not defined"), "{e}");
}

#[test]
fn include_recursion_stops_with_helms_message() {
    let e = err("{{ define \"r\" }}{{ include \"r\" . }}{{ end }}a: {{ include \"r\" . }}\n", "");
    assert!(e.contains("rendering template has a nested reference name: r"), "{}", &e[..e.len().min(300)]);
}

#[test]
fn tpl_loops_stop() {
    // A value that renders itself through tpl, forever.
    let e = err("a: {{ tpl .Values.loop . }}\n", "loop: \"{{ tpl .Values.loop . }}\"\n");
    assert!(e.contains("exceeded maximum template depth"), "{}", &e[..e.len().min(300)]);
}

#[test]
fn huge_ranges_are_refused_not_allocated() {
    let e = err("{{ range until 100000000000 }}x{{ end }}\n", "");
    assert!(e.contains("until"), "{}", &e[..e.len().min(300)]);
}

#[test]
fn invalid_yaml_produced_by_a_template() {
    let e = err("a: [1\nb: 2\n", "");
    assert!(e.starts_with("YAML parse error on bad/templates/t.yaml: "), "{e}");
}

#[test]
fn nil_pointer_chains_point_at_the_field() {
    let e = err("line1: x\na: {{ .Values.missing.deeper }}\n", "");
    assert!(e.starts_with("bad/templates/t.yaml:2:13\n  executing \"bad/templates/t.yaml\" at <.Values.missing.deeper>:\n    nil pointer evaluating interface {}.deeper"), "{e}");
}
