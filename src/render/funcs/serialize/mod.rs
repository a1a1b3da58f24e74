//! Template functions: serialize family. Helm's own `toYaml`, `mustToYaml`, `toYamlPretty`,
//! `fromYaml`, `fromYamlArray`, `toJson`, `mustToJson`, `fromJson`, `fromJsonArray`,
//! `toToml`, `mustToToml`, and Sprig's `toPrettyJson`, `toRawJson`,
//! `mustFromJson` & co.
//!
//! `toYaml` is `sigs.k8s.io/yaml.Marshal`: `encoding/json` first, then the JSON is read back
//! with go-yaml v2 (numbers become int/uint/float again, a raw NEL in a string folds to a
//! space, control characters and over-long keys fail) and written with go-yaml v2's
//! emitter. Every step is reproduced here; see [`goyaml`] and [`json`].

mod goyaml;
mod json;
#[cfg(test)]
mod tests;
mod toml;

use crate::render::limits::{note_cut, Walk};
use crate::render::value::{Map, Object, Value};
use crate::source::FileId;
use crate::yaml::{self, Kind, NodeRef, Scalar, Tag};

use self::goyaml::{Dialect, Node};
use self::json::{Target, J};
use super::{arity, expect_str, CallCtx, FuncError, FuncResult, Registry};

pub fn register(r: &mut Registry) {
    r.add("toYaml", to_yaml_fn);
    r.add("mustToYaml", must_to_yaml_fn);
    r.add("toYamlPretty", to_yaml_pretty_fn);
    r.add("fromYaml", from_yaml_fn);
    r.add("fromYamlArray", from_yaml_array_fn);
    r.add("toJson", to_json_fn);
    r.add("mustToJson", must_to_json_fn);
    r.add("toPrettyJson", to_pretty_json_fn);
    r.add("mustToPrettyJson", must_to_pretty_json_fn);
    r.add("toRawJson", to_raw_json_fn);
    r.add("mustToRawJson", must_to_raw_json_fn);
    r.add("fromJson", from_json_fn);
    r.add("mustFromJson", must_from_json_fn);
    r.add("fromJsonArray", from_json_array_fn);
    r.add("toToml", to_toml_fn);
    r.add("mustToToml", must_to_toml_fn);
    // Helm v4 defines no `mustFromJsonArray`, `mustFromYaml`, `mustFromToml` or
    // `mustToYamlPretty` ("function not defined" in `helm template`). Its `fromToml` is not
    // implemented here (no TOML reader yet).
}

// ---- public API for the engine ----------------------------------------------------------------

/// `sigs.k8s.io/yaml.Marshal(v)`: the YAML text with its final newline, or the error text
/// Go would return.
pub fn to_yaml(v: &Value) -> Result<String, String> {
    let j = to_j(v, Flavor::Json);
    // json.Marshal fails first (NaN, ±Inf).
    json::check_marshal(&j).map_err(|e| format!("error marshaling into JSON: {e}"))?;
    let node = Roundtrip::default().node(&j)?;
    Ok(goyaml::encode(&node, Dialect::V2))
}

/// `json.Marshal(v)` as a string.
pub fn to_json(v: &Value) -> Result<String, String> {
    json::marshal(&to_j(v, Flavor::Json), true)
}

// ---- the template functions ------------------------------------------------------------------

fn one(args: &[Value]) -> Result<&Value, FuncError> {
    arity(args, 1)?;
    Ok(&args[0])
}

fn trim_newline(mut s: String) -> String {
    if s.ends_with('\n') {
        s.pop();
    }
    s
}

fn to_yaml_fn(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    let v = one(args)?;
    Ok(Value::str(to_yaml(v).map(trim_newline).unwrap_or_default()))
}

fn must_to_yaml_fn(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    let v = one(args)?;
    to_yaml(v).map(|s| Value::str(trim_newline(s))).map_err(FuncError::Call)
}

fn to_yaml_pretty_fn(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    let v = one(args)?;
    let node = pretty_node(v);
    Ok(Value::str(trim_newline(goyaml::encode(&node, Dialect::V3))))
}

fn to_json_fn(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    Ok(Value::str(to_json(one(args)?).unwrap_or_default()))
}

fn must_to_json_fn(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    to_json(one(args)?).map(Value::str).map_err(FuncError::Call)
}

fn to_pretty_json_fn(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    Ok(Value::str(json::marshal_indent(&to_j(one(args)?, Flavor::Json)).unwrap_or_default()))
}

fn must_to_pretty_json_fn(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    json::marshal_indent(&to_j(one(args)?, Flavor::Json)).map(Value::str).map_err(FuncError::Call)
}

/// Sprig's `toRawJson` panics on error, which text/template reports like an error return.
fn to_raw_json_fn(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    json::marshal(&to_j(one(args)?, Flavor::Json), false).map(Value::str).map_err(FuncError::Call)
}

fn must_to_raw_json_fn(c: &mut CallCtx, args: &[Value]) -> FuncResult {
    to_raw_json_fn(c, args)
}

/// Helm's `fromJson`: a map; errors go under the "Error" key.
fn from_json_fn(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    let text = expect_str(one(args)?)?;
    let (v, err) = json::unmarshal(text, Target::Map);
    Ok(with_error_key(v, err))
}

/// Helm's `fromJsonArray`: a list; an error becomes the only element.
fn from_json_array_fn(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    let text = expect_str(one(args)?)?;
    let (v, err) = json::unmarshal(text, Target::Slice);
    Ok(match err {
        Some(e) => Value::list(vec![Value::str(e)]),
        None => list_or_empty(v),
    })
}

/// Sprig's `mustFromJson`: any JSON value, or an error.
fn must_from_json_fn(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    let text = expect_str(one(args)?)?;
    match json::unmarshal(text, Target::Interface) {
        (_, Some(e)) => Err(FuncError::Call(e)),
        (v, None) => Ok(v),
    }
}

fn from_yaml_fn(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    let text = expect_str(one(args)?)?;
    let (v, err) = yaml_unmarshal(text, Target::Map);
    Ok(with_error_key(v, err))
}

fn from_yaml_array_fn(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    let text = expect_str(one(args)?)?;
    let (v, err) = yaml_unmarshal(text, Target::Slice);
    Ok(match err {
        Some(e) => Value::list(vec![Value::str(e)]),
        None => list_or_empty(v),
    })
}

/// Helm's `toToml`: the TOML text, or the encoder's error text in its place.
fn to_toml_fn(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    match toml::encode(&to_j(one(args)?, Flavor::Toml)) {
        Ok(s) => Ok(Value::str(s)),
        Err(toml::Error::Returned(e)) => Ok(Value::str(e)),
        Err(toml::Error::Panic(e)) => Err(FuncError::Call(e)),
    }
}

/// Helm's `mustToToml`: the encoder's errors fail the template.
fn must_to_toml_fn(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    match toml::encode(&to_j(one(args)?, Flavor::Toml)) {
        Ok(s) => Ok(Value::str(s)),
        Err(toml::Error::Returned(e) | toml::Error::Panic(e)) => Err(FuncError::Call(e)),
    }
}

/// The `m := map{}; if err { m["Error"] = err }` pattern (a nil map stays an empty map).
fn with_error_key(v: Value, err: Option<String>) -> Value {
    let mut map = match v {
        Value::Map(ref m) => m.borrow().clone(),
        _ => Map::new(),
    };
    if let Some(e) = err {
        map.insert("Error".into(), Value::str(e));
    }
    Value::map(map)
}

fn list_or_empty(v: Value) -> Value {
    match v {
        Value::List(_) => v,
        _ => Value::list(Vec::new()),
    }
}

// ---- Value → what encoding/json sees --------------------------------------------------------

/// Which encoder looks at a value: they differ on `[]byte` and on struct field names.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Flavor {
    /// encoding/json: `[]byte` is base64 text, fields use their json tags.
    Json,
    /// BurntSushi/toml: `[]byte` is an array of numbers, fields use their Go names.
    Toml,
}

/// Convert a template value to the model the JSON and TOML encoders work on. A part that
/// contains itself or is nested too deep becomes null, and the cut is noted for the executor
/// to report (Go would overflow its stack).
fn to_j(v: &Value, flavor: Flavor) -> J {
    to_j_in(v, flavor, &mut Walk::new())
}

fn to_j_in(v: &Value, flavor: Flavor, w: &mut Walk) -> J {
    w.enter(v, |w| to_j_level(v, flavor, w)).unwrap_or_else(|limit| {
        note_cut(limit);
        J::Null
    })
}

fn to_j_level(v: &Value, flavor: Flavor, w: &mut Walk) -> J {
    match v {
        Value::Nil => J::Null,
        Value::Bool(b) => J::Bool(*b),
        Value::Int(i) => J::Int(*i),
        Value::Float(f) => J::Float(*f),
        Value::Str(s) => J::Str(s.to_string()),
        Value::BinStr(b) => J::Str(b.text.to_string()),
        Value::Bytes(b) if flavor == Flavor::Json => J::Str(base64_encode(b)),
        Value::Bytes(b) => J::Arr(b.iter().map(|x| J::Int(i64::from(*x))).collect()),
        Value::List(items) => J::Arr(items.iter().map(|x| to_j_in(x, flavor, w)).collect()),
        Value::Map(m) => J::Obj(m.borrow().iter().map(|(k, x)| (k.clone(), to_j_in(x, flavor, w))).collect()),
        Value::Object(o) => match struct_fields(o.as_ref()) {
            Some(fields) => J::Obj(
                fields
                    .into_iter()
                    .filter(|(f, v)| flavor == Flavor::Toml || !f.omitempty || v.truthy())
                    .map(|(f, v)| {
                        ((if flavor == Flavor::Json { f.json } else { f.go }).to_string(), to_j_in(&v, flavor, w))
                    })
                    .collect(),
            ),
            None => J::Str(o.display()),
        },
    }
}

/// A struct field as the encoders see it.
struct Field {
    go: &'static str,
    json: &'static str,
    omitempty: bool,
}

const fn field(go: &'static str, json: &'static str, omitempty: bool) -> Field {
    Field { go, json, omitempty }
}

/// The structs Helm exposes to templates, with their fields in declaration order (Go
/// encoders keep that order). `None` for objects not known here: they marshal as their
/// `%v` text.
fn struct_fields(o: &dyn Object) -> Option<Vec<(Field, Value)>> {
    let ty = o.type_name();
    let short = ty.rsplit(['.', '*']).next().unwrap_or(ty);
    let fields: Vec<Field> = match short {
        "Capabilities" => vec![
            field("KubeVersion", "KubeVersion", false),
            field("APIVersions", "APIVersions", false),
            field("HelmVersion", "HelmVersion", false),
        ],
        "KubeVersion" => {
            vec![field("Version", "Version", false), field("Major", "Major", false), field("Minor", "Minor", false)]
        }
        "BuildInfo" => vec![
            field("Version", "version", true),
            field("GitCommit", "git_commit", true),
            field("GitTreeState", "git_tree_state", true),
            field("GoVersion", "go_version", true),
            field("KubeClientVersion", "kube_client_version", false),
        ],
        _ => return None,
    };
    Some(
        fields
            .into_iter()
            .map(|f| {
                let v = o.field(f.go).unwrap_or_else(|| Value::str(""));
                (f, v)
            })
            .collect(),
    )
}

// ---- the JSON → go-yaml v2 round trip of sigs.k8s.io/yaml.JSONToYAML ----------------------------

/// Reads the JSON text back the way go-yaml v2 would. Tracks raw NEL characters (line
/// breaks to YAML, left raw by encoding/json) because they shift error line numbers.
#[derive(Default)]
struct Roundtrip {
    /// Line breaks seen so far in the JSON text (go-yaml's 0-based line number).
    lines: usize,
}

impl Roundtrip {
    fn node(&mut self, j: &J) -> Result<Node, String> {
        Ok(match j {
            J::Null => Node::Null,
            J::Bool(b) => Node::Bool(*b),
            J::Int(i) => Node::Int(*i),
            J::Float(f) => {
                // go-yaml resolves the JSON number text: int, then uint, then float.
                let text = json::format_float(*f)?;
                if let Ok(i) = text.parse::<i64>() {
                    Node::Int(i)
                } else if let Ok(u) = text.parse::<u64>() {
                    Node::Uint(u)
                } else {
                    Node::Float(*f)
                }
            }
            J::Str(s) => Node::Str(self.string(s)?),
            J::Arr(items) => Node::Seq(items.iter().map(|x| self.node(x)).collect::<Result<_, _>>()?),
            J::Obj(entries) => {
                let open_line = self.lines;
                let mut out = Vec::with_capacity(entries.len());
                for (k, v) in entries {
                    let key = self.string(k)?;
                    // A key must be a simple key: on one line, and its JSON text (quotes
                    // included) at most 1024 characters. Otherwise go-yaml's parser stops.
                    let quoted_len = json_quoted_chars(k);
                    if k.contains('\u{85}') || quoted_len > 1024 {
                        let line = if self.lines != 0 { self.lines } else { open_line };
                        let at = if line != 0 { format!("line {line}: ") } else { String::new() };
                        return Err(format!("yaml: {at}did not find expected ',' or '}}'"));
                    }
                    let value = self.node(v)?;
                    out.push((key, value));
                }
                goyaml::sort_keys(&mut out, Dialect::V2);
                Node::Map(out)
            }
        })
    }

    /// A JSON string literal as go-yaml's double-quoted scanner reads it.
    fn string(&mut self, s: &str) -> Result<String, String> {
        // The reader rejects these before anything else (encoding/json leaves them raw).
        if s.chars().any(|c| matches!(c, '\u{7f}'..='\u{84}' | '\u{86}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}')) {
            return Err("yaml: control characters are not allowed".into());
        }
        if !s.contains('\u{85}') {
            return Ok(s.to_string());
        }
        // Raw NEL is a line break inside a YAML double-quoted scalar: blanks around it are
        // trimmed, a single break folds to a space, further breaks stay as newlines.
        let chars: Vec<char> = s.chars().collect();
        let mut out = String::new();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if c != ' ' && c != '\u{85}' {
                out.push(c);
                i += 1;
                continue;
            }
            let mut whitespaces = String::new();
            let mut leading_break = false;
            let mut trailing_breaks = 0usize;
            let mut after_break = false;
            while i < chars.len() && (chars[i] == ' ' || chars[i] == '\u{85}') {
                if chars[i] == ' ' {
                    if !leading_break {
                        whitespaces.push(' ');
                    }
                    after_break = false;
                } else {
                    self.lines += 1;
                    if !leading_break {
                        whitespaces.clear();
                        leading_break = true;
                    } else {
                        trailing_breaks += 1;
                    }
                    after_break = true;
                }
                i += 1;
            }
            if leading_break {
                if trailing_breaks == 0 {
                    out.push(' ');
                } else {
                    out.extend(std::iter::repeat_n('\n', trailing_breaks));
                }
                // At column 0 a document marker ends the scalar: a scanner error.
                if after_break && i + 3 <= chars.len() {
                    let marker: String = chars[i..i + 3].iter().collect();
                    let next = chars.get(i + 3);
                    if (marker == "---" || marker == "...") && matches!(next, Some(' ' | '\u{85}')) {
                        return Err(format!("yaml: line {}: found unexpected document indicator", self.lines + 1));
                    }
                }
            } else {
                out.push_str(&whitespaces);
            }
        }
        Ok(out)
    }
}

/// Length in characters of `s` as encoding/json writes it, quotes included.
fn json_quoted_chars(s: &str) -> usize {
    // An escape is at most 6 characters: short keys need no exact count.
    if s.len() * 6 + 2 <= 1024 {
        return s.len() + 2;
    }
    let mut out = String::new();
    json::quote_into(s, true, &mut out);
    out.chars().count()
}

// ---- toYamlPretty: go-yaml v3 straight from the Go values ------------------------------------

fn pretty_node(v: &Value) -> Node {
    pretty_node_in(v, &mut Walk::new())
}

fn pretty_node_in(v: &Value, w: &mut Walk) -> Node {
    w.enter(v, |w| pretty_node_level(v, w)).unwrap_or_else(|limit| {
        note_cut(limit);
        Node::Null
    })
}

fn pretty_node_level(v: &Value, w: &mut Walk) -> Node {
    match v {
        Value::Nil => Node::Null,
        Value::Bool(b) => Node::Bool(*b),
        Value::Int(i) => Node::Int(*i),
        Value::Float(f) => Node::Float(*f),
        Value::Str(s) => Node::Str(s.to_string()),
        Value::BinStr(b) => Node::Str(b.text.to_string()),
        Value::Bytes(b) => Node::Seq(b.iter().map(|x| Node::Int(i64::from(*x))).collect()),
        Value::List(items) => Node::Seq(items.iter().map(|x| pretty_node_in(x, w)).collect()),
        Value::Map(m) => {
            let mut entries: Vec<(String, Node)> =
                m.borrow().iter().map(|(k, x)| (k.clone(), pretty_node_in(x, w))).collect();
            goyaml::sort_keys(&mut entries, Dialect::V3);
            Node::Map(entries)
        }
        // go-yaml v3 names struct fields by their lowercased Go names, in declaration order.
        Value::Object(o) => match struct_fields(o.as_ref()) {
            Some(fields) => {
                Node::Map(fields.into_iter().map(|(f, v)| (f.go.to_lowercase(), pretty_node_in(&v, w))).collect())
            }
            None => Node::Str(o.display()),
        },
    }
}

// ---- sigs.k8s.io/yaml.Unmarshal ------------------------------------------------------------------

/// What go-yaml v2 decodes into `interface{}` before sigs.k8s.io/yaml converts it to JSON.
enum Y {
    Null,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    Str(String),
    Seq(Vec<Y>),
    Map(Vec<(Y, Y)>),
}

/// `sigs.k8s.io/yaml.Unmarshal(text, &target)` for Helm's `fromYaml`/`fromYamlArray`.
fn yaml_unmarshal(text: &str, target: Target) -> (Value, Option<String>) {
    let docs = yaml::parse_stream(FileId(0), text);
    let root = match docs.first() {
        None => None,
        Some(Err(e)) => {
            // go-yaml stops after the first node of the document, so junk after a complete
            // top-level scalar goes unnoticed; saphyr rejects it. Retry without the junk.
            let trailing = e.message.contains("trailing content") || e.message.contains("comments must be separated");
            let at = (e.span.start as usize).min(text.len());
            if trailing && text.is_char_boundary(at) {
                match text.trim_start().as_bytes().first() {
                    Some(b'"' | b'\'') => return yaml_unmarshal(&text[..at], target),
                    // Inside a flow collection go-yaml's parser wants a separator there.
                    Some(open @ (b'{' | b'[')) => {
                        let close = if *open == b'{' { '}' } else { ']' };
                        let problem = format!("did not find expected ',' or '{close}'");
                        return (
                            Value::Nil,
                            Some(format!(
                                "error converting YAML to JSON: yaml: {}",
                                parser_error_at(text, at, &problem)
                            )),
                        );
                    }
                    _ => {}
                }
            }
            return (Value::Nil, Some(format!("error converting YAML to JSON: yaml: {}", go_yaml_error(text, e))));
        }
        Some(Ok(doc)) => match doc.root() {
            Some(_) if go_yaml_rejects(text, doc).is_some() => {
                let e = go_yaml_rejects(text, doc).unwrap_or_default();
                return (Value::Nil, Some(format!("error converting YAML to JSON: yaml: {e}")));
            }
            Some(r) => match decode_node(r) {
                Ok(y) => Some(y),
                Err(e) => return (Value::Nil, Some(format!("error converting YAML to JSON: yaml: {e}"))),
            },
            None => None,
        },
    };
    let value = match root {
        None => Value::Nil,
        Some(y) => match y_to_value(y) {
            Ok(v) => v,
            Err(e) => return (Value::Nil, Some(format!("error converting YAML to JSON: {e}"))),
        },
    };
    let kind = match &value {
        Value::Nil => "null",
        Value::Map(_) => "object",
        Value::List(_) => "array",
        Value::Str(_) => "string",
        Value::Bool(_) => "bool",
        _ => "number",
    };
    let fits = match target {
        Target::Map => matches!(kind, "object" | "null"),
        Target::Slice => matches!(kind, "array" | "null"),
        Target::Interface => true,
    };
    if !fits {
        let ty = if target == Target::Map { "map[string]interface {}" } else { "[]interface {}" };
        return (
            Value::Nil,
            Some(format!("error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {kind} into Go value of type {ty}")),
        );
    }
    (value, None)
}

/// go-yaml v2's decoding of one node into `interface{}`.
fn decode_node(n: NodeRef<'_>) -> Result<Y, String> {
    let n = n.resolved();
    Ok(match n.kind() {
        Kind::Sequence => Y::Seq(n.items().map(decode_node).collect::<Result<_, _>>()?),
        Kind::Mapping => {
            let mut out = Vec::new();
            for (k, v) in n.entries() {
                let key = decode_node(k)?;
                if matches!(key, Y::Seq(_) | Y::Map(_)) {
                    return Err(format!("invalid map key: {}", go_sharp_v(&key)));
                }
                out.push((key, decode_node(v)?));
            }
            Y::Map(out)
        }
        _ => {
            let tag = n.doc.nodes.get(n.id as usize).map(|x| x.tag).unwrap_or(Tag::None);
            match n.scalar() {
                None | Some(Scalar::Null) => Y::Null,
                Some(Scalar::Bool(b)) => Y::Bool(b),
                Some(Scalar::Int(i)) => Y::Int(i),
                Some(Scalar::Uint(u)) => Y::Uint(u),
                Some(Scalar::Float(f)) if goyaml::is_overflowing_float(n.raw().unwrap_or(""), f) => {
                    Y::Str(n.raw().unwrap_or("").to_string())
                }
                Some(Scalar::Float(f)) => Y::Float(f),
                Some(Scalar::Str(s)) if tag == Tag::Binary => match base64_decode(s) {
                    Some(bytes) => Y::Str(String::from_utf8_lossy(&bytes).into_owned()),
                    None => return Err("!!binary value contains invalid base64 data".into()),
                },
                Some(Scalar::Str(s)) => Y::Str(s.to_string()),
            }
        }
    })
}

/// sigs.k8s.io/yaml's `convertToJSONableObject` plus the JSON round trip (numbers become
/// float64, NaN and ±Inf fail to marshal).
fn y_to_value(y: Y) -> Result<Value, String> {
    // Key conversion errors come first (convertToJSONableObject), then json.Marshal's.
    check_keys(&y)?;
    y_value(y)
}

fn check_keys(y: &Y) -> Result<(), String> {
    match y {
        Y::Seq(items) => items.iter().try_for_each(check_keys),
        Y::Map(entries) => {
            for (k, v) in entries {
                if let Y::Null | Y::Uint(_) = k {
                    let ty = if let Y::Null = k { "%!s(<nil>)" } else { "uint64" };
                    return Err(format!(
                        "unsupported map key of type: {ty}, key: {}, value: {}",
                        go_sharp_v(k),
                        go_sharp_v(v)
                    ));
                }
                check_keys(v)?;
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

fn y_value(y: Y) -> Result<Value, String> {
    Ok(match y {
        Y::Null => Value::Nil,
        Y::Bool(b) => Value::Bool(b),
        Y::Int(i) => Value::Float(i as f64),
        Y::Uint(u) => Value::Float(u as f64),
        Y::Float(f) => {
            json::format_float(f)?;
            Value::Float(f)
        }
        Y::Str(s) => Value::str(s),
        Y::Seq(items) => Value::list(items.into_iter().map(y_value).collect::<Result<_, _>>()?),
        Y::Map(entries) => {
            let mut map = Map::new();
            for (k, v) in entries {
                let key = match k {
                    Y::Str(s) => s,
                    Y::Int(i) => i.to_string(),
                    Y::Bool(b) => b.to_string(),
                    Y::Float(f) => Scalar::Float(f).json_key().into_owned(),
                    _ => String::new(),
                };
                map.insert(key, y_value(v)?);
            }
            Value::map(map)
        }
    })
}

/// Go's `%#v` for the decoded YAML values that appear in error messages.
fn go_sharp_v(y: &Y) -> String {
    match y {
        Y::Null => "<nil>".into(),
        Y::Bool(b) => b.to_string(),
        Y::Int(i) => i.to_string(),
        Y::Uint(u) => format!("0x{u:x}"),
        Y::Float(f) => crate::yaml::scalar::format_float_g(*f, false),
        Y::Str(s) => go_quote(s),
        Y::Seq(items) => {
            format!("[]interface {{}}{{{}}}", items.iter().map(go_sharp_v).collect::<Vec<_>>().join(", "))
        }
        Y::Map(entries) => format!(
            "map[interface {{}}]interface {{}}{{{}}}",
            entries.iter().map(|(k, v)| format!("{}:{}", go_sharp_v(k), go_sharp_v(v))).collect::<Vec<_>>().join(", ")
        ),
    }
}

/// `strconv.Quote` for common text.
fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// go-yaml's error text (`line N: problem`) for a parse error of our YAML layer. The
/// problems are worded by saphyr; the common ones are translated to go-yaml's wording and
/// line rules (parser errors: the 0-based line of the offending token, where the stream end
/// sits on a line of its own; scanner errors: 1-based; line 0 is never printed).
fn go_yaml_error(text: &str, e: &yaml::YamlError) -> String {
    let mut offset = (e.span.start as usize).min(text.len());
    // Our layer moves end-of-input errors back to the last content line; go-yaml reports
    // them at the end.
    if text.get(offset..).is_some_and(|rest| rest.trim().is_empty()) {
        offset = text.len();
    }
    let msg = e.message.as_str();
    // saphyr reports tab problems at the scalar; go-yaml at the tab itself.
    if msg.contains("tab") {
        if let Some(i) = text[offset..].find("\n\t") {
            offset += i + 1;
        }
    }
    if msg.contains("misplaced bracket") && text[..offset].trim().is_empty() {
        return parser_error_at(text, offset, "did not find expected node content");
    }
    if msg.contains("unknown anchor") {
        // A composer error: no line. saphyr does not name the alias; read it from the text.
        let name: String = text[offset..]
            .trim_start_matches('*')
            .chars()
            .take_while(|c| !c.is_whitespace() && !matches!(c, ',' | '[' | ']' | '{' | '}'))
            .collect();
        return format!("unknown anchor '{name}' referenced");
    }
    const PARSER: &[(&str, &str)] = &[
        ("did not find expected node content", "did not find expected node content"),
        ("expected ',' or ']'", "did not find expected ',' or ']'"),
        ("expected ',' or '}'", "did not find expected ',' or '}'"),
        ("expected '-' indicator", "did not find expected '-' indicator"),
        ("did not find expected key", "did not find expected key"),
        ("misplaced bracket", "did not find expected key"),
    ];
    const SCANNER: &[(&str, &str)] = &[
        ("mapping values are not allowed", "mapping values are not allowed in this context"),
        ("block sequence entries are not allowed", "block sequence entries are not allowed in this context"),
        ("hexadecimal number", "did not find expected hexdecimal number"),
        ("unknown escape character", "found unknown escape character"),
        ("Unicode character escape", "found invalid Unicode character escape code"),
        ("unexpected end of stream", "found unexpected end of stream"),
        ("unclosed", "found unexpected end of stream"),
        ("unexpected character", "found character that cannot start any token"),
        (
            "block scalar content cannot start with a tab",
            "found a tab character where an indentation space is expected",
        ),
        ("tab", "found a tab character that violates indentation"),
        ("could not find expected ':'", "could not find expected ':'"),
        ("simple key expect", "could not find expected ':'"),
    ];
    if let Some((_, problem)) = PARSER.iter().find(|(pat, _)| msg.contains(pat)) {
        return parser_error_at(text, offset, problem);
    }
    let problem = SCANNER.iter().find(|(pat, _)| msg.contains(pat)).map_or(msg, |(_, p)| p);
    scanner_error_at(text, offset, problem)
}

/// A go-yaml parser error: the 0-based line of the token (the stream end is forced onto a
/// new line after an unterminated last line), omitted when 0.
fn parser_error_at(text: &str, offset: usize, problem: &str) -> String {
    let mut line = text[..offset].matches('\n').count();
    if offset == text.len() && !text.is_empty() && !text.ends_with('\n') {
        line += 1;
    }
    // saphyr notices some flow errors only at the end; when the flow collection is closed,
    // go-yaml stopped earlier, inside it. Its start line is the best guess.
    if offset == text.len() && problem.contains("',' or") && text.trim_end().ends_with(['}', ']']) {
        let open = text.find(['{', '[']).unwrap_or(0);
        line = text[..open].matches('\n').count();
    }
    if line == 0 {
        problem.to_string()
    } else {
        format!("line {line}: {problem}")
    }
}

/// A go-yaml scanner error: 1-based line, omitted on the first line.
fn scanner_error_at(text: &str, offset: usize, problem: &str) -> String {
    let line0 = text[..offset].matches('\n').count();
    if line0 == 0 {
        problem.to_string()
    } else {
        format!("line {}: {problem}", line0 + 1)
    }
}

/// Documents our YAML layer accepts but go-yaml v2 rejects: tabs at the start of a block
/// line, and block mapping entries without a key (`: value`). The first problem in the text.
fn go_yaml_rejects(text: &str, doc: &yaml::Document) -> Option<String> {
    let end = (doc.span.end as usize).min(text.len());
    let start = text[..(doc.span.start as usize).min(end)].rfind('\n').map_or(0, |i| i + 1);
    // Regions where tabs are content: quoted/block scalars and flow collections.
    let mut shielded: Vec<(usize, usize)> = Vec::new();
    let mut plain_in_block: Vec<(usize, usize)> = Vec::new();
    let mut flow: Vec<(usize, usize)> = Vec::new();
    let mut problems: Vec<(usize, String)> = Vec::new();
    for id in 0..doc.node_count() as u32 {
        let n = doc.node(id);
        if n.is_alias() {
            continue;
        }
        let sp = n.span();
        let (a, b) = (sp.start as usize, (sp.end as usize).min(text.len()));
        match n.kind() {
            Kind::Scalar if n.style() != yaml::Style::Plain => shielded.push((a, b)),
            Kind::Scalar => plain_in_block.push((a, b)),
            Kind::Mapping | Kind::Sequence if matches!(text.as_bytes().get(a), Some(b'{' | b'[')) => flow.push((a, b)),
            _ => {}
        }
    }
    let in_any = |ranges: &[(usize, usize)], p: usize| ranges.iter().any(|&(a, b)| a < p && p < b);
    plain_in_block.retain(|&(a, _)| !in_any(&flow, a + 1) && !flow.iter().any(|&(fa, _)| fa == a));
    // Keyless block mapping entries.
    for id in 0..doc.node_count() as u32 {
        let n = doc.node(id);
        if n.is_alias() || n.kind() != Kind::Mapping || flow.iter().any(|&(a, _)| a == n.span().start as usize) {
            continue;
        }
        for (k, _) in n.entries() {
            let ks = k.span();
            if k.kind() == Kind::Scalar
                && k.raw() == Some("")
                && ks.start == ks.end
                && text.as_bytes().get(ks.start as usize) == Some(&b':')
            {
                let at = ks.start as usize;
                let line = text[..at].matches('\n').count();
                let ctx_line = text[..n.span().start as usize].matches('\n').count();
                let problem = "did not find expected key";
                let msg = match (line, ctx_line) {
                    (0, 0) => problem.to_string(),
                    (0, c) => format!("line {c}: {problem}"),
                    (l, _) => format!("line {l}: {problem}"),
                };
                problems.push((at, msg));
            }
        }
    }
    // Tabs at the start of a line, or right after a block `-`/`?` indicator.
    let mut p = start;
    while p < end {
        let line = &text.as_bytes()[p..end];
        let indent = line.iter().take_while(|&&c| c == b' ').count();
        if matches!(line.get(indent), Some(b'-' | b'?')) && line.get(indent + 1) == Some(&b'\t') {
            let at = p + indent + 1;
            if !in_any(&shielded, at) && !in_any(&flow, at) {
                problems.push((at, scanner_error_at(text, at, "found character that cannot start any token")));
                break;
            }
        }
        if text.as_bytes()[p] == b'\t'
            && (p == 0 || text.as_bytes()[p - 1] == b'\n')
            && !in_any(&shielded, p)
            && !in_any(&flow, p)
        {
            let before = text[start..p].trim_end();
            let last = start + before.len();
            let after_plain = last > start && plain_in_block.iter().any(|&(a, b)| a < last && last <= b);
            let line0 = text[..p].matches('\n').count();
            let msg = if line0 == 0 {
                "found character that cannot start any token".to_string()
            } else if after_plain {
                format!("line {}: found a tab character that violates indentation", line0 + 1)
            } else {
                format!("line {}: found character that cannot start any token", line0 + 1)
            };
            problems.push((p, msg));
            break;
        }
        p += text[p..].find('\n').map_or(end - p, |i| i + 1);
    }
    problems.into_iter().min_by_key(|(at, _)| *at).map(|(_, m)| m)
}

// ---- base64 (standard alphabet, padded) ----------------------------------------------------------

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(B64[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Lenient decoding as go-yaml does for `!!binary` (whitespace ignored).
fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let clean: Vec<u8> = s.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if !clean.len().is_multiple_of(4) {
        return None;
    }
    let mut out = Vec::new();
    for chunk in clean.chunks(4) {
        let mut n = 0u32;
        let mut pad = 0;
        for &c in chunk {
            let v = match c {
                b'A'..=b'Z' => c - b'A',
                b'a'..=b'z' => c - b'a' + 26,
                b'0'..=b'9' => c - b'0' + 52,
                b'+' => 62,
                b'/' => 63,
                b'=' => {
                    pad += 1;
                    0
                }
                _ => return None,
            };
            n = (n << 6) | u32::from(v);
        }
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..3 - pad.min(2)]);
    }
    Some(out)
}
