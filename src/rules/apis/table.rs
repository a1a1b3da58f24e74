//! Retired API versions: when each was deprecated and stopped being served, and what replaces
//! it. Shared by `api-removed` and `api-deprecated`.
//!
//! Sources. Removal versions, replacements, "available since" versions and required field
//! changes follow the Kubernetes "Deprecated API Migration Guide"
//! (kubernetes.io/docs/reference/using-api/deprecation-guide). Deprecation versions are the
//! ones the API server itself warns with ("X is deprecated in v1.N+, unavailable in
//! v1.M+"), i.e. the `+k8s:prerelease-lifecycle-gen:deprecated` tags of k8s.io/api that
//! generate `APILifecycleDeprecated()`. cert-manager's pre-v1 versions follow its
//! "Migrating Deprecated API Resources" page and the v1.6/v1.7 release notes.

/// (major, minor) of a Kubernetes release.
pub(crate) type Version = (u32, u32);

/// When an API version stops being served.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Removal {
    /// By the Kubernetes API server from this release on.
    Kubernetes(Version),
    /// By cert-manager 1.7 and later (not served since 1.6), whatever the Kubernetes version.
    CertManager,
}

/// An API version to move to.
#[derive(Debug)]
pub(crate) struct Successor {
    pub api_version: &'static str,
    /// First Kubernetes release serving it; `None` when it is not tied to Kubernetes.
    pub since: Option<Version>,
    /// Field changes the migration guide lists as needed when moving to it ("" if none).
    pub changes: &'static str,
}

/// One retired API version of some kinds.
#[derive(Debug)]
pub(crate) struct Retired {
    pub api_version: &'static str,
    /// The kinds it applies to; empty for every kind of the API version.
    pub kinds: &'static [&'static str],
    /// First release where the API server warns about it; `None` when unknown or not tied to
    /// Kubernetes.
    pub deprecated: Option<Version>,
    pub removal: Removal,
    /// Newest first.
    pub successors: &'static [Successor],
    /// Advice when no successor is served at the target (or none exists).
    pub no_successor: &'static str,
}

/// Where an API version stands at a target release.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Status {
    Served,
    Deprecated,
    Removed,
}

impl Retired {
    pub(crate) fn status(&self, target: Version) -> Status {
        match self.removal {
            Removal::CertManager => Status::Removed,
            Removal::Kubernetes(r) if target >= r => Status::Removed,
            Removal::Kubernetes(_) if self.deprecated.is_some_and(|d| target >= d) => Status::Deprecated,
            Removal::Kubernetes(_) => Status::Served,
        }
    }

    /// What to move `kind` to at `target`: the newest successor served there, else the oldest
    /// one not yet removed there (it arrives in a later release); `None` when every successor
    /// is itself gone (PodSecurityPolicy).
    pub(crate) fn successor(&self, kind: &str, target: Version) -> Option<&'static Successor> {
        let live: Vec<&'static Successor> = self
            .successors
            .iter()
            .filter(|s| lookup(s.api_version, kind).is_none_or(|r| r.status(target) != Status::Removed))
            .collect();
        live.iter().find(|s| s.since.is_none_or(|v| v <= target)).or(live.last()).copied()
    }
}

/// The retired entry for an object's `apiVersion` and `kind`. Groups and kinds not listed
/// (custom resources, kinds still served) have none.
pub(crate) fn lookup(api_version: &str, kind: &str) -> Option<&'static Retired> {
    TABLE.iter().find(|r| r.api_version == api_version && (r.kinds.is_empty() || r.kinds.contains(&kind)))
}

const fn to(api_version: &'static str, since: Version) -> Successor {
    Successor { api_version, since: Some(since), changes: "" }
}

const fn to_changing(api_version: &'static str, since: Version, changes: &'static str) -> Successor {
    Successor { api_version, since: Some(since), changes }
}

const APPS_V1_SELECTOR: &str = "apps/v1 requires `spec.selector` (use the template's labels; it is immutable)";
const DEPLOYMENT_CHANGES: &str =
    "apps/v1 requires `spec.selector` (use the template's labels; it is immutable), drops \
     `spec.rollbackTo`, and defaults progressDeadlineSeconds to 600, revisionHistoryLimit to 10 and \
     maxSurge/maxUnavailable to 25%";
const DAEMONSET_CHANGES: &str = "apps/v1 requires `spec.selector` (use the template's labels; it is immutable), drops \
     `spec.templateGeneration`, and defaults `spec.updateStrategy.type` to RollingUpdate";
const STATEFULSET_CHANGES: &str = "apps/v1 requires `spec.selector` (use the template's labels; it is immutable) and \
     defaults `spec.updateStrategy.type` to RollingUpdate";
const INGRESS_V1: &[Successor] = &[to_changing(
    "networking.k8s.io/v1",
    (1, 19),
    "every path needs `pathType` (ImplementationSpecific keeps the v1beta1 behaviour), backends use \
     `service.name` and `service.port.number`/`service.port.name` instead of `serviceName`/`servicePort`, and \
     `spec.backend` is `spec.defaultBackend`",
)];
const HPA_V2: &[Successor] = &[
    to_changing(
        "autoscaling/v2",
        (1, 23),
        "metrics use `target: {type: Utilization, averageUtilization: N}` instead of `targetAverageUtilization`",
    ),
    to_changing(
        "autoscaling/v2beta2",
        (1, 12),
        "metrics use `target: {type: Utilization, averageUtilization: N}` instead of `targetAverageUtilization`",
    ),
];
// FlowSchema moves unchanged; PriorityLevelConfiguration renames a field on the way to v1beta3.
const FLOWSCHEMA_FROM_V1BETA1: &[Successor] = &[
    to("flowcontrol.apiserver.k8s.io/v1", (1, 29)),
    to("flowcontrol.apiserver.k8s.io/v1beta3", (1, 26)),
    to("flowcontrol.apiserver.k8s.io/v1beta2", (1, 23)),
];
// From v1beta2 and v1beta3: the same successors minus the ones being left.
const FLOWSCHEMA_FROM_V1BETA2: &[Successor] = FLOWSCHEMA_FROM_V1BETA1.split_at(2).0;
const FLOWSCHEMA_FROM_V1BETA3: &[Successor] = FLOWSCHEMA_FROM_V1BETA1.split_at(1).0;
const PLC_FROM_V1BETA1: &[Successor] = &[
    to_changing("flowcontrol.apiserver.k8s.io/v1", (1, 29), FLOWCONTROL_V1_RENAME),
    to_changing("flowcontrol.apiserver.k8s.io/v1beta3", (1, 26), FLOWCONTROL_V1BETA3_RENAME),
    to("flowcontrol.apiserver.k8s.io/v1beta2", (1, 23)),
];
const PLC_FROM_V1BETA2: &[Successor] = PLC_FROM_V1BETA1.split_at(2).0;
const FLOWCONTROL_V1_DEFAULT: &str =
    "`spec.limited.nominalConcurrencyShares` defaults to 30 only when unset (an explicit 0 \
     stays 0)";
const FLOWCONTROL_V1_RENAME: &str =
    "`spec.limited.assuredConcurrencyShares` is renamed `nominalConcurrencyShares`, which \
     defaults to 30 only when unset (an explicit 0 stays 0)";
const FLOWCONTROL_V1BETA3_RENAME: &str =
    "`spec.limited.assuredConcurrencyShares` is renamed `nominalConcurrencyShares`";
const PSP_GONE: &str = "PodSecurityPolicy has no successor: enforce pod security with Pod Security Admission \
     (`pod-security.kubernetes.io/*` namespace labels) or an admission webhook";
const EXTENSIONS_PSP_GONE: &str = "its successor `policy/v1beta1` was removed in 1.25 and PodSecurityPolicy has no \
     other: enforce pod security with Pod Security Admission (`pod-security.kubernetes.io/*` namespace labels) or an \
     admission webhook";
const CERT_MANAGER_V1: &[Successor] = &[Successor { api_version: "cert-manager.io/v1", since: None, changes: "" }];
const ACME_V1: &[Successor] = &[Successor { api_version: "acme.cert-manager.io/v1", since: None, changes: "" }];

const fn k8s(
    api_version: &'static str,
    kinds: &'static [&'static str],
    deprecated: Version,
    removed: Version,
    successors: &'static [Successor],
) -> Retired {
    Retired {
        api_version,
        kinds,
        deprecated: Some(deprecated),
        removal: Removal::Kubernetes(removed),
        successors,
        no_successor: "",
    }
}

const fn cert_manager(api_version: &'static str, successors: &'static [Successor]) -> Retired {
    Retired { api_version, kinds: &[], deprecated: None, removal: Removal::CertManager, successors, no_successor: "" }
}

pub(crate) static TABLE: &[Retired] = &[
    // Removed in 1.16.
    k8s("extensions/v1beta1", &["Deployment"], (1, 8), (1, 16), &[to_changing("apps/v1", (1, 9), DEPLOYMENT_CHANGES)]),
    k8s("extensions/v1beta1", &["DaemonSet"], (1, 8), (1, 16), &[to_changing("apps/v1", (1, 9), DAEMONSET_CHANGES)]),
    k8s("extensions/v1beta1", &["ReplicaSet"], (1, 8), (1, 16), &[to_changing("apps/v1", (1, 9), APPS_V1_SELECTOR)]),
    k8s("extensions/v1beta1", &["NetworkPolicy"], (1, 9), (1, 16), &[to("networking.k8s.io/v1", (1, 8))]),
    Retired {
        no_successor: EXTENSIONS_PSP_GONE,
        ..k8s("extensions/v1beta1", &["PodSecurityPolicy"], (1, 11), (1, 16), &[to("policy/v1beta1", (1, 10))])
    },
    k8s("apps/v1beta1", &["Deployment"], (1, 8), (1, 16), &[to_changing("apps/v1", (1, 9), DEPLOYMENT_CHANGES)]),
    k8s("apps/v1beta1", &["StatefulSet"], (1, 8), (1, 16), &[to_changing("apps/v1", (1, 9), STATEFULSET_CHANGES)]),
    // The guide lists apps/v1beta1 ReplicaSet too, though the API server never served it; no
    // deprecation release exists for it.
    Retired {
        deprecated: None,
        ..k8s("apps/v1beta1", &["ReplicaSet"], (1, 8), (1, 16), &[to_changing("apps/v1", (1, 9), APPS_V1_SELECTOR)])
    },
    k8s("apps/v1beta2", &["Deployment"], (1, 9), (1, 16), &[to_changing("apps/v1", (1, 9), DEPLOYMENT_CHANGES)]),
    k8s("apps/v1beta2", &["DaemonSet"], (1, 9), (1, 16), &[to_changing("apps/v1", (1, 9), DAEMONSET_CHANGES)]),
    k8s("apps/v1beta2", &["StatefulSet"], (1, 9), (1, 16), &[to_changing("apps/v1", (1, 9), STATEFULSET_CHANGES)]),
    k8s("apps/v1beta2", &["ReplicaSet"], (1, 9), (1, 16), &[to_changing("apps/v1", (1, 9), APPS_V1_SELECTOR)]),
    // Removed in 1.22.
    k8s(
        "admissionregistration.k8s.io/v1beta1",
        &["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"],
        (1, 16),
        (1, 22),
        &[to_changing(
            "admissionregistration.k8s.io/v1",
            (1, 16),
            "v1 requires `webhooks[*].sideEffects` (None or NoneOnDryRun) and `webhooks[*].admissionReviewVersions`, \
             needs unique webhook names, and defaults failurePolicy to Fail, matchPolicy to Equivalent and \
             timeoutSeconds to 10",
        )],
    ),
    k8s(
        "apiextensions.k8s.io/v1beta1",
        &["CustomResourceDefinition"],
        (1, 16),
        (1, 22),
        &[to_changing(
            "apiextensions.k8s.io/v1",
            (1, 16),
            "v1 requires `spec.scope` and a structural `spec.versions[*].schema.openAPIV3Schema`; `spec.version`, \
             `spec.validation`, `spec.subresources` and `spec.additionalPrinterColumns` move into `spec.versions[*]` \
             (printer columns use `jsonPath`), the conversion webhook settings move under \
             `spec.conversion.webhook`, and `preserveUnknownFields: true` becomes \
             `x-kubernetes-preserve-unknown-fields: true` in the schema",
        )],
    ),
    k8s(
        "apiregistration.k8s.io/v1beta1",
        &["APIService"],
        (1, 19),
        (1, 22),
        &[to("apiregistration.k8s.io/v1", (1, 10))],
    ),
    k8s("authentication.k8s.io/v1beta1", &["TokenReview"], (1, 19), (1, 22), &[to("authentication.k8s.io/v1", (1, 6))]),
    k8s(
        "authorization.k8s.io/v1beta1",
        &["LocalSubjectAccessReview", "SelfSubjectAccessReview", "SubjectAccessReview", "SelfSubjectRulesReview"],
        (1, 19),
        (1, 22),
        &[to_changing("authorization.k8s.io/v1", (1, 6), "`spec.group` is renamed `spec.groups`")],
    ),
    k8s(
        "certificates.k8s.io/v1beta1",
        &["CertificateSigningRequest"],
        (1, 19),
        (1, 22),
        &[to_changing(
            "certificates.k8s.io/v1",
            (1, 19),
            "v1 requires `spec.signerName` (not `kubernetes.io/legacy-unknown`) and `spec.usages` (known usages, no \
             duplicates)",
        )],
    ),
    k8s("coordination.k8s.io/v1beta1", &["Lease"], (1, 19), (1, 22), &[to("coordination.k8s.io/v1", (1, 14))]),
    k8s("extensions/v1beta1", &["Ingress"], (1, 14), (1, 22), INGRESS_V1),
    k8s("networking.k8s.io/v1beta1", &["Ingress"], (1, 19), (1, 22), INGRESS_V1),
    k8s("networking.k8s.io/v1beta1", &["IngressClass"], (1, 19), (1, 22), &[to("networking.k8s.io/v1", (1, 19))]),
    k8s(
        "rbac.authorization.k8s.io/v1beta1",
        &["ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"],
        (1, 17),
        (1, 22),
        &[to("rbac.authorization.k8s.io/v1", (1, 8))],
    ),
    k8s("scheduling.k8s.io/v1beta1", &["PriorityClass"], (1, 14), (1, 22), &[to("scheduling.k8s.io/v1", (1, 14))]),
    k8s("storage.k8s.io/v1beta1", &["CSIDriver"], (1, 19), (1, 22), &[to("storage.k8s.io/v1", (1, 19))]),
    k8s("storage.k8s.io/v1beta1", &["CSINode"], (1, 17), (1, 22), &[to("storage.k8s.io/v1", (1, 17))]),
    k8s("storage.k8s.io/v1beta1", &["StorageClass"], (1, 19), (1, 22), &[to("storage.k8s.io/v1", (1, 6))]),
    k8s("storage.k8s.io/v1beta1", &["VolumeAttachment"], (1, 19), (1, 22), &[to("storage.k8s.io/v1", (1, 13))]),
    // Removed in 1.25.
    k8s("batch/v1beta1", &["CronJob"], (1, 21), (1, 25), &[to("batch/v1", (1, 21))]),
    k8s(
        "discovery.k8s.io/v1beta1",
        &["EndpointSlice"],
        (1, 21),
        (1, 25),
        &[to_changing(
            "discovery.k8s.io/v1",
            (1, 21),
            "endpoints use `nodeName` and `zone` instead of `topology[\"kubernetes.io/hostname\"]` and \
             `topology[\"topology.kubernetes.io/zone\"]`; `topology` becomes the read-only `deprecatedTopology`",
        )],
    ),
    k8s(
        "events.k8s.io/v1beta1",
        &["Event"],
        (1, 22),
        (1, 25),
        &[to_changing(
            "events.k8s.io/v1",
            (1, 19),
            "`type` must be Normal or Warning, `involvedObject` is `regarding`, `action`, `reason`, \
             `reportingController` and `reportingInstance` are required, and the deprecated firstTimestamp, \
             lastTimestamp, count and source fields are not accepted (use eventTime and series)",
        )],
    ),
    k8s("autoscaling/v2beta1", &["HorizontalPodAutoscaler"], (1, 22), (1, 25), HPA_V2),
    k8s(
        "policy/v1beta1",
        &["PodDisruptionBudget"],
        (1, 22),
        (1, 25),
        &[to_changing(
            "policy/v1",
            (1, 21),
            "an empty `spec.selector: {}` selects every pod of the namespace in policy/v1 (none in v1beta1)",
        )],
    ),
    Retired { no_successor: PSP_GONE, ..k8s("policy/v1beta1", &["PodSecurityPolicy"], (1, 21), (1, 25), &[]) },
    k8s("node.k8s.io/v1beta1", &["RuntimeClass"], (1, 22), (1, 25), &[to("node.k8s.io/v1", (1, 20))]),
    // Removed in 1.26.
    k8s("flowcontrol.apiserver.k8s.io/v1beta1", &["FlowSchema"], (1, 23), (1, 26), FLOWSCHEMA_FROM_V1BETA1),
    k8s("flowcontrol.apiserver.k8s.io/v1beta1", &["PriorityLevelConfiguration"], (1, 23), (1, 26), PLC_FROM_V1BETA1),
    k8s("autoscaling/v2beta2", &["HorizontalPodAutoscaler"], (1, 23), (1, 26), &[to("autoscaling/v2", (1, 23))]),
    // Removed in 1.27.
    k8s("storage.k8s.io/v1beta1", &["CSIStorageCapacity"], (1, 24), (1, 27), &[to("storage.k8s.io/v1", (1, 24))]),
    // Removed in 1.29.
    k8s("flowcontrol.apiserver.k8s.io/v1beta2", &["FlowSchema"], (1, 26), (1, 29), FLOWSCHEMA_FROM_V1BETA2),
    k8s("flowcontrol.apiserver.k8s.io/v1beta2", &["PriorityLevelConfiguration"], (1, 26), (1, 29), PLC_FROM_V1BETA2),
    // Removed in 1.32.
    k8s("flowcontrol.apiserver.k8s.io/v1beta3", &["FlowSchema"], (1, 29), (1, 32), FLOWSCHEMA_FROM_V1BETA3),
    k8s(
        "flowcontrol.apiserver.k8s.io/v1beta3",
        &["PriorityLevelConfiguration"],
        (1, 29),
        (1, 32),
        &[to_changing("flowcontrol.apiserver.k8s.io/v1", (1, 29), FLOWCONTROL_V1_DEFAULT)],
    ),
    // cert-manager: every kind of these versions, whatever the Kubernetes version.
    cert_manager("cert-manager.io/v1alpha2", CERT_MANAGER_V1),
    cert_manager("cert-manager.io/v1alpha3", CERT_MANAGER_V1),
    cert_manager("cert-manager.io/v1beta1", CERT_MANAGER_V1),
    cert_manager("acme.cert-manager.io/v1alpha2", ACME_V1),
    cert_manager("acme.cert-manager.io/v1alpha3", ACME_V1),
    cert_manager("acme.cert-manager.io/v1beta1", ACME_V1),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_consistent() {
        let mut seen = std::collections::BTreeSet::new();
        for r in TABLE {
            if let Removal::Kubernetes(removed) = r.removal {
                assert!(r.deprecated.is_none_or(|d| d < removed), "{}: deprecated after removal", r.api_version);
            }
            assert!(!r.successors.is_empty() || !r.no_successor.is_empty(), "{}: no advice", r.api_version);
            for w in r.successors.windows(2) {
                assert!(w[0].since > w[1].since, "{}: successors not newest first", r.api_version);
            }
            let kinds: Vec<&str> = if r.kinds.is_empty() { vec!["*"] } else { r.kinds.to_vec() };
            for k in kinds {
                assert!(seen.insert((r.api_version, k)), "{} {k} listed twice", r.api_version);
            }
        }
    }

    #[test]
    fn kinds_that_share_a_version_keep_their_own_entries() {
        // policy/v1beta1: both removed in 1.25, but deprecated in different releases and only
        // PodDisruptionBudget has a successor.
        let pdb = lookup("policy/v1beta1", "PodDisruptionBudget")
            .map(|r| (r.deprecated, r.successor("PodDisruptionBudget", (1, 25))));
        assert_eq!(pdb.map(|(d, s)| (d, s.map(|s| s.api_version))), Some((Some((1, 22)), Some("policy/v1"))));
        let psp = lookup("policy/v1beta1", "PodSecurityPolicy");
        assert_eq!(psp.map(|r| r.deprecated), Some(Some((1, 21))));
        assert!(psp.is_some_and(|r| r.successor("PodSecurityPolicy", (1, 25)).is_none()));
        // A kind of the version that the guide does not list is not reported.
        assert!(lookup("policy/v1beta1", "Eviction").is_none());
        assert!(lookup("example.com/v1beta1", "Deployment").is_none());
        assert!(lookup("apps/v1", "Deployment").is_none());
    }

    #[test]
    fn successor_follows_the_target() {
        let fs = |target| {
            lookup("flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema")
                .and_then(|r| r.successor("FlowSchema", target))
                .map(|s| s.api_version)
        };
        assert_eq!(fs((1, 24)), Some("flowcontrol.apiserver.k8s.io/v1beta2"));
        assert_eq!(fs((1, 26)), Some("flowcontrol.apiserver.k8s.io/v1beta3"));
        assert_eq!(fs((1, 36)), Some("flowcontrol.apiserver.k8s.io/v1"));
        // extensions PodSecurityPolicy: policy/v1beta1 until that is removed too.
        let psp = |target| {
            lookup("extensions/v1beta1", "PodSecurityPolicy")
                .and_then(|r| r.successor("PodSecurityPolicy", target))
                .map(|s| s.api_version)
        };
        assert_eq!(psp((1, 16)), Some("policy/v1beta1"));
        assert_eq!(psp((1, 25)), None);
        // Before networking.k8s.io/v1 exists it is still the one to name.
        let ing = lookup("extensions/v1beta1", "Ingress").and_then(|r| r.successor("Ingress", (1, 15)));
        assert_eq!(ing.map(|s| (s.api_version, s.since)), Some(("networking.k8s.io/v1", Some((1, 19)))));
    }
}
