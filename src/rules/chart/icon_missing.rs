use super::common::chart_file;
use crate::charts::ChartUnit;
use crate::check::{Check, CheckContext, Scope};
use crate::finding::Violation;
use crate::model::ObjectSet;

/// No `icon` in Chart.yaml (helm lint: "icon is recommended").
pub struct ChartIconMissing;

impl Check for ChartIconMissing {
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
        if !file.meta.icon.is_empty() {
            return;
        }
        let span = file.entry("icon").map_or_else(|| file.anchor(), |(k, _)| k.span());
        out.push((
            None,
            Violation::new(span, "Chart.yaml has no `icon`: chart repositories and Artifact Hub show a placeholder"),
        ));
    }
}
