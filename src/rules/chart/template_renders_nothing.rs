use std::rc::Rc;

use crate::charts::ChartUnit;
use crate::check::{Check, CheckContext, Scope};
use crate::finding::Violation;
use crate::model::ObjectSet;
use crate::render::template::parse::{parse, Node};
use crate::source::Span;

/// A manifest template (`templates/*.yaml`, not a `_` partial) that rendered nothing and has
/// nothing that could ever make it render: no `if`/`with`/`range`, no `template`/`block`, no
/// action printing a value. Usually helpers in a file Helm renders as a manifest, or an empty
/// file. A template that is empty only because of a toggle has an `if` and never fires.
pub struct TemplateRendersNothing;

impl Check for TemplateRendersNothing {
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
        if chart.variant.is_some() {
            return;
        }
        for t in chart.templates.iter().filter(|t| t.empty) {
            // The chart's own templates (not its subcharts'), as files on disk.
            let Some(rel) = t.name.split_once('/').map(|(_, r)| r).filter(|r| r.starts_with("templates/")) else {
                continue;
            };
            let Some(&file) = chart.template_files.get(t.name.as_str()) else { continue };
            if !(t.name.ends_with(".yaml") || t.name.ends_with(".yml")) || !chart.dir.join(rel).is_file() {
                continue;
            }
            let text = &cx.sources.get(file).text;
            // Any identifier may be a function here: a parse error is the render's to report.
            let Ok(trees) = parse(&t.name, Rc::from(text.as_ref()), &|_| true) else { continue };
            let Some(main) = trees.iter().find(|tree| tree.name == t.name) else { continue };
            if !main.root.iter().all(prints_nothing) {
                continue;
            }
            // More trees than the file's own: it `define`s templates.
            let message = if trees.len() > 1 {
                let base = rel.rsplit('/').next().unwrap_or(rel);
                let stem = base.rsplit_once('.').map_or(base, |(s, _)| s);
                format!("{rel} only defines templates and can never render a manifest: rename it to `_{stem}.tpl`, the name Helm keeps for helpers")
            } else {
                format!("{rel} can never render anything (no content, and no `if`, `with` or `range`): delete it, or give it content")
            };
            out.push((None, Violation::new(Span::new(file, 0, 0), message)));
        }
    }
}

/// Top-level nodes that can never produce output: text (white space and comments, since the
/// template rendered nothing), and variable declarations.
fn prints_nothing(node: &Node) -> bool {
    match node {
        Node::Text { .. } => true,
        Node::Action { pipe, .. } => !pipe.decl.is_empty(),
        _ => false,
    }
}
