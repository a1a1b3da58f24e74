//! A YAML encoder that writes what go-yaml's encoder writes, byte for byte.
//!
//! Two dialects: go-yaml **v2** (what `sigs.k8s.io/yaml.Marshal`, and so `toYaml`, uses:
//! lines wrap at 80 columns, sequences inside mappings are not indented) and go-yaml **v3**
//! with indent 2 (`toYamlPretty`: no wrapping, every nested collection indented by 2).
//!
//! The structure mirrors libyaml's emitter (analyze scalar → select style → write), driven by
//! a tree instead of an event stream. Only what the Go encoders produce is supported: block
//! collections, flow style for empty ones, untagged scalars.

use std::sync::LazyLock;

use regex::Regex;

use crate::yaml::scalar::{format_float_g, resolve_plain, Scalar};

/// A value as the Go YAML encoder sees it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Node {
    Null,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    /// Entries in emission order (callers sort them with [`sort_keys`]).
    Map(Vec<(String, Node)>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Dialect {
    V2,
    V3,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Style {
    Plain,
    Single,
    Double,
    Literal,
}

/// Encode one document (with its final newline, as `yaml.Marshal` returns it).
pub(crate) fn encode(root: &Node, dialect: Dialect) -> String {
    let mut e = Emitter::new(dialect);
    e.emit_node(root, Ctx { mapping: false, simple_key: false }, Parent::Root);
    // Document end: `write_indent` with the indentation back at the stream level.
    e.write_indent();
    e.out
}

// ---- key order (sorter.go) -------------------------------------------------------------

/// go-yaml's `keyList.Less` for two string keys: runs of digits compare as numbers, letters
/// sort before non-letters. v3 adds one rule: after equal digits, a letter sorts first.
pub(crate) fn key_less(a: &[char], b: &[char], dialect: Dialect) -> bool {
    let mut digits = false;
    let n = a.len().min(b.len());
    for i in 0..n {
        if a[i] == b[i] {
            digits = is_go_digit(a[i]);
            continue;
        }
        let al = is_go_letter(a[i]);
        let bl = is_go_letter(b[i]);
        if al && bl {
            return a[i] < b[i];
        }
        if al || bl {
            if dialect == Dialect::V3 && digits {
                return al;
            }
            return bl;
        }
        let (mut an, mut bn) = (0i64, 0i64);
        if a[i] == '0' || b[i] == '0' {
            let mut j = i;
            while j > 0 && is_go_digit(a[j - 1]) {
                if a[j - 1] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
                j -= 1;
            }
        }
        let mut ai = i;
        while ai < a.len() && is_go_digit(a[ai]) {
            an = an.wrapping_mul(10).wrapping_add(a[ai] as i64 - '0' as i64);
            ai += 1;
        }
        let mut bi = i;
        while bi < b.len() && is_go_digit(b[bi]) {
            bn = bn.wrapping_mul(10).wrapping_add(b[bi] as i64 - '0' as i64);
            bi += 1;
        }
        if an != bn {
            return an < bn;
        }
        if ai != bi {
            return ai < bi;
        }
        return a[i] < b[i];
    }
    a.len() < b.len()
}

/// Go's `unicode.IsLetter` (category L). Outside ASCII, Rust's `is_alphabetic` minus the
/// letter-like numbers (Nl) is a close approximation.
fn is_go_letter(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphabetic()
    } else {
        c.is_alphabetic() && !is_letter_number(c)
    }
}

/// Go's `unicode.IsDigit` (category Nd). Outside ASCII, Rust's `is_numeric` minus the common
/// No/Nl blocks (superscripts, fractions, roman and circled numerals).
fn is_go_digit(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_digit()
    } else {
        c.is_numeric()
            && !is_letter_number(c)
            && !matches!(c as u32, 0xb2 | 0xb3 | 0xb9 | 0xbc..=0xbe | 0x2070..=0x209f | 0x2460..=0x24ff
                | 0x2776..=0x2793 | 0x3192..=0x3195 | 0x3220..=0x3229 | 0x3248..=0x325f | 0x3280..=0x3289
                | 0x32b1..=0x32bf)
    }
}

fn is_letter_number(c: char) -> bool {
    matches!(c as u32, 0x16ee..=0x16f0 | 0x2150..=0x2188 | 0x3007 | 0x3021..=0x3029 | 0x3038..=0x303a
        | 0xa6e6..=0xa6ef)
}

/// Sort map entries the way go-yaml does. A merge sort: it never panics, even if the
/// comparison is not a strict order for some exotic keys.
pub(crate) fn sort_keys<T>(entries: &mut Vec<(String, T)>, dialect: Dialect) {
    if entries.len() < 2 {
        return;
    }
    let keys: Vec<Vec<char>> = entries.iter().map(|(k, _)| k.chars().collect()).collect();
    let mut order: Vec<usize> = (0..entries.len()).collect();
    let mut buf = order.clone();
    merge_sort(&mut order, &mut buf, &|x, y| key_less(&keys[x], &keys[y], dialect));
    let mut taken: Vec<Option<(String, T)>> = std::mem::take(entries).into_iter().map(Some).collect();
    for i in order {
        if let Some(e) = taken[i].take() {
            entries.push(e);
        }
    }
}

fn merge_sort(v: &mut [usize], buf: &mut [usize], less: &dyn Fn(usize, usize) -> bool) {
    let n = v.len();
    if n < 2 {
        return;
    }
    let mid = n / 2;
    {
        let (l, r) = v.split_at_mut(mid);
        let (bl, br) = buf.split_at_mut(mid);
        merge_sort(l, bl, less);
        merge_sort(r, br, less);
    }
    let (mut i, mut j, mut k) = (0, mid, 0);
    while i < mid && j < n {
        if less(v[j], v[i]) {
            buf[k] = v[j];
            j += 1;
        } else {
            buf[k] = v[i];
            i += 1;
        }
        k += 1;
    }
    while i < mid {
        buf[k] = v[i];
        i += 1;
        k += 1;
    }
    while j < n {
        buf[k] = v[j];
        j += 1;
        k += 1;
    }
    v.copy_from_slice(&buf[..n]);
}

// ---- resolve (which strings need quotes) --------------------------------------------------

/// Would `s`, written plain, read back as a string? go-yaml's `stringv` quotes it otherwise.
fn plain_reads_as_string(s: &str, dialect: Dialect) -> bool {
    match resolve_plain(s) {
        Scalar::Str(_) => {}
        // Go's ParseFloat fails on overflow ("1e999"), so go-yaml keeps such text a string.
        Scalar::Float(f) if is_overflowing_float(s, f) => {}
        _ => return false,
    }
    // resolve() also knows timestamps. (go.yaml.in/yaml/v2, unlike sigs.k8s.io/yaml's old
    // fork, has no big-integer case: "0xFFFFFFFFFFFFFFFFFFFF" stays plain.)
    let first = s.as_bytes().first().copied().unwrap_or(0);
    if (first == b'+' || first == b'-' || first.is_ascii_digit()) && is_timestamp(s) {
        return false;
    }
    if is_base60_float(s) {
        return false;
    }
    if dialect == Dialect::V3 && is_old_bool(s) {
        return false;
    }
    if dialect == Dialect::V3 && (s == "-0" || s == "-0.0") {
        return false;
    }
    true
}

/// A number-looking text that resolves to ±Inf only because it overflows float64: go-yaml
/// treats it as a string (`strconv.ParseFloat` returns an error).
pub(crate) fn is_overflowing_float(text: &str, f: f64) -> bool {
    f.is_infinite() && !text.to_ascii_lowercase().contains("inf")
}

fn is_old_bool(s: &str) -> bool {
    matches!(
        s,
        "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF"
    )
}

/// go-yaml's `isBase60Float`: such strings are quoted for YAML 1.1 readers.
fn is_base60_float(s: &str) -> bool {
    static RE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$").expect("valid regex"));
    let b = s.as_bytes();
    if b.is_empty() || !(b[0] == b'+' || b[0] == b'-' || b[0].is_ascii_digit()) || !s.contains(':') {
        return false;
    }
    RE.is_match(s)
}

/// go-yaml's `parseTimestamp`: `YYYY-M-D`, optionally followed by `T`/`t`/space, a time
/// `h:m:s[.frac]` and (for `T`/`t`) a `Z` or `±hh:mm` zone.
fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 5 || !b[..4].iter().all(u8::is_ascii_digit) || b[4] != b'-' {
        return false;
    }
    let year: i64 = s[..4].parse().unwrap_or(0);
    let mut i = 5;
    let Some(month) = getnum(b, &mut i) else { return false };
    if !(1..=12).contains(&month) || b.get(i) != Some(&b'-') {
        return false;
    }
    i += 1;
    let Some(day) = getnum(b, &mut i) else { return false };
    if day < 1 || day > days_in(month, year) {
        return false;
    }
    if i == b.len() {
        return true;
    }
    let sep = b[i];
    if !matches!(sep, b'T' | b't' | b' ') {
        return false;
    }
    i += 1;
    let Some(h) = getnum(b, &mut i) else { return false };
    if h >= 24 || b.get(i) != Some(&b':') {
        return false;
    }
    i += 1;
    let Some(m) = getnum(b, &mut i) else { return false };
    if m >= 60 || b.get(i) != Some(&b':') {
        return false;
    }
    i += 1;
    let Some(sec) = getnum(b, &mut i) else { return false };
    if sec >= 60 {
        return false;
    }
    if i + 1 < b.len() && (b[i] == b'.' || b[i] == b',') && b[i + 1].is_ascii_digit() {
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
    }
    if sep == b' ' {
        return i == b.len();
    }
    if i == b.len() {
        return false;
    }
    if b[i] == b'Z' {
        return i + 1 == b.len();
    }
    let z = &b[i..];
    if z.len() != 6 || !(z[0] == b'+' || z[0] == b'-') || z[3] != b':' {
        return false;
    }
    let two = |x: &[u8]| x.iter().all(u8::is_ascii_digit).then(|| (x[0] - b'0') as i64 * 10 + (x[1] - b'0') as i64);
    matches!((two(&z[1..3]), two(&z[4..6])), (Some(hh), Some(mm)) if hh <= 24 && mm <= 60)
}

/// Go time's `getnum(s, false)`: one or two digits.
fn getnum(b: &[u8], i: &mut usize) -> Option<i64> {
    let d0 = *b.get(*i)?;
    if !d0.is_ascii_digit() {
        return None;
    }
    *i += 1;
    match b.get(*i) {
        Some(d1) if d1.is_ascii_digit() => {
            *i += 1;
            Some((d0 - b'0') as i64 * 10 + (d1 - b'0') as i64)
        }
        _ => Some((d0 - b'0') as i64),
    }
}

fn days_in(month: i64, year: i64) -> i64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// ---- character classes (yamlprivateh.go) -------------------------------------------------

fn is_space(c: Option<&char>) -> bool {
    c == Some(&' ')
}
fn is_blank(c: Option<&char>) -> bool {
    matches!(c, Some(' ' | '\t'))
}
fn is_break(c: Option<&char>) -> bool {
    matches!(c, Some('\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}'))
}
fn is_blankz(c: Option<&char>) -> bool {
    is_blank(c) || is_break(c) || matches!(c, None | Some('\0'))
}
fn is_printable(c: char) -> bool {
    c == '\n'
        || ('\x20'..='\x7e').contains(&c)
        || ('\u{a0}'..='\u{d7ff}').contains(&c)
        || (('\u{e000}'..='\u{fffd}').contains(&c) && c != '\u{feff}')
}

// ---- the emitter ---------------------------------------------------------------------------

#[derive(Clone, Copy)]
struct Ctx {
    mapping: bool,
    simple_key: bool,
}

/// What the node is nested in (v3 indents differently inside sequence items).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Parent {
    Root,
    SeqItem,
    MapKey,
    MapValue,
}

#[derive(Default)]
struct Analysis {
    multiline: bool,
    flow_plain_allowed: bool,
    block_plain_allowed: bool,
    single_quoted_allowed: bool,
    block_allowed: bool,
}

struct Emitter {
    dialect: Dialect,
    out: String,
    column: i64,
    indent: i64,
    indents: Vec<i64>,
    whitespace: bool,
    indention: bool,
    flow_level: u32,
    best_indent: i64,
    best_width: i64,
    ctx: Ctx,
}

impl Emitter {
    fn new(dialect: Dialect) -> Self {
        Emitter {
            dialect,
            out: String::new(),
            column: 0,
            indent: -1,
            indents: Vec::new(),
            whitespace: true,
            indention: true,
            flow_level: 0,
            best_indent: 2,
            best_width: if dialect == Dialect::V2 { 80 } else { i64::from(i32::MAX) },
            ctx: Ctx { mapping: false, simple_key: false },
        }
    }

    fn put(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    fn put_break(&mut self) {
        self.out.push('\n');
        self.column = 0;
        if self.dialect == Dialect::V3 {
            self.indention = true;
        }
    }

    fn write(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    fn write_break(&mut self, c: char) {
        if c == '\n' {
            self.put_break();
        } else {
            self.out.push(c);
            self.column = 0;
            if self.dialect == Dialect::V3 {
                self.indention = true;
            }
        }
    }

    fn write_indent(&mut self) {
        let indent = self.indent.max(0);
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        while self.column < indent {
            self.put(' ');
        }
        self.whitespace = true;
        if self.dialect == Dialect::V2 {
            self.indention = true;
        }
    }

    fn write_indicator(&mut self, ind: &str, need_whitespace: bool, is_whitespace: bool, is_indention: bool) {
        if need_whitespace && !self.whitespace {
            self.put(' ');
        }
        for c in ind.chars() {
            self.write(c);
        }
        self.whitespace = is_whitespace;
        self.indention = self.indention && is_indention;
    }

    fn increase_indent(&mut self, flow: bool, indentless: bool) {
        self.indents.push(self.indent);
        if self.indent < 0 {
            self.indent = if flow { self.best_indent } else { 0 };
        } else if !indentless {
            self.indent += self.best_indent;
        }
    }

    fn pop_indent(&mut self) {
        self.indent = self.indents.pop().unwrap_or(-1);
    }

    fn emit_node(&mut self, node: &Node, ctx: Ctx, parent: Parent) {
        self.ctx = ctx;
        match node {
            Node::Null => self.emit_scalar("null", Style::Plain),
            Node::Bool(b) => self.emit_scalar(if *b { "true" } else { "false" }, Style::Plain),
            Node::Int(i) => self.emit_scalar(&i.to_string(), Style::Plain),
            Node::Uint(u) => self.emit_scalar(&u.to_string(), Style::Plain),
            Node::Float(f) => {
                let s = match format_float_g(*f, false).as_str() {
                    "+Inf" => ".inf".to_string(),
                    "-Inf" => "-.inf".to_string(),
                    "NaN" => ".nan".to_string(),
                    s => s.to_string(),
                };
                self.emit_scalar(&s, Style::Plain)
            }
            Node::Str(s) => {
                let style = if s.contains('\n') {
                    Style::Literal
                } else if plain_reads_as_string(s, self.dialect) {
                    Style::Plain
                } else {
                    Style::Double
                };
                self.emit_scalar(s, style)
            }
            Node::Seq(items) if items.is_empty() || self.flow_level > 0 => {
                self.write_indicator("[", true, true, false);
                self.increase_indent(true, false);
                self.flow_level += 1;
                // Only empty collections are written in flow style here.
                self.flow_level -= 1;
                self.pop_indent();
                self.write_indicator("]", false, false, false);
            }
            Node::Map(entries) if entries.is_empty() || self.flow_level > 0 => {
                self.write_indicator("{", true, true, false);
                self.increase_indent(true, false);
                self.flow_level += 1;
                self.flow_level -= 1;
                self.pop_indent();
                self.write_indicator("}", false, false, false);
            }
            Node::Seq(items) => {
                match self.dialect {
                    Dialect::V2 => {
                        let indentless = self.ctx.mapping && !self.indention;
                        self.increase_indent(false, indentless);
                    }
                    Dialect::V3 => self.increase_indent_v3(parent),
                }
                for item in items {
                    self.write_indent();
                    self.write_indicator("-", true, false, true);
                    self.emit_node(item, Ctx { mapping: false, simple_key: false }, Parent::SeqItem);
                }
                self.pop_indent();
            }
            Node::Map(entries) => {
                match self.dialect {
                    Dialect::V2 => self.increase_indent(false, false),
                    Dialect::V3 => self.increase_indent_v3(parent),
                }
                for (key, value) in entries {
                    self.write_indent();
                    let key_analysis = analyze(&key.chars().collect::<Vec<_>>(), self.dialect);
                    let simple = !key_analysis.multiline && key.len() <= 128;
                    let key_node = Node::Str(key.clone());
                    if simple {
                        self.emit_node(&key_node, Ctx { mapping: true, simple_key: true }, Parent::MapKey);
                        self.write_indicator(":", false, false, false);
                    } else {
                        self.write_indicator("?", true, false, true);
                        self.emit_node(&key_node, Ctx { mapping: true, simple_key: false }, Parent::MapKey);
                        self.write_indent();
                        self.write_indicator(":", true, false, true);
                    }
                    self.emit_node(value, Ctx { mapping: true, simple_key: false }, Parent::MapValue);
                }
                self.pop_indent();
            }
        }
    }

    /// v3's `increase_indent_compact` with indent 2: collections nest by 2 everywhere (the
    /// first level inside a sequence item skips the `- `).
    fn increase_indent_v3(&mut self, parent: Parent) {
        self.indents.push(self.indent);
        if self.indent < 0 {
            self.indent = 0;
        } else if parent == Parent::SeqItem {
            self.indent += 2;
        } else {
            self.indent = self.best_indent * ((self.indent + self.best_indent) / self.best_indent);
        }
    }

    fn emit_scalar(&mut self, value: &str, requested: Style) {
        let chars: Vec<char> = value.chars().collect();
        let a = analyze(&chars, self.dialect);
        let mut style = requested;
        if self.ctx.simple_key && a.multiline {
            style = Style::Double;
        }
        if style == Style::Plain {
            if (self.flow_level > 0 && !a.flow_plain_allowed) || (self.flow_level == 0 && !a.block_plain_allowed) {
                style = Style::Single;
            }
            if chars.is_empty() && (self.flow_level > 0 || self.ctx.simple_key) {
                style = Style::Single;
            }
        }
        if style == Style::Single && !a.single_quoted_allowed {
            style = Style::Double;
        }
        if style == Style::Literal && (!a.block_allowed || self.flow_level > 0 || self.ctx.simple_key) {
            style = Style::Double;
        }
        self.increase_indent(true, false);
        let allow_breaks = !self.ctx.simple_key;
        match style {
            Style::Plain => self.write_plain(&chars, allow_breaks),
            Style::Single => self.write_single(&chars, allow_breaks),
            Style::Double => self.write_double(&chars, allow_breaks),
            Style::Literal => self.write_literal(&chars),
        }
        self.pop_indent();
    }

    fn write_plain(&mut self, v: &[char], allow_breaks: bool) {
        if !self.whitespace && (self.dialect == Dialect::V2 || !v.is_empty()) {
            self.put(' ');
        }
        let mut spaces = false;
        let mut breaks = false;
        let mut i = 0;
        while i < v.len() {
            let c = v[i];
            if c == ' ' {
                if allow_breaks && !spaces && self.column > self.best_width && !is_space(v.get(i + 1)) {
                    self.write_indent();
                } else {
                    self.write(c);
                }
                i += 1;
                spaces = true;
            } else if is_break(Some(&c)) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break(c);
                if self.dialect == Dialect::V2 {
                    self.indention = true;
                }
                i += 1;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.write(c);
                i += 1;
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        if self.dialect == Dialect::V2 || !v.is_empty() {
            self.whitespace = false;
        }
        self.indention = false;
    }

    fn write_single(&mut self, v: &[char], allow_breaks: bool) {
        self.write_indicator("'", true, false, false);
        let mut spaces = false;
        let mut breaks = false;
        let mut i = 0;
        while i < v.len() {
            let c = v[i];
            if c == ' ' {
                if allow_breaks
                    && !spaces
                    && self.column > self.best_width
                    && i > 0
                    && i < v.len() - 1
                    && !is_space(v.get(i + 1))
                {
                    self.write_indent();
                } else {
                    self.write(c);
                }
                i += 1;
                spaces = true;
            } else if is_break(Some(&c)) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break(c);
                self.indention = true;
                i += 1;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                if c == '\'' {
                    self.put('\'');
                }
                self.write(c);
                i += 1;
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        self.write_indicator("'", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_double(&mut self, v: &[char], allow_breaks: bool) {
        let mut spaces = false;
        self.write_indicator("\"", true, false, false);
        // go-yaml's `is_bom(value, i)` looks at the start of the value, whatever `i` is: a
        // value that starts with a BOM is escaped character by character.
        let starts_with_bom = v.first() == Some(&'\u{feff}');
        let mut i = 0;
        while i < v.len() {
            let c = v[i];
            if starts_with_bom || !is_printable(c) || is_break(Some(&c)) || c == '"' || c == '\\' {
                self.put('\\');
                match c {
                    '\0' => self.put('0'),
                    '\x07' => self.put('a'),
                    '\x08' => self.put('b'),
                    '\t' => self.put('t'),
                    '\n' => self.put('n'),
                    '\x0b' => self.put('v'),
                    '\x0c' => self.put('f'),
                    '\r' => self.put('r'),
                    '\x1b' => self.put('e'),
                    '"' => self.put('"'),
                    '\\' => self.put('\\'),
                    '\u{85}' => self.put('N'),
                    '\u{a0}' => self.put('_'),
                    '\u{2028}' => self.put('L'),
                    '\u{2029}' => self.put('P'),
                    _ => {
                        let v = c as u32;
                        let (ind, width) = if v <= 0xff {
                            ('x', 2)
                        } else if v <= 0xffff {
                            ('u', 4)
                        } else {
                            ('U', 8)
                        };
                        self.put(ind);
                        for k in (0..width).rev() {
                            let digit = (v >> (k * 4)) & 0xf;
                            self.put(char::from_digit(digit, 16).unwrap_or('0').to_ascii_uppercase());
                        }
                    }
                }
                i += 1;
                spaces = false;
            } else if c == ' ' {
                if allow_breaks && !spaces && self.column > self.best_width && i > 0 && i < v.len() - 1 {
                    self.write_indent();
                    if is_space(v.get(i + 1)) {
                        self.put('\\');
                    }
                } else {
                    self.write(c);
                }
                i += 1;
                spaces = true;
            } else {
                self.write(c);
                i += 1;
                spaces = false;
            }
        }
        self.write_indicator("\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_literal(&mut self, v: &[char]) {
        self.write_indicator("|", true, false, false);
        // Block scalar hints: indentation indicator, then chomping.
        if is_space(v.first()) || is_break(v.first()) {
            let hint = char::from_digit(self.best_indent as u32, 10).unwrap_or('2').to_string();
            self.write_indicator(&hint, false, false, false);
        }
        let chomp = match v.len() {
            0 => Some('-'),
            n if !is_break(v.get(n - 1)) => Some('-'),
            1 => Some('+'),
            n if is_break(v.get(n - 2)) => Some('+'),
            _ => None,
        };
        if let Some(c) = chomp {
            self.write_indicator(&c.to_string(), false, false, false);
        }
        self.put_break();
        self.indention = true;
        self.whitespace = true;
        let mut breaks = true;
        for &c in v {
            if is_break(Some(&c)) {
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.write(c);
                self.indention = false;
                breaks = false;
            }
        }
    }
}

/// `yaml_emitter_analyze_scalar`.
fn analyze(v: &[char], dialect: Dialect) -> Analysis {
    if v.is_empty() {
        return Analysis {
            multiline: false,
            flow_plain_allowed: false,
            block_plain_allowed: true,
            single_quoted_allowed: true,
            block_allowed: false,
        };
    }
    let mut block_indicators = false;
    let mut flow_indicators = false;
    let mut line_breaks = false;
    let mut special_characters = false;
    let mut tab_characters = false;
    let mut leading_space = false;
    let mut leading_break = false;
    let mut trailing_space = false;
    let mut trailing_break = false;
    let mut break_space = false;
    let mut space_break = false;
    let mut previous_space = false;
    let mut previous_break = false;

    if v.len() >= 3 && (v[..3] == ['-', '-', '-'] || v[..3] == ['.', '.', '.']) {
        block_indicators = true;
        flow_indicators = true;
    }
    let mut preceded_by_whitespace = true;
    for i in 0..v.len() {
        let c = v[i];
        let followed_by_whitespace = i + 1 >= v.len() || is_blank(v.get(i + 1));
        if i == 0 {
            match c {
                '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"' | '%' | '@' | '`' => {
                    flow_indicators = true;
                    block_indicators = true;
                }
                '?' | ':' => {
                    flow_indicators = true;
                    if followed_by_whitespace {
                        block_indicators = true;
                    }
                }
                '-' if followed_by_whitespace => {
                    flow_indicators = true;
                    block_indicators = true;
                }
                _ => {}
            }
        } else {
            match c {
                ',' | '?' | '[' | ']' | '{' | '}' => flow_indicators = true,
                ':' => {
                    flow_indicators = true;
                    if followed_by_whitespace {
                        block_indicators = true;
                    }
                }
                '#' if preceded_by_whitespace => {
                    flow_indicators = true;
                    block_indicators = true;
                }
                _ => {}
            }
        }
        if dialect == Dialect::V3 && c == '\t' {
            tab_characters = true;
        } else if !is_printable(c) {
            special_characters = true;
        }
        if c == ' ' {
            if i == 0 {
                leading_space = true;
            }
            if i + 1 == v.len() {
                trailing_space = true;
            }
            if previous_break {
                break_space = true;
            }
            previous_space = true;
            previous_break = false;
        } else if is_break(Some(&c)) {
            line_breaks = true;
            if i == 0 {
                leading_break = true;
            }
            if i + 1 == v.len() {
                trailing_break = true;
            }
            if previous_space {
                space_break = true;
            }
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        preceded_by_whitespace = is_blankz(Some(&c));
    }
    let mut a = Analysis {
        multiline: line_breaks,
        flow_plain_allowed: true,
        block_plain_allowed: true,
        single_quoted_allowed: true,
        block_allowed: true,
    };
    if leading_space || leading_break || trailing_space || trailing_break {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
    }
    if trailing_space {
        a.block_allowed = false;
    }
    if break_space {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
    }
    if space_break || tab_characters || special_characters {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
    }
    if space_break || special_characters {
        a.block_allowed = false;
    }
    if line_breaks {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
    }
    if flow_indicators {
        a.flow_plain_allowed = false;
    }
    if block_indicators {
        a.block_plain_allowed = false;
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    fn less(a: &str, b: &str) -> bool {
        key_less(&a.chars().collect::<Vec<_>>(), &b.chars().collect::<Vec<_>>(), Dialect::V2)
    }

    #[test]
    fn natural_key_order() {
        assert!(less("a9", "a10"));
        assert!(less("B", "a"));
        assert!(less("1", "a"));
        assert!(less("_x", "1"));
        assert!(less("a1", "a01"));
    }

    #[test]
    fn timestamps_and_base60() {
        assert!(is_timestamp("2001-12-14"));
        assert!(is_timestamp("2001-1-2"));
        assert!(is_timestamp("2001-12-14t21:59:43.10-05:00"));
        assert!(is_timestamp("2001-12-14 21:59:43.10"));
        assert!(is_timestamp("2001-12-14T21:59:43Z"));
        assert!(!is_timestamp("2001-13-14"));
        assert!(!is_timestamp("2001-02-30"));
        assert!(!is_timestamp("2001-12-14 21:59:43Z"));
        assert!(is_base60_float("12:30"));
        assert!(is_base60_float("1:2:3.5"));
        assert!(is_base60_float("190:20:30"));
        assert!(is_base60_float("-1:30"));
        assert!(!is_base60_float("1:60"));
        assert!(!is_base60_float("1:"));
        assert!(!is_base60_float("a:1"));
    }
}
