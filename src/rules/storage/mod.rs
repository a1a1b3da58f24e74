//! Rule family: storage durability (NFS mounts and the databases that sit on them).

use super::Entry;

mod common;
mod database_on_nfs;
mod nfs_soft_mount;

pub(super) fn entries() -> Vec<Entry> {
    vec![
        rust!("nfs-soft-mount", nfs_soft_mount::NfsSoftMount),
        rust!("database-on-nfs", database_on_nfs::DatabaseOnNfs),
    ]
}
