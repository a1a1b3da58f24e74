use super::*;
use crate::render::value::Map;

fn render_set(files: &[(&str, &str)], main: &str, data: Value) -> Result<String, ExecError> {
    let funcs = Registry::standard();
    let mut set = TemplateSet::default();
    for (name, src) in files {
        set.add(name, src, &funcs).map_err(|e| ExecError {
            message: e.to_string(),
            file: String::new(),
            line: 0,
            col: 0,
            user_message: None,
        })?;
    }
    Engine::new(&set, &funcs).execute(main, &data)
}

fn render(src: &str, data: Value) -> Result<String, ExecError> {
    render_set(&[("t", src)], "t", data)
}

fn values(pairs: &[(&str, Value)]) -> Value {
    Value::map(pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect::<Map>())
}

#[test]
fn trim_markers_and_text() {
    // text/template doc: "{{23 -}} < {{- 45}}" produces "23<45".
    assert_eq!(render("{{23 -}} < {{- 45}}", Value::Nil).unwrap(), "23<45");
}

#[test]
fn missing_keys_print_no_value_but_nested_access_fails() {
    // missingkey=zero (Helm's setting): a missing key is the zero interface, printed "<no value>".
    assert_eq!(render("[{{ .a }}]", Value::empty_map()).unwrap(), "[<no value>]");
    // A field of that nil interface is the classic Helm error.
    // Go positions a multi-field node at its second field (here `.b`, column 7), as the
    // corpus golden streamspace-patched/default.error shows (`_helpers.tpl:101:14`).
    let err = render("x\n  {{ .a.b }}", Value::empty_map()).unwrap_err();
    assert_eq!(err.message, "template: t:2:7: executing \"t\" at <.a.b>: nil pointer evaluating interface {}.b");
    assert_eq!((err.line, err.col), (2, 7));
    // ...but through a variable the nil is an invalid value, and fields of it are quietly invalid.
    assert_eq!(render("{{ $x := .a }}[{{ $x.b }}]", Value::empty_map()).unwrap(), "[<no value>]");
}

#[test]
fn fields_of_scalars_are_errors() {
    let data = values(&[("s", Value::str("x"))]);
    let err = render("{{ .s.t }}", data).unwrap_err();
    assert!(err.message.ends_with("can't evaluate field t in type interface {}"), "{}", err.message);
}

#[test]
fn if_else_if_chains_and_with() {
    let t = "{{ if .a }}A{{ else if .b }}B{{ else }}C{{ end }}";
    assert_eq!(render(t, values(&[("b", Value::Bool(true))])).unwrap(), "B");
    assert_eq!(render(t, Value::empty_map()).unwrap(), "C");
    let w = "{{ with .m }}{{ .k }}{{ else }}none{{ end }}";
    assert_eq!(render(w, values(&[("m", values(&[("k", Value::Int(1))]))])).unwrap(), "1");
    assert_eq!(render(w, values(&[("m", Value::empty_map())])).unwrap(), "none");
}

#[test]
fn range_forms() {
    let m = values(&[("b", Value::Int(2)), ("a", Value::Int(1))]);
    // Maps iterate in sorted key order.
    assert_eq!(render("{{ range $k, $v := . }}{{ $k }}={{ $v }};{{ end }}", m).unwrap(), "a=1;b=2;");
    let l = Value::list(vec![Value::str("x"), Value::str("y"), Value::str("z")]);
    assert_eq!(render("{{ range $i, $e := . }}{{ $i }}{{ $e }}{{ end }}", l.clone()).unwrap(), "0x1y2z");
    assert_eq!(
        render("{{ range . }}{{ if eq . \"y\" }}{{ continue }}{{ end }}{{ . }}{{ end }}", l.clone()).unwrap(),
        "xz"
    );
    assert_eq!(render("{{ range . }}{{ if eq . \"y\" }}{{ break }}{{ end }}{{ . }}{{ end }}", l).unwrap(), "x");
    assert_eq!(render("{{ range .none }}x{{ else }}empty{{ end }}", Value::empty_map()).unwrap(), "empty");
    // Go 1.22: range over an int.
    assert_eq!(render("{{ range 3 }}{{ . }}{{ end }}", Value::Nil).unwrap(), "012");
    let err = render("{{ range 1.5 }}{{ end }}", Value::Nil).unwrap_err();
    assert!(err.message.ends_with("range can't iterate over 1.5"), "{}", err.message);
}

#[test]
fn variables_assign_across_scopes() {
    assert_eq!(render("{{ $x := 1 }}{{ range 2 }}{{ $x = . }}{{ end }}{{ $x }}", Value::Nil).unwrap(), "1");
    assert_eq!(render("{{ $ }}", Value::Int(7)).unwrap(), "7");
}

#[test]
fn define_template_and_include() {
    let files = [
        ("_h.tpl", "{{ define \"name\" }}n-{{ .x }}{{ end }}"),
        ("t", "{{ template \"name\" . }}|{{ include \"name\" . }}"),
    ];
    assert_eq!(render_set(&files, "t", values(&[("x", Value::Int(1))])).unwrap(), "n-1|n-1");
    let err = render_set(&[("t", "{{ template \"nope\" . }}")], "t", Value::Nil).unwrap_err();
    assert!(err.message.ends_with("template \"nope\" not defined"), "{}", err.message);
}

#[test]
fn include_recursion_is_capped_like_helm() {
    let files = [("t", "{{ define \"loop\" }}{{ include \"loop\" . }}{{ end }}{{ include \"loop\" . }}")];
    let err = render_set(&files, "t", Value::Nil).unwrap_err();
    assert!(
        err.message.contains("rendering template has a nested reference name: loop"),
        "{}",
        &err.message[..200.min(err.message.len())]
    );
}

#[test]
fn tpl_renders_strings_with_local_defines() {
    let data = values(&[(
        "v",
        values(&[("t", Value::str("{{ define \"x\" }}X{{ end }}{{ template \"x\" }}-{{ .n }}")), ("n", Value::Int(3))]),
    )]);
    assert_eq!(render("{{ tpl .v.t .v }}", data).unwrap(), "X-3");
    // Defines from a tpl string do not leak.
    let err = render_set(
        &[("t", "{{ tpl \"{{ define \\\"y\\\" }}{{ end }}\" . }}{{ template \"y\" }}")],
        "t",
        Value::empty_map(),
    );
    assert!(err.is_err());
}

#[test]
fn comparisons_follow_go() {
    assert_eq!(
        render("{{ eq 1 1 }} {{ ne \"a\" \"b\" }} {{ lt 1 2 }} {{ ge 2.5 2.5 }} {{ eq 1 2 3 1 }}", Value::Nil).unwrap(),
        "true true true true true"
    );
    // Values from YAML are float64; literals are int: Go refuses to compare them.
    let err = render("{{ eq .n 1 }}", values(&[("n", Value::Float(1.0))])).unwrap_err();
    assert!(err.message.ends_with("error calling eq: incompatible types for comparison"), "{}", err.message);
    // nil compares unequal to anything without an error.
    assert_eq!(render("{{ eq .missing \"x\" }}", Value::empty_map()).unwrap(), "false");
}

#[test]
fn and_or_short_circuit() {
    assert_eq!(render("{{ and false (index nil 1) }}", Value::Nil).unwrap(), "false");
    assert_eq!(render("{{ or \"\" 0 \"x\" }}", Value::Nil).unwrap(), "x");
    assert_eq!(render("{{ and 1 \"y\" }}", Value::Nil).unwrap(), "y");
    assert_eq!(render("{{ not 0 }}", Value::Nil).unwrap(), "true");
}

#[test]
fn len_index_and_printing() {
    let data =
        values(&[("l", Value::list(vec![Value::Int(1), Value::Float(1e6)])), ("m", values(&[("k", Value::str("v"))]))]);
    assert_eq!(
        render("{{ len .l }} {{ index .l 1 }} {{ index .m \"k\" }} {{ .l }} {{ .m }}", data.clone()).unwrap(),
        "2 1e+06 v [1 1e+06] map[k:v]"
    );
    let err = render("{{ index .l 5 }}", data).unwrap_err();
    assert!(err.message.ends_with("error calling index: index out of range: 5"), "{}", err.message);
    assert_eq!(render("{{ 1.5 }} {{ 3 }} {{ true }} {{ \"s\" }}", Value::Nil).unwrap(), "1.5 3 true s");
}

#[test]
fn required_and_fail_carry_the_users_message() {
    let err = render("{{ required \"image.repository is required\" .x }}", Value::empty_map()).unwrap_err();
    assert_eq!(err.user_message.as_deref(), Some("image.repository is required"));
    assert!(err.message.ends_with("error calling required: image.repository is required"));
    let err = render("{{ fail \"nope\" }}", Value::Nil).unwrap_err();
    assert_eq!(err.user_message.as_deref(), Some("nope"));
    assert_eq!(render("{{ required \"m\" .x }}", values(&[("x", Value::Int(0))])).unwrap(), "0");
}

#[test]
fn lookup_never_touches_a_cluster() {
    assert_eq!(render("{{ lookup \"v1\" \"Secret\" \"ns\" \"n\" }}", Value::Nil).unwrap(), "map[]");
}

#[test]
fn pipelines_pass_the_final_argument() {
    assert_eq!(render("{{ 3 | eq 3 }}", Value::Nil).unwrap(), "true");
    let err = render("{{ 3 | 4 }}", Value::Nil).unwrap_err();
    assert!(err.message.ends_with("can't give argument to non-function 4"), "{}", err.message);
}
