//! The render source map: representative rendered fields map back to the template text, the
//! action, and the values key behind them (directly, through `default`, `quote`, `toYaml` of a
//! subtree, `include` and `tpl`).

use std::path::Path;

use plimsoll::render::chart;
use plimsoll::render::helm::{self, Request, SetFlag, ValuesOrigin, ValuesSources};
use plimsoll::render::template::trace::Origin;

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn chart_dir() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    let c = d.path();
    write(c, "Chart.yaml", "apiVersion: v2\nname: app\nversion: 0.1.0\n");
    write(
        c,
        "values.yaml",
        "image:\n  repository: nginx\n  tag: \"1.27\"\nresources:\n  limits:\n    memory: 128Mi\nname: web\ngreeting: \"hello {{ .Release.Name }}\"\nlabel: team-a\n",
    );
    write(c, "templates/_helpers.tpl", "{{- define \"app.name\" -}}\n{{ .Values.name }}-svc\n{{- end }}\n");
    write(
        c,
        "templates/deployment.yaml",
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "app.name" . }}
  labels:
    team: {{ .Values.label | quote }}
    tier: {{ .Values.tier | default "backend" }}
spec:
  template:
    spec:
      containers:
        - name: app
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
          resources:
            {{- toYaml .Values.resources | nindent 12 }}
          env:
            - name: GREETING
              value: {{ tpl .Values.greeting . | quote }}
"#,
    );
    d
}

/// The origins of the first occurrence of `needle` after `after` in the stream.
fn origins<'r>(r: &'r helm::Rendered, after: &str, needle: &str) -> Vec<&'r Origin> {
    let from = r.stream.find(after).unwrap_or_else(|| panic!("{after:?} not in stream:\n{}", r.stream));
    let at = from + r.stream[from..].find(needle).unwrap_or_else(|| panic!("{needle:?} not after {after:?}"));
    r.origins_at(at).into_iter().map(|s| &s.origin).collect()
}

fn value_path(origins: &[&Origin]) -> Option<String> {
    origins.iter().find_map(|o| match o {
        Origin::Value { path, .. } => Some(path.to_string()),
        _ => None,
    })
}

#[test]
fn rendered_fields_map_back_to_templates_and_values() {
    let dir = chart_dir();
    let loaded = chart::load_chart(dir.path()).unwrap();
    let r = helm::render(&loaded, Vec::new(), &Request { source_map: true, ..Request::default() }).unwrap();

    // Template text maps to its exact position in the template file.
    let at = r.stream.find("kind: Deployment").unwrap();
    let (file, pos) = r.template_position(at).expect("literal text");
    assert_eq!((&*file, pos), ("app/templates/deployment.yaml", 20));
    let at = r.stream.find("resources:").unwrap();
    assert_eq!(
        r.template_position(at).map(|(_, p)| p),
        Some(
            r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "app.name" . }}
  labels:
    team: {{ .Values.label | quote }}
    tier: {{ .Values.tier | default "backend" }}
spec:
  template:
    spec:
      containers:
        - name: app
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
          "#
            .len() as u32
        )
    );

    // Direct lookups, inside a quoted string.
    assert_eq!(value_path(&origins(&r, "image:", "nginx")), Some("image.repository".into()));
    assert_eq!(value_path(&origins(&r, "image:", "1.27")), Some("image.tag".into()));
    // Through quote.
    assert_eq!(value_path(&origins(&r, "team:", "team-a")), Some("label".into()));
    // Through default, when the key is absent: the template's action produced it.
    let o = origins(&r, "tier:", "backend");
    assert_eq!(value_path(&o), None);
    assert!(o.iter().any(|o| matches!(o, Origin::Action { file, .. } if &**file == "app/templates/deployment.yaml")));
    // toYaml of a subtree, re-indented by nindent: each leaf keeps its own path.
    assert_eq!(value_path(&origins(&r, "limits:", "128Mi")), Some("resources.limits.memory".into()));
    // Through include: the value printed inside the helper; the helper's literal text too.
    assert_eq!(value_path(&origins(&r, "name: ", "web")), Some("name".into()));
    let o = origins(&r, "name: web", "-svc");
    assert!(
        o.iter().any(|o| matches!(o, Origin::Text { file, .. } if &**file == "app/templates/_helpers.tpl")),
        "{o:?}"
    );
    // Through tpl: text that came from a values string maps to that key.
    assert_eq!(value_path(&origins(&r, "GREETING", "hello")), Some("greeting".into()));

    // Values paths resolve to the line in values.yaml a person edits.
    let file = |name: &str, line, column| Some(ValuesOrigin::File { name: name.into(), line, column });
    assert_eq!(helm::values_location(&loaded, "image.tag"), file("values.yaml", 3, 3));
    assert_eq!(helm::values_location(&loaded, "resources.limits.memory"), file("values.yaml", 6, 5));
}

#[test]
fn values_origins_follow_helms_precedence() {
    let dir = chart_dir();
    let loaded = chart::load_chart(dir.path()).unwrap();
    let override_file = dir.path().join("prod.yaml");
    std::fs::write(&override_file, "# production\nimage:\n  tag: \"1.28\"\n").unwrap();
    let files = helm::load_values_files(std::slice::from_ref(&override_file)).unwrap();
    let sources = ValuesSources { chart: &loaded, files, flags: vec![SetFlag::Set("name=api,label=team-b".into())] };
    // A -f file beats values.yaml...
    assert_eq!(
        sources.locate("image.tag"),
        Some(ValuesOrigin::File { name: override_file.display().to_string(), line: 3, column: 3 })
    );
    // ...which still answers for keys the file does not set...
    assert_eq!(
        sources.locate("image.repository"),
        Some(ValuesOrigin::File { name: "values.yaml".into(), line: 2, column: 3 })
    );
    // ...and --set beats both.
    assert_eq!(sources.locate("label"), Some(ValuesOrigin::Flag("--set name=api,label=team-b".into())));
    assert_eq!(sources.locate("nope"), None);
}

#[test]
fn the_source_map_does_not_change_the_output() {
    let dir = chart_dir();
    let loaded = chart::load_chart(dir.path()).unwrap();
    let plain = helm::render(&loaded, Vec::new(), &Request::default()).unwrap();
    let traced = helm::render(&loaded, Vec::new(), &Request { source_map: true, ..Request::default() }).unwrap();
    assert_eq!(plain.stream, traced.stream);
    assert!(plain.source_maps.is_empty());
}
