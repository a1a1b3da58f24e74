use crate::charts::ChartUnit;
use crate::check::{Check, CheckContext, Scope};
use crate::finding::Violation;
use crate::model::ObjectSet;
use crate::yaml::NodeRef;

/// A cert-manager dependency that installs by default.
pub struct CertManagerSubchartEnabled;

fn is_cert_manager(dep: NodeRef<'_>) -> bool {
    let name = dep.get_str("name").unwrap_or("");
    let repo = dep.get_str("repository").unwrap_or("");
    name == "cert-manager" || (repo.contains("charts.jetstack.io") && name.contains("cert-manager"))
}

impl Check for CertManagerSubchartEnabled {
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
        if chart.variant.is_some() {
            return;
        }
        let Some(deps) = chart.chart_root().and_then(|r| r.get("dependencies")) else { return };
        let defaults = chart.values_yaml.as_ref().and_then(|d| d.root());
        for dep in deps.items().filter(|d| is_cert_manager(*d)) {
            let name_span = dep.get("name").map_or(dep.span(), |n| n.span());
            let condition = dep.get_str("condition").unwrap_or("").trim();
            let explain = "installs fail with CRD ownership errors on clusters that already run cert-manager \
                 (most do), and uninstalling the chart removes cert-manager for everyone";
            if condition.is_empty() {
                let message = format!(
                    "the cert-manager dependency has no `condition`, so it is always installed: {explain}; add \
                     `condition: certManager.enabled` defaulting to false"
                );
                out.push((None, Violation::new(name_span, message)));
                continue;
            }
            // Helm takes the first condition path that resolves to a boolean.
            let decided = condition.split(',').map(str::trim).find_map(|path| {
                let keys: Vec<&str> = path.split('.').collect();
                let (key, value) = {
                    let (last, parents) = keys.split_last()?;
                    defaults?.path(parents)?.entry(last)?
                };
                value.as_bool().map(|b| (b, key.span().to(value.span()), path))
            });
            match decided {
                Some((true, span, path)) => {
                    let message = format!(
                        "cert-manager is installed by default (`{path}: true`): {explain}; default it to false \
                         and document how to enable it"
                    );
                    let cond_span = dep.field_span("condition").unwrap_or(name_span);
                    let v = Violation::new(span, message).with_related(cond_span, "the dependency's condition");
                    out.push((None, v));
                }
                Some((false, ..)) => {}
                None => {
                    let message = format!(
                        "the cert-manager dependency's condition `{condition}` is not set in values.yaml, so Helm \
                         installs it: {explain}; set it to false there"
                    );
                    let span = dep.get("condition").map_or(name_span, |n| n.span());
                    out.push((None, Violation::new(span, message)));
                }
            }
        }
    }
}
