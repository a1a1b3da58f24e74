//! Suppression: `plimsoll.io/ignore` annotations on an object or its pod template, and
//! `# plimsoll:ignore rule-a,rule-b -- reason` comments (or `{{/* plimsoll:ignore ... */}}` in
//! templates) on the line or the line above. For a chart finding the comment also works on
//! every line it was rendered through (template action, `include` calls), and on a values key
//! or any key above it.

use std::collections::{HashMap, HashSet};

use crate::finding::Finding;
use crate::model::Object;
use crate::source::{FileId, Sources};

pub const ANNOTATION: &str = "plimsoll.io/ignore";
const DIRECTIVE: &str = "plimsoll:ignore";

fn lists(list: &str, rule: &str) -> bool {
    list.split([',', ' ', '\t']).map(str::trim).any(|r| r == rule || r == "all")
}

/// Does the object (or its pod template) carry an ignore annotation naming `rule`?
pub fn annotated(object: &Object, rule: &str) -> bool {
    let on_object = object.annotation(ANNOTATION).is_some_and(|l| lists(l, rule));
    on_object
        || object
            .pod_template()
            .and_then(|t| t.metadata)
            .and_then(|m| m.get("annotations"))
            .and_then(|a| a.get_str(ANNOTATION))
            .is_some_and(|l| lists(l, rule))
}

/// Directives per file: 1-based line → (rules, empty = all; whole-line comment?).
pub struct InlineDirectives {
    by_file: HashMap<FileId, HashMap<u32, (Vec<String>, bool)>>,
}

impl InlineDirectives {
    /// Scan only the files that have findings (or trail through them), and only if they
    /// mention the directive.
    pub fn collect<'a>(sources: &Sources, findings: impl Iterator<Item = &'a Finding>) -> Self {
        let files = findings.flat_map(|f| {
            std::iter::once(f.span.file).chain(f.related.iter().filter(|r| r.trail).map(|r| r.span.file))
        });
        let wanted: HashSet<FileId> = files.collect();
        let mut by_file = HashMap::new();
        for id in wanted {
            let file = sources.get(id);
            if !file.text.contains(DIRECTIVE) {
                continue;
            }
            let mut lines = HashMap::new();
            for (i, line) in file.text.lines().enumerate() {
                if let Some(d) = parse_directive(line) {
                    lines.insert(i as u32 + 1, d);
                }
            }
            by_file.insert(id, lines);
        }
        InlineDirectives { by_file }
    }

    pub fn suppresses(&self, sources: &Sources, finding: &Finding) -> bool {
        if self.by_file.is_empty() {
            return false;
        }
        let at = |span: crate::source::Span| self.at_line(sources, span, &finding.rule);
        let on_key = finding.values_path.is_some() && self.above_key(sources, finding.span, &finding.rule);
        at(finding.span) || on_key || finding.related.iter().any(|r| r.trail && at(r.span))
    }

    /// A directive on the span's line, or alone on the line above.
    fn at_line(&self, sources: &Sources, span: crate::source::Span, rule: &str) -> bool {
        let Some(lines) = self.by_file.get(&span.file) else { return false };
        let line = sources.get(span.file).line_col(span.start).line;
        names(lines, line, rule, false) || names(lines, line - 1, rule, true)
    }

    /// A directive on a key above a values key (`image:` for `image.tag`), or alone on the
    /// line above one: it covers everything under that key.
    fn above_key(&self, sources: &Sources, span: crate::source::Span, rule: &str) -> bool {
        let Some(lines) = self.by_file.get(&span.file) else { return false };
        let file = sources.get(span.file);
        let line = file.line_col(span.start).line;
        let indent = |l: &str| l.len() - l.trim_start().len();
        let mut current = indent(file.line_text(line as usize - 1));
        for n in (1..line).rev() {
            if current == 0 {
                break;
            }
            let l = file.line_text(n as usize - 1);
            let content = l.trim_start();
            if content.is_empty() || content.starts_with('#') || indent(l) >= current {
                continue;
            }
            current = indent(l);
            if names(lines, n, rule, false) || names(lines, n - 1, rule, true) {
                return true;
            }
        }
        false
    }
}

/// Does a directive on 1-based `line` name `rule` (a whole-line one, when `whole_line`)?
fn names(lines: &HashMap<u32, (Vec<String>, bool)>, line: u32, rule: &str, whole_line: bool) -> bool {
    lines.get(&line).is_some_and(|(rules, whole)| {
        (!whole_line || *whole) && (rules.is_empty() || rules.iter().any(|r| r == rule || r == "all"))
    })
}

/// `... # plimsoll:ignore a, b -- reason` (or `{{/* plimsoll:ignore a */}}`, `{{- /* ... */ -}}`)
/// → (["a", "b"], whole-line?).
fn parse_directive(line: &str) -> Option<(Vec<String>, bool)> {
    let at = line.find(DIRECTIVE)?;
    let before = &line[..at];
    let opener = before.trim_end();
    let (start, template_comment) = if let Some(p) = opener.strip_suffix("/*") {
        // A template comment: `{{/*` or `{{- /*`.
        let p = p.trim_end_matches([' ', '-']);
        (p.strip_suffix("{{")?.len(), true)
    } else {
        let hash = before.rfind('#')?;
        // The `#` must start a YAML comment: at line start or after whitespace, with only
        // spaces between it and the directive.
        if !before[hash + 1..].trim().is_empty() || (hash > 0 && !before[..hash].ends_with([' ', '\t'])) {
            return None;
        }
        (hash, false)
    };
    let before = &line[..start];
    let rest = &line[at + DIRECTIVE.len()..];
    if rest.starts_with(|c: char| !c.is_whitespace()) {
        return None; // e.g. `plimsoll:ignored`
    }
    let rest = if template_comment { rest.split("*/").next().unwrap_or("") } else { rest };
    let rules_part = rest.split("--").next().unwrap_or("");
    let rules =
        rules_part.split([',', ' ', '\t']).map(str::trim).filter(|r| !r.is_empty()).map(str::to_string).collect();
    Some((rules, before.trim().is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directive_parsing() {
        assert_eq!(parse_directive("  # plimsoll:ignore a, b -- because"), Some((vec!["a".into(), "b".into()], true)));
        assert_eq!(parse_directive("image: x # plimsoll:ignore a"), Some((vec!["a".into()], false)));
        assert_eq!(parse_directive("# plimsoll:ignore"), Some((vec![], true)));
        assert_eq!(parse_directive("a: 'x#plimsoll:ignore a'"), None);
        assert_eq!(parse_directive("# plimsoll:ignored a"), None);
        assert_eq!(parse_directive("value: plimsoll:ignore"), None);
        assert_eq!(parse_directive("{{/* plimsoll:ignore a, b */}}"), Some((vec!["a".into(), "b".into()], true)));
        assert_eq!(parse_directive("  {{- /* plimsoll:ignore a -- vendor */ -}}"), Some((vec!["a".into()], true)));
        assert_eq!(parse_directive("image: {{ .x }} {{/* plimsoll:ignore a */}}"), Some((vec!["a".into()], false)));
        assert_eq!(parse_directive("x: '/* plimsoll:ignore a'"), None);
    }

    #[test]
    fn annotation_lists() {
        assert!(lists("a,b", "b"));
        assert!(lists("a, b", "b"));
        assert!(lists("all", "x"));
        assert!(!lists("ab", "a"));
    }
}
