//! `.helmignore` rules exactly as Helm's `pkg/ignore` evaluates them.
//!
//! Rules are Go `filepath.Match` globs, tried in file order; the first rule that decides wins.
//! The surprising part is negation: Helm does not "re-include" with `!pattern` like git does.
//! A negated rule *ignores every path that does not match it* and lets matching paths fall
//! through to later rules. So a `.helmignore` containing `!README.md` ignores `Chart.yaml`
//! too (and every directory, whose contents are then never visited) — which is why the
//! corpus chart `streamspace` fails with "Chart.yaml file is missing".

use super::gomatch::{self, Pattern};

/// Name of the ignore file at the chart root.
pub const HELM_IGNORE: &str = ".helmignore";

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuleError {
    DoubleStar,
    BadPattern,
}

impl std::fmt::Display for RuleError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RuleError::DoubleStar => f.write_str("double-star (**) syntax is not supported"),
            RuleError::BadPattern => f.write_str(&gomatch::BadPattern.to_string()),
        }
    }
}

#[derive(Clone, Debug)]
enum Scope {
    /// Leading `/`: matched against the whole relative path.
    Anchored,
    /// Contains `/`: matched against the whole relative path too.
    Structural,
    /// No `/`: matched against the base name only, at any depth.
    BaseName,
}

#[derive(Clone, Debug)]
struct Rule {
    pattern: Pattern,
    scope: Scope,
    negate: bool,
    must_dir: bool,
}

/// An ordered rule set.
#[derive(Clone, Debug, Default)]
pub struct Rules {
    rules: Vec<Rule>,
}

impl Rules {
    pub fn empty() -> Rules {
        Rules::default()
    }

    /// Parse a `.helmignore` file: one rule per line, blank lines and `#` comments skipped.
    pub fn parse(text: &str) -> Result<Rules, RuleError> {
        let mut rules = Rules::empty();
        for line in text.split('\n') {
            rules.add(line)?;
        }
        Ok(rules)
    }

    /// Helm's default: dotfiles directly in `templates/` are never templates.
    pub fn add_defaults(&mut self) {
        // The pattern is a constant and valid.
        let _ = self.add("templates/.?*");
    }

    pub fn len(&self) -> usize {
        self.rules.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    fn add(&mut self, line: &str) -> Result<(), RuleError> {
        let rule = go_trim_space(line);
        if rule.is_empty() || rule.starts_with('#') {
            return Ok(());
        }
        if rule.contains("**") {
            return Err(RuleError::DoubleStar);
        }
        // Helm validates the raw rule (with any `!`) before taking it apart.
        gomatch::matches(rule, "abc").map_err(|_| RuleError::BadPattern)?;
        let mut rest = rule;
        let negate = rest.starts_with('!');
        if negate {
            rest = &rest[1..];
        }
        let must_dir = rest.ends_with('/');
        if must_dir {
            rest = &rest[..rest.len() - 1];
        }
        let scope = if let Some(stripped) = rest.strip_prefix('/') {
            rest = stripped;
            Scope::Anchored
        } else if rest.contains('/') {
            Scope::Structural
        } else {
            Scope::BaseName
        };
        // The stripped pattern can only be malformed if the raw one was; treat it the same.
        let pattern = Pattern::new(rest).map_err(|_| RuleError::BadPattern)?;
        self.rules.push(Rule { pattern, scope, negate, must_dir });
        Ok(())
    }

    /// Should `path` (relative to the chart root, `/`-separated) be skipped?
    pub fn ignore(&self, path: &str, is_dir: bool) -> bool {
        if path.is_empty() || path == "." || path == "./" {
            return false;
        }
        for rule in &self.rules {
            if rule.negate {
                // A negated rule ignores whatever it does not match.
                if rule.must_dir && !is_dir {
                    return true;
                }
                if !rule.matches(path) {
                    return true;
                }
                continue;
            }
            if rule.must_dir && !is_dir {
                continue;
            }
            if rule.matches(path) {
                return true;
            }
        }
        false
    }
}

impl Rule {
    fn matches(&self, path: &str) -> bool {
        match self.scope {
            Scope::Anchored | Scope::Structural => self.pattern.matches(path),
            Scope::BaseName => self.pattern.matches(go_base(path)),
        }
    }
}

/// Go's `filepath.Base`: trailing slashes dropped, then the last element.
fn go_base(path: &str) -> &str {
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        return if path.is_empty() { "." } else { "/" };
    }
    trimmed.rsplit('/').next().unwrap_or(trimmed)
}

/// Go's `strings.TrimSpace` (Unicode white space).
pub fn go_trim_space(s: &str) -> &str {
    s.trim_matches(is_go_space)
}

/// Go's `unicode.IsSpace`.
pub fn is_go_space(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\u{0B}' | '\u{0C}' | '\r' | ' ' | '\u{85}' | '\u{A0}')
        || (c > '\u{FF}' && c.is_whitespace())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ignored(pattern: &str, name: &str, is_dir: bool) -> bool {
        let rules = Rules::parse(pattern).unwrap_or_else(|e| panic!("{pattern}: {e}"));
        rules.ignore(name, is_dir)
    }

    // helm/pkg/ignore/rules_test.go TestIgnore (directories are the fixtures' dirs).
    #[test]
    fn helm_ignore_table() {
        let cases: &[(&str, &str, bool, bool)] = &[
            ("helm.txt", "helm.txt", false, true),
            ("helm.*", "helm.txt", false, true),
            ("helm.*", "rudder.txt", false, false),
            ("*.txt", "tiller.txt", false, true),
            ("*.txt", "cargo/a.txt", false, true),
            ("cargo/*.txt", "cargo/a.txt", false, true),
            ("cargo/*.*", "cargo/a.txt", false, true),
            ("cargo/*.txt", "mast/a.txt", false, false),
            ("ru[c-e]?er.txt", "rudder.txt", false, true),
            ("templates/.?*", "templates/.dotfile", false, true),
            (".*", ".", true, false),
            (".*", "./", true, false),
            (".*", ".joonix", false, true),
            (".*", "helm.txt", false, false),
            (".*", "", false, false),
            ("cargo/", "cargo", true, true),
            ("cargo/", "cargo/", true, true),
            ("cargo/", "mast/", true, false),
            ("helm.txt/", "helm.txt", false, false),
            ("!helm.txt", "helm.txt", false, false),
            ("!helm.txt", "tiller.txt", false, true),
            ("!*.txt", "cargo", true, true),
            ("!cargo/", "mast/", true, true),
            ("/a.txt", "a.txt", false, true),
            ("/a.txt", "cargo/a.txt", false, false),
            ("/cargo/a.txt", "cargo/a.txt", false, true),
        ];
        for &(pattern, name, is_dir, want) in cases {
            assert_eq!(ignored(pattern, name, is_dir), want, "{pattern:?} on {name:?}");
        }
    }

    // rules_test.go TestParse / TestParseFail.
    #[test]
    fn parse_and_failures() {
        let rules = Rules::parse("#ignore\n\n\t#ignore\nfoo\nbar/*\nbaz/bar/foo.txt\n\none/more\n");
        assert_eq!(rules.map(|r| r.len()), Ok(4));
        assert_eq!(Rules::parse("foo/**/bar").err(), Some(RuleError::DoubleStar));
        assert_eq!(Rules::parse("[z-").err(), Some(RuleError::BadPattern));
        assert_eq!(RuleError::BadPattern.to_string(), "syntax error in pattern");
    }

    // The corpus case: `!README.md` ignores Chart.yaml (streamspace golden .error).
    #[test]
    fn negation_ignores_everything_else() {
        let rules = Rules::parse("*.tmp\n!README.md\n").unwrap_or_default();
        assert!(rules.ignore("Chart.yaml", false));
        assert!(rules.ignore("templates", true));
        assert!(!rules.ignore("README.md", false));
        assert!(rules.ignore("x.tmp", false));
    }

    #[test]
    fn defaults_only_hit_top_level_template_dotfiles() {
        let mut rules = Rules::empty();
        rules.add_defaults();
        assert!(rules.ignore("templates/.hidden.yaml", false));
        assert!(!rules.ignore("templates/sub/.hidden.yaml", false));
        assert!(!rules.ignore("charts/x/templates/.hidden", false));
        assert!(!rules.ignore(".helmignore", false));
    }
}
