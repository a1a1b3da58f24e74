//! Rule family: release safety — what breaks when a chart is installed twice, next to an
//! operator it does not own, or into a cluster that lacks one. These are chart rules: they
//! compare the chart's renders and read its `Chart.yaml` and values.

use super::Entry;

mod cert_manager_subchart_enabled;
mod common;
mod crd_bundled_from_other_project;
mod crd_kind_unguarded;
mod hardcoded_namespace;
mod issuer_not_found;
mod release_name_independent_name;
mod service_account_missing;

pub(super) fn entries() -> Vec<Entry> {
    vec![
        rust!("release-name-independent-name", release_name_independent_name::ReleaseNameIndependentName),
        rust!("hardcoded-namespace", hardcoded_namespace::HardcodedNamespace),
        rust!("service-account-missing", service_account_missing::ServiceAccountMissing),
        rust!("crd-kind-unguarded", crd_kind_unguarded::CrdKindUnguarded),
        rust!("crd-bundled-from-other-project", crd_bundled_from_other_project::CrdBundledFromOtherProject),
        rust!("cert-manager-subchart-enabled", cert_manager_subchart_enabled::CertManagerSubchartEnabled),
        rust!("issuer-not-found", issuer_not_found::IssuerNotFound),
    ]
}
