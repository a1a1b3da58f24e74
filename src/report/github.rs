//! GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` line per finding,
//! which the runner turns into annotations on the pull request. Nothing else is printed, so
//! the output stays pure commands.

use std::io::{self, Write};

use super::ReportInput;
use crate::finding::{Finding, Severity};
use crate::source::Sources;

pub fn write(input: &ReportInput<'_>, out: &mut dyn Write) -> io::Result<()> {
    let mut text = String::new();
    // Inputs not read become annotations too, so a CI run never looks clean without them.
    for (level, list) in [("error", input.errors), ("warning", input.skipped)] {
        for p in list {
            let line =
                format!("::{level} file={},title=plimsoll::{}", escape_property(&p.path), escape_data(&p.message));
            text.push_str(&line);
            text.push('\n');
        }
    }
    for finding in input.findings {
        text.push_str(&command(input.sources, finding));
        text.push('\n');
    }
    out.write_all(text.as_bytes())
}

fn command(sources: &Sources, f: &Finding) -> String {
    let loc = sources.location(f.span);
    let mut message = f.message.clone();
    if let Some(help) = &f.help {
        message.push('\n');
        message.push_str(help);
    }
    format!(
        "::{} file={},line={},col={},endLine={},endColumn={},title={}::{}",
        name(f.severity),
        escape_property(&loc.file),
        loc.line,
        loc.column,
        loc.end_line,
        loc.end_column,
        escape_property(&f.rule),
        escape_data(&message),
    )
}

fn name(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

/// The runner's rule for the message part: only `%` and line breaks are special. Other
/// control characters from the input are escaped first (see `escape_controls`): the runner
/// copies the text into logs shown in terminals.
fn escape_data(s: &str) -> String {
    super::escape_controls(s).replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Property values also end at `,` and the properties at `::`.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::report::Summary;
    use crate::source::{SourceFile, Span};

    const TEXT: &str = "kind: Pod\nspec:\n  image: nginx:latest\n";

    fn finding(rule: &str, severity: Severity, message: &str, help: Option<&str>) -> Finding {
        let start = TEXT.find("nginx").expect("needle") as u32;
        Finding {
            rule: rule.into(),
            severity,
            message: message.into(),
            span: Span::new(crate::source::FileId(0), start, start + "nginx:latest".len() as u32),
            object: None,
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
        sources.add(SourceFile::new("charts/a,b:c.yaml".into(), None, Arc::from(TEXT)));
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

    #[test]
    fn escapes_message_and_properties() {
        let f = finding("cpu-limit", Severity::Error, "uses 100% CPU\r\nreally", Some("set a: limit, please"));
        assert_eq!(
            render(&[f]),
            "::error file=charts/a%2Cb%3Ac.yaml,line=3,col=10,endLine=3,endColumn=22,title=cpu-limit\
             ::uses 100%25 CPU%0D%0Areally%0Aset a: limit, please\n"
        );
    }

    // An ESC from the input must not reach the log raw (terminal escape injection).
    #[test]
    fn escapes_control_characters() {
        let f = finding("x", Severity::Error, "bad \x1b]8;;http://evil\x07 link\u{9b}", None);
        let out = render(&[f]);
        assert!(out.ends_with("::bad \\u{1b}]8;;http://evil\\u{7} link\\u{9b}\n"), "{out}");
        assert!(!out.chars().any(|c| c.is_control() && c != '\n'));
    }

    #[test]
    fn one_command_per_finding_by_severity_and_nothing_else() {
        let out = render(&[
            finding("a", Severity::Error, "e", None),
            finding("b", Severity::Warning, "w", None),
            finding("c", Severity::Info, "i", None),
        ]);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[0].starts_with("::error file="));
        assert!(lines[1].starts_with("::warning file="));
        assert!(lines[2].starts_with("::notice file="));
        assert!(lines[1].ends_with(",title=b::w"));
        assert_eq!(render(&[]), "");
    }

    #[test]
    fn output_is_byte_identical_across_calls() {
        let findings = [finding("a", Severity::Warning, "50% of\nthe time", Some("help"))];
        assert_eq!(render(&findings), render(&findings));
    }
}
