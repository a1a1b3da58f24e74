//! Rule family: workloads. One module per rule; register each with one line below.

use super::Entry;

mod common;
mod duplicate_env_var;
mod env_ref_missing;
mod hpa_min_gt_max;
mod hpa_on_single_instance;
mod hpa_target_missing;
mod hpa_without_requests;
mod job_ttl_missing;
mod leader_election_missing;
mod pdb_blocks_eviction;
mod pdb_missing;
mod replicas_single;
mod replicas_with_hpa;
mod rwo_volume_multi_replica;
mod rwo_volume_rolling_update;
mod selector_mismatch;
mod startup_probe_missing_slow_start;

pub(super) fn entries() -> Vec<Entry> {
    vec![
        rust!("selector-mismatch", selector_mismatch::SelectorMismatch),
        rust!("duplicate-env-var", duplicate_env_var::DuplicateEnvVar),
        rust!("env-ref-missing", env_ref_missing::EnvRefMissing),
        rust!("hpa-target-missing", hpa_target_missing::HpaTargetMissing),
        rust!("hpa-min-gt-max", hpa_min_gt_max::HpaMinGtMax),
        rust!("replicas-with-hpa", replicas_with_hpa::ReplicasWithHpa),
        rust!("hpa-without-requests", hpa_without_requests::HpaWithoutRequests),
        rust!("hpa-on-single-instance", hpa_on_single_instance::HpaOnSingleInstance),
        rust!("rwo-volume-multi-replica", rwo_volume_multi_replica::RwoVolumeMultiReplica),
        rust!("rwo-volume-rolling-update", rwo_volume_rolling_update::RwoVolumeRollingUpdate),
        rust!("pdb-blocks-eviction", pdb_blocks_eviction::PdbBlocksEviction),
        rust!("pdb-missing", pdb_missing::PdbMissing),
        declarative!("anti-affinity-missing"),
        rust!("leader-election-missing", leader_election_missing::LeaderElectionMissing),
        rust!("startup-probe-missing-slow-start", startup_probe_missing_slow_start::StartupProbeMissingSlowStart),
        rust!("job-ttl-missing", job_ttl_missing::JobTtlMissing),
        declarative!("cronjob-deadline-missing"),
        rust!("replicas-single", replicas_single::ReplicasSingle),
    ]
}
