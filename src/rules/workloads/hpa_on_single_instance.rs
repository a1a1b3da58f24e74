use regex::Regex;

use crate::check::{Check, CheckContext, Scope};
use crate::finding::Violation;
use crate::model::{Object, ObjectSet};
use crate::source::Span;

use super::common::{describe, hpas_for, max_replicas, replicas_span, rwo_claims, SCALABLE};

pub const ANNOTATION: &str = "plimsoll.io/single-instance";

/// A workload that must run as one pod, scaled out by an HPA or by `replicas > 1`: two
/// instances corrupt shared state (SQLite, a single-writer volume) or fight over it.
pub struct HpaOnSingleInstance;

/// Why a workload must run once, and where that is written.
struct Reason {
    text: String,
    span: Span,
}

impl Check for HpaOnSingleInstance {
    fn scope(&self) -> Scope {
        Scope::Set
    }
    fn check_set(&self, set: &ObjectSet, cx: &CheckContext, out: &mut Vec<(usize, Violation)>) {
        let configured: Vec<&str> = cx
            .option("singleInstance")
            .and_then(|v| v.as_array())
            .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
            .unwrap_or_default();
        for (t, workload) in set.objects.iter().enumerate() {
            if !SCALABLE.contains(&workload.kind.as_str()) {
                continue;
            }
            let Some(reason) = single_instance_reason(set, workload, &configured) else { continue };
            for (h, hpa) in hpas_for(set, t) {
                let Some(max) = max_replicas(hpa).filter(|m| *m > 1) else { continue };
                let span =
                    hpa.node().get("spec").and_then(|s| s.field_span("maxReplicas")).unwrap_or(hpa.anchor_span());
                out.push((
                    h,
                    Violation::new(
                        span,
                        format!(
                            "HPA scales {} up to {max} replicas, but it must run as a single instance: {}",
                            describe(workload),
                            reason.text
                        ),
                    )
                    .with_related(reason.span, "why it must run once"),
                ));
            }
            if let Some(n) = workload.replicas().filter(|n| *n > 1) {
                out.push((
                    t,
                    Violation::new(
                        replicas_span(workload),
                        format!(
                            "{} runs {n} replicas, but it must run as a single instance: {}",
                            workload.kind, reason.text
                        ),
                    )
                    .with_related(reason.span, "why it must run once"),
                ));
            }
        }
    }
}

fn single_instance_reason(set: &ObjectSet, w: &Object, configured: &[&str]) -> Option<Reason> {
    annotated(w)
        .or_else(|| {
            let name = w.name.as_deref()?;
            configured.contains(&name).then(|| Reason {
                text: format!("`{name}` is listed in the singleInstance option"),
                span: w.anchor_span(),
            })
        })
        .or_else(|| recreate(w))
        .or_else(|| rwo_volume(set, w))
        .or_else(|| sqlite(w))
}

fn annotated(w: &Object) -> Option<Reason> {
    let template_meta = w.pod_template().and_then(|t| t.metadata);
    [w.metadata(), template_meta].into_iter().flatten().find_map(|meta| {
        let annotations = meta.get("annotations")?;
        let v = annotations.get(ANNOTATION)?;
        let yes = v.as_bool() == Some(true) || v.as_str().is_some_and(|s| s.eq_ignore_ascii_case("true"));
        yes.then(|| Reason {
            text: format!("it is annotated {ANNOTATION}: \"true\""),
            span: annotations.field_span(ANNOTATION).unwrap_or(v.span()),
        })
    })
}

fn recreate(w: &Object) -> Option<Reason> {
    let strategy = w.node().path(&["spec", "strategy"])?;
    (strategy.get_str("type") == Some("Recreate")).then(|| Reason {
        text: "its strategy is Recreate (old and new pods must never overlap)".into(),
        span: strategy.field_span("type").unwrap_or(strategy.span()),
    })
}

/// A single-node claim shared by every pod. Deployments are left to `rwo-volume-multi-replica`.
fn rwo_volume(set: &ObjectSet, w: &Object) -> Option<Reason> {
    if w.kind == "Deployment" {
        return None;
    }
    let claim = rwo_claims(set, w).into_iter().next()?;
    Some(Reason {
        text: format!("every pod mounts the {} PVC {} (not a per-pod volumeClaimTemplate)", claim.mode, claim.name()),
        span: claim.span(),
    })
}

/// SQLite on a mounted volume: a `*.db`/`*.sqlite` path under a mount path in env or args, or
/// a container image named sqlite.
fn sqlite(w: &Object) -> Option<Reason> {
    let spec = w.pod_spec()?;
    let path_re = Regex::new(r"/[A-Za-z0-9._/-]*\.(?:db|sqlite3?)\b").ok()?;
    for c in spec.containers() {
        let mounts: Vec<&str> = c
            .node
            .get("volumeMounts")
            .into_iter()
            .flat_map(|m| m.items())
            .filter_map(|m| m.get_str("mountPath"))
            .collect();
        if mounts.is_empty() {
            continue;
        }
        if let Some(image) = c.image().and_then(|i| i.as_str()) {
            let repo = image.split(['@']).next().unwrap_or(image);
            let last = repo.rsplit('/').next().unwrap_or(repo);
            if last.split(':').next().is_some_and(|n| n.contains("sqlite")) {
                return Some(Reason {
                    text: format!("{} runs SQLite ({image}) on a volume", c.describe()),
                    span: c.node.field_span("image").unwrap_or(c.anchor_span()),
                });
            }
        }
        let env_values = c.node.get("env").into_iter().flat_map(|e| e.items()).filter_map(|e| e.get("value"));
        let args = ["command", "args"].into_iter().filter_map(|k| c.node.get(k)).flat_map(|l| l.items());
        for value in env_values.chain(args) {
            let Some(text) = value.as_str() else { continue };
            for m in path_re.find_iter(text) {
                let path = format!("/{}", m.as_str().trim_start_matches('/'));
                let on_volume = mounts.iter().any(|mp| {
                    let mp = mp.trim_end_matches('/');
                    path.starts_with(&format!("{mp}/"))
                });
                if on_volume {
                    return Some(Reason {
                        text: format!("{} keeps an SQLite database at {path} on a volume", c.describe()),
                        span: value.span(),
                    });
                }
            }
        }
    }
    None
}
