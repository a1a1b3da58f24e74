use super::util::{entry_span, service_account};
use crate::check::{Check, CheckContext, Scope};
use crate::finding::Violation;
use crate::model::{Object, ObjectSet};

/// Pods that run as their namespace's `default` ServiceAccount with its token mounted: every
/// workload that does not name an account shares that identity, so a role bound to `default`
/// for one of them is granted to all. Set scope: the account's own automount setting counts
/// when it is part of the run.
pub struct DefaultServiceAccount;

impl DefaultServiceAccount {
    fn check(&self, set: &ObjectSet, object: &Object) -> Option<Violation> {
        let pod = object.pod_spec()?.node();
        // `serviceAccount` is the deprecated alias; an empty name means the default account.
        let named = ["serviceAccountName", "serviceAccount"]
            .iter()
            .find_map(|key| pod.entry(key).filter(|(_, v)| v.as_str().is_some_and(|s| !s.is_empty())));
        if named.is_some_and(|(_, v)| v.as_str() != Some("default")) {
            return None;
        }
        match pod.entry("automountServiceAccountToken") {
            Some((_, v)) if v.as_bool() == Some(false) => return None,
            Some(_) => {}
            None => {
                let account = service_account(set, object, "default");
                let disabled = account.and_then(|sa| sa.node().get("automountServiceAccountToken"));
                if disabled.is_some_and(|v| v.as_bool() == Some(false)) {
                    return None;
                }
            }
        }
        let span = named.map(|(k, v)| entry_span(k, v)).unwrap_or_else(|| object.anchor_span());
        Some(Violation::new(
            span,
            format!(
                "{} runs as the namespace's default ServiceAccount with its API token mounted: it shares that identity (and any role bound to it) with every pod that names no account",
                object.ident()
            ),
        ))
    }
}

impl Check for DefaultServiceAccount {
    fn scope(&self) -> Scope {
        Scope::Set
    }
    fn check_set(&self, set: &ObjectSet, _cx: &CheckContext, out: &mut Vec<(usize, Violation)>) {
        for (i, object) in set.objects.iter().enumerate() {
            if let Some(v) = self.check(set, object) {
                out.push((i, v));
            }
        }
    }
}
