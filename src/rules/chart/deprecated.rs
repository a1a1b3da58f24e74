use super::common::chart_file;
use crate::charts::ChartUnit;
use crate::check::{Check, CheckContext, Scope};
use crate::finding::Violation;
use crate::model::ObjectSet;

/// `deprecated: true` in Chart.yaml: Helm warns on install, repositories flag the chart.
pub struct ChartDeprecated;

impl Check for ChartDeprecated {
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
        let Some(file) = chart_file(chart) else { return };
        if !file.meta.deprecated {
            return;
        }
        let Some(span) = file.entry("deprecated").map(|(k, v)| k.span().to(v.span())) else { return };
        let name = &file.meta.name;
        out.push((None, Violation::new(span, format!("chart '{name}' is deprecated: plan a move to its replacement"))));
    }
}
