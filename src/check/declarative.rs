//! Declarative rules: a rule file's `check:` block describes a field condition over objects,
//! pod specs or containers, so a new rule of that shape needs no Rust. Users load their own
//! from a directory (`--rules DIR`, config `rulesDirs`).
//!
//! ```yaml
//! check:
//!   target: container            # object | pod | container
//!   kinds: [Deployment]          # optional object kind filter
//!   workloads: long-running      # optional: long-running | batch
//!   containers: [regular, sidecar]  # optional: regular | init | sidecar | ephemeral
//!   when:                        # all must hold
//!     - path: securityContext.privileged
//!       equals: true
//!   at: securityContext.privileged  # where to point (default: first `when` path, else target)
//!   message: "{container} runs privileged"
//! ```
//! Conditions: `equals`, `notEquals`, `in`, `notIn`, `matches`, `notMatches` (regex),
//! `present`, `absent`, `greaterThan`, `lessThan` on a `path`; and `any`, `all`, `not`.
//! A path segment ending in `[]` means "any item of this list" (`ports[].containerPort`).
//! Negative forms are exact negations: `notEquals` also holds when the field is absent.

use std::path::Path;
use std::sync::Arc;

use regex::Regex;
use serde_json::Value;

use super::rule::{Check, CheckContext, Rule, RuleMeta};
use crate::finding::Violation;
use crate::model::{Container, ContainerKind, Object, WorkloadClass};
use crate::source::{FileId, SourceFile, Sources, Span};
use crate::yaml::{self, NodeRef};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    Object,
    Pod,
    Container,
}

#[derive(Debug)]
enum Cond {
    Equals(Path_, Value),
    In(Path_, Vec<Value>),
    Matches(Path_, Regex),
    Present(Path_),
    Greater(Path_, f64),
    Less(Path_, f64),
    Not(Box<Cond>),
    All(Vec<Cond>),
    Any(Vec<Cond>),
}

/// A parsed path: (key, iterate-items?) segments.
#[derive(Clone, Debug)]
struct Path_(Vec<(String, bool)>);

impl Path_ {
    fn parse(s: &str) -> Result<Self, String> {
        if s.is_empty() {
            return Ok(Path_(Vec::new()));
        }
        s.split('.')
            .map(|seg| match seg.strip_suffix("[]") {
                Some(k) if !k.is_empty() => Ok((k.to_string(), true)),
                _ if seg.is_empty() || seg.contains('[') => Err(format!("bad path segment `{seg}` in `{s}`")),
                _ => Ok((seg.to_string(), false)),
            })
            .collect::<Result<_, _>>()
            .map(Path_)
    }

    fn eval<'a>(&self, from: NodeRef<'a>) -> Vec<NodeRef<'a>> {
        let mut cur = vec![from];
        for (key, each) in &self.0 {
            let mut next = Vec::new();
            for n in cur {
                if let Some(v) = n.get(key) {
                    if *each {
                        next.extend(v.items());
                    } else {
                        next.push(v);
                    }
                }
            }
            cur = next;
        }
        cur.retain(|n| !n.is_null());
        cur
    }
}

impl Cond {
    fn holds(&self, at: NodeRef<'_>) -> bool {
        match self {
            Cond::Equals(p, v) => p.eval(at).iter().any(|n| &n.to_json() == v),
            Cond::In(p, vs) => p.eval(at).iter().any(|n| vs.contains(&n.to_json())),
            Cond::Matches(p, re) => p.eval(at).iter().any(|n| n.scalar().is_some_and(|s| re.is_match(&s.json_key()))),
            Cond::Present(p) => !p.eval(at).is_empty(),
            Cond::Greater(p, x) => p.eval(at).iter().any(|n| n.as_f64().is_some_and(|f| f > *x)),
            Cond::Less(p, x) => p.eval(at).iter().any(|n| n.as_f64().is_some_and(|f| f < *x)),
            Cond::Not(c) => !c.holds(at),
            Cond::All(cs) => cs.iter().all(|c| c.holds(at)),
            Cond::Any(cs) => cs.iter().any(|c| c.holds(at)),
        }
    }

    fn first_path(&self) -> Option<&Path_> {
        match self {
            Cond::Equals(p, _)
            | Cond::In(p, _)
            | Cond::Matches(p, _)
            | Cond::Present(p)
            | Cond::Greater(p, _)
            | Cond::Less(p, _) => Some(p),
            Cond::Not(c) => c.first_path(),
            Cond::All(cs) | Cond::Any(cs) => cs.iter().find_map(Cond::first_path),
        }
    }

    fn parse(node: NodeRef<'_>) -> Result<Cond, String> {
        if let Some(list) = node.get("all").or_else(|| node.get("any")) {
            let conds = list.items().map(Cond::parse).collect::<Result<Vec<_>, _>>()?;
            return Ok(if node.get("all").is_some() { Cond::All(conds) } else { Cond::Any(conds) });
        }
        if let Some(inner) = node.get("not") {
            return Ok(Cond::Not(Box::new(Cond::parse(inner)?)));
        }
        let path = Path_::parse(node.get_str("path").ok_or("condition needs `path` (or any/all/not)")?)?;
        let number = |n: NodeRef<'_>| n.as_f64().ok_or_else(|| "expected a number".to_string());
        let regex = |n: NodeRef<'_>| {
            let s = n.scalar().map(|s| s.json_key().into_owned()).ok_or("expected a regex string")?;
            Regex::new(&s).map_err(|e| format!("bad regex: {e}"))
        };
        let list = |n: NodeRef<'_>| n.items().map(|i| i.to_json()).collect::<Vec<_>>();
        let mut ops = Vec::new();
        for (k, v) in node.entries() {
            let key = k.key_text().unwrap_or_default();
            let cond = match key.as_ref() {
                "path" => continue,
                "equals" => Cond::Equals(path.clone(), v.to_json()),
                "notEquals" => Cond::Not(Box::new(Cond::Equals(path.clone(), v.to_json()))),
                "in" => Cond::In(path.clone(), list(v)),
                "notIn" => Cond::Not(Box::new(Cond::In(path.clone(), list(v)))),
                "matches" => Cond::Matches(path.clone(), regex(v)?),
                "notMatches" => Cond::Not(Box::new(Cond::Matches(path.clone(), regex(v)?))),
                "present" | "absent" => {
                    let want_present = (key == "present") == v.as_bool().unwrap_or(true);
                    if want_present {
                        Cond::Present(path.clone())
                    } else {
                        Cond::Not(Box::new(Cond::Present(path.clone())))
                    }
                }
                "greaterThan" => Cond::Greater(path.clone(), number(v)?),
                "lessThan" => Cond::Less(path.clone(), number(v)?),
                other => return Err(format!("unknown condition `{other}`")),
            };
            ops.push(cond);
        }
        match ops.len() {
            0 => Err("condition has a `path` but no test (equals, absent, matches, ...)".into()),
            1 => Ok(ops.remove(0)),
            _ => Ok(Cond::All(ops)),
        }
    }
}

/// A compiled declarative check.
pub struct Declarative {
    target: Target,
    kinds: Vec<String>,
    workloads: Option<WorkloadClass>,
    containers: Vec<ContainerKind>,
    when: Cond,
    at: Option<Path_>,
    message: String,
}

impl Declarative {
    pub fn parse(node: NodeRef<'_>) -> Result<Declarative, String> {
        let target = match node.get_str("target").unwrap_or("object") {
            "object" => Target::Object,
            "pod" => Target::Pod,
            "container" => Target::Container,
            t => return Err(format!("unknown target `{t}` (object, pod or container)")),
        };
        let strings = |key: &str| -> Vec<String> {
            node.get(key).into_iter().flat_map(|l| l.items()).filter_map(|i| i.as_str().map(str::to_string)).collect()
        };
        let workloads = match node.get_str("workloads") {
            None => None,
            Some("long-running") => Some(WorkloadClass::LongRunning),
            Some("batch") => Some(WorkloadClass::Batch),
            Some(w) => return Err(format!("unknown workloads `{w}` (long-running or batch)")),
        };
        let containers = strings("containers")
            .iter()
            .map(|c| match c.as_str() {
                "regular" => Ok(ContainerKind::Regular),
                "init" => Ok(ContainerKind::Init),
                "sidecar" => Ok(ContainerKind::Sidecar),
                "ephemeral" => Ok(ContainerKind::Ephemeral),
                other => Err(format!("unknown container kind `{other}`")),
            })
            .collect::<Result<Vec<_>, _>>()?;
        let when_node = node.get("when").ok_or("`check` needs `when`")?;
        let when = if when_node.is_sequence() {
            Cond::All(when_node.items().map(Cond::parse).collect::<Result<_, _>>()?)
        } else {
            Cond::parse(when_node)?
        };
        let at = node.get_str("at").map(Path_::parse).transpose()?;
        let message = node.get_str("message").ok_or("`check` needs `message`")?.to_string();
        Ok(Declarative { target, kinds: strings("kinds"), workloads, containers, when, at, message })
    }

    /// The span to report, the value found there, and (when the field is absent) the fields
    /// that would fix it (see [`Violation::missing`]).
    fn locate(&self, base: NodeRef<'_>, fallback: Span) -> (Span, Option<String>, Vec<String>) {
        let path = self.at.as_ref().or_else(|| self.when.first_path());
        let Some(path) = path else { return (fallback, None, Vec::new()) };
        let Some(node) = path.eval(base).into_iter().next() else {
            let keys: Vec<&str> = path.0.iter().map(|(k, _)| k.as_str()).collect();
            let mut missing = vec![keys.join(".")];
            if keys.len() > 1 {
                missing.push(keys[0].to_string());
            }
            return (fallback, None, missing);
        };
        // Point at `key: value` for scalars, at the key for collections.
        let parent = Path_(path.0[..path.0.len().saturating_sub(1)].to_vec()).eval(base).into_iter().next();
        let key = path.0.last().and_then(|(k, _)| parent.and_then(|p| p.entry(k)).map(|(k, _)| k));
        let span = match key {
            Some(k) if node.is_scalar() => k.span().to(node.span()),
            Some(k) => k.span(),
            None => node.span(),
        };
        (span, node.scalar().map(|s| s.json_key().into_owned()), Vec::new())
    }

    fn message(&self, object: &Object, container: Option<&Container<'_>>, value: Option<&str>) -> String {
        self.message
            .replace("{container}", &container.map(|c| c.describe()).unwrap_or_default())
            .replace("{kind}", &object.kind)
            .replace("{name}", object.name.as_deref().unwrap_or("<unnamed>"))
            .replace("{value}", value.unwrap_or(""))
    }
}

impl Check for Declarative {
    fn check_object(&self, object: &Object, _cx: &CheckContext, out: &mut Vec<Violation>) {
        if !self.kinds.is_empty() && !self.kinds.iter().any(|k| k == &object.kind) {
            return;
        }
        if let Some(w) = self.workloads {
            if object.workload_class() != Some(w) {
                return;
            }
        }
        match self.target {
            Target::Object => {
                let root = object.node();
                if self.when.holds(root) {
                    let (span, value, missing) = self.locate(root, object.anchor_span());
                    out.push(Violation::new(span, self.message(object, None, value.as_deref())).missing(missing));
                }
            }
            Target::Pod => {
                let Some(spec) = object.pod_spec() else { return };
                if self.when.holds(spec.node()) {
                    let (span, value, missing) = self.locate(spec.node(), object.anchor_span());
                    out.push(Violation::new(span, self.message(object, None, value.as_deref())).missing(missing));
                }
            }
            Target::Container => {
                let Some(spec) = object.pod_spec() else { return };
                for c in spec.containers() {
                    if !self.containers.is_empty() && !self.containers.contains(&c.kind) {
                        continue;
                    }
                    if self.when.holds(c.node) {
                        let (span, value, missing) = self.locate(c.node, c.anchor_span());
                        let message = self.message(object, Some(&c), value.as_deref());
                        out.push(Violation::new(span, message).missing(missing));
                    }
                }
            }
        }
    }
}

/// Parse a rule file: metadata plus, when present, a declarative `check:` block.
/// Returns the metadata and the compiled check (None for `check: builtin`).
pub fn parse_rule_file(name: &str, text: &str) -> Result<(RuleMeta, Option<Declarative>), String> {
    let mut sources = Sources::default();
    let file = sources.add(SourceFile::new(name.to_string(), None, Arc::from(text)));
    let doc = yaml::parse_stream(file, text)
        .into_iter()
        .find(|d| d.as_ref().map_or(true, |d| !d.is_empty()))
        .ok_or_else(|| format!("{name}: empty rule file"))?
        .map_err(|e| located(&sources, file, e.span, &e.message))?;
    let root = doc.root().ok_or_else(|| format!("{name}: empty rule file"))?;
    let meta = RuleMeta::from_node(root).map_err(|e| format!("{name}: {e}"))?;
    let check = match root.get("check") {
        Some(c) if c.as_str() == Some("builtin") => None,
        Some(c) => Some(Declarative::parse(c).map_err(|e| located(&sources, file, c.span(), &e))?),
        None => return Err(format!("{name}: missing `check` (a declarative block, or `builtin`)")),
    };
    Ok((meta, check))
}

fn located(sources: &Sources, _file: FileId, span: Span, message: &str) -> String {
    let loc = sources.location(span);
    format!("{}:{}:{}: {message}", loc.file, loc.line, loc.column)
}

/// Load every `*.yaml`/`*.yml` rule in `dir` (custom rules must be declarative).
pub fn load_dir(dir: &Path) -> Result<Vec<Rule>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut paths: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")))
        .collect();
    paths.sort();
    let mut rules = Vec::new();
    for path in paths {
        let name = crate::source::display_path(&path);
        let text = crate::fsread::read_to_string(&path).map_err(|e| format!("{name}: {e}"))?;
        let (meta, check) = parse_rule_file(&name, &text)?;
        let check =
            check.ok_or_else(|| format!("{name}: custom rules must be declarative (`check: builtin` is reserved)"))?;
        rules.push(Rule { meta: Arc::new(meta), check: Arc::new(check), builtin: false });
    }
    Ok(rules)
}
