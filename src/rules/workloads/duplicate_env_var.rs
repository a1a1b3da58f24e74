use std::collections::HashMap;

use crate::check::{Check, CheckContext};
use crate::finding::Violation;
use crate::model::Object;

/// The same variable twice in one container's `env`: the last one silently wins, so whoever
/// edits the first one changes nothing.
pub struct DuplicateEnvVar;

impl Check for DuplicateEnvVar {
    fn check_object(&self, object: &Object, _cx: &CheckContext, out: &mut Vec<Violation>) {
        let Some(spec) = object.pod_spec() else { return };
        for c in spec.containers() {
            let mut seen = HashMap::new();
            for item in c.node.get("env").into_iter().flat_map(|e| e.items()) {
                let Some(name) = item.get_str("name") else { continue };
                let span = item.field_span("name").unwrap_or_else(|| item.span());
                match seen.get(name) {
                    Some(&first) => out.push(
                        Violation::new(
                            span,
                            format!("{} sets env var {name} more than once; the last definition wins", c.describe()),
                        )
                        .with_related(first, "first defined here"),
                    ),
                    None => {
                        seen.insert(name, span);
                    }
                }
            }
        }
    }
}
