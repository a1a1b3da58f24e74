//! Template functions: text/template builtins that are plain functions, Sprig v3, and Helm's
//! own, grouped by family (one module each). Functions that need the executor (`include`,
//! `tpl`, `template`, `and`/`or` short-circuit, comparisons) live in the engine instead.
//!
//! Every function has the signature [`Func`]. Argument checks produce Go's own messages, so
//! errors read exactly as `helm template` prints them.

use std::collections::HashMap;

use super::value::Value;

mod crypto;
mod dates;
mod defaults;
mod dicts;
mod encoding;
pub mod fmt;
mod lists;
mod math;
mod network;
mod paths;
mod reflect;
mod regex;
pub mod semver;
pub use semver::{constraint_matches, parse_constraint_text};
pub mod serialize;
mod strings;

/// Why a call failed. The engine wraps these into Go/Helm's error text.
#[derive(Clone, Debug, PartialEq)]
pub enum FuncError {
    /// "wrong number of args for NAME: want N got M" (`at_least` for variadic functions).
    Arity { want: usize, got: usize, at_least: bool },
    /// An argument not assignable to a typed Go parameter:
    /// "wrong type for value; expected string; got int".
    WrongType { expected: &'static str, got: String },
    /// nil passed where a value type is required: "invalid value; expected string".
    InvalidNil { expected: &'static str },
    /// The function returned an error: "error calling NAME: MESSAGE".
    Call(String),
}

pub type FuncResult = Result<Value, FuncError>;

/// Deterministic stand-ins for randomness and time: lint output must be reproducible.
pub struct CallCtx {
    pub rng: Rng,
    /// Seconds since the Unix epoch that `now` returns (fixed per run).
    pub now_unix: i64,
}

impl Default for CallCtx {
    fn default() -> Self {
        CallCtx { rng: Rng::new(0x5eed_1e55), now_unix: 1_767_225_600 } // 2026-01-01T00:00:00Z
    }
}

/// SplitMix64: tiny, fast, seedable. Not for cryptography (nothing here is).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
    pub fn fill(&mut self, buf: &mut [u8]) {
        for chunk in buf.chunks_mut(8) {
            let bytes = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
    }
}

pub type Func = fn(&mut CallCtx, &[Value]) -> FuncResult;

/// Name → function.
#[derive(Default)]
pub struct Registry {
    funcs: HashMap<&'static str, Func>,
}

impl Registry {
    pub fn add(&mut self, name: &'static str, f: Func) {
        self.funcs.insert(name, f);
    }
    pub fn get(&self, name: &str) -> Option<Func> {
        self.funcs.get(name).copied()
    }
    pub fn contains(&self, name: &str) -> bool {
        self.funcs.contains_key(name)
    }
    pub fn names(&self) -> impl Iterator<Item = &&'static str> {
        self.funcs.keys()
    }

    /// Everything Helm exposes, minus what the engine implements itself.
    pub fn standard() -> Registry {
        let mut r = Registry::default();
        fmt::register(&mut r);
        serialize::register(&mut r);
        strings::register(&mut r);
        regex::register(&mut r);
        lists::register(&mut r);
        dicts::register(&mut r);
        math::register(&mut r);
        defaults::register(&mut r);
        reflect::register(&mut r);
        encoding::register(&mut r);
        crypto::register(&mut r);
        semver::register(&mut r);
        dates::register(&mut r);
        network::register(&mut r);
        paths::register(&mut r);
        r
    }
}

// ---- argument helpers shared by all families -------------------------------------------

/// Exactly `n` arguments.
pub fn arity(args: &[Value], n: usize) -> Result<(), FuncError> {
    if args.len() == n {
        Ok(())
    } else {
        Err(FuncError::Arity { want: n, got: args.len(), at_least: false })
    }
}

/// At least `n` arguments (variadic Go functions).
pub fn arity_at_least(args: &[Value], n: usize) -> Result<(), FuncError> {
    if args.len() >= n {
        Ok(())
    } else {
        Err(FuncError::Arity { want: n, got: args.len(), at_least: true })
    }
}

/// A Go `string` parameter: only strings are assignable.
pub fn expect_str(v: &Value) -> Result<&str, FuncError> {
    match v {
        Value::Str(s) => Ok(s),
        Value::BinStr(b) => Ok(&b.text),
        Value::Nil => Err(FuncError::InvalidNil { expected: "string" }),
        other => Err(FuncError::WrongType { expected: "string", got: other.type_name() }),
    }
}

/// A Go `string` parameter of a function that works on its bytes (encoders, digests): exact
/// for strings that are not UTF-8.
pub fn expect_string_bytes(v: &Value) -> Result<&[u8], FuncError> {
    match v.string_bytes() {
        Some(b) => Ok(b),
        None => expect_str(v).map(str::as_bytes),
    }
}

/// A Go `int` parameter: only ints are assignable (a float64 from values is not!).
pub fn expect_int(v: &Value) -> Result<i64, FuncError> {
    match v {
        Value::Int(i) => Ok(*i),
        Value::Nil => Err(FuncError::InvalidNil { expected: "int" }),
        other => Err(FuncError::WrongType { expected: "int", got: other.type_name() }),
    }
}

/// A Go `bool` parameter.
pub fn expect_bool(v: &Value) -> Result<bool, FuncError> {
    match v {
        Value::Bool(b) => Ok(*b),
        Value::Nil => Err(FuncError::InvalidNil { expected: "bool" }),
        other => Err(FuncError::WrongType { expected: "bool", got: other.type_name() }),
    }
}

/// Sprig's `strval`: strings as-is, bytes as text, anything else as `%v`.
pub fn strval(v: &Value) -> String {
    match v {
        Value::Str(s) => s.to_string(),
        Value::BinStr(b) => b.text.to_string(),
        Value::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
        other => other.to_string(),
    }
}

/// spf13/cast `ToInt64` as Sprig uses it: numbers truncate, strings parse (base 0, a
/// trailing `.0…` allowed), bools are 0/1, anything else is 0.
pub fn to_int64(v: &Value) -> i64 {
    strings::cast_to_int64(v)
}

/// spf13/cast `ToFloat64`: numbers convert, strings parse, bools are 0/1, else 0.
pub fn to_float64(v: &Value) -> f64 {
    strings::cast_to_float64(v)
}

/// A list argument: Sprig accepts any slice (and errors otherwise via `mustX`).
pub fn as_list(v: &Value) -> Option<&[Value]> {
    match v {
        Value::List(l) => Some(l.as_slice()),
        _ => None,
    }
}

/// Tests of every family call functions the way templates do: through the registry.
#[cfg(test)]
pub(crate) fn test_call(name: &str, args: &[Value]) -> FuncResult {
    let f = Registry::standard().get(name).unwrap_or_else(|| panic!("{name} not registered"));
    f(&mut CallCtx::default(), args)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cast_semantics() {
        assert_eq!(to_int64(&Value::str("0x10")), 16);
        assert_eq!(to_int64(&Value::str("3.0")), 3);
        assert_eq!(to_int64(&Value::str("abc")), 0);
        assert_eq!(to_int64(&Value::Float(2.9)), 2);
        assert_eq!(to_float64(&Value::str("1.5")), 1.5);
    }

    #[test]
    fn typed_parameters_reject_other_types() {
        assert_eq!(expect_str(&Value::Int(1)), Err(FuncError::WrongType { expected: "string", got: "int".into() }));
        assert_eq!(
            expect_int(&Value::Float(1.0)),
            Err(FuncError::WrongType { expected: "int", got: "float64".into() })
        );
        assert_eq!(expect_str(&Value::Nil), Err(FuncError::InvalidNil { expected: "string" }));
    }

    #[test]
    fn rng_is_deterministic() {
        let (mut a, mut b) = (Rng::new(1), Rng::new(1));
        assert_eq!(a.next_u64(), b.next_u64());
    }
}
