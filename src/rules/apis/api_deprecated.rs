use crate::check::{Check, CheckContext};
use crate::finding::Violation;
use crate::model::Object;

use super::table::{self, Removal, Status};
use super::{advice, api_version_span, target_note, version};

/// The object's API version is deprecated at the target version: still served (with a
/// warning), but gone after an upgrade.
pub struct ApiDeprecated;

impl Check for ApiDeprecated {
    fn check_object(&self, object: &Object, cx: &CheckContext, out: &mut Vec<Violation>) {
        let Some(retired) = table::lookup(&object.api_version, &object.kind) else { return };
        let (target, source) = cx.run.target_version(object);
        let (Status::Deprecated, Some(deprecated), Removal::Kubernetes(removed)) =
            (retired.status(target), retired.deprecated, retired.removal)
        else {
            return;
        };
        let (api, kind) = (&object.api_version, &object.kind);
        out.push(Violation::new(
            api_version_span(object),
            format!(
                "`{api}` {kind} is deprecated since Kubernetes {} and removed in {} ({}): {}",
                version(deprecated),
                version(removed),
                target_note(target, source),
                advice(retired, kind, target, true)
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::super::table::TABLE;
    use super::super::test_support::{findings, object};
    use super::*;

    /// Reported from 1.`from` up to the release before 1.`removed`, and at no other target.
    fn assert_deprecated_between(from: u32, removed: u32, api_version: &str, kind: &str) {
        let yaml = object(api_version, kind);
        let at = |minor: u32| findings(&ApiDeprecated, &yaml, Some((1, minor)));
        assert_eq!(at(from - 1), vec![], "{api_version} {kind} before its deprecation (1.{})", from - 1);
        for minor in from..removed {
            let got = at(minor);
            assert_eq!(got.len(), 1, "{api_version} {kind} at 1.{minor}: {got:?}");
            assert_eq!(got[0].0, api_version, "points at the apiVersion value");
            let target = format!("target 1.{minor} from --kube-version");
            let expected = format!("deprecated since Kubernetes 1.{from} and removed in 1.{removed} ({target})");
            assert!(got[0].1.contains(&expected), "{}", got[0].1);
        }
        assert_eq!(at(removed), vec![], "{api_version} {kind} once removed (api-removed's job)");
    }

    #[test]
    fn deprecated_until_1_16() {
        assert_deprecated_between(8, 16, "extensions/v1beta1", "Deployment");
        assert_deprecated_between(9, 16, "apps/v1beta2", "DaemonSet");
        assert_deprecated_between(11, 16, "extensions/v1beta1", "PodSecurityPolicy");
    }

    #[test]
    fn deprecated_until_1_22() {
        assert_deprecated_between(14, 22, "extensions/v1beta1", "Ingress");
        assert_deprecated_between(19, 22, "networking.k8s.io/v1beta1", "Ingress");
        assert_deprecated_between(16, 22, "apiextensions.k8s.io/v1beta1", "CustomResourceDefinition");
        assert_deprecated_between(17, 22, "rbac.authorization.k8s.io/v1beta1", "Role");
        assert_deprecated_between(17, 22, "storage.k8s.io/v1beta1", "CSINode");
    }

    #[test]
    fn deprecated_until_1_25() {
        assert_deprecated_between(21, 25, "batch/v1beta1", "CronJob");
        assert_deprecated_between(21, 25, "policy/v1beta1", "PodSecurityPolicy");
        assert_deprecated_between(22, 25, "policy/v1beta1", "PodDisruptionBudget");
        assert_deprecated_between(22, 25, "autoscaling/v2beta1", "HorizontalPodAutoscaler");
    }

    #[test]
    fn deprecated_until_1_26() {
        assert_deprecated_between(23, 26, "autoscaling/v2beta2", "HorizontalPodAutoscaler");
        assert_deprecated_between(23, 26, "flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema");
    }

    #[test]
    fn deprecated_until_1_27() {
        assert_deprecated_between(24, 27, "storage.k8s.io/v1beta1", "CSIStorageCapacity");
    }

    #[test]
    fn deprecated_until_1_29() {
        assert_deprecated_between(26, 29, "flowcontrol.apiserver.k8s.io/v1beta2", "FlowSchema");
    }

    #[test]
    fn deprecated_until_1_32() {
        assert_deprecated_between(29, 32, "flowcontrol.apiserver.k8s.io/v1beta3", "PriorityLevelConfiguration");
    }

    #[test]
    fn every_entry_with_a_deprecation_release_follows_it() {
        for r in TABLE {
            if let (Some((1, from)), Removal::Kubernetes((1, removed))) = (r.deprecated, r.removal) {
                for kind in r.kinds {
                    assert_deprecated_between(from, removed, r.api_version, kind);
                }
            }
        }
    }

    #[test]
    fn message_names_the_replacement_and_when_it_arrived() {
        let got = findings(&ApiDeprecated, &object("batch/v1beta1", "CronJob"), Some((1, 24)));
        assert_eq!(
            got,
            vec![(
                "batch/v1beta1".to_string(),
                "`batch/v1beta1` CronJob is deprecated since Kubernetes 1.21 and removed in 1.25 (target 1.24 from \
                 --kube-version): use `batch/v1` (served since Kubernetes 1.21)"
                    .to_string()
            )]
        );
        // A successor newer than the target is named with the release that brings it.
        let got = findings(&ApiDeprecated, &object("extensions/v1beta1", "Ingress"), Some((1, 16)));
        assert!(got[0].1.contains("use `networking.k8s.io/v1` (served from Kubernetes 1.19); every path"), "{got:?}");
        // Only some kinds of policy/v1beta1 have a successor.
        let got = findings(&ApiDeprecated, &object("policy/v1beta1", "PodSecurityPolicy"), Some((1, 22)));
        assert!(got[0].1.contains("Pod Security Admission"), "{got:?}");
        let got = findings(&ApiDeprecated, &object("policy/v1beta1", "PodDisruptionBudget"), Some((1, 22)));
        assert!(got[0].1.contains("use `policy/v1` (served since Kubernetes 1.21)"), "{got:?}");
    }

    #[test]
    fn removed_cert_manager_custom_and_current_apis_are_quiet() {
        for (api, kind) in [
            ("cert-manager.io/v1alpha2", "Certificate"),
            ("example.com/v1beta1", "CronJob"),
            ("batch/v1", "CronJob"),
            ("policy/v1beta1", "Eviction"),
        ] {
            assert_eq!(findings(&ApiDeprecated, &object(api, kind), Some((1, 24))), vec![], "{api} {kind}");
        }
        // Nothing in the table is deprecated-but-served at the default target.
        assert_eq!(findings(&ApiDeprecated, &object("batch/v1beta1", "CronJob"), None), vec![]);
    }
}
