//! Go's `fmt` print family as text/template exposes it (`print`, `println`, `printf`), the
//! text/template escapers (`html`, `js`, `urlquery`), and the `strconv` pieces they rest on
//! (`FormatFloat`, `Quote`, `IsPrint`).
//!
//! Helm renders every manifest through these, so the output has to match Go byte for byte,
//! error forms included (`%!d(string=hi)`, `%!(EXTRA int=1)`). The printer below follows the
//! structure of Go's `fmt/print.go` (verb dispatch per type) and `fmt/format.go` (padding,
//! integers, floats, quoting) so the two can be compared side by side.

use std::sync::OnceLock;

use regex::Regex;

use super::{arity_at_least, expect_str, CallCtx, FuncResult, Registry};
use crate::render::limits::{note_cut, Walk};
use crate::render::value::Value;

pub fn register(r: &mut Registry) {
    r.add("print", call_print);
    r.add("println", call_println);
    r.add("printf", call_printf);
    r.add("html", call_html);
    r.add("js", call_js);
    r.add("urlquery", call_urlquery);
}

fn call_print(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    Ok(Value::str(sprint(args)))
}

fn call_println(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    Ok(Value::str(sprintln(args)))
}

/// `printf` is `fmt.Sprintf(format string, args ...any)`: the format is a typed string.
fn call_printf(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity_at_least(args, 1)?;
    let format = expect_str(&args[0])?;
    Ok(Value::str(sprintf(format, &args[1..])))
}

/// text/template's `html`: HTMLEscapeString of the Sprint of the arguments.
fn call_html(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    Ok(Value::str(html_escape(&sprint(args))))
}

/// text/template's `js`: JSEscapeString of the Sprint of the arguments.
fn call_js(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    Ok(Value::str(js_escape(&sprint(args))))
}

/// text/template's `urlquery`: url.QueryEscape of the Sprint of the arguments.
fn call_urlquery(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    Ok(Value::str(query_escape(&sprint(args))))
}

// ---- engine-facing entry points -------------------------------------------------------

/// `fmt.Sprint`: operands in their `%v` form, with a space between two operands when
/// neither is a string.
pub fn sprint(args: &[Value]) -> String {
    let mut p = Printer::default();
    let mut prev_string = false;
    for (i, arg) in args.iter().enumerate() {
        let is_string = matches!(arg, Value::Str(_));
        if i > 0 && !is_string && !prev_string {
            p.buf.push(b' ');
        }
        p.print_arg(arg, 'v');
        prev_string = is_string;
    }
    p.finish()
}

/// `fmt.Sprintln`: operands always separated by spaces, then a newline.
pub fn sprintln(args: &[Value]) -> String {
    let mut p = Printer::default();
    for (i, arg) in args.iter().enumerate() {
        if i > 0 {
            p.buf.push(b' ');
        }
        p.print_arg(arg, 'v');
    }
    p.buf.push(b'\n');
    p.finish()
}

/// `fmt.Sprintf`.
pub fn sprintf(format: &str, args: &[Value]) -> String {
    let mut p = Printer::default();
    p.do_printf(format, args);
    p.finish()
}

// ---- the printer ------------------------------------------------------------------------

const LOWER_DIGITS: &[u8; 17] = b"0123456789abcdefx";
const UPPER_DIGITS: &[u8; 17] = b"0123456789ABCDEFX";

/// Go's `fmtFlags` plus width and precision (cleared together before every verb).
#[derive(Clone, Copy, Default)]
struct Flags {
    wid_present: bool,
    prec_present: bool,
    minus: bool,
    plus: bool,
    sharp: bool,
    space: bool,
    zero: bool,
    /// `%+v` and `%#v` are distinct formats: the flag moves here and `plus`/`sharp` clear.
    plus_v: bool,
    sharp_v: bool,
    wid: usize,
    prec: usize,
}

/// What a bad-verb report prints after `%!verb(`: Go reports the operand's type and value.
#[derive(Clone, Copy)]
enum Operand<'a> {
    Nil,
    Val(&'a Value),
    /// A map key (Go `string`).
    Key(&'a str),
    /// An element of a `[]byte` (Go `uint8`).
    Byte(u8),
}

/// Output is built as bytes like Go's buffer: `%s` of a `[]byte` may carry invalid UTF-8,
/// which only becomes U+FFFD at the very end.
#[derive(Default)]
struct Printer {
    buf: Vec<u8>,
    f: Flags,
    /// An explicit `[n]` index was used: unused arguments are then not reported as EXTRA.
    reordered: bool,
    /// The most recent `[n]` index was valid.
    good_arg_num: bool,
    /// Bounds the walk through nested values (`%v` of a dict that contains itself).
    walk: Walk,
}

impl Printer {
    fn finish(self) -> String {
        match String::from_utf8(self.buf) {
            Ok(s) => s,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        }
    }

    // -- padding (format.go) --

    fn write_padding(&mut self, n: isize) {
        if n <= 0 {
            return;
        }
        // Zero padding only ever goes on the left.
        let byte = if self.f.zero && !self.f.minus { b'0' } else { b' ' };
        self.buf.extend(std::iter::repeat_n(byte, n as usize));
    }

    /// Append `b`, padded to the width (counted in runes) on the left or, with `-`, the right.
    fn pad(&mut self, b: &[u8]) {
        if !self.f.wid_present || self.f.wid == 0 {
            self.buf.extend_from_slice(b);
            return;
        }
        let width = self.f.wid as isize - rune_count(b) as isize;
        if self.f.minus {
            self.buf.extend_from_slice(b);
            self.write_padding(width);
        } else {
            self.write_padding(width);
            self.buf.extend_from_slice(b);
        }
    }

    fn pad_str(&mut self, s: &str) {
        self.pad(s.as_bytes());
    }

    /// Run `body` with the zero flag off: Go pads integers and `%U` with spaces once their
    /// own zero filling (done as precision) is in place.
    fn without_zero(&mut self, body: impl FnOnce(&mut Self)) {
        let old = self.f.zero;
        self.f.zero = false;
        body(self);
        self.f.zero = old;
    }

    // -- integers (format.go fmtInteger, fmtUnicode, fmtC, fmtQc) --

    fn fmt_integer(&mut self, u: u64, base: u64, signed: bool, verb: char, digits: &[u8; 17]) {
        let negative = signed && (u as i64) < 0;
        let mut u = if negative { u.wrapping_neg() } else { u };
        // Two ways to ask for leading zeros, %.3d and %03d; an explicit precision wins.
        let mut prec = 0usize;
        if self.f.prec_present {
            prec = self.f.prec;
            // Precision 0 and value 0 print nothing but the padding.
            if prec == 0 && u == 0 {
                let wid = self.f.wid as isize;
                self.without_zero(|p| p.write_padding(wid));
                return;
            }
        } else if self.f.zero && !self.f.minus && self.f.wid_present {
            prec = self.f.wid;
            if negative || self.f.plus || self.f.space {
                prec = prec.saturating_sub(1); // leave room for the sign
            }
        }
        // Built right to left, reversed at the end.
        let mut out = Vec::with_capacity(prec.max(24));
        loop {
            out.push(digits[(u % base) as usize]);
            u /= base;
            if u == 0 {
                break;
            }
        }
        while out.len() < prec {
            out.push(b'0');
        }
        if self.f.sharp {
            match base {
                2 => out.extend_from_slice(b"b0"),
                8 if out.last() != Some(&b'0') => out.push(b'0'),
                16 => out.extend_from_slice(&[digits[16], b'0']),
                _ => {}
            }
        }
        if verb == 'O' {
            out.extend_from_slice(b"o0");
        }
        if negative {
            out.push(b'-');
        } else if self.f.plus {
            out.push(b'+');
        } else if self.f.space {
            out.push(b' ');
        }
        out.reverse();
        self.without_zero(|p| p.pad(&out));
    }

    /// `%U`: "U+0078", with `#` also the quoted character if printable.
    fn fmt_unicode(&mut self, u: u64) {
        let prec = if self.f.prec_present && self.f.prec > 4 { self.f.prec } else { 4 };
        let hex = format!("{u:X}");
        let mut s = String::from("U+");
        s.extend(std::iter::repeat_n('0', prec.saturating_sub(hex.len())));
        s.push_str(&hex);
        if self.f.sharp {
            if let Some(c) = u32::try_from(u).ok().and_then(char::from_u32).filter(|c| is_print(*c)) {
                s.push_str(" '");
                s.push(c);
                s.push('\'');
            }
        }
        self.without_zero(|p| p.pad_str(&s));
    }

    /// `%c`: invalid code points become U+FFFD.
    fn fmt_c(&mut self, u: u64) {
        let c = rune_or_replacement(u);
        self.pad_str(c.encode_utf8(&mut [0; 4]));
    }

    /// `%q` of an integer: a single-quoted Go character literal.
    fn fmt_qc(&mut self, u: u64) {
        let c = rune_or_replacement(u);
        let quoted = quote_with(c.encode_utf8(&mut [0; 4]).as_bytes(), b'\'', self.f.plus);
        self.pad_str(&quoted);
    }

    /// `fmt0x64`: hexadecimal with or without a 0x prefix (`%#v` of unsigned values).
    fn fmt_0x64(&mut self, v: u64, leading0x: bool) {
        let sharp = self.f.sharp;
        self.f.sharp = leading0x;
        self.fmt_integer(v, 16, false, 'v', LOWER_DIGITS);
        self.f.sharp = sharp;
    }

    // -- strings and bytes (format.go) --

    /// `%s`: the precision truncates to that many runes.
    fn fmt_s(&mut self, s: &[u8]) {
        let s = truncate_runes(s, self.f);
        self.pad(s);
    }

    /// `%x`/`%X` of a string or byte slice: two digits per byte; `% x` separates bytes,
    /// `%#x` adds 0x (per byte with the space flag).
    fn fmt_sbx(&mut self, s: &[u8], digits: &[u8; 17]) {
        let mut length = s.len();
        if self.f.prec_present && self.f.prec < length {
            length = self.f.prec;
        }
        let mut width = 2 * length;
        if width == 0 {
            if self.f.wid_present {
                self.write_padding(self.f.wid as isize);
            }
            return;
        }
        if self.f.space {
            if self.f.sharp {
                width *= 2;
            }
            width += length - 1;
        } else if self.f.sharp {
            width += 2;
        }
        let fill = self.f.wid as isize - width as isize;
        if self.f.wid_present && !self.f.minus {
            self.write_padding(fill);
        }
        if self.f.sharp {
            self.buf.extend_from_slice(&[b'0', digits[16]]);
        }
        for (i, &c) in s[..length].iter().enumerate() {
            if self.f.space && i > 0 {
                self.buf.push(b' ');
                if self.f.sharp {
                    self.buf.extend_from_slice(&[b'0', digits[16]]);
                }
            }
            self.buf.extend_from_slice(&[digits[usize::from(c >> 4)], digits[usize::from(c & 0xF)]]);
        }
        if self.f.wid_present && self.f.minus {
            self.write_padding(fill);
        }
    }

    /// `%q` of a string: double-quoted and escaped; `%#q` backquoted when possible;
    /// `%+q` ASCII only.
    fn fmt_q(&mut self, s: &[u8]) {
        let s = truncate_runes(s, self.f);
        if self.f.sharp && can_backquote(s) {
            let mut quoted = Vec::with_capacity(s.len() + 2);
            quoted.push(b'`');
            quoted.extend_from_slice(s);
            quoted.push(b'`');
            self.pad(&quoted);
            return;
        }
        let quoted = quote_with(s, b'"', self.f.plus);
        self.pad_str(&quoted);
    }

    // -- floats (format.go fmtFloat) --

    fn fmt_float(&mut self, v: f64, verb: u8, default_prec: i32) {
        let prec = if self.f.prec_present { self.f.prec as i32 } else { default_prec };
        let mut num = format_float(v, verb, prec).into_bytes();
        // Reserve a sign position so the flags below can rewrite it.
        if num.first() != Some(&b'-') && num.first() != Some(&b'+') {
            num.insert(0, b'+');
        }
        if self.f.space && num[0] == b'+' && !self.f.plus {
            num[0] = b' ';
        }
        // Infinities and NaN are never zero padded; NaN keeps a sign only if asked for.
        if num.get(1) == Some(&b'I') || num.get(1) == Some(&b'N') {
            if num[1] == b'N' && !self.f.space && !self.f.plus {
                num.remove(0);
            }
            self.without_zero(|p| p.pad(&num));
            return;
        }
        if self.f.sharp && verb != b'b' {
            sharp_float(&mut num, verb, prec);
        }
        if self.f.plus || num[0] != b'+' {
            // Zero padding goes between the sign and the digits.
            if self.f.zero && !self.f.minus && self.f.wid_present && self.f.wid > num.len() {
                self.buf.push(num[0]);
                self.write_padding((self.f.wid - num.len()) as isize);
                self.buf.extend_from_slice(&num[1..]);
                return;
            }
            self.pad(&num);
            return;
        }
        self.pad(&num[1..]);
    }

    // -- per-type verb dispatch (print.go) --

    /// `%!verb(type=value)`; the value prints as `%v` with the current width and flags.
    fn bad_verb(&mut self, verb: char, op: Operand) {
        self.buf.extend_from_slice(b"%!");
        push_char(&mut self.buf, verb);
        self.buf.push(b'(');
        match op {
            Operand::Nil => self.buf.extend_from_slice(b"<nil>"),
            Operand::Val(v) => {
                self.buf.extend_from_slice(v.type_name().as_bytes());
                self.buf.push(b'=');
                self.print_arg(v, 'v');
            }
            Operand::Key(k) => {
                self.buf.extend_from_slice(b"string=");
                self.fmt_string(k, 'v');
            }
            Operand::Byte(b) => {
                self.buf.extend_from_slice(b"uint8=");
                self.fmt_int(u64::from(b), false, 'v', op);
            }
        }
        self.buf.push(b')');
    }

    fn fmt_bool(&mut self, v: bool, verb: char, op: Operand) {
        match verb {
            't' | 'v' => self.pad_str(if v { "true" } else { "false" }),
            _ => self.bad_verb(verb, op),
        }
    }

    fn fmt_int(&mut self, v: u64, signed: bool, verb: char, op: Operand) {
        match verb {
            'v' if self.f.sharp_v && !signed => self.fmt_0x64(v, true),
            'v' | 'd' => self.fmt_integer(v, 10, signed, verb, LOWER_DIGITS),
            'b' => self.fmt_integer(v, 2, signed, verb, LOWER_DIGITS),
            'o' | 'O' => self.fmt_integer(v, 8, signed, verb, LOWER_DIGITS),
            'x' => self.fmt_integer(v, 16, signed, verb, LOWER_DIGITS),
            'X' => self.fmt_integer(v, 16, signed, verb, UPPER_DIGITS),
            'c' => self.fmt_c(v),
            'q' => self.fmt_qc(v),
            'U' => self.fmt_unicode(v),
            _ => self.bad_verb(verb, op),
        }
    }

    fn fmt_float_verb(&mut self, v: f64, verb: char, op: Operand) {
        match verb {
            'v' => self.fmt_float(v, b'g', -1),
            'b' | 'g' | 'G' | 'x' | 'X' => self.fmt_float(v, verb as u8, -1),
            'f' | 'e' | 'E' => self.fmt_float(v, verb as u8, 6),
            'F' => self.fmt_float(v, b'f', 6),
            _ => self.bad_verb(verb, op),
        }
    }

    fn fmt_string(&mut self, s: &str, verb: char) {
        match verb {
            'v' if self.f.sharp_v => self.fmt_q(s.as_bytes()),
            'v' | 's' => self.fmt_s(s.as_bytes()),
            'x' => self.fmt_sbx(s.as_bytes(), LOWER_DIGITS),
            'X' => self.fmt_sbx(s.as_bytes(), UPPER_DIGITS),
            'q' => self.fmt_q(s.as_bytes()),
            _ => self.bad_verb(verb, Operand::Key(s)),
        }
    }

    /// `[]byte`: string-like for %s %q %x %X, otherwise element by element as uint8.
    /// `type_string` is what `%#v` shows: `[]byte` at the top level, `[]uint8` nested.
    fn fmt_bytes(&mut self, b: &[u8], verb: char, type_string: &str) {
        match verb {
            'v' | 'd' if self.f.sharp_v => {
                self.buf.extend_from_slice(type_string.as_bytes());
                self.buf.push(b'{');
                for (i, &c) in b.iter().enumerate() {
                    if i > 0 {
                        self.buf.extend_from_slice(b", ");
                    }
                    self.fmt_0x64(u64::from(c), true);
                }
                self.buf.push(b'}');
            }
            's' => self.fmt_s(b),
            'x' => self.fmt_sbx(b, LOWER_DIGITS),
            'X' => self.fmt_sbx(b, UPPER_DIGITS),
            'q' => self.fmt_q(b),
            _ => {
                self.buf.push(b'[');
                for (i, &c) in b.iter().enumerate() {
                    if i > 0 {
                        self.buf.push(b' ');
                    }
                    if verb == 'v' {
                        self.fmt_integer(u64::from(c), 10, false, verb, LOWER_DIGITS);
                    } else {
                        self.fmt_int(u64::from(c), false, verb, Operand::Byte(c));
                    }
                }
                self.buf.push(b']');
            }
        }
    }

    /// `%p`: only reference types have an address. Go prints a real (run-dependent) address;
    /// a fixed stand-in keeps lint output reproducible.
    fn fmt_pointer(&mut self, v: &Value, verb: char) {
        match v {
            Value::List(_) | Value::Map(_) | Value::Bytes(_) | Value::Object(_) => {
                let leading = !self.f.sharp;
                self.fmt_0x64(0xc0_0001_0000, leading);
            }
            _ => self.bad_verb(verb, Operand::Val(v)),
        }
    }

    /// Go's `printArg`: the top-level operand of a verb.
    fn print_arg(&mut self, v: &Value, verb: char) {
        if let Value::Nil = v {
            match verb {
                'T' | 'v' => self.pad_str("<nil>"),
                _ => self.bad_verb(verb, Operand::Nil),
            }
            return;
        }
        match verb {
            'T' => self.fmt_s(v.type_name().as_bytes()),
            'p' => self.fmt_pointer(v, verb),
            _ => self.print_value(v, verb, 0),
        }
    }

    /// Go's `printValue`: compound values apply the verb (and flags) to each element. A part
    /// that contains itself or is nested too deep prints as `...` and is noted for the
    /// executor to report (Go would overflow its stack).
    fn print_value(&mut self, v: &Value, verb: char, depth: usize) {
        let mut walk = std::mem::take(&mut self.walk);
        let entered = walk.enter(v, |inner| {
            // Nested calls continue the same walk: lend it back to the printer meanwhile.
            self.walk = std::mem::take(inner);
            self.print_value_level(v, verb, depth);
            *inner = std::mem::take(&mut self.walk);
        });
        self.walk = walk;
        if let Err(limit) = entered {
            note_cut(limit);
            self.buf.extend_from_slice(b"...");
        }
    }

    fn print_value_level(&mut self, v: &Value, verb: char, depth: usize) {
        // %w is only valid for errors: any value that is not printed by a basic-type case
        // is rejected whole (nested []byte included, as Go checks methods below the top).
        if verb == 'w' {
            let whole = match v {
                Value::List(_) | Value::Map(_) | Value::Object(_) => true,
                Value::Bytes(_) => depth > 0,
                _ => false,
            };
            if whole {
                self.bad_verb(verb, Operand::Val(v));
                return;
            }
        }
        match v {
            // A nil interface inside a list or map prints the same for every verb.
            Value::Nil => {
                let s: &[u8] = if self.f.sharp_v { b"interface {}(nil)" } else { b"<nil>" };
                self.buf.extend_from_slice(s);
            }
            Value::Bool(b) => self.fmt_bool(*b, verb, Operand::Val(v)),
            Value::Int(i) => self.fmt_int(*i as u64, true, verb, Operand::Val(v)),
            Value::Float(x) => self.fmt_float_verb(*x, verb, Operand::Val(v)),
            Value::Str(s) => self.fmt_string(s, verb),
            Value::BinStr(b) => self.fmt_string(&b.text, verb),
            Value::Bytes(b) => self.fmt_bytes(b, verb, if depth == 0 { "[]byte" } else { "[]uint8" }),
            Value::List(items) => self.print_list(items, verb, depth),
            Value::Map(m) => self.print_map(&m.borrow(), verb, depth),
            Value::Object(o) => self.pad_str(&o.display()),
        }
    }

    fn print_list(&mut self, items: &[Value], verb: char, depth: usize) {
        if self.f.sharp_v {
            self.buf.extend_from_slice(b"[]interface {}{");
        } else {
            self.buf.push(b'[');
        }
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.separator();
            }
            self.print_value(item, verb, depth + 1);
        }
        self.buf.push(if self.f.sharp_v { b'}' } else { b']' });
    }

    /// Maps print with sorted keys (BTreeMap order is Go's string order).
    fn print_map(&mut self, map: &crate::render::value::Map, verb: char, depth: usize) {
        if self.f.sharp_v {
            self.buf.extend_from_slice(b"map[string]interface {}{");
        } else {
            self.buf.extend_from_slice(b"map[");
        }
        for (i, (key, value)) in map.iter().enumerate() {
            if i > 0 {
                self.separator();
            }
            self.fmt_string(key, verb);
            self.buf.push(b':');
            self.print_value(value, verb, depth + 1);
        }
        self.buf.push(if self.f.sharp_v { b'}' } else { b']' });
    }

    fn separator(&mut self) {
        if self.f.sharp_v {
            self.buf.extend_from_slice(b", ");
        } else {
            self.buf.push(b' ');
        }
    }

    // -- Printf (print.go doPrintf) --

    fn do_printf(&mut self, format: &str, args: &[Value]) {
        let fb = format.as_bytes();
        let end = fb.len();
        let mut arg_num = 0usize;
        let mut i = 0usize;
        self.reordered = false;
        'format: while i < end {
            self.good_arg_num = true;
            let lasti = i;
            while i < end && fb[i] != b'%' {
                i += 1;
            }
            self.buf.extend_from_slice(&fb[lasti..i]);
            if i >= end {
                break;
            }
            i += 1; // the '%'
            self.f = Flags::default();
            while i < end {
                match fb[i] {
                    b'#' => self.f.sharp = true,
                    b'0' => self.f.zero = true,
                    b'+' => self.f.plus = true,
                    b'-' => self.f.minus = true,
                    b' ' => self.f.space = true,
                    c => {
                        // Fast path: flags directly followed by a lower-case verb.
                        if c.is_ascii_lowercase() && arg_num < args.len() {
                            self.print_verb(&args[arg_num], char::from(c));
                            arg_num += 1;
                            i += 1;
                            continue 'format;
                        }
                        break;
                    }
                }
                i += 1;
            }

            let mut after_index;
            (arg_num, i, after_index) = self.arg_number(arg_num, fb, i, args.len());

            // Width.
            if i < end && fb[i] == b'*' {
                i += 1;
                let (wid, ok, next) = int_from_arg(args, arg_num);
                arg_num = next;
                self.f.wid_present = ok;
                if !ok {
                    self.buf.extend_from_slice(b"%!(BADWIDTH)");
                }
                // A negative width means left-justify; zeros never pad on the right.
                if wid < 0 {
                    self.f.minus = true;
                    self.f.zero = false;
                }
                self.f.wid = wid.unsigned_abs() as usize;
                after_index = false;
            } else {
                let (wid, ok, next) = parse_num(fb, i, end);
                self.f.wid = wid;
                self.f.wid_present = ok;
                i = next;
                if after_index && ok {
                    self.good_arg_num = false; // "%[3]2d"
                }
            }

            // Precision.
            if i + 1 < end && fb[i] == b'.' {
                i += 1;
                if after_index {
                    self.good_arg_num = false; // "%[3].2d"
                }
                (arg_num, i, after_index) = self.arg_number(arg_num, fb, i, args.len());
                if i < end && fb[i] == b'*' {
                    i += 1;
                    let (prec, ok, next) = int_from_arg(args, arg_num);
                    arg_num = next;
                    // Negative precisions make no sense.
                    self.f.prec_present = ok && prec >= 0;
                    self.f.prec = if self.f.prec_present { prec as usize } else { 0 };
                    if !self.f.prec_present {
                        self.buf.extend_from_slice(b"%!(BADPREC)");
                    }
                    after_index = false;
                } else {
                    let (prec, ok, next) = parse_num(fb, i, end);
                    i = next;
                    // A period with no number is a precision of zero.
                    self.f.prec = if ok { prec } else { 0 };
                    self.f.prec_present = true;
                }
            }

            if !after_index {
                (arg_num, i, _) = self.arg_number(arg_num, fb, i, args.len());
            }

            let Some(verb) = format.get(i..).and_then(|rest| rest.chars().next()) else {
                self.buf.extend_from_slice(b"%!(NOVERB)");
                break;
            };
            i += verb.len_utf8();

            if verb == '%' {
                // Percent consumes no operand and ignores width and precision.
                self.buf.push(b'%');
            } else if !self.good_arg_num {
                self.bad_arg(verb, b"(BADINDEX)");
            } else if arg_num >= args.len() {
                self.bad_arg(verb, b"(MISSING)");
            } else {
                self.print_verb(&args[arg_num], verb);
                arg_num += 1;
            }
        }

        // Unused operands are reported unless indexes were used (then they may be deliberate).
        if !self.reordered && arg_num < args.len() {
            self.f = Flags::default();
            self.buf.extend_from_slice(b"%!(EXTRA ");
            for (k, arg) in args[arg_num..].iter().enumerate() {
                if k > 0 {
                    self.buf.extend_from_slice(b", ");
                }
                if let Value::Nil = arg {
                    self.buf.extend_from_slice(b"<nil>");
                } else {
                    self.buf.extend_from_slice(arg.type_name().as_bytes());
                    self.buf.push(b'=');
                    self.print_arg(arg, 'v');
                }
            }
            self.buf.push(b')');
        }
    }

    /// One verb with its operand; `%v` (and `%w`) turn `+`/`#` into their `v` variants.
    fn print_verb(&mut self, arg: &Value, verb: char) {
        if verb == 'v' || verb == 'w' {
            self.f.sharp_v = self.f.sharp;
            self.f.sharp = false;
            self.f.plus_v = self.f.plus;
            self.f.plus = false;
        }
        self.print_arg(arg, verb);
    }

    fn bad_arg(&mut self, verb: char, what: &[u8]) {
        self.buf.extend_from_slice(b"%!");
        push_char(&mut self.buf, verb);
        self.buf.extend_from_slice(what);
    }

    /// An explicit `[n]` argument index at `fb[i]`, if any: returns the argument to use next,
    /// the new format position, and whether an index was present.
    fn arg_number(&mut self, arg_num: usize, fb: &[u8], i: usize, num_args: usize) -> (usize, usize, bool) {
        if fb.get(i) != Some(&b'[') {
            return (arg_num, i, false);
        }
        self.reordered = true;
        let (index, wid, ok) = parse_arg_number(&fb[i..]);
        if let Some(index) = index.filter(|&n| ok && n < num_args) {
            return (index, i + wid, true);
        }
        self.good_arg_num = false;
        (arg_num, i + wid, ok)
    }
}

/// `%#g` and friends: always a decimal point, and `%#g` keeps its trailing zeros.
fn sharp_float(num: &mut Vec<u8>, verb: u8, prec: i32) {
    let mut digits = match verb {
        b'v' | b'g' | b'G' | b'x' => {
            if prec == -1 {
                6
            } else {
                prec
            }
        }
        _ => 0,
    };
    let mut tail = Vec::new();
    let mut has_point = false;
    let mut saw_nonzero = false;
    let mut i = 1; // skip the sign
    while i < num.len() {
        match num[i] {
            b'.' => has_point = true,
            b'p' | b'P' => {
                tail.extend_from_slice(&num[i..]);
                num.truncate(i);
            }
            b'e' | b'E' if verb != b'x' && verb != b'X' => {
                tail.extend_from_slice(&num[i..]);
                num.truncate(i);
            }
            c => {
                if c != b'0' {
                    saw_nonzero = true;
                }
                // Significant digits count from the first non-zero one.
                if saw_nonzero {
                    digits -= 1;
                }
            }
        }
        i += 1;
    }
    if !has_point {
        // A lone leading 0 counts as one digit.
        if num.len() == 2 && num[1] == b'0' {
            digits -= 1;
        }
        num.push(b'.');
    }
    while digits > 0 {
        num.push(b'0');
        digits -= 1;
    }
    num.extend_from_slice(&tail);
}

/// Go's `parsenum`: a decimal number at `s[start..end]`; (0, false, end) if it overflows.
fn parse_num(s: &[u8], start: usize, end: usize) -> (usize, bool, usize) {
    if start >= end {
        return (0, false, end);
    }
    let mut num = 0usize;
    let mut is_num = false;
    let mut i = start;
    while i < end && s[i].is_ascii_digit() {
        if num > 1_000_000 {
            return (0, false, end); // a crazy long number: report NOVERB
        }
        num = num * 10 + usize::from(s[i] - b'0');
        is_num = true;
        i += 1;
    }
    (num, is_num, i)
}

/// Go's `parseArgNumber` on `format` starting at '[': the zero-based index (None for `[0]`),
/// the bytes consumed, and whether the bracket held a number.
fn parse_arg_number(format: &[u8]) -> (Option<usize>, usize, bool) {
    if format.len() < 3 {
        return (None, 1, false);
    }
    for i in 1..format.len() {
        if format[i] == b']' {
            let (width, ok, next) = parse_num(format, 1, i);
            if !ok || next != i {
                return (None, i + 1, false);
            }
            return (width.checked_sub(1), i + 1, true);
        }
    }
    (None, 1, false)
}

/// Go's `intFromArg`: a `*` width or precision must be an int of sane magnitude.
fn int_from_arg(args: &[Value], arg_num: usize) -> (i64, bool, usize) {
    match args.get(arg_num) {
        None => (0, false, arg_num),
        Some(Value::Int(n)) if (-1_000_000..=1_000_000).contains(n) => (*n, true, arg_num + 1),
        Some(_) => (0, false, arg_num + 1),
    }
}

fn push_char(buf: &mut Vec<u8>, c: char) {
    buf.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
}

/// `%c`/`%q` of an integer: anything that is not a Unicode scalar value becomes U+FFFD.
fn rune_or_replacement(u: u64) -> char {
    u32::try_from(u).ok().and_then(char::from_u32).unwrap_or('\u{FFFD}')
}

/// Go's `utf8.RuneCount`: each byte of an invalid sequence counts as one rune.
fn rune_count(b: &[u8]) -> usize {
    b.utf8_chunks().map(|c| c.valid().chars().count() + c.invalid().len()).sum()
}

/// The first rune of `b` as Go's `utf8.DecodeRune` sees it: `None` for an invalid byte
/// (which Go reports as RuneError of width 1).
fn decode_rune(b: &[u8]) -> Option<char> {
    let head = &b[..b.len().min(4)];
    head.utf8_chunks().next().and_then(|chunk| chunk.valid().chars().next())
}

/// Truncate to the precision, counted in runes (invalid bytes count one each).
fn truncate_runes(s: &[u8], f: Flags) -> &[u8] {
    if !f.prec_present {
        return s;
    }
    let mut n = f.prec;
    let mut i = 0;
    while i < s.len() {
        if n == 0 {
            return &s[..i];
        }
        n -= 1;
        i += decode_rune(&s[i..]).map_or(1, char::len_utf8);
    }
    s
}

// ---- strconv ------------------------------------------------------------------------------

/// `strconv.IsPrint` (= `unicode.IsPrint`): letters, marks, numbers, punctuation, symbols
/// and the ASCII space.
pub fn is_print(c: char) -> bool {
    let u = u32::from(c);
    if u <= 0xFF {
        // Latin-1 fast path, as Go does: the soft hyphen is the odd one out.
        return (0x20..=0x7E).contains(&u) || ((0xA1..=0xFF).contains(&u) && u != 0xAD);
    }
    static GRAPHIC: OnceLock<Option<Regex>> = OnceLock::new();
    let re = GRAPHIC.get_or_init(|| Regex::new(r"^[\p{L}\p{M}\p{N}\p{P}\p{S}]$").ok());
    match re {
        Some(re) => re.is_match(c.encode_utf8(&mut [0; 4])),
        None => !c.is_control() && !c.is_whitespace(),
    }
}

/// `strconv.Quote` of arbitrary bytes (Go strings may hold invalid UTF-8).
pub fn quote_bytes(s: &[u8]) -> String {
    quote_with(s, b'"', false)
}

/// Go's `quoteWith`: `quote` and backslash are escaped, non-printable runes (all non-ASCII
/// ones with `ascii_only`) become `\a`-style, `\x`, `\u` or `\U` escapes.
fn quote_with(s: &[u8], quote: u8, ascii_only: bool) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push(char::from(quote));
    let mut rest = s;
    while let Some(&first) = rest.first() {
        let Some(c) = decode_rune(rest) else {
            out.push_str("\\x");
            push_hex(&mut out, u32::from(first), 2);
            rest = &rest[1..];
            continue;
        };
        rest = &rest[c.len_utf8()..];
        if c == char::from(quote) || c == '\\' {
            out.push('\\');
            out.push(c);
        } else if if ascii_only { c.is_ascii() && is_print(c) } else { is_print(c) } {
            out.push(c);
        } else {
            push_escaped_rune(&mut out, c);
        }
    }
    out.push(char::from(quote));
    out
}

fn push_escaped_rune(out: &mut String, c: char) {
    match c {
        '\x07' => out.push_str("\\a"),
        '\x08' => out.push_str("\\b"),
        '\x0c' => out.push_str("\\f"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\x0b' => out.push_str("\\v"),
        c if c < ' ' || c == '\x7f' => {
            out.push_str("\\x");
            push_hex(out, u32::from(c), 2);
        }
        c if u32::from(c) < 0x10000 => {
            out.push_str("\\u");
            push_hex(out, u32::from(c), 4);
        }
        c => {
            out.push_str("\\U");
            push_hex(out, u32::from(c), 8);
        }
    }
}

/// Lower-case hex, exactly `width` digits.
fn push_hex(out: &mut String, v: u32, width: usize) {
    for shift in (0..width).rev() {
        out.push(char::from(LOWER_DIGITS[((v >> (4 * shift)) & 0xF) as usize]));
    }
}

/// `strconv.CanBackquote`: no control characters but tab, no backquote, no BOM, valid UTF-8.
fn can_backquote(s: &[u8]) -> bool {
    let Ok(s) = std::str::from_utf8(s) else {
        return false;
    };
    s.chars().all(|c| !((c < ' ' && c != '\t') || c == '`' || c == '\x7f' || c == '\u{FEFF}'))
}

/// Decimal digits of a non-negative float: `d` holds the significant digits without leading
/// or trailing zeros (empty for zero) and the value is `0.d × 10^dp` (Go's `decimalSlice`).
struct Digits {
    d: Vec<u8>,
    dp: i32,
}

impl Digits {
    fn nd(&self) -> i32 {
        self.d.len() as i32
    }

    /// From Rust's `{:e}` output ("1.2345e-7"); Rust rounds exactly, half to even, as Go.
    fn from_sci(s: &str) -> Digits {
        let (mantissa, exp) = s.split_once('e').unwrap_or((s, "0"));
        let exp: i32 = exp.parse().unwrap_or(0);
        Digits::normalized(mantissa.bytes().filter(u8::is_ascii_digit).collect(), exp + 1)
    }

    /// From Rust's fixed `{:.N}` output ("123.4500").
    fn from_fixed(s: &str) -> Digits {
        let (int, frac) = s.split_once('.').unwrap_or((s, ""));
        let mut d: Vec<u8> = int.bytes().chain(frac.bytes()).collect();
        let leading = d.iter().take_while(|&&b| b == b'0').count();
        d.drain(..leading);
        Digits::normalized(d, int.len() as i32 - leading as i32)
    }

    fn normalized(mut d: Vec<u8>, dp: i32) -> Digits {
        while d.last() == Some(&b'0') {
            d.pop();
        }
        if d.is_empty() || d[0] == b'0' {
            return Digits { d: Vec::new(), dp: 0 };
        }
        Digits { d, dp }
    }
}

/// `strconv.FormatFloat(f, fmt, prec, 64)` for the formats fmt uses: 'e', 'E', 'f', 'g',
/// 'G', 'b', 'x', 'X'. A negative precision means the shortest exact representation.
pub fn format_float(f: f64, fmt: u8, prec: i32) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf".into() } else { "-Inf".into() };
    }
    match fmt {
        b'b' => format_float_b(f),
        b'x' | b'X' => format_float_x(f, prec, fmt),
        b'e' | b'E' | b'f' | b'g' | b'G' => format_float_decimal(f, fmt, prec),
        _ => format!("%{}", char::from(fmt)),
    }
}

fn format_float_decimal(f: f64, fmt: u8, prec: i32) -> String {
    let neg = f.is_sign_negative();
    let abs = f.abs();
    let shortest = prec < 0;
    let (digs, prec) = if shortest {
        let digs = Digits::from_sci(&format!("{abs:e}"));
        let prec = match fmt {
            b'e' | b'E' => (digs.nd() - 1).max(0),
            b'f' => (digs.nd() - digs.dp).max(0),
            _ => digs.nd(),
        };
        (digs, prec)
    } else {
        match fmt {
            b'e' | b'E' => (significant_digits(abs, prec + 1), prec),
            b'f' => (Digits::from_fixed(&format!("{:.*}", prec as usize, abs)), prec),
            _ => {
                let prec = prec.max(1);
                (significant_digits(abs, prec), prec)
            }
        }
    };
    format_digits(neg, &digs, prec, fmt, shortest)
}

/// `n` significant digits, correctly rounded.
fn significant_digits(abs: f64, n: i32) -> Digits {
    Digits::from_sci(&format!("{:.*e}", (n - 1).max(0) as usize, abs))
}

/// strconv's `formatDigits`: lay out the digits as %e, %f or %g.
fn format_digits(neg: bool, digs: &Digits, prec: i32, fmt: u8, shortest: bool) -> String {
    match fmt {
        b'e' | b'E' => fmt_e(neg, digs, prec, fmt),
        b'f' => fmt_f(neg, digs, prec),
        _ => {
            let (nd, dp) = (digs.nd(), digs.dp);
            // Trailing zeros are trimmed, so %g may show fewer digits than asked for.
            let mut eprec = prec;
            if eprec > nd && nd >= dp {
                eprec = nd;
            }
            // Shortest %g switches to an exponent like %e with the default precision 6.
            if shortest {
                eprec = 6;
            }
            let exp = dp - 1;
            if exp < -4 || exp >= eprec {
                let p = prec.min(nd);
                return fmt_e(neg, digs, p - 1, if fmt == b'G' { b'E' } else { b'e' });
            }
            let p = if prec > dp { nd } else { prec };
            fmt_f(neg, digs, (p - dp).max(0))
        }
    }
}

/// `-d.dddde±dd`
fn fmt_e(neg: bool, digs: &Digits, prec: i32, fmt: u8) -> String {
    let mut s = String::new();
    if neg {
        s.push('-');
    }
    s.push(digs.d.first().map_or('0', |&b| char::from(b)));
    if prec > 0 {
        s.push('.');
        let shown = (digs.d.len()).min(prec as usize + 1);
        if shown > 1 {
            s.extend(digs.d[1..shown].iter().map(|&b| char::from(b)));
        }
        s.extend(std::iter::repeat_n('0', (prec as usize + 1).saturating_sub(shown.max(1))));
    }
    s.push(char::from(fmt));
    let exp = if digs.d.is_empty() { 0 } else { digs.dp - 1 };
    s.push(if exp < 0 { '-' } else { '+' });
    let exp = exp.unsigned_abs();
    if exp < 10 {
        s.push('0');
    }
    s.push_str(&exp.to_string());
    s
}

/// `-ddddd.ddd`
fn fmt_f(neg: bool, digs: &Digits, prec: i32) -> String {
    let mut s = String::new();
    if neg {
        s.push('-');
    }
    if digs.dp > 0 {
        let m = digs.d.len().min(digs.dp as usize);
        s.extend(digs.d[..m].iter().map(|&b| char::from(b)));
        s.extend(std::iter::repeat_n('0', digs.dp as usize - m));
    } else {
        s.push('0');
    }
    if prec > 0 {
        s.push('.');
        for i in 0..prec {
            let j = digs.dp + i;
            let c = if j >= 0 { digs.d.get(j as usize).copied().unwrap_or(b'0') } else { b'0' };
            s.push(char::from(c));
        }
    }
    s
}

/// The IEEE fields Go's ftoa works from: sign, mantissa with the implicit bit, and the
/// unbiased exponent of the leading bit position.
fn float_parts(f: f64) -> (bool, u64, i64) {
    let bits = f.to_bits();
    let neg = bits >> 63 != 0;
    let mut exp = ((bits >> 52) & 0x7FF) as i64;
    let mut mant = bits & ((1u64 << 52) - 1);
    if exp == 0 {
        exp += 1; // denormal
    } else {
        mant |= 1u64 << 52;
    }
    (neg, mant, exp - 1023)
}

/// `%b`: decimal mantissa and binary exponent, e.g. 4503599627370496p-52.
fn format_float_b(f: f64) -> String {
    let (neg, mant, exp) = float_parts(f);
    let exp = exp - 52;
    format!("{}{}p{}{}", if neg { "-" } else { "" }, mant, if exp >= 0 { "+" } else { "" }, exp)
}

/// `%x`: hexadecimal mantissa and binary exponent, e.g. 0x1.8p+01.
fn format_float_x(f: f64, prec: i32, fmt: u8) -> String {
    let (neg, mut mant, mut exp) = float_parts(f);
    if mant == 0 {
        exp = 0;
    }
    // Shift so the leading 1 (if any) sits at bit 60.
    mant <<= 60 - 52;
    while mant != 0 && mant & (1 << 60) == 0 {
        mant <<= 1;
        exp -= 1;
    }
    // Round to `prec` hex digits, half to even.
    if (0..15).contains(&prec) {
        let shift = prec as u32 * 4;
        let extra = (mant << shift) & ((1 << 60) - 1);
        mant >>= 60 - shift;
        if extra | (mant & 1) > 1 << 59 {
            mant += 1;
        }
        mant <<= 60 - shift;
        if mant & (1 << 61) != 0 {
            mant >>= 1;
            exp += 1;
        }
    }
    let digits = if fmt == b'X' { UPPER_DIGITS } else { LOWER_DIGITS };
    let mut s = String::new();
    if neg {
        s.push('-');
    }
    s.push('0');
    s.push(char::from(fmt));
    s.push(char::from(b'0' + ((mant >> 60) & 1) as u8));
    mant <<= 4; // drop the leading digit
    if prec < 0 && mant != 0 {
        s.push('.');
        while mant != 0 {
            s.push(char::from(digits[((mant >> 60) & 15) as usize]));
            mant <<= 4;
        }
    } else if prec > 0 {
        s.push('.');
        for _ in 0..prec {
            s.push(char::from(digits[((mant >> 60) & 15) as usize]));
            mant <<= 4;
        }
    }
    s.push(if fmt == b'X' { 'P' } else { 'p' });
    s.push(if exp < 0 { '-' } else { '+' });
    let exp = exp.unsigned_abs();
    if exp < 10 {
        s.push('0');
    }
    s.push_str(&exp.to_string());
    s
}

// ---- text/template escapers ---------------------------------------------------------------

/// `template.HTMLEscapeString`: the five HTML specials as entities, NUL as U+FFFD.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\0' => out.push('\u{FFFD}'),
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// `template.JSEscapeString`: quotes, backslash, `<>&=` and control characters escaped;
/// non-ASCII kept when printable, else `\uXXXX` (upper-case hex).
pub fn js_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '<' => out.push_str("\\u003C"),
            '>' => out.push_str("\\u003E"),
            '&' => out.push_str("\\u0026"),
            '=' => out.push_str("\\u003D"),
            c if c < ' ' => out.push_str(&format!("\\u00{:02X}", u32::from(c))),
            c if c.is_ascii() || is_print(c) => out.push(c),
            c => out.push_str(&format!("\\u{:04X}", u32::from(c))),
        }
    }
    out
}

/// `url.QueryEscape`: unreserved bytes kept, space as '+', everything else %XX.
pub fn query_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(char::from(b)),
            b' ' => out.push('+'),
            b => {
                out.push('%');
                out.push(char::from(UPPER_DIGITS[usize::from(b >> 4)]));
                out.push(char::from(UPPER_DIGITS[usize::from(b & 15)]));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::rc::Rc;

    use super::super::FuncError;
    use super::*;
    use crate::render::value::Map;

    use crate::render::funcs::test_call as call;

    fn s(v: &str) -> Value {
        Value::str(v)
    }

    fn f(format: &str, args: &[Value]) -> String {
        sprintf(format, args)
    }

    fn bytes(b: &[u8]) -> Value {
        Value::Bytes(Rc::from(b))
    }

    fn dict(pairs: &[(&str, Value)]) -> Value {
        Value::map(pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect::<Map>())
    }

    #[test]
    fn sprint_spaces_only_between_non_strings() {
        // fmt TestBlank: Sprint("<", 1, ">:", 1, 2, 3, "!") = "<1>:1 2 3!"
        let args = [s("<"), Value::Int(1), s(">:"), Value::Int(1), Value::Int(2), Value::Int(3), s("!")];
        assert_eq!(sprint(&args), "<1>:1 2 3!");
        // fmt TestBlankln: Sprintln always separates and ends with a newline.
        assert_eq!(sprintln(&args), "< 1 >: 1 2 3 !\n");
        // Sprint of nothing is empty; Sprintln of nothing is just the newline.
        assert_eq!(sprint(&[]), "");
        assert_eq!(sprintln(&[]), "\n");
        // nil prints as <nil>; a float64 from values prints as %v (1e+06, 3).
        assert_eq!(sprint(&[Value::Nil, Value::Float(1e6), Value::Float(3.0)]), "<nil> 1e+06 3");
    }

    #[test]
    fn template_builtins_registered() {
        assert_eq!(call("print", &[s("a"), Value::Int(1)]), Ok(s("a1")));
        assert_eq!(call("println", &[s("a"), Value::Int(1)]), Ok(s("a 1\n")));
        assert_eq!(call("printf", &[s("%d-%s"), Value::Int(1), s("x")]), Ok(s("1-x")));
        // text/template: printf needs its string format argument.
        assert_eq!(call("printf", &[]), Err(FuncError::Arity { want: 1, got: 0, at_least: true }));
        assert_eq!(
            call("printf", &[Value::Int(1)]),
            Err(FuncError::WrongType { expected: "string", got: "int".into() })
        );
        assert_eq!(call("printf", &[Value::Nil]), Err(FuncError::InvalidNil { expected: "string" }));
    }

    #[test]
    fn values_floats_are_not_integers() {
        // values.yaml numbers are float64: %d rejects them the way Go does.
        assert_eq!(f("%d", &[Value::Float(1.5)]), "%!d(float64=1.5)");
        assert_eq!(f("%d", &[Value::Float(3.0)]), "%!d(float64=3)");
        assert_eq!(f("%v %v %v", &[Value::Float(1e6), Value::Float(3.0), Value::Float(0.1)]), "1e+06 3 0.1");
        assert_eq!(f("%s", &[Value::Float(2.0)]), "%!s(float64=2)");
        assert_eq!(f("%v", &[Value::Float(1e21)]), "1e+21");
        assert_eq!(f("%v", &[Value::Float(123456.0)]), "123456");
        assert_eq!(f("%v", &[Value::Float(1234567.0)]), "1.234567e+06");
        assert_eq!(f("%v", &[Value::Float(0.0001)]), "0.0001");
        assert_eq!(f("%v", &[Value::Float(0.00001)]), "1e-05");
        assert_eq!(f("%v", &[Value::Float(-0.0)]), "-0");
    }

    #[test]
    fn error_forms() {
        // fmt doc "Format errors".
        assert_eq!(f("%d", &[s("hi")]), "%!d(string=hi)");
        assert_eq!(f("hi", &[s("guys")]), "hi%!(EXTRA string=guys)");
        assert_eq!(f("hi%d", &[]), "hi%!d(MISSING)");
        assert_eq!(f("%!", &[]), "%!!(MISSING)");
        assert_eq!(f("%z", &[Value::Int(1)]), "%!z(int=1)");
        assert_eq!(f("%d", &[Value::Nil]), "%!d(<nil>)");
        assert_eq!(f("%t", &[Value::Int(1)]), "%!t(int=1)");
        assert_eq!(f("%d", &[Value::Bool(true)]), "%!d(bool=true)");
        // fmt_test "erroneous things".
        assert_eq!(f("", &[Value::Nil]), "%!(EXTRA <nil>)");
        assert_eq!(f("", &[Value::Int(2)]), "%!(EXTRA int=2)");
        assert_eq!(f("%d", &[Value::Int(1), Value::Int(2), s("x")]), "1%!(EXTRA int=2, string=x)");
        assert_eq!(f("%s %", &[s("hello")]), "hello %!(NOVERB)");
        assert_eq!(f("%s %.2", &[s("hello")]), "hello %!(NOVERB)");
        assert_eq!(
            f("%017091901790959340919092959340919017929593813360", &[Value::Int(0)]),
            "%!(NOVERB)%!(EXTRA int=0)"
        );
        // Extra argument errors format without flags set.
        assert_eq!(f("%010.2", &[s("12345")]), "%!(NOVERB)%!(EXTRA string=12345)");
        assert_eq!(f("%.", &[Value::Int(3)]), "%!.(int=3)");
        // Bad-verb values keep the width: %!d(string=  foo).
        assert_eq!(f("%*d", &[Value::Int(5), s("foo")]), "%!d(string=  foo)");
        assert_eq!(f("%p", &[Value::Int(27)]), "%!p(int=27)");
        assert_eq!(f("%p", &[Value::Nil]), "%!p(<nil>)");
        assert_eq!(f("%☠", &[s("hello")]), "%!☠(string=hello)");
        assert_eq!(f("%☠", &[bytes(&[0, 1])]), "[%!☠(uint8=0) %!☠(uint8=1)]");
        assert_eq!(f("%☠", &[Value::Float(1.2345678)]), "%!☠(float64=1.2345678)");
        assert_eq!(f("%w", &[Value::Int(1)]), "%!w(int=1)");
    }

    #[test]
    fn percent_and_literal_text() {
        assert_eq!(f("100%%", &[]), "100%");
        // Percent consumes no operand and ignores width.
        assert_eq!(f("%*% %d", &[Value::Int(20), Value::Int(5)]), "% 5");
        assert_eq!(f("héllo %s", &[s("wörld")]), "héllo wörld");
    }

    #[test]
    fn integers() {
        let i = |n: i64| Value::Int(n);
        // fmt_test "integers".
        assert_eq!(f("%d", &[i(-12345)]), "-12345");
        assert_eq!(f("%.d", &[i(0)]), "");
        assert_eq!(f("%6.0d", &[i(0)]), "      ");
        assert_eq!(f("%06.0d", &[i(0)]), "      ");
        assert_eq!(f("% d", &[i(12345)]), " 12345");
        assert_eq!(f("%+d", &[i(12345)]), "+12345");
        assert_eq!(f("%b", &[i(-6)]), "-110");
        assert_eq!(f("%#b", &[i(7)]), "0b111");
        assert_eq!(f("%#o", &[i(0o1234)]), "01234");
        assert_eq!(f("%O", &[i(-0o1234)]), "-0o1234");
        assert_eq!(f("%#X", &[i(0)]), "0X0");
        assert_eq!(f("%x %X", &[i(0x12abcdef), i(0x12abcdef)]), "12abcdef 12ABCDEF");
        assert_eq!(f("%.20b", &[i(7)]), "00000000000000000111");
        assert_eq!(f("%010d", &[i(-12345)]), "-000012345");
        assert_eq!(f("%020.8d", &[i(-1234)]), "           -00001234");
        assert_eq!(f("%-20.8d", &[i(-1234)]), "-00001234           ");
        assert_eq!(f("%-#20.8x", &[i(0x1234abc)]), "0x01234abc          ");
        assert_eq!(f("%d", &[i(i64::MIN)]), "-9223372036854775808");
        assert_eq!(f("%x", &[i(-1)]), "-1");
        // %v of an int ignores +: the flag becomes plusV.
        assert_eq!(f("%+v", &[i(5)]), "5");
        assert_eq!(f("%#v", &[i(1000000000)]), "1000000000");
        // Runes.
        assert_eq!(f("%c|%c|%c", &[i(0x672c), i(-1), i(0xDC80)]), "本|\u{FFFD}|\u{FFFD}");
        assert_eq!(f("%3c", &[i('⌘' as i64)]), "  ⌘");
        assert_eq!(f("%q %+q", &[i('☺' as i64), i('☺' as i64)]), "'☺' '\\u263a'");
        assert_eq!(f("%q", &[i('\'' as i64)]), "'\\''");
        assert_eq!(f("%q", &[i(-1)]), "'\u{FFFD}'");
        assert_eq!(f("%q", &[i(0x0e00)]), "'\\u0e00'");
        assert_eq!(f("%U|%#U|%#14.6U", &[i(0), i('☺' as i64), i('⌘' as i64)]), "U+0000|U+263A '☺'|  U+002318 '⌘'");
        assert_eq!(f("%U", &[i(-1)]), "U+FFFFFFFFFFFFFFFF");
        assert_eq!(f("%#U", &[i('\n' as i64)]), "U+000A");
    }

    #[test]
    fn strings() {
        // fmt_test "escaped strings" and "width".
        assert_eq!(f("%q", &[s("\x07\x08\x0c\n\r\t\x0b\"\\")]), r#""\a\b\f\n\r\t\v\"\\""#);
        assert_eq!(f("%#q", &[s("abc")]), "`abc`");
        assert_eq!(f("%#q", &[s("`")]), "\"`\"");
        assert_eq!(f("%+q", &[s("日本語")]), r#""\u65e5\u672c\u8a9e""#);
        assert_eq!(f("%q", &[s("\u{10ffff}")]), r#""\U0010ffff""#);
        assert_eq!(f("%q", &[s("\x7f")]), r#""\x7f""#);
        assert_eq!(f("%q", &[s("\u{ad}")]), r#""\u00ad""#);
        assert_eq!(f("%010q", &[s("⌘")]), "0000000\"⌘\"");
        assert_eq!(f("%-010q", &[s("⌘")]), "\"⌘\"       ");
        assert_eq!(f("%5s|%-5s|%05s", &[s("abc"), s("abc"), s("abc")]), "  abc|abc  |00abc");
        assert_eq!(f("%.5s|%.0s|%.3q", &[s("abcdefgh"), s("日本"), s("日本語日本語")]), "abcde||\"日本語\"");
        assert_eq!(f("%2s", &[s("\u{263a}")]), " ☺");
        assert_eq!(
            f("%x|% X|%#x|%# x", &[s("xyz"), s("xyz"), s("xyz"), s("xyz")]),
            "78797a|78 79 7A|0x78797a|0x78 0x79 0x7a"
        );
        assert_eq!(f("%.1x|%8x|%# 010x", &[s("日本語"), s("\u{ab}"), s("ab")]), "e6|    c2ab|00x61 0x62");
        assert_eq!(f("%2x|% 02x", &[s(""), s("")]), "  |00");
        assert_eq!(f("%10v|%-10v", &[Value::Nil, Value::Nil]), "     <nil>|<nil>     ");
        assert_eq!(f("%0-5s", &[s("abc")]), "abc  ");
        assert_eq!(f("%#v", &[s("foo")]), "\"foo\"");
        assert_eq!(f("%T %T %T", &[s("x"), Value::Nil, Value::Float(1.0)]), "string <nil> float64");
        assert_eq!(f("%6T", &[Value::Int(1)]), "   int");
    }

    #[test]
    fn bytes_verbs() {
        let b = bytes(b"abc");
        assert_eq!(
            f("%s|%q|%x|%X|%v|%d", &[b.clone(), b.clone(), b.clone(), b.clone(), b.clone(), b.clone()]),
            "abc|\"abc\"|616263|616263|[97 98 99]|[97 98 99]"
        );
        let b = bytes(&[1, 11, 111]);
        assert_eq!(f("%6v", std::slice::from_ref(&b)), "[     1     11    111]");
        assert_eq!(f("%06v", std::slice::from_ref(&b)), "[000001 000011 000111]");
        assert_eq!(f("%#v", std::slice::from_ref(&b)), "[]byte{0x1, 0xb, 0x6f}");
        assert_eq!(f("%#06v", std::slice::from_ref(&b)), "[]byte{0x000001, 0x00000b, 0x00006f}");
        assert_eq!(f("% v", std::slice::from_ref(&b)), "[ 1  11  111]");
        assert_eq!(f("%+d", std::slice::from_ref(&b)), "[+1 +11 +111]");
        assert_eq!(f("%o|%c", &[bytes(b"ABC"), bytes(b"ABC")]), "[101 102 103]|[A B C]");
        assert_eq!(f("%#012v", &[bytes(&[])]), "[]byte{}");
        assert_eq!(f("%q", &[bytes(b"abc\xffdef")]), r#""abc\xffdef""#);
        assert_eq!(f("%#08x|%# 10x", &[bytes(&[0xab]), bytes(&[0xab, 0xcd])]), "00000xab| 0xab 0xcd");
        // A []byte inside a list is a []uint8.
        assert_eq!(f("%#v", &[Value::list(vec![bytes(&[1])])]), "[]interface {}{[]uint8{0x1}}");
    }

    #[test]
    #[allow(clippy::excessive_precision)] // Go's own test literal
    fn floats() {
        let x = Value::Float;
        // fmt_test "floats".
        assert_eq!(f("%+.3e|%+.3e", &[x(0.0), x(1.0)]), "+0.000e+00|+1.000e+00");
        assert_eq!(f("%+.3x|%+.3x", &[x(0.0), x(1.0)]), "+0x0.000p+00|+0x1.000p+00");
        assert_eq!(f("%+07.2f|%+07.2f|%-07.2f", &[x(1.0), x(-1.0), x(-1.0)]), "+001.00|-001.00|-1.00  ");
        assert_eq!(f("% .3E|% .3e|% .3X", &[x(-1.0), x(1.0), x(-1.0)]), "-1.000E+00| 1.000e+00|-0X1.000P+00");
        assert_eq!(f("%+.3g|% .3g|%+.3g", &[x(0.0), x(1.0), x(-1.0)]), "+0| 1|-1");
        assert_eq!(f("%b|%.4b", &[x(1.0), x(-1.0)]), "4503599627370496p-52|-4503599627370496p-52");
        assert_eq!(f("%#g|%#g|%#g", &[x(1e-323), x(-1.0), x(1.1)]), "1.00000e-323|-1.00000|1.10000");
        assert_eq!(f("%#g|%#g|%#g", &[x(123456.0), x(1234567.0), x(1230000.0)]), "123456.|1.234567e+06|1.23000e+06");
        assert_eq!(f("%#.0f|%#.0e|%#.0x|%#.0g", &[x(1.0), x(1.0), x(1.0), x(1100000.0)]), "1.|1.e+00|0x1.p+00|1.e+06");
        assert_eq!(
            f("%#.4g|%#.4g|%#.4g|%#.4g", &[x(100000.0), x(0.123), x(0.0), x(0.012)]),
            "1.000e+05|0.1230|0.000|0.01200"
        );
        assert_eq!(f("%#.4x|%#.0x|%#9.4g", &[x(123.0), x(123.0), x(1.0)]), "0x1.ec00p+06|0x1.p+07|    1.000");
        // Infinities and NaN are never zero padded.
        let inf = f64::INFINITY;
        assert_eq!(f("%f|%.1f|% f", &[x(inf), x(-inf), x(f64::NAN)]), "+Inf|-Inf| NaN");
        assert_eq!(
            f("% 20F|%+020e|%-020E", &[x(inf), x(inf), x(f64::NAN)]),
            "                 Inf|                +Inf|NaN                 "
        );
        // old test/fmt_test.go
        assert_eq!(
            f("%e|%e|%f|%f", &[x(1234.5678e3), x(-1e-9), x(1234.5678e-8), x(-1e-9)]),
            "1.234568e+06|-1.000000e-09|0.000012|-0.000000"
        );
        assert_eq!(f("%g|%g|%G", &[x(1234.5678e3), x(-1e-9), x(1234.5678e-8)]), "1.2345678e+06|-1e-09|1.2345678E-05");
        assert_eq!(
            f("%20.8f|%20f", &[x(1.23456789e-3), x(12345678901.23456789)]),
            "          0.00123457|  12345678901.234568"
        );
        assert_eq!(f("%g|%g", &[x(1.23456789e-3), x(1.23456789e20)]), "0.00123456789|1.23456789e+20");
        assert_eq!(f("%.3g|%.3g|%.0g", &[x(100.0), x(12.345), x(2.5)]), "100|12.3|2");
        // Round half to even on exact binary ties, correctly rounded otherwise.
        assert_eq!(f("%.0f|%.0f|%.1f|%.2f", &[x(0.5), x(1.5), x(0.25), x(1.005)]), "0|2|0.2|1.00");
        assert_eq!(f("%.68f", &[x(1.0)]), format!("1.{}", "0".repeat(68)));
        assert_eq!(f("%#v|%#v", &[x(1.0), x(1000000.0)]), "1|1e+06");
        assert_eq!(f("%x|%X", &[x(1.5), x(-0.1)]), "0x1.8p+00|-0X1.999999999999AP-04");
        assert_eq!(f("%06v", &[Value::list(vec![x(-10.0), Value::Int(10)])]), "[-00010 000010]");
        assert_eq!(f("%03.6v", &[Value::list(vec![Value::Int(1), x(2.0), s("x")])]), "[000001 002 00x]");
        assert_eq!(f("%03.0v", &[Value::list(vec![Value::Int(0), x(2.0), s("x")])]), "[    002 000]");
    }

    #[test]
    fn format_float_matches_strconv() {
        assert_eq!(format_float(0.0, b'e', -1), "0e+00");
        assert_eq!(format_float(0.0, b'g', -1), "0");
        assert_eq!(format_float(0.0, b'b', -1), "0p-1074");
        assert_eq!(format_float(1e-7, b'g', -1), "1e-07");
        assert_eq!(format_float(1e100, b'g', -1), "1e+100");
        assert_eq!(format_float(123.456, b'f', -1), "123.456");
        assert_eq!(format_float(123.456, b'e', 2), "1.23e+02");
        assert_eq!(format_float(9.9996, b'e', 3), "1.000e+01");
        assert_eq!(format_float(5e-324, b'g', -1), "5e-324");
        assert_eq!(format_float(1.0, b'x', -1), "0x1p+00");
        assert_eq!(format_float(f64::MAX, b'g', -1), "1.7976931348623157e+308");
    }

    #[test]
    fn compound_values() {
        let m = dict(&[("b", Value::Int(2)), ("a", Value::list(vec![s("x"), Value::Nil]))]);
        assert_eq!(f("%v", std::slice::from_ref(&m)), "map[a:[x <nil>] b:2]");
        assert_eq!(f("%#v", &[dict(&[("a", Value::Int(1))])]), r#"map[string]interface {}{"a":1}"#);
        assert_eq!(
            f("%#v", &[Value::list(vec![Value::Int(1), s("hello"), Value::Float(2.5), Value::Nil])]),
            r#"[]interface {}{1, "hello", 2.5, interface {}(nil)}"#
        );
        // The verb applies to elements: %d of a nil element still prints <nil>.
        assert_eq!(f("%d", &[Value::list(vec![Value::Int(1), Value::Nil, s("a")])]), "[1 <nil> %!d(string=a)]");
        assert_eq!(f("%q", &[Value::list(vec![s("a"), s("b")])]), r#"["a" "b"]"#);
        assert_eq!(f("%x", &[Value::list(vec![Value::Int(1), Value::Int(15)])]), "[1 f]");
        assert_eq!(f("%d", &[dict(&[("k", Value::Int(1))])]), "map[%!d(string=k):1]");
        assert_eq!(f("%s", &[dict(&[("k", Value::Bool(true))])]), "map[k:%!s(bool=true)]");
        assert_eq!(
            f("%T|%T|%T", &[m, Value::list(vec![]), bytes(b"")]),
            "map[string]interface {}|[]interface {}|[]uint8"
        );
        assert_eq!(sprint(&[Value::list(vec![]), Value::empty_map()]), "[] map[]");
        // %w rejects non-errors whole.
        assert_eq!(f("%w", &[Value::list(vec![Value::Int(1)])]), "%!w([]interface {}=[1])");
    }

    #[test]
    fn argument_indexes_and_star() {
        let i = |n: i64| Value::Int(n);
        // fmt_test reorderTests.
        assert_eq!(f("%[2]d %[1]d", &[i(1), i(2)]), "2 1");
        assert_eq!(f("%[2]*[1]d", &[i(2), i(5)]), "    2");
        assert_eq!(f("%[3]*.[2]*[1]f", &[Value::Float(12.0), i(2), i(6)]), " 12.00");
        assert_eq!(f("%[1]*.[3]f", &[i(6), i(3), Value::Float(12.0)]), "    12");
        assert_eq!(f("%d %d %d %#[1]o %#o %#o", &[i(11), i(12), i(13)]), "11 12 13 013 014 015");
        assert_eq!(f("%[d", &[i(2), i(1)]), "%!d(BADINDEX)");
        assert_eq!(f("%]d", &[i(2), i(1)]), "%!](int=2)d%!(EXTRA int=1)");
        assert_eq!(f("%[]d|%[-3]d|%[99]d", &[i(2), i(1)]), "%!d(BADINDEX)|%!d(BADINDEX)|%!d(BADINDEX)");
        assert_eq!(f("%[3]", &[i(2), i(1)]), "%!(NOVERB)");
        assert_eq!(f("%[1].2d|%[1]2d", &[i(5), i(6)]), "%!d(BADINDEX)|%!d(BADINDEX)");
        assert_eq!(f("%d %d %d %#[1]o %#o %#o %#o", &[i(11), i(12), i(13)]), "11 12 13 013 014 015 %!o(MISSING)");
        assert_eq!(f("%[5]d %[2]d %d", &[i(1), i(2), i(3)]), "%!d(BADINDEX) 2 3");
        assert_eq!(f("%d %[3]d %d", &[i(1), i(2)]), "1 %!d(BADINDEX) 2");
        assert_eq!(f("%.[]", &[]), "%!](BADINDEX)");
        assert_eq!(f("%.-3d", &[i(42)]), "%!-(int=42)3d");
        assert_eq!(f("%2147483648d", &[i(42)]), "%!(NOVERB)%!(EXTRA int=42)");
        // fmt_test startests.
        assert_eq!(f("%*d|%-*d|%*d", &[i(4), i(42), i(4), i(42), i(-4), i(42)]), "  42|42  |42  ");
        assert_eq!(f("%.*d|%*.*d|%0*d", &[i(4), i(42), i(8), i(4), i(42), i(4), i(42)]), "0042|    0042|0042");
        assert_eq!(f("%*d", &[Value::Nil, i(42)]), "%!(BADWIDTH)42");
        assert_eq!(f("%*d", &[i(10_000_000), i(42)]), "%!(BADWIDTH)42");
        assert_eq!(f("%.*d|%.*d", &[i(-1), i(42), Value::Float(2.0), i(42)]), "%!(BADPREC)42|%!(BADPREC)42");
        assert_eq!(f("%*", &[i(4)]), "%!(NOVERB)");
    }

    #[test]
    fn quote_is_strconv_quote() {
        assert_eq!(quote_bytes(b"a\"b"), r#""a\"b""#);
        assert_eq!(quote_bytes("\u{feff}x".as_bytes()), r#""\ufeffx""#);
        assert_eq!(quote_bytes(b"%\xff"), r#""%\xff""#);
        assert!(is_print('é') && is_print('日') && !is_print('\u{200b}') && !is_print('\u{a0}'));
    }

    #[test]
    fn html_js_urlquery() {
        // template.HTMLEscapeString: &#34; and &#39; for quotes, NUL as U+FFFD.
        assert_eq!(
            call("html", &[s("<a href=\"x\">'&'</a>\0")]),
            Ok(s("&lt;a href=&#34;x&#34;&gt;&#39;&amp;&#39;&lt;/a&gt;\u{FFFD}"))
        );
        // Arguments are Sprint-ed first.
        assert_eq!(call("html", &[Value::Int(1), Value::Int(2)]), Ok(s("1 2")));
        // template.JSEscapeString (Go 1.21+: also & and =, and \u003C style for <>).
        assert_eq!(
            call("js", &[s("a'b\"c\\d<e>f&g=h\ni\u{1}")]),
            Ok(s("a\\'b\\\"c\\\\d\\u003Ce\\u003Ef\\u0026g\\u003Dh\\u000Ai\\u0001"))
        );
        assert_eq!(call("js", &[s("日本\u{2028}")]), Ok(s("日本\\u2028")));
        // url.QueryEscape.
        assert_eq!(call("urlquery", &[s("a b&c=d/é~")]), Ok(s("a+b%26c%3Dd%2F%C3%A9~")));
        assert_eq!(call("urlquery", &[s("x"), Value::Nil]), Ok(s("x%3Cnil%3E")));
    }
}
