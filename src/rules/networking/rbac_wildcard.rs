use super::rbac::policy_rules;
use crate::check::{Check, CheckContext};
use crate::finding::Violation;
use crate::model::Object;

/// A `*` in a Role's verbs, resources or apiGroups grants everything that exists now and every
/// verb or resource added later (CRDs included). One finding per rule entry, at its first `*`.
pub struct RbacWildcard;

impl Check for RbacWildcard {
    fn check_object(&self, object: &Object, _cx: &CheckContext, out: &mut Vec<Violation>) {
        for rule in policy_rules(object) {
            let fields = [("apiGroups", &rule.api_groups), ("resources", &rule.resources), ("verbs", &rule.verbs)];
            let stars: Vec<_> = fields
                .iter()
                .filter_map(|(field, items)| items.iter().find(|(v, _)| *v == "*").map(|(_, node)| (*field, *node)))
                .collect();
            // Point at the first `*` as written in the file.
            let Some(first) = stars.iter().map(|(_, n)| n.span()).min_by_key(|s| s.start) else { continue };
            let fields: Vec<&str> = stars.iter().map(|(f, _)| *f).collect();
            let nouns: Vec<&str> = fields
                .iter()
                .map(|f| match *f {
                    "apiGroups" => "API group",
                    "resources" => "resource",
                    _ => "verb",
                })
                .collect();
            out.push(Violation::new(
                first,
                format!(
                    "{} '{}' grants `*` in {}: every current and future {} is allowed",
                    object.kind,
                    object.name.as_deref().unwrap_or("<unnamed>"),
                    and_list(&fields),
                    and_list(&nouns)
                ),
            ));
        }
    }
}

/// "a", "a and b", "a, b and c".
fn and_list(items: &[&str]) -> String {
    match items.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => items.join(""),
    }
}
