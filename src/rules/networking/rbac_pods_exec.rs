use super::rbac::{policy_rules, scope_text};
use crate::check::{Check, CheckContext};
use crate::finding::Violation;
use crate::model::Object;

/// `pods/exec` and `pods/attach` run commands inside any pod in scope, with that pod's service
/// account, mounted secrets and network position. Exec is authorized as `create` (POST), but
/// older API servers authorized WebSocket exec as `get`, so both count.
pub struct RbacPodsExec;

impl Check for RbacPodsExec {
    fn check_object(&self, object: &Object, _cx: &CheckContext, out: &mut Vec<Violation>) {
        for rule in policy_rules(object) {
            if !rule.in_group("") {
                continue;
            }
            let Some((resource, item)) = rule.resource(&["pods/exec", "pods/attach"]) else { continue };
            let verbs = rule.granted(&["create", "get"]);
            if verbs.is_empty() {
                continue;
            }
            out.push(Violation::new(
                item.span(),
                format!(
                    "{} grants {} on {resource}: its holders can run commands in the pods in scope, with their service accounts and secrets",
                    scope_text(object),
                    verbs.join(", ")
                ),
            ));
        }
    }
}
