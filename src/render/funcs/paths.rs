//! Sprig's path and URL functions: `base`, `dir`, `clean`, `ext`, `isAbs` (Go's `path`),
//! their `os*` twins (Go's `path/filepath`, which on Linux behaves exactly like `path`), and
//! `urlParse`/`urlJoin` (Go's `net/url`).
//!
//! Go strings are byte strings: `net/url` decodes `%ff` into a raw byte, so URL parts are
//! handled as bytes here and only turned into (UTF-8) template strings at the end.

use super::fmt::quote_bytes;
use super::{arity, expect_str, CallCtx, FuncError, FuncResult, Registry};
use crate::render::value::{Map, Value};

pub fn register(r: &mut Registry) {
    r.add("base", base);
    r.add("dir", dir);
    r.add("clean", clean);
    r.add("ext", ext);
    r.add("isAbs", is_abs);
    // On Linux, path/filepath has the same results as path.
    r.add("osBase", base);
    r.add("osDir", dir);
    r.add("osClean", clean);
    r.add("osExt", ext);
    r.add("osIsAbs", is_abs);
    r.add("urlParse", url_parse);
    r.add("urlJoin", url_join);
}

fn string_arg(args: &[Value]) -> Result<&str, FuncError> {
    arity(args, 1)?;
    expect_str(&args[0])
}

fn base(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    Ok(Value::str(path_base(string_arg(args)?)))
}

fn dir(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    Ok(Value::str(path_dir(string_arg(args)?)))
}

fn clean(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    Ok(Value::str(path_clean(string_arg(args)?)))
}

fn ext(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    Ok(Value::str(path_ext(string_arg(args)?)))
}

fn is_abs(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    Ok(Value::Bool(string_arg(args)?.starts_with('/')))
}

// ---- Go's path package ------------------------------------------------------------------

/// `path.Clean`: the shortest equivalent path, by purely lexical processing.
pub fn path_clean(path: &str) -> String {
    if path.is_empty() {
        return ".".into();
    }
    let p = path.as_bytes();
    let n = p.len();
    let rooted = p[0] == b'/';
    let mut out: Vec<u8> = Vec::with_capacity(n);
    // `r` reads the input; `dotdot` is where `..` may no longer backtrack.
    let (mut r, mut dotdot) = (0, 0);
    if rooted {
        out.push(b'/');
        r = 1;
        dotdot = 1;
    }
    while r < n {
        let at_end = |i: usize| i == n || p[i] == b'/';
        if p[r] == b'/' {
            r += 1; // empty element
        } else if p[r] == b'.' && at_end(r + 1) {
            r += 1; // . element
        } else if p[r] == b'.' && p.get(r + 1) == Some(&b'.') && at_end(r + 2) {
            r += 2;
            if out.len() > dotdot {
                // Backtrack over the last element and its slash.
                let mut removed = out.pop();
                while out.len() > dotdot && removed != Some(b'/') {
                    removed = out.pop();
                }
            } else if !rooted {
                // Cannot backtrack: keep the .. element.
                if !out.is_empty() {
                    out.push(b'/');
                }
                out.extend_from_slice(b"..");
                dotdot = out.len();
            }
        } else {
            // A real element: add a separator unless at the start.
            if (rooted && out.len() != 1) || (!rooted && !out.is_empty()) {
                out.push(b'/');
            }
            while r < n && p[r] != b'/' {
                out.push(p[r]);
                r += 1;
            }
        }
    }
    if out.is_empty() {
        return ".".into();
    }
    // Whole elements are copied, so the bytes stay valid UTF-8.
    String::from_utf8_lossy(&out).into_owned()
}

/// `path.Base`: the last element, trailing slashes removed; "." for "", "/" for all slashes.
pub fn path_base(path: &str) -> String {
    if path.is_empty() {
        return ".".into();
    }
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        return "/".into();
    }
    match trimmed.rfind('/') {
        Some(i) => trimmed[i + 1..].to_string(),
        None => trimmed.to_string(),
    }
}

/// `path.Dir`: everything up to the last slash, cleaned.
pub fn path_dir(path: &str) -> String {
    let split = path.rfind('/').map_or(0, |i| i + 1);
    path_clean(&path[..split])
}

/// `path.Ext`: the suffix from the last dot of the last element, or "".
pub fn path_ext(path: &str) -> String {
    for (i, b) in path.bytes().enumerate().rev() {
        match b {
            b'/' => break,
            b'.' => return path[i..].to_string(),
            _ => {}
        }
    }
    String::new()
}

// ---- Sprig urlParse / urlJoin -----------------------------------------------------------

/// `urlParse`: a dict of the parsed URL's parts, as Sprig builds it. Sprig panics on a
/// parse error; text/template turns the panic into the call's error.
fn url_parse(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    let raw = string_arg(args)?;
    let url = Url::parse(raw).map_err(|e| FuncError::Call(format!("unable to parse url: {e}")))?;
    let text = |b: &[u8]| Value::str(String::from_utf8_lossy(b).into_owned());
    let userinfo = url.user.as_ref().map(Userinfo::encoded).unwrap_or_default();
    let parts: Map = [
        ("scheme", Value::str(url.scheme.as_str())),
        ("host", text(&url.host)),
        ("hostname", text(hostname(&url.host))),
        ("path", text(&url.path)),
        ("query", Value::str(url.raw_query.as_str())),
        ("opaque", Value::str(url.opaque.as_str())),
        ("fragment", text(&url.fragment)),
        ("userinfo", Value::str(userinfo)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    Ok(Value::map(parts))
}

/// `urlJoin`: the inverse of `urlParse`, via Go's `URL.String`.
fn url_join(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 1)?;
    // A `map[string]interface{}` parameter: nil is an empty map, anything else is an error.
    let dict = match &args[0] {
        Value::Map(m) => m.borrow().clone(),
        Value::Nil => Map::new(),
        other => return Err(FuncError::WrongType { expected: "map[string]interface {}", got: other.type_name() }),
    };
    // Same order as Sprig's struct literal, so the first bad key is the one reported.
    let mut url = Url {
        scheme: dict_get_or_empty(&dict, "scheme")?,
        host: dict_get_or_empty(&dict, "host")?.into_bytes(),
        path: dict_get_or_empty(&dict, "path")?.into_bytes(),
        raw_query: dict_get_or_empty(&dict, "query")?,
        opaque: dict_get_or_empty(&dict, "opaque")?,
        fragment: dict_get_or_empty(&dict, "fragment")?.into_bytes(),
        ..Url::default()
    };
    let userinfo = dict_get_or_empty(&dict, "userinfo")?;
    if !userinfo.is_empty() {
        // Sprig parses the userinfo by wrapping it in a throwaway URL.
        let temp = Url::parse(&format!("proto://{userinfo}@host"))
            .map_err(|e| FuncError::Call(format!("unable to parse userinfo in dict: {e}")))?;
        url.user = temp.user;
    }
    Ok(Value::str(url.to_string_go()))
}

/// Sprig's `dictGetOrEmpty`: missing keys are "", non-strings panic.
fn dict_get_or_empty(dict: &Map, key: &str) -> Result<String, FuncError> {
    match dict.get(key) {
        None => Ok(String::new()),
        Some(Value::Str(s)) => Ok(s.to_string()),
        // reflect.TypeOf(nil).Kind() dereferences a nil Type.
        Some(Value::Nil) => {
            Err(FuncError::Call("runtime error: invalid memory address or nil pointer dereference".into()))
        }
        Some(other) => Err(FuncError::Call(format!(
            "unable to parse {key} key, must be of type string, but {} found",
            other.kind_name()
        ))),
    }
}

/// The parts of Go's `url.URL` that Sprig reads or sets (decoded parts as bytes).
#[derive(Default)]
struct Url {
    scheme: String,
    opaque: String,
    user: Option<Userinfo>,
    host: Vec<u8>,
    path: Vec<u8>,
    force_query: bool,
    raw_query: String,
    fragment: Vec<u8>,
}

struct Userinfo {
    username: Vec<u8>,
    password: Option<Vec<u8>>,
}

impl Userinfo {
    /// `Userinfo.String`: "user[:password]", escaped.
    fn encoded(&self) -> String {
        let mut s = escape(&self.username, Mode::UserPassword);
        if let Some(password) = &self.password {
            s.push(':');
            s.push_str(&escape(password, Mode::UserPassword));
        }
        s
    }
}

/// Which URL component is being escaped or unescaped (Go's `encoding`).
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Path,
    Host,
    Zone,
    UserPassword,
    Fragment,
}

impl Url {
    /// `url.Parse`: errors read as Go's `*url.Error` ("parse \"x\": reason").
    fn parse(raw: &str) -> Result<Url, String> {
        let (without_fragment, fragment) = match raw.split_once('#') {
            Some((u, f)) => (u, f),
            None => (raw, ""),
        };
        let mut url = parse_reference(without_fragment).map_err(|e| url_error(without_fragment, &e))?;
        if !fragment.is_empty() {
            url.fragment = unescape(fragment, Mode::Fragment).map_err(|e| url_error(raw, &e))?;
        }
        Ok(url)
    }

    /// `URL.String`.
    fn to_string_go(&self) -> String {
        let mut buf = String::new();
        if !self.scheme.is_empty() {
            buf.push_str(&self.scheme);
            buf.push(':');
        }
        if !self.opaque.is_empty() {
            buf.push_str(&self.opaque);
        } else {
            if !self.scheme.is_empty() || !self.host.is_empty() || self.user.is_some() {
                if !self.host.is_empty() || !self.path.is_empty() || self.user.is_some() {
                    buf.push_str("//");
                }
                if let Some(user) = &self.user {
                    buf.push_str(&user.encoded());
                    buf.push('@');
                }
                if !self.host.is_empty() {
                    buf.push_str(&escape(&self.host, Mode::Host));
                }
            }
            let path = self.escaped_path();
            if !path.is_empty() && !path.starts_with('/') && !self.host.is_empty() {
                buf.push('/');
            }
            // A first segment with a colon would read as a scheme: prefix "./".
            if buf.is_empty() && path.split('/').next().is_some_and(|seg| seg.contains(':')) {
                buf.push_str("./");
            }
            buf.push_str(&path);
        }
        if self.force_query || !self.raw_query.is_empty() {
            buf.push('?');
            buf.push_str(&self.raw_query);
        }
        if !self.fragment.is_empty() {
            buf.push('#');
            buf.push_str(&escape(&self.fragment, Mode::Fragment));
        }
        buf
    }

    /// `URL.EscapedPath` for a URL built from parts (no raw path hint is ever set here).
    fn escaped_path(&self) -> String {
        if self.path == b"*" {
            return "*".into();
        }
        escape(&self.path, Mode::Path)
    }
}

fn url_error(url: &str, reason: &str) -> String {
    format!("parse {}: {reason}", quote_bytes(url.as_bytes()))
}

/// Go's `parse(rawURL, viaRequest=false)`: everything but the fragment.
fn parse_reference(raw: &str) -> Result<Url, String> {
    if raw.bytes().any(|b| b < b' ' || b == 0x7f) {
        return Err("net/url: invalid control character in URL".into());
    }
    let mut url = Url::default();
    if raw == "*" {
        url.path = b"*".to_vec();
        return Ok(url);
    }
    let (scheme, rest) = split_scheme(raw)?;
    url.scheme = scheme.to_ascii_lowercase();
    let mut rest = rest;
    if rest.ends_with('?') && rest.matches('?').count() == 1 {
        url.force_query = true;
        rest = &rest[..rest.len() - 1];
    } else if let Some((before, query)) = rest.split_once('?') {
        rest = before;
        url.raw_query = query.to_string();
    }
    if !rest.starts_with('/') {
        if !url.scheme.is_empty() {
            // A rootless path after a scheme is opaque (RFC 3986).
            url.opaque = rest.to_string();
            return Ok(url);
        }
        // "cache_object:foo/bar" is a malformed scheme, not a relative path.
        if rest.split('/').next().is_some_and(|seg| seg.contains(':')) {
            return Err("first path segment in URL cannot contain colon".into());
        }
    }
    if (!url.scheme.is_empty() || !rest.starts_with("///")) && rest.starts_with("//") {
        let (authority, path) = match rest[2..].find('/') {
            Some(i) => (&rest[2..2 + i], &rest[2 + i..]),
            None => (&rest[2..], ""),
        };
        let (user, host) = parse_authority(authority)?;
        url.user = user;
        url.host = host;
        rest = path;
    }
    url.path = unescape(rest, Mode::Path)?;
    Ok(url)
}

/// Go's `getScheme`: `[a-zA-Z][a-zA-Z0-9+-.]*` before a colon, else no scheme.
fn split_scheme(raw: &str) -> Result<(&str, &str), String> {
    for (i, c) in raw.bytes().enumerate() {
        match c {
            b'a'..=b'z' | b'A'..=b'Z' => {}
            b'0'..=b'9' | b'+' | b'-' | b'.' if i > 0 => {}
            b':' if i == 0 => return Err("missing protocol scheme".into()),
            b':' => return Ok((&raw[..i], &raw[i + 1..])),
            _ => return Ok(("", raw)),
        }
    }
    Ok(("", raw))
}

fn parse_authority(authority: &str) -> Result<(Option<Userinfo>, Vec<u8>), String> {
    let Some(at) = authority.rfind('@') else {
        return Ok((None, parse_host(authority)?));
    };
    let host = parse_host(&authority[at + 1..])?;
    let userinfo = &authority[..at];
    if !userinfo.bytes().all(valid_userinfo_byte) {
        return Err("net/url: invalid userinfo".into());
    }
    let user = match userinfo.split_once(':') {
        None => Userinfo { username: unescape(userinfo, Mode::UserPassword)?, password: None },
        Some((name, password)) => Userinfo {
            username: unescape(name, Mode::UserPassword)?,
            password: Some(unescape(password, Mode::UserPassword)?),
        },
    };
    Ok((Some(user), host))
}

/// RFC 3986 userinfo characters (percent escapes are checked when unescaping).
fn valid_userinfo_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._:~!$&'()*+,;=%@".contains(&b)
}

/// Go's `parseHost`: host[:port], with IPv6 literals and RFC 6874 zones in brackets.
fn parse_host(host: &str) -> Result<Vec<u8>, String> {
    if host.starts_with('[') {
        let Some(close) = host.rfind(']') else {
            return Err("missing ']' in host".into());
        };
        let colon_port = &host[close + 1..];
        if !valid_optional_port(colon_port) {
            return Err(format!("invalid port {} after host", quote_bytes(colon_port.as_bytes())));
        }
        // %25 starts a zone identifier, which may use any escape.
        if let Some(zone) = host[..close].find("%25") {
            let mut out = unescape(&host[..zone], Mode::Host)?;
            out.extend(unescape(&host[zone..close], Mode::Zone)?);
            out.extend(unescape(&host[close..], Mode::Host)?);
            return Ok(out);
        }
    } else if let Some(colon) = host.rfind(':') {
        let colon_port = &host[colon..];
        if !valid_optional_port(colon_port) {
            return Err(format!("invalid port {} after host", quote_bytes(colon_port.as_bytes())));
        }
    }
    unescape(host, Mode::Host)
}

/// Empty, or a colon followed by digits.
fn valid_optional_port(port: &str) -> bool {
    port.is_empty() || (port.starts_with(':') && port[1..].bytes().all(|b| b.is_ascii_digit()))
}

/// `URL.Hostname`: the host without a valid port and without IPv6 brackets.
fn hostname(host: &[u8]) -> &[u8] {
    let mut h = host;
    if let Some(colon) = h.iter().rposition(|&b| b == b':') {
        let port = &h[colon + 1..];
        if port.iter().all(u8::is_ascii_digit) {
            h = &h[..colon];
        }
    }
    if h.len() >= 2 && h[0] == b'[' && h[h.len() - 1] == b']' {
        h = &h[1..h.len() - 1];
    }
    h
}

/// Go's `shouldEscape`: whether byte `c` must be %-escaped in the given component.
fn should_escape(c: u8, mode: Mode) -> bool {
    if c.is_ascii_alphanumeric() {
        return false;
    }
    if (mode == Mode::Host || mode == Mode::Zone) && b"!$&'()*+,;=:[]<>\"".contains(&c) {
        return false;
    }
    match c {
        b'-' | b'_' | b'.' | b'~' => return false,
        b'$' | b'&' | b'+' | b',' | b'/' | b':' | b';' | b'=' | b'?' | b'@' => match mode {
            // Only '?' would end the path.
            Mode::Path => return c == b'?',
            // ':' separates user from password.
            Mode::UserPassword => return matches!(c, b'@' | b'/' | b'?' | b':'),
            Mode::Fragment => return false,
            Mode::Host | Mode::Zone => {}
        },
        _ => {}
    }
    if mode == Mode::Fragment && matches!(c, b'!' | b'(' | b')' | b'*') {
        return false;
    }
    true
}

/// Go's `escape` for the URL parts (query escaping, with '+' for spaces, is in fmt.rs).
fn escape(s: &[u8], mode: Mode) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len());
    for &c in s {
        if should_escape(c, mode) {
            out.push('%');
            out.push(char::from(HEX[usize::from(c >> 4)]));
            out.push(char::from(HEX[usize::from(c & 15)]));
        } else {
            out.push(char::from(c));
        }
    }
    out
}

fn unhex(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Go's `unescape`: decode %XX; hosts may only escape non-ASCII bytes (and %25 in zones),
/// and may not contain characters that would need escaping.
fn unescape(s: &str, mode: Mode) -> Result<Vec<u8>, String> {
    let b = s.as_bytes();
    let escape_error = |at: usize| format!("invalid URL escape {}", quote_bytes(&b[at..(at + 3).min(b.len())]));
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                let (Some(hi), Some(lo)) = (b.get(i + 1).and_then(|&c| unhex(c)), b.get(i + 2).and_then(|&c| unhex(c)))
                else {
                    return Err(escape_error(i));
                };
                let is_25 = &b[i..i + 3] == b"%25";
                // In a host, %-escapes may only encode non-ASCII bytes (RFC 3986 §3.2.2).
                if mode == Mode::Host && hi < 8 && !is_25 {
                    return Err(escape_error(i));
                }
                let v = hi << 4 | lo;
                if mode == Mode::Zone && !is_25 && v != b' ' && should_escape(v, Mode::Host) {
                    return Err(escape_error(i));
                }
                out.push(v);
                i += 3;
            }
            c => {
                if (mode == Mode::Host || mode == Mode::Zone) && c < 0x80 && should_escape(c, mode) {
                    return Err(format!("invalid character {} in host name", quote_bytes(&[c])));
                }
                out.push(c);
                i += 1;
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::render::funcs::test_call as call;

    fn s(v: &str) -> Value {
        Value::str(v)
    }

    fn one(name: &str, arg: &str) -> Value {
        call(name, &[s(arg)]).expect("call succeeds")
    }

    fn dict(pairs: &[(&str, &str)]) -> Value {
        Value::map(pairs.iter().map(|(k, v)| (k.to_string(), Value::str(*v))).collect())
    }

    #[test]
    fn clean_matches_go_path_clean() {
        // Cases from Go's path/path_test.go cleantests.
        let cases = [
            ("", "."),
            ("abc", "abc"),
            ("abc/def", "abc/def"),
            ("a/b/c", "a/b/c"),
            (".", "."),
            ("..", ".."),
            ("../..", "../.."),
            ("../../abc", "../../abc"),
            ("/abc", "/abc"),
            ("/", "/"),
            ("abc/", "abc"),
            ("abc/def/", "abc/def"),
            ("/abc/", "/abc"),
            ("//abc", "/abc"),
            ("abc//def//ghi", "abc/def/ghi"),
            ("abc/./def", "abc/def"),
            ("/./abc/def", "/abc/def"),
            ("abc/.", "abc"),
            ("abc/def/ghi/../jkl", "abc/def/jkl"),
            ("abc/def/../ghi/../jkl", "abc/jkl"),
            ("abc/def/..", "abc"),
            ("abc/def/../..", "."),
            ("/abc/def/../..", "/"),
            ("abc/def/../../..", ".."),
            ("/abc/def/../../..", "/"),
            ("abc/def/../../../ghi/jkl/../../../mno", "../../mno"),
            ("abc/./../def", "def"),
            ("abc//./../def", "def"),
            ("abc/../../././../def", "../../def"),
        ];
        for (input, want) in cases {
            assert_eq!(one("clean", input), s(want), "clean({input:?})");
            assert_eq!(one("osClean", input), s(want), "osClean({input:?})");
        }
    }

    #[test]
    fn base_dir_ext_is_abs() {
        // Go path_test.go basetests.
        for (input, want) in [
            ("", "."),
            (".", "."),
            ("/.", "."),
            ("/", "/"),
            ("////", "/"),
            ("x/", "x"),
            ("abc", "abc"),
            ("abc/def", "def"),
            ("a/b/.x", ".x"),
            ("a/b/c.", "c."),
            ("a/b/c.x", "c.x"),
        ] {
            assert_eq!(one("base", input), s(want), "base({input:?})");
            assert_eq!(one("osBase", input), s(want), "osBase({input:?})");
        }
        // dirtests.
        for (input, want) in [
            ("", "."),
            (".", "."),
            ("/.", "/"),
            ("/", "/"),
            ("////", "/"),
            ("/foo", "/"),
            ("x/", "x"),
            ("abc", "."),
            ("abc/def", "abc"),
            ("abc////def", "abc"),
            ("a/b/.x", "a/b"),
            ("a/b/c.", "a/b"),
            ("a/b/c.x", "a/b"),
        ] {
            assert_eq!(one("dir", input), s(want), "dir({input:?})");
            assert_eq!(one("osDir", input), s(want), "osDir({input:?})");
        }
        // exttests.
        for (input, want) in [
            ("path.go", ".go"),
            ("path.pb.go", ".go"),
            ("a.dir/b", ""),
            ("a.dir/b.go", ".go"),
            ("a.dir/", ""),
            ("", ""),
        ] {
            assert_eq!(one("ext", input), s(want), "ext({input:?})");
            assert_eq!(one("osExt", input), s(want), "osExt({input:?})");
        }
        assert_eq!(one("isAbs", "/a"), Value::Bool(true));
        assert_eq!(one("osIsAbs", "a/b"), Value::Bool(false));
        assert_eq!(one("isAbs", ""), Value::Bool(false));
    }

    #[test]
    fn path_functions_take_typed_strings() {
        assert_eq!(call("base", &[Value::Int(1)]), Err(FuncError::WrongType { expected: "string", got: "int".into() }));
        assert_eq!(call("dir", &[]), Err(FuncError::Arity { want: 1, got: 0, at_least: false }));
        assert_eq!(call("ext", &[Value::Nil]), Err(FuncError::InvalidNil { expected: "string" }));
    }

    fn parsed(url: &str) -> Vec<(String, String)> {
        let v = call("urlParse", &[s(url)]).expect("parses");
        let Value::Map(ref m) = v else { panic!("urlParse returns a dict") };
        let m = m.borrow();
        m.iter().map(|(k, v)| (k.clone(), v.to_string())).collect()
    }

    fn expect(pairs: [(&str, &str); 8]) -> Vec<(String, String)> {
        let mut v: Vec<_> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        v.sort();
        v
    }

    #[test]
    fn url_parse_matches_sprig_tests() {
        // Sprig url_test.go urlTests.
        assert_eq!(
            parsed("proto://auth@host:80/path?query#fragment"),
            expect([
                ("fragment", "fragment"),
                ("host", "host:80"),
                ("hostname", "host"),
                ("opaque", ""),
                ("path", "/path"),
                ("query", "query"),
                ("scheme", "proto"),
                ("userinfo", "auth")
            ])
        );
        assert_eq!(
            parsed("something"),
            expect([
                ("fragment", ""),
                ("host", ""),
                ("hostname", ""),
                ("opaque", ""),
                ("path", "something"),
                ("query", ""),
                ("scheme", ""),
                ("userinfo", "")
            ])
        );
        assert_eq!(
            parsed("proto://user:passwor%20d@host:80/path"),
            expect([
                ("fragment", ""),
                ("host", "host:80"),
                ("hostname", "host"),
                ("opaque", ""),
                ("path", "/path"),
                ("query", ""),
                ("scheme", "proto"),
                ("userinfo", "user:passwor%20d")
            ])
        );
        assert_eq!(
            parsed("proto://host:80/pa%20th?key=val%20ue"),
            expect([
                ("fragment", ""),
                ("host", "host:80"),
                ("hostname", "host"),
                ("opaque", ""),
                ("path", "/pa th"),
                ("query", "key=val%20ue"),
                ("scheme", "proto"),
                ("userinfo", "")
            ])
        );
    }

    #[test]
    fn url_parse_go_details() {
        let get =
            |url: &str, key: &str| parsed(url).into_iter().find(|(k, _)| k == key).map(|(_, v)| v).unwrap_or_default();
        // Schemes are lower-cased; rootless paths after a scheme are opaque.
        assert_eq!(get("HTTP://x", "scheme"), "http");
        assert_eq!(get("mailto:a@b.c", "opaque"), "a@b.c");
        // IPv6 literal: hostname drops brackets and port.
        assert_eq!(get("http://[::1]:8080/", "hostname"), "::1");
        // Userinfo is re-escaped by Userinfo.String: '!' is escaped, ';' is not.
        assert_eq!(get("http://a!b;c@h", "userinfo"), "a%21b;c");
        // Fragments decode escapes.
        assert_eq!(get("/p#a%20b", "fragment"), "a b");
        // A trailing lone '?' is ForceQuery: the query stays empty.
        assert_eq!(get("http://h/p?", "query"), "");
    }

    #[test]
    fn url_parse_errors() {
        // Sprig panics with "unable to parse url: " + the *url.Error.
        let err = |url: &str| match call("urlParse", &[s(url)]) {
            Err(FuncError::Call(m)) => m,
            other => panic!("expected an error for {url:?}, got {other:?}"),
        };
        assert_eq!(err(":foo"), r#"unable to parse url: parse ":foo": missing protocol scheme"#);
        assert_eq!(err("1a:b"), r#"unable to parse url: parse "1a:b": first path segment in URL cannot contain colon"#);
        assert_eq!(err("http://h/%zz"), r#"unable to parse url: parse "http://h/%zz": invalid URL escape "%zz""#);
        assert_eq!(err("http://h:8x/"), r#"unable to parse url: parse "http://h:8x/": invalid port ":8x" after host"#);
        assert_eq!(
            err("http://a b/"),
            r#"unable to parse url: parse "http://a b/": invalid character " " in host name"#
        );
        assert_eq!(err("http://[::1/"), r#"unable to parse url: parse "http://[::1/": missing ']' in host"#);
        assert_eq!(err("http://a\"b@h/"), r#"unable to parse url: parse "http://a\"b@h/": net/url: invalid userinfo"#);
        assert_eq!(
            err("http://h/\n"),
            r#"unable to parse url: parse "http://h/\n": net/url: invalid control character in URL"#
        );
        // A bad fragment escape quotes the whole URL.
        assert_eq!(err("/p#%zz"), r#"unable to parse url: parse "/p#%zz": invalid URL escape "%zz""#);
    }

    #[test]
    fn url_join_matches_sprig_tests() {
        let join = |pairs: &[(&str, &str)]| call("urlJoin", &[dict(pairs)]);
        // Sprig url_test.go TestUrlJoin.
        assert_eq!(
            join(&[
                ("fragment", "fragment"),
                ("host", "host:80"),
                ("path", "/path"),
                ("query", "query"),
                ("scheme", "proto")
            ]),
            Ok(s("proto://host:80/path?query#fragment"))
        );
        assert_eq!(
            join(&[
                ("fragment", "fragment"),
                ("host", "host:80"),
                ("path", "/path"),
                ("scheme", "proto"),
                ("userinfo", "ASDJKJSD")
            ]),
            Ok(s("proto://ASDJKJSD@host:80/path#fragment"))
        );
        // And the urlTests round trip.
        assert_eq!(
            join(&[("host", "host:80"), ("path", "/path"), ("scheme", "proto"), ("userinfo", "user:passwor%20d")]),
            Ok(s("proto://user:passwor%20d@host:80/path"))
        );
        assert_eq!(
            join(&[("host", "host:80"), ("path", "/pa th"), ("query", "key=val%20ue"), ("scheme", "proto")]),
            Ok(s("proto://host:80/pa%20th?key=val%20ue"))
        );
        assert_eq!(join(&[("path", "something")]), Ok(s("something")));
        // URL.String: relative path with a colon in its first segment gets "./".
        assert_eq!(join(&[("path", "a:b/c")]), Ok(s("./a:b/c")));
        // Host without a leading slash on the path gets one.
        assert_eq!(join(&[("host", "h"), ("path", "p")]), Ok(s("//h/p")));
        assert_eq!(join(&[("scheme", "mailto"), ("opaque", "a@b")]), Ok(s("mailto:a@b")));
        assert_eq!(join(&[("fragment", "a b!")]), Ok(s("#a%20b!")));
        // A nil dict is an empty map.
        assert_eq!(call("urlJoin", &[Value::Nil]), Ok(s("")));
    }

    #[test]
    fn url_join_errors() {
        let one_key = |k: &str, v: Value| call("urlJoin", &[Value::map(Map::from([(k.to_string(), v)]))]);
        // Sprig's dictGetOrEmpty panics with the value's reflect kind.
        assert_eq!(
            one_key("host", Value::Int(1)),
            Err(FuncError::Call("unable to parse host key, must be of type string, but int found".into()))
        );
        assert_eq!(
            one_key("path", Value::Float(1.0)),
            Err(FuncError::Call("unable to parse path key, must be of type string, but float64 found".into()))
        );
        assert_eq!(
            one_key("query", Value::list(vec![])),
            Err(FuncError::Call("unable to parse query key, must be of type string, but slice found".into()))
        );
        assert_eq!(
            one_key("scheme", Value::Nil),
            Err(FuncError::Call("runtime error: invalid memory address or nil pointer dereference".into()))
        );
        assert_eq!(
            one_key("userinfo", s("a b")),
            Err(FuncError::Call(
                r#"unable to parse userinfo in dict: parse "proto://a b@host": net/url: invalid userinfo"#.into()
            ))
        );
        assert_eq!(
            call("urlJoin", &[s("x")]),
            Err(FuncError::WrongType { expected: "map[string]interface {}", got: "string".into() })
        );
    }
}
