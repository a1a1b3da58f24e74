use std::sync::Arc;

use crate::finding::ObjectIdent;
use crate::source::{FileId, Span};
use crate::yaml::{Document, NodeId, NodeRef};

/// Where an object came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    pub file: FileId,
    /// Index of the YAML document in the file.
    pub document: u32,
    /// Index in `items` when the object came out of a `List`.
    pub list_item: Option<u32>,
    /// The `# Source: <chart>/templates/<file>` comment `helm template` writes above a document.
    pub rendered_from: Option<String>,
}

/// One Kubernetes object.
pub struct Object {
    pub doc: Arc<Document>,
    pub root: NodeId,
    pub api_version: String,
    pub kind: String,
    pub name: Option<String>,
    pub namespace: Option<String>,
    pub origin: Origin,
}

impl Object {
    pub fn node(&self) -> NodeRef<'_> {
        self.doc.node(self.root)
    }

    pub fn ident(&self) -> ObjectIdent {
        ObjectIdent {
            api_version: self.api_version.clone(),
            kind: self.kind.clone(),
            name: self.name.clone(),
            namespace: self.namespace.clone(),
        }
    }

    /// API group (`apps`, `""` for core).
    pub fn group(&self) -> &str {
        self.api_version.rsplit_once('/').map_or("", |(g, _)| g)
    }

    pub fn metadata(&self) -> Option<NodeRef<'_>> {
        self.node().get("metadata")
    }

    pub fn labels(&self) -> Option<NodeRef<'_>> {
        self.metadata()?.get("labels")
    }

    pub fn annotations(&self) -> Option<NodeRef<'_>> {
        self.metadata()?.get("annotations")
    }

    pub fn annotation(&self, key: &str) -> Option<&str> {
        self.annotations()?.get_str(key)
    }

    /// Where to point when a finding concerns the object as a whole: its `kind:` line
    /// through its name, or the whole node.
    pub fn anchor_span(&self) -> Span {
        let root = self.node();
        match (root.entry("kind"), self.metadata().and_then(|m| m.get("name"))) {
            (Some((k, _)), Some(name))
                if name.span().start > k.span().start && name.span().start - k.span().start < 200 =>
            {
                k.span().to(name.span())
            }
            (Some((k, v)), _) => k.span().to(v.span()),
            _ => root.span(),
        }
    }
}

/// A document that is not a Kubernetes object, and why.
pub struct NotAnObject {
    pub span: Span,
    pub reason: String,
    /// True when the document plausibly was meant as one (has apiVersion or kind).
    pub looks_like_object: bool,
}

/// Turn a parsed document into objects. `List` kinds are flattened.
pub fn objects_from_document(
    doc: &Arc<Document>,
    rendered_from: Option<String>,
    out: &mut Vec<Object>,
    bad: &mut Vec<NotAnObject>,
) {
    let Some(root) = doc.root() else { return };
    if doc.is_empty() {
        return;
    }
    let origin = Origin { file: doc.file, document: doc.index, list_item: None, rendered_from };
    match object_at(doc, root, origin.clone()) {
        Ok(obj) => {
            let is_list = obj.kind.ends_with("List") && root.get("items").is_some_and(|i| i.is_sequence());
            if !is_list {
                out.push(obj);
                return;
            }
            for (i, item) in root.get("items").into_iter().flat_map(|items| items.items()).enumerate() {
                let origin = Origin { list_item: Some(i as u32), ..origin.clone() };
                match object_at(doc, item, origin) {
                    Ok(o) => out.push(o),
                    Err(e) => bad.push(e),
                }
            }
        }
        Err(e) => bad.push(e),
    }
}

fn object_at(doc: &Arc<Document>, node: NodeRef<'_>, origin: Origin) -> Result<Object, NotAnObject> {
    let node = node.resolved();
    if !node.is_mapping() {
        return Err(NotAnObject {
            span: node.span(),
            reason: "document is not a mapping".into(),
            looks_like_object: false,
        });
    }
    let api_version = node.get("apiVersion");
    let kind = node.get("kind");
    let looks = api_version.is_some() || kind.is_some();
    let missing = match (api_version.and_then(|n| n.as_str()), kind.and_then(|n| n.as_str())) {
        (Some(a), Some(k)) if !a.is_empty() && !k.is_empty() => None,
        (None, None) => Some("has neither `apiVersion` nor `kind`"),
        (None, _) => Some("has no string `apiVersion`"),
        (_, None) => Some("has no string `kind`"),
        _ => Some("has an empty `apiVersion` or `kind`"),
    };
    if let Some(reason) = missing {
        return Err(NotAnObject { span: node.span(), reason: format!("document {reason}"), looks_like_object: looks });
    }
    let meta = node.get("metadata");
    let meta_str = |k: &str| meta.and_then(|m| m.get(k)).and_then(|n| n.scalar()).map(|s| s.json_key().into_owned());
    Ok(Object {
        doc: Arc::clone(doc),
        root: node.id,
        api_version: api_version.and_then(|n| n.as_str()).unwrap_or_default().to_string(),
        kind: kind.and_then(|n| n.as_str()).unwrap_or_default().to_string(),
        name: meta_str("name").or_else(|| meta_str("generateName")),
        namespace: meta_str("namespace"),
        origin,
    })
}
