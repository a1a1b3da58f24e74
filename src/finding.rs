//! What checks produce and reporters print. Plain data: no formatting, no policy.

use serde::{Deserialize, Serialize};

use crate::source::Span;

/// Ordered: `Info < Warning < Error`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "info" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Identity of the Kubernetes object a finding is about.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectIdent {
    pub api_version: String,
    pub kind: String,
    pub name: Option<String>,
    pub namespace: Option<String>,
}

impl std::fmt::Display for ObjectIdent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.kind)?;
        if let Some(ns) = &self.namespace {
            write!(f, " {ns}/")?;
        } else {
            f.write_str(" ")?;
        }
        f.write_str(self.name.as_deref().unwrap_or("<unnamed>"))
    }
}

/// A secondary location with its own message (SARIF `relatedLocations`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Related {
    pub span: Span,
    pub message: String,
    /// On the way from the chart's sources to the rendered object (the template action that
    /// printed a value, an `include` call, the rendered output), not a second place the rule
    /// points at: a `plimsoll:ignore` there applies to the finding.
    pub trail: bool,
}

impl Related {
    pub fn new(span: Span, message: impl Into<String>) -> Self {
        Related { span, message: message.into(), trail: false }
    }
    pub fn trail(span: Span, message: impl Into<String>) -> Self {
        Related { span, message: message.into(), trail: true }
    }
}

/// What a rule reports, before the engine attaches rule id, severity and object.
#[derive(Clone, Debug)]
pub struct Violation {
    pub span: Span,
    pub message: String,
    pub related: Vec<Related>,
    /// For a finding about something absent: the fields that would fix it, relative to the
    /// reported container or object (`livenessProbe`, `securityContext.runAsNonRoot`), most
    /// specific first. A chart finding then points at the values key the chart exposes for
    /// one of them, when it has one.
    pub missing: Vec<String>,
    /// The span is only an anchor for the absent fields (a container's `name:`), not a field
    /// that explains the finding: without a values key for them, point at the template line.
    pub missing_at_anchor: bool,
}

impl Violation {
    pub fn new(span: Span, message: impl Into<String>) -> Self {
        Violation { span, message: message.into(), related: Vec::new(), missing: Vec::new(), missing_at_anchor: false }
    }
    pub fn with_related(mut self, span: Span, message: impl Into<String>) -> Self {
        self.related.push(Related::new(span, message));
        self
    }
    /// The finding is about absent `fields`, reported at an anchor span (see
    /// [`Violation::missing`]).
    pub fn missing<S: Into<String>>(mut self, fields: impl IntoIterator<Item = S>) -> Self {
        self.missing.extend(fields.into_iter().map(Into::into));
        self.missing_at_anchor = !self.missing.is_empty();
        self
    }
    /// Setting one of `fields` would fix the finding, reported at a span that explains it
    /// (e.g. the replica count): point at the values key for them when the chart has one,
    /// else where the span's value came from.
    pub fn fixed_by<S: Into<String>>(mut self, fields: impl IntoIterator<Item = S>) -> Self {
        self.missing.extend(fields.into_iter().map(Into::into));
        self
    }
}

/// One reported problem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub rule: String,
    pub severity: Severity,
    pub message: String,
    pub span: Span,
    /// Shared by every finding on the same object.
    pub object: Option<std::sync::Arc<ObjectIdent>>,
    pub related: Vec<Related>,
    /// How to fix it (the rule's remediation; shared by all findings of the rule).
    pub help: Option<std::sync::Arc<str>>,
    /// Position of the object in the run's object set (for annotation suppression); not
    /// part of any report.
    pub object_index: Option<usize>,
    /// For a finding on a rendered chart: the `.Values` path whose value was printed where the
    /// rule looked (`image.tag`), or the values key the chart exposes for an absent field.
    pub values_path: Option<std::sync::Arc<str>>,
    /// Fields whose absence the finding is about (from [`Violation::missing`]); not reported.
    pub missing: Vec<String>,
    pub missing_at_anchor: bool,
}

impl Finding {
    /// Deterministic order: file, position, rule, message, object (chart findings on several
    /// objects can share one values key).
    pub fn sort_key(&self) -> (crate::source::FileId, u32, u32, &str, &str, Option<&ObjectIdent>) {
        (
            self.span.file,
            self.span.start,
            self.span.end,
            self.rule.as_str(),
            self.message.as_str(),
            self.object.as_deref(),
        )
    }
}
