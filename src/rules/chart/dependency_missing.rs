use super::common::{chart_file, dependencies, field};
use crate::charts::ChartUnit;
use crate::check::{Check, CheckContext, Scope};
use crate::finding::Violation;
use crate::model::ObjectSet;

/// A dependency in Chart.yaml with no chart of that name in `charts/`: `helm install` and
/// `helm template` refuse the chart (`CheckDependencies`), helm lint warns.
pub struct ChartDependencyMissing;

impl Check for ChartDependencyMissing {
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
        let Some(bundled) = &chart.bundled else { return };
        let Some(file) = chart_file(chart) else { return };
        for (node, dep) in dependencies(&file) {
            // Helm matches by the subchart's own `name`, whatever its directory or archive name.
            if dep.name.is_empty() || bundled.contains(&dep.name) {
                continue;
            }
            let span = field(node, "name").map_or_else(|| node.span(), |(_, v)| v.span());
            out.push((
                None,
                Violation::new(
                    span,
                    format!(
                        "dependency '{}' is not in charts/: Helm refuses to install or render the chart until `helm dependency build` fetches it",
                        dep.name
                    ),
                ),
            ));
        }
    }
}
