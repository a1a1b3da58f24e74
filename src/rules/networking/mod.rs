//! Rule family: networking. One module per rule; register each with one line below.

use super::Entry;

mod cluster_admin_binding;
pub(super) mod common;
mod ingress_backend_missing_service;
mod ingress_tls_without_secret;
mod labels_recommended;
mod networkpolicy_missing;
mod networkpolicy_selects_no_pods;
mod rbac;
mod rbac_create_pods;
mod rbac_pods_exec;
mod rbac_secrets_access;
mod rbac_wildcard;
mod service_port_name_missing;
mod service_selects_no_pods;
mod service_target_port_invalid;
mod statefulset_service_missing;

pub(super) fn entries() -> Vec<Entry> {
    vec![
        rust!("service-selects-no-pods", service_selects_no_pods::ServiceSelectsNoPods),
        rust!("service-target-port-invalid", service_target_port_invalid::ServiceTargetPort { numeric: false }),
        rust!("service-target-port-undeclared", service_target_port_invalid::ServiceTargetPort { numeric: true }),
        rust!("ingress-backend-missing-service", ingress_backend_missing_service::IngressBackendMissingService),
        rust!("ingress-tls-without-secret", ingress_tls_without_secret::IngressTlsWithoutSecret),
        rust!("rbac-wildcard", rbac_wildcard::RbacWildcard),
        rust!("cluster-admin-binding", cluster_admin_binding::ClusterAdminBinding),
        rust!("rbac-secrets-access", rbac_secrets_access::RbacSecretsAccess),
        rust!("rbac-pods-exec", rbac_pods_exec::RbacPodsExec),
        rust!("rbac-create-pods", rbac_create_pods::RbacCreatePods),
        declarative!("service-type-nodeport"),
        rust!("labels-recommended", labels_recommended::LabelsRecommended),
        rust!("networkpolicy-missing", networkpolicy_missing::NetworkPolicyMissing),
        rust!("networkpolicy-selects-no-pods", networkpolicy_selects_no_pods::NetworkPolicySelectsNoPods),
        rust!("statefulset-service-missing", statefulset_service_missing::StatefulSetServiceMissing),
        rust!("service-port-name-missing", service_port_name_missing::ServicePortNameMissing),
    ]
}
