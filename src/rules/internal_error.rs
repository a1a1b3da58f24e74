use crate::check::{Check, Scope};

/// `internal-error` findings are made by the engine when a rule panics (see
/// `check::run`); this check itself never fires.
pub struct InternalError;

impl Check for InternalError {
    fn scope(&self) -> Scope {
        Scope::File
    }
}
