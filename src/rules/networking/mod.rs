//! Rule family: networking. One module per rule; register each with one line below.

use super::Entry;

mod common;
mod service_selects_no_pods;
mod service_target_port_invalid;

pub(super) fn entries() -> Vec<Entry> {
    vec![
        rust!("service-selects-no-pods", service_selects_no_pods::ServiceSelectsNoPods),
        rust!("service-target-port-invalid", service_target_port_invalid::ServiceTargetPortInvalid),
    ]
}
