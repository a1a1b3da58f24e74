//! Sprig's network function `getHostByName`.
//!
//! Deviation by design: plimsoll never touches the network, so the lookup always yields "".
//! This is also what Helm itself renders by default: unless `--enable-dns` is given, Helm
//! replaces Sprig's resolver with a function that returns an empty string (a chart's output
//! must not depend on the DNS of the machine that renders it). With `--enable-dns`, Helm
//! would return one of the resolved addresses instead.

use super::{arity, expect_str, CallCtx, FuncResult, Registry};
use crate::render::value::Value;

pub fn register(r: &mut Registry) {
    r.add("getHostByName", get_host_by_name);
}

/// `getHostByName(name string) string`, as Helm renders it without `--enable-dns`.
fn get_host_by_name(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 1)?;
    expect_str(&args[0])?;
    Ok(Value::str(""))
}

#[cfg(test)]
mod tests {
    use super::super::FuncError;
    use super::*;

    fn call(args: &[Value]) -> FuncResult {
        let f = Registry::standard().get("getHostByName").expect("registered");
        f(&mut CallCtx::default(), args)
    }

    #[test]
    fn resolves_nothing() {
        // Helm without --enable-dns: getHostByName always renders "".
        assert_eq!(call(&[Value::str("example.com")]), Ok(Value::str("")));
        assert_eq!(call(&[Value::str("localhost")]), Ok(Value::str("")));
    }

    #[test]
    fn argument_is_a_typed_string() {
        // The Go parameter is `string`: text/template reports other types and arity.
        assert_eq!(call(&[Value::Int(1)]), Err(FuncError::WrongType { expected: "string", got: "int".into() }));
        assert_eq!(call(&[]), Err(FuncError::Arity { want: 1, got: 0, at_least: false }));
    }
}
