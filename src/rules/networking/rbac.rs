//! Helpers for the RBAC rules: the policy rules of Roles and ClusterRoles.

use crate::model::Object;
use crate::yaml::NodeRef;

/// One `rules[]` entry of a Role or ClusterRole, with its string lists and their item nodes.
pub(super) struct PolicyRule<'a> {
    pub api_groups: Vec<(&'a str, NodeRef<'a>)>,
    pub resources: Vec<(&'a str, NodeRef<'a>)>,
    pub verbs: Vec<(&'a str, NodeRef<'a>)>,
    /// `resourceNames` is set: the rule is limited to named objects.
    pub named: bool,
}

impl<'a> PolicyRule<'a> {
    fn from(node: NodeRef<'a>) -> Self {
        let list = |key: &str| -> Vec<(&'a str, NodeRef<'a>)> {
            node.get(key).into_iter().flat_map(|l| l.items()).filter_map(|i| Some((i.as_str()?, i))).collect()
        };
        PolicyRule {
            api_groups: list("apiGroups"),
            resources: list("resources"),
            verbs: list("verbs"),
            named: node.get("resourceNames").is_some_and(|n| !n.is_empty()),
        }
    }

    /// Whether the rule covers API group `group` (`""` is the core group).
    pub fn in_group(&self, group: &str) -> bool {
        self.api_groups.iter().any(|(g, _)| *g == group || *g == "*")
    }

    /// The verbs of `wanted` the rule grants (`*` grants them all), as written.
    pub fn granted(&self, wanted: &[&str]) -> Vec<&'a str> {
        self.verbs.iter().map(|(v, _)| *v).filter(|v| *v == "*" || wanted.contains(v)).collect()
    }

    /// The first resource item named exactly one of `names` (wildcards are `rbac-wildcard`'s).
    pub fn resource(&self, names: &[&str]) -> Option<(&'a str, NodeRef<'a>)> {
        self.resources.iter().copied().find(|(r, _)| names.contains(r))
    }
}

/// Roles and ClusterRoles only; aggregated ClusterRoles get their rules from the controller.
pub(super) fn is_role(object: &Object) -> bool {
    matches!(object.kind.as_str(), "Role" | "ClusterRole") && object.group() == "rbac.authorization.k8s.io"
}

pub(super) fn policy_rules(object: &Object) -> Vec<PolicyRule<'_>> {
    if !is_role(object) {
        return Vec::new();
    }
    object
        .node()
        .get("rules")
        .into_iter()
        .flat_map(|r| r.items())
        .filter(|r| r.is_mapping())
        .map(PolicyRule::from)
        .collect()
}

/// "ClusterRole 'x'" and where its grant applies.
pub(super) fn scope_text(object: &Object) -> String {
    let name = object.name.as_deref().unwrap_or("<unnamed>");
    match (object.kind.as_str(), object.namespace.as_deref()) {
        ("ClusterRole", _) => format!("ClusterRole '{name}' (cluster-wide when bound by a ClusterRoleBinding)"),
        (_, Some(ns)) => format!("Role '{name}' (namespace '{ns}')"),
        _ => format!("Role '{name}' (its namespace)"),
    }
}
