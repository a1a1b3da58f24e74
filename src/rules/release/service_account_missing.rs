use crate::charts::ChartUnit;
use crate::check::{Check, CheckContext, Scope};
use crate::finding::Violation;
use crate::model::ObjectSet;

use super::common::visible_to;

/// Pods that name a ServiceAccount the chart neither creates nor lets the user choose.
pub struct ServiceAccountMissing;

impl Check for ServiceAccountMissing {
    fn scope(&self) -> Scope {
        Scope::Chart
    }
    fn check_chart(
        &self,
        chart: &ChartUnit,
        set: &ObjectSet,
        cx: &CheckContext,
        out: &mut Vec<(Option<usize>, Violation)>,
    ) {
        for (i, ident) in &chart.objects {
            let object = &set.objects[*i];
            let Some(spec) = object.pod_spec() else { continue };
            let node = spec.node().get("serviceAccountName").or_else(|| spec.node().get("serviceAccount"));
            let Some(node) = node else { continue };
            let Some(name) = node.as_str().filter(|n| !n.is_empty() && *n != "default") else { continue };
            let created = set
                .of_kind("ServiceAccount")
                .any(|(_, sa)| sa.name.as_deref() == Some(name) && visible_to(chart, cx, sa));
            if created || chart.value_mentions(name) {
                continue;
            }
            let message = format!(
                "{} {} runs as ServiceAccount `{name}`, which the chart does not create and no value sets: \
                 pods are rejected (`serviceaccount \"{name}\" not found`) unless it exists beforehand",
                ident.kind,
                ident.name.as_deref().unwrap_or("<unnamed>")
            );
            out.push((Some(*i), Violation::new(node.span(), message)));
        }
    }
}
