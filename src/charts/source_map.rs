//! Findings on a rendered chart point at the line a person edits: the template text that
//! produced the object, or the values key whose value was printed. The render's source map
//! (thread-local, `Rc`-based) is flattened here into plain data that crosses threads.

use std::collections::HashMap;
use std::sync::Arc;

use crate::render::helm::{Rendered, ValuesOrigin};
use crate::render::template::trace::{Origin, Via};

/// A template action: Helm's template name (`mychart/templates/x.yaml`) and its bytes.
pub type Action = (Arc<str>, u32, u32);

/// The `include`/`tpl` calls a span was rendered through, outermost first.
pub type IncludeChain = Arc<[Action]>;

/// Where a span of the rendered stream came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mapped {
    /// Template `file` (Helm's name, `mychart/templates/x.yaml`), bytes `start..end`.
    Template { file: Arc<str>, start: u32, end: u32, via: Option<IncludeChain> },
    /// Printed from values key `path`, set at `origin`, by the action at `action` of a template.
    Value { path: Arc<str>, origin: Option<ValuesOrigin>, action: Action, via: Option<IncludeChain> },
}

#[derive(Debug)]
enum SegOrigin {
    Text { file: Arc<str>, pos: u32 },
    Action { file: Arc<str>, pos: u32, end: u32 },
    Value { path: Arc<str>, file: Arc<str>, pos: u32, end: u32 },
}

#[derive(Debug)]
struct Seg {
    start: u32,
    end: u32,
    origin: SegOrigin,
    via: Option<IncludeChain>,
}

#[derive(Debug)]
struct DocMap {
    stream_start: usize,
    stream_end: usize,
    template_offset: usize,
    segments: Vec<Seg>,
}

/// The source map of one rendered stream.
#[derive(Debug, Default)]
pub struct StreamMap {
    docs: Vec<DocMap>,
    values: HashMap<Arc<str>, ValuesOrigin>,
}

impl StreamMap {
    /// Flatten a render's source map; `locate` resolves a values path to where it was set.
    pub fn from_rendered(r: &Rendered, locate: impl Fn(&str) -> Option<ValuesOrigin>) -> StreamMap {
        let mut interned: HashMap<String, Arc<str>> = HashMap::new();
        let mut intern =
            |s: &str| -> Arc<str> { Arc::clone(interned.entry(s.to_string()).or_insert_with(|| Arc::from(s))) };
        let mut values = HashMap::new();
        // Chains are shared in the render; flatten each once.
        let mut chains: HashMap<*const Via, IncludeChain> = HashMap::new();
        let mut docs = Vec::with_capacity(r.documents.len());
        for d in &r.documents {
            let segments = r.source_maps.get(&d.template).map(Vec::as_slice).unwrap_or(&[]);
            let segments =
                segments
                    .iter()
                    .map(|s| Seg {
                        start: s.start,
                        end: s.end,
                        via: s.via.as_ref().map(|v| {
                            Arc::clone(chains.entry(std::rc::Rc::as_ptr(v)).or_insert_with(|| {
                                v.chain().map(|hop| (intern(&hop.file), hop.pos, hop.end)).collect()
                            }))
                        }),
                        origin: match &s.origin {
                            Origin::Text { file, pos } => SegOrigin::Text { file: intern(file), pos: *pos },
                            Origin::Action { file, pos, end } => {
                                SegOrigin::Action { file: intern(file), pos: *pos, end: *end }
                            }
                            Origin::Value { path, file, pos, end } => {
                                let path = intern(path);
                                if !values.contains_key(&path) {
                                    if let Some(o) = locate(&path) {
                                        values.insert(Arc::clone(&path), o);
                                    }
                                }
                                SegOrigin::Value { path, file: intern(file), pos: *pos, end: *end }
                            }
                        },
                    })
                    .collect();
            docs.push(DocMap {
                stream_start: d.stream_start,
                stream_end: d.stream_end,
                template_offset: d.template_offset,
                segments,
            });
        }
        StreamMap { docs, values }
    }

    /// The document holding stream byte `start`, and that byte's offset in its template's output.
    fn doc_at(&self, start: usize) -> Option<(&DocMap, u32)> {
        let doc = self.docs.iter().find(|d| d.stream_start <= start && start < d.stream_end)?;
        Some((doc, (doc.template_offset + start - doc.stream_start) as u32))
    }

    /// The origin of stream bytes `start..end`: a printed value first (the most specific
    /// thing to edit), then literal template text, then the action that printed it.
    pub fn map(&self, start: usize, end: usize) -> Option<Mapped> {
        let (doc, at) = self.doc_at(start)?;
        let len = end.saturating_sub(start) as u32;
        // A value printed inside the span is what a person edits (`image: "{{ repo }}:{{ tag }}"`
        // reported on the image: the tag, printed last); else the text or action at its start.
        let value = doc
            .segments
            .iter()
            .filter(|s| matches!(s.origin, SegOrigin::Value { .. }) && s.start < at + len.max(1) && at < s.end)
            .max_by_key(|s| (s.start, std::cmp::Reverse(s.end - s.start)));
        let best = value.or_else(|| Self::at_start(doc, at, true))?;
        Some(self.mapped(best, at, len))
    }

    /// The template text or action that wrote stream byte `start`, whatever values it
    /// printed: where something absent belongs (the container's `- name:` line).
    pub fn map_template(&self, start: usize) -> Option<Mapped> {
        let (doc, at) = self.doc_at(start)?;
        let best = Self::at_start(doc, at, false)?;
        Some(self.mapped(best, at, 1))
    }

    /// The values paths printed inside stream bytes `start..end`, in output order.
    pub fn printed(&self, start: usize, end: usize) -> Vec<Arc<str>> {
        let Some((doc, at)) = self.doc_at(start) else { return Vec::new() };
        let until = at + end.saturating_sub(start) as u32;
        doc.segments
            .iter()
            .filter(|s| s.start < until && at < s.end)
            .filter_map(|s| match &s.origin {
                SegOrigin::Value { path, .. } => Some(Arc::clone(path)),
                _ => None,
            })
            .collect()
    }

    /// The narrowest segment covering `at`: values first when `values`, then text, then actions.
    fn at_start(doc: &DocMap, at: u32, values: bool) -> Option<&Seg> {
        doc.segments.iter().filter(|s| s.start <= at && at < s.end).min_by_key(|s| {
            let rank = match s.origin {
                SegOrigin::Value { .. } if values => 0,
                SegOrigin::Value { .. } => 3,
                SegOrigin::Text { .. } => 1,
                SegOrigin::Action { .. } => 2,
            };
            (rank, s.end - s.start)
        })
    }

    fn mapped(&self, best: &Seg, at: u32, len: u32) -> Mapped {
        match &best.origin {
            SegOrigin::Text { file, pos } => {
                let from = pos + at.saturating_sub(best.start);
                let to = pos + (best.end - best.start).min(at.saturating_sub(best.start) + len.max(1));
                Mapped::Template { file: Arc::clone(file), start: from, end: to, via: best.via.clone() }
            }
            SegOrigin::Action { file, pos, end } => {
                Mapped::Template { file: Arc::clone(file), start: *pos, end: *end, via: best.via.clone() }
            }
            SegOrigin::Value { path, file, pos, end } => Mapped::Value {
                path: Arc::clone(path),
                origin: self.values.get(path).cloned(),
                action: (Arc::clone(file), *pos, *end),
                via: best.via.clone(),
            },
        }
    }
}
