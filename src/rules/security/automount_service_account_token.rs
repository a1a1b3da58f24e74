use super::util::{entry_span, service_account};
use crate::check::{Check, CheckContext, Scope};
use crate::finding::Violation;
use crate::model::{Object, ObjectSet};

/// Pods that get an API token mounted. The pod's own setting wins; when it has none, the
/// ServiceAccount's decides, and we can only see it when it is part of the run.
pub struct AutomountServiceAccountToken;

impl AutomountServiceAccountToken {
    fn check(&self, set: &ObjectSet, object: &Object) -> Option<Violation> {
        let spec = object.pod_spec()?;
        let pod = spec.node();
        if let Some((k, v)) = pod.entry("automountServiceAccountToken") {
            return match v.as_bool() {
                Some(false) => None,
                _ => Some(Violation::new(
                    entry_span(k, v),
                    format!(
                        "{} mounts a service account token (automountServiceAccountToken is not false)",
                        object.ident()
                    ),
                )),
            };
        }
        // `serviceAccount` is the deprecated alias; the API server copies it over.
        let account = pod.get_str("serviceAccountName").or_else(|| pod.get_str("serviceAccount")).unwrap_or("default");
        if let Some(sa) = service_account(set, object, account) {
            let sa_setting = sa.node().entry("automountServiceAccountToken");
            if sa_setting.is_some_and(|(_, v)| v.as_bool() == Some(false)) {
                return None;
            }
            let related = sa_setting.map(|(k, v)| entry_span(k, v)).unwrap_or_else(|| sa.anchor_span());
            return Some(
                Violation::new(
                    object.anchor_span(),
                    format!(
                        "{} mounts the token of ServiceAccount '{account}': neither the pod nor the ServiceAccount sets automountServiceAccountToken: false",
                        object.ident()
                    ),
                )
                .with_related(related, "ServiceAccount does not disable token automount"),
            );
        }
        Some(Violation::new(
            object.anchor_span(),
            format!(
                "{} mounts the token of ServiceAccount '{account}' unless that account disables it: set automountServiceAccountToken: false on the pod spec",
                object.ident()
            ),
        ))
    }
}

impl Check for AutomountServiceAccountToken {
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
