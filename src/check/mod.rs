//! The rule engine: resolve which rules run (once, up front), run them in parallel over
//! objects, the object set and files, drop suppressed findings, and sort deterministically.

pub mod declarative;
mod rule;
mod suppress;

use std::collections::BTreeSet;
use std::sync::Arc;

use rayon::prelude::*;

pub use rule::{Check, CheckContext, Example, Rule, RuleMeta, Scope, CATEGORIES, DOCS_BASE};

use crate::config::Config;
use crate::finding::{Finding, Severity, Violation};
use crate::load::ParsedFile;
use crate::model::ObjectSet;
use crate::source::{Sources, Span};

/// A rule selected for this run, with its effective severity and options.
#[derive(Clone)]
pub struct ActiveRule {
    pub rule: Rule,
    pub severity: Severity,
    pub options: serde_json::Value,
}

/// Rule choices from the command line (these win over the config file).
#[derive(Clone, Debug, Default)]
pub struct CliRuleChoices {
    pub enable: Vec<String>,
    pub disable: Vec<String>,
}

/// Decide which rules run. Unknown rule ids are errors (a typo must not silently disable
/// nothing).
pub fn select(all: &[Rule], config: &Config, cli: &CliRuleChoices) -> Result<Vec<ActiveRule>, String> {
    let known: BTreeSet<&str> = all.iter().map(|r| r.meta.id.as_str()).collect();
    let check_ids = |ids: &[String], what: &str| -> Result<(), String> {
        for id in ids {
            if id != "all" && !known.contains(id.as_str()) {
                return Err(format!("unknown rule `{id}` in {what} (see `plimsoll rules`)"));
            }
        }
        Ok(())
    };
    check_ids(&config.enable, "config `enable`")?;
    check_ids(&config.disable, "config `disable`")?;
    check_ids(&cli.enable, "--enable")?;
    check_ids(&cli.disable, "--disable")?;
    for entry in &config.ignore {
        check_ids(&entry.rules, "config `ignore`")?;
    }
    for id in config.severity.keys().chain(config.options.keys()) {
        if !known.contains(id.as_str()) {
            return Err(format!("unknown rule `{id}` in config (see `plimsoll rules`)"));
        }
    }
    let listed = |ids: &[String], id: &str| ids.iter().any(|x| x == id || x == "all");
    let mut active = Vec::new();
    for rule in all {
        let id = rule.meta.id.as_str();
        let mut on = !rule.meta.opt_in;
        // Later layers override earlier ones: config disable, config enable, CLI disable, CLI enable.
        if listed(&config.disable, id) {
            on = false;
        }
        if listed(&config.enable, id) {
            on = true;
        }
        if listed(&cli.disable, id) {
            on = false;
        }
        if listed(&cli.enable, id) {
            on = true;
        }
        if on {
            active.push(ActiveRule {
                rule: rule.clone(),
                severity: config.severity.get(id).copied().unwrap_or(rule.meta.severity),
                options: config.options.get(id).cloned().unwrap_or(serde_json::Value::Object(Default::default())),
            });
        }
    }
    Ok(active)
}

fn finding(
    active: &ActiveRule,
    v: Violation,
    idents: &[Arc<crate::finding::ObjectIdent>],
    object: Option<usize>,
) -> Finding {
    Finding {
        rule: active.rule.meta.id.clone(),
        severity: active.severity,
        message: v.message,
        span: v.span,
        object: object.map(|i| Arc::clone(&idents[i])),
        related: v.related,
        help: Some(std::sync::Arc::clone(&active.rule.meta.remediation)),
        object_index: object,
        values_path: None,
        missing: v.missing,
        missing_at_anchor: v.missing_at_anchor,
    }
}

/// The rule id of findings about a rule that panicked.
pub const INTERNAL_ERROR: &str = "internal-error";

/// A rule panicked on `object` (or on the file/chart/set at `at`): reported as an error finding
/// so the run goes on and still fails. Emitted even when `internal-error` is not selected: a
/// crash must never pass for a clean result.
fn internal_error(
    a: &ActiveRule,
    panic: &str,
    at: Span,
    object: Option<usize>,
    idents: &[Arc<crate::finding::ObjectIdent>],
) -> Finding {
    let on = object.map(|i| format!(" on {}", idents[i])).unwrap_or_default();
    Finding {
        rule: INTERNAL_ERROR.to_string(),
        severity: Severity::Error,
        message: format!(
            "internal error: rule `{}` crashed{on} ({panic}); the other rules and objects were still checked",
            a.rule.meta.id
        ),
        span: at,
        object: object.map(|i| Arc::clone(&idents[i])),
        related: Vec::new(),
        help: None,
        object_index: object,
        values_path: None,
        missing: Vec::new(),
        missing_at_anchor: false,
    }
}

fn first_span(sources: &Sources) -> Option<Span> {
    sources.iter().next().map(|(id, _)| Span::new(id, 0, 0))
}

/// Run every active rule. Output is sorted and free of suppressed findings.
pub fn run(
    active: &[ActiveRule],
    files: &[ParsedFile],
    set: &ObjectSet,
    sources: &Sources,
    run: &crate::charts::RunContext,
) -> Vec<Finding> {
    let by_scope = |s: Scope| active.iter().filter(move |a| a.rule.check.scope() == s).collect::<Vec<_>>();
    // One identity per object, shared by all its findings (big runs have many per object).
    let idents: Vec<Arc<crate::finding::ObjectIdent>> = set.objects.iter().map(|o| Arc::new(o.ident())).collect();
    let idents = idents.as_slice();
    let object_rules = by_scope(Scope::Object);
    let set_rules = by_scope(Scope::Set);
    let file_rules = by_scope(Scope::File);
    let chart_rules = by_scope(Scope::Chart);

    let mut findings: Vec<Finding> = set
        .objects
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, object)| {
            let mut out = Vec::new();
            for a in &object_rules {
                let cx = CheckContext { options: &a.options, sources, run };
                match crate::guard::catch(|| {
                    let mut vs = Vec::new();
                    a.rule.check.check_object(object, &cx, &mut vs);
                    vs
                }) {
                    Ok(vs) => out.extend(vs.into_iter().map(|v| finding(a, v, idents, Some(i)))),
                    Err(panic) => {
                        let at = object.node().get("kind").map_or_else(|| object.node().span(), |n| n.span());
                        out.push(internal_error(a, &panic, at, Some(i), idents));
                    }
                }
            }
            out
        })
        .collect();

    findings.par_extend(set_rules.par_iter().flat_map_iter(|a| {
        let cx = CheckContext { options: &a.options, sources, run };
        match crate::guard::catch(|| {
            let mut vs = Vec::new();
            a.rule.check.check_set(set, &cx, &mut vs);
            vs
        }) {
            Ok(vs) => vs.into_iter().map(|(i, v)| finding(a, v, idents, Some(i))).collect::<Vec<_>>(),
            // A set rule sees every object: the finding goes at the start of the first input.
            Err(panic) => {
                first_span(sources).map(|at| internal_error(a, &panic, at, None, idents)).into_iter().collect()
            }
        }
    }));

    findings.par_extend(files.par_iter().flat_map_iter(|f| {
        let mut out = Vec::new();
        for a in &file_rules {
            let cx = CheckContext { options: &a.options, sources, run };
            match crate::guard::catch(|| {
                let mut vs = Vec::new();
                a.rule.check.check_file(f, &cx, &mut vs);
                vs
            }) {
                Ok(vs) => out.extend(vs.into_iter().map(|v| finding(a, v, idents, None))),
                Err(panic) => out.push(internal_error(a, &panic, Span::new(f.file, 0, 0), None, idents)),
            }
        }
        out
    }));

    findings.par_extend(run.charts.par_iter().flat_map_iter(|chart| {
        let mut out = Vec::new();
        for a in &chart_rules {
            let cx = CheckContext { options: &a.options, sources, run };
            match crate::guard::catch(|| {
                let mut vs = Vec::new();
                a.rule.check.check_chart(chart, set, &cx, &mut vs);
                vs
            }) {
                Ok(vs) => out.extend(vs.into_iter().map(|(i, v)| finding(a, v, idents, i))),
                Err(panic) => {
                    let at = chart.chart_yaml.as_ref().map(|d| Span::new(d.file, 0, 0)).or_else(|| first_span(sources));
                    out.extend(at.map(|at| internal_error(a, &panic, at, None, idents)));
                }
            }
        }
        out
    }));

    // Chart findings move from the rendered stream to the template or values line behind it.
    if !run.charts.is_empty() {
        findings.par_iter_mut().for_each(|f| run.relocate(f, set, sources));
    }

    // Filter in place: big runs have hundreds of thousands of findings.
    let comments = suppress::InlineDirectives::collect(sources, findings.iter());
    findings.retain(|f| {
        let by_annotation = f.object_index.is_some_and(|i| suppress::annotated(&set.objects[i], &f.rule));
        !by_annotation && !comments.suppresses(sources, f)
    });
    findings.shrink_to_fit();
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    findings.dedup_by(|a, b| a.sort_key() == b.sort_key());
    findings
}

/// Every rule in the catalogue plus custom rules from `dirs`.
pub fn all_rules(custom_dirs: &[std::path::PathBuf]) -> Result<Vec<Rule>, String> {
    let mut rules = crate::rules::builtin()?;
    for dir in custom_dirs {
        for rule in declarative::load_dir(dir)? {
            if rules.iter().any(|r| r.meta.id == rule.meta.id) {
                return Err(format!("{}: custom rule `{}` has the id of a built-in rule", dir.display(), rule.meta.id));
            }
            rules.push(rule);
        }
    }
    rules.sort_by(|a, b| a.meta.id.cmp(&b.meta.id));
    Ok(rules)
}

pub fn metas(active: &[ActiveRule]) -> Vec<Arc<RuleMeta>> {
    active.iter().map(|a| Arc::clone(&a.rule.meta)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Object;

    /// Panics on the object named `boom`, and only there.
    struct Crashes;

    impl Check for Crashes {
        fn check_object(&self, object: &Object, _cx: &CheckContext, _out: &mut Vec<Violation>) {
            if object.name.as_deref() == Some("boom") {
                panic!("deliberate test panic");
            }
        }
    }

    const PODS: &str = "apiVersion: v1\nkind: Pod\nmetadata: {name: ok}\nspec:\n  containers: [{name: a, image: 'nginx:latest'}]\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: boom}\nspec:\n  containers: [{name: a, image: 'nginx:latest'}]\n";

    fn run_with(crashing: bool) -> Vec<Finding> {
        let all = all_rules(&[]).unwrap_or_default();
        let mut active: Vec<ActiveRule> =
            select(&all, &Config::default(), &CliRuleChoices { enable: vec![], disable: vec![] })
                .unwrap_or_default()
                .into_iter()
                .filter(|a| a.rule.meta.id == "image-tag-latest")
                .collect();
        if crashing {
            let mut meta = (*active[0].rule.meta).clone();
            meta.id = "crashes".into();
            active.push(ActiveRule {
                rule: Rule { meta: Arc::new(meta), check: Arc::new(Crashes), builtin: false },
                severity: Severity::Warning,
                options: serde_json::json!({}),
            });
        }
        let loaded = crate::load::load_texts(vec![("pods.yaml".into(), Arc::from(PODS))]);
        let set = ObjectSet::new(loaded.objects);
        let ctx = crate::charts::RunContext { charts: Vec::new(), kube_version: None, crds: Vec::new() };
        run(&active, &loaded.files, &set, &loaded.sources, &ctx)
    }

    // A rule panicking on one object becomes an internal-error finding at that object; the
    // other rules (and the same rule on other objects) still report.
    #[test]
    fn a_panicking_rule_is_reported_and_the_run_goes_on() {
        let findings = run_with(true);
        let internal: Vec<&Finding> = findings.iter().filter(|f| f.rule == INTERNAL_ERROR).collect();
        assert_eq!(internal.len(), 1, "{findings:#?}");
        let f = internal[0];
        assert_eq!(f.severity, Severity::Error);
        assert!(f.message.contains("rule `crashes` crashed on Pod boom"), "{}", f.message);
        assert!(f.message.contains("deliberate test panic"), "{}", f.message);
        assert_eq!(f.object.as_ref().and_then(|o| o.name.as_deref()), Some("boom"));
        // At the object: its `kind` value, in the second document.
        assert_eq!(f.span.start as usize, PODS.rfind("Pod").unwrap_or(0));
        let latest = findings.iter().filter(|f| f.rule == "image-tag-latest").count();
        assert_eq!(latest, 2, "both objects are still checked by the other rule");
        assert_eq!(run_with(false).iter().filter(|f| f.rule == INTERNAL_ERROR).count(), 0);
    }
}
