//! SARIF 2.1.0 for code-scanning dashboards (GitHub, Azure DevOps, IDE viewers). Hand-written
//! structs keep the output to what we fill and let serde fix the key order.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{self, Write};
use std::sync::Arc;

use serde::Serialize;

use super::ReportInput;
use crate::check::RuleMeta;
use crate::finding::{Finding, ObjectIdent, Severity};
use crate::source::{FileId, Sources, Span};

const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// Home of the tool; `check::DOCS_BASE` lives below it (a test keeps them in step).
const INFORMATION_URI: &str = "https://github.com/plimsoll-lint/plimsoll";
/// Versioned so a change of recipe reads as new keys, not as every result changing.
const FINGERPRINT_KEY: &str = "plimsoll/v1";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    invocations: Vec<Invocation<'a>>,
    column_kind: &'static str,
    artifacts: Vec<Artifact>,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    information_uri: &'static str,
    rules: Vec<Descriptor<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor<'a> {
    id: &'a str,
    name: String,
    short_description: Text<'a>,
    full_description: Text<'a>,
    help: Help<'a>,
    help_uri: String,
    default_configuration: Configuration,
    properties: RuleProperties<'a>,
}

#[derive(Serialize)]
struct Text<'a> {
    text: &'a str,
}

#[derive(Serialize)]
struct Help<'a> {
    text: &'a str,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties<'a> {
    category: &'a str,
}

/// Run notices ride along as tool notifications so SARIF consumers do not lose them.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation<'a> {
    execution_successful: bool,
    tool_execution_notifications: Vec<Notification<'a>>,
}

#[derive(Serialize)]
struct Notification<'a> {
    message: Text<'a>,
    level: &'static str,
    /// The input a notification is about (unreadable or skipped files).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<NotificationLocation>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NotificationLocation {
    physical_location: NotificationPhysical,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NotificationPhysical {
    artifact_location: ArtifactUri,
}

#[derive(Serialize)]
struct Artifact {
    location: ArtifactUri,
}

/// In `run.artifacts` the entry's position is its index, so only the URI is given.
#[derive(Serialize)]
struct ArtifactUri {
    uri: String,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
    index: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    /// Absent when the finding's rule has no metadata in this run (e.g. parse errors).
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text<'a>,
    locations: [ResultLocation<'a>; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<ResultLocation<'a>>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<ResultProperties<'a>>,
}

/// plimsoll's own result data (SARIF property bag).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultProperties<'a> {
    /// The `.Values` path behind a chart finding.
    values_path: &'a str,
}

/// SARIF `location`: the primary one carries the object, related ones an id and a message.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultLocation<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    logical_locations: Vec<LogicalLocation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation<'a> {
    artifact_location: ArtifactLocation,
    region: Region<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region<'a> {
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
    snippet: Text<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation {
    name: String,
    fully_qualified_name: String,
    kind: &'static str,
}

pub fn write(input: &ReportInput<'_>, out: &mut dyn Write) -> io::Result<()> {
    let rules = unique_rules(input.rules);
    let rule_index: HashMap<&str, usize> = rules.iter().enumerate().map(|(i, r)| (r.id.as_str(), i)).collect();
    let mut artifacts = Artifacts::default();
    let results = input
        .findings
        .iter()
        .map(|f| result(input.sources, &mut artifacts, rule_index.get(f.rule.as_str()).copied(), f))
        .collect();
    let log = Log {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "plimsoll",
                    version: env!("CARGO_PKG_VERSION"),
                    information_uri: INFORMATION_URI,
                    rules: rules.iter().copied().map(descriptor).collect(),
                },
            },
            invocations: invocations(input),
            column_kind: "unicodeCodePoints",
            artifacts: artifacts.into_list(),
            results,
        }],
    };
    // The caller buffers `out`; streaming keeps memory flat on large logs.
    serde_json::to_writer_pretty(&mut *out, &log).map_err(io::Error::from)?;
    out.write_all(b"\n")
}

/// `rules` must hold unique items; keep the first of any repeated id.
fn unique_rules(rules: &[Arc<RuleMeta>]) -> Vec<&RuleMeta> {
    let mut seen = HashSet::new();
    rules.iter().map(|r| r.as_ref()).filter(|r| seen.insert(r.id.as_str())).collect()
}

fn descriptor(rule: &RuleMeta) -> Descriptor<'_> {
    Descriptor {
        id: &rule.id,
        name: pascal_case(&rule.id),
        short_description: Text { text: &rule.summary },
        full_description: Text { text: &rule.rationale },
        help: Help { text: &rule.remediation, markdown: help_markdown(rule) },
        help_uri: rule.docs_url(),
        default_configuration: Configuration { level: level(rule.severity) },
        properties: RuleProperties { category: &rule.category },
    }
}

fn invocations<'a>(input: &ReportInput<'a>) -> Vec<Invocation<'a>> {
    let about = |path: &str| {
        vec![NotificationLocation {
            physical_location: NotificationPhysical { artifact_location: ArtifactUri { uri: file_uri(path) } },
        }]
    };
    let mut notifications: Vec<Notification<'a>> = Vec::new();
    for e in input.errors {
        notifications.push(Notification {
            message: Text { text: &e.message },
            level: "error",
            locations: about(&e.path),
        });
    }
    for s in input.skipped {
        notifications.push(Notification {
            message: Text { text: &s.message },
            level: "warning",
            locations: about(&s.path),
        });
    }
    notifications.extend(input.notices.iter().map(|n| Notification {
        message: Text { text: n },
        level: "note",
        locations: Vec::new(),
    }));
    if notifications.is_empty() {
        return Vec::new();
    }
    // An input that could not be read means the run did not check everything it was asked to.
    vec![Invocation { execution_successful: input.errors.is_empty(), tool_execution_notifications: notifications }]
}

fn result<'a>(
    sources: &'a Sources,
    artifacts: &mut Artifacts,
    rule_index: Option<usize>,
    f: &'a Finding,
) -> SarifResult<'a> {
    let primary = ResultLocation {
        id: None,
        physical_location: physical(sources, artifacts, f.span),
        logical_locations: f.object.iter().map(|o| logical(o)).collect(),
        message: None,
    };
    let related = f
        .related
        .iter()
        .enumerate()
        .map(|(i, r)| ResultLocation {
            id: Some(i),
            physical_location: physical(sources, artifacts, r.span),
            logical_locations: Vec::new(),
            message: Some(Text { text: &r.message }),
        })
        .collect();
    let uri = file_uri(&sources.get(f.span.file).name);
    SarifResult {
        rule_id: &f.rule,
        rule_index,
        level: level(f.severity),
        message: Text { text: &f.message },
        locations: [primary],
        related_locations: related,
        partial_fingerprints: BTreeMap::from([(FINGERPRINT_KEY, fingerprint(f, &uri))]),
        properties: f.values_path.as_deref().map(|values_path| ResultProperties { values_path }),
    }
}

fn physical<'a>(sources: &'a Sources, artifacts: &mut Artifacts, span: Span) -> PhysicalLocation<'a> {
    let loc = sources.location(span);
    let file = sources.get(span.file);
    PhysicalLocation {
        artifact_location: artifacts.location(span.file, &file.name),
        region: Region {
            start_line: loc.line,
            start_column: loc.column,
            end_line: loc.end_line,
            end_column: loc.end_column,
            snippet: Text { text: file.line_text(loc.line as usize - 1) },
        },
    }
}

fn logical(object: &ObjectIdent) -> LogicalLocation {
    let name = object.name.as_deref().unwrap_or("<unnamed>");
    let qualified = match &object.namespace {
        Some(ns) => format!("{}/{ns}/{name}", object.kind),
        None => format!("{}/{name}", object.kind),
    };
    LogicalLocation { name: name.to_string(), fully_qualified_name: qualified, kind: "resource" }
}

/// Files in order of first reference, each listed once.
#[derive(Default)]
struct Artifacts {
    index: HashMap<FileId, usize>,
    by_uri: HashMap<String, usize>,
    uris: Vec<String>,
}

impl Artifacts {
    fn location(&mut self, file: FileId, name: &str) -> ArtifactLocation {
        let index = match self.index.get(&file) {
            Some(&i) => i,
            None => {
                // Two sources can be one file (a chart's Chart.yaml is linted, and is also where
                // a failed render is reported): SARIF wants one artifact per URI.
                let uri = file_uri(name);
                let uris = &mut self.uris;
                let i = *self.by_uri.entry(uri).or_insert_with_key(|uri| {
                    uris.push(uri.clone());
                    uris.len() - 1
                });
                self.index.insert(file, i);
                i
            }
        };
        ArtifactLocation { uri: self.uris[index].clone(), index }
    }

    fn into_list(self) -> Vec<Artifact> {
        self.uris.into_iter().map(|uri| Artifact { location: ArtifactUri { uri } }).collect()
    }
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A relative URI reference for a path as the user gave it: forward slashes, and everything
/// outside RFC 3986 `pchar` (plus `:`, which would read as a scheme) percent-encoded.
fn file_uri(path: &str) -> String {
    let mut uri = String::with_capacity(path.len());
    for byte in path.replace('\\', "/").bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=@/".contains(&byte) {
            uri.push(byte as char);
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri
}

/// `image-tag-latest` → `ImageTagLatest`.
fn pascal_case(id: &str) -> String {
    id.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|part| !part.is_empty())
        .flat_map(|part| {
            let mut chars = part.chars();
            chars.next().map(|c| c.to_ascii_uppercase()).into_iter().chain(chars)
        })
        .collect()
}

fn help_markdown(rule: &RuleMeta) -> String {
    let mut md = rule.remediation.to_string();
    for (label, example) in [("Bad", &rule.example.bad), ("Good", &rule.example.good)] {
        let example = example.trim_end();
        if example.is_empty() {
            continue;
        }
        let fence = fence_for(example);
        md.push_str(&format!("\n\n{label}:\n\n{fence}yaml\n{example}\n{fence}"));
    }
    md
}

/// A backtick fence longer than any backtick run inside the example, so it cannot close early.
fn fence_for(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    "`".repeat(longest.max(2) + 1)
}

/// Identity of a result across runs: rule, file, object and message, but not its position, so
/// editing unrelated lines above it does not make it look new.
fn fingerprint(f: &Finding, uri: &str) -> String {
    let object = f.object.as_ref();
    let fields = [
        f.rule.as_str(),
        uri,
        object.map_or("", |o| o.api_version.as_str()),
        object.map_or("", |o| o.kind.as_str()),
        object.and_then(|o| o.namespace.as_deref()).unwrap_or(""),
        object.and_then(|o| o.name.as_deref()).unwrap_or(""),
        f.message.as_str(),
    ];
    let mut hash = Fnv1a::default();
    for field in fields {
        hash.write(field.as_bytes());
        // Separator: ("ab", "c") and ("a", "bc") must differ.
        hash.write(&[0]);
    }
    format!("{:016x}", hash.0)
}

/// FNV-1a, 64 bit: tiny, stable across platforms and releases (unlike `DefaultHasher`).
struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Self {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv1a {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::*;
    use crate::check::{Example, DOCS_BASE};
    use crate::discover::InputProblem;
    use crate::finding::Related;
    use crate::report::Summary;
    use crate::source::SourceFile;

    const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata: {name: café, namespace: prod}\nspec:\n  containers:\n    - image: nginx:latest\n";
    const ODD: &str = "kind: ConfigMap\n";

    struct Fixture {
        sources: Sources,
        findings: Vec<Finding>,
        rules: Vec<Arc<RuleMeta>>,
        notices: Vec<String>,
    }

    impl Fixture {
        fn input(&self) -> ReportInput<'_> {
            ReportInput {
                findings: &self.findings,
                sources: &self.sources,
                rules: &self.rules,
                summary: Summary::default(),
                notices: &self.notices,
                quiet: false,
                errors: &[],
                skipped: &[],
            }
        }
    }

    fn rule(id: &str, severity: Severity) -> Arc<RuleMeta> {
        Arc::new(RuleMeta {
            id: id.into(),
            category: "images".into(),
            severity,
            opt_in: false,
            summary: "Images must not use the latest tag.".into(),
            rationale: "A moving tag makes rollouts unreproducible.".into(),
            fires: "When an image has no tag or the tag `latest`.".into(),
            remediation: "Pin the image to a version or digest.".into(),
            example: Example { bad: "image: nginx:latest\n".into(), good: "image: nginx:1.27\n".into() },
            options: Vec::new(),
        })
    }

    fn span_in(text: &str, file: FileId, needle: &str) -> Span {
        let start = text.find(needle).expect("needle in fixture") as u32;
        Span::new(file, start, start + needle.len() as u32)
    }

    fn pod() -> ObjectIdent {
        ObjectIdent {
            api_version: "v1".into(),
            kind: "Pod".into(),
            name: Some("café".into()),
            namespace: Some("prod".into()),
        }
    }

    /// `pod_text` lets a test shift the finding to other lines without changing anything else.
    fn fixture_with(pod_text: &str) -> Fixture {
        let mut sources = Sources::default();
        let pod_file = sources.add(SourceFile::new("deploy/pod.yaml".into(), None, Arc::from(pod_text)));
        let odd_file = sources.add(SourceFile::new("odd dir\\a,b:c.yaml".into(), None, Arc::from(ODD)));
        let findings = vec![
            Finding {
                rule: "image-tag-latest".into(),
                severity: Severity::Error,
                message: "image `nginx:latest` uses the latest tag".into(),
                span: span_in(pod_text, pod_file, "nginx:latest"),
                object: Some(std::sync::Arc::new(pod())),
                related: vec![Related::new(span_in(pod_text, pod_file, "café"), "object named here")],
                help: Some("Pin the image to a version or digest.".into()),
                object_index: None,
                values_path: None,
                missing: Vec::new(),
                missing_at_anchor: false,
            },
            Finding {
                rule: "yaml-syntax".into(),
                severity: Severity::Info,
                message: "just a note".into(),
                span: span_in(ODD, odd_file, "ConfigMap"),
                object: None,
                related: Vec::new(),
                help: None,
                object_index: None,
                values_path: None,
                missing: Vec::new(),
                missing_at_anchor: false,
            },
        ];
        Fixture {
            sources,
            findings,
            rules: vec![rule("resources-missing", Severity::Warning), rule("image-tag-latest", Severity::Error)],
            notices: vec!["charts are not rendered yet".into()],
        }
    }

    fn fixture() -> Fixture {
        fixture_with(POD)
    }

    fn render(input: &ReportInput<'_>) -> Value {
        let mut out = Vec::new();
        write(input, &mut out).expect("write to Vec");
        serde_json::from_slice(&out).expect("output is JSON")
    }

    fn sarif_errors(doc: &Value) -> Vec<String> {
        let schema: Value =
            serde_json::from_str(include_str!("../../schemas/sarif-2.1.0.json")).expect("schema is JSON");
        let validator = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft7)
            .should_validate_formats(true)
            .build(&schema)
            .expect("SARIF schema compiles");
        validator.iter_errors(doc).map(|e| format!("{} at {}", e, e.instance_path())).collect()
    }

    #[test]
    fn validates_against_official_sarif_schema() {
        let fx = fixture();
        assert_eq!(sarif_errors(&render(&fx.input())), Vec::<String>::new());
    }

    #[test]
    fn empty_run_validates() {
        let fx = Fixture { sources: Sources::default(), findings: Vec::new(), rules: Vec::new(), notices: Vec::new() };
        let doc = render(&fx.input());
        assert_eq!(sarif_errors(&doc), Vec::<String>::new());
        assert_eq!(doc["runs"][0]["results"], json!([]));
        assert!(doc["runs"][0].get("invocations").is_none());
    }

    #[test]
    fn schema_catches_a_broken_log() {
        // Guards the test itself: the schema must really constrain results.
        let fx = fixture();
        let mut doc = render(&fx.input());
        doc["runs"][0]["results"][0]["level"] = json!("fatal");
        assert!(!sarif_errors(&doc).is_empty());
    }

    #[test]
    fn region_matches_finding_location() {
        let fx = fixture();
        let doc = render(&fx.input());
        let result = &doc["runs"][0]["results"][0];
        let loc = fx.sources.location(fx.findings[0].span);
        let physical = &result["locations"][0]["physicalLocation"];
        assert_eq!(physical["artifactLocation"], json!({"uri": "deploy/pod.yaml", "index": 0}));
        assert_eq!(
            physical["region"],
            json!({
                "startLine": loc.line, "startColumn": loc.column,
                "endLine": loc.end_line, "endColumn": loc.end_column,
                "snippet": {"text": "    - image: nginx:latest"}
            })
        );
        assert_eq!((loc.line, loc.column, loc.end_column), (6, 14, 26));
        assert_eq!(
            result["locations"][0]["logicalLocations"],
            json!([{"name": "café", "fullyQualifiedName": "Pod/prod/café", "kind": "resource"}])
        );
    }

    #[test]
    fn related_locations_appear() {
        let fx = fixture();
        let doc = render(&fx.input());
        let related = &doc["runs"][0]["results"][0]["relatedLocations"];
        assert_eq!(related.as_array().map(Vec::len), Some(1));
        assert_eq!(related[0]["id"], 0);
        assert_eq!(related[0]["message"]["text"], "object named here");
        let region = &related[0]["physicalLocation"]["region"];
        // Code-point columns: "café" spans columns 18..22 although it is 5 bytes.
        assert_eq!((region["startLine"].as_u64(), region["startColumn"].as_u64()), (Some(3), Some(18)));
        assert_eq!(region["endColumn"], 22);
        assert_eq!(region["snippet"]["text"], "metadata: {name: café, namespace: prod}");
        assert!(doc["runs"][0]["results"][1].get("relatedLocations").is_none());
    }

    #[test]
    fn rules_results_and_artifacts_are_linked() {
        let fx = fixture();
        let doc = render(&fx.input());
        let run = &doc["runs"][0];
        assert_eq!(run["columnKind"], "unicodeCodePoints");
        let rules = &run["tool"]["driver"]["rules"];
        assert_eq!(rules[1]["id"], "image-tag-latest");
        assert_eq!(rules[1]["name"], "ImageTagLatest");
        assert_eq!(rules[1]["helpUri"], format!("{DOCS_BASE}#image-tag-latest"));
        assert_eq!(rules[1]["defaultConfiguration"]["level"], "error");
        assert_eq!(rules[0]["defaultConfiguration"]["level"], "warning");
        assert_eq!(rules[1]["properties"]["category"], "images");
        let markdown = rules[1]["help"]["markdown"].as_str().unwrap_or_default();
        assert!(markdown.starts_with("Pin the image"), "{markdown}");
        assert!(markdown.contains("```yaml\nimage: nginx:latest\n```"), "{markdown}");
        let results = &run["results"];
        assert_eq!(results[0]["ruleIndex"], 1);
        assert_eq!(results[0]["level"], "error");
        // A rule without metadata still reports, just without an index.
        assert!(results[1].get("ruleIndex").is_none());
        assert_eq!(results[1]["level"], "note");
        assert_eq!(
            run["artifacts"],
            json!([
                {"location": {"uri": "deploy/pod.yaml"}},
                {"location": {"uri": "odd%20dir/a,b%3Ac.yaml"}}
            ])
        );
        assert_eq!(
            run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"],
            "charts are not rendered yet"
        );
    }

    // An unreadable input fails the invocation and names the file; a skipped one warns.
    #[test]
    fn input_errors_and_skips_are_notifications() {
        let fx = Fixture { sources: Sources::default(), findings: Vec::new(), rules: Vec::new(), notices: Vec::new() };
        let errors = [InputProblem { path: "a b.yaml".into(), message: "permission denied".into() }];
        let skipped = [InputProblem { path: "fifo.yaml".into(), message: "not a regular file (FIFO)".into() }];
        let doc = render(&ReportInput { errors: &errors, skipped: &skipped, ..fx.input() });
        assert_eq!(sarif_errors(&doc), Vec::<String>::new());
        let inv = &doc["runs"][0]["invocations"][0];
        assert_eq!(inv["executionSuccessful"], false);
        let n = &inv["toolExecutionNotifications"];
        assert_eq!(n[0]["level"], "error");
        assert_eq!(n[0]["message"]["text"], "permission denied");
        assert_eq!(n[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "a%20b.yaml");
        assert_eq!(n[1]["level"], "warning");
        assert_eq!(n[1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "fifo.yaml");
        let only_skipped = render(&ReportInput { skipped: &skipped, ..fx.input() });
        assert_eq!(only_skipped["runs"][0]["invocations"][0]["executionSuccessful"], true);
    }

    #[test]
    fn fingerprint_ignores_line_shifts_but_not_content() {
        let before = fixture();
        let after = fixture_with(&format!("# a comment\n\n{POD}"));
        let print = |fx: &Fixture| render(&fx.input())["runs"][0]["results"][0]["partialFingerprints"].clone();
        let (a, b) = (print(&before), print(&after));
        assert_eq!(a, b);
        assert_eq!(a[FINGERPRINT_KEY].as_str().map(str::len), Some(16));
        let mut changed = fixture();
        changed.findings[0].message.push('!');
        assert_ne!(print(&changed), a);
    }

    #[test]
    fn fnv1a_matches_reference_vectors() {
        let hash = |s: &str| {
            let mut h = Fnv1a::default();
            h.write(s.as_bytes());
            h.0
        };
        assert_eq!(hash(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(hash("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(hash("foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn helpers() {
        assert_eq!(pascal_case("no-latest-tag"), "NoLatestTag");
        assert_eq!(pascal_case("k8s-api-v1beta1"), "K8sApiV1beta1");
        assert_eq!(file_uri("charts\\web/values é.yaml"), "charts/web/values%20%C3%A9.yaml");
        assert_eq!(fence_for("no ticks"), "```");
        assert_eq!(fence_for("has ```` four"), "`````");
        assert!(DOCS_BASE.starts_with(INFORMATION_URI));
    }

    #[test]
    fn output_is_byte_identical_across_calls() {
        let fx = fixture();
        let bytes = |fx: &Fixture| {
            let mut out = Vec::new();
            write(&fx.input(), &mut out).expect("write to Vec");
            out
        };
        assert_eq!(bytes(&fx), bytes(&fx));
    }
}
