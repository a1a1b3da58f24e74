use super::common::chart_file;
use crate::charts::ChartUnit;
use crate::check::{Check, CheckContext, Scope};
use crate::finding::Violation;
use crate::model::ObjectSet;

/// No `values.yaml` (helm lint: "values.yaml: file does not exist", at info level).
pub struct ValuesYamlMissing;

impl Check for ValuesYamlMissing {
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
        // Archives keep their files inside; only a directory can lack the file on disk.
        if !chart.dir.is_dir() || chart.dir.join("values.yaml").exists() {
            return;
        }
        let Some(file) = chart_file(chart) else { return };
        out.push((
            None,
            Violation::new(
                file.anchor(),
                "chart has no values.yaml: users cannot see which settings the chart takes or their defaults",
            ),
        ));
    }
}
