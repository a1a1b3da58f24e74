//! Rule family: workloads. One module per rule; register each with one line below.

use super::Entry;

pub(super) fn entries() -> Vec<Entry> {
    vec![]
}
