use super::common::chart_file;
use crate::charts::ChartUnit;
use crate::check::{Check, CheckContext, Scope};
use crate::finding::Violation;
use crate::model::ObjectSet;

/// No `maintainers` in Chart.yaml (chart-testing's `validate-maintainers`, which exempts
/// deprecated charts).
pub struct ChartMaintainersMissing;

impl Check for ChartMaintainersMissing {
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
        if file.meta.deprecated || !file.meta.maintainers.is_empty() {
            return;
        }
        let span = file.entry("maintainers").map_or_else(|| file.anchor(), |(k, _)| k.span());
        out.push((
            None,
            Violation::new(span, "Chart.yaml lists no `maintainers`: nobody is named to contact about the chart (chart-testing rejects it)"),
        ));
    }
}
