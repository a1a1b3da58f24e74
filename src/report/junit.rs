//! JUnit XML for CI systems that only understand test reports (GitLab, Jenkins, Azure).
//! One suite per file with findings, one failing test case per finding; a clean run is a
//! single passing case so "0 tests" is never mistaken for "nothing ran".

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{self, Write};

use super::ReportInput;
use crate::finding::Finding;
use crate::source::{FileId, Sources};

pub fn write(input: &ReportInput<'_>, out: &mut dyn Write) -> io::Result<()> {
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    // An unreadable input must not leave the single passing "no findings" case.
    if input.findings.is_empty() && input.errors.is_empty() {
        xml.push_str(concat!(
            "<testsuites name=\"plimsoll\" tests=\"1\" failures=\"0\">\n",
            "  <testsuite name=\"plimsoll\" tests=\"1\" failures=\"0\">\n",
            "    <testcase name=\"no findings\" classname=\"plimsoll\"/>\n",
            "  </testsuite>\n",
            "</testsuites>\n",
        ));
    } else {
        let (n, e) = (input.findings.len(), input.errors.len());
        let total = n + e;
        let errors = if e > 0 { format!(" errors=\"{e}\"") } else { String::new() };
        push_line(&mut xml, 0, &format!("<testsuites name=\"plimsoll\" tests=\"{total}\" failures=\"{n}\"{errors}>"));
        if e > 0 {
            unreadable(&mut xml, input.errors);
        }
        for (file, findings) in by_file(input.findings) {
            suite(&mut xml, input.sources, file, &findings);
        }
        xml.push_str("</testsuites>\n");
    }
    out.write_all(xml.as_bytes())
}

/// Findings grouped by file, files in order of first appearance.
fn by_file(findings: &[Finding]) -> Vec<(FileId, Vec<&Finding>)> {
    let mut groups: Vec<(FileId, Vec<&Finding>)> = Vec::new();
    let mut index: HashMap<FileId, usize> = HashMap::new();
    for f in findings {
        let i = *index.entry(f.span.file).or_insert_with(|| {
            groups.push((f.span.file, Vec::new()));
            groups.len() - 1
        });
        groups[i].1.push(f);
    }
    groups
}

fn suite(xml: &mut String, sources: &Sources, file: FileId, findings: &[&Finding]) {
    let name = attr(&sources.get(file).name);
    let n = findings.len();
    push_line(xml, 1, &format!("<testsuite name=\"{name}\" tests=\"{n}\" failures=\"{n}\">"));
    for f in findings {
        case(xml, sources, f);
    }
    push_line(xml, 1, "</testsuite>");
}

fn case(xml: &mut String, sources: &Sources, f: &Finding) {
    let loc = sources.location(f.span);
    let subject = match &f.object {
        Some(object) => object.to_string(),
        None => format!("{}:{}", loc.file, loc.line),
    };
    let mut body = format!("{}:{}:{}: {}", loc.file, loc.line, loc.column, f.message);
    if let Some(help) = &f.help {
        let _ = write!(body, "\nhelp: {help}");
    }
    push_line(
        xml,
        2,
        &format!("<testcase name=\"{}\" classname=\"{}\">", attr(&format!("{}: {subject}", f.rule)), attr(&loc.file)),
    );
    push_line(
        xml,
        3,
        &format!("<failure type=\"{}\" message=\"{}\">{}</failure>", f.severity, attr(&f.message), text(&body)),
    );
    push_line(xml, 2, "</testcase>");
}

/// Inputs that could not be read: one erroring test case each.
fn unreadable(xml: &mut String, errors: &[crate::discover::InputProblem]) {
    let e = errors.len();
    push_line(xml, 1, &format!("<testsuite name=\"unreadable inputs\" tests=\"{e}\" failures=\"0\" errors=\"{e}\">"));
    for p in errors {
        push_line(xml, 2, &format!("<testcase name=\"{}\" classname=\"{}\">", attr(&p.path), attr(&p.path)));
        let body = text(&format!("{}: {}", p.path, p.message));
        push_line(xml, 3, &format!("<error type=\"io\" message=\"{}\">{body}</error>", attr(&p.message)));
        push_line(xml, 2, "</testcase>");
    }
    push_line(xml, 1, "</testsuite>");
}

fn push_line(xml: &mut String, depth: usize, line: &str) {
    for _ in 0..depth {
        xml.push_str("  ");
    }
    xml.push_str(line);
    xml.push('\n');
}

/// Character data: the five markup characters escaped, characters XML 1.0 forbids dropped.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().filter(|&c| allowed(c)) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            _ => out.push(c),
        }
    }
    out
}

/// Attribute values: as [`text`], plus whitespace as character references, because parsers
/// normalise literal tabs and line breaks in attributes to spaces.
fn attr(s: &str) -> String {
    text(s).replace('\t', "&#9;").replace('\n', "&#10;").replace('\r', "&#13;")
}

/// Whether XML 1.0 allows `c` at all: of the C0 controls only tab, LF and CR.
fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::finding::{ObjectIdent, Severity};
    use crate::report::Summary;
    use crate::source::{SourceFile, Span};

    const A: &str = "kind: Pod\nmetadata:\n  name: web\n";
    const B: &str = "kind: Service\n";

    fn finding(file: u32, start: u32, severity: Severity, message: &str, object: bool, help: Option<&str>) -> Finding {
        Finding {
            rule: "some-rule".into(),
            severity,
            message: message.into(),
            span: Span::new(FileId(file), start, start + 4),
            object: object.then(|| {
                std::sync::Arc::new(ObjectIdent {
                    api_version: "v1".into(),
                    kind: "Pod".into(),
                    name: Some("web".into()),
                    namespace: Some("prod".into()),
                })
            }),
            related: Vec::new(),
            help: help.map(std::sync::Arc::from),
            object_index: None,
            values_path: None,
            missing: Vec::new(),
            missing_at_anchor: false,
        }
    }

    fn render(findings: &[Finding]) -> String {
        let mut sources = Sources::default();
        sources.add(SourceFile::new("a.yaml".into(), None, Arc::from(A)));
        sources.add(SourceFile::new("b&<c>.yaml".into(), None, Arc::from(B)));
        let input = ReportInput {
            findings,
            sources: &sources,
            rules: &[],
            summary: Summary::default(),
            notices: &[],
            quiet: false,
            errors: &[],
            skipped: &[],
        };
        let mut out = Vec::new();
        write(&input, &mut out).expect("write to Vec");
        String::from_utf8(out).expect("utf-8")
    }

    fn sample() -> Vec<Finding> {
        vec![
            finding(0, 28, Severity::Error, "bad <&\"> value", true, Some("use 'x' & y")),
            finding(0, 0, Severity::Warning, "second", false, None),
            finding(1, 0, Severity::Info, "ctl\u{1}\u{7}chars\tkept", false, None),
        ]
    }

    #[test]
    fn escapes_messages_and_names() {
        let out = render(&sample());
        assert!(out.contains(concat!(
            "<failure type=\"error\" message=\"bad &lt;&amp;&quot;&gt; value\">",
            "a.yaml:3:9: bad &lt;&amp;&quot;&gt; value\nhelp: use &apos;x&apos; &amp; y</failure>"
        )));
        assert!(out.contains("<testcase name=\"some-rule: Pod prod/web\" classname=\"a.yaml\">"));
        assert!(out.contains("<testsuite name=\"b&amp;&lt;c&gt;.yaml\""));
        assert!(out.contains("<testcase name=\"some-rule: b&amp;&lt;c&gt;.yaml:1\""));
        // Control characters are dropped; a tab survives (as a reference inside attributes).
        assert!(out.contains("message=\"ctlchars&#9;kept\">b&amp;&lt;c&gt;.yaml:1:1: ctlchars\tkept</failure>"));
        assert!(!out.contains('\u{1}') && !out.contains('\u{7}'));
    }

    // A run with an unreadable input is never the passing "no findings" case.
    #[test]
    fn unreadable_inputs_are_erroring_cases() {
        let sources = Sources::default();
        let errors = [crate::discover::InputProblem { path: "p&.yaml".into(), message: "not a regular file".into() }];
        let input = ReportInput {
            findings: &[],
            sources: &sources,
            rules: &[],
            summary: Summary::default(),
            notices: &[],
            quiet: false,
            errors: &errors,
            skipped: &[],
        };
        let mut out = Vec::new();
        write(&input, &mut out).expect("write to Vec");
        let out = String::from_utf8(out).expect("utf-8");
        assert!(!out.contains("no findings"), "{out}");
        assert!(out.contains("<testsuites name=\"plimsoll\" tests=\"1\" failures=\"0\" errors=\"1\">"), "{out}");
        assert!(out.contains("<testcase name=\"p&amp;.yaml\" classname=\"p&amp;.yaml\">"), "{out}");
        assert!(
            out.contains("<error type=\"io\" message=\"not a regular file\">p&amp;.yaml: not a regular file</error>")
        );
    }

    #[test]
    fn counts_and_grouping() {
        let out = render(&sample());
        assert!(out.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"));
        assert!(out.contains("<testsuites name=\"plimsoll\" tests=\"3\" failures=\"3\">"));
        assert!(out.contains("<testsuite name=\"a.yaml\" tests=\"2\" failures=\"2\">"));
        assert!(out.contains("tests=\"1\" failures=\"1\">"));
        assert_eq!(out.matches("<testsuite ").count(), 2);
        assert_eq!(out.matches("<testcase ").count(), 3);
        assert_eq!(out.matches("</failure>").count(), 3);
        assert!(out.find("a.yaml\" tests").unwrap_or(usize::MAX) < out.find("c&gt;.yaml\" tests").unwrap_or(0));
        assert!(out.ends_with("</testsuites>\n"));
    }

    #[test]
    fn no_findings_is_one_passing_case() {
        let out = render(&[]);
        assert!(out.contains("<testsuites name=\"plimsoll\" tests=\"1\" failures=\"0\">"));
        assert!(out.contains("<testcase name=\"no findings\" classname=\"plimsoll\"/>"));
        assert!(!out.contains("<failure"));
    }

    #[test]
    fn output_is_byte_identical_across_calls() {
        let findings = sample();
        assert_eq!(render(&findings), render(&findings));
    }
}
