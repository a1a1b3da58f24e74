use crate::check::{Check, CheckContext};
use crate::finding::Violation;
use crate::model::Object;

/// Subjects that stand for "anyone who can reach the API server".
const ANONYMOUS: &[&str] = &["system:anonymous", "system:unauthenticated"];

/// Bindings that hand out the whole cluster: a roleRef to `cluster-admin`, or any role to the
/// anonymous user or the unauthenticated group.
pub struct ClusterAdminBinding;

impl Check for ClusterAdminBinding {
    fn check_object(&self, object: &Object, _cx: &CheckContext, out: &mut Vec<Violation>) {
        if !matches!(object.kind.as_str(), "RoleBinding" | "ClusterRoleBinding")
            || object.group() != "rbac.authorization.k8s.io"
        {
            return;
        }
        let root = object.node();
        let name = object.name.as_deref().unwrap_or("<unnamed>");
        let role_ref = root.get("roleRef");
        let role = role_ref.and_then(|r| r.get_str("name")).unwrap_or("<unnamed>");
        if let Some(r) = role_ref.filter(|r| r.get_str("kind") == Some("ClusterRole") && role == "cluster-admin") {
            let scope = if object.kind == "RoleBinding" {
                "full control of its namespace"
            } else {
                "full control of the cluster"
            };
            out.push(Violation::new(
                r.field_span("name").unwrap_or_else(|| object.anchor_span()),
                format!("{} '{name}' binds ClusterRole 'cluster-admin': its subjects get {scope}", object.kind),
            ));
        }
        for subject in root.get("subjects").into_iter().flat_map(|s| s.items()) {
            let Some(who) = subject.get_str("name").filter(|n| ANONYMOUS.contains(n)) else { continue };
            out.push(Violation::new(
                subject.field_span("name").unwrap_or_else(|| subject.span()),
                format!(
                    "{} '{name}' grants role '{role}' to '{who}': anyone who can reach the API server gets it without credentials",
                    object.kind
                ),
            ));
        }
    }
}
