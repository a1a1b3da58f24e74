//! Rule family: charts. Rules about a chart's own files (`Chart.yaml`, `values.yaml`,
//! `values.schema.json`, `charts/`, templates), with helm lint and chart-testing parity. One
//! module per rule; register each with one line below.

use super::Entry;

mod app_version_unquoted;
mod common;
mod dependency_missing;
mod dependency_unpinned;
mod deprecated;
mod icon_missing;
mod kube_version_invalid;
mod maintainers_missing;
mod name_mismatch;
mod required_field_missing;
mod template_renders_nothing;
mod values_schema_missing;
mod values_schema_violation;
mod values_yaml_missing;
mod version_not_semver;

pub(super) fn entries() -> Vec<Entry> {
    vec![
        rust!("chart-required-field-missing", required_field_missing::ChartRequiredFieldMissing),
        rust!("chart-version-not-semver", version_not_semver::ChartVersionNotSemver),
        rust!("chart-app-version-unquoted", app_version_unquoted::ChartAppVersionUnquoted),
        rust!("chart-kube-version-invalid", kube_version_invalid::ChartKubeVersionInvalid),
        rust!("chart-name-mismatch", name_mismatch::ChartNameMismatch),
        rust!("values-schema-missing", values_schema_missing::ValuesSchemaMissing),
        rust!("values-schema-violation", values_schema_violation::ValuesSchemaViolation),
        rust!("chart-icon-missing", icon_missing::ChartIconMissing),
        rust!("chart-maintainers-missing", maintainers_missing::ChartMaintainersMissing),
        rust!("chart-dependency-unpinned", dependency_unpinned::ChartDependencyUnpinned),
        rust!("chart-dependency-missing", dependency_missing::ChartDependencyMissing),
        rust!("template-renders-nothing", template_renders_nothing::TemplateRendersNothing),
        rust!("chart-deprecated", deprecated::ChartDeprecated),
        rust!("values-yaml-missing", values_yaml_missing::ValuesYamlMissing),
    ]
}
