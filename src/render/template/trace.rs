//! The render source map: which template text, action and values key produced each span of
//! a template's output. Recorded only when asked for (`Engine::with_trace`).
//!
//! Values provenance rides on identity: maps and lists are shared `Rc`s, so a table from
//! pointer to values path, built once per render, tells every lookup which values key it
//! reads, through variables, `with` and `range` alike. Each action's lookups are then located
//! in the text it printed (in order; the leaves of a subtree for `toYaml`), and the segments
//! of `include`/`tpl` output are located again in the caller's output (surviving `nindent`).

use std::collections::HashMap;
use std::rc::Rc;

use crate::render::value::Value;

/// Where a span of output came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Literal template text; output offset `k` in the segment is template byte `pos + k`.
    Text { file: Rc<str>, pos: u32 },
    /// Printed by the action at `pos..end` of `file`.
    Action { file: Rc<str>, pos: u32, end: u32 },
    /// The value at `path` (dotted values path, e.g. `image.tag`), printed by the action at
    /// `pos..end` of `file`.
    Value { path: Rc<str>, file: Rc<str>, pos: u32, end: u32 },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    pub start: u32,
    pub end: u32,
    pub origin: Origin,
    /// The `include`/`tpl` calls the segment was rendered through, outermost first (`None`
    /// when it was written by the template itself).
    pub via: Option<Rc<Via>>,
}

/// One `include`/`tpl` call on the way to a segment: the action at `pos..end` of `file`,
/// then the calls inside what it rendered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Via {
    pub file: Rc<str>,
    pub pos: u32,
    pub end: u32,
    pub inner: Option<Rc<Via>>,
}

impl Via {
    /// The calls, outermost first.
    pub fn chain(self: &Rc<Via>) -> impl Iterator<Item = &Via> {
        std::iter::successors(Some(&**self), |v| v.inner.as_deref())
    }
}

pub(super) enum Event {
    Lookup { path: Rc<str>, value: Value },
    Included { text: String, segments: Vec<Segment> },
}

#[derive(Default)]
pub(super) struct Tracer {
    /// Map/list pointer → values path.
    paths: HashMap<usize, Rc<str>>,
    /// Segments of the output buffers being written (innermost last).
    pub(super) buffers: Vec<Vec<Segment>>,
    /// Lookups and includes of the action being evaluated.
    pub(super) events: Vec<Event>,
}

fn ptr(v: &Value) -> Option<usize> {
    match v {
        Value::Map(m) => Some(Rc::as_ptr(m) as *const u8 as usize),
        Value::List(l) => Some(Rc::as_ptr(l) as *const u8 as usize),
        _ => None,
    }
}

pub(super) fn child_path(parent: &str, key: &str) -> Rc<str> {
    if parent.is_empty() {
        Rc::from(key)
    } else {
        Rc::from(format!("{parent}.{key}"))
    }
}

impl Tracer {
    /// Register a values map or list under `path`. Only roots are registered up front; the
    /// containers below them are registered as lookups and `range` reach them, so the cost
    /// follows what templates read, not the size of the values.
    pub(super) fn register(&mut self, value: &Value, path: &str) {
        if let Some(p) = ptr(value) {
            self.paths.entry(p).or_insert_with(|| Rc::from(path));
        }
    }

    /// Register the elements of a registered container being ranged over.
    pub(super) fn ranged(&mut self, container: &Value, key: &Value, elem: &Value) {
        let Some(p) = ptr(elem) else { return };
        if let Some(path) = self.path_of(container) {
            let child = match key {
                Value::Int(i) => Rc::from(format!("{path}[{i}]")),
                other => child_path(&path, &other.to_string()),
            };
            self.paths.entry(p).or_insert(child);
        }
    }

    pub(super) fn path_of(&self, v: &Value) -> Option<Rc<str>> {
        ptr(v).and_then(|p| self.paths.get(&p).cloned())
    }

    /// An intermediate step of a field chain: register the container it reaches.
    pub(super) fn descended(&mut self, parent: &Value, key: &str, value: &Value) {
        let Some(p) = ptr(value) else { return };
        if self.paths.contains_key(&p) {
            return;
        }
        if let Some(path) = self.path_of(parent) {
            self.paths.insert(p, child_path(&path, key));
        }
    }

    /// A lookup of `key` on a registered map.
    pub(super) fn looked_up(&mut self, parent: &Value, key: &str, value: &Value) {
        if let Some(path) = self.path_of(parent) {
            let path = child_path(&path, key);
            if let Some(p) = ptr(value) {
                self.paths.entry(p).or_insert_with(|| Rc::clone(&path));
            }
            self.events.push(Event::Lookup { path, value: value.clone() });
        }
    }

    pub(super) fn push(&mut self, seg: Segment) {
        if let Some(b) = self.buffers.last_mut() {
            b.push(seg);
        }
    }

    /// Attribute an action's output `printed` (at `base` in its buffer) to the lookups and
    /// includes that happened while it was evaluated.
    pub(super) fn attribute(
        &mut self,
        events: Vec<Event>,
        printed: &str,
        base: u32,
        file: &Rc<str>,
        pos: u32,
        end: u32,
    ) {
        let mut cursor = 0usize;
        for e in events {
            match e {
                Event::Lookup { path, value } => {
                    let mut leaves = Vec::new();
                    collect_leaves(&value, &path, &mut leaves);
                    for (leaf_path, text) in leaves {
                        if let Some((s, e)) = find_from(printed, &text, cursor) {
                            cursor = e;
                            let origin = Origin::Value { path: leaf_path, file: Rc::clone(file), pos, end };
                            self.push(Segment { start: base + s as u32, end: base + e as u32, origin, via: None });
                        }
                    }
                }
                Event::Included { text, segments } => {
                    let lines = place_lines(&text, printed, &mut cursor);
                    // Segments the helper wrote itself share one call record.
                    let direct = Rc::new(Via { file: Rc::clone(file), pos, end, inner: None });
                    for seg in segments {
                        let via = Some(match &seg.via {
                            None => Rc::clone(&direct),
                            inner => Rc::new(Via { file: Rc::clone(file), pos, end, inner: inner.clone() }),
                        });
                        let (from, to) = (seg.start as usize, seg.end as usize);
                        let first = lines.partition_point(|l| l.from + l.len <= from);
                        for line in lines[first..].iter().take_while(|l| l.from < to) {
                            // The part of the segment on this line, moved to where the line landed.
                            let (a, b) = (from.max(line.from), to.min(line.from + line.len));
                            let origin = match &seg.origin {
                                Origin::Text { file, pos } => {
                                    Origin::Text { file: Rc::clone(file), pos: pos + (a - from) as u32 }
                                }
                                other => other.clone(),
                            };
                            let start = base + (line.at + a - line.from) as u32;
                            let end = base + (line.at + b - line.from) as u32;
                            self.push(Segment { start, end, origin, via: via.clone() });
                        }
                    }
                }
            }
        }
    }
}

/// Where one line of included text landed in the caller's output: its content (without
/// surrounding whitespace) at `from..from + len` of the included text is at `at`.
struct PlacedLine {
    from: usize,
    len: usize,
    at: usize,
}

/// Place each line of an `include`/`tpl` result in the text the caller printed, in order and
/// by content: indentation may have changed (`nindent`), and the caller may have printed more
/// before the first line and after the last. Later lines must start a printed line (a
/// substring search would match inside other lines: `/` in `/var/log`); a line the caller
/// transformed (`upper`, `b64enc`) is skipped, looking a few lines ahead to resynchronise.
fn place_lines(text: &str, printed: &str, cursor: &mut usize) -> Vec<PlacedLine> {
    const LOOKAHEAD: usize = 16;
    let mut lines = Vec::new();
    let mut offset = 0usize;
    for line in text.split_inclusive('\n') {
        let content = line.trim();
        let from = offset + (line.len() - line.trim_start().len());
        offset += line.len();
        if content.is_empty() {
            continue;
        }
        let rest = printed.get(*cursor..).unwrap_or("");
        let found = if lines.is_empty() {
            rest.find(content).map(|i| *cursor + i)
        } else {
            // The starts of the next printed lines (the current one's remainder first).
            let mut starts = Vec::with_capacity(LOOKAHEAD);
            let mut at = *cursor;
            for piece in rest.split_inclusive('\n').take(LOOKAHEAD) {
                starts.push(at + (piece.len() - piece.trim_start().len()));
                at += piece.len();
            }
            starts.into_iter().find(|&s| printed.get(s..).is_some_and(|p| p.starts_with(content)))
        };
        if let Some(at) = found {
            *cursor = at + content.len();
            lines.push(PlacedLine { from, len: content.len(), at });
        }
    }
    lines
}

/// Scalars of a value with their paths, in the order `toYaml` prints them (sorted keys).
fn collect_leaves(v: &Value, path: &Rc<str>, out: &mut Vec<(Rc<str>, String)>) {
    match v {
        Value::Map(m) => {
            for (k, c) in m.borrow().iter() {
                collect_leaves(c, &child_path(path, k), out);
            }
        }
        Value::List(l) => {
            for (i, c) in l.iter().enumerate() {
                collect_leaves(c, &Rc::from(format!("{path}[{i}]")), out);
            }
        }
        Value::Nil => {}
        other => {
            let text = other.to_string();
            if !text.is_empty() {
                out.push((Rc::clone(path), text));
            }
        }
    }
}

fn find_from(hay: &str, needle: &str, from: usize) -> Option<(usize, usize)> {
    let from = from.min(hay.len());
    hay.get(from..)
        .and_then(|rest| rest.find(needle).map(|i| (from + i, from + i + needle.len())))
        .or_else(|| hay.find(needle).map(|i| (i, i + needle.len())))
}
