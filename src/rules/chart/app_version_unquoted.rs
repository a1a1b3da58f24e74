use super::common::{chart_file, is_non_string_scalar};
use crate::charts::ChartUnit;
use crate::check::{Check, CheckContext, Scope};
use crate::finding::Violation;
use crate::model::ObjectSet;

/// `appVersion` written as a YAML number (or boolean): Helm receives its float64 text, so
/// `1.10` becomes "1.1" and `2.0` becomes "2".
pub struct ChartAppVersionUnquoted;

impl Check for ChartAppVersionUnquoted {
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
        let Some((_, v)) = file.entry("appVersion").filter(|(_, v)| is_non_string_scalar(*v)) else { return };
        let read = file.meta.app_version.as_str();
        let raw = v.raw().unwrap_or(read);
        let message = if raw == read {
            format!("`appVersion: {raw}` is a YAML number, not a string: quote it (helm lint rejects a non-string appVersion)")
        } else {
            format!(
                "`appVersion: {raw}` is a YAML number: Helm reads it as \"{read}\" (`.Chart.AppVersion`, the app.kubernetes.io/version label); quote it"
            )
        };
        out.push((None, Violation::new(v.span(), message)));
    }
}
