//! Rule family: networking. One module per rule; register each with one line below.

use super::Entry;

mod common;
mod ingress_backend_missing_service;
mod ingress_tls_without_secret;
mod service_selects_no_pods;
mod service_target_port_invalid;

pub(super) fn entries() -> Vec<Entry> {
    vec![
        rust!("service-selects-no-pods", service_selects_no_pods::ServiceSelectsNoPods),
        rust!("service-target-port-invalid", service_target_port_invalid::ServiceTargetPortInvalid),
        rust!("ingress-backend-missing-service", ingress_backend_missing_service::IngressBackendMissingService),
        rust!("ingress-tls-without-secret", ingress_tls_without_secret::IngressTlsWithoutSecret),
    ]
}
