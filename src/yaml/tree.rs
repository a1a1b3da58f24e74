//! A compact, span-carrying YAML tree: one arena per document, u32 byte offsets, scalar text in
//! one string buffer, aliases kept as references (never copied). [`NodeRef`] is the read API.

use std::borrow::Cow;

use super::scalar::{self, Scalar, Style, Tag};
use crate::source::{FileId, Span};

pub type NodeId = u32;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Scalar,
    Sequence,
    Mapping,
    Alias,
}

/// Mapping flag: duplicate keys or `<<` merge keys present, so lookups take the careful path.
pub(crate) const FLAG_IRREGULAR: u8 = 1;

#[derive(Clone, Copy, Debug)]
pub(crate) struct Node {
    pub kind: Kind,
    pub style: Style,
    pub tag: Tag,
    pub flags: u8,
    pub start: u32,
    pub end: u32,
    /// Scalar: text range in `strings`. Collections: range in `children`. Alias: target id in `a`.
    pub a: u32,
    pub b: u32,
}

/// One YAML document of a file.
pub struct Document {
    pub file: FileId,
    /// Position of the document in its file (0-based), counting empty documents too.
    pub index: u32,
    /// The document's own text range (from its `---`, if any, to its end).
    pub span: Span,
    pub(crate) nodes: Vec<Node>,
    pub(crate) children: Vec<NodeId>,
    pub(crate) strings: String,
    pub(crate) root: Option<NodeId>,
    /// (first key, later duplicate key) pairs: go-yaml keeps the later value silently.
    pub duplicate_keys: Vec<(NodeId, NodeId)>,
}

impl Document {
    pub fn root(&self) -> Option<NodeRef<'_>> {
        self.root.map(|id| NodeRef { doc: self, id })
    }
    pub fn node(&self, id: NodeId) -> NodeRef<'_> {
        NodeRef { doc: self, id }
    }
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }
    /// True when the document holds no content (comments only, or an empty `---`).
    pub fn is_empty(&self) -> bool {
        match self.root() {
            None => true,
            Some(r) => r.kind() == Kind::Scalar && r.style() == Style::Plain && r.raw() == Some(""),
        }
    }
}

/// A node in a document. Cheap to copy; aliases resolve transparently in every accessor
/// except [`NodeRef::span`] and [`NodeRef::is_alias`].
#[derive(Clone, Copy)]
pub struct NodeRef<'a> {
    pub doc: &'a Document,
    pub id: NodeId,
}

impl std::fmt::Debug for NodeRef<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "NodeRef({:?}@{}..{})", self.kind(), self.span().start, self.span().end)
    }
}

impl<'a> NodeRef<'a> {
    fn raw_node(&self) -> &'a Node {
        &self.doc.nodes[self.id as usize]
    }

    /// Follow alias links to the anchored node (bounded: aliases never point forward or into
    /// themselves, the parser guarantees it).
    pub fn resolved(self) -> NodeRef<'a> {
        let mut cur = self;
        while cur.raw_node().kind == Kind::Alias {
            cur = NodeRef { doc: self.doc, id: cur.raw_node().a };
        }
        cur
    }

    fn node(&self) -> &'a Node {
        self.resolved().raw_node()
    }

    pub fn is_alias(&self) -> bool {
        self.raw_node().kind == Kind::Alias
    }

    pub fn kind(&self) -> Kind {
        self.node().kind
    }

    pub fn style(&self) -> Style {
        self.node().style
    }

    /// Where this node is written (for an alias: the `*alias` itself).
    pub fn span(&self) -> Span {
        let n = self.raw_node();
        Span::new(self.doc.file, n.start, n.end)
    }

    pub fn is_mapping(&self) -> bool {
        self.kind() == Kind::Mapping
    }
    pub fn is_sequence(&self) -> bool {
        self.kind() == Kind::Sequence
    }
    pub fn is_scalar(&self) -> bool {
        self.kind() == Kind::Scalar
    }

    /// Scalar text as written (after YAML unescaping/folding), whatever it resolves to.
    pub fn raw(&self) -> Option<&'a str> {
        let n = self.node();
        (n.kind == Kind::Scalar).then(|| &self.doc.strings[n.a as usize..n.b as usize])
    }

    /// The scalar resolved with Helm's (go-yaml v2) rules.
    pub fn scalar(&self) -> Option<Scalar<'a>> {
        let n = self.node();
        self.raw().map(|t| scalar::resolve(t, n.style, n.tag))
    }

    /// The text if the scalar resolves to a string.
    pub fn as_str(&self) -> Option<&'a str> {
        match self.scalar()? {
            Scalar::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.scalar()? {
            Scalar::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// Numbers as Helm sees them (float64).
    pub fn as_f64(&self) -> Option<f64> {
        self.scalar()?.as_json_f64()
    }

    /// Integral numbers (an integral float such as `3.0` counts).
    pub fn as_i64(&self) -> Option<i64> {
        match self.scalar()? {
            Scalar::Int(i) => Some(i),
            Scalar::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Some(f as i64),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.scalar(), Some(Scalar::Null))
    }

    /// Key text as a JSON object key (non-string keys converted like sigs.k8s.io/yaml).
    pub fn key_text(&self) -> Option<Cow<'a, str>> {
        let n = self.node();
        let raw = self.raw()?;
        if n.style == Style::Plain && n.tag == Tag::None && !scalar::may_be_non_string(raw) {
            return Some(Cow::Borrowed(raw));
        }
        Some(match scalar::resolve(raw, n.style, n.tag) {
            Scalar::Str(s) => Cow::Borrowed(s),
            other => Cow::Owned(other.json_key().into_owned()),
        })
    }

    fn key_is(&self, key: &str) -> bool {
        let n = self.node();
        match self.raw() {
            Some(raw) if n.style != Style::Plain || !scalar::may_be_non_string(raw) => raw == key,
            Some(_) => self.key_text().is_some_and(|k| k == key),
            None => false,
        }
    }

    fn is_merge_key(&self) -> bool {
        let n = self.node();
        n.kind == Kind::Scalar
            && n.style == Style::Plain
            && matches!(n.tag, Tag::None | Tag::Merge)
            && self.raw() == Some("<<")
    }

    fn child_ids(&self) -> &'a [NodeId] {
        let n = self.node();
        match n.kind {
            Kind::Sequence | Kind::Mapping => &self.doc.children[n.a as usize..n.b as usize],
            _ => &[],
        }
    }

    /// Number of items (sequence) or written entries (mapping).
    pub fn len(&self) -> usize {
        match self.kind() {
            Kind::Sequence => self.child_ids().len(),
            Kind::Mapping => self.child_ids().len() / 2,
            _ => 0,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Sequence items (empty for anything else).
    pub fn items(&self) -> impl Iterator<Item = NodeRef<'a>> + 'a {
        let doc = self.doc;
        let ids = if self.kind() == Kind::Sequence { self.child_ids() } else { &[] };
        ids.iter().map(move |&id| NodeRef { doc, id })
    }

    /// Mapping entries as go-yaml sees them: for duplicate keys the last one wins, and `<<`
    /// merge keys contribute the entries not written explicitly.
    pub fn entries(&self) -> Entries<'a> {
        if self.kind() != Kind::Mapping {
            return Entries::Plain([].iter(), self.doc);
        }
        if self.node().flags & FLAG_IRREGULAR == 0 {
            return Entries::Plain(self.child_ids().as_chunks::<2>().0.iter(), self.doc);
        }
        let mut out: Vec<(NodeRef<'a>, NodeRef<'a>)> = Vec::new();
        self.collect_entries(&mut out, 0);
        Entries::Collected(out.into_iter())
    }

    fn collect_entries(&self, out: &mut Vec<(NodeRef<'a>, NodeRef<'a>)>, depth: u32) {
        if depth > 64 {
            return;
        }
        let doc = self.doc;
        let mut merges = Vec::new();
        for pair in self.child_ids().chunks_exact(2) {
            let (k, v) = (NodeRef { doc, id: pair[0] }, NodeRef { doc, id: pair[1] });
            if k.is_merge_key() {
                merges.push(v);
                continue;
            }
            let key = k.key_text();
            if let Some(slot) = out.iter_mut().find(|(ek, _)| key.is_some() && ek.key_text() == key) {
                *slot = (k, v); // explicit duplicate: last wins
            } else {
                out.push((k, v));
            }
        }
        // Merged entries never override explicit ones; earlier merge sources win.
        for m in merges {
            let sources: Vec<NodeRef<'a>> = if m.is_sequence() { m.items().collect() } else { vec![m] };
            for src in sources.into_iter().filter(|s| s.is_mapping()) {
                let mut merged = Vec::new();
                src.resolved().collect_entries(&mut merged, depth + 1);
                for (k, v) in merged {
                    let key = k.key_text();
                    if !out.iter().any(|(ek, _)| ek.key_text() == key) {
                        out.push((k, v));
                    }
                }
            }
        }
    }

    /// The key and value nodes of `key` in a mapping.
    pub fn entry(&self, key: &str) -> Option<(NodeRef<'a>, NodeRef<'a>)> {
        if self.kind() != Kind::Mapping {
            return None;
        }
        if self.node().flags & FLAG_IRREGULAR != 0 {
            return self.entries().find(|(k, _)| k.key_is(key));
        }
        let doc = self.doc;
        self.child_ids()
            .chunks_exact(2)
            .rev()
            .map(|p| (NodeRef { doc, id: p[0] }, NodeRef { doc, id: p[1] }))
            .find(|(k, _)| k.key_is(key))
    }

    /// Value of `key` in a mapping.
    pub fn get(&self, key: &str) -> Option<NodeRef<'a>> {
        self.entry(key).map(|(_, v)| v)
    }

    /// Follow a chain of mapping keys.
    pub fn path(&self, keys: &[&str]) -> Option<NodeRef<'a>> {
        keys.iter().try_fold(*self, |node, key| node.get(key))
    }

    /// Span to underline for `key`: `key: value` when the value is a scalar, else the key.
    pub fn field_span(&self, key: &str) -> Option<Span> {
        let (k, v) = self.entry(key)?;
        Some(if v.resolved().is_scalar() && !v.is_alias() && v.span().start >= k.span().start {
            k.span().to(v.span())
        } else {
            k.span()
        })
    }

    /// `get(key)` as a string.
    pub fn get_str(&self, key: &str) -> Option<&'a str> {
        self.get(key).and_then(|n| n.as_str())
    }

    /// Convert to JSON the way Helm reads values: numbers become float64, keys become strings.
    /// Integral numbers are kept as JSON integers when they are exactly representable, which
    /// serializes identically for schema validation.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value;
        match self.kind() {
            Kind::Mapping => {
                let mut map = serde_json::Map::new();
                for (k, v) in self.entries() {
                    let key = k.key_text().map(Cow::into_owned).unwrap_or_default();
                    map.insert(key, v.to_json());
                }
                Value::Object(map)
            }
            Kind::Sequence => Value::Array(self.items().map(|i| i.to_json()).collect()),
            _ => match self.scalar() {
                Some(Scalar::Null) | None => Value::Null,
                Some(Scalar::Bool(b)) => Value::Bool(b),
                Some(Scalar::Str(s)) => Value::String(s.to_string()),
                Some(n) => {
                    let f = n.as_json_f64().unwrap_or(0.0);
                    if f.fract() == 0.0 && f.abs() < 9.0e15 {
                        Value::from(f as i64)
                    } else {
                        serde_json::Number::from_f64(f).map(Value::Number).unwrap_or(Value::Null)
                    }
                }
            },
        }
    }

    /// Structural equality after resolution (mapping key order ignored).
    pub fn same_value(&self, other: &NodeRef<'_>) -> bool {
        self.to_json() == other.to_json()
    }
}

/// Iterator over mapping entries.
pub enum Entries<'a> {
    Plain(std::slice::Iter<'a, [NodeId; 2]>, &'a Document),
    Collected(std::vec::IntoIter<(NodeRef<'a>, NodeRef<'a>)>),
}

impl<'a> Iterator for Entries<'a> {
    type Item = (NodeRef<'a>, NodeRef<'a>);
    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Entries::Plain(it, doc) => it.next().map(|p| (NodeRef { doc, id: p[0] }, NodeRef { doc, id: p[1] })),
            Entries::Collected(it) => it.next(),
        }
    }
}
