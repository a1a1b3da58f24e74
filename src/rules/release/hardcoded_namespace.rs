use crate::charts::ChartUnit;
use crate::check::{Check, CheckContext, Scope};
use crate::finding::Violation;
use crate::model::ObjectSet;

use super::common::metadata_span;

/// Objects whose `metadata.namespace` stays the same when the release namespace changes.
pub struct HardcodedNamespace;

impl Check for HardcodedNamespace {
    fn scope(&self) -> Scope {
        Scope::Chart
    }
    fn check_chart(
        &self,
        chart: &ChartUnit,
        set: &ObjectSet,
        _cx: &CheckContext,
        out: &mut Vec<(Option<usize>, Violation)>,
    ) {
        let Some(probe) = chart.release_probe.as_deref() else { return };
        for (i, ident, twin) in chart.with_twins(probe) {
            let Some(ns) = ident.namespace.as_deref() else { continue };
            if twin.namespace.as_deref() != Some(ns) || chart.value_mentions(ns) {
                continue;
            }
            // Reading the API server's authentication config needs a RoleBinding in kube-system
            // (metrics-server, admission webhooks): that namespace is fixed on purpose.
            let system = matches!(ns, "kube-system" | "kube-public");
            if system && matches!(ident.kind.as_str(), "Role" | "RoleBinding") {
                continue;
            }
            let message = format!(
                "{} {} is always installed into namespace `{ns}`, whatever `--namespace` says: use \
                 `{{{{ .Release.Namespace }}}}` (or a values key) so the release lands where it is installed",
                ident.kind,
                ident.name.as_deref().unwrap_or("<unnamed>")
            );
            out.push((Some(i), Violation::new(metadata_span(&set.objects[i], "namespace"), message)));
        }
    }
}
