//! Build [`Document`]s from saphyr-parser events.
//!
//! The stream is first cut at document markers (`---`/`%` at column 0, which YAML forbids
//! inside any document content), and each piece gets its own parser: one broken document
//! cannot hide the others, and pieces can be parsed in parallel.

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Span as PSpan};

use super::scalar::{Style, Tag};
use super::tree::{Document, Kind, Node, NodeId, FLAG_IRREGULAR};
use crate::source::{FileId, Span};

/// Cap on nodes that aliases may add to one document (billion-laughs guard).
pub const MAX_ALIAS_EXPANSION: u64 = 1_000_000;
/// Cap on nesting depth (stack-exhaustion guard for `[[[[...]]]]`).
pub const MAX_DEPTH: usize = 512;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YamlError {
    pub span: Span,
    pub message: String,
}

/// One document's outcome.
pub type DocResult = Result<Document, YamlError>;

/// Byte ranges of the pieces a stream is cut into.
pub fn split_documents(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut cuts = vec![0usize];
    let mut in_directives = false;
    let mut line_start = 0usize;
    while line_start < bytes.len() {
        let line_end = memchr(b'\n', &bytes[line_start..]).map_or(bytes.len(), |i| line_start + i + 1);
        let line = &bytes[line_start..line_end];
        let is_marker =
            line.starts_with(b"---") && line.get(3).is_none_or(|c| matches!(c, b' ' | b'\t' | b'\r' | b'\n'));
        let is_directive = line.first() == Some(&b'%');
        if is_directive && !in_directives {
            cuts.push(line_start);
            in_directives = true;
        } else if is_marker {
            if !in_directives {
                cuts.push(line_start);
            }
            in_directives = false;
        }
        line_start = line_end;
    }
    cuts.push(bytes.len());
    cuts.dedup();
    cuts.windows(2).map(|w| (w[0], w[1])).filter(|(a, b)| b > a).collect()
}

fn memchr(needle: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|&b| b == needle)
}

/// Parse one piece of a stream (at byte `base` of file `file`) into documents.
/// `first_index` numbers the documents. Errors end the piece: a parser cannot resume.
pub fn parse_piece(file: FileId, text: &str, base: usize, first_index: u32) -> Vec<DocResult> {
    let offsets = OffsetMap::new(text, base);
    let mut builder = Builder::new(file, text, &offsets, first_index);
    let mut parser = Parser::new_from_str(text);
    loop {
        match parser.next_event() {
            None => break,
            Some(Ok((event, span))) => {
                if let Err(e) = builder.event(event, span) {
                    builder.fail(e);
                    break;
                }
            }
            Some(Err(e)) => {
                let mut error = scan_error(file, &offsets, &e);
                error.span = pull_back_from_piece_end(text, base, error.span);
                builder.fail(error);
                break;
            }
        }
    }
    builder.finish(text.len() + base)
}

/// Unclosed brackets and quotes are only noticed at the end of the piece (the next `---`).
/// Point at the end of the last content line instead: that is the line a person edits.
fn pull_back_from_piece_end(text: &str, base: usize, span: Span) -> Span {
    let local = (span.start as usize).saturating_sub(base).min(text.len());
    let rest = &text[local..];
    let at_end = rest.trim().is_empty() || rest.trim_start().starts_with("---") && rest.lines().count() <= 1;
    if !at_end {
        return span;
    }
    let content_end = text[..local]
        .lines()
        .map(|l| (l, l.len()))
        .scan(0usize, |off, (l, len)| {
            let start = *off;
            *off += len + 1;
            Some((start, l))
        })
        .filter(|(_, l)| {
            let t = l.trim();
            !t.is_empty() && !t.starts_with('#') && !t.starts_with("---")
        })
        .last()
        .map(|(start, l)| start + l.split(" #").next().unwrap_or(l).trim_end().len());
    match content_end {
        Some(end) => Span::new(span.file, (base + end) as u32, (base + end) as u32),
        None => span,
    }
}

fn scan_error(file: FileId, offsets: &OffsetMap, e: &ScanError) -> YamlError {
    let at = offsets.byte(e.marker().index());
    YamlError { span: Span::new(file, at, at), message: e.info().to_string() }
}

/// Maps saphyr's character indices to byte offsets in the file.
struct OffsetMap {
    base: usize,
    /// (char index of a non-ASCII char, extra bytes of all non-ASCII chars up to and including it)
    wide: Vec<(u32, u32)>,
}

impl OffsetMap {
    fn new(text: &str, base: usize) -> Self {
        let mut wide = Vec::new();
        if !text.is_ascii() {
            let mut extra = 0u32;
            for (ci, c) in text.chars().enumerate() {
                let len = c.len_utf8() as u32;
                if len > 1 {
                    extra += len - 1;
                    wide.push((ci as u32, extra));
                }
            }
        }
        OffsetMap { base, wide }
    }

    fn byte(&self, char_index: usize) -> u32 {
        let ci = char_index as u32;
        let before = self.wide.partition_point(|&(i, _)| i < ci);
        let extra = if before == 0 { 0 } else { self.wide[before - 1].1 };
        (self.base as u32) + ci + extra
    }
}

struct Frame {
    node: NodeId,
    first_pending: usize,
}

struct Builder<'o> {
    file: FileId,
    text: &'o str,
    offsets: &'o OffsetMap,
    next_index: u32,
    done: Vec<DocResult>,
    // The document being built.
    doc: Option<Document>,
    stack: Vec<Frame>,
    pending: Vec<NodeId>,
    /// anchor id -> (node, expanded weight); weight 0 while the node is still open.
    anchors: Vec<Option<NodeId>>,
    weights: Vec<u64>,
    alias_growth: u64,
}

type BuildResult = Result<(), YamlError>;

impl<'o> Builder<'o> {
    fn new(file: FileId, text: &'o str, offsets: &'o OffsetMap, first_index: u32) -> Self {
        Builder {
            file,
            text,
            offsets,
            next_index: first_index,
            done: Vec::new(),
            doc: None,
            stack: Vec::new(),
            pending: Vec::new(),
            anchors: Vec::new(),
            weights: Vec::new(),
            alias_growth: 0,
        }
    }

    fn span(&self, s: &PSpan) -> (u32, u32) {
        (self.offsets.byte(s.start.index()), self.offsets.byte(s.end.index()))
    }

    fn error(&self, at: u32, message: impl Into<String>) -> YamlError {
        YamlError { span: Span::new(self.file, at, at), message: message.into() }
    }

    fn event(&mut self, event: Event<'_>, pspan: PSpan) -> BuildResult {
        let (start, end) = self.span(&pspan);
        match event {
            Event::StreamStart | Event::StreamEnd | Event::Nothing => {}
            Event::DocumentStart(_) => {
                self.doc = Some(Document {
                    file: self.file,
                    index: self.next_index,
                    span: Span::new(self.file, start, start),
                    nodes: Vec::new(),
                    children: Vec::new(),
                    strings: String::new(),
                    root: None,
                    duplicate_keys: Vec::new(),
                });
                self.next_index += 1;
                self.alias_growth = 0;
                self.weights.clear();
            }
            Event::DocumentEnd => {
                if let Some(mut doc) = self.doc.take() {
                    // Growth slack would otherwise cost up to 2x the tree's size.
                    doc.nodes.shrink_to_fit();
                    doc.children.shrink_to_fit();
                    doc.strings.shrink_to_fit();
                    doc.span.end = doc.span.end.max(end).max(doc.root.map_or(start, |r| doc.nodes[r as usize].end));
                    self.done.push(Ok(doc));
                }
            }
            Event::Scalar(text, style, anchor, tag) => {
                // Block scalars' spans run over trailing blank lines; end them at the content.
                // saphyr lets quoted scalars' spans run over a trailing comment; end them at the quote.
                let end = match style {
                    ScalarStyle::Literal | ScalarStyle::Folded => self.trim_end(start, end),
                    ScalarStyle::DoubleQuoted => self.closing_quote(start, end, b'"'),
                    ScalarStyle::SingleQuoted => self.closing_quote(start, end, b'\''),
                    ScalarStyle::Plain => end,
                };
                let file = self.file;
                let doc = self.doc.as_mut().ok_or_else(|| YamlError {
                    span: Span::new(file, start, start),
                    message: "content outside a document".into(),
                })?;
                let a = doc.strings.len() as u32;
                doc.strings.push_str(&text);
                let node = Node {
                    kind: Kind::Scalar,
                    style: match style {
                        ScalarStyle::Plain => Style::Plain,
                        ScalarStyle::SingleQuoted => Style::SingleQuoted,
                        ScalarStyle::DoubleQuoted => Style::DoubleQuoted,
                        ScalarStyle::Literal => Style::Literal,
                        ScalarStyle::Folded => Style::Folded,
                    },
                    tag: tag.as_deref().map_or(Tag::None, classify_tag),
                    flags: 0,
                    start,
                    end,
                    a,
                    b: doc.strings.len() as u32,
                };
                let id = self.push(node);
                self.weights[id as usize] = 1;
                self.register_anchor(anchor, id);
                self.attach(id);
            }
            Event::Alias(anchor) => {
                let target =
                    self.anchors.get(anchor).copied().flatten().ok_or_else(|| self.error(start, "unknown anchor"))?;
                let weight = self.weights.get(target as usize).copied().unwrap_or(0);
                if weight == 0 {
                    return Err(self.error(start, "alias refers to a node that contains it (recursive anchor)"));
                }
                self.alias_growth = self.alias_growth.saturating_add(weight);
                if self.alias_growth > MAX_ALIAS_EXPANSION {
                    return Err(self.error(
                        start,
                        format!("aliases expand to more than {MAX_ALIAS_EXPANSION} nodes (possible billion-laughs attack); refusing to expand"),
                    ));
                }
                let id = self.push(Node {
                    kind: Kind::Alias,
                    style: Style::Plain,
                    tag: Tag::None,
                    flags: 0,
                    start,
                    end,
                    a: target,
                    b: 0,
                });
                self.weights[id as usize] = weight;
                self.attach(id);
            }
            Event::SequenceStart(anchor, ref tag) | Event::MappingStart(anchor, ref tag) => {
                if self.doc.is_none() {
                    return Err(self.error(start, "content outside a document"));
                }
                if self.stack.len() >= MAX_DEPTH {
                    return Err(self.error(start, format!("nesting deeper than {MAX_DEPTH} levels")));
                }
                let kind = if matches!(event, Event::SequenceStart(..)) { Kind::Sequence } else { Kind::Mapping };
                let tag = tag.as_deref().map_or(Tag::None, classify_tag);
                let id = self.push(Node { kind, style: Style::Plain, tag, flags: 0, start, end, a: 0, b: 0 });
                self.register_anchor(anchor, id);
                self.stack.push(Frame { node: id, first_pending: self.pending.len() });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let frame = self.stack.pop().ok_or_else(|| self.error(start, "unbalanced collection end"))?;
                let doc = self.doc.as_mut().ok_or_else(|| YamlError {
                    span: Span::new(self.file, start, start),
                    message: "collection outside a document".into(),
                })?;
                let a = doc.children.len() as u32;
                doc.children.extend(self.pending.drain(frame.first_pending..));
                let b = doc.children.len() as u32;
                let mut weight = 1u64;
                for &c in &doc.children[a as usize..b as usize] {
                    weight = weight.saturating_add(self.weights[c as usize]);
                }
                self.weights[frame.node as usize] = weight;
                let last_end = if b > a { Some(doc.nodes[doc.children[b as usize - 1] as usize].end) } else { None };
                let node = &mut doc.nodes[frame.node as usize];
                node.a = a;
                node.b = b;
                // A block collection's end event is zero-width at the next token: end it at its
                // last child instead. A flow collection ends at its closing bracket.
                let flow_close = end > start;
                node.end = match last_end {
                    Some(e) if !flow_close => e.max(node.start),
                    _ => end.max(node.start),
                };
                if node.kind == Kind::Mapping {
                    check_mapping(doc, frame.node);
                }
                self.attach(frame.node);
            }
        }
        Ok(())
    }

    fn trim_end(&self, start: u32, end: u32) -> u32 {
        let base = self.offsets.base as u32;
        let local = self.text.get((start - base) as usize..(end - base) as usize).unwrap_or("");
        start + local.trim_end().len() as u32
    }

    /// Byte after the closing quote of a quoted scalar starting (after any anchor or tag) at
    /// `start`; `end` if it cannot be found.
    fn closing_quote(&self, start: u32, end: u32, quote: u8) -> u32 {
        let base = self.offsets.base as u32;
        let Some(local) = self.text.as_bytes().get((start - base) as usize..(end - base) as usize) else { return end };
        let Some(open) = local.iter().position(|&b| b == quote) else { return end };
        let mut i = open + 1;
        while i < local.len() {
            match local[i] {
                b'\\' if quote == b'"' => i += 2,
                b'\'' if quote == b'\'' && local.get(i + 1) == Some(&b'\'') => i += 2,
                b if b == quote => return start + i as u32 + 1,
                _ => i += 1,
            }
        }
        end
    }

    fn push(&mut self, node: Node) -> NodeId {
        let doc = self.doc.as_mut().expect("checked by caller");
        doc.nodes.push(node);
        self.weights.push(0);
        doc.nodes.len() as NodeId - 1
    }

    fn register_anchor(&mut self, anchor: usize, id: NodeId) {
        if anchor == 0 {
            return;
        }
        if self.anchors.len() <= anchor {
            self.anchors.resize(anchor + 1, None);
        }
        self.anchors[anchor] = Some(id);
    }

    fn attach(&mut self, id: NodeId) {
        if self.stack.is_empty() {
            if let Some(doc) = self.doc.as_mut() {
                doc.root = Some(id);
            }
        } else {
            self.pending.push(id);
        }
    }

    fn fail(&mut self, error: YamlError) {
        self.doc = None;
        self.stack.clear();
        self.pending.clear();
        self.done.push(Err(error));
    }

    fn finish(mut self, end: usize) -> Vec<DocResult> {
        if let Some(mut doc) = self.doc.take() {
            doc.span.end = end as u32;
            self.done.push(Ok(doc));
        }
        self.done
    }
}

fn classify_tag(tag: &saphyr_parser::Tag) -> Tag {
    if tag.handle == "!!" || tag.handle == "tag:yaml.org,2002:" {
        match tag.suffix.as_str() {
            "str" => Tag::Str,
            "int" => Tag::Int,
            "float" => Tag::Float,
            "bool" => Tag::Bool,
            "null" => Tag::Null,
            "binary" => Tag::Binary,
            "timestamp" => Tag::Timestamp,
            "merge" => Tag::Merge,
            "map" | "seq" => Tag::None,
            _ => Tag::Other,
        }
    } else if tag.handle == "!" && tag.suffix.is_empty() {
        // The non-specific tag `!` forces a string.
        Tag::Str
    } else {
        Tag::Other
    }
}

/// Record duplicate keys and merge keys of a just-closed mapping.
fn check_mapping(doc: &mut Document, id: NodeId) {
    let node = doc.nodes[id as usize];
    let pairs = &doc.children[node.a as usize..node.b as usize];
    let mut irregular = false;
    let mut dups = Vec::new();
    {
        let view = &*doc;
        let keys: Vec<(NodeId, Option<std::borrow::Cow<str>>)> =
            pairs.iter().step_by(2).map(|&k| (k, view.node(k).key_text())).collect();
        let mut seen: std::collections::HashMap<&str, NodeId> = std::collections::HashMap::with_capacity(keys.len());
        for (kid, key) in &keys {
            if key.as_deref() == Some("<<") && view.node(*kid).style() == Style::Plain {
                irregular = true;
                continue;
            }
            let Some(key) = key else { continue };
            if let Some(first) = seen.insert(key.as_ref(), *kid) {
                irregular = true;
                // Report against the first occurrence, keep pointing at it for later repeats.
                seen.insert(key.as_ref(), first);
                dups.push((first, *kid));
            }
        }
    }
    if irregular {
        doc.nodes[id as usize].flags |= FLAG_IRREGULAR;
    }
    doc.duplicate_keys.extend(dups);
}
