//! Shared by chart rules: `Chart.yaml` as Helm decodes it, with the nodes to point at.

use crate::charts::ChartUnit;
use crate::render::chart::metadata::{decode_into, Dependency, Metadata};
use crate::source::Span;
use crate::yaml::{NodeRef, Scalar};

/// A chart's own `Chart.yaml`: the parsed mapping (for spans) and Helm's decoding of it (for
/// values: keys match case-insensitively, numbers headed for string fields become text).
pub(super) struct ChartFile<'a> {
    pub root: NodeRef<'a>,
    pub meta: Metadata,
}

/// `Chart.yaml` of the default render. A `ci/` variant renders the same files, so checking it
/// again would only repeat findings.
pub(super) fn chart_file(chart: &ChartUnit) -> Option<ChartFile<'_>> {
    if chart.variant.is_some() {
        return None;
    }
    let root = chart.chart_root().filter(|r| r.is_mapping())?;
    let mut meta = Metadata::default();
    // A type error (`name: [a]`) is reported by chart-render-error with Helm's message; the
    // fields that did decode are still worth checking.
    let _ = decode_into(Some(root), &mut meta);
    Some(ChartFile { root, meta })
}

impl<'a> ChartFile<'a> {
    /// `key`'s key and value nodes, matched like `encoding/json` does: the exact name, else
    /// ASCII case-insensitively.
    pub fn entry(&self, key: &str) -> Option<(NodeRef<'a>, NodeRef<'a>)> {
        field(self.root, key)
    }

    /// Where a finding about a missing field points: the `name:` key, else the first key.
    pub fn anchor(&self) -> Span {
        self.entry("name").or_else(|| self.root.entries().next()).map_or_else(|| self.root.span(), |(k, _)| k.span())
    }
}

/// The value's span, or the key's when the value is null/empty (nothing to underline).
pub(super) fn value_or_key(key: NodeRef<'_>, value: NodeRef<'_>) -> Span {
    if value.is_null() || value.span().is_empty() {
        key.span()
    } else {
        value.span()
    }
}

/// A scalar YAML resolves to a number or boolean: Helm turns it into text for a string field
/// (`1.10` becomes "1.1"). Quoted scalars are strings and never match.
pub(super) fn is_non_string_scalar(node: NodeRef<'_>) -> bool {
    matches!(node.scalar(), Some(Scalar::Int(_) | Scalar::Uint(_) | Scalar::Float(_) | Scalar::Bool(_)))
}

/// `dependencies` entries: each mapping item with Helm's decoding of it.
pub(super) fn dependencies<'a, 'f>(file: &'f ChartFile<'a>) -> Vec<(NodeRef<'a>, &'f Dependency)> {
    let Some((_, list)) = file.entry("dependencies") else { return Vec::new() };
    // The decoder keeps one slot per item, in order (`None` for null items).
    let decoded = file.meta.dependencies.iter().flatten();
    list.items()
        .zip(decoded)
        .filter_map(|(node, dep)| Some((node, dep.as_ref()?)))
        .filter(|(n, _)| n.is_mapping())
        .collect()
}

/// A mapping's field, matched like `encoding/json` does.
pub(super) fn field<'a>(map: NodeRef<'a>, key: &str) -> Option<(NodeRef<'a>, NodeRef<'a>)> {
    map.entry(key).or_else(|| map.entries().find(|(k, _)| k.key_text().is_some_and(|t| t.eq_ignore_ascii_case(key))))
}
