use std::collections::{BTreeSet, HashMap, HashSet};

use jsonschema::error::{TypeKind, ValidationErrorKind as K};
use rayon::prelude::*;
use serde_json::Value;

use super::bundle::{self, Bundle};
use super::crd::{self, CrdIndex};
use super::pointer::{self, Located, Seg};
use crate::check::{Check, CheckContext, Scope};
use crate::finding::Violation;
use crate::model::{Object, ObjectSet};

/// Findings per object at most (the first ones in file order).
const MAX_PER_OBJECT: usize = 10;

/// Objects against the JSON schema of their apiVersion/kind: the bundled Kubernetes schemas
/// of the target version, or a CRD of the run / `--crd`. Kinds with neither are skipped.
/// Runs once per set: validators are compiled once per schema, objects checked in parallel.
pub struct SchemaInvalid;

/// Where an object's schema comes from.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Source {
    /// Bundled version index and definition name.
    Bundled(usize, String),
    /// `apiVersion/kind` of a CRD.
    Crd(String),
}

struct Compiled {
    validator: jsonschema::Validator,
    /// The schema it was built from (for field suggestions).
    schema: Value,
}

impl Check for SchemaInvalid {
    fn scope(&self) -> Scope {
        Scope::Set
    }

    fn check_set(&self, set: &ObjectSet, cx: &CheckContext, out: &mut Vec<(usize, Violation)>) {
        let bundle = match bundle::bundle() {
            Ok(b) => b,
            Err(e) => {
                // Only a broken build gets here; say so once instead of validating nothing silently.
                if let Some(first) = set.objects.first() {
                    out.push((0, Violation::new(first.anchor_span(), format!("internal error: {e}"))));
                }
                return;
            }
        };
        // Kinds without a bundled schema may be custom resources: index the CRDs of the run
        // (only the schemas of those kinds are converted), then those of `--crd`.
        let mut wanted: HashSet<String> = HashSet::new();
        for o in &set.objects {
            let v = bundle.nearest(cx.run.target_version(o).0);
            if matches!(bundle.root(v, &o.api_version, &o.kind), Ok(None)) {
                wanted.insert(format!("{}/{}", o.api_version, o.kind));
            }
        }
        let mut crds = CrdIndex::default();
        if !wanted.is_empty() {
            for (_, o) in set.of_kind("CustomResourceDefinition").filter(|(_, o)| o.group() == "apiextensions.k8s.io") {
                crds.add_node(o.node(), &wanted);
            }
            for c in cx.run.crds.iter() {
                crds.add(c);
            }
        }

        // The schema of each object; each schema compiled once (in parallel); then every object
        // validated (in parallel: a few kinds, CRDs above all, hold most of the bytes).
        let mut sources: Vec<(usize, Source)> = Vec::new();
        for (i, o) in set.objects.iter().enumerate() {
            match source_of(bundle, &crds, o, cx) {
                Ok(Some(s)) => sources.push((i, s)),
                Ok(None) => {}
                Err(e) => out.push((i, Violation::new(o.anchor_span(), format!("internal error: {e}")))),
            }
        }
        let unique: BTreeSet<&Source> = sources.iter().map(|(_, s)| s).collect();
        let compiled: HashMap<&Source, Compiled> = unique
            .into_iter()
            .collect::<Vec<_>>()
            .into_par_iter()
            .filter_map(|s| Some((s, compile(bundle, &crds, s)?)))
            .collect();
        let found: Vec<(usize, Violation)> = sources
            .par_iter()
            .filter_map(|(i, s)| Some((*i, compiled.get(s)?)))
            .flat_map_iter(|(i, c)| validate(c, &set.objects[i]).into_iter().map(move |v| (i, v)))
            .collect();
        out.extend(found);
    }
}

fn source_of(bundle: &Bundle, crds: &CrdIndex, o: &Object, cx: &CheckContext) -> Result<Option<Source>, String> {
    let (target, _) = cx.run.target_version(o);
    let v = bundle.nearest(target);
    if let Some(name) = bundle.root(v, &o.api_version, &o.kind)? {
        return Ok(Some(Source::Bundled(v, name.to_string())));
    }
    Ok(crds.get(&o.api_version, &o.kind).map(|_| Source::Crd(format!("{}/{}", o.api_version, o.kind))))
}

/// A validator for `source`; `None` when the schema does not compile (a CRD with a schema
/// this validator cannot read is skipped like a kind without a schema).
fn compile(bundle: &Bundle, crds: &CrdIndex, source: &Source) -> Option<Compiled> {
    let schema = match source {
        Source::Bundled(v, name) => bundle::standalone(bundle.defs(*v).ok()?, name),
        Source::Crd(key) => crds.schemas.get(key)?.clone(),
    };
    let build = |s: &Value| jsonschema::options().should_validate_formats(false).build(s).ok();
    if let Some(validator) = build(&schema) {
        return Some(Compiled { validator, schema });
    }
    // A CRD pattern the regex engine rejects should not cost the whole kind its checks.
    let schema = crd::without_patterns(&schema);
    build(&schema).map(|validator| Compiled { validator, schema })
}

fn validate(compiled: &Compiled, object: &Object) -> Vec<Violation> {
    let root = object.node();
    let instance = root.to_json();
    if compiled.validator.is_valid(&instance) {
        return Vec::new();
    }
    let mut found: Vec<Violation> = Vec::new();
    for e in compiled.validator.iter_errors(&instance) {
        let path = pointer::segments(e.instance_path());
        let here = pointer::locate(root, &path);
        let at = |l: Option<Located>| l.map_or_else(|| object.anchor_span(), |l| l.span());
        let name = pointer::display(&path);
        match e.kind() {
            K::AdditionalProperties { unexpected } => {
                for field in unexpected {
                    let mut full = path.clone();
                    full.push(Seg::Key(field.clone()));
                    let span = pointer::locate(root, &full).map_or_else(|| at(here), |l| l.key_span());
                    let hint = suggest(&compiled.schema, &path, field).map(|s| format!(" (did you mean {s}?)"));
                    found.push(Violation::new(
                        span,
                        format!("unknown field {}{}", pointer::display(&full), hint.unwrap_or_default()),
                    ));
                }
            }
            K::Required { property } => {
                let mut full = path.clone();
                full.push(Seg::Key(property.as_str().map_or_else(|| property.to_string(), str::to_string)));
                let span = match here {
                    Some(l) if !path.is_empty() => l.key_span(),
                    _ => object.anchor_span(),
                };
                found.push(Violation::new(span, format!("missing required field {}", pointer::display(&full))));
            }
            K::Type { kind } => {
                found.push(Violation::new(
                    at(here),
                    format!("{name}: expected {}, got {}", wanted(kind), describe(e.instance())),
                ));
            }
            K::Enum { options } => {
                let listed: Vec<String> =
                    options.as_array().into_iter().flatten().filter(|o| !o.is_null() && *o != "").map(short).collect();
                found.push(Violation::new(
                    at(here),
                    format!("{name}: {} is not one of {}", short(e.instance()), listed.join(", ")),
                ));
            }
            _ => {
                found.push(Violation::new(at(here), format!("{}: {e}", if name.is_empty() { "object" } else { &name })))
            }
        }
    }
    found.sort_by(|a, b| (a.span.start, &a.message).cmp(&(b.span.start, &b.message)));
    found.dedup_by(|a, b| a.span == b.span && a.message == b.message);
    found.truncate(MAX_PER_OBJECT);
    found
}

/// Expected types without `null` (every optional field allows it; nobody writes it on purpose).
fn wanted(kind: &TypeKind) -> String {
    let names: Vec<String> = match kind {
        TypeKind::Single(t) => vec![t.to_string()],
        TypeKind::Multiple(set) => set.iter().map(|t| t.to_string()).filter(|t| t != "null").collect(),
    };
    const ORDER: [&str; 6] = ["boolean", "integer", "number", "string", "array", "object"];
    let mut ordered: Vec<&str> = ORDER.iter().copied().filter(|o| names.iter().any(|n| n == o)).collect();
    if ordered.is_empty() {
        ordered = names.iter().map(String::as_str).collect();
    }
    ordered.join(" or ")
}

/// `string "3"`, `integer 3`, `object`.
fn describe(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("boolean {b}"),
        Value::Number(n) if n.is_i64() || n.is_u64() => format!("integer {n}"),
        Value::Number(n) => format!("number {n}"),
        Value::String(_) => format!("string {}", short(v)),
        Value::Array(_) => "array".into(),
        Value::Object(_) => "object".into(),
    }
}

/// A value as JSON, cut to a readable length.
fn short(v: &Value) -> String {
    let text = v.to_string();
    if text.chars().count() <= 60 {
        return text;
    }
    let cut: String = text.chars().take(57).collect();
    format!("{cut}...")
}

/// The property `field` was probably meant to be: a declared property of the object at
/// `path` equal ignoring case, or within a small edit distance.
fn suggest(schema: &Value, path: &[Seg], field: &str) -> Option<String> {
    let here = schema_at(schema, path)?;
    let props = here.get("properties")?.as_object()?;
    let lower = field.to_ascii_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for name in props.keys() {
        let d = if name.to_ascii_lowercase() == lower { 0 } else { distance(&lower, &name.to_ascii_lowercase()) };
        let limit = (field.len().max(name.len()) / 3).clamp(1, 3);
        if d <= limit && best.is_none_or(|(bd, bn)| (d, name.as_str()) < (bd, bn)) {
            best = Some((d, name));
        }
    }
    best.map(|(_, n)| n.to_string())
}

/// The (structural) schema that applies at `path`, following `$ref`s into `$defs`.
fn schema_at<'a>(schema: &'a Value, path: &[Seg]) -> Option<&'a Value> {
    let resolve = |mut s: &'a Value| {
        for _ in 0..32 {
            match s.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix("#/$defs/")) {
                Some(name) => s = schema.get("$defs")?.get(name)?,
                None => return Some(s),
            }
        }
        None
    };
    let mut here = resolve(schema)?;
    for seg in path {
        let next = match seg {
            Seg::Key(k) => here
                .get("properties")
                .and_then(|p| p.get(k.as_str()))
                .or_else(|| here.get("additionalProperties").filter(|a| a.is_object()))?,
            Seg::Index(_) => here.get("items")?,
        };
        here = resolve(next)?;
    }
    Some(here)
}

/// Levenshtein distance (short ASCII-ish field names).
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb { prev } else { 1 + prev.min(cur).min(row[j]) };
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_are_close_names() {
        assert_eq!(distance("replica", "replicas"), 1);
        assert_eq!(distance("kitten", "sitting"), 3);
        let schema = serde_json::json!({"$ref": "#/$defs/A", "$defs": {"A": {"properties": {"spec": {"$ref": "#/$defs/S"}}}, "S": {"properties": {"replicas": {}, "selector": {}}}}});
        let spec = vec![Seg::Key("spec".into())];
        assert_eq!(suggest(&schema, &spec, "replica").as_deref(), Some("replicas"));
        assert_eq!(suggest(&schema, &spec, "Selector").as_deref(), Some("selector"));
        assert_eq!(suggest(&schema, &spec, "template"), None);
    }
}
