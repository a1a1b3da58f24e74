use super::common::chart_file;
use crate::charts::ChartUnit;
use crate::check::{Check, CheckContext, Scope};
use crate::finding::Violation;
use crate::model::ObjectSet;

/// Chart `name` differs from the chart's directory name. Helm 2's lint required them to match;
/// Helm 3+ and chart-testing do not, so this is opt-in hygiene for chart repositories.
pub struct ChartNameMismatch;

impl Check for ChartNameMismatch {
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
        // An archive's file name is `<name>-<version>.tgz` by construction; nothing to compare.
        if !chart.dir.is_dir() {
            return;
        }
        let Some(file) = chart_file(chart) else { return };
        let name = file.meta.name.as_str();
        let Some((_, v)) = file.entry("name").filter(|_| !name.is_empty()) else { return };
        // `plimsoll check .` names the directory `.`: use its real name.
        let dir = chart.dir.file_name().map(|n| n.to_string_lossy().into_owned()).or_else(|| {
            let real = std::fs::canonicalize(&chart.dir).ok()?;
            real.file_name().map(|n| n.to_string_lossy().into_owned())
        });
        let Some(dir) = dir.filter(|d| d != name) else { return };
        out.push((
            None,
            Violation::new(v.span(), format!("chart name '{name}' does not match its directory name '{dir}'")),
        ));
    }
}
