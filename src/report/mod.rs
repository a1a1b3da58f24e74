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
}

impl ReportInput<'_> {
    pub fn count(&self, severity: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity == severity).count()
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
