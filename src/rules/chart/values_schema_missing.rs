use super::common::chart_file;
use crate::charts::ChartUnit;
use crate::check::{Check, CheckContext, Scope};
use crate::finding::Violation;
use crate::model::ObjectSet;

/// A chart with default values but no `values.schema.json`: Helm validates values against the
/// schema on install, lint and template, so without one a typo in user values passes silently.
pub struct ValuesSchemaMissing;

impl Check for ValuesSchemaMissing {
    fn scope(&self) -> Scope {
        Scope::Chart
    }
    fn check_chart(
        &self,
        chart: &ChartUnit,
        _set: &ObjectSet,
        _cx: &CheckContext,
        out: &mut Vec<(Option<usize>, Violation)>,
    ) {
        if chart.has_schema {
            return;
        }
        let Some(file) = chart_file(chart) else { return };
        // A library chart is never installed with values of its own; a chart without values
        // has nothing to describe.
        let has_values =
            chart.values_yaml.as_ref().and_then(|d| d.root()).is_some_and(|r| r.is_mapping() && !r.is_empty());
        if file.meta.is_library() || !has_values {
            return;
        }
        out.push((
            None,
            Violation::new(
                file.anchor(),
                "chart has no values.schema.json: values users set are not validated, so a misspelt or mistyped key is silently ignored",
            ),
        ));
    }
}
