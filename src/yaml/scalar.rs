//! Scalar resolution exactly as Helm and kubectl read YAML: sigs.k8s.io/yaml parses with
//! go-yaml **v2** (YAML 1.1 rules: `y`/`yes`/`on` are booleans, `0777` is octal, timestamps
//! stay strings) and then round-trips through JSON (every number becomes a float64, map keys
//! become strings). Pinned case by case in the tests below.

use std::borrow::Cow;

/// How a scalar was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

/// An explicit tag on a node, reduced to what resolution needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tag {
    None,
    Str,
    Int,
    Float,
    Bool,
    Null,
    Binary,
    Timestamp,
    Merge,
    /// Any other tag (`!foo`, `!!set`...): go-yaml leaves the value a string.
    Other,
}

/// A resolved scalar, as go-yaml v2 decodes it into `interface{}`.
#[derive(Clone, Debug, PartialEq)]
pub enum Scalar<'a> {
    Null,
    Bool(bool),
    Int(i64),
    /// Integers above i64::MAX that fit u64 (go-yaml's `ParseUint` step).
    Uint(u64),
    Float(f64),
    Str(&'a str),
}

impl Scalar<'_> {
    /// The number Helm sees after the JSON round-trip: every number is a float64.
    pub fn as_json_f64(&self) -> Option<f64> {
        match *self {
            Scalar::Int(i) => Some(i as f64),
            Scalar::Uint(u) => Some(u as f64),
            Scalar::Float(f) => Some(f),
            _ => None,
        }
    }

    /// Map-key text after sigs.k8s.io/yaml's conversion of non-string keys.
    pub fn json_key(&self) -> Cow<'_, str> {
        match self {
            Scalar::Str(s) => Cow::Borrowed(s),
            Scalar::Bool(b) => Cow::Borrowed(if *b { "true" } else { "false" }),
            Scalar::Int(i) => Cow::Owned(i.to_string()),
            Scalar::Uint(u) => Cow::Owned(u.to_string()),
            // sigs.k8s.io/yaml formats float keys with FormatFloat(f, 'g', -1, 32).
            Scalar::Float(f) => Cow::Owned(match format_float_g(*f, true).as_str() {
                "+Inf" => ".inf".to_string(),
                "-Inf" => "-.inf".to_string(),
                "NaN" => ".nan".to_string(),
                s => s.to_string(),
            }),
            Scalar::Null => Cow::Borrowed("null"),
        }
    }
}

/// Resolve a scalar's text given its style and tag.
pub fn resolve(text: &str, style: Style, tag: Tag) -> Scalar<'_> {
    match tag {
        Tag::Str | Tag::Binary | Tag::Other | Tag::Timestamp | Tag::Merge => return Scalar::Str(text),
        Tag::None if style != Style::Plain => return Scalar::Str(text),
        _ => {}
    }
    let resolved = resolve_plain(text);
    // An explicit tag must agree with what the text resolves to; go-yaml fails otherwise,
    // and `!!float 1` is the one permitted widening.
    match (tag, &resolved) {
        (Tag::None, _) => resolved,
        (Tag::Float, Scalar::Int(i)) => Scalar::Float(*i as f64),
        (Tag::Float, Scalar::Float(_))
        | (Tag::Int, Scalar::Int(_) | Scalar::Uint(_))
        | (Tag::Bool, Scalar::Bool(_))
        | (Tag::Null, Scalar::Null) => resolved,
        _ => Scalar::Str(text),
    }
}

/// Could this plain text resolve to anything but a string? Cheap pre-check for hot paths.
pub fn may_be_non_string(text: &str) -> bool {
    match text.as_bytes().first() {
        None => true,
        Some(c) => matches!(
            c,
            b'+' | b'-' | b'0'
                ..=b'9' | b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~' | b'.'
        ),
    }
}

/// go-yaml v2 `resolve()` for an untagged plain scalar.
pub fn resolve_plain(text: &str) -> Scalar<'_> {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Scalar::Null,
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => return Scalar::Bool(true),
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            return Scalar::Bool(false)
        }
        ".nan" | ".NaN" | ".NAN" => return Scalar::Float(f64::NAN),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => return Scalar::Float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => return Scalar::Float(f64::NEG_INFINITY),
        _ => {}
    }
    match text.as_bytes()[0] {
        b'.' => {
            if is_yaml_style_float(text) {
                if let Ok(f) = text.parse::<f64>() {
                    return Scalar::Float(f);
                }
            }
            Scalar::Str(text)
        }
        b'+' | b'-' | b'0'..=b'9' => {
            // Timestamps (`2001-12-14`) stay strings when decoded into interface{}.
            let plain: Cow<str> =
                if text.contains('_') { Cow::Owned(text.replace('_', "")) } else { Cow::Borrowed(text) };
            if let Some(i) = go_parse_int(&plain) {
                return Scalar::Int(i);
            }
            if let Some(u) = go_parse_uint(&plain) {
                return Scalar::Uint(u);
            }
            if is_yaml_style_float(&plain) {
                if let Ok(f) = plain.parse::<f64>() {
                    return Scalar::Float(f);
                }
            }
            Scalar::Str(text)
        }
        _ => Scalar::Str(text),
    }
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
fn is_yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if i < b.len() && b[i] == b'.' {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if i < b.len() && b[i] == b'.' {
            i += 1;
            digits(&mut i);
        }
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// Split Go base-0 integer syntax into (negative, radix, digits).
fn go_int_parts(s: &str) -> Option<(bool, u32, &str)> {
    let (neg, rest) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let lower = rest.get(..2).map(|p| p.to_ascii_lowercase());
    let (radix, digits) = match lower.as_deref() {
        Some("0x") => (16, &rest[2..]),
        Some("0o") => (8, &rest[2..]),
        Some("0b") => (2, &rest[2..]),
        _ if rest.len() > 1 && rest.starts_with('0') => (8, &rest[1..]),
        _ => (10, rest),
    };
    if digits.is_empty() || !digits.bytes().all(|c| (c as char).is_digit(radix)) {
        return None;
    }
    Some((neg, radix, digits))
}

/// Go's `strconv.ParseInt(s, 0, 64)` (underscores already removed).
fn go_parse_int(s: &str) -> Option<i64> {
    let (neg, radix, digits) = go_int_parts(s)?;
    let magnitude = u64::from_str_radix(digits, radix).ok()?;
    if neg {
        if magnitude <= i64::MAX as u64 + 1 {
            Some((magnitude as i64).wrapping_neg())
        } else {
            None
        }
    } else {
        i64::try_from(magnitude).ok()
    }
}

/// Go's `strconv.ParseUint(s, 0, 64)`: no sign allowed.
fn go_parse_uint(s: &str) -> Option<u64> {
    if s.starts_with(['+', '-']) {
        return None;
    }
    let (_, radix, digits) = go_int_parts(s)?;
    u64::from_str_radix(digits, radix).ok()
}

/// Go's `strconv.FormatFloat(f, 'g', -1, 64|32)`, which is also what `%v` prints for floats:
/// shortest round-trip digits, exponent form when exp < -4 or exp >= 6 (in shortest mode Go
/// decides with precision 6, so 1000000 prints as `1e+06`).
pub fn format_float_g(f: f64, as_f32: bool) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf".into() } else { "-Inf".into() };
    }
    // Rust's `{:e}` prints the shortest round-trip digits, like Go's shortest mode.
    let sci = if as_f32 { format!("{:e}", f as f32) } else { format!("{:e}", f) };
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let negative = mantissa.starts_with('-');
    let digits: String = mantissa.chars().filter(|c| c.is_ascii_digit()).collect();
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    if !(-4..6).contains(&exp) {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        out.push(if exp < 0 { '-' } else { '+' });
        let e = exp.unsigned_abs();
        if e < 10 {
            out.push('0');
        }
        out.push_str(&e.to_string());
    } else if exp < 0 {
        out.push_str("0.");
        for _ in 0..(-exp - 1) {
            out.push('0');
        }
        out.push_str(&digits);
    } else {
        let point = exp as usize + 1;
        if digits.len() <= point {
            out.push_str(&digits);
            for _ in digits.len()..point {
                out.push('0');
            }
        } else {
            out.push_str(&digits[..point]);
            out.push('.');
            out.push_str(&digits[point..]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(s: &str) -> Scalar<'_> {
        resolve(s, Style::Plain, Tag::None)
    }

    #[test]
    fn yaml11_booleans_including_y_and_n() {
        for t in ["y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "true", "True", "TRUE"] {
            assert_eq!(plain(t), Scalar::Bool(true), "{t}");
        }
        for f in ["n", "N", "no", "No", "NO", "off", "Off", "OFF", "false", "False", "FALSE"] {
            assert_eq!(plain(f), Scalar::Bool(false), "{f}");
        }
        // Mixed case outside the table stays a string.
        assert_eq!(plain("yEs"), Scalar::Str("yEs"));
        assert_eq!(plain("tRUE"), Scalar::Str("tRUE"));
    }

    #[test]
    fn quoting_and_str_tag_keep_strings() {
        assert_eq!(resolve("yes", Style::DoubleQuoted, Tag::None), Scalar::Str("yes"));
        assert_eq!(resolve("0777", Style::SingleQuoted, Tag::None), Scalar::Str("0777"));
        assert_eq!(resolve("1", Style::Literal, Tag::None), Scalar::Str("1"));
        assert_eq!(resolve("true", Style::Plain, Tag::Str), Scalar::Str("true"));
    }

    #[test]
    fn nulls() {
        for n in ["", "~", "null", "Null", "NULL"] {
            assert_eq!(plain(n), Scalar::Null, "{n:?}");
        }
        assert_eq!(plain("nULL"), Scalar::Str("nULL"));
    }

    #[test]
    fn integers_follow_go_parse_int_base_0() {
        assert_eq!(plain("0777"), Scalar::Int(511)); // YAML 1.1 octal
        assert_eq!(plain("0o17"), Scalar::Int(15));
        assert_eq!(plain("0x1F"), Scalar::Int(31));
        assert_eq!(plain("0b101"), Scalar::Int(5));
        assert_eq!(plain("-0b101"), Scalar::Int(-5));
        assert_eq!(plain("1_000"), Scalar::Int(1000));
        assert_eq!(plain("+12"), Scalar::Int(12));
        assert_eq!(plain("-9223372036854775808"), Scalar::Int(i64::MIN));
        assert_eq!(plain("18446744073709551615"), Scalar::Uint(u64::MAX));
        assert_eq!(plain("0"), Scalar::Int(0));
    }

    #[test]
    fn invalid_octal_falls_through_to_float() {
        // ParseInt("08", 0) fails; the YAML float regex matches; so 08 is the float 8.
        assert_eq!(plain("08"), Scalar::Float(8.0));
        assert_eq!(plain("09.5"), Scalar::Float(9.5));
    }

    #[test]
    fn floats() {
        assert_eq!(plain("1.5"), Scalar::Float(1.5));
        assert_eq!(plain(".5"), Scalar::Float(0.5));
        assert_eq!(plain("1e3"), Scalar::Float(1000.0));
        assert_eq!(plain("-2.5E-3"), Scalar::Float(-0.0025));
        assert_eq!(plain("1."), Scalar::Float(1.0));
        assert_eq!(plain(".inf"), Scalar::Float(f64::INFINITY));
        assert_eq!(plain("-.Inf"), Scalar::Float(f64::NEG_INFINITY));
        assert!(matches!(plain(".nan"), Scalar::Float(f) if f.is_nan()));
        // Not numbers.
        assert_eq!(plain("1.2.3"), Scalar::Str("1.2.3"));
        assert_eq!(plain("."), Scalar::Str("."));
        assert_eq!(plain("1e"), Scalar::Str("1e"));
        assert_eq!(plain("inf"), Scalar::Str("inf"));
    }

    #[test]
    fn timestamps_and_versions_stay_strings() {
        assert_eq!(plain("2001-12-14"), Scalar::Str("2001-12-14"));
        assert_eq!(plain("2001-12-14T21:59:43Z"), Scalar::Str("2001-12-14T21:59:43Z"));
        assert_eq!(plain("v1.2.3"), Scalar::Str("v1.2.3"));
        assert_eq!(plain("1.2.3"), Scalar::Str("1.2.3"));
    }

    #[test]
    fn tags() {
        assert_eq!(resolve("1", Style::Plain, Tag::Float), Scalar::Float(1.0));
        assert_eq!(resolve("3", Style::DoubleQuoted, Tag::Int), Scalar::Int(3));
        assert_eq!(resolve("abc", Style::Plain, Tag::Int), Scalar::Str("abc"));
        assert_eq!(resolve("x", Style::Plain, Tag::Other), Scalar::Str("x"));
    }

    #[test]
    fn every_number_becomes_float64_after_the_json_step() {
        assert_eq!(plain("1000000").as_json_f64(), Some(1e6));
        // ...which is why `{{ .Values.n }}` prints 1e+06 in Helm.
        assert_eq!(format_float_g(plain("1000000").as_json_f64().unwrap(), false), "1e+06");
        assert_eq!(format_float_g(100000.0, false), "100000");
        assert_eq!(format_float_g(123456789.0, false), "1.23456789e+08");
        assert_eq!(format_float_g(1.5, false), "1.5");
        assert_eq!(format_float_g(0.0001, false), "0.0001");
        assert_eq!(format_float_g(0.00001, false), "1e-05");
        assert_eq!(format_float_g(-3.0, false), "-3");
        assert_eq!(format_float_g(0.0, false), "0");
        assert_eq!(format_float_g(1e21, false), "1e+21");
        // 2^53 + 1 loses precision through float64.
        assert_eq!(plain("9007199254740993").as_json_f64(), Some(9007199254740992.0));
    }

    #[test]
    fn non_string_keys_become_strings() {
        assert_eq!(plain("on").json_key(), "true");
        assert_eq!(plain("no").json_key(), "false");
        assert_eq!(plain("010").json_key(), "8");
        assert_eq!(plain("1.10").json_key(), "1.1");
        assert_eq!(plain("name").json_key(), "name");
    }
}
