use crate::check::{Check, CheckContext};
use crate::finding::Violation;
use crate::model::{Container, ContainerKind, Object};
use crate::source::Span;

use super::common::replicas_span;

/// Several replicas of a controller without leader election: every replica reconciles the
/// same objects, so they race on updates and duplicate side effects.
pub struct LeaderElectionMissing;

const NAME_HINTS: &[&str] = &["controller", "operator", "manager"];
const FLAG_HINTS: &[&str] = &["--metrics-bind-address", "--health-probe-bind-address"];
const FLAGS: &[&str] = &[
    "leader-elect",
    "leader-election",
    "enable-leader-election",
    "enable-leader-elect",
    "leader-elect-enabled",
    "leader-election-enabled",
];

impl Check for LeaderElectionMissing {
    fn check_object(&self, object: &Object, _cx: &CheckContext, out: &mut Vec<Violation>) {
        if object.kind != "Deployment" {
            return;
        }
        let Some(replicas) = object.replicas().filter(|r| *r > 1) else { return };
        let Some(spec) = object.pod_spec() else { return };
        let containers: Vec<Container<'_>> =
            spec.containers().into_iter().filter(|c| c.kind == ContainerKind::Regular).collect();
        // The object name is not a hint: "-controller" was the naming convention of
        // ReplicationControllers for any app.
        let Some(controller) = containers.iter().find(|c| looks_like_controller(c)) else { return };
        let mut disabled = None;
        for c in &containers {
            match leader_election(c) {
                Some((true, _)) => return,
                Some((false, span)) => disabled = Some(span),
                None => {}
            }
        }
        let mut v = Violation::new(
            replicas_span(object),
            format!(
                "{replicas} replicas of controller {} run without leader election; every replica reconciles the same objects",
                controller.describe()
            ),
        );
        v = match disabled {
            Some(span) => v.with_related(span, "leader election disabled here"),
            None => v.with_related(controller.anchor_span(), "no --leader-elect flag or LEADER_ELECT env var"),
        };
        out.push(v);
    }
}

fn has_name_hint(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    NAME_HINTS.iter().any(|h| name.contains(h))
}

fn looks_like_controller(c: &Container<'_>) -> bool {
    let image_name = c.image().and_then(|i| i.as_str()).map(|i| {
        let repo = i.split('@').next().unwrap_or(i);
        let last = repo.rsplit('/').next().unwrap_or(repo);
        last.split(':').next().unwrap_or(last).to_string()
    });
    has_name_hint(c.name())
        || image_name.as_deref().is_some_and(has_name_hint)
        || tokens(c).any(|(t, _)| FLAG_HINTS.iter().any(|f| t.starts_with(f)))
}

/// Every whitespace-separated token of `command` and `args`, with the span of its item.
fn tokens<'a>(c: &Container<'a>) -> impl Iterator<Item = (&'a str, Span)> + 'a {
    let node = c.node;
    ["command", "args"]
        .into_iter()
        .filter_map(move |k| node.get(k))
        .flat_map(|l| l.items())
        .filter_map(|i| Some((i.as_str()?, i.span())))
        .flat_map(|(s, span)| s.split_whitespace().map(move |t| (t, span)))
}

/// `Some((enabled, where))` when the container configures leader election.
fn leader_election(c: &Container<'_>) -> Option<(bool, Span)> {
    for (token, span) in tokens(c) {
        let Some(flag) = token.strip_prefix("--").or_else(|| token.strip_prefix('-')) else { continue };
        let (name, value) = flag.split_once('=').map_or((flag, None), |(n, v)| (n, Some(v)));
        if FLAGS.contains(&name) {
            return Some((value.is_none_or(truthy), span));
        }
    }
    // Tuning flags (`--leader-election-namespace`, `--leader-elect-lease-duration`) mean the
    // controller has leader election, typically on by default (cert-manager, kube components).
    for (token, span) in tokens(c) {
        let name = token.trim_start_matches('-');
        if token.starts_with('-') && (name.starts_with("leader-elect") || name.starts_with("leader-election")) {
            return Some((true, span));
        }
    }
    for e in c.node.get("env").into_iter().flat_map(|e| e.items()) {
        let Some(name) = e.get_str("name") else { continue };
        if !(name.starts_with("LEADER_ELECT") || name.contains("LEADER_ELECTION")) {
            continue;
        }
        let span = e.field_span("name").unwrap_or(e.span());
        let value = e.get("value").and_then(|v| v.scalar()).map(|s| s.json_key().into_owned());
        // A value from a Secret or ConfigMap is unknown: assume the author enabled it.
        return Some((value.as_deref().is_none_or(truthy), span));
    }
    None
}

fn truthy(v: &str) -> bool {
    matches!(v.trim().to_ascii_lowercase().as_str(), "true" | "1" | "yes" | "on")
}
