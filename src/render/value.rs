//! The dynamic value templates work with: what Go's text/template sees after Helm loads YAML
//! and JSON (`map[string]interface{}`, `[]interface{}`, float64 numbers, nil), plus `int` from
//! template literals and functions, `[]byte`, and structs with fields and methods
//! (`.Chart`, `.Release`, `.Files`, `.Capabilities`).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;
use std::rc::Rc;

use super::limits::{note_cut, Walk, WalkLimit};
use crate::yaml::scalar::format_float_g;

pub type Map = BTreeMap<String, Value>;

/// A Go struct or pointer exposed to templates: fields, zero-argument methods and methods with
/// arguments are all looked up by name, as text/template does.
pub trait Object {
    /// Go type name as `printf "%T"` shows it (e.g. `*chart.Metadata`).
    fn type_name(&self) -> &str;
    /// A field or zero-argument method; `None` if there is no such name.
    fn field(&self, name: &str) -> Option<Value>;
    /// A method with arguments; `None` if there is no such method.
    fn call(&self, _name: &str, _args: &[Value]) -> Option<Result<Value, String>> {
        None
    }
    /// Go reflect kind, as Sprig's `kindOf` prints it: structs exposed as pointers by
    /// default; map- and slice-typed objects say so.
    fn kind(&self) -> &'static str {
        "ptr"
    }
    /// `%v` rendering (Go prints structs as `{field1 field2}`).
    fn display(&self) -> String {
        format!("{{{}}}", self.type_name())
    }
    /// For map-typed objects (Go maps with methods, like `.Files`): the entries in sorted key
    /// order, so `range` and `len` work on them.
    fn entries(&self) -> Option<Vec<(Value, Value)>> {
        None
    }
    /// For slice-typed objects (like `.Capabilities.APIVersions`): the items.
    fn items(&self) -> Option<Vec<Value>> {
        None
    }
    /// For map- and slice-typed objects: the number of entries (Go's `len`, and what decides
    /// their truthiness). `None` for structs and pointers, which are always true.
    fn len(&self) -> Option<usize> {
        self.entries().map(|e| e.len()).or_else(|| self.items().map(|i| i.len()))
    }
}

/// The bytes of a non-UTF-8 Go string and their lossy text.
pub struct BinStr {
    pub bytes: Box<[u8]>,
    pub text: Box<str>,
}

/// A template value. Maps are shared and mutable like Go maps (`set` on a dict is visible to
/// every holder); lists and strings are immutable and cheap to clone.
#[derive(Clone, Default)]
pub enum Value {
    /// Go nil: a missing map key, an unset value, `nil` in a template.
    #[default]
    Nil,
    Bool(bool),
    /// Go `int`/`int64` (template literals, `len`, Sprig integer math).
    Int(i64),
    /// Go `float64` (every number that came from YAML or JSON values).
    Float(f64),
    Str(Rc<str>),
    /// A Go `string` whose bytes are not valid UTF-8 (a binary file from `.Files.Get`,
    /// `b64dec` of binary data). Byte-oriented functions (encoders, digests, `len`, `index`,
    /// comparisons) use the bytes, so `.Files.Get "x.bz2" | b64enc` is exact; text functions
    /// see the lossy text, as Go's rune-wise string functions see U+FFFD for invalid bytes.
    BinStr(Rc<BinStr>),
    Bytes(Rc<[u8]>),
    List(Rc<Vec<Value>>),
    Map(Rc<RefCell<Map>>),
    Object(Rc<dyn Object>),
}

impl Value {
    pub fn str(s: impl Into<Rc<str>>) -> Value {
        Value::Str(s.into())
    }
    /// A Go string from arbitrary bytes: `Str` when they are UTF-8, else `BinStr`.
    pub fn go_string(bytes: Vec<u8>) -> Value {
        match String::from_utf8(bytes) {
            Ok(s) => Value::str(s),
            Err(e) => {
                let bytes = e.into_bytes().into_boxed_slice();
                let text = String::from_utf8_lossy(&bytes).into();
                Value::BinStr(Rc::new(BinStr { bytes, text }))
            }
        }
    }
    /// The bytes of a Go string (`Str` or `BinStr`).
    pub fn string_bytes(&self) -> Option<&[u8]> {
        match self {
            Value::Str(s) => Some(s.as_bytes()),
            Value::BinStr(b) => Some(&b.bytes),
            _ => None,
        }
    }
    pub fn list(items: Vec<Value>) -> Value {
        Value::List(Rc::new(items))
    }
    pub fn map(map: Map) -> Value {
        Value::Map(Rc::new(RefCell::new(map)))
    }
    pub fn empty_map() -> Value {
        Value::map(Map::new())
    }

    /// Go's reflect kind name, as Sprig's `kindOf` prints it.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Value::Nil => "invalid",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Float(_) => "float64",
            Value::Str(_) | Value::BinStr(_) => "string",
            Value::Bytes(_) | Value::List(_) => "slice",
            Value::Map(_) => "map",
            Value::Object(o) => o.kind(),
        }
    }

    /// Go type name, as `printf "%T"` and Sprig's `typeOf` print it.
    pub fn type_name(&self) -> String {
        match self {
            Value::Nil => "<nil>".into(),
            Value::Bool(_) => "bool".into(),
            Value::Int(_) => "int".into(),
            Value::Float(_) => "float64".into(),
            Value::Str(_) | Value::BinStr(_) => "string".into(),
            Value::Bytes(_) => "[]uint8".into(),
            Value::List(_) => "[]interface {}".into(),
            Value::Map(_) => "map[string]interface {}".into(),
            Value::Object(o) => o.type_name().to_string(),
        }
    }

    /// text/template truthiness: false, 0, nil, and empty strings, lists and maps are false;
    /// so are Go objects of map or slice type when empty (`.Files.Glob` matching nothing).
    pub fn truthy(&self) -> bool {
        match self {
            Value::Nil => false,
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            Value::Float(f) => *f != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::BinStr(b) => !b.bytes.is_empty(),
            Value::Bytes(b) => !b.is_empty(),
            Value::List(l) => !l.is_empty(),
            Value::Map(m) => !m.borrow().is_empty(),
            Value::Object(o) => o.len().is_none_or(|n| n > 0),
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Map lookup (`None` for non-maps and missing keys).
    pub fn get(&self, key: &str) -> Option<Value> {
        match self {
            Value::Map(m) => m.borrow().get(key).cloned(),
            _ => None,
        }
    }

    /// Deep copy (Sprig `deepCopy`, and Helm's copies of values between charts); fails on a
    /// value that contains itself or is too deep or large to walk.
    pub fn try_deep_copy(&self) -> Result<Value, WalkLimit> {
        fn copy(w: &mut Walk, v: &Value) -> Result<Value, WalkLimit> {
            w.enter(v, |w| match v {
                Value::List(l) => l.iter().map(|x| copy(w, x)).collect::<Result<_, _>>().map(Value::list),
                Value::Map(m) => m
                    .borrow()
                    .iter()
                    .map(|(k, x)| copy(w, x).map(|x| (k.clone(), x)))
                    .collect::<Result<_, _>>()
                    .map(Value::map),
                other => Ok(other.clone()),
            })?
        }
        copy(&mut Walk::new(), self)
    }

    /// [`Value::try_deep_copy`] where a failure is only noted (the executor reports it): the
    /// uncopyable part becomes nil.
    pub fn deep_copy(&self) -> Value {
        self.try_deep_copy().unwrap_or_else(|limit| {
            note_cut(limit);
            Value::Nil
        })
    }

    /// Convert from JSON (numbers become float64, as Helm's values do).
    pub fn from_json(json: &serde_json::Value) -> Value {
        match json {
            serde_json::Value::Null => Value::Nil,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Float(n.as_f64().unwrap_or(0.0)),
            serde_json::Value::String(s) => Value::str(s.as_str()),
            serde_json::Value::Array(a) => Value::list(a.iter().map(Value::from_json).collect()),
            serde_json::Value::Object(o) => {
                Value::map(o.iter().map(|(k, v)| (k.clone(), Value::from_json(v))).collect())
            }
        }
    }

    /// Convert to JSON (for schema validation). Objects and bytes become strings; a part that
    /// contains itself or is nested too deep becomes null.
    pub fn to_json(&self) -> serde_json::Value {
        self.to_json_in(&mut Walk::new())
    }

    fn to_json_in(&self, w: &mut Walk) -> serde_json::Value {
        w.enter(self, |w| self.to_json_level(w)).unwrap_or_else(|limit| {
            note_cut(limit);
            serde_json::Value::Null
        })
    }

    fn to_json_level(&self, w: &mut Walk) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            Value::Nil => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Float(f) => {
                if f.fract() == 0.0 && f.abs() < 9.0e15 {
                    J::from(*f as i64)
                } else {
                    serde_json::Number::from_f64(*f).map(J::Number).unwrap_or(J::Null)
                }
            }
            Value::Str(s) => J::String(s.to_string()),
            Value::BinStr(b) => J::String(b.text.to_string()),
            Value::Bytes(b) => J::String(String::from_utf8_lossy(b).into_owned()),
            Value::List(l) => J::Array(l.iter().map(|v| v.to_json_in(w)).collect()),
            Value::Map(m) => J::Object(m.borrow().iter().map(|(k, v)| (k.clone(), v.to_json_in(w))).collect()),
            Value::Object(o) => J::String(o.display()),
        }
    }
}

/// Dropping a value nested a million levels deep (a list built in a `range`) must not recurse
/// once per level: containers this value alone owns are emptied onto a heap stack instead.
impl Drop for Value {
    fn drop(&mut self) {
        if !owns_nested_containers(self) {
            return;
        }
        let mut stack = vec![std::mem::take(self)];
        while let Some(mut v) = stack.pop() {
            match &mut v {
                Value::List(l) => {
                    if let Some(items) = Rc::get_mut(l) {
                        stack.append(items);
                    }
                }
                Value::Map(m) => {
                    if let Some(cell) = Rc::get_mut(m) {
                        stack.extend(std::mem::take(cell.get_mut()).into_values());
                    }
                }
                _ => {}
            }
            // `v` is now empty or shared: its own drop does not descend.
        }
    }
}

/// A container this value alone owns that holds a non-empty container: only then can dropping
/// it recurse more than one level.
fn owns_nested_containers(v: &Value) -> bool {
    let nested = |c: &Value| match c {
        Value::List(l) => !l.is_empty(),
        Value::Map(m) => m.try_borrow().map_or(true, |m| !m.is_empty()),
        _ => false,
    };
    match v {
        Value::List(l) => Rc::strong_count(l) == 1 && l.iter().any(nested),
        Value::Map(m) => Rc::strong_count(m) == 1 && m.try_borrow().map_or(false, |m| m.values().any(nested)),
        _ => false,
    }
}

/// Go's `%v` (`fmt.Sprint` of one value). A part that contains itself or is nested too deep
/// prints as `...` and is noted for the executor to report (Go would overflow its stack).
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        display_in(self, f, &mut Walk::new())
    }
}

fn display_in(v: &Value, f: &mut fmt::Formatter<'_>, w: &mut Walk) -> fmt::Result {
    match w.enter(v, |w| display_level(v, f, w)) {
        Ok(r) => r,
        Err(limit) => {
            note_cut(limit);
            f.write_str("...")
        }
    }
}

fn display_level(v: &Value, f: &mut fmt::Formatter<'_>, w: &mut Walk) -> fmt::Result {
    {
        match v {
            Value::Nil => f.write_str("<nil>"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Float(x) => f.write_str(&format_float_g(*x, false)),
            Value::Str(s) => f.write_str(s),
            Value::BinStr(b) => f.write_str(&b.text),
            Value::Bytes(b) => {
                f.write_str("[")?;
                for (i, byte) in b.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" ")?;
                    }
                    write!(f, "{byte}")?;
                }
                f.write_str("]")
            }
            Value::List(l) => {
                f.write_str("[")?;
                for (i, v) in l.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" ")?;
                    }
                    display_in(v, f, w)?;
                }
                f.write_str("]")
            }
            Value::Map(m) => {
                f.write_str("map[")?;
                for (i, (k, v)) in m.borrow().iter().enumerate() {
                    if i > 0 {
                        f.write_str(" ")?;
                    }
                    write!(f, "{k}:")?;
                    display_in(v, f, w)?;
                }
                f.write_str("]")
            }
            Value::Object(o) => f.write_str(&o.display()),
        }
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Str(s) => write!(f, "{s:?}"),
            other => write!(f, "{other}"),
        }
    }
}

/// Equality as Sprig/Helm code compares values with `reflect.DeepEqual` (no int/float mixing).
/// Values too deep or large to walk compare unequal (noted for the executor to report).
impl PartialEq for Value {
    fn eq(&self, other: &Value) -> bool {
        let mut w = Walk::new();
        equal_in(self, other, &mut w)
    }
}

fn equal_in(a: &Value, b: &Value, w: &mut Walk) -> bool {
    w.enter(a, |w| equal_level(a, b, w)).unwrap_or_else(|limit| {
        note_cut(limit);
        false
    })
}

fn equal_level(a: &Value, b: &Value, w: &mut Walk) -> bool {
    {
        let (self_, other) = (a, b);
        match (self_, other) {
            (Value::Nil, Value::Nil) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a == b,
            (Value::Float(a), Value::Float(b)) => a == b,
            (Value::Str(_) | Value::BinStr(_), Value::Str(_) | Value::BinStr(_)) => {
                self_.string_bytes() == other.string_bytes()
            }
            (Value::Bytes(a), Value::Bytes(b)) => a == b,
            (Value::List(a), Value::List(b)) => {
                Rc::ptr_eq(a, b) || (a.len() == b.len() && a.iter().zip(b.iter()).all(|(x, y)| equal_in(x, y, w)))
            }
            (Value::Map(a), Value::Map(b)) => {
                Rc::ptr_eq(a, b) || {
                    let (a, b) = (a.borrow(), b.borrow());
                    a.len() == b.len() && a.iter().zip(b.iter()).all(|((ka, x), (kb, y))| ka == kb && equal_in(x, y, w))
                }
            }
            (Value::Object(a), Value::Object(b)) => Rc::ptr_eq(a, b),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_percent_v() {
        let m = Value::map(Map::from([
            ("b".into(), Value::Int(2)),
            ("a".into(), Value::list(vec![Value::str("x"), Value::Nil])),
        ]));
        assert_eq!(m.to_string(), "map[a:[x <nil>] b:2]");
        assert_eq!(Value::Float(1e6).to_string(), "1e+06");
        assert_eq!(Value::Float(3.0).to_string(), "3");
        assert_eq!(Value::Bytes(Rc::from(&b"hi"[..])).to_string(), "[104 105]");
    }

    #[test]
    fn truthiness() {
        assert!(!Value::Nil.truthy());
        assert!(!Value::str("").truthy());
        assert!(!Value::Float(0.0).truthy());
        assert!(!Value::empty_map().truthy());
        assert!(Value::str("false").truthy());
    }

    #[test]
    fn maps_are_shared_like_go_maps() {
        let m = Value::empty_map();
        let alias = m.clone();
        if let Value::Map(inner) = &alias {
            inner.borrow_mut().insert("k".into(), Value::Int(1));
        }
        assert_eq!(m.get("k"), Some(Value::Int(1)));
    }
}
