use super::common::{chart_file, is_non_string_scalar};
use crate::charts::ChartUnit;
use crate::check::{Check, CheckContext, Scope};
use crate::finding::Violation;
use crate::model::ObjectSet;
use crate::render::funcs::constraint_matches;
use crate::render::funcs::semver::Version;

/// `version` that Helm cannot parse as a semantic version (its loader and helm lint use
/// Masterminds' `NewVersion`, which also takes `1.2` and `v1.2.3`), a `version` written as a
/// YAML number (helm lint: "version should be of type string"), and an `appVersion` with
/// white space.
pub struct ChartVersionNotSemver;

impl Check for ChartVersionNotSemver {
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
        let version = file.meta.version.as_str();
        if let Some((_, v)) = file.entry("version").filter(|_| !version.is_empty()) {
            let raw = v.raw().unwrap_or(version);
            let message = if is_non_string_scalar(v) {
                // sigs.k8s.io/yaml turns the number into text before Helm sees it.
                let read = if raw == version { String::new() } else { format!(", which Helm reads as \"{version}\"") };
                Some(format!("`version: {raw}` is a YAML number{read}: quote it (helm lint requires a string version)"))
            } else if let Err(e) = Version::parse(version) {
                Some(format!("version '{version}' is not a valid SemVer ({e}): Helm cannot load the chart; use MAJOR.MINOR.PATCH, e.g. 1.2.3"))
            } else if constraint_matches(">0.0.0-0", version) == Ok(false) {
                // helm lint's last check on the version.
                Some(format!("version '{version}' is not above 0.0.0-0: helm lint rejects it"))
            } else {
                None
            };
            if let Some(m) = message {
                out.push((None, Violation::new(v.span(), m)));
            }
        }
        let app = file.meta.app_version.as_str();
        if let Some((_, v)) = file.entry("appVersion").filter(|_| app.chars().any(char::is_whitespace)) {
            out.push((
                None,
                Violation::new(
                    v.span(),
                    format!("appVersion '{app}' contains white space: it is not a valid label value, so a chart that sets the app.kubernetes.io/version label from it fails to install"),
                ),
            ));
        }
    }
}
