//! Custom resource schemas from CustomResourceDefinitions: those of the run and those of
//! `--crd DIR`. Each version's `openAPIV3Schema` becomes a JSON Schema (draft 4, the closest
//! to OpenAPI 3.0) the way kubeconform's strict conversion does it: objects that list their
//! properties reject unknown fields unless `x-kubernetes-preserve-unknown-fields` says
//! otherwise, `x-kubernetes-int-or-string` accepts both, and null is accepted where a type is
//! (the API server prunes nulls of fields that are not nullable).

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use serde_json::{Map, Value};

use crate::yaml::NodeRef;

/// Keywords that validate in both OpenAPI 3.0 and JSON Schema draft 4 with the same meaning.
/// `format` is left out on purpose: Kubernetes does not reject on most formats either.
const KEEP: &[&str] = &[
    "type",
    "required",
    "enum",
    "maximum",
    "minimum",
    "exclusiveMaximum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "maxProperties",
    "minProperties",
    "multipleOf",
];

/// `apiVersion/kind` → the JSON Schema of that custom resource version. The first definition
/// of a kind wins (callers pass the run's CRDs in set order, then `--crd` ones).
#[derive(Default)]
pub struct CrdIndex {
    pub schemas: BTreeMap<String, Value>,
}

impl CrdIndex {
    /// Add the versions a CustomResourceDefinition (as JSON) declares.
    pub fn add(&mut self, crd: &Value) {
        let spec = &crd["spec"];
        let (Some(group), Some(kind)) = (spec["group"].as_str(), spec["names"]["kind"].as_str()) else { return };
        // apiextensions v1: per-version schemas; v1beta1: also one for every version.
        let shared = spec["validation"]["openAPIV3Schema"].as_object();
        let mut versions: Vec<(&str, Option<&Value>)> = spec["versions"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| Some((v["name"].as_str()?, v["schema"].get("openAPIV3Schema"))))
            .collect();
        if versions.is_empty() {
            versions.extend(spec["version"].as_str().map(|v| (v, None)));
        }
        for (version, schema) in versions {
            let Some(schema) = schema.or(shared.map(|_| &spec["validation"]["openAPIV3Schema"])) else { continue };
            self.schemas.entry(format!("{group}/{version}/{kind}")).or_insert_with(|| root(schema));
        }
    }

    /// Add the versions a CustomResourceDefinition in the run declares, reading the YAML
    /// directly and converting only the schemas of kinds in `wanted` (`apiVersion/kind`):
    /// CRDs are most of the bytes of many runs and few of their kinds have objects.
    pub fn add_node(&mut self, crd: NodeRef<'_>, wanted: &HashSet<String>) {
        let Some(spec) = crd.get("spec") else { return };
        let (Some(group), Some(kind)) = (spec.get_str("group"), spec.path(&["names", "kind"]).and_then(|k| k.as_str()))
        else {
            return;
        };
        let shared = spec.path(&["validation", "openAPIV3Schema"]);
        let mut versions: Vec<(&str, Option<NodeRef<'_>>)> = spec
            .get("versions")
            .into_iter()
            .flat_map(|v| v.items())
            .filter_map(|v| Some((v.get_str("name")?, v.path(&["schema", "openAPIV3Schema"]))))
            .collect();
        if versions.is_empty() {
            versions.extend(spec.get_str("version").map(|v| (v, None)));
        }
        for (version, schema) in versions {
            let key = format!("{group}/{version}/{kind}");
            if self.schemas.contains_key(&key) || !wanted.contains(&key) {
                continue;
            }
            if let Some(schema) = schema.or(shared) {
                self.schemas.insert(key, root(&schema.to_json()));
            }
        }
    }

    pub fn get(&self, api_version: &str, kind: &str) -> Option<&Value> {
        self.schemas.get(&format!("{api_version}/{kind}"))
    }
}

/// The root of a custom resource: `apiVersion`, `kind` and `metadata` are always allowed.
fn root(openapi: &Value) -> Value {
    let mut schema = convert(openapi, true);
    if let Some(props) = schema.get_mut("properties").and_then(Value::as_object_mut) {
        for (name, ty) in [("apiVersion", "string"), ("kind", "string"), ("metadata", "object")] {
            props.entry(name).or_insert_with(|| serde_json::json!({ "type": ty }));
        }
    }
    let mut out = match schema {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    out.insert("$schema".into(), Value::String("http://json-schema.org/draft-04/schema#".into()));
    Value::Object(out)
}

/// OpenAPI → JSON Schema. `structural` is false inside `allOf`/`anyOf`/`oneOf`/`not`, whose
/// branches only add value checks and must not reject fields the structure declares.
fn convert(schema: &Value, structural: bool) -> Value {
    let Value::Object(m) = schema else { return schema.clone() };
    let flag = |k: &str| m.get(k).and_then(Value::as_bool).unwrap_or(false);
    let mut out = Map::new();
    for (k, v) in m {
        let converted = match k.as_str() {
            "properties" => match v {
                Value::Object(props) => {
                    Value::Object(props.iter().map(|(n, s)| (n.clone(), convert(s, structural))).collect())
                }
                _ => continue,
            },
            "items" => match v {
                Value::Array(items) => Value::Array(items.iter().map(|s| convert(s, structural)).collect()),
                _ => convert(v, structural),
            },
            "additionalProperties" => convert(v, structural),
            "allOf" | "anyOf" | "oneOf" => match v {
                Value::Array(items) => Value::Array(items.iter().map(|s| convert(s, false)).collect()),
                _ => continue,
            },
            "not" => convert(v, false),
            k if KEEP.contains(&k) => v.clone(),
            _ => continue,
        };
        out.insert(k.clone(), converted);
    }
    if flag("x-kubernetes-int-or-string") {
        out.insert("type".into(), serde_json::json!(["integer", "string"]));
    }
    // Null is accepted where a type is given (pruned by the API server when not nullable).
    if let Some(t) = out.get_mut("type") {
        let mut types = match t.take() {
            Value::Array(a) => a,
            one => vec![one],
        };
        if !types.iter().any(|x| x == "null") {
            types.push(Value::String("null".into()));
        }
        *t = Value::Array(types);
        if let Some(Value::Array(options)) = out.get_mut("enum") {
            if !options.contains(&Value::Null) {
                options.push(Value::Null);
            }
        }
    }
    let open = flag("x-kubernetes-preserve-unknown-fields") || flag("x-kubernetes-embedded-resource");
    if structural && !open && out.contains_key("properties") && !out.contains_key("additionalProperties") {
        out.insert("additionalProperties".into(), Value::Bool(false));
    }
    Value::Object(out)
}

/// Remove `pattern` keywords (for schemas whose patterns this regex engine rejects).
pub fn without_patterns(schema: &Value) -> Value {
    match schema {
        Value::Object(m) => Value::Object(
            m.iter().filter(|(k, _)| *k != "pattern").map(|(k, v)| (k.clone(), without_patterns(v))).collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(without_patterns).collect()),
        other => other.clone(),
    }
}

/// The CustomResourceDefinitions in the YAML/JSON files under `dir` (recursively, sorted).
pub fn load_dir(dir: &Path) -> Result<Vec<Value>, String> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    if !dir.is_dir() {
        return Err(format!("--crd {}: not a directory", dir.display()));
    }
    // Canonical directories already listed: a symlink loop is walked once, not forever.
    let mut seen = std::collections::HashSet::new();
    while let Some(d) = stack.pop() {
        if !seen.insert(std::fs::canonicalize(&d).unwrap_or_else(|_| d.clone())) {
            continue;
        }
        let entries = std::fs::read_dir(&d).map_err(|e| format!("--crd {}: {e}", d.display()))?;
        for entry in entries.flatten() {
            let p = entry.path();
            let Ok(meta) = std::fs::metadata(&p) else { continue };
            if meta.is_dir() {
                stack.push(p);
            } else if meta.is_file() && p.extension().is_some_and(|e| e == "yaml" || e == "yml" || e == "json") {
                // FIFOs, sockets and devices are never opened.
                files.push(p);
            }
        }
    }
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let text = crate::fsread::read_to_string(&f).map_err(|e| format!("--crd {}: {e}", f.display()))?;
        for doc in crate::yaml::parse_stream(crate::source::FileId(0), &text) {
            let doc = doc.map_err(|e| format!("--crd {}: {}", f.display(), e.message))?;
            let Some(root) = doc.root() else { continue };
            let value = root.to_json();
            let items = match value["kind"].as_str() {
                Some(k) if k.ends_with("List") => value["items"].as_array().cloned().unwrap_or_default(),
                _ => vec![value],
            };
            out.extend(items.into_iter().filter(|v| v["kind"] == "CustomResourceDefinition"));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn openapi_becomes_strict_json_schema() {
        let crd = json!({"spec": {"group": "x.io", "names": {"kind": "Thing"}, "versions": [{"name": "v1", "schema": {"openAPIV3Schema": {
            "type": "object",
            "properties": {
                "spec": {"type": "object", "description": "d", "properties": {
                    "port": {"x-kubernetes-int-or-string": true, "anyOf": [{"type": "integer"}, {"type": "string"}]},
                    "free": {"type": "object", "x-kubernetes-preserve-unknown-fields": true, "properties": {"a": {"type": "string"}}},
                    "mode": {"type": "string", "enum": ["A", "B"]}
                }}
            }
        }}}]}});
        let mut index = CrdIndex::default();
        index.add(&crd);
        let s = index.get("x.io/v1", "Thing").expect("indexed");
        assert_eq!(s["additionalProperties"], json!(false));
        assert_eq!(s["properties"]["metadata"]["type"], json!("object"));
        let spec = &s["properties"]["spec"];
        assert_eq!(spec["additionalProperties"], json!(false));
        assert!(spec.get("description").is_none());
        assert_eq!(spec["properties"]["port"]["type"], json!(["integer", "string", "null"]));
        assert!(spec["properties"]["free"].get("additionalProperties").is_none());
        assert_eq!(spec["properties"]["mode"]["enum"], json!(["A", "B", null]));
        // anyOf branches do not get additionalProperties.
        assert!(spec["properties"]["port"]["anyOf"][0].get("additionalProperties").is_none());
    }
}
