//! A rule = metadata and docs (from `rules/<id>.yaml`) + logic (a [`Check`]).

use std::sync::Arc;

use crate::finding::{Severity, Violation};
use crate::model::{Object, ObjectSet};
use crate::yaml::NodeRef;

/// Base of the generated rule reference; each rule's docs are at `#<id>`.
pub const DOCS_BASE: &str = "https://github.com/plimsoll-lint/plimsoll/blob/main/docs/rules.md";

pub const CATEGORIES: &[&str] = &["correctness", "reliability", "security", "efficiency", "images", "hygiene"];

#[derive(Clone, Debug, Default)]
pub struct Example {
    pub bad: String,
    pub good: String,
}

/// Everything a person (or SARIF consumer) needs to know about a rule.
#[derive(Clone, Debug)]
pub struct RuleMeta {
    pub id: String,
    pub category: String,
    pub severity: Severity,
    /// Off unless enabled by `--enable` or config.
    pub opt_in: bool,
    pub summary: String,
    pub rationale: String,
    /// What makes it fire (and what does not).
    pub fires: String,
    pub remediation: std::sync::Arc<str>,
    pub example: Example,
    /// Documented options: (name, description).
    pub options: Vec<(String, String)>,
}

impl RuleMeta {
    pub fn docs_url(&self) -> String {
        format!("{DOCS_BASE}#{}", self.id)
    }

    /// Parse a rule file's metadata part. Errors name the missing or malformed field.
    pub fn from_node(node: NodeRef<'_>) -> Result<RuleMeta, String> {
        let text = |key: &str| -> Result<String, String> {
            node.get(key)
                .and_then(|n| n.raw())
                .map(|s| s.trim_end().to_string())
                .filter(|s| !s.is_empty())
                .ok_or_else(|| format!("missing `{key}`"))
        };
        let id = text("id")?;
        if id.is_empty() || !id.bytes().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-') {
            return Err(format!("rule id `{id}` must be kebab-case"));
        }
        let category = text("category")?;
        if !CATEGORIES.contains(&category.as_str()) {
            return Err(format!("unknown category `{category}` (one of {})", CATEGORIES.join(", ")));
        }
        let severity_text = text("severity")?;
        let severity = Severity::parse(&severity_text).ok_or_else(|| format!("unknown severity `{severity_text}`"))?;
        let example = node
            .get("example")
            .map(|e| Example {
                bad: e.get("bad").and_then(|n| n.raw()).unwrap_or("").to_string(),
                good: e.get("good").and_then(|n| n.raw()).unwrap_or("").to_string(),
            })
            .unwrap_or_default();
        let options = node
            .get("options")
            .map(|o| {
                o.entries()
                    .map(|(k, v)| (k.raw().unwrap_or("").to_string(), v.raw().unwrap_or("").trim_end().to_string()))
                    .collect()
            })
            .unwrap_or_default();
        Ok(RuleMeta {
            id,
            category,
            severity,
            opt_in: node.get("optIn").and_then(|n| n.as_bool()).unwrap_or(false),
            summary: text("summary")?,
            rationale: text("rationale")?,
            fires: text("fires")?,
            remediation: std::sync::Arc::from(text("remediation")?),
            example,
            options,
        })
    }
}

/// What a check gets besides its input: its options from config, and the source texts (for
/// rules that point inside a scalar, e.g. one line of an embedded config file).
pub struct CheckContext<'a> {
    pub options: &'a serde_json::Value,
    pub sources: &'a crate::source::Sources,
    /// The charts of the run and the target Kubernetes version.
    pub run: &'a crate::charts::RunContext,
}

impl CheckContext<'_> {
    pub fn option(&self, name: &str) -> Option<&serde_json::Value> {
        self.options.get(name)
    }
}

/// Where a rule looks. Object rules run once per object (in parallel), set rules once per run
/// with every object and the index, file rules once per parsed file, chart rules once per
/// rendered chart.
pub trait Check: Send + Sync {
    fn check_object(&self, _object: &Object, _cx: &CheckContext, _out: &mut Vec<Violation>) {}
    fn check_set(&self, _set: &ObjectSet, _cx: &CheckContext, _out: &mut Vec<(usize, Violation)>) {}
    fn check_file(&self, _file: &crate::load::ParsedFile, _cx: &CheckContext, _out: &mut Vec<Violation>) {}
    /// Once per rendered chart: findings about an object of the set carry its index, findings
    /// about the chart's own files (`Chart.yaml`, `values.yaml`) carry `None`.
    fn check_chart(
        &self,
        _chart: &crate::charts::ChartUnit,
        _set: &ObjectSet,
        _cx: &CheckContext,
        _out: &mut Vec<(Option<usize>, Violation)>,
    ) {
    }
    fn scope(&self) -> Scope {
        Scope::Object
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Object,
    Set,
    File,
    Chart,
}

/// A rule ready to run.
#[derive(Clone)]
pub struct Rule {
    pub meta: Arc<RuleMeta>,
    pub check: Arc<dyn Check>,
    pub builtin: bool,
}
