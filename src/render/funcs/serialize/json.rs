//! Go's `encoding/json`, as far as templates can observe it: `Marshal`/`MarshalIndent`
//! output (key order, escaping, number formatting, error texts) and `Unmarshal` into
//! `interface{}`, `map[string]interface{}` or `[]interface{}` (validation with the exact
//! scanner messages, then decoding).

use std::fmt::Write as _;

use crate::render::value::{Map, Value};

/// A value ready to be marshalled: maps are already in Go's output order (sorted keys for
/// maps, declaration order for structs).
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum J {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

/// `json.Marshal` (compact). `escape_html` is false only for `json.Encoder` with
/// `SetEscapeHTML(false)` (Sprig's `toRawJson`).
pub(crate) fn marshal(v: &J, escape_html: bool) -> Result<String, String> {
    let mut out = String::new();
    encode(v, escape_html, &mut out)?;
    Ok(out)
}

/// The error `json.Marshal` would return, without building the text (NaN and ±Inf are the
/// only values it rejects here).
pub(crate) fn check_marshal(v: &J) -> Result<(), String> {
    match v {
        J::Float(f) => format_float(*f).map(|_| ()),
        J::Arr(items) => items.iter().try_for_each(check_marshal),
        J::Obj(entries) => entries.iter().try_for_each(|(_, x)| check_marshal(x)),
        _ => Ok(()),
    }
}

/// `json.MarshalIndent(v, "", "  ")`.
pub(crate) fn marshal_indent(v: &J) -> Result<String, String> {
    let compact = marshal(v, true)?;
    Ok(indent(&compact, "  "))
}

fn encode(v: &J, escape_html: bool, out: &mut String) -> Result<(), String> {
    match v {
        J::Null => out.push_str("null"),
        J::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        J::Int(i) => {
            let _ = write!(out, "{i}");
        }
        J::Float(f) => out.push_str(&format_float(*f)?),
        J::Str(s) => quote_into(s, escape_html, out),
        J::Arr(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                encode(item, escape_html, out)?;
            }
            out.push(']');
        }
        J::Obj(entries) => {
            out.push('{');
            for (i, (k, item)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                quote_into(k, escape_html, out);
                out.push(':');
                encode(item, escape_html, out)?;
            }
            out.push('}');
        }
    }
    Ok(())
}

/// encoding/json's float64 encoder: shortest digits, `%f` style unless the exponent is
/// < -6 or >= 21, and `e-07` cleaned up to `e-7`.
pub(crate) fn format_float(f: f64) -> Result<String, String> {
    if f.is_nan() {
        return Err("json: unsupported value: NaN".into());
    }
    if f.is_infinite() {
        return Err(format!("json: unsupported value: {}", if f > 0.0 { "+Inf" } else { "-Inf" }));
    }
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        // Rust's `{:e}` gives the shortest digits with a bare exponent ("1e21", "1.5e-7").
        let s = format!("{f:e}");
        let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
        let exp = if let Some(neg) = exp.strip_prefix('-') { format!("-{neg}") } else { format!("+{exp}") };
        Ok(format!("{mantissa}e{exp}"))
    } else {
        Ok(format!("{f}"))
    }
}

/// Go's JSON string quoting.
pub(crate) fn quote_into(s: &str, escape_html: bool, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\x08' => out.push_str("\\b"),
            '\x0c' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' if escape_html => {
                let b = c as u8;
                out.push_str("\\u00");
                out.push(HEX[(b >> 4) as usize] as char);
                out.push(HEX[(b & 0xf) as usize] as char);
            }
            c if (c as u32) < 0x20 => {
                let b = c as u8;
                out.push_str("\\u00");
                out.push(HEX[(b >> 4) as usize] as char);
                out.push(HEX[(b & 0xf) as usize] as char);
            }
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// `json.Indent` of compact, valid JSON with an empty prefix.
fn indent(compact: &str, unit: &str) -> String {
    let mut out = String::with_capacity(compact.len() * 2);
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut need_indent = false;
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        for _ in 0..depth {
            out.push_str(unit);
        }
    };
    for c in compact.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        if need_indent && c != ']' && c != '}' {
            need_indent = false;
            depth += 1;
            newline(&mut out, depth);
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                out.push(c);
                need_indent = true;
            }
            ',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            '}' | ']' => {
                if need_indent {
                    // Empty collection: "{}" / "[]".
                    need_indent = false;
                } else {
                    depth = depth.saturating_sub(1);
                    newline(&mut out, depth);
                }
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

// ---- Unmarshal ---------------------------------------------------------------------------

/// What `json.Unmarshal` decodes into.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    Interface,
    Map,
    Slice,
}

impl Target {
    fn go_type(self) -> &'static str {
        match self {
            Target::Interface => "interface {}",
            Target::Map => "map[string]interface {}",
            Target::Slice => "[]interface {}",
        }
    }
}

/// `json.Unmarshal(data, &target)`: the decoded value (`Value::Nil` for JSON null and for a
/// top-level type mismatch) and the first error, as Go reports them. A syntax error decodes
/// nothing.
pub(crate) fn unmarshal(data: &str, target: Target) -> (Value, Option<String>) {
    if let Err(e) = check_valid(data.as_bytes()) {
        return (Value::Nil, Some(e));
    }
    let mut d = Decoder { s: data.as_bytes(), pos: 0, error: None };
    d.skip_ws();
    let kind = match d.s.get(d.pos) {
        Some(b'{') => "object",
        Some(b'[') => "array",
        Some(b'"') => "string",
        Some(b't' | b'f') => "bool",
        Some(b'n') => "null",
        _ => "number",
    };
    let fits = match target {
        Target::Interface => true,
        Target::Map => kind == "object" || kind == "null",
        Target::Slice => kind == "array" || kind == "null",
    };
    if !fits {
        return (Value::Nil, Some(format!("json: cannot unmarshal {kind} into Go value of type {}", target.go_type())));
    }
    let v = d.value();
    (v, d.error)
}

struct Decoder<'a> {
    s: &'a [u8],
    pos: usize,
    error: Option<String>,
}

enum Frame {
    Arr(Vec<Value>),
    Obj(Map, Option<String>),
}

impl Decoder<'_> {
    fn skip_ws(&mut self) {
        while matches!(self.s.get(self.pos), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            self.pos += 1;
        }
    }

    /// Decode one (already validated) value, iteratively: nesting may be 10000 deep.
    fn value(&mut self) -> Value {
        let mut stack: Vec<Frame> = Vec::new();
        loop {
            self.skip_ws();
            // Read a key if an object expects one.
            if let Some(Frame::Obj(_, key @ None)) = stack.last_mut() {
                if self.s.get(self.pos) == Some(&b'}') {
                    self.pos += 1;
                    let Some(Frame::Obj(map, _)) = stack.pop() else { unreachable!() };
                    let v = Value::map(map);
                    if let Some(done) = self.finish(&mut stack, v) {
                        return done;
                    }
                    continue;
                }
                *key = Some(self.string());
                self.skip_ws();
                self.pos += 1; // ':'
                self.skip_ws();
            }
            let v = match self.s.get(self.pos) {
                Some(b'{') => {
                    self.pos += 1;
                    stack.push(Frame::Obj(Map::new(), None));
                    continue;
                }
                Some(b'[') => {
                    self.pos += 1;
                    self.skip_ws();
                    if self.s.get(self.pos) == Some(&b']') {
                        self.pos += 1;
                        Value::list(Vec::new())
                    } else {
                        stack.push(Frame::Arr(Vec::new()));
                        continue;
                    }
                }
                Some(b'"') => Value::str(self.string()),
                Some(b't') => {
                    self.pos += 4;
                    Value::Bool(true)
                }
                Some(b'f') => {
                    self.pos += 5;
                    Value::Bool(false)
                }
                Some(b'n') => {
                    self.pos += 4;
                    Value::Nil
                }
                _ => self.number(),
            };
            if let Some(done) = self.finish(&mut stack, v) {
                return done;
            }
        }
    }

    /// Attach a finished value to its parent; returns the top-level value when done.
    fn finish(&mut self, stack: &mut Vec<Frame>, mut v: Value) -> Option<Value> {
        loop {
            match stack.last_mut() {
                None => return Some(v),
                Some(Frame::Arr(items)) => {
                    items.push(v);
                    self.skip_ws();
                    if self.s.get(self.pos) == Some(&b',') {
                        self.pos += 1;
                        return None;
                    }
                    self.pos += 1; // ']'
                    let Some(Frame::Arr(items)) = stack.pop() else { unreachable!() };
                    v = Value::list(items);
                }
                Some(Frame::Obj(map, key)) => {
                    map.insert(key.take().unwrap_or_default(), v);
                    self.skip_ws();
                    if self.s.get(self.pos) == Some(&b',') {
                        self.pos += 1;
                        return None;
                    }
                    self.pos += 1; // '}'
                    let Some(Frame::Obj(map, _)) = stack.pop() else { unreachable!() };
                    v = Value::map(map);
                }
            }
        }
    }

    fn number(&mut self) -> Value {
        let start = self.pos;
        while matches!(self.s.get(self.pos), Some(b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')) {
            self.pos += 1;
        }
        let text = std::str::from_utf8(&self.s[start..self.pos]).unwrap_or("0");
        match text.parse::<f64>() {
            Ok(f) if f.is_finite() => Value::Float(f),
            _ => {
                if self.error.is_none() {
                    self.error = Some(format!("json: cannot unmarshal number {text} into Go value of type float64"));
                }
                Value::Nil
            }
        }
    }

    /// A validated string literal at `pos` (Go's `unquote`: bad surrogates become U+FFFD).
    fn string(&mut self) -> String {
        self.pos += 1;
        let mut out: Vec<u8> = Vec::new();
        loop {
            let c = self.s[self.pos];
            match c {
                b'"' => {
                    self.pos += 1;
                    break;
                }
                b'\\' => {
                    let e = self.s[self.pos + 1];
                    self.pos += 2;
                    let simple = match e {
                        b'b' => Some(b'\x08'),
                        b'f' => Some(b'\x0c'),
                        b'n' => Some(b'\n'),
                        b'r' => Some(b'\r'),
                        b't' => Some(b'\t'),
                        b'u' => None,
                        other => Some(other),
                    };
                    if let Some(b) = simple {
                        out.push(b);
                        continue;
                    }
                    let mut r = self.hex4(self.pos);
                    self.pos += 4;
                    if (0xd800..0xe000).contains(&r) {
                        let pair = if self.s.get(self.pos) == Some(&b'\\') && self.s.get(self.pos + 1) == Some(&b'u') {
                            let r2 = self.hex4(self.pos + 2);
                            ((0xd800..0xdc00).contains(&r) && (0xdc00..0xe000).contains(&r2))
                                .then(|| 0x10000 + ((r - 0xd800) << 10) + (r2 - 0xdc00))
                        } else {
                            None
                        };
                        match pair {
                            Some(p) => {
                                r = p;
                                self.pos += 6;
                            }
                            None => r = 0xfffd,
                        }
                    }
                    let ch = char::from_u32(r).unwrap_or('\u{fffd}');
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                }
                _ => {
                    out.push(c);
                    self.pos += 1;
                }
            }
        }
        String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }

    fn hex4(&self, at: usize) -> u32 {
        let mut r = 0;
        for i in 0..4 {
            let d = self.s.get(at + i).and_then(|b| (*b as char).to_digit(16)).unwrap_or(0);
            r = r * 16 + d;
        }
        r
    }
}

// ---- the validating scanner (encoding/json scanner.go) ----------------------------------------

#[derive(Clone, Copy, PartialEq, Eq)]
enum Step {
    BeginValueOrEmpty,
    BeginValue,
    BeginStringOrEmpty,
    BeginString,
    EndValue,
    EndTop,
    InString,
    InStringEsc,
    InStringEscU(u8),
    Neg,
    One,
    Zero,
    Dot,
    Dot0,
    E,
    ESign,
    E0,
    Lit(&'static [u8], u8),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Parse {
    ObjectKey,
    ObjectValue,
    ArrayValue,
}

struct Scanner {
    step: Step,
    parse: Vec<Parse>,
    end_top: bool,
}

const MAX_NESTING_DEPTH: usize = 10000;

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

/// Go's `quoteChar` for scanner errors: the byte as a rune, quoted like `strconv.Quote`.
fn quote_char(c: u8) -> String {
    let inner = match c {
        b'\'' => "\\'".to_string(),
        b'"' => "\"".to_string(),
        b'\\' => "\\\\".to_string(),
        b'\x07' => "\\a".to_string(),
        b'\x08' => "\\b".to_string(),
        b'\x0c' => "\\f".to_string(),
        b'\n' => "\\n".to_string(),
        b'\r' => "\\r".to_string(),
        b'\t' => "\\t".to_string(),
        b'\x0b' => "\\v".to_string(),
        0..=0x1f | 0x7f => format!("\\x{c:02x}"),
        0x80..=0xa0 | 0xad => format!("\\u{c:04x}"),
        _ => (c as char).to_string(),
    };
    format!("'{inner}'")
}

fn syntax_error(c: u8, context: &str) -> String {
    format!("invalid character {} {}", quote_char(c), context)
}

/// `checkValid`: the first syntax error, with Go's message.
fn check_valid(data: &[u8]) -> Result<(), String> {
    let mut s = Scanner { step: Step::BeginValue, parse: Vec::new(), end_top: false };
    for &c in data {
        s.feed(c)?;
    }
    // eof()
    if s.end_top {
        return Ok(());
    }
    s.feed(b' ')?;
    if s.end_top {
        return Ok(());
    }
    Err("unexpected end of JSON input".into())
}

impl Scanner {
    fn push(&mut self, p: Parse, next: Step) -> Result<(), String> {
        self.parse.push(p);
        if self.parse.len() > MAX_NESTING_DEPTH {
            return Err("exceeded max depth".into());
        }
        self.step = next;
        Ok(())
    }

    fn pop(&mut self) {
        self.parse.pop();
        if self.parse.is_empty() {
            self.step = Step::EndTop;
            self.end_top = true;
        } else {
            self.step = Step::EndValue;
        }
    }

    fn feed(&mut self, c: u8) -> Result<(), String> {
        match self.step {
            Step::BeginValueOrEmpty => {
                if is_space(c) {
                    return Ok(());
                }
                if c == b']' {
                    return self.end_value(c);
                }
                self.begin_value(c)
            }
            Step::BeginValue => self.begin_value(c),
            Step::BeginStringOrEmpty => {
                if is_space(c) {
                    return Ok(());
                }
                if c == b'}' {
                    if let Some(last) = self.parse.last_mut() {
                        *last = Parse::ObjectValue;
                    }
                    return self.end_value(c);
                }
                self.begin_string(c)
            }
            Step::BeginString => self.begin_string(c),
            Step::EndValue => self.end_value(c),
            Step::EndTop => {
                if !is_space(c) {
                    return Err(syntax_error(c, "after top-level value"));
                }
                Ok(())
            }
            Step::InString => {
                match c {
                    b'"' => self.step = Step::EndValue,
                    b'\\' => self.step = Step::InStringEsc,
                    c if c < 0x20 => return Err(syntax_error(c, "in string literal")),
                    _ => {}
                }
                Ok(())
            }
            Step::InStringEsc => {
                match c {
                    b'b' | b'f' | b'n' | b'r' | b't' | b'\\' | b'/' | b'"' => self.step = Step::InString,
                    b'u' => self.step = Step::InStringEscU(0),
                    _ => return Err(syntax_error(c, "in string escape code")),
                }
                Ok(())
            }
            Step::InStringEscU(n) => {
                if !c.is_ascii_hexdigit() {
                    return Err(syntax_error(c, "in \\u hexadecimal character escape"));
                }
                self.step = if n == 3 { Step::InString } else { Step::InStringEscU(n + 1) };
                Ok(())
            }
            Step::Neg => match c {
                b'0' => {
                    self.step = Step::Zero;
                    Ok(())
                }
                b'1'..=b'9' => {
                    self.step = Step::One;
                    Ok(())
                }
                _ => Err(syntax_error(c, "in numeric literal")),
            },
            Step::One => {
                if c.is_ascii_digit() {
                    return Ok(());
                }
                self.zero(c)
            }
            Step::Zero => self.zero(c),
            Step::Dot => {
                if c.is_ascii_digit() {
                    self.step = Step::Dot0;
                    return Ok(());
                }
                Err(syntax_error(c, "after decimal point in numeric literal"))
            }
            Step::Dot0 => {
                if c.is_ascii_digit() {
                    return Ok(());
                }
                if c == b'e' || c == b'E' {
                    self.step = Step::E;
                    return Ok(());
                }
                self.end_value(c)
            }
            Step::E => {
                if c == b'+' || c == b'-' {
                    self.step = Step::ESign;
                    return Ok(());
                }
                self.e_sign(c)
            }
            Step::ESign => self.e_sign(c),
            Step::E0 => {
                if c.is_ascii_digit() {
                    return Ok(());
                }
                self.end_value(c)
            }
            Step::Lit(word, i) => {
                let want = word[i as usize];
                if c != want {
                    let name = std::str::from_utf8(word).unwrap_or("");
                    return Err(syntax_error(c, &format!("in literal {name} (expecting '{}')", want as char)));
                }
                self.step = if i as usize + 1 == word.len() { Step::EndValue } else { Step::Lit(word, i + 1) };
                Ok(())
            }
        }
    }

    fn begin_value(&mut self, c: u8) -> Result<(), String> {
        if is_space(c) {
            return Ok(());
        }
        match c {
            b'{' => self.push(Parse::ObjectKey, Step::BeginStringOrEmpty),
            b'[' => self.push(Parse::ArrayValue, Step::BeginValueOrEmpty),
            b'"' => {
                self.step = Step::InString;
                Ok(())
            }
            b'-' => {
                self.step = Step::Neg;
                Ok(())
            }
            b'0' => {
                self.step = Step::Zero;
                Ok(())
            }
            b'1'..=b'9' => {
                self.step = Step::One;
                Ok(())
            }
            b't' => {
                self.step = Step::Lit(b"true", 1);
                Ok(())
            }
            b'f' => {
                self.step = Step::Lit(b"false", 1);
                Ok(())
            }
            b'n' => {
                self.step = Step::Lit(b"null", 1);
                Ok(())
            }
            _ => Err(syntax_error(c, "looking for beginning of value")),
        }
    }

    fn begin_string(&mut self, c: u8) -> Result<(), String> {
        if is_space(c) {
            return Ok(());
        }
        if c == b'"' {
            self.step = Step::InString;
            return Ok(());
        }
        Err(syntax_error(c, "looking for beginning of object key string"))
    }

    fn end_value(&mut self, c: u8) -> Result<(), String> {
        let Some(&ps) = self.parse.last() else {
            self.step = Step::EndTop;
            self.end_top = true;
            return self.feed(c);
        };
        if is_space(c) {
            self.step = Step::EndValue;
            return Ok(());
        }
        match ps {
            Parse::ObjectKey => {
                if c == b':' {
                    if let Some(last) = self.parse.last_mut() {
                        *last = Parse::ObjectValue;
                    }
                    self.step = Step::BeginValue;
                    return Ok(());
                }
                Err(syntax_error(c, "after object key"))
            }
            Parse::ObjectValue => {
                if c == b',' {
                    if let Some(last) = self.parse.last_mut() {
                        *last = Parse::ObjectKey;
                    }
                    self.step = Step::BeginString;
                    return Ok(());
                }
                if c == b'}' {
                    self.pop();
                    return Ok(());
                }
                Err(syntax_error(c, "after object key:value pair"))
            }
            Parse::ArrayValue => {
                if c == b',' {
                    self.step = Step::BeginValue;
                    return Ok(());
                }
                if c == b']' {
                    self.pop();
                    return Ok(());
                }
                Err(syntax_error(c, "after array element"))
            }
        }
    }

    fn zero(&mut self, c: u8) -> Result<(), String> {
        if c == b'.' {
            self.step = Step::Dot;
            return Ok(());
        }
        if c == b'e' || c == b'E' {
            self.step = Step::E;
            return Ok(());
        }
        self.end_value(c)
    }

    fn e_sign(&mut self, c: u8) -> Result<(), String> {
        if c.is_ascii_digit() {
            self.step = Step::E0;
            return Ok(());
        }
        Err(syntax_error(c, "in exponent of numeric literal"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_formatting_matches_encoding_json() {
        assert_eq!(format_float(1.5).unwrap(), "1.5");
        assert_eq!(format_float(100.0).unwrap(), "100");
        assert_eq!(format_float(1e21).unwrap(), "1e+21");
        assert_eq!(format_float(1e20).unwrap(), "100000000000000000000");
        assert_eq!(format_float(1e-7).unwrap(), "1e-7");
        assert_eq!(format_float(0.000001).unwrap(), "0.000001");
        assert_eq!(format_float(-0.0).unwrap(), "-0");
        assert_eq!(format_float(1.5e-10).unwrap(), "1.5e-10");
        assert_eq!(format_float(f64::NAN).unwrap_err(), "json: unsupported value: NaN");
        assert_eq!(format_float(f64::NEG_INFINITY).unwrap_err(), "json: unsupported value: -Inf");
    }

    #[test]
    fn scanner_messages() {
        // Pinned from helm-render (fromJson puts these under "Error").
        assert_eq!(check_valid(b"{").unwrap_err(), "unexpected end of JSON input");
        assert_eq!(check_valid(b"").unwrap_err(), "unexpected end of JSON input");
        assert_eq!(check_valid(b"{} x").unwrap_err(), "invalid character 'x' after top-level value");
        assert_eq!(
            check_valid(b"{\"a\":1,}").unwrap_err(),
            "invalid character '}' looking for beginning of object key string"
        );
        assert_eq!(
            check_valid(b"{'a':1}").unwrap_err(),
            "invalid character '\\'' looking for beginning of object key string"
        );
        assert_eq!(check_valid(b"tru").unwrap_err(), "invalid character ' ' in literal true (expecting 'e')");
        assert!(check_valid(b" [1, 2.5e-3, \"x\\u00e9\", null, {\"b\": []}] ").is_ok());
    }

    #[test]
    fn indent_like_marshal_indent() {
        assert_eq!(
            indent("{\"a\":[],\"b\":{},\"c\":[1,{\"d\":\"x,y\"}]}", "  "),
            "{\n  \"a\": [],\n  \"b\": {},\n  \"c\": [\n    1,\n    {\n      \"d\": \"x,y\"\n    }\n  ]\n}"
        );
        assert_eq!(indent("[]", "  "), "[]");
    }
}
