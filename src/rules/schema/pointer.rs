//! From a validator's instance path (a JSON pointer into the object's JSON form) back to the
//! YAML nodes it names, and to the dotted path people read (`spec.containers[0].image`).

use jsonschema::paths::{Location, LocationSegment};

use crate::source::Span;
use crate::yaml::NodeRef;

/// One step of an instance path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

pub fn segments(location: &Location) -> Vec<Seg> {
    location
        .segments()
        .map(|s| match s {
            LocationSegment::Property(p) => Seg::Key(p.into_owned()),
            LocationSegment::Index(i) => Seg::Index(i),
        })
        .collect()
}

/// A node found by path: its value, and its key when it is a mapping entry.
#[derive(Clone, Copy)]
pub struct Located<'a> {
    pub key: Option<NodeRef<'a>>,
    pub value: NodeRef<'a>,
}

impl Located<'_> {
    /// `key: value` for a scalar written after its key, else the key, else the value.
    pub fn span(&self) -> Span {
        match self.key {
            Some(k)
                if self.value.resolved().is_scalar()
                    && !self.value.is_alias()
                    && self.value.span().start >= k.span().start =>
            {
                k.span().to(self.value.span())
            }
            Some(k) => k.span(),
            None => self.value.span(),
        }
    }

    /// The key alone (or the value when there is no key).
    pub fn key_span(&self) -> Span {
        self.key.map_or_else(|| self.value.span(), |k| k.span())
    }
}

/// Walk `root` along `path`. A numeric segment on a mapping is a key (`"0": x`), as JSON
/// pointers do not tell them apart.
pub fn locate<'a>(root: NodeRef<'a>, path: &[Seg]) -> Option<Located<'a>> {
    let mut here = Located { key: None, value: root };
    for seg in path {
        let node = here.value;
        here = match seg {
            Seg::Key(k) => {
                let (key, value) = node.entry(k)?;
                Located { key: Some(key), value }
            }
            Seg::Index(i) if node.is_sequence() => Located { key: None, value: node.items().nth(*i)? },
            Seg::Index(i) => {
                let (key, value) = node.entry(&i.to_string())?;
                Located { key: Some(key), value }
            }
        };
    }
    Some(here)
}

/// `spec.template.spec.containers[0].name`; keys that are not plain words are quoted
/// (`metadata.labels["app.kubernetes.io/name"]`).
pub fn display(path: &[Seg]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            Seg::Index(i) => out.push_str(&format!("[{i}]")),
            Seg::Key(k) if !k.is_empty() && k.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-') => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Seg::Key(k) => out.push_str(&format!("[{}]", serde_json::Value::String(k.clone()))),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;

    #[test]
    fn paths_find_nodes_and_read_naturally() {
        let text = "spec:\n  containers:\n  - name: a\n    ports: [{containerPort: 80}]\nmetadata:\n  labels:\n    app.kubernetes.io/name: x\n";
        let docs = crate::yaml::parse_stream(FileId(0), text);
        let Some(Ok(doc)) = docs.first() else { panic!("parses") };
        let root = doc.root().expect("root");
        let path = vec![Seg::Key("spec".into()), Seg::Key("containers".into()), Seg::Index(0), Seg::Key("name".into())];
        let found = locate(root, &path).expect("found");
        assert_eq!(&text[found.span().start as usize..found.span().end as usize], "name: a");
        assert_eq!(display(&path), "spec.containers[0].name");
        let label =
            vec![Seg::Key("metadata".into()), Seg::Key("labels".into()), Seg::Key("app.kubernetes.io/name".into())];
        assert!(locate(root, &label).is_some());
        assert_eq!(display(&label), "metadata.labels[\"app.kubernetes.io/name\"]");
        assert!(locate(root, &[Seg::Key("nope".into())]).is_none());
    }
}
