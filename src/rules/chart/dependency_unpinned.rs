use super::common::{chart_file, dependencies, field, value_or_key};
use crate::charts::ChartUnit;
use crate::check::{Check, CheckContext, Scope};
use crate::finding::Violation;
use crate::model::ObjectSet;
use crate::render::funcs::parse_constraint_text;
use crate::render::funcs::semver::Version;

/// A dependency fetched from a repository whose `version` is empty, not a version at all, or
/// a range with no lock file recording what it resolved to: `helm dependency build` (which
/// chart-testing runs) then fetches whatever is newest.
pub struct ChartDependencyUnpinned;

impl Check for ChartDependencyUnpinned {
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
        // `helm dependency build` installs exactly what the lock file lists.
        let locked = ["Chart.lock", "requirements.lock"].iter().any(|f| chart.dir.join(f).is_file());
        for (node, dep) in dependencies(&file) {
            // No repository: the chart lives in charts/ already; `file://`: the version is
            // whatever the directory holds. Neither is resolved against a repository.
            if dep.repository.is_empty() || dep.repository.starts_with("file://") {
                continue;
            }
            let name = &dep.name;
            let version = dep.version.trim();
            let message = if version.is_empty() {
                format!("dependency '{name}' has no `version`: `helm dependency update` cannot resolve it")
            } else if let Err(e) = parse_constraint_text(version) {
                format!("dependency '{name}' version '{version}' is not a version or range ({e}): `helm dependency update` fails")
            } else if !locked && !is_exact(version) {
                format!(
                    "dependency '{name}' version '{version}' is a range and the chart has no Chart.lock: each `helm dependency build` may fetch a newer release; pin an exact version or commit Chart.lock"
                )
            } else {
                continue;
            };
            let span = match (field(node, "version"), field(node, "name")) {
                (Some((k, v)), _) => value_or_key(k, v),
                (None, Some((_, v))) => v.span(),
                (None, None) => node.span(),
            };
            out.push((None, Violation::new(span, message)));
        }
    }
}

/// One exact version (`1.2.3`, `=1.2.3`, `v1.2.3-rc.1`): all three numbers written, no
/// operator but `=`. A partial version (`1.2`) is a range (`1.2.x`) in Masterminds' constraints.
fn is_exact(constraint: &str) -> bool {
    let v = constraint.strip_prefix('=').unwrap_or(constraint).trim();
    let core = v.split(['-', '+']).next().unwrap_or(v).trim_start_matches('v');
    core.split('.').count() == 3
        && core.split('.').all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        && Version::parse(v).is_ok()
}

#[cfg(test)]
mod tests {
    use super::is_exact;

    #[test]
    fn exact_versions_and_ranges() {
        for exact in ["1.2.3", "=1.2.3", "v1.2.3", "1.2.3-rc.1", "= 1.2.3"] {
            assert!(is_exact(exact), "{exact}");
        }
        for range in
            ["1.2", "1.2.x", "^1.2.3", "~1.2.3", ">=1.2.3", "*", "1.2.3 - 1.4.0", ">=1.0.0, <2.0.0", "1.2.3 || 1.3.0"]
        {
            assert!(!is_exact(range), "{range}");
        }
    }
}
