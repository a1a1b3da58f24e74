use super::rbac::{policy_rules, scope_text};
use crate::check::{Check, CheckContext};
use crate::finding::Violation;
use crate::model::Object;

/// Reading Secrets reads every credential in scope, service account tokens included, so a
/// compromised holder becomes every service account it can read. Rules limited by
/// `resourceNames` are least privilege and not reported; `*` resources are `rbac-wildcard`'s.
pub struct RbacSecretsAccess;

const READ: &[&str] = &["get", "list", "watch"];

impl Check for RbacSecretsAccess {
    fn check_object(&self, object: &Object, _cx: &CheckContext, out: &mut Vec<Violation>) {
        for rule in policy_rules(object) {
            if rule.named || !rule.in_group("") {
                continue;
            }
            let Some((_, item)) = rule.resource(&["secrets"]) else { continue };
            let verbs = rule.granted(READ);
            if verbs.is_empty() {
                continue;
            }
            out.push(Violation::new(
                item.span(),
                format!(
                    "{} can read Secrets ({}): every credential and service account token in scope is exposed to its holders",
                    scope_text(object),
                    verbs.join(", ")
                ),
            ));
        }
    }
}
