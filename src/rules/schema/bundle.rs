//! The embedded Kubernetes schemas (`schemas/kubernetes/`, built by
//! `scripts/import_schemas.py`). Nothing is parsed until the rule first asks; then the small
//! index is read, and a version's definitions are inflated the first time that version is used.

use std::collections::{BTreeSet, HashMap};
use std::io::Read;
use std::sync::OnceLock;

use serde_json::{Map, Value};

static INDEX: &[u8] = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/schemas/kubernetes/index.json"));
static DEFS: &[u8] = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/schemas/kubernetes/defs.bin"));

/// One version's definitions by name (`io.k8s.api.apps.v1.Deployment`).
pub type Defs = Map<String, Value>;

struct Group {
    /// Indices into [`Bundle::versions`].
    versions: Vec<usize>,
    offset: usize,
    length: usize,
}

pub struct Bundle {
    /// Bundled versions, ascending (`(1, 36)`).
    pub versions: Vec<(u32, u32)>,
    groups: Vec<Group>,
    /// `apiVersion/kind` → definition name.
    kinds: HashMap<String, String>,
    loaded: Vec<OnceLock<Result<Defs, String>>>,
}

/// The bundle, parsed once per process. Errors mean a broken build (a test decodes it).
pub fn bundle() -> Result<&'static Bundle, String> {
    static BUNDLE: OnceLock<Result<Bundle, String>> = OnceLock::new();
    BUNDLE.get_or_init(parse_index).as_ref().map_err(|e| format!("embedded Kubernetes schemas: {e}"))
}

fn parse_index() -> Result<Bundle, String> {
    let index: Value = serde_json::from_slice(INDEX).map_err(|e| format!("index.json: {e}"))?;
    let versions: Vec<(u32, u32)> = index["versions"]
        .as_array()
        .ok_or("index.json: no versions")?
        .iter()
        .map(|v| v.as_str().and_then(crate::charts::parse_kube_version).ok_or("index.json: bad version"))
        .collect::<Result<_, _>>()?;
    let position = |v: &Value| {
        let parsed = v.as_str().and_then(crate::charts::parse_kube_version);
        versions.iter().position(|x| Some(*x) == parsed).ok_or("index.json: group names an unknown version")
    };
    let mut groups = Vec::new();
    for g in index["groups"].as_array().ok_or("index.json: no groups")? {
        let offset = g["offset"].as_u64().ok_or("index.json: bad offset")? as usize;
        let length = g["length"].as_u64().ok_or("index.json: bad length")? as usize;
        if offset.checked_add(length).is_none_or(|end| end > DEFS.len()) {
            return Err("index.json: group outside defs.bin".into());
        }
        let vs = g["versions"].as_array().ok_or("index.json: bad group")?;
        groups.push(Group { versions: vs.iter().map(position).collect::<Result<_, _>>()?, offset, length });
    }
    let kinds = index["kinds"]
        .as_object()
        .ok_or("index.json: no kinds")?
        .iter()
        .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
        .collect();
    let loaded = versions.iter().map(|_| OnceLock::new()).collect();
    Ok(Bundle { versions, groups, kinds, loaded })
}

impl Bundle {
    /// The bundled version nearest to `target` (clamped to the oldest/newest bundled).
    pub fn nearest(&self, target: (u32, u32)) -> usize {
        match self.versions.binary_search(&target) {
            Ok(i) => i,
            Err(0) => 0,
            Err(i) if i >= self.versions.len() => self.versions.len() - 1,
            // Between two bundled versions (a gap in the bundle): the older one.
            Err(i) => i - 1,
        }
    }

    /// Definitions of version `v`, inflated on first use.
    pub fn defs(&self, v: usize) -> Result<&Defs, String> {
        let slot = self.loaded.get(v).ok_or("no such bundled version")?;
        slot.get_or_init(|| self.inflate(v)).as_ref().map_err(|e| format!("embedded Kubernetes schemas: {e}"))
    }

    fn inflate(&self, v: usize) -> Result<Defs, String> {
        let mut defs = Map::new();
        for g in self.groups.iter().filter(|g| g.versions.contains(&v)) {
            let mut text = Vec::new();
            flate2::read::ZlibDecoder::new(&DEFS[g.offset..g.offset + g.length])
                .read_to_end(&mut text)
                .map_err(|e| format!("defs.bin: {e}"))?;
            let Value::Object(part) = serde_json::from_slice(&text).map_err(|e| format!("defs.bin: {e}"))? else {
                return Err("defs.bin: group is not an object".into());
            };
            defs.extend(part);
        }
        Ok(defs)
    }

    /// The definition name of `apiVersion`/`kind` in version `v`, if that version has it.
    pub fn root(&self, v: usize, api_version: &str, kind: &str) -> Result<Option<&str>, String> {
        let Some(name) = self.kinds.get(&format!("{api_version}/{kind}")) else { return Ok(None) };
        Ok(self.defs(v)?.contains_key(name).then_some(name.as_str()))
    }
}

/// A self-contained schema for definition `root`: the definition with the definitions it
/// reaches via `$ref` under `$defs` (all of a version's would be ~10× more to compile).
pub fn standalone(defs: &Defs, root: &str) -> Value {
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let mut stack = vec![root];
    while let Some(name) = stack.pop() {
        if !seen.insert(name) {
            continue;
        }
        if let Some(schema) = defs.get(name) {
            refs(schema, &mut stack);
        }
    }
    let closure: Map<String, Value> =
        seen.iter().filter_map(|n| Some((n.to_string(), defs.get(*n)?.clone()))).collect();
    let mut out = Map::new();
    out.insert("$ref".into(), Value::String(format!("#/$defs/{root}")));
    out.insert("$defs".into(), Value::Object(closure));
    Value::Object(out)
}

fn refs<'a>(schema: &'a Value, out: &mut Vec<&'a str>) {
    match schema {
        Value::Object(m) => {
            for (k, v) in m {
                match (k.as_str(), v) {
                    ("$ref", Value::String(r)) => out.extend(r.strip_prefix("#/$defs/")),
                    _ => refs(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_version_decodes_and_knows_core_kinds() {
        let b = bundle().expect("bundle index decodes");
        assert!(b.versions.contains(&crate::charts::DEFAULT_KUBE_VERSION), "default target version is bundled");
        for v in 0..b.versions.len() {
            let defs = b.defs(v).expect("version decodes");
            assert!(defs.len() > 400, "{:?} has {} definitions", b.versions[v], defs.len());
            assert_eq!(b.root(v, "apps/v1", "Deployment").expect("ok"), Some("io.k8s.api.apps.v1.Deployment"));
            assert_eq!(b.root(v, "v1", "Service").expect("ok"), Some("io.k8s.api.core.v1.Service"));
        }
    }

    #[test]
    fn nearest_version_clamps() {
        let b = bundle().expect("bundle");
        let (first, last) = (b.versions[0], b.versions[b.versions.len() - 1]);
        assert_eq!(b.nearest((1, 10)), 0);
        assert_eq!(b.nearest((1, 99)), b.versions.len() - 1);
        assert_eq!(b.versions[b.nearest(first)], first);
        assert_eq!(b.versions[b.nearest(last)], last);
    }

    #[test]
    fn standalone_schema_holds_its_references() {
        let b = bundle().expect("bundle");
        let v = b.nearest(crate::charts::DEFAULT_KUBE_VERSION);
        let s = standalone(b.defs(v).expect("defs"), "io.k8s.api.apps.v1.Deployment");
        let defs = s["$defs"].as_object().expect("defs");
        assert!(defs.contains_key("io.k8s.api.core.v1.Container"));
        assert!(!defs.contains_key("io.k8s.api.batch.v1.CronJob"));
    }
}
