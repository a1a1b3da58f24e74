//! Suppression: `plimsoll.io/ignore` annotations on an object or its pod template, and
//! `# plimsoll:ignore rule-a,rule-b -- reason` comments on the line or the line above.

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
    /// Scan only the files that have findings, and only if they mention the directive.
    pub fn collect(sources: &Sources, files: impl Iterator<Item = FileId>) -> Self {
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
        let Some(lines) = self.by_file.get(&finding.span.file) else { return false };
        let line = sources.get(finding.span.file).line_col(finding.span.start).line;
        let names = |rules: &Vec<String>| rules.is_empty() || rules.iter().any(|r| r == &finding.rule || r == "all");
        lines.get(&line).is_some_and(|(rules, _)| names(rules))
            || lines.get(&(line - 1)).is_some_and(|(rules, whole_line)| *whole_line && names(rules))
    }
}

/// `... # plimsoll:ignore a, b -- reason` → (["a", "b"], whole-line?).
fn parse_directive(line: &str) -> Option<(Vec<String>, bool)> {
    let at = line.find(DIRECTIVE)?;
    let before = &line[..at];
    let hash = before.rfind('#')?;
    // The `#` must start a YAML comment: at line start or after whitespace, with only
    // spaces between it and the directive.
    if !before[hash + 1..].trim().is_empty() || (hash > 0 && !before[..hash].ends_with([' ', '\t'])) {
        return None;
    }
    let rest = &line[at + DIRECTIVE.len()..];
    if rest.starts_with(|c: char| !c.is_whitespace()) {
        return None; // e.g. `plimsoll:ignored`
    }
    let rules_part = rest.split("--").next().unwrap_or("");
    let rules =
        rules_part.split([',', ' ', '\t']).map(str::trim).filter(|r| !r.is_empty()).map(str::to_string).collect();
    Some((rules, before[..hash].trim().is_empty()))
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
    }

    #[test]
    fn annotation_lists() {
        assert!(lists("a,b", "b"));
        assert!(lists("a, b", "b"));
        assert!(lists("all", "x"));
        assert!(!lists("ab", "a"));
    }
}
