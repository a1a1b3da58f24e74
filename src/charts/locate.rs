//! Where a finding on a rendered chart goes: the line a person edits. A value printed where
//! the rule looked points at its values key (with the template action as the other side); a
//! field that is absent points at the values key the chart exposes for it, else at the
//! template line of the container or object where it belongs; anything else at the template
//! text or action that wrote it. Every step on the way (the action, each `include` call, the
//! rendered output) becomes a related location.

use std::sync::Arc;

use super::source_map::{IncludeChain, Mapped, StreamMap};
use super::{ChartUnit, RunContext};
use crate::finding::{Finding, Related};
use crate::model::ObjectSet;
use crate::render::helm::ValuesOrigin;
use crate::source::{FileId, SourceFile, Sources, Span};

/// A chart-source location for a span of a rendered stream.
pub struct Located {
    pub span: Span,
    /// The `.Values` path behind the location (printed there, or exposed for an absent field).
    pub values_path: Option<Arc<str>>,
    /// Appended to the finding's message: which values path (or `--set` flag) it is about.
    pub note: Option<String>,
    /// The other side: template action, include calls.
    pub trail: Vec<Related>,
}

impl RunContext {
    /// Move a finding on a rendered stream to the chart file a person edits. Spans that cannot
    /// be mapped stay on the rendered stream.
    pub fn relocate(&self, finding: &mut Finding, set: &ObjectSet, sources: &Sources) {
        let chart_of = |file: FileId| self.charts.iter().find(|c| c.stream == Some(file));
        for r in &mut finding.related {
            if let Some(found) = chart_of(r.span.file).and_then(|c| c.locate(r.span, None, sources)) {
                r.span = found.span;
            }
        }
        let Some(chart) = chart_of(finding.span.file) else { return };
        let object = finding.object_index.and_then(|i| set.objects.get(i));
        let absent = (!finding.missing.is_empty()).then(|| Absent {
            fields: &finding.missing,
            at_anchor: finding.missing_at_anchor,
            scope: object.map_or(finding.span, |o| scope_span(o, finding.span)),
        });
        let Some(found) = chart.locate(finding.span, absent, sources) else { return };
        let rendered = finding.span;
        finding.span = found.span;
        if let Some(note) = found.note {
            finding.message.push_str(&note);
        }
        finding.values_path = found.values_path;
        let mut trail = found.trail;
        let shown = match object.and_then(|o| o.origin.rendered_from.as_deref()) {
            Some(template) => format!("rendered output (# Source: {template})"),
            None => "rendered output".to_string(),
        };
        trail.push(Related::trail(rendered, shown));
        finding.related.splice(0..0, trail);
    }
}

/// The rendered span whose printed values tell which part of the values a finding is about:
/// the container holding the finding's span, else the whole object.
fn scope_span(object: &crate::model::Object, span: Span) -> Span {
    let inside = |s: Span| s.file == span.file && s.start <= span.start && span.end <= s.end;
    object
        .pod_spec()
        .into_iter()
        .flat_map(|p| p.containers())
        .map(|c| c.node.span())
        .find(|s| inside(*s))
        .unwrap_or_else(|| object.node().span())
}

/// What a finding about absent fields tells [`ChartUnit::locate`].
pub struct Absent<'a> {
    /// The fields that would fix it (see [`crate::finding::Violation::missing`]).
    pub fields: &'a [String],
    /// The span is only an anchor (a container's `name:`), not a field that explains it.
    pub at_anchor: bool,
    /// The rendered container or object around the span.
    pub scope: Span,
}

impl ChartUnit {
    /// The chart-source location behind `span` of this chart's rendered stream.
    pub fn locate(&self, span: Span, absent: Option<Absent<'_>>, sources: &Sources) -> Option<Located> {
        let map = self.map.as_ref()?;
        if let Some(absent) = absent {
            if let Some(found) = self.locate_absent(map, span, &absent, sources) {
                return Some(found);
            }
        }
        match map.map(span.start as usize, span.end as usize)? {
            Mapped::Template { file, start, end, via } => {
                let id = *self.template_files.get(&file)?;
                Some(Located {
                    span: Span::new(id, start, end.max(start)),
                    values_path: None,
                    note: None,
                    trail: self.include_chain(via.as_ref()),
                })
            }
            Mapped::Value { path, origin, action: (file, pos, end), via } => {
                let action = self.template_files.get(&file).map(|id| Span::new(*id, pos, end));
                let mut trail = self.include_chain(via.as_ref());
                let (key, note) = match &origin {
                    Some(ValuesOrigin::File { name, line, column }) => (
                        self.values_files.get(name).and_then(|id| key_span(sources.get(*id), *id, *line, *column)),
                        format!(" (from `.Values.{path}`)"),
                    ),
                    Some(ValuesOrigin::Flag(flag)) => (None, format!(" (from `.Values.{path}`, set by `{flag}`)")),
                    None => (None, format!(" (from `.Values.{path}`)")),
                };
                let span = match (key, action) {
                    (Some(key), Some(action)) => {
                        trail.insert(0, Related::trail(action, format!("`.Values.{path}` is printed here")));
                        key
                    }
                    (Some(key), None) => key,
                    (None, Some(action)) => action,
                    (None, None) => return None,
                };
                Some(Located { span, values_path: Some(path), note: Some(note), trail })
            }
        }
    }

    /// An absent field: the values key the chart exposes for it, with the template line where
    /// it belongs as the other side; without such a key, that template line when the span is
    /// only an anchor (else `None`: the span's own origin explains the finding).
    fn locate_absent(&self, map: &StreamMap, span: Span, absent: &Absent<'_>, sources: &Sources) -> Option<Located> {
        let template = match map.map_template(span.start as usize) {
            Some(Mapped::Template { file, start, end, via }) => {
                self.template_files.get(&file).map(|id| (Span::new(*id, start, end.max(start)), via))
            }
            _ => None,
        };
        let exposed =
            self.exposed_key(map, absent.fields, absent.scope, sources).and_then(|(path, origin)| match origin {
                ValuesOrigin::File { name, line, column } => {
                    let id = *self.values_files.get(name)?;
                    Some((path, key_span(sources.get(id), id, *line, *column)?))
                }
                ValuesOrigin::Flag(_) => None,
            });
        match (exposed, template) {
            (Some((path, key)), template) => {
                let mut trail = Vec::new();
                if let Some((at, via)) = template {
                    trail.push(Related::trail(at, format!("rendered here without `{}`", absent.fields[0])));
                    trail.extend(self.include_chain(via.as_ref()));
                }
                let note = format!(" (the chart exposes `.Values.{path}` for it)");
                Some(Located { span: key, values_path: Some(Arc::from(path)), note: Some(note), trail })
            }
            (None, Some((at, via))) if absent.at_anchor => {
                Some(Located { span: at, values_path: None, note: None, trail: self.include_chain(via.as_ref()) })
            }
            _ => None,
        }
    }

    /// The values key a chart exposes for one of the `missing` fields of the part of its
    /// output in `scope`: one the template text of that part reads (`.Values.init.resources`),
    /// else one under the values that part prints (the deepest common parent of its printed
    /// paths, then that parent's ancestors); most specific field first.
    fn exposed_key(
        &self,
        map: &StreamMap,
        missing: &[String],
        scope: Span,
        sources: &Sources,
    ) -> Option<(String, &ValuesOrigin)> {
        let known = |path: String| self.values_keys.get(&path).map(|origin| (path, origin));
        if let Some((text, prefix)) = self.template_text(map, scope, sources) {
            // A subchart's templates read its values under its name in the parent's.
            let read: Vec<String> = values_references(text).iter().map(|p| format!("{prefix}{p}")).collect();
            let found = missing.iter().find_map(|field| {
                read.iter()
                    .find(|p| *p == field || p.strip_suffix(field.as_str()).is_some_and(|rest| rest.ends_with('.')))
                    .and_then(|p| known(p.clone()))
            });
            if found.is_some() {
                return found;
            }
        }
        let printed = map.printed(scope.start as usize, scope.end as usize);
        // `global` values are shared by every part of a chart: they say nothing about scope.
        let parents = printed.iter().filter(|p| !p.split('.').any(|s| s == "global")).map(|p| parent(p));
        let common = parents.reduce(|a, b| common_prefix(a, b))?;
        let mut scopes: Vec<&str> = Vec::new();
        let mut at = common;
        loop {
            scopes.push(at);
            // The top level is only this part's own when nothing narrower was printed.
            if at.is_empty() || !at.contains('.') {
                break;
            }
            at = parent(at);
        }
        scopes.iter().find_map(|scope| {
            missing
                .iter()
                .find_map(|field| known(if scope.is_empty() { field.clone() } else { format!("{scope}.{field}") }))
        })
    }

    /// The template text that wrote rendered `scope`, when one template wrote all of it (what
    /// it `include`s counts as the include call).
    fn template_text<'s>(&self, map: &StreamMap, scope: Span, sources: &'s Sources) -> Option<(&'s str, String)> {
        // (file, start, end) in the template that wrote the byte, seen from the outermost call.
        let outermost = |at: usize| match map.map_template(at)? {
            Mapped::Template { via: Some(chain), .. } => chain.first().cloned(),
            Mapped::Template { file, start, end, .. } => Some((file, start, end)),
            Mapped::Value { .. } => None,
        };
        let (file, start, _) = outermost(scope.start as usize)?;
        let (last, _, end) = outermost((scope.end as usize).checked_sub(1)?)?;
        if file != last {
            return None;
        }
        let id = self.template_files.get(&file)?;
        let text = sources.get(*id).text.get(start as usize..end as usize)?;
        Some((text, values_prefix(&file)))
    }

    /// Related locations for the `include`/`tpl` calls a span was rendered through.
    fn include_chain(&self, via: Option<&IncludeChain>) -> Vec<Related> {
        via.into_iter()
            .flat_map(|chain| chain.iter())
            .filter_map(|(file, pos, end)| {
                let id = self.template_files.get(file)?;
                Some(Related::trail(Span::new(*id, *pos, *end), "included from here"))
            })
            .collect()
    }
}

/// Where a template's `.Values` sit in the top chart's values: `` for the top chart's own
/// templates, `redis-ha.` for `argo-cd/charts/redis-ha/templates/x.yaml` (as the render's trace
/// names them).
fn values_prefix(template: &str) -> String {
    let chart = template.split("/templates/").next().unwrap_or("");
    chart.split("/charts/").skip(1).map(|c| format!("{c}.")).collect()
}

/// The dotted paths of `.Values.a.b` references in template text, in order.
fn values_references(text: &str) -> Vec<&str> {
    text.match_indices(".Values.")
        .map(|(i, m)| {
            let rest = &text[i + m.len()..];
            let len = rest.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.')).unwrap_or(rest.len());
            rest[..len].trim_end_matches('.')
        })
        .filter(|p| !p.is_empty())
        .collect()
}

/// `a.b.c` → `a.b`; `a` → ``.
fn parent(path: &str) -> &str {
    // List elements (`a.b[0]`) belong to their list's parent.
    let path = path.split_once('[').map_or(path, |(p, _)| p);
    path.rsplit_once('.').map_or("", |(p, _)| p)
}

/// The longest common dotted prefix of two paths.
fn common_prefix<'a>(a: &'a str, b: &str) -> &'a str {
    let (mut end, mut at) = (0, 0);
    for (x, y) in a.split('.').zip(b.split('.')) {
        if x != y {
            break;
        }
        at += x.len();
        end = at;
        at += 1;
    }
    &a[..end]
}

/// The key (or list item) at 1-based `line` and (char) `column` of a values file.
fn key_span(file: &SourceFile, id: FileId, line: u32, column: u32) -> Option<Span> {
    let line_start = file.line_start(line.checked_sub(1)? as usize) as usize;
    let text = file.text.get(line_start..)?;
    let start = line_start + text.char_indices().nth(column.checked_sub(1)? as usize).map_or(0, |(i, _)| i);
    let rest = file.text.get(start..)?;
    // A key ends at its `:`; a list item (`[a, b]` or `- a`) at the next separator.
    let len = rest.find([':', '\n', ',', ']', '}']).unwrap_or(rest.len());
    Some(Span::new(id, start as u32, (start + len) as u32))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parents_and_common_prefixes() {
        assert_eq!(parent("controller.image.tag"), "controller.image");
        assert_eq!(parent("tag"), "");
        assert_eq!(parent("extraEnv[0].value"), "");
        assert_eq!(common_prefix("controller.image", "controller.resources"), "controller");
        assert_eq!(common_prefix("server", "server"), "server");
        assert_eq!(common_prefix("server", "serverless"), "");
        assert_eq!(common_prefix("", "a"), "");
    }

    #[test]
    fn values_references_in_template_text() {
        let text = "resources: {{ toYaml .Values.init.resources | nindent 10 }}\n{{ $.Values.a.b_c. }}";
        assert_eq!(values_references(text), vec!["init.resources", "a.b_c"]);
        assert_eq!(values_prefix("argo-cd/charts/redis-ha/templates/x.yaml"), "redis-ha.");
        assert_eq!(values_prefix("argo-cd/templates/x.yaml"), "");
    }
}
