//! Template functions: defaults family (Sprig `defaults.go`): `default`, `empty`, `coalesce`,
//! `all`, `any`, `ternary`. All but `ternary`'s condition take `interface{}`, so any value is
//! accepted; Sprig's `empty` decides what counts as "unset".

use super::{arity, arity_at_least, expect_bool, CallCtx, FuncResult, Registry, Value};

pub fn register(r: &mut Registry) {
    r.add("default", default);
    r.add("empty", empty);
    r.add("coalesce", coalesce);
    r.add("all", all);
    r.add("any", any);
    r.add("ternary", ternary);
}

/// Sprig's `empty`: the zero value of its type. nil, false, 0, 0.0, and empty strings, slices
/// and maps are empty (objects of map or slice type too); a struct or non-nil pointer never is. Also what
/// mergo's `isEmptyValue` (with dereferencing) answers for the values templates handle, so
/// `merge` uses it too.
pub(super) fn is_empty(v: &Value) -> bool {
    match v {
        Value::Nil => true,
        Value::Bool(b) => !b,
        Value::Int(i) => *i == 0,
        // -0.0 == 0.0 and NaN != 0.0, as Go's `g.Float() == 0` says.
        Value::Float(f) => *f == 0.0,
        Value::Str(s) => s.is_empty(),
        Value::BinStr(b) => b.bytes.is_empty(),
        Value::Bytes(b) => b.is_empty(),
        Value::List(l) => l.is_empty(),
        Value::Map(m) => m.borrow().is_empty(),
        // A Go map or slice type (`.Files`) is empty when it has no entries.
        Value::Object(o) => o.len() == Some(0),
    }
}

/// `default DEFAULT [GIVEN]`: GIVEN unless it is missing or empty. Declared
/// `func(d interface{}, given ...interface{})`, so only the default is required.
fn default(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity_at_least(args, 1)?;
    match args.get(1) {
        Some(given) if !is_empty(given) => Ok(given.clone()),
        _ => Ok(args[0].clone()),
    }
}

fn empty(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 1)?;
    Ok(Value::Bool(is_empty(&args[0])))
}

/// First non-empty argument, or nil.
fn coalesce(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    Ok(args.iter().find(|v| !is_empty(v)).cloned().unwrap_or(Value::Nil))
}

/// True when no argument is empty (so true for no arguments).
fn all(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    Ok(Value::Bool(args.iter().all(|v| !is_empty(v))))
}

/// True when some argument is non-empty (so false for no arguments).
fn any(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    Ok(Value::Bool(args.iter().any(|v| !is_empty(v))))
}

/// `ternary TRUE FALSE COND`: the condition is a typed Go `bool`, so truthy non-bools fail.
fn ternary(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 3)?;
    let cond = expect_bool(&args[2])?;
    Ok(if cond { args[0].clone() } else { args[1].clone() })
}

#[cfg(test)]
mod tests {
    use super::super::FuncError;
    use super::*;
    use std::rc::Rc;

    use crate::render::funcs::test_call as call;

    fn s(x: &str) -> Value {
        Value::str(x)
    }

    struct Thing;
    impl crate::render::value::Object for Thing {
        fn type_name(&self) -> &str {
            "*chart.Metadata"
        }
        fn field(&self, _: &str) -> Option<Value> {
            None
        }
    }

    #[test]
    fn empty_follows_sprig() {
        let cases: Vec<(Value, bool)> = vec![
            (Value::Nil, true),                       // sprig: nil is empty
            (s(""), true),                            // sprig: len("") == 0
            (s(" "), false),                          // sprig: whitespace is content
            (Value::Int(0), true),                    // sprig: int zero
            (Value::Float(0.0), true),                // sprig: float zero (values.yaml `0`)
            (Value::Float(-0.0), true),               // go: -0.0 == 0
            (Value::Float(f64::NAN), false),          // go: NaN != 0
            (Value::Bool(false), true),               // sprig: false is unset
            (Value::Bool(true), false),               // sprig: true is set
            (Value::list(vec![]), true),              // sprig: empty slice
            (Value::list(vec![Value::Nil]), false),   // sprig: len 1 even if the item is nil
            (Value::empty_map(), true),               // sprig: empty map
            (Value::Bytes(Rc::from(&b""[..])), true), // sprig: empty []byte
            (Value::Object(Rc::new(Thing)), false),   // sprig: non-nil pointers/structs never empty
            (s("0"), false),                          // sprig: the string "0" is not empty
        ];
        for (v, want) in cases {
            assert_eq!(call("empty", std::slice::from_ref(&v)), Ok(Value::Bool(want)), "empty {v:?}");
        }
        // text/template: empty takes exactly one argument
        assert_eq!(call("empty", &[]), Err(FuncError::Arity { want: 1, got: 0, at_least: false }));
    }

    #[test]
    fn default_uses_empty() {
        // sprig: missing piped value gives the default
        assert_eq!(call("default", &[s("d")]), Ok(s("d")));
        // sprig: an empty value gives the default
        assert_eq!(call("default", &[s("d"), s("")]), Ok(s("d")));
        assert_eq!(call("default", &[s("d"), Value::Float(0.0)]), Ok(s("d")));
        assert_eq!(call("default", &[s("d"), Value::Bool(false)]), Ok(s("d")));
        // sprig: a set value wins, whatever its type
        assert_eq!(call("default", &[s("d"), Value::Int(3)]), Ok(Value::Int(3)));
        // sprig: extra given values are ignored (only given[0] counts)
        assert_eq!(call("default", &[s("d"), s("x"), s("y")]), Ok(s("x")));
        // text/template: variadic, needs at least the default
        assert_eq!(call("default", &[]), Err(FuncError::Arity { want: 1, got: 0, at_least: true }));
    }

    #[test]
    fn coalesce_all_any() {
        // sprig: first non-empty value
        assert_eq!(call("coalesce", &[Value::Nil, s(""), Value::Int(0), s("x"), s("y")]), Ok(s("x")));
        // sprig: nil when all are empty (and with no arguments)
        assert_eq!(call("coalesce", &[Value::Nil, s("")]), Ok(Value::Nil));
        assert_eq!(call("coalesce", &[]), Ok(Value::Nil));
        // sprig: all is true for no arguments, false if any is empty
        assert_eq!(call("all", &[]), Ok(Value::Bool(true)));
        assert_eq!(call("all", &[s("a"), Value::Int(1)]), Ok(Value::Bool(true)));
        assert_eq!(call("all", &[s("a"), Value::Int(0)]), Ok(Value::Bool(false)));
        // sprig: any is false for no arguments, true if one is non-empty
        assert_eq!(call("any", &[]), Ok(Value::Bool(false)));
        assert_eq!(call("any", &[Value::Nil, s("x")]), Ok(Value::Bool(true)));
        assert_eq!(call("any", &[Value::Nil, s("")]), Ok(Value::Bool(false)));
    }

    #[test]
    fn ternary_needs_a_bool() {
        // sprig: true picks the first value, false the second
        assert_eq!(call("ternary", &[s("a"), s("b"), Value::Bool(true)]), Ok(s("a")));
        assert_eq!(call("ternary", &[s("a"), s("b"), Value::Bool(false)]), Ok(s("b")));
        // text/template: the condition is a typed bool parameter
        assert_eq!(
            call("ternary", &[s("a"), s("b"), s("true")]),
            Err(FuncError::WrongType { expected: "bool", got: "string".into() })
        );
        assert_eq!(call("ternary", &[s("a"), s("b"), Value::Nil]), Err(FuncError::InvalidNil { expected: "bool" }));
        assert_eq!(call("ternary", &[s("a"), s("b")]), Err(FuncError::Arity { want: 3, got: 2, at_least: false }));
    }
}
