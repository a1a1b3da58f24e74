use super::rbac::{policy_rules, scope_text};
use crate::check::{Check, CheckContext};
use crate::finding::Violation;
use crate::model::Object;

/// Creating pods (directly or through a workload) is an escalation path: the pod can mount any
/// Secret and run as any service account of the namespace. (API group, resources) pairs.
const POD_CREATORS: &[(&str, &[&str])] = &[
    ("", &["pods", "replicationcontrollers"]),
    ("apps", &["deployments", "statefulsets", "daemonsets", "replicasets"]),
    ("batch", &["jobs", "cronjobs"]),
];

pub struct RbacCreatePods;

impl Check for RbacCreatePods {
    fn check_object(&self, object: &Object, _cx: &CheckContext, out: &mut Vec<Violation>) {
        for rule in policy_rules(object) {
            // `resourceNames` cannot restrict `create`, so it does not exempt the rule.
            if rule.granted(&["create"]).is_empty() {
                continue;
            }
            let mut hits: Vec<_> = POD_CREATORS
                .iter()
                .filter(|(group, _)| rule.in_group(group))
                .flat_map(|(_, names)| rule.resources.iter().filter(|(r, _)| names.contains(r)))
                .collect();
            // Point at the first one as written.
            hits.sort_by_key(|(_, node)| node.span().start);
            let Some(&&(_, item)) = hits.first() else { continue };
            let names: Vec<&str> = hits.iter().map(|(r, _)| *r).collect();
            out.push(Violation::new(
                item.span(),
                format!(
                    "{} can create {}: a created pod can mount any Secret and use any service account of the namespace",
                    scope_text(object),
                    names.join(", ")
                ),
            ));
        }
    }
}
