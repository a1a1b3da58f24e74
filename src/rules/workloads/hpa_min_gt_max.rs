use crate::check::{Check, CheckContext};
use crate::finding::Violation;
use crate::model::Object;

use super::common::HPA;

/// `minReplicas` above `maxReplicas`: the API server rejects the HPA.
pub struct HpaMinGtMax;

impl Check for HpaMinGtMax {
    fn check_object(&self, object: &Object, _cx: &CheckContext, out: &mut Vec<Violation>) {
        if object.kind != HPA {
            return;
        }
        let Some(spec) = object.node().get("spec") else { return };
        let (Some(min), Some(max)) =
            (spec.get("minReplicas").and_then(|n| n.as_i64()), spec.get("maxReplicas").and_then(|n| n.as_i64()))
        else {
            return;
        };
        if min <= max {
            return;
        }
        let (Some(min_span), Some(max_span)) = (spec.field_span("minReplicas"), spec.field_span("maxReplicas")) else {
            return;
        };
        out.push(
            Violation::new(
                min_span,
                format!("minReplicas ({min}) is greater than maxReplicas ({max}); the API server rejects this HPA"),
            )
            .with_related(max_span, "maxReplicas"),
        );
    }
}
