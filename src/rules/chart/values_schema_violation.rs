use super::common::chart_file;
use crate::charts::ChartUnit;
use crate::check::{Check, CheckContext, Scope};
use crate::finding::Violation;
use crate::model::ObjectSet;
use crate::render::chart::{load_values, schema_violations};
use crate::source::Span;
use crate::yaml::NodeRef;

/// The chart's own `values.yaml` fails its `values.schema.json` (helm lint's values rule):
/// `helm install` without values of its own fails. One finding per error, at the values key.
pub struct ValuesSchemaViolation;

impl Check for ValuesSchemaViolation {
    fn scope(&self) -> Scope {
        Scope::Chart
    }
    fn check_chart(
        &self,
        chart: &ChartUnit,
        _set: &ObjectSet,
        cx: &CheckContext,
        out: &mut Vec<(Option<usize>, Violation)>,
    ) {
        if !chart.has_schema || chart_file(chart).is_none() {
            return;
        }
        let Some(doc) = chart.values_yaml.as_ref() else { return };
        let Some(root) = doc.root() else { return };
        // All documents of the file, merged as Helm reads them; an unreadable file or schema is
        // chart-render-error's to report.
        let text = &cx.sources.get(doc.file).text;
        let Ok(values) = load_values("values.yaml", text.as_bytes()) else { return };
        // `has_schema` says the file is the chart's own (not a link leaving the chart).
        let Ok(schema) = crate::fsread::read(&chart.dir.join("values.schema.json")) else { return };
        let Ok(errors) = schema_violations(&values.merged, &schema) else { return };
        // One finding per location: `type` and `enum` failing on one key are one problem.
        let mut by_location: Vec<(String, Vec<String>)> = Vec::new();
        for e in errors {
            match by_location.iter_mut().find(|(l, _)| *l == e.location) {
                Some((_, messages)) => messages.push(e.message),
                None => by_location.push((e.location, vec![e.message])),
            }
        }
        for (location, messages) in by_location {
            let at = if location.is_empty() { String::new() } else { format!(" at '{location}'") };
            out.push((
                None,
                Violation::new(
                    span_of(root, &location),
                    format!("default values do not match values.schema.json{at}: {}", messages.join("; ")),
                ),
            ));
        }
    }
}

/// The key (or list item) a JSON pointer leads to, as deep as the file has it; the first key
/// for the root.
fn span_of(root: NodeRef<'_>, pointer: &str) -> Span {
    let mut node = root;
    let mut span = root.entries().next().map_or_else(|| root.span(), |(k, _)| k.span());
    for token in pointer.split('/').skip(1) {
        let token = token.replace("~1", "/").replace("~0", "~");
        let next = if node.is_sequence() {
            token.parse::<usize>().ok().and_then(|i| node.items().nth(i)).map(|item| (item.span(), item))
        } else {
            node.entry(&token).map(|(k, v)| (k.span(), v))
        };
        let Some((s, n)) = next else { break };
        span = s;
        node = n;
    }
    span
}
