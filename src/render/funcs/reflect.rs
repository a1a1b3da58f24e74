//! Template functions: reflection family (Sprig `reflect.go` plus `deepEqual`, which is Go's
//! `reflect.DeepEqual`). Type names are what `printf "%T"` prints; kind names are Go's
//! `reflect.Kind` strings.

use super::{arity, expect_str, CallCtx, FuncResult, Registry, Value};

pub fn register(r: &mut Registry) {
    r.add("typeOf", type_of);
    r.add("typeIs", type_is);
    r.add("typeIsLike", type_is_like);
    r.add("kindOf", kind_of);
    r.add("kindIs", kind_is);
    r.add("deepEqual", deep_equal_fn);
}

/// Go's `reflect.DeepEqual` on template values: no int/float mixing, NaN unequal to itself,
/// but a map or slice is always equal to itself (Go short-circuits on identical pointers
/// before comparing elements).
/// `Value`'s equality is exactly this (and bounded on values that contain themselves).
pub(super) fn deep_equal(a: &Value, b: &Value) -> bool {
    a == b
}

/// `typeOf VALUE`: `fmt.Sprintf("%T", v)`; nil prints `<nil>`.
fn type_of(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 1)?;
    Ok(Value::str(args[0].type_name()))
}

/// `typeIs TYPE VALUE`: the type name is a typed Go `string`.
fn type_is(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 2)?;
    let target = expect_str(&args[0])?;
    Ok(Value::Bool(target == args[1].type_name()))
}

/// `typeIsLike TYPE VALUE`: also matches a pointer to TYPE (`*TYPE`).
fn type_is_like(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 2)?;
    let target = expect_str(&args[0])?;
    let actual = args[1].type_name();
    Ok(Value::Bool(actual == target || actual.strip_prefix('*') == Some(target)))
}

/// `kindOf VALUE`: `reflect.ValueOf(v).Kind().String()`; nil is `invalid`.
fn kind_of(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 1)?;
    Ok(Value::str(args[0].kind_name()))
}

/// `kindIs KIND VALUE`: the kind name is a typed Go `string`.
fn kind_is(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 2)?;
    let target = expect_str(&args[0])?;
    Ok(Value::Bool(target == args[1].kind_name()))
}

fn deep_equal_fn(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 2)?;
    Ok(Value::Bool(deep_equal(&args[0], &args[1])))
}

#[cfg(test)]
mod tests {
    use super::super::FuncError;
    use super::*;
    use crate::render::value::{Map, Object};
    use std::rc::Rc;

    use crate::render::funcs::test_call as call;

    fn s(x: &str) -> Value {
        Value::str(x)
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
    fn type_names() {
        // go: %T of each dynamic type
        assert_eq!(call("typeOf", &[s("x")]), Ok(s("string")));
        assert_eq!(call("typeOf", &[Value::Int(1)]), Ok(s("int")));
        assert_eq!(call("typeOf", &[Value::Float(1.5)]), Ok(s("float64")));
        assert_eq!(call("typeOf", &[Value::list(vec![])]), Ok(s("[]interface {}")));
        assert_eq!(call("typeOf", &[Value::empty_map()]), Ok(s("map[string]interface {}")));
        // go: %T of nil is <nil>
        assert_eq!(call("typeOf", &[Value::Nil]), Ok(s("<nil>")));
        assert_eq!(call("typeOf", &[Value::Object(Rc::new(Meta))]), Ok(s("*chart.Metadata")));
        // text/template: one argument
        assert_eq!(call("typeOf", &[]), Err(FuncError::Arity { want: 1, got: 0, at_least: false }));
    }

    #[test]
    fn type_is_and_like() {
        // sprig: exact type name match
        assert_eq!(call("typeIs", &[s("string"), s("x")]), Ok(Value::Bool(true)));
        assert_eq!(call("typeIs", &[s("int"), Value::Float(1.0)]), Ok(Value::Bool(false)));
        // sprig: typeIs does not see through pointers, typeIsLike does
        let meta = Value::Object(Rc::new(Meta));
        assert_eq!(call("typeIs", &[s("chart.Metadata"), meta.clone()]), Ok(Value::Bool(false)));
        assert_eq!(call("typeIsLike", &[s("chart.Metadata"), meta.clone()]), Ok(Value::Bool(true)));
        assert_eq!(call("typeIsLike", &[s("*chart.Metadata"), meta]), Ok(Value::Bool(true)));
        assert_eq!(call("typeIsLike", &[s("float64"), Value::Float(2.0)]), Ok(Value::Bool(true)));
        assert_eq!(call("typeIsLike", &[s("int"), s("x")]), Ok(Value::Bool(false)));
        // text/template: the type name is a typed string parameter
        assert_eq!(
            call("typeIs", &[Value::Int(1), s("x")]),
            Err(FuncError::WrongType { expected: "string", got: "int".into() })
        );
        assert_eq!(call("typeIsLike", &[s("x")]), Err(FuncError::Arity { want: 2, got: 1, at_least: false }));
    }

    #[test]
    fn kinds() {
        // go: reflect.Kind strings
        assert_eq!(call("kindOf", &[s("x")]), Ok(s("string")));
        assert_eq!(call("kindOf", &[Value::list(vec![])]), Ok(s("slice")));
        assert_eq!(call("kindOf", &[Value::empty_map()]), Ok(s("map")));
        assert_eq!(call("kindOf", &[Value::Float(1.0)]), Ok(s("float64")));
        assert_eq!(call("kindOf", &[Value::Object(Rc::new(Meta))]), Ok(s("ptr")));
        // go: the zero reflect.Value has kind invalid
        assert_eq!(call("kindOf", &[Value::Nil]), Ok(s("invalid")));
        assert_eq!(call("kindIs", &[s("map"), Value::empty_map()]), Ok(Value::Bool(true)));
        assert_eq!(call("kindIs", &[s("int"), Value::Float(1.0)]), Ok(Value::Bool(false)));
        assert_eq!(call("kindIs", &[Value::Nil, s("x")]), Err(FuncError::InvalidNil { expected: "string" }));
    }

    #[test]
    fn deep_equal_is_reflect_deep_equal() {
        let map = |pairs: &[(&str, Value)]| {
            Value::map(pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect::<Map>())
        };
        // go: same dynamic type and value
        assert_eq!(call("deepEqual", &[s("a"), s("a")]), Ok(Value::Bool(true)));
        // go: int 1 and float64 1 are different types
        assert_eq!(call("deepEqual", &[Value::Int(1), Value::Float(1.0)]), Ok(Value::Bool(false)));
        // go: element-wise for slices and maps
        let l1 = Value::list(vec![Value::Int(1), map(&[("a", s("b"))])]);
        let l2 = Value::list(vec![Value::Int(1), map(&[("a", s("b"))])]);
        assert_eq!(call("deepEqual", &[l1.clone(), l2]), Ok(Value::Bool(true)));
        assert_eq!(call("deepEqual", &[l1, Value::list(vec![Value::Int(1)])]), Ok(Value::Bool(false)));
        // go: NaN is unequal to itself, unless compared through the same slice
        let nan = Value::list(vec![Value::Float(f64::NAN)]);
        assert_eq!(call("deepEqual", &[Value::Float(f64::NAN), Value::Float(f64::NAN)]), Ok(Value::Bool(false)));
        assert_eq!(call("deepEqual", &[nan.clone(), nan]), Ok(Value::Bool(true)));
        // go: nil equals nil
        assert_eq!(call("deepEqual", &[Value::Nil, Value::Nil]), Ok(Value::Bool(true)));
        assert_eq!(call("deepEqual", &[Value::Nil]), Err(FuncError::Arity { want: 2, got: 1, at_least: false }));
    }
}
