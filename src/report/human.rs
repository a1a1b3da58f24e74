//! Terminal output via miette: each finding as a source snippet with its span underlined,
//! grouped by file, then a one-line summary.

use std::fmt;
use std::io::{self, Write};

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents, SourceCode,
    SourceSpan, SpanContents,
};

use std::collections::HashMap;

use super::{escape_controls, has_controls, ReportInput};
use crate::finding::{Finding, Severity};
use crate::source::{FileId, SourceFile, Sources};

/// miette's built-in `SourceCode` for strings scans from the start of the text for every
/// snippet; this one uses the file's line index, so big streams stay fast.
struct IndexedSource<'a>(&'a SourceFile);

impl SourceCode for IndexedSource<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let file = self.0;
        let len = file.text.len();
        let start = span.offset().min(len);
        let end = (span.offset() + span.len()).min(len);
        let first = file.line_index(start as u32).saturating_sub(before);
        let last = (file.line_index(end as u32) + after).min(file.line_count().saturating_sub(1));
        let window_start = file.line_start(first) as usize;
        let window_end = if last + 1 < file.line_count() { file.line_start(last + 1) as usize } else { len };
        let data = file.text.get(window_start..window_end).ok_or(MietteError::OutOfBounds)?.as_bytes();
        // miette prints `[file:line:column]` from the span's own position.
        let column = file.line_col(start as u32).column.saturating_sub(1) as usize;
        Ok(Box::new(MietteSpanContents::new_named(
            file.name.clone(),
            data,
            SourceSpan::new(window_start.into(), window_end - window_start),
            first,
            column,
            last - first + 1,
        )))
    }
}

struct FindingDiagnostic<'a> {
    finding: &'a Finding,
    source: Option<IndexedSource<'a>>,
    labels: Vec<LabeledSpan>,
    help: Option<String>,
    /// Snippets of the other files involved (the template behind a values key, include calls).
    elsewhere: Vec<RelatedSnippet<'a>>,
}

/// Related locations in one other file, shown as a snippet of their own.
struct RelatedSnippet<'a> {
    title: String,
    source: IndexedSource<'a>,
    labels: Vec<LabeledSpan>,
}

impl fmt::Debug for RelatedSnippet<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.title)
    }
}

impl fmt::Display for RelatedSnippet<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.title)
    }
}

impl std::error::Error for RelatedSnippet<'_> {}

impl Diagnostic for RelatedSnippet<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
}

impl fmt::Debug for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl fmt::Display for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl std::error::Error for FindingDiagnostic<'_> {}

impl Diagnostic for FindingDiagnostic<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(&self.finding.rule))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            None
        } else {
            Some(Box::new(self.labels.iter().cloned()))
        }
    }
    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn Diagnostic> + 'b>> {
        if self.elsewhere.is_empty() {
            None
        } else {
            Some(Box::new(self.elsewhere.iter().map(|r| r as &dyn Diagnostic)))
        }
    }
}

fn diagnostic<'a>(finding: &'a Finding, sources: &'a Sources) -> FindingDiagnostic<'a> {
    let file = sources.get(finding.span.file);
    let mut help = finding.help.as_ref().map(|h| h.trim_end().to_string());
    if file.text.is_empty() {
        // Nothing to show (binary or oversized input): say where in words instead.
        let loc = sources.location(finding.span);
        help = Some(format!(
            "{}:{}:{}{}",
            loc.file,
            loc.line,
            loc.column,
            help.map(|h| format!("\n{h}")).unwrap_or_default()
        ));
        return FindingDiagnostic { finding, source: None, labels: Vec::new(), help, elsewhere: Vec::new() };
    }
    let label = finding.object.as_ref().map(|o| o.to_string());
    let span = |s: crate::source::Span| SourceSpan::new((s.start as usize).into(), s.len() as usize);
    let mut labels = vec![LabeledSpan::new_primary_with_span(label, span(finding.span))];
    let mut in_words = Vec::new();
    let mut snippets: Vec<RelatedSnippet<'_>> = Vec::new();
    for r in &finding.related {
        let other = sources.get(r.span.file);
        if r.span.file == finding.span.file {
            labels.push(LabeledSpan::new_with_span(Some(r.message.clone()), span(r.span)));
        } else if other.text.is_empty() || crate::charts::is_rendered_stream(&other.name) {
            // The rendered output is for reference: where to look, not what to edit.
            let loc = sources.location(r.span);
            in_words.push(format!("{}:{}:{}: {}", loc.file, loc.line, loc.column, r.message));
        } else {
            let label = LabeledSpan::new_with_span(Some(r.message.clone()), span(r.span));
            match snippets.iter_mut().find(|s| std::ptr::eq(s.source.0, other)) {
                Some(s) => s.labels.push(label),
                None => snippets.push(RelatedSnippet {
                    title: if r.trail { "how it got here" } else { "see also" }.to_string(),
                    source: IndexedSource(other),
                    labels: vec![label],
                }),
            }
        }
    }
    if !in_words.is_empty() {
        let mut h = in_words.join("\n");
        if let Some(old) = help {
            h.push('\n');
            h.push_str(&old);
        }
        help = Some(h);
    }
    FindingDiagnostic { finding, source: Some(IndexedSource(file)), labels, help, elsewhere: snippets }
}

pub fn write(input: &ReportInput<'_>, out: &mut dyn Write, color: bool) -> io::Result<()> {
    let theme = if color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(120).with_links(false).with_context_lines(2);
    // For findings whose text holds control characters: rendered without colour, so every
    // control character in the output came from the input and can be escaped.
    let plain = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
        .with_width(120)
        .with_links(false)
        .with_context_lines(2);
    let mut tainted_files: HashMap<FileId, bool> = HashMap::new();
    if !input.quiet {
        for notice in input.notices {
            writeln!(out, "note: {}", escape_controls(notice))?;
        }
    }
    // Not quiet-able: an input that was not read changes what "no findings" means.
    for s in input.skipped {
        writeln!(out, "warning: {}: {}", escape_controls(&s.path), escape_controls(&s.message))?;
    }
    let mut current_file = None;
    for finding in input.findings {
        if current_file != Some(finding.span.file) {
            current_file = Some(finding.span.file);
            let count = input.findings.iter().filter(|f| f.span.file == finding.span.file).count();
            let name = escape_controls(&input.sources.get(finding.span.file).name);
            writeln!(out, "{} ({count} finding{})", paint(color, "1;4", &name), if count == 1 { "" } else { "s" })?;
        }
        let mut text = String::new();
        let tainted = is_tainted(finding, input.sources, &mut tainted_files);
        let diagnostic = diagnostic(finding, input.sources);
        if tainted {
            plain.render_report(&mut text, &diagnostic)
        } else {
            handler.render_report(&mut text, &diagnostic)
        }
        .map_err(|_| io::Error::other("failed to render a finding"))?;
        if tainted {
            text = escape_controls(&text).into_owned();
        }
        out.write_all(text.as_bytes())?;
    }
    if input.quiet {
        return Ok(());
    }
    let (errors, warnings, infos) =
        (input.count(Severity::Error), input.count(Severity::Warning), input.count(Severity::Info));
    let s = &input.summary;
    let checked = format!(
        "checked {} object{} in {} file{}",
        s.objects,
        if s.objects == 1 { "" } else { "s" },
        s.files,
        if s.files == 1 { "" } else { "s" }
    );
    if input.findings.is_empty() {
        writeln!(out, "{} no problems found ({checked})", paint(color, "32", "✔"))?;
    } else {
        let files: std::collections::BTreeSet<_> = input.findings.iter().map(|f| f.span.file).collect();
        writeln!(
            out,
            "{} {errors} error{}, {warnings} warning{}, {infos} info in {} file{} ({checked})",
            paint(color, "31", "✖"),
            if errors == 1 { "" } else { "s" },
            if warnings == 1 { "" } else { "s" },
            files.len(),
            if files.len() == 1 { "" } else { "s" }
        )?;
    }
    Ok(())
}

/// Whether any text shown for `f` (message, help, labels, file names, snippet sources) holds
/// a control character. Whole files are checked once each.
fn is_tainted(f: &Finding, sources: &Sources, files: &mut HashMap<FileId, bool>) -> bool {
    let mut file_tainted = |id: FileId| {
        *files.entry(id).or_insert_with(|| {
            let file = sources.get(id);
            has_controls(&file.name) || has_controls(&file.text)
        })
    };
    has_controls(&f.message)
        || f.help.as_deref().is_some_and(has_controls)
        || f.object.as_ref().is_some_and(|o| has_controls(&o.to_string()))
        || file_tainted(f.span.file)
        || f.related.iter().any(|r| has_controls(&r.message) || file_tainted(r.span.file))
}

fn paint(color: bool, code: &str, text: &str) -> String {
    if color {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}
