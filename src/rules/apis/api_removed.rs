use crate::check::{Check, CheckContext};
use crate::finding::Violation;
use crate::model::Object;

use super::table::{self, Removal, Status};
use super::{advice, api_version_span, target_note, version};

/// The object's API version is no longer served at the target version: applying it fails
/// with "no matches for kind".
pub struct ApiRemoved;

impl Check for ApiRemoved {
    fn check_object(&self, object: &Object, cx: &CheckContext, out: &mut Vec<Violation>) {
        let Some(retired) = table::lookup(&object.api_version, &object.kind) else { return };
        let (target, source) = cx.run.target_version(object);
        if retired.status(target) != Status::Removed {
            return;
        }
        let (api, kind) = (&object.api_version, &object.kind);
        let todo = advice(retired, kind, target, false);
        let message = match retired.removal {
            Removal::Kubernetes(removed) => format!(
                "`{api}` {kind} was removed in Kubernetes {} ({}): {todo}",
                version(removed),
                target_note(target, source)
            ),
            Removal::CertManager => format!(
                "`{api}` {kind} is not served by cert-manager 1.7 or later (removed in 1.7, unserved since 1.6), \
                 whatever the Kubernetes version: {todo} (`cmctl convert` rewrites manifests)"
            ),
        };
        out.push(Violation::new(api_version_span(object), message));
    }
}

#[cfg(test)]
mod tests {
    use super::super::table::TABLE;
    use super::super::test_support::{findings, object};
    use super::*;

    /// Reported from Kubernetes 1.`minor` on, not before, with the removal release and the
    /// `--kube-version` target named.
    fn assert_removed_in(minor: u32, api_version: &str, kind: &str) {
        let yaml = object(api_version, kind);
        assert_eq!(
            findings(&ApiRemoved, &yaml, Some((1, minor - 1))),
            vec![],
            "{api_version} {kind} at 1.{}",
            minor - 1
        );
        for at in [minor, minor + 1, minor + 4] {
            let got = findings(&ApiRemoved, &yaml, Some((1, at)));
            assert_eq!(got.len(), 1, "{api_version} {kind} at 1.{at}: {got:?}");
            let (pointed, message) = &got[0];
            assert_eq!(pointed, api_version, "points at the apiVersion value");
            assert!(message.contains(&format!("removed in Kubernetes 1.{minor} (target 1.{at} from --kube-version)")));
        }
    }

    #[test]
    fn removed_in_1_16() {
        assert_removed_in(16, "extensions/v1beta1", "Deployment");
        assert_removed_in(16, "extensions/v1beta1", "DaemonSet");
        assert_removed_in(16, "extensions/v1beta1", "NetworkPolicy");
        assert_removed_in(16, "apps/v1beta1", "StatefulSet");
        assert_removed_in(16, "apps/v1beta2", "ReplicaSet");
    }

    #[test]
    fn removed_in_1_22() {
        assert_removed_in(22, "extensions/v1beta1", "Ingress");
        assert_removed_in(22, "networking.k8s.io/v1beta1", "Ingress");
        assert_removed_in(22, "networking.k8s.io/v1beta1", "IngressClass");
        assert_removed_in(22, "apiextensions.k8s.io/v1beta1", "CustomResourceDefinition");
        assert_removed_in(22, "admissionregistration.k8s.io/v1beta1", "ValidatingWebhookConfiguration");
        assert_removed_in(22, "rbac.authorization.k8s.io/v1beta1", "ClusterRoleBinding");
        assert_removed_in(22, "scheduling.k8s.io/v1beta1", "PriorityClass");
        assert_removed_in(22, "storage.k8s.io/v1beta1", "StorageClass");
        assert_removed_in(22, "coordination.k8s.io/v1beta1", "Lease");
        assert_removed_in(22, "certificates.k8s.io/v1beta1", "CertificateSigningRequest");
    }

    #[test]
    fn removed_in_1_25() {
        assert_removed_in(25, "batch/v1beta1", "CronJob");
        assert_removed_in(25, "policy/v1beta1", "PodDisruptionBudget");
        assert_removed_in(25, "policy/v1beta1", "PodSecurityPolicy");
        assert_removed_in(25, "autoscaling/v2beta1", "HorizontalPodAutoscaler");
        assert_removed_in(25, "discovery.k8s.io/v1beta1", "EndpointSlice");
        assert_removed_in(25, "events.k8s.io/v1beta1", "Event");
        assert_removed_in(25, "node.k8s.io/v1beta1", "RuntimeClass");
    }

    #[test]
    fn removed_in_1_26() {
        assert_removed_in(26, "autoscaling/v2beta2", "HorizontalPodAutoscaler");
        assert_removed_in(26, "flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema");
    }

    #[test]
    fn removed_in_1_27() {
        assert_removed_in(27, "storage.k8s.io/v1beta1", "CSIStorageCapacity");
    }

    #[test]
    fn removed_in_1_29() {
        assert_removed_in(29, "flowcontrol.apiserver.k8s.io/v1beta2", "PriorityLevelConfiguration");
    }

    #[test]
    fn removed_in_1_32() {
        assert_removed_in(32, "flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema");
        assert_removed_in(32, "flowcontrol.apiserver.k8s.io/v1beta3", "PriorityLevelConfiguration");
    }

    #[test]
    fn every_kubernetes_entry_follows_its_removal_release() {
        for r in TABLE {
            if let Removal::Kubernetes((1, minor)) = r.removal {
                for kind in r.kinds {
                    assert_removed_in(minor, r.api_version, kind);
                }
            }
        }
    }

    #[test]
    fn messages_name_the_replacement_and_required_changes() {
        let at = |api: &str, kind: &str, minor: u32| {
            findings(&ApiRemoved, &object(api, kind), Some((1, minor))).pop().map(|(_, m)| m).unwrap_or_default()
        };
        assert_eq!(
            at("batch/v1beta1", "CronJob", 29),
            "`batch/v1beta1` CronJob was removed in Kubernetes 1.25 (target 1.29 from --kube-version): use `batch/v1`"
        );
        assert!(at("extensions/v1beta1", "Deployment", 16).contains("use `apps/v1`; apps/v1 requires `spec.selector`"));
        let ingress = at("networking.k8s.io/v1beta1", "Ingress", 22);
        assert!(ingress.contains("use `networking.k8s.io/v1`") && ingress.contains("`pathType`"), "{ingress}");
        assert!(ingress.contains("`service.name`"), "{ingress}");
        let hpa = at("autoscaling/v2beta1", "HorizontalPodAutoscaler", 25);
        assert!(hpa.contains("use `autoscaling/v2`") && hpa.contains("averageUtilization"), "{hpa}");
        assert!(
            at("policy/v1beta1", "PodDisruptionBudget", 25).contains("use `policy/v1`; an empty `spec.selector: {}`")
        );
        let psp = at("policy/v1beta1", "PodSecurityPolicy", 25);
        assert!(psp.contains("no successor") && psp.contains("Pod Security Admission"), "{psp}");
        // extensions PodSecurityPolicy: policy/v1beta1 while it lasts, then no successor.
        assert!(at("extensions/v1beta1", "PodSecurityPolicy", 16).ends_with("use `policy/v1beta1`"));
        let psp = at("extensions/v1beta1", "PodSecurityPolicy", 25);
        assert!(
            psp.contains("`policy/v1beta1` was removed in 1.25") && psp.contains("Pod Security Admission"),
            "{psp}"
        );
        // flowcontrol v1beta1: whatever is served at the target; only PriorityLevelConfiguration
        // has field changes.
        assert!(at("flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema", 26)
            .ends_with("use `flowcontrol.apiserver.k8s.io/v1beta3`"));
        assert!(at("flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema", 30)
            .ends_with("use `flowcontrol.apiserver.k8s.io/v1`"));
        assert!(at("flowcontrol.apiserver.k8s.io/v1beta1", "PriorityLevelConfiguration", 26).contains(
            "use `flowcontrol.apiserver.k8s.io/v1beta3`; `spec.limited.assuredConcurrencyShares` is renamed"
        ));
        assert!(at("flowcontrol.apiserver.k8s.io/v1beta2", "PriorityLevelConfiguration", 30)
            .contains("use `flowcontrol.apiserver.k8s.io/v1`; `spec.limited.assuredConcurrencyShares`"));
        assert!(at("discovery.k8s.io/v1beta1", "EndpointSlice", 25).contains("`nodeName` and `zone`"));
        assert!(at("events.k8s.io/v1beta1", "Event", 25).contains("use `events.k8s.io/v1`; `type` must be"));
        assert!(at("apiextensions.k8s.io/v1beta1", "CustomResourceDefinition", 22).contains("`spec.scope`"));
    }

    #[test]
    fn default_target_is_named() {
        let got = findings(&ApiRemoved, &object("batch/v1beta1", "CronJob"), None);
        assert_eq!(got.len(), 1);
        assert!(got[0].1.contains("(target 1.36 by default; set --kube-version to change it)"), "{}", got[0].1);
    }

    #[test]
    fn cert_manager_versions_are_removed_at_any_kubernetes_version() {
        for api in ["cert-manager.io/v1alpha2", "cert-manager.io/v1alpha3", "cert-manager.io/v1beta1"] {
            for kind in ["Certificate", "Issuer", "ClusterIssuer", "CertificateRequest"] {
                let got = findings(&ApiRemoved, &object(api, kind), Some((1, 16)));
                assert_eq!(got.len(), 1, "{api} {kind}");
                assert!(got[0].1.contains("not served by cert-manager 1.7 or later"), "{}", got[0].1);
                assert!(got[0].1.contains("use `cert-manager.io/v1`"), "{}", got[0].1);
            }
        }
        for api in ["acme.cert-manager.io/v1alpha2", "acme.cert-manager.io/v1alpha3", "acme.cert-manager.io/v1beta1"] {
            let got = findings(&ApiRemoved, &object(api, "Order"), Some((1, 30)));
            assert!(got.len() == 1 && got[0].1.contains("use `acme.cert-manager.io/v1`"), "{got:?}");
        }
        assert_eq!(findings(&ApiRemoved, &object("cert-manager.io/v1", "Certificate"), None), vec![]);
    }

    #[test]
    fn current_custom_and_unlisted_apis_are_quiet() {
        for (api, kind) in [
            ("apps/v1", "Deployment"),
            ("networking.k8s.io/v1", "Ingress"),
            ("policy/v1", "PodDisruptionBudget"),
            ("autoscaling/v2", "HorizontalPodAutoscaler"),
            ("example.com/v1beta1", "Deployment"),
            ("extensions.example.com/v1beta1", "Ingress"),
            ("policy/v1beta1", "Eviction"),
            ("v1", "Pod"),
        ] {
            assert_eq!(findings(&ApiRemoved, &object(api, kind), Some((1, 36))), vec![], "{api} {kind}");
        }
    }
}
