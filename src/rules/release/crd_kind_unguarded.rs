use std::collections::BTreeSet;

use crate::charts::ChartUnit;
use crate::check::{Check, CheckContext, Scope};
use crate::finding::Violation;
use crate::model::ObjectSet;

use super::common::is_builtin_group;

/// Custom resources rendered although the chart does not define their CRD and the API is not
/// known to be available.
pub struct CrdKindUnguarded;

impl Check for CrdKindUnguarded {
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
        if chart.variant.is_some() {
            return;
        }
        // (group, kind) of every CRD the chart (or an enabled subchart) ships.
        let defined: BTreeSet<(&str, &str)> = set
            .of_kind("CustomResourceDefinition")
            .filter(|(_, o)| chart.owns(o))
            .filter_map(|(_, o)| {
                let spec = o.node().get("spec")?;
                Some((spec.get_str("group")?, spec.path(&["names", "kind"])?.as_str()?))
            })
            .collect();
        for (i, ident) in &chart.objects {
            let object = &set.objects[*i];
            let group = object.group();
            if is_builtin_group(group) || defined.contains(&(group, ident.kind.as_str())) {
                continue;
            }
            // With `--api-versions`, only what still renders without them is unguarded.
            if let Some(bare) = &chart.without_extra_apis {
                if crate::charts::twin(ident, bare).is_none() {
                    continue;
                }
            }
            let values = if chart.user_values { "these values" } else { "the chart's default values" };
            let message = format!(
                "{} ({}) is rendered with {values} although the chart does not install its CRD: on a cluster \
                 without the operator serving {group}, the install fails (`no matches for kind \"{}\"`); put it \
                 behind a values toggle that defaults to false or `.Capabilities.APIVersions.Has \"{}/{}\"`",
                ident.kind, ident.api_version, ident.kind, ident.api_version, ident.kind
            );
            let span = object.node().get("apiVersion").map_or_else(|| object.anchor_span(), |n| n.span());
            out.push((Some(*i), Violation::new(span, message)));
        }
    }
}
