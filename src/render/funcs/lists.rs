//! Template functions: lists family (Sprig `list.go`).
//!
//! Sprig takes `interface{}` and uses reflection, so any slice works (`[]interface{}`,
//! `[]string`, `[]byte`); anything else is an error. The plain variants call the `must*` one
//! and panic with its error, and text/template turns the panic back into "error calling NAME:
//! ...", so both variants fail with the same message and share one implementation here.
//! A nil argument panics inside reflection (`reflect.TypeOf(nil).Kind()`), which Helm reports
//! as Go's nil-dereference runtime error.
//!
//! `slice`: text/template has a builtin `slice`, but functions from the FuncMap are looked up
//! before builtins (`findFunction` checks `tmpl.execFuncs` first), so in Helm `slice` is
//! Sprig's. The engine must not treat it as the builtin.

use std::borrow::Cow;
use std::rc::Rc;

use super::defaults::is_empty;
use super::reflect::deep_equal;
use super::{arity, arity_at_least, expect_int, to_int64, CallCtx, FuncError, FuncResult, Registry, Value};

pub fn register(r: &mut Registry) {
    r.add("list", list);
    r.add("tuple", list);
    for name in ["append", "push", "mustAppend", "mustPush"] {
        r.add(name, push);
    }
    for name in ["prepend", "mustPrepend"] {
        r.add(name, prepend);
    }
    for name in ["first", "mustFirst"] {
        r.add(name, first);
    }
    for name in ["rest", "mustRest"] {
        r.add(name, rest);
    }
    for name in ["last", "mustLast"] {
        r.add(name, last);
    }
    for name in ["initial", "mustInitial"] {
        r.add(name, initial);
    }
    for name in ["reverse", "mustReverse"] {
        r.add(name, reverse);
    }
    for name in ["uniq", "mustUniq"] {
        r.add(name, uniq);
    }
    for name in ["without", "mustWithout"] {
        r.add(name, without);
    }
    for name in ["has", "mustHas"] {
        r.add(name, has);
    }
    for name in ["compact", "mustCompact"] {
        r.add(name, compact);
    }
    for name in ["slice", "mustSlice"] {
        r.add(name, slice);
    }
    for name in ["chunk", "mustChunk"] {
        r.add(name, chunk);
    }
    r.add("concat", concat);
}

/// What Go prints when a method is called on the nil `reflect.Type` of a nil argument.
/// 2^63 as float64: the first value outside Go's int64 range.
const TWO_POW_63: f64 = (1u64 << 63) as f64;

const NIL_DEREF: &str = "runtime error: invalid memory address or nil pointer dereference";

fn call_err(msg: impl Into<String>) -> FuncError {
    FuncError::Call(msg.into())
}

/// The elements of a slice argument, or Sprig's error (`msg` gets the reflect kind name).
/// `[]byte` elements become ints (Go would give `uint8`s).
fn elements<'a>(v: &'a Value, msg: impl Fn(&str) -> String) -> Result<Cow<'a, [Value]>, FuncError> {
    match v {
        Value::List(l) => Ok(Cow::Borrowed(l.as_slice())),
        Value::Bytes(b) => Ok(Cow::Owned(b.iter().map(|x| Value::Int(i64::from(*x))).collect())),
        Value::Nil => Err(call_err(NIL_DEREF)),
        other => Err(call_err(msg(other.kind_name()))),
    }
}

fn contains(haystack: &[Value], needle: &Value) -> bool {
    haystack.iter().any(|h| deep_equal(needle, h))
}

/// `list ITEM...` (alias `tuple`): a new `[]interface{}`.
fn list(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    Ok(Value::list(args.to_vec()))
}

/// `append LIST ITEM` / `push`: a copy with ITEM at the end.
fn push(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 2)?;
    let mut out = elements(&args[0], |k| format!("Cannot push on type {k}"))?.into_owned();
    out.push(args[1].clone());
    Ok(Value::list(out))
}

/// `prepend LIST ITEM`: a copy with ITEM at the front.
fn prepend(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 2)?;
    let items = elements(&args[0], |k| format!("Cannot prepend on type {k}"))?;
    let mut out = Vec::with_capacity(items.len() + 1);
    out.push(args[1].clone());
    out.extend(items.iter().cloned());
    Ok(Value::list(out))
}

/// `first LIST`: nil for an empty list.
fn first(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 1)?;
    let items = elements(&args[0], |k| format!("Cannot find first on type {k}"))?;
    Ok(items.first().cloned().unwrap_or(Value::Nil))
}

/// `last LIST`: nil for an empty list.
fn last(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 1)?;
    let items = elements(&args[0], |k| format!("Cannot find last on type {k}"))?;
    Ok(items.last().cloned().unwrap_or(Value::Nil))
}

/// `rest LIST`: all but the first. Go returns a nil slice for an empty list; it prints as
/// `[]` like the empty list returned here.
fn rest(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 1)?;
    let items = elements(&args[0], |k| format!("Cannot find rest on type {k}"))?;
    Ok(Value::list(items.iter().skip(1).cloned().collect()))
}

/// `initial LIST`: all but the last.
fn initial(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 1)?;
    let items = elements(&args[0], |k| format!("Cannot find initial on type {k}"))?;
    let keep = items.len().saturating_sub(1);
    Ok(Value::list(items[..keep].to_vec()))
}

/// `reverse LIST`: a reversed copy (the argument is left alone).
fn reverse(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 1)?;
    let items = elements(&args[0], |k| format!("Cannot find reverse on type {k}"))?;
    Ok(Value::list(items.iter().rev().cloned().collect()))
}

/// `uniq LIST`: first occurrences, compared with `reflect.DeepEqual`.
fn uniq(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 1)?;
    let items = elements(&args[0], |k| format!("Cannot find uniq on type {k}"))?;
    let mut out: Vec<Value> = Vec::new();
    for item in items.iter() {
        if !contains(&out, item) {
            out.push(item.clone());
        }
    }
    Ok(Value::list(out))
}

/// `without LIST ITEM...`: LIST minus every item deep-equal to one of the ITEMs.
fn without(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity_at_least(args, 1)?;
    let items = elements(&args[0], |k| format!("Cannot find without on type {k}"))?;
    let omit = &args[1..];
    Ok(Value::list(items.iter().filter(|item| !contains(omit, item)).cloned().collect()))
}

/// `has NEEDLE LIST`: a nil LIST holds nothing (Sprig checks it before reflecting).
fn has(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 2)?;
    if matches!(args[1], Value::Nil) {
        return Ok(Value::Bool(false));
    }
    let items = elements(&args[1], |k| format!("Cannot find has on type {k}"))?;
    Ok(Value::Bool(contains(&items, &args[0])))
}

/// `compact LIST`: drops items Sprig's `empty` considers empty.
fn compact(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 1)?;
    let items = elements(&args[0], |k| format!("Cannot compact on type {k}"))?;
    Ok(Value::list(items.iter().filter(|v| !is_empty(v)).cloned().collect()))
}

/// `concat LIST...`: all elements in order. Each argument must be a slice.
fn concat(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    let mut out = Vec::new();
    for arg in args {
        out.extend(elements(arg, |k| format!("Cannot concat type {k} as list"))?.iter().cloned());
    }
    Ok(Value::list(out))
}

/// `slice LIST [START [END]]` (Sprig's, which also takes strings): `LIST[START:END]`. An empty
/// LIST gives nil; indices convert with `cast.ToInt`; bad bounds panic in reflection.
fn slice(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity_at_least(args, 1)?;
    let bounds = |len: usize| -> Option<(usize, usize)> {
        let start = args.get(1).map_or(0, to_int64);
        let end = args.get(2).map_or(len as i64, to_int64);
        // Go checks against the slice's capacity; ours equals its length.
        if start < 0 || end < start || end > len as i64 {
            return None;
        }
        Some((start as usize, end as usize))
    };
    match &args[0] {
        Value::Str(s) => {
            if s.is_empty() {
                return Ok(Value::Nil);
            }
            let (start, end) =
                bounds(s.len()).ok_or_else(|| call_err("reflect.Value.Slice: string slice index out of bounds"))?;
            // Go slices bytes; a cut inside a UTF-8 sequence cannot be kept as a Rust string.
            Ok(Value::str(String::from_utf8_lossy(&s.as_bytes()[start..end]).as_ref()))
        }
        Value::Bytes(b) => {
            if b.is_empty() {
                return Ok(Value::Nil);
            }
            let (start, end) =
                bounds(b.len()).ok_or_else(|| call_err("reflect.Value.Slice: slice index out of bounds"))?;
            Ok(Value::Bytes(Rc::from(&b[start..end])))
        }
        other => {
            let items = elements(other, |k| format!("list should be type of string, slice or array but {k}"))?;
            if items.is_empty() {
                return Ok(Value::Nil);
            }
            let (start, end) =
                bounds(items.len()).ok_or_else(|| call_err("reflect.Value.Slice: slice index out of bounds"))?;
            Ok(Value::list(items[start..end].to_vec()))
        }
    }
}

/// Go's `int(f)` on amd64: NaN and out-of-range values become the minimum int.
fn go_float_to_int(f: f64) -> i64 {
    if f.is_nan() || !(-TWO_POW_63..TWO_POW_63).contains(&f) {
        i64::MIN
    } else {
        f as i64
    }
}

/// `chunk SIZE LIST`: LIST split into lists of SIZE (the last may be shorter). SIZE is a typed
/// `int`. Sprig computes the chunk count in floating point, so a zero or negative SIZE ends
/// in Go's `makeslice` panic (or, for some negative sizes, an empty result), reproduced here.
fn chunk(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 2)?;
    let size = expect_int(&args[0])?;
    let items = elements(&args[1], |k| format!("Cannot chunk type {k}"))?;
    let len = items.len() as i64;
    let bad_len = || call_err("runtime error: makeslice: len out of range");
    let count = go_float_to_int(((len - 1) as f64 / size as f64).floor() + 1.0);
    if count < 0 {
        return Err(bad_len());
    }
    let mut out = Vec::new();
    for i in 0..count {
        let mut clen = size;
        if i == count - 1 {
            clen = go_float_to_int((len as f64 % size as f64).floor());
            if clen == 0 {
                clen = size;
            }
        }
        if clen < 0 {
            return Err(bad_len());
        }
        let mut part = Vec::new();
        for j in 0..clen {
            let ix = i.wrapping_mul(size).wrapping_add(j);
            let item = usize::try_from(ix).ok().and_then(|ix| items.get(ix));
            part.push(item.cloned().ok_or_else(|| call_err("reflect: slice index out of range"))?);
        }
        out.push(Value::list(part));
    }
    Ok(Value::list(out))
}

#[cfg(test)]
mod tests {
    use super::super::FuncError;
    use super::*;

    use crate::render::funcs::test_call as call;

    fn s(x: &str) -> Value {
        Value::str(x)
    }

    fn ints(xs: &[i64]) -> Value {
        Value::list(xs.iter().map(|x| Value::Int(*x)).collect())
    }

    fn err(msg: &str) -> FuncResult {
        Err(FuncError::Call(msg.into()))
    }

    #[test]
    fn list_and_tuple() {
        // sprig: list returns its arguments as []interface{}
        assert_eq!(call("list", &[Value::Int(1), s("a")]), Ok(Value::list(vec![Value::Int(1), s("a")])));
        assert_eq!(call("list", &[]), Ok(ints(&[])));
        assert_eq!(call("tuple", &[Value::Int(1)]), Ok(ints(&[1])));
    }

    #[test]
    fn first_last_rest_initial() {
        let l = ints(&[1, 2, 3]);
        // sprig: the ends and the middles of a list
        assert_eq!(call("first", std::slice::from_ref(&l)), Ok(Value::Int(1)));
        assert_eq!(call("last", std::slice::from_ref(&l)), Ok(Value::Int(3)));
        assert_eq!(call("rest", std::slice::from_ref(&l)), Ok(ints(&[2, 3])));
        assert_eq!(call("initial", std::slice::from_ref(&l)), Ok(ints(&[1, 2])));
        // sprig: first/last of an empty list are nil; rest/initial are empty
        assert_eq!(call("first", &[ints(&[])]), Ok(Value::Nil));
        assert_eq!(call("mustLast", &[ints(&[])]), Ok(Value::Nil));
        assert_eq!(call("rest", &[ints(&[])]), Ok(ints(&[])));
        assert_eq!(call("mustInitial", &[ints(&[])]), Ok(ints(&[])));
        // sprig: []byte is a slice too (elements become numbers)
        assert_eq!(call("first", &[Value::Bytes(Rc::from(&b"A"[..]))]), Ok(Value::Int(65)));
        // sprig: non-slices fail in both variants with the must* error
        assert_eq!(call("first", &[s("abc")]), err("Cannot find first on type string"));
        assert_eq!(call("mustFirst", &[Value::Float(1.0)]), err("Cannot find first on type float64"));
        assert_eq!(call("last", &[Value::empty_map()]), err("Cannot find last on type map"));
        assert_eq!(call("rest", &[Value::Int(1)]), err("Cannot find rest on type int"));
        assert_eq!(call("initial", &[Value::Bool(true)]), err("Cannot find initial on type bool"));
        // go: reflect.TypeOf(nil).Kind() dereferences nil
        assert_eq!(call("first", &[Value::Nil]), err(NIL_DEREF));
        // text/template: exactly one argument
        assert_eq!(call("first", &[]), Err(FuncError::Arity { want: 1, got: 0, at_least: false }));
    }

    #[test]
    fn append_prepend() {
        let l = ints(&[1, 2]);
        // sprig: append/push add at the end of a copy
        assert_eq!(call("append", &[l.clone(), Value::Int(3)]), Ok(ints(&[1, 2, 3])));
        assert_eq!(call("push", &[l.clone(), Value::Int(3)]), Ok(ints(&[1, 2, 3])));
        assert_eq!(call("mustAppend", &[ints(&[]), Value::Int(1)]), Ok(ints(&[1])));
        // sprig: the argument list is not modified
        assert_eq!(l, ints(&[1, 2]));
        // sprig: prepend adds at the front
        assert_eq!(call("prepend", &[l.clone(), Value::Int(0)]), Ok(ints(&[0, 1, 2])));
        // sprig: errors name the reflect kind
        assert_eq!(call("append", &[s("x"), Value::Int(1)]), err("Cannot push on type string"));
        assert_eq!(call("mustPush", &[Value::empty_map(), Value::Int(1)]), err("Cannot push on type map"));
        assert_eq!(call("mustPrepend", &[Value::Int(1), Value::Int(1)]), err("Cannot prepend on type int"));
        assert_eq!(call("append", &[Value::Nil, Value::Int(1)]), err(NIL_DEREF));
        assert_eq!(call("append", &[l]), Err(FuncError::Arity { want: 2, got: 1, at_least: false }));
    }

    #[test]
    fn reverse_uniq_without_compact() {
        // sprig: reversed copy
        assert_eq!(call("reverse", &[ints(&[1, 2, 3])]), Ok(ints(&[3, 2, 1])));
        assert_eq!(call("mustReverse", &[s("x")]), err("Cannot find reverse on type string"));
        // sprig: uniq keeps first occurrences, DeepEqual comparison (1 and 1.0 differ)
        let mixed = Value::list(vec![Value::Int(1), Value::Float(1.0), Value::Int(1), s("a"), s("a")]);
        assert_eq!(call("uniq", &[mixed]), Ok(Value::list(vec![Value::Int(1), Value::Float(1.0), s("a")])));
        assert_eq!(call("mustUniq", &[Value::Int(3)]), err("Cannot find uniq on type int"));
        // sprig: without removes every listed item
        assert_eq!(call("without", &[ints(&[1, 2, 3, 2]), Value::Int(2), Value::Int(3)]), Ok(ints(&[1])));
        assert_eq!(call("without", &[ints(&[1, 2])]), Ok(ints(&[1, 2])));
        assert_eq!(call("mustWithout", &[s("x"), s("x")]), err("Cannot find without on type string"));
        assert_eq!(call("without", &[]), Err(FuncError::Arity { want: 1, got: 0, at_least: true }));
        // sprig: compact drops empty values (nil, "", 0, false, empty collections)
        let l = Value::list(vec![s("a"), s(""), Value::Nil, Value::Int(0), Value::Bool(false), ints(&[]), s("b")]);
        assert_eq!(call("compact", &[l]), Ok(Value::list(vec![s("a"), s("b")])));
        assert_eq!(call("mustCompact", &[s("x")]), err("Cannot compact on type string"));
    }

    #[test]
    fn has_needle() {
        // sprig: has NEEDLE HAYSTACK with DeepEqual
        assert_eq!(call("has", &[Value::Int(2), ints(&[1, 2])]), Ok(Value::Bool(true)));
        assert_eq!(call("has", &[Value::Float(2.0), ints(&[1, 2])]), Ok(Value::Bool(false)));
        assert_eq!(call("mustHas", &[s("a"), Value::list(vec![s("a")])]), Ok(Value::Bool(true)));
        // sprig: a nil haystack holds nothing
        assert_eq!(call("has", &[s("a"), Value::Nil]), Ok(Value::Bool(false)));
        assert_eq!(call("has", &[s("a"), s("abc")]), err("Cannot find has on type string"));
    }

    #[test]
    fn concat_lists() {
        // sprig: concatenation in argument order
        assert_eq!(call("concat", &[ints(&[1]), ints(&[]), ints(&[2, 3])]), Ok(ints(&[1, 2, 3])));
        assert_eq!(call("concat", &[]), Ok(ints(&[])));
        // sprig: panics with a plain string for non-slices
        assert_eq!(call("concat", &[ints(&[1]), s("x")]), err("Cannot concat type string as list"));
        assert_eq!(call("concat", &[Value::Nil]), err(NIL_DEREF));
    }

    #[test]
    fn sprig_slice() {
        let l = ints(&[1, 2, 3, 4, 5]);
        // sprig: slice $l -> l[:], slice $l 3 -> l[3:], slice $l 1 3 -> l[1:3]
        assert_eq!(call("slice", std::slice::from_ref(&l)), Ok(l.clone()));
        assert_eq!(call("slice", &[l.clone(), Value::Int(3)]), Ok(ints(&[4, 5])));
        assert_eq!(call("slice", &[l.clone(), Value::Int(1), Value::Int(3)]), Ok(ints(&[2, 3])));
        // sprig: indices go through cast.ToInt (floats truncate, strings parse)
        assert_eq!(call("slice", &[l.clone(), Value::Float(1.9), s("2")]), Ok(ints(&[2])));
        // sprig: strings slice by bytes
        assert_eq!(call("mustSlice", &[s("hello"), Value::Int(1), Value::Int(3)]), Ok(s("el")));
        // sprig: an empty list or string gives nil
        assert_eq!(call("slice", &[ints(&[]), Value::Int(1)]), Ok(Value::Nil));
        assert_eq!(call("slice", &[s("")]), Ok(Value::Nil));
        // go: reflect panics on bad bounds
        assert_eq!(
            call("slice", &[l.clone(), Value::Int(4), Value::Int(2)]),
            err("reflect.Value.Slice: slice index out of bounds")
        );
        assert_eq!(
            call("slice", &[l, Value::Int(0), Value::Int(6)]),
            err("reflect.Value.Slice: slice index out of bounds")
        );
        assert_eq!(
            call("slice", &[s("ab"), Value::Int(3)]),
            err("reflect.Value.Slice: string slice index out of bounds")
        );
        // sprig: other types
        assert_eq!(call("slice", &[Value::Int(1)]), err("list should be type of string, slice or array but int"));
        assert_eq!(call("slice", &[]), Err(FuncError::Arity { want: 1, got: 0, at_least: true }));
    }

    #[test]
    fn chunks() {
        let l = ints(&[1, 2, 3, 4, 5]);
        // sprig: chunks of SIZE, the last one shorter
        assert_eq!(
            call("chunk", &[Value::Int(2), l.clone()]),
            Ok(Value::list(vec![ints(&[1, 2]), ints(&[3, 4]), ints(&[5])]))
        );
        assert_eq!(call("chunk", &[Value::Int(5), l.clone()]), Ok(Value::list(vec![l.clone()])));
        assert_eq!(call("mustChunk", &[Value::Int(9), l.clone()]), Ok(Value::list(vec![l.clone()])));
        // sprig: an empty list has no chunks
        assert_eq!(call("chunk", &[Value::Int(3), ints(&[])]), Ok(ints(&[])));
        // go: size 0 makes the float chunk count infinite -> makeslice panic
        assert_eq!(call("chunk", &[Value::Int(0), l.clone()]), err("runtime error: makeslice: len out of range"));
        assert_eq!(call("chunk", &[Value::Int(-1), l.clone()]), err("runtime error: makeslice: len out of range"));
        // go: floor(4 / -9) + 1 == 0 chunks
        assert_eq!(call("chunk", &[Value::Int(-9), l.clone()]), Ok(ints(&[])));
        // text/template: SIZE is a typed int
        assert_eq!(
            call("chunk", &[Value::Float(2.0), l]),
            Err(FuncError::WrongType { expected: "int", got: "float64".into() })
        );
        assert_eq!(call("chunk", &[Value::Int(2), s("x")]), err("Cannot chunk type string"));
    }
}
