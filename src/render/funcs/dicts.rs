//! Template functions: dicts family. (Filled in by the function-library work; see mod.rs.)

use super::Registry;

pub fn register(_r: &mut Registry) {}
