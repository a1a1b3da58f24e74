//! Rule family: schema. Objects validated against the Kubernetes JSON schemas bundled for the
//! target version (`bundle`), or against the CRDs of the run (`crd`), findings mapped back to
//! the YAML node at fault (`pointer`).

use super::Entry;

mod bundle;
pub(crate) mod crd;
mod pointer;
mod schema_invalid;

pub(super) fn entries() -> Vec<Entry> {
    vec![rust!("schema-invalid", schema_invalid::SchemaInvalid)]
}
