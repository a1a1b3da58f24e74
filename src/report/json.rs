//! Stable JSON for editors and CI (`schemas/report.schema.json`). Names and key order are a
//! contract: change them only together with `FORMAT_VERSION`.

use std::io::{self, Write};

use serde::Serialize;

use super::ReportInput;
use crate::discover::InputProblem;
use crate::finding::{Finding, ObjectIdent, Severity};
use crate::source::{Sources, Span};

/// Bumped on any incompatible change to the document's shape.
const FORMAT_VERSION: u32 = 2;

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    tool: Tool,
    summary: Counts,
    findings: Vec<FindingOut<'a>>,
    notices: &'a [String],
    /// Inputs that could not be read: the run failed (exit 2) even with no findings.
    errors: &'a [InputProblem],
    /// Inputs deliberately not read (special files, symlinks leaving the scanned tree).
    skipped: &'a [InputProblem],
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Counts {
    files: usize,
    documents: usize,
    objects: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FindingOut<'a> {
    rule: &'a str,
    severity: Severity,
    message: &'a str,
    /// Always present (null when absent) so consumers need no key checks.
    object: Option<&'a ObjectIdent>,
    location: LocationOut,
    /// The `.Values` path behind a chart finding (null otherwise).
    values_path: Option<&'a str>,
    related: Vec<RelatedOut<'a>>,
    help: Option<&'a str>,
}

#[derive(Serialize)]
struct RelatedOut<'a> {
    message: &'a str,
    location: LocationOut,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LocationOut {
    file: String,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
}

pub fn write(input: &ReportInput<'_>, out: &mut dyn Write) -> io::Result<()> {
    let report = Report {
        version: FORMAT_VERSION,
        tool: Tool { name: "plimsoll", version: env!("CARGO_PKG_VERSION") },
        summary: counts(input),
        findings: input.findings.iter().map(|f| finding(input.sources, f)).collect(),
        notices: input.notices,
        errors: input.errors,
        skipped: input.skipped,
    };
    // The caller buffers `out`; streaming keeps memory flat on large reports.
    serde_json::to_writer_pretty(&mut *out, &report).map_err(io::Error::from)?;
    out.write_all(b"\n")
}

fn counts(input: &ReportInput<'_>) -> Counts {
    Counts {
        files: input.summary.files,
        documents: input.summary.documents,
        objects: input.summary.objects,
        errors: input.count(Severity::Error),
        warnings: input.count(Severity::Warning),
        infos: input.count(Severity::Info),
    }
}

fn finding<'a>(sources: &Sources, f: &'a Finding) -> FindingOut<'a> {
    FindingOut {
        rule: &f.rule,
        severity: f.severity,
        message: &f.message,
        object: f.object.as_deref(),
        location: location(sources, f.span),
        values_path: f.values_path.as_deref(),
        related: f
            .related
            .iter()
            .map(|r| RelatedOut { message: &r.message, location: location(sources, r.span) })
            .collect(),
        help: f.help.as_deref(),
    }
}

fn location(sources: &Sources, span: Span) -> LocationOut {
    let loc = sources.location(span);
    LocationOut {
        file: loc.file,
        line: loc.line,
        column: loc.column,
        end_line: loc.end_line,
        end_column: loc.end_column,
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use serde_json::{json, Value};

    use super::*;
    use crate::finding::Related;
    use crate::report::Summary;
    use crate::source::{FileId, SourceFile};

    // Line 3 holds a non-ASCII name so columns must count code points, not bytes.
    const TEXT: &str = "apiVersion: v1\nkind: Pod\nmetadata: {name: café, namespace: prod}\nspec:\n  containers:\n    - image: nginx:latest\n";

    struct Fixture {
        sources: Sources,
        findings: Vec<Finding>,
        notices: Vec<String>,
    }

    impl Fixture {
        fn input(&self) -> ReportInput<'_> {
            ReportInput {
                findings: &self.findings,
                sources: &self.sources,
                rules: &[],
                summary: Summary { files: 1, documents: 1, objects: 1 },
                notices: &self.notices,
                quiet: false,
                errors: &[],
                skipped: &[],
            }
        }
    }

    fn span_of(file: FileId, needle: &str) -> Span {
        let start = TEXT.find(needle).expect("needle in fixture") as u32;
        Span::new(file, start, start + needle.len() as u32)
    }

    fn fixture() -> Fixture {
        let mut sources = Sources::default();
        let file = sources.add(SourceFile::new("deploy/pod.yaml".into(), None, Arc::from(TEXT)));
        let object = ObjectIdent {
            api_version: "v1".into(),
            kind: "Pod".into(),
            name: Some("café".into()),
            namespace: Some("prod".into()),
        };
        let findings = vec![
            Finding {
                rule: "name-format".into(),
                severity: Severity::Warning,
                message: "name is not a DNS label".into(),
                span: span_of(file, "café"),
                object: Some(std::sync::Arc::new(object.clone())),
                related: Vec::new(),
                help: None,
                object_index: None,
                values_path: None,
                missing: Vec::new(),
                missing_at_anchor: false,
            },
            Finding {
                rule: "image-tag-latest".into(),
                severity: Severity::Error,
                message: "image uses the `latest` tag".into(),
                span: span_of(file, "nginx:latest"),
                object: Some(std::sync::Arc::new(object)),
                related: vec![Related::new(span_of(file, "metadata"), "object defined here")],
                help: Some("Pin the image to a version or digest.".into()),
                object_index: None,
                values_path: None,
                missing: Vec::new(),
                missing_at_anchor: false,
            },
            Finding {
                rule: "file-level".into(),
                severity: Severity::Info,
                message: "no object".into(),
                span: Span::new(file, 0, 0),
                object: None,
                related: Vec::new(),
                help: None,
                object_index: None,
                values_path: None,
                missing: Vec::new(),
                missing_at_anchor: false,
            },
        ];
        Fixture { sources, findings, notices: vec!["charts are not rendered yet".into()] }
    }

    fn render(input: &ReportInput<'_>) -> String {
        let mut out = Vec::new();
        write(input, &mut out).expect("write to Vec");
        String::from_utf8(out).expect("utf-8")
    }

    fn schema_errors(doc: &Value) -> Vec<String> {
        let schema: Value =
            serde_json::from_str(include_str!("../../schemas/report.schema.json")).expect("schema is JSON");
        let validator =
            jsonschema::options().with_draft(jsonschema::Draft::Draft7).build(&schema).expect("schema compiles");
        validator.iter_errors(doc).map(|e| format!("{} at {}", e, e.instance_path())).collect()
    }

    #[test]
    fn validates_against_report_schema() {
        let fx = fixture();
        let doc: Value = serde_json::from_str(&render(&fx.input())).expect("output is JSON");
        assert_eq!(schema_errors(&doc), Vec::<String>::new());
    }

    #[test]
    fn empty_report_validates() {
        let fx = Fixture { sources: Sources::default(), findings: Vec::new(), notices: Vec::new() };
        let doc: Value = serde_json::from_str(&render(&fx.input())).expect("output is JSON");
        assert_eq!(schema_errors(&doc), Vec::<String>::new());
        assert_eq!(doc["findings"], json!([]));
    }

    #[test]
    fn input_errors_and_skips_are_listed() {
        let fx = fixture();
        let errors = [InputProblem { path: "x.yaml".into(), message: "permission denied".into() }];
        let skipped = [InputProblem { path: "f.yaml".into(), message: "not a regular file (FIFO)".into() }];
        let doc: Value =
            serde_json::from_str(&render(&ReportInput { errors: &errors, skipped: &skipped, ..fx.input() }))
                .expect("output is JSON");
        assert_eq!(schema_errors(&doc), Vec::<String>::new());
        assert_eq!(doc["errors"], json!([{"path": "x.yaml", "message": "permission denied"}]));
        assert_eq!(doc["skipped"], json!([{"path": "f.yaml", "message": "not a regular file (FIFO)"}]));
        let clean: Value = serde_json::from_str(&render(&fx.input())).expect("output is JSON");
        assert_eq!((clean["errors"].clone(), clean["skipped"].clone()), (json!([]), json!([])));
    }

    #[test]
    fn schema_rejects_unknown_keys() {
        // Guards the schema itself: additionalProperties must be closed.
        let fx = fixture();
        let mut doc: Value = serde_json::from_str(&render(&fx.input())).expect("output is JSON");
        doc["findings"][0]["location"]["offset"] = json!(3);
        assert!(!schema_errors(&doc).is_empty());
    }

    #[test]
    fn finding_on_line_three_has_code_point_columns() {
        let fx = fixture();
        let doc: Value = serde_json::from_str(&render(&fx.input())).expect("output is JSON");
        let first = &doc["findings"][0];
        // "metadata: {name: " is 17 chars; "café" is 4 code points but 5 bytes.
        assert_eq!(
            first["location"],
            json!({"file": "deploy/pod.yaml", "line": 3, "column": 18, "endLine": 3, "endColumn": 22})
        );
        assert_eq!(first["object"], json!({"apiVersion": "v1", "kind": "Pod", "name": "café", "namespace": "prod"}));
        assert_eq!(first["help"], Value::Null);
    }

    #[test]
    fn related_help_null_object_and_summary() {
        let fx = fixture();
        let doc: Value = serde_json::from_str(&render(&fx.input())).expect("output is JSON");
        let second = &doc["findings"][1];
        assert_eq!(second["related"][0]["message"], "object defined here");
        assert_eq!(second["related"][0]["location"]["line"], 3);
        assert_eq!(second["related"][0]["location"]["column"], 1);
        assert_eq!(second["help"], "Pin the image to a version or digest.");
        assert_eq!(doc["findings"][2]["object"], Value::Null);
        assert_eq!(
            doc["summary"],
            json!({"files": 1, "documents": 1, "objects": 1, "errors": 1, "warnings": 1, "infos": 1})
        );
        assert_eq!(doc["tool"], json!({"name": "plimsoll", "version": env!("CARGO_PKG_VERSION")}));
        assert_eq!(doc["notices"], json!(["charts are not rendered yet"]));
    }

    #[test]
    fn keys_keep_documented_order_and_output_ends_with_newline() {
        let fx = fixture();
        let text = render(&fx.input());
        assert!(text.starts_with("{\n  \"version\": 2,\n  \"tool\": {"));
        assert!(text.ends_with("}\n") && !text.ends_with("\n\n"));
        let order = |keys: &[&str], within: &str| {
            let positions: Vec<usize> =
                keys.iter().map(|k| within.find(&format!("\"{k}\":")).expect("key present")).collect();
            assert!(positions.windows(2).all(|w| w[0] < w[1]), "order of {keys:?}");
        };
        order(&["version", "tool", "summary", "findings", "notices"], &text);
        // Top-level keys only (`errors` is also a summary count).
        let top: Vec<usize> = ["notices", "errors", "skipped"]
            .iter()
            .map(|k| text.find(&format!("\n  \"{k}\":")).expect("top-level key present"))
            .collect();
        assert!(top.windows(2).all(|w| w[0] < w[1]), "notices, errors, skipped in order");
        let finding = &text[text.find("\"rule\"").expect("a finding")..];
        order(&["rule", "severity", "message", "object", "location", "valuesPath", "related", "help"], finding);
        order(&["file", "line", "column", "endLine", "endColumn"], finding);
        order(&["apiVersion", "kind", "name", "namespace"], finding);
    }

    #[test]
    fn output_is_byte_identical_across_calls() {
        let fx = fixture();
        assert_eq!(render(&fx.input()), render(&fx.input()));
    }
}
