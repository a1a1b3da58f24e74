//! Reporters: turn findings into text for people, editors and CI. They never decide anything:
//! severity, order and filtering are settled before a reporter sees a finding.

mod github;
mod human;
mod json;
mod junit;
mod sarif;

use std::io::{self, Write};
use std::sync::Arc;

use crate::check::RuleMeta;
use crate::discover::InputProblem;
use crate::finding::{Finding, Severity};
use crate::source::Sources;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    #[default]
    Human,
    Json,
    Sarif,
    Github,
    Junit,
}

/// Counts shown in summaries.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub files: usize,
    pub documents: usize,
    pub objects: usize,
}

/// Everything a reporter may print.
pub struct ReportInput<'a> {
    /// Sorted, suppressions applied.
    pub findings: &'a [Finding],
    pub sources: &'a Sources,
    /// Every rule that ran (SARIF lists them in `tool.driver.rules`).
    pub rules: &'a [Arc<RuleMeta>],
    pub summary: Summary,
    /// Messages about the run that are not findings (e.g. "charts are not rendered yet").
    pub notices: &'a [String],
    /// Findings only: no notices, no summary (human format).
    pub quiet: bool,
    /// Inputs that could not be read (the run exits 2). Reports must show them: a report
    /// without findings is not clean when an input was never checked.
    pub errors: &'a [InputProblem],
    /// Inputs deliberately not read (special files, symlinks leaving the scanned tree).
    pub skipped: &'a [InputProblem],
}

impl ReportInput<'_> {
    pub fn count(&self, severity: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity == severity).count()
    }
}

/// Control characters from the input, shown as Rust escapes (`\u{1b}`) so that text printed to
/// a terminal or CI log cannot carry escape sequences. Tab and line feed stay (layout), and so
/// does a carriage return that ends a CRLF line break; everything else of C0, DEL and C1 is
/// escaped.
pub fn escape_controls(s: &str) -> std::borrow::Cow<'_, str> {
    if !has_controls(s) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if is_unsafe_control(c, chars.peek().copied()) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Whether [`escape_controls`] would change `s`.
pub(crate) fn has_controls(s: &str) -> bool {
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if is_unsafe_control(c, chars.peek().copied()) {
            return true;
        }
    }
    false
}

fn is_unsafe_control(c: char, next: Option<char>) -> bool {
    match c {
        '\t' | '\n' => false,
        '\r' => next != Some('\n'),
        _ => c.is_control(),
    }
}

pub fn write(format: Format, input: &ReportInput<'_>, out: &mut dyn Write, color: bool) -> io::Result<()> {
    match format {
        Format::Human => human::write(input, out, color),
        Format::Json => json::write(input, out),
        Format::Sarif => sarif::write(input, out),
        Format::Github => github::write(input, out),
        Format::Junit => junit::write(input, out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_escaped() {
        assert_eq!(escape_controls("a\tb\nc\r\n"), "a\tb\nc\r\n");
        assert_eq!(escape_controls("\x1b]0;pwned\x07x\ry\u{9b}z\x7f"), "\\u{1b}]0;pwned\\u{7}x\\u{d}y\\u{9b}z\\u{7f}");
        assert!(!has_controls("plain ✓ text\r\n"));
    }
}
