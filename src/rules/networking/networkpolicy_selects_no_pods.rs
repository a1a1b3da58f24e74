use super::common::{has_pods_in, is_pod_bearing, is_templated, namespace_text, operator_managed, CONTROLLER_LABELS};
use crate::check::{Check, CheckContext, Scope};
use crate::finding::Violation;
use crate::model::{LabelSelector, ObjectSet};
use crate::yaml::NodeRef;

/// A NetworkPolicy whose `podSelector` matches no pod template of its namespace protects
/// nothing: usually a label renamed on one side. Judged only when the run holds pods in that
/// namespace (otherwise the pods are deployed elsewhere).
pub struct NetworkPolicySelectsNoPods;

impl Check for NetworkPolicySelectsNoPods {
    fn scope(&self) -> Scope {
        Scope::Set
    }
    fn check_set(&self, set: &ObjectSet, _cx: &CheckContext, out: &mut Vec<(usize, Violation)>) {
        for (i, policy) in set.of_kind("NetworkPolicy") {
            let Some(spec) = policy.node().get("spec") else { continue };
            let Some(selector) = spec.get("podSelector").and_then(judgeable_selector) else { continue };
            let namespace = policy.namespace.as_deref();
            if !has_pods_in(set, namespace)
                || set.workloads_selected_by(namespace, &selector).any(|(_, o)| is_pod_bearing(o))
                || operator_managed(set, namespace, &selector.match_labels)
            {
                continue;
            }
            let Some(span) = spec.field_span("podSelector") else { continue };
            out.push((
                i,
                Violation::new(
                    span,
                    format!(
                        "NetworkPolicy '{}' selects no pods: no workload in {} has pod labels matching {}, so its rules apply to nothing",
                        policy.name.as_deref().unwrap_or("<unnamed>"),
                        namespace_text(namespace),
                        selector_text(&selector)
                    ),
                ),
            ));
        }
    }
}

/// The podSelector when it can be evaluated and is not empty (an empty one selects every pod
/// of the namespace). Templated or unconvertible entries, unknown operators and labels that
/// controllers add to pods (not visible in templates) make it unjudgeable.
fn judgeable_selector(node: NodeRef<'_>) -> Option<LabelSelector> {
    if !node.is_mapping() {
        return None;
    }
    let selector = LabelSelector::from_selector(node);
    let written_labels = node.get("matchLabels").map_or(0, |m| m.len());
    let templated = selector.match_labels.iter().any(|(k, v)| is_templated(k) || is_templated(v))
        || selector
            .match_expressions
            .iter()
            .any(|(k, _, values)| is_templated(k) || values.iter().any(|v| is_templated(v)));
    let known_ops = selector
        .match_expressions
        .iter()
        .all(|(_, op, _)| matches!(op.as_str(), "In" | "NotIn" | "Exists" | "DoesNotExist"));
    let controller = selector
        .match_labels
        .iter()
        .map(|(k, _)| k)
        .chain(selector.match_expressions.iter().map(|(k, _, _)| k))
        .any(|k| CONTROLLER_LABELS.contains(&k.as_str()));
    if selector.is_empty() || templated || !known_ops || controller || selector.match_labels.len() != written_labels {
        return None;
    }
    Some(selector)
}

/// `app=web, tier in (a, b)`.
fn selector_text(selector: &LabelSelector) -> String {
    let labels = selector.match_labels.iter().map(|(k, v)| format!("{k}={v}"));
    let exprs = selector.match_expressions.iter().map(|(k, op, values)| match op.as_str() {
        "Exists" => k.clone(),
        "DoesNotExist" => format!("!{k}"),
        _ => format!("{k} {} ({})", op.to_ascii_lowercase(), values.join(", ")),
    });
    labels.chain(exprs).collect::<Vec<_>>().join(", ")
}
