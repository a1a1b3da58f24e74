use super::common::chart_file;
use crate::charts::ChartUnit;
use crate::check::{Check, CheckContext, Scope};
use crate::finding::Violation;
use crate::model::ObjectSet;
use crate::render::funcs::parse_constraint_text;
use crate::yaml::Scalar;

/// `kubeVersion` that is not a SemVer constraint: Helm's `IsCompatibleRange` then fails for
/// every cluster, so the chart installs nowhere. A YAML number is also reported: `1.20` reads
/// as "1.2", a constraint that only admits 1.2.x.
pub struct ChartKubeVersionInvalid;

impl Check for ChartKubeVersionInvalid {
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
        let constraint = file.meta.kube_version.as_str();
        let Some((_, v)) = file.entry("kubeVersion").filter(|_| !constraint.is_empty()) else { return };
        // An integer (`kubeVersion: 1`) reads the same quoted or not; a float loses digits.
        let message = if matches!(v.scalar(), Some(Scalar::Float(_))) {
            let raw = v.raw().unwrap_or(constraint);
            format!(
                "`kubeVersion: {raw}` is a YAML number read as \"{constraint}\": as a constraint it admits only {constraint}.x; write a quoted range such as \">= {raw}.0-0\""
            )
        } else {
            match parse_constraint_text(constraint) {
                Ok(()) => return,
                Err(e) => format!(
                    "kubeVersion '{constraint}' is not a valid SemVer constraint ({e}): Helm refuses to install the chart on any cluster"
                ),
            }
        };
        out.push((None, Violation::new(v.span(), message)));
    }
}

#[cfg(test)]
mod tests {
    use crate::render::funcs::constraint_matches;

    // What the message claims: a partial version as a constraint pins its minor.
    #[test]
    fn float_kube_version_admits_one_minor() {
        assert_eq!(constraint_matches("1.2", "1.2.9"), Ok(true));
        assert_eq!(constraint_matches("1.2", "1.20.0"), Ok(false));
    }
}
