//! Rule family: security. One module per rule; register each with one line below.

use super::Entry;

mod automount_service_account_token;
mod capabilities_not_dropped;
mod dangerous_capability_added;
mod default_service_account;
mod host_path;
mod host_port;
mod host_process;
mod privilege_escalation_allowed;
mod read_only_root_fs_missing;
mod run_as_low_uid;
mod seccomp_profile_missing;
pub(crate) mod secrets;
mod ssh_port_exposed;
mod unsafe_sysctls;
mod util;

/// Values keys charts commonly expose for a container's security context, most specific first
/// (`{field}` is the field a rule finds absent): where an absent-field finding points.
pub(crate) const CONTAINER_SECURITY_CONTEXT: [&str; 3] =
    ["securityContext.{field}", "containerSecurityContext", "securityContext"];

pub(super) fn entries() -> Vec<Entry> {
    vec![
        rust!("privilege-escalation-allowed", privilege_escalation_allowed::PrivilegeEscalationAllowed),
        declarative!("host-network"),
        declarative!("host-pid"),
        declarative!("host-ipc"),
        rust!("host-port", host_port::HostPort),
        rust!("read-only-root-fs-missing", read_only_root_fs_missing::ReadOnlyRootFsMissing),
        rust!("capabilities-not-dropped", capabilities_not_dropped::CapabilitiesNotDropped),
        rust!("dangerous-capability-added", dangerous_capability_added::DangerousCapabilityAdded),
        rust!("hostpath-volume", host_path::HostPathVolume),
        rust!("sensitive-host-mount", host_path::SensitiveHostMount),
        rust!("docker-socket-mount", host_path::DockerSocketMount),
        rust!("writable-host-mount", host_path::WritableHostMount),
        rust!("ssh-port-exposed", ssh_port_exposed::SshPortExposed),
        rust!("host-process", host_process::HostProcess),
        rust!("run-as-low-uid", run_as_low_uid::RunAsLowUid),
        rust!("default-service-account", default_service_account::DefaultServiceAccount),
        rust!("unsafe-sysctls", unsafe_sysctls::UnsafeSysctls),
        declarative!("unsafe-proc-mount"),
        rust!("seccomp-profile-missing", seccomp_profile_missing::SeccompProfileMissing),
        rust!("automount-service-account-token", automount_service_account_token::AutomountServiceAccountToken),
        declarative!("deprecated-service-account-field"),
        rust!("secret-in-env-literal", secrets::SecretInEnvLiteral),
        rust!("default-credentials", secrets::DefaultCredentials),
    ]
}
