//! Template functions: dicts family (Sprig `dict.go`).
//!
//! Most take a typed `map[string]interface{}` parameter: other types fail in text/template
//! before the call, while nil becomes a nil map (reads see nothing, writes panic). Maps are
//! shared like Go maps, so `set`, `unset` and `merge*` mutate their argument in place.
//!
//! Go map iteration is random; `keys` and `values` return key order here (per dict, for
//! `keys` of several dicts), which is one of the orders Go can produce.

use std::cell::RefCell;
use std::rc::Rc;

use super::defaults::is_empty;
use super::{arity, arity_at_least, expect_str, strval, CallCtx, FuncError, FuncResult, Registry, Value};
use crate::render::limits::{note_cut, WalkLimit, MAX_WALK_NODES};
use crate::render::value::Map;

pub fn register(r: &mut Registry) {
    r.add("dict", dict);
    r.add("get", get);
    r.add("set", set);
    r.add("unset", unset);
    r.add("hasKey", has_key);
    r.add("pluck", pluck);
    r.add("dig", dig);
    r.add("keys", keys);
    r.add("values", values);
    r.add("pick", pick);
    r.add("omit", omit);
    r.add("merge", merge);
    r.add("mustMerge", must_merge);
    r.add("mergeOverwrite", merge_overwrite);
    r.add("mustMergeOverwrite", must_merge_overwrite);
    r.add("deepCopy", deep_copy);
    r.add("mustDeepCopy", deep_copy);
}

type Shared = Rc<RefCell<Map>>;

const MAP_TYPE: &str = "map[string]interface {}";

/// A typed `map[string]interface{}` parameter. `None` is Go's nil map.
fn expect_map(v: &Value) -> Result<Option<&Shared>, FuncError> {
    match v {
        Value::Map(m) => Ok(Some(m)),
        Value::Nil => Ok(None),
        other => Err(FuncError::WrongType { expected: MAP_TYPE, got: other.type_name() }),
    }
}

/// Every argument as a typed `string` (for `...string` parameters).
fn expect_strs(args: &[Value]) -> Result<Vec<&str>, FuncError> {
    args.iter().map(expect_str).collect()
}

fn new_map(map: Map) -> Value {
    Value::map(map)
}

/// A map result: a nil map prints as `map[]`, like the empty map that stands in for it.
fn map_or_empty(m: Option<&Shared>) -> Value {
    m.map_or_else(Value::empty_map, |m| Value::Map(m.clone()))
}

/// `dict KEY VALUE ...`: keys go through `strval`; a trailing key without value maps to "".
fn dict(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    let mut map = Map::new();
    for pair in args.chunks(2) {
        let value = pair.get(1).cloned().unwrap_or_else(|| Value::str(""));
        map.insert(strval(&pair[0]), value);
    }
    Ok(new_map(map))
}

/// `get MAP KEY`: the value, or "" when the key is missing.
fn get(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 2)?;
    let map = expect_map(&args[0])?;
    let key = expect_str(&args[1])?;
    let found = map.and_then(|m| m.borrow().get(key).cloned());
    Ok(found.unwrap_or_else(|| Value::str("")))
}

/// `set MAP KEY VALUE`: stores in place and returns the same map.
fn set(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 3)?;
    let map = expect_map(&args[0])?;
    let key = expect_str(&args[1])?;
    let map = map.ok_or_else(|| FuncError::Call("assignment to entry in nil map".into()))?;
    map.borrow_mut().insert(key.to_string(), args[2].clone());
    Ok(args[0].clone())
}

/// `unset MAP KEY`: deletes in place and returns the same map.
fn unset(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 2)?;
    let map = expect_map(&args[0])?;
    let key = expect_str(&args[1])?;
    if let Some(m) = map {
        m.borrow_mut().remove(key);
    }
    Ok(map_or_empty(map))
}

fn has_key(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 2)?;
    let map = expect_map(&args[0])?;
    let key = expect_str(&args[1])?;
    Ok(Value::Bool(map.is_some_and(|m| m.borrow().contains_key(key))))
}

/// `pluck KEY MAP...`: the KEY values of the maps that have it, in argument order.
fn pluck(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity_at_least(args, 1)?;
    let key = expect_str(&args[0])?;
    let maps = args[1..].iter().map(expect_map).collect::<Result<Vec<_>, _>>()?;
    let found = maps.into_iter().flatten().filter_map(|m| m.borrow().get(key).cloned()).collect();
    Ok(Value::list(found))
}

/// `keys MAP...`: all keys of all maps (duplicates kept), each map's in sorted order.
fn keys(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    let maps = args.iter().map(expect_map).collect::<Result<Vec<_>, _>>()?;
    let mut out = Vec::new();
    for m in maps.into_iter().flatten() {
        out.extend(m.borrow().keys().map(|k| Value::str(k.as_str())));
    }
    Ok(Value::list(out))
}

/// `values MAP`: the values, in key order.
fn values(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 1)?;
    let map = expect_map(&args[0])?;
    Ok(Value::list(map.map(|m| m.borrow().values().cloned().collect()).unwrap_or_default()))
}

/// `pick MAP KEY...`: a new map with only the listed keys that exist.
fn pick(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity_at_least(args, 1)?;
    let map = expect_map(&args[0])?;
    let wanted = expect_strs(&args[1..])?;
    let mut out = Map::new();
    if let Some(m) = map {
        let m = m.borrow();
        for key in wanted {
            if let Some(v) = m.get(key) {
                out.insert(key.to_string(), v.clone());
            }
        }
    }
    Ok(new_map(out))
}

/// `omit MAP KEY...`: a new map without the listed keys.
fn omit(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity_at_least(args, 1)?;
    let map = expect_map(&args[0])?;
    let dropped = expect_strs(&args[1..])?;
    let out = map
        .map(|m| {
            m.borrow()
                .iter()
                .filter(|(k, _)| !dropped.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        })
        .unwrap_or_default();
    Ok(new_map(out))
}

/// Go's panic message when a type assertion on an `interface{}` fails.
fn assertion_error(v: &Value, want: &str) -> FuncError {
    let got = match v {
        Value::Nil => "nil".to_string(),
        other => other.type_name(),
    };
    FuncError::Call(format!("interface conversion: interface {{}} is {got}, not {want}"))
}

/// `dig KEY... DEFAULT MAP`: walks nested maps; DEFAULT when a key is missing. Sprig
/// type-asserts, so a non-map MAP or intermediate value, or a non-string key, panics.
fn dig(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    let [path @ .., default, dict] = args else {
        return Err(FuncError::Call("dig needs at least three arguments".into()));
    };
    if path.is_empty() {
        return Err(FuncError::Call("dig needs at least three arguments".into()));
    }
    let Value::Map(dict) = dict else {
        return Err(assertion_error(dict, MAP_TYPE));
    };
    let path =
        path.iter().map(|k| k.as_str().ok_or_else(|| assertion_error(k, "string"))).collect::<Result<Vec<_>, _>>()?;
    let mut current = dict.clone();
    for (i, key) in path.iter().enumerate() {
        let step = current.borrow().get(*key).cloned();
        let Some(step) = step else {
            return Ok(default.clone());
        };
        if i + 1 == path.len() {
            return Ok(step);
        }
        current = match step {
            Value::Map(ref m) => Rc::clone(m),
            other => return Err(assertion_error(&other, MAP_TYPE)),
        };
    }
    Ok(default.clone())
}

/// `deepCopy VALUE` / `mustDeepCopy`: copystructure's copy. A nil argument makes it ask the
/// type of the zero reflect.Value, which panics in both variants.
fn deep_copy(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 1)?;
    match &args[0] {
        Value::Nil => Err(FuncError::Call("reflect: call of reflect.Value.Type on zero Value".into())),
        v => Ok(v.deep_copy()),
    }
}

// ---- merge: mergo v1 (`dario.cat/mergo`) on map[string]interface{} ----------------------

/// mergo's `ErrDifferentArgumentsTypes`: a map merged onto a struct pointer.
const DIFFERENT_TYPES: &str = "src and dst must be of same type";

/// Go would overflow its stack on a self-containing map; stop at the values depth limit.
const MAX_MERGE_DEPTH: usize = crate::render::limits::MAX_VALUE_DEPTH;

/// mergo's `deepMerge` for two maps, per source key S and destination value D:
/// - S nil: written only when overwriting.
/// - S a map and D a map: merged recursively (D is mutated in place); D is kept unless it is
///   still empty afterwards.
/// - S a slice: replaces D when overwriting; otherwise a non-empty D is kept.
/// - otherwise S replaces D when overwriting, or when D is missing or empty (nil, "", 0,
///   false, empty list or map) — even when S itself is empty.
///
/// Replaced values are shared, not copied, as in Go.
fn merge_maps(dst: &Shared, src: &Shared, overwrite: bool, depth: usize, visited: &mut usize) -> Result<(), String> {
    if Rc::ptr_eq(dst, src) {
        return Ok(()); // every key would be written onto itself
    }
    if depth > MAX_MERGE_DEPTH {
        // Reported by the executor even where Sprig swallows the error (`merge`).
        note_cut(WalkLimit::Depth);
        return Err(WalkLimit::Depth.message());
    }
    // Two maps that each contain themselves twice would take 2^depth steps.
    *visited += 1;
    if *visited > MAX_WALK_NODES {
        note_cut(WalkLimit::Nodes);
        return Err(WalkLimit::Nodes.message());
    }
    // Snapshot so nested merges can borrow either map mutably.
    let entries: Vec<(String, Value)> = src.borrow().iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    for (key, s) in entries {
        let d = dst.borrow().get(&key).cloned();
        if matches!(s, Value::Nil) {
            if overwrite {
                dst.borrow_mut().insert(key, Value::Nil);
            }
            continue;
        }
        match (&s, &d) {
            (Value::Map(sm), Some(Value::Map(dm))) => {
                stacker::maybe_grow(64 * 1024, 1024 * 1024, || merge_maps(dm, sm, overwrite, depth + 1, visited))?
            }
            // mergo descends into the pointer and finds a struct where a map comes in.
            (Value::Map(_), Some(Value::Object(_))) if !overwrite => return Err(DIFFERENT_TYPES.into()),
            // mergo's slice branch stores the source slice itself when overwriting.
            (Value::List(_) | Value::Bytes(_), _) if overwrite => {
                dst.borrow_mut().insert(key, s);
                continue;
            }
            _ => {}
        }
        if let Some(d) = &d {
            let keep_dst = !is_empty(d)
                && matches!((&s, d), (Value::List(_) | Value::Bytes(_), _) | (Value::Map(_), Value::Map(_)));
            if keep_dst {
                continue;
            }
        }
        if overwrite || d.as_ref().is_none_or(is_empty) {
            dst.borrow_mut().insert(key, s);
        }
    }
    Ok(())
}

/// Shared body of the four merge functions: sources merged in order into the first map,
/// which is returned (a nil destination becomes a new map, as mergo allocates one).
fn merge_all(args: &[Value], overwrite: bool) -> Result<Result<Value, String>, FuncError> {
    arity_at_least(args, 1)?;
    let dst = expect_map(&args[0])?;
    let srcs = args[1..].iter().map(expect_map).collect::<Result<Vec<_>, _>>()?;
    let dst = match dst {
        Some(m) => m.clone(),
        None => Rc::new(RefCell::new(Map::new())),
    };
    for src in srcs.into_iter().flatten() {
        if let Err(e) = merge_maps(&dst, src, overwrite, 0, &mut 0) {
            return Ok(Err(e));
        }
    }
    Ok(Ok(Value::Map(dst)))
}

/// `merge DST SRC...`: fills what DST lacks. Sprig swallows mergo errors and returns "".
fn merge(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    Ok(merge_all(args, false)?.unwrap_or_else(|_| Value::str("")))
}

fn must_merge(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    merge_all(args, false)?.map_err(FuncError::Call)
}

/// `mergeOverwrite DST SRC...`: SRC values win (nested maps still merge key by key).
fn merge_overwrite(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    Ok(merge_all(args, true)?.unwrap_or_else(|_| Value::str("")))
}

fn must_merge_overwrite(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    merge_all(args, true)?.map_err(FuncError::Call)
}

#[cfg(test)]
mod tests {
    use super::super::FuncError;
    use super::*;
    use crate::render::value::Object;

    use crate::render::funcs::test_call as call;

    fn s(x: &str) -> Value {
        Value::str(x)
    }

    fn m(pairs: &[(&str, Value)]) -> Value {
        Value::map(pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
    }

    fn wrong_map(got: &str) -> FuncResult {
        Err(FuncError::WrongType { expected: MAP_TYPE, got: got.into() })
    }

    struct Meta;
    impl Object for Meta {
        fn type_name(&self) -> &str {
            "*chart.Metadata"
        }
        fn field(&self, _: &str) -> Option<Value> {
            None
        }
    }

    #[test]
    fn dict_builds_maps() {
        // sprig: key/value pairs
        assert_eq!(
            call("dict", &[s("a"), Value::Int(1), s("b"), s("x")]),
            Ok(m(&[("a", Value::Int(1)), ("b", s("x"))]))
        );
        // sprig: odd count -> last key maps to ""
        assert_eq!(call("dict", &[s("a"), Value::Int(1), s("b")]), Ok(m(&[("a", Value::Int(1)), ("b", s(""))])));
        // sprig: keys go through strval
        assert_eq!(
            call("dict", &[Value::Int(1), s("x"), Value::Nil, s("y")]),
            Ok(m(&[("1", s("x")), ("<nil>", s("y"))]))
        );
        // sprig: later duplicates win; no args is an empty dict
        assert_eq!(call("dict", &[s("a"), Value::Int(1), s("a"), Value::Int(2)]), Ok(m(&[("a", Value::Int(2))])));
        assert_eq!(call("dict", &[]), Ok(Value::empty_map()));
    }

    #[test]
    fn get_set_unset_haskey() {
        let d = m(&[("a", Value::Int(1))]);
        // sprig: get returns "" for a missing key
        assert_eq!(call("get", &[d.clone(), s("a")]), Ok(Value::Int(1)));
        assert_eq!(call("get", &[d.clone(), s("zz")]), Ok(s("")));
        assert_eq!(call("get", &[Value::Nil, s("a")]), Ok(s("")));
        // sprig: set mutates the shared map and returns it
        let out = call("set", &[d.clone(), s("b"), s("x")]);
        assert_eq!(d.get("b"), Some(s("x")));
        assert!(matches!((&out, &d), (Ok(Value::Map(a)), Value::Map(b)) if Rc::ptr_eq(a, b)));
        // go: writing to a nil map panics
        assert_eq!(
            call("set", &[Value::Nil, s("b"), s("x")]),
            Err(FuncError::Call("assignment to entry in nil map".into()))
        );
        // sprig: unset deletes in place (missing keys are fine)
        call("unset", &[d.clone(), s("a")]).unwrap();
        call("unset", &[d.clone(), s("nope")]).unwrap();
        assert_eq!(d, m(&[("b", s("x"))]));
        assert_eq!(call("unset", &[Value::Nil, s("a")]), Ok(Value::empty_map()));
        // sprig: hasKey
        assert_eq!(call("hasKey", &[d.clone(), s("b")]), Ok(Value::Bool(true)));
        assert_eq!(call("hasKey", &[d.clone(), s("a")]), Ok(Value::Bool(false)));
        assert_eq!(call("hasKey", &[Value::Nil, s("a")]), Ok(Value::Bool(false)));
        // text/template: typed map and string parameters
        assert_eq!(call("get", &[s("x"), s("a")]), wrong_map("string"));
        assert_eq!(call("hasKey", &[Value::list(vec![]), s("a")]), wrong_map("[]interface {}"));
        assert_eq!(
            call("set", &[d.clone(), Value::Int(1), s("x")]),
            Err(FuncError::WrongType { expected: "string", got: "int".into() })
        );
        assert_eq!(call("get", &[d]), Err(FuncError::Arity { want: 2, got: 1, at_least: false }));
    }

    #[test]
    fn pluck_keys_values() {
        let a = m(&[("name", s("a")), ("x", Value::Int(1))]);
        let b = m(&[("y", Value::Int(2))]);
        let c = m(&[("name", s("c"))]);
        // sprig: pluck collects the key from each dict that has it
        assert_eq!(call("pluck", &[s("name"), a.clone(), b.clone(), c.clone()]), Ok(Value::list(vec![s("a"), s("c")])));
        assert_eq!(call("pluck", &[s("name")]), Ok(Value::list(vec![])));
        assert_eq!(call("pluck", &[s("name"), s("x")]), wrong_map("string"));
        // sprig: keys of several dicts, concatenated (sorted within each dict here)
        assert_eq!(call("keys", &[a.clone(), c.clone()]), Ok(Value::list(vec![s("name"), s("x"), s("name")])));
        assert_eq!(call("keys", &[]), Ok(Value::list(vec![])));
        assert_eq!(call("keys", &[Value::Int(1)]), wrong_map("int"));
        // sprig: values (key order here)
        assert_eq!(call("values", &[a]), Ok(Value::list(vec![s("a"), Value::Int(1)])));
        assert_eq!(call("values", &[Value::Nil]), Ok(Value::list(vec![])));
    }

    #[test]
    fn pick_omit() {
        let d = m(&[("a", Value::Int(1)), ("b", Value::Int(2)), ("c", Value::Int(3))]);
        // sprig: pick keeps listed keys that exist, in a new dict
        assert_eq!(
            call("pick", &[d.clone(), s("a"), s("c"), s("zz")]),
            Ok(m(&[("a", Value::Int(1)), ("c", Value::Int(3))]))
        );
        assert_eq!(call("pick", std::slice::from_ref(&d)), Ok(Value::empty_map()));
        // sprig: omit drops listed keys, in a new dict
        assert_eq!(call("omit", &[d.clone(), s("a"), s("c")]), Ok(m(&[("b", Value::Int(2))])));
        assert_eq!(d.get("a"), Some(Value::Int(1)));
        // text/template: keys are typed strings
        assert_eq!(
            call("pick", &[d, Value::Int(1)]),
            Err(FuncError::WrongType { expected: "string", got: "int".into() })
        );
        assert_eq!(call("omit", &[]), Err(FuncError::Arity { want: 1, got: 0, at_least: true }));
    }

    #[test]
    fn dig_walks_nested_maps() {
        let d = m(&[("a", m(&[("b", m(&[("c", s("found"))])), ("s", s("str"))]))]);
        // sprig: keys, then default, then the dict
        assert_eq!(call("dig", &[s("a"), s("b"), s("c"), s("def"), d.clone()]), Ok(s("found")));
        // sprig: missing key anywhere -> default
        assert_eq!(call("dig", &[s("a"), s("x"), s("c"), s("def"), d.clone()]), Ok(s("def")));
        // sprig: the value may be a map
        assert_eq!(call("dig", &[s("a"), s("s"), s("def"), d.clone()]), Ok(s("str")));
        // sprig: a non-map intermediate fails the type assertion
        assert_eq!(
            call("dig", &[s("a"), s("s"), s("c"), s("def"), d.clone()]),
            Err(FuncError::Call("interface conversion: interface {} is string, not map[string]interface {}".into()))
        );
        // sprig: the last argument must be a map
        assert_eq!(
            call("dig", &[s("a"), s("def"), Value::Nil]),
            Err(FuncError::Call("interface conversion: interface {} is nil, not map[string]interface {}".into()))
        );
        // sprig: keys must be strings
        assert_eq!(
            call("dig", &[Value::Int(1), s("def"), d]),
            Err(FuncError::Call("interface conversion: interface {} is int, not string".into()))
        );
        // sprig: fewer than three arguments panics
        assert_eq!(
            call("dig", &[s("def"), Value::empty_map()]),
            Err(FuncError::Call("dig needs at least three arguments".into()))
        );
    }

    #[test]
    fn merge_fills_missing_and_empty() {
        let dst = m(&[
            ("keep", s("dst")),
            ("empty", s("")),
            ("zero", Value::Float(0.0)),
            ("no", Value::Bool(false)),
            ("nil", Value::Nil),
            ("list", Value::list(vec![Value::Int(1)])),
            ("nested", m(&[("a", s("dst")), ("b", s(""))])),
            ("scalar", s("x")),
        ]);
        let src = m(&[
            ("keep", s("src")),
            ("empty", s("src")),
            ("zero", Value::Float(5.0)),
            ("no", Value::Bool(true)),
            ("nil", s("src")),
            ("list", Value::list(vec![Value::Int(2)])),
            ("nested", m(&[("a", s("src")), ("b", s("src")), ("c", s("src"))])),
            ("scalar", m(&[("x", Value::Int(1))])),
            ("new", s("src")),
            ("srcnil", Value::Nil),
        ]);
        let out = call("merge", &[dst.clone(), src]).unwrap();
        // mergo: merge mutates and returns the first dict
        assert!(matches!((&out, &dst), (Value::Map(a), Value::Map(b)) if Rc::ptr_eq(a, b)));
        let want = m(&[
            ("keep", s("dst")),                                                  // mergo: non-empty dst wins
            ("empty", s("src")),                                                 // mergo: "" counts as missing
            ("zero", Value::Float(5.0)),                                         // mergo: 0 counts as missing
            ("no", Value::Bool(true)),                                           // mergo: false counts as missing
            ("nil", s("src")),                                                   // mergo: nil counts as missing
            ("list", Value::list(vec![Value::Int(1)])),                          // mergo: non-empty dst slice kept
            ("nested", m(&[("a", s("dst")), ("b", s("src")), ("c", s("src"))])), // mergo: recursive
            ("scalar", s("x")), // mergo: map does not replace a non-empty scalar
            ("new", s("src")),  // mergo: missing key added
        ]);
        // mergo: a nil source value is not copied in without overwrite
        assert_eq!(dst, want);
    }

    #[test]
    fn merge_multiple_sources_and_nil_dst() {
        // sprig: sources merge in order; earlier ones win
        let out = call("merge", &[m(&[]), m(&[("a", s("1"))]), m(&[("a", s("2")), ("b", s("2"))])]);
        assert_eq!(out, Ok(m(&[("a", s("1")), ("b", s("2"))])));
        // mergo: a nil destination gets a new map
        assert_eq!(call("mustMerge", &[Value::Nil, m(&[("a", s("1"))])]), Ok(m(&[("a", s("1"))])));
        assert_eq!(call("merge", &[Value::Nil]), Ok(Value::empty_map()));
        // mergo: an empty source value still fills a missing key
        assert_eq!(call("merge", &[m(&[]), m(&[("a", s(""))])]), Ok(m(&[("a", s(""))])));
        // text/template: all arguments are typed maps
        assert_eq!(call("merge", &[m(&[]), s("x")]), wrong_map("string"));
        assert_eq!(call("mustMerge", &[]), Err(FuncError::Arity { want: 1, got: 0, at_least: true }));
    }

    #[test]
    fn merge_shares_new_nested_maps() {
        // mergo: a nested map missing from dst is stored by reference, not copied
        let inner = m(&[("x", Value::Int(1))]);
        let dst = m(&[]);
        call("merge", &[dst.clone(), m(&[("inner", inner.clone())])]).unwrap();
        match (dst.get("inner"), &inner) {
            (Some(Value::Map(ref a)), Value::Map(b)) => assert!(Rc::ptr_eq(a, b)),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn merge_overwrite_semantics() {
        let dst = m(&[
            ("a", s("dst")),
            ("flag", Value::Bool(true)),
            ("gone", s("dst")),
            ("list", Value::list(vec![Value::Int(1)])),
            ("nested", m(&[("a", s("dst")), ("only", s("dst"))])),
            ("scalar", s("x")),
            ("map", m(&[("k", s("v"))])),
        ]);
        let src = m(&[
            ("a", s("src")),
            ("flag", Value::Bool(false)),
            ("gone", Value::Nil),
            ("list", Value::list(vec![])),
            ("nested", m(&[("a", s("src"))])),
            ("scalar", m(&[("x", Value::Int(1))])),
            ("map", s("now a string")),
        ]);
        call("mergeOverwrite", &[dst.clone(), src]).unwrap();
        let want = m(&[
            ("a", s("src")),                                       // mergo: overwrite replaces non-empty values
            ("flag", Value::Bool(false)),                          // mergo (maps): even with empty source values
            ("gone", Value::Nil),                                  // mergo: nil source values are written too
            ("list", Value::list(vec![])),                         // mergo: slices are replaced, not appended
            ("nested", m(&[("a", s("src")), ("only", s("dst"))])), // mergo: nested maps still merge
            ("scalar", m(&[("x", Value::Int(1))])),                // mergo: a map replaces a scalar
            ("map", s("now a string")),                            // mergo: a scalar replaces a map
        ]);
        assert_eq!(dst, want);
        assert_eq!(call("mustMergeOverwrite", &[Value::Int(1)]), wrong_map("int"));
    }

    #[test]
    fn merge_errors() {
        // mergo: a map onto a struct pointer -> ErrDifferentArgumentsTypes;
        // merge swallows it (returns ""), mustMerge reports it
        let obj = Value::Object(Rc::new(Meta));
        let src = m(&[("chart", m(&[("name", s("x"))]))]);
        assert_eq!(call("merge", &[m(&[("chart", obj.clone())]), src.clone()]), Ok(s("")));
        assert_eq!(
            call("mustMerge", &[m(&[("chart", obj.clone())]), src.clone()]),
            Err(FuncError::Call("src and dst must be of same type".into()))
        );
        // mergo: with overwrite the map simply replaces the pointer
        assert_eq!(call("mergeOverwrite", &[m(&[("chart", obj)]), src.clone()]), Ok(src));
    }

    #[test]
    fn merge_into_itself_is_a_no_op() {
        // mergo: every key is written onto itself
        let d = m(&[("a", m(&[("b", s(""))]))]);
        assert_eq!(call("merge", &[d.clone(), d.clone()]), Ok(d.clone()));
        assert_eq!(call("mergeOverwrite", &[d.clone(), d.clone()]), Ok(d.clone()));
        assert_eq!(d, m(&[("a", m(&[("b", s(""))]))]));
    }

    #[test]
    fn deep_copy_is_independent() {
        let d = m(&[("a", m(&[("b", s("x"))])), ("l", Value::list(vec![m(&[])]))]);
        // sprig: deepCopy copies nested maps
        let c = call("deepCopy", std::slice::from_ref(&d)).unwrap();
        assert_eq!(c, d);
        call("set", &[c.get("a").unwrap(), s("b"), s("changed")]).unwrap();
        assert_eq!(d.get("a").unwrap().get("b"), Some(s("x")));
        assert_eq!(call("mustDeepCopy", &[s("x")]), Ok(s("x")));
        // copystructure: nil panics asking the type of a zero reflect.Value
        let nil_err = Err(FuncError::Call("reflect: call of reflect.Value.Type on zero Value".into()));
        assert_eq!(call("deepCopy", &[Value::Nil]), nil_err);
        assert_eq!(call("mustDeepCopy", &[Value::Nil]), nil_err);
    }
}
