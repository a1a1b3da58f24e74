use crate::charts::ChartUnit;
use crate::check::{Check, CheckContext, Scope};
use crate::finding::Violation;
use crate::model::ObjectSet;

use super::common::{is_cluster_scoped, metadata_span};

/// Objects whose name stays the same when the chart is rendered under another release name.
pub struct ReleaseNameIndependentName;

impl Check for ReleaseNameIndependentName {
    fn scope(&self) -> Scope {
        Scope::Chart
    }
    fn check_chart(
        &self,
        chart: &ChartUnit,
        set: &ObjectSet,
        _cx: &CheckContext,
        out: &mut Vec<(Option<usize>, Violation)>,
    ) {
        let Some(probe) = chart.release_probe.as_deref() else { return };
        for (i, ident, twin) in chart.with_twins(probe) {
            let Some(name) = ident.name.as_deref() else { continue };
            // A CRD's name is `<plural>.<group>` by definition (see crd-bundled-from-other-project).
            if ident.kind == "CustomResourceDefinition" || twin.name.as_deref() != Some(name) {
                continue;
            }
            let object = &set.objects[i];
            let scope = if is_cluster_scoped(&ident.kind) {
                "it is cluster-scoped, so a second release of this chart collides with it in any namespace"
            } else {
                "a second release in the same namespace collides with it"
            };
            let from_values = if chart.value_mentions(name) {
                " (the name comes from values: each release must override it)"
            } else {
                ""
            };
            let message = format!(
                "{} `{name}` keeps its name under another release name{from_values}: {scope}; derive the name \
                 from the release (e.g. the chart's fullname helper)",
                ident.kind
            );
            out.push((Some(i), Violation::new(metadata_span(object, "name"), message)));
        }
    }
}
