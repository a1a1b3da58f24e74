//! Template functions: Sprig's regular expressions, with Go's RE2 syntax and semantics.
//!
//! Patterns are parsed by Go's `regexp/syntax` rules, with its error texts, and translated to
//! the `regex` crate's dialect where the two differ: Go's `\d \w \s \b` are ASCII-only, a `{`
//! that does not start a valid repetition is a literal, `\Q…\E` quotes, `\<` is a plain `<`,
//! `[` inside a class is a literal, and group names follow Go's rules. Replacement templates
//! are expanded with Go's `$name` rules (`$1x` names group "1x").
//!
//! Sprig v3.3.0's plain variants compile with `regexp.MustCompile`, so a bad pattern panics
//! and Helm reports the panic (`regexp: Compile(…): error parsing regexp: …`); only
//! `regexMatch` swallows the error (false). The `must` variants return the error itself.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use regex::{Captures, Regex, RegexBuilder};

use super::strings::{go_is_digit, go_is_letter, go_quote};
use super::{arity, expect_int, expect_str, CallCtx, FuncError, FuncResult, Registry};
use crate::render::value::Value;

pub fn register(r: &mut Registry) {
    r.add("regexMatch", regex_match);
    r.add("mustRegexMatch", must_regex_match);
    r.add("regexFindAll", |_, a| find_all(a, Mode::Panic));
    r.add("mustRegexFindAll", |_, a| find_all(a, Mode::Error));
    r.add("regexFind", |_, a| find(a, Mode::Panic));
    r.add("mustRegexFind", |_, a| find(a, Mode::Error));
    r.add("regexReplaceAll", |_, a| replace_all(a, Mode::Panic, false));
    r.add("mustRegexReplaceAll", |_, a| replace_all(a, Mode::Error, false));
    r.add("regexReplaceAllLiteral", |_, a| replace_all(a, Mode::Panic, true));
    r.add("mustRegexReplaceAllLiteral", |_, a| replace_all(a, Mode::Error, true));
    r.add("regexSplit", |_, a| split(a, Mode::Panic));
    r.add("mustRegexSplit", |_, a| split(a, Mode::Error));
    r.add("regexQuoteMeta", regex_quote_meta);
}

// ---- the template functions ------------------------------------------------------------------

/// How a compile error surfaces: `regexp.MustCompile`'s panic (plain Sprig variants) or the
/// returned error (`must…` variants).
#[derive(Clone, Copy)]
enum Mode {
    Panic,
    Error,
}

fn compile_for(pattern: &str, mode: Mode) -> Result<Rc<GoRegex>, FuncError> {
    compile(pattern).map_err(|e| match mode {
        Mode::Error => FuncError::Call(e),
        Mode::Panic => FuncError::Call(format!("regexp: Compile({}): {e}", regexp_quote(pattern))),
    })
}

/// `N` Go `string` parameters.
fn strs<const N: usize>(args: &[Value]) -> Result<[&str; N], FuncError> {
    arity(args, N)?;
    let mut out = [""; N];
    for (slot, arg) in out.iter_mut().zip(args) {
        *slot = expect_str(arg)?;
    }
    Ok(out)
}

/// `(regex, s string, n int)`.
fn str_str_int(args: &[Value]) -> Result<(&str, &str, i64), FuncError> {
    arity(args, 3)?;
    Ok((expect_str(&args[0])?, expect_str(&args[1])?, expect_int(&args[2])?))
}

fn str_list<'a>(items: impl IntoIterator<Item = &'a str>) -> Value {
    Value::list(items.into_iter().map(Value::str).collect())
}

/// `regexMatch RE S`: false for a bad pattern.
fn regex_match(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    let [pattern, s] = strs(args)?;
    Ok(Value::Bool(compile(pattern).is_ok_and(|re| re.re.is_match(s))))
}

fn must_regex_match(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    let [pattern, s] = strs(args)?;
    Ok(Value::Bool(compile_for(pattern, Mode::Error)?.re.is_match(s)))
}

/// `regexFindAll RE S N`: at most N matches (all when N < 0).
fn find_all(args: &[Value], mode: Mode) -> FuncResult {
    let (pattern, s, n) = str_str_int(args)?;
    let re = compile_for(pattern, mode)?;
    let limit = usize::try_from(n).unwrap_or(usize::MAX);
    Ok(str_list(re.re.find_iter(s).take(limit).map(|m| m.as_str())))
}

/// `regexFind RE S`: the first match, or "".
fn find(args: &[Value], mode: Mode) -> FuncResult {
    let [pattern, s] = strs(args)?;
    let re = compile_for(pattern, mode)?;
    Ok(Value::str(re.re.find(s).map_or("", |m| m.as_str())))
}

/// `regexReplaceAll RE S REPL` (Go's `$` expansion) and the `…Literal` form.
fn replace_all(args: &[Value], mode: Mode, literal: bool) -> FuncResult {
    let [pattern, s, repl] = strs(args)?;
    let re = compile_for(pattern, mode)?;
    if literal {
        return Ok(Value::str(re.re.replace_all(s, regex::NoExpand(repl)).as_ref()));
    }
    let mut out = String::with_capacity(s.len());
    let mut last = 0;
    for caps in re.re.captures_iter(s) {
        let Some(m) = caps.get(0) else { continue };
        out.push_str(&s[last..m.start()]);
        expand(repl, &caps, &re.names, &mut out);
        last = m.end();
    }
    out.push_str(&s[last..]);
    Ok(Value::str(out))
}

/// `regexSplit RE S N`: Go's `Regexp.Split`, including its edge cases (an empty input gives
/// `[""]` for a non-empty pattern; a final empty piece is dropped when the last match ends
/// the input).
fn split(args: &[Value], mode: Mode) -> FuncResult {
    let (pattern, s, n) = str_str_int(args)?;
    let re = compile_for(pattern, mode)?;
    if n == 0 {
        return Ok(Value::list(Vec::new()));
    }
    if !pattern.is_empty() && s.is_empty() {
        return Ok(str_list([""]));
    }
    let limit = usize::try_from(n).ok();
    let mut parts = Vec::new();
    let (mut beg, mut end) = (0, 0);
    for m in re.re.find_iter(s).take(limit.unwrap_or(usize::MAX)) {
        if limit.is_some_and(|n| parts.len() == n - 1) {
            break;
        }
        end = m.start();
        if m.end() != 0 {
            parts.push(&s[beg..end]);
        }
        beg = m.end();
    }
    if end != s.len() {
        parts.push(&s[beg..]);
    }
    Ok(str_list(parts))
}

/// `regexQuoteMeta S`: Go's `regexp.QuoteMeta` (backslash before `\.+*?()|[]{}^$`).
fn regex_quote_meta(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    let [s] = strs(args)?;
    let mut out = String::with_capacity(s.len() * 2);
    for c in s.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    Ok(Value::str(out))
}

/// `regexp.quote`, used in `MustCompile`'s panic: backquoted when possible, else `%q`.
fn regexp_quote(s: &str) -> String {
    let backquotable = s.chars().all(|c| c != '`' && c != '\u{7f}' && c != '\u{feff}' && (c >= ' ' || c == '\t'));
    if backquotable {
        format!("`{s}`")
    } else {
        go_quote(s.as_bytes())
    }
}

// ---- replacement templates -------------------------------------------------------------------

/// Go's `Regexp.Expand`: `$$` is `$`; `$name`/`${name}` take the longest run of letters,
/// digits and `_`; a number names a group by index (no leading zeros), anything else by
/// name; unknown or non-participating groups expand to nothing; a malformed `$` is literal.
fn expand(template: &str, caps: &Captures, names: &[Option<String>], out: &mut String) {
    let mut t = template;
    while let Some(k) = t.find('$') {
        out.push_str(&t[..k]);
        t = &t[k + 1..];
        if let Some(rest) = t.strip_prefix('$') {
            out.push('$');
            t = rest;
            continue;
        }
        let Some((name, num, rest)) = extract_name(t) else {
            out.push('$');
            continue;
        };
        t = rest;
        let group = match num {
            Some(n) => caps.get(n),
            None => names.iter().enumerate().filter(|(_, g)| g.as_deref() == Some(name)).find_map(|(i, _)| caps.get(i)),
        };
        if let Some(m) = group {
            out.push_str(m.as_str());
        }
    }
    out.push_str(t);
}

/// Go's `extract`: the group reference after a `$` → (name, index if numeric, rest).
fn extract_name(s: &str) -> Option<(&str, Option<usize>, &str)> {
    let (brace, body) = match s.strip_prefix('{') {
        Some(b) => (true, b),
        None => (false, s),
    };
    let len = body
        .char_indices()
        .find(|&(_, c)| !(go_is_letter(c) || go_is_digit(c) || c == '_'))
        .map_or(body.len(), |(i, _)| i);
    if len == 0 {
        return None;
    }
    let name = &body[..len];
    let mut rest = &body[len..];
    if brace {
        rest = rest.strip_prefix('}')?;
    }
    let mut num = Some(0usize);
    for b in name.bytes() {
        num = match num {
            Some(n) if b.is_ascii_digit() && n < 100_000_000 => Some(n * 10 + usize::from(b - b'0')),
            _ => None,
        };
    }
    if name.len() > 1 && name.starts_with('0') {
        num = None;
    }
    Some((name, num, rest))
}

// ---- compilation and caching -----------------------------------------------------------------

/// A compiled Go pattern: the translated `regex` and Go's group names by index (0 is the
/// whole match). Every Go group is an unnamed Rust group, so indexes line up.
struct GoRegex {
    re: Regex,
    names: Vec<Option<String>>,
}

/// Templates call these functions in loops with the same few patterns.
const CACHE_LIMIT: usize = 512;

thread_local! {
    static CACHE: RefCell<HashMap<String, Result<Rc<GoRegex>, String>>> = RefCell::new(HashMap::new());
}

/// Compile a Go pattern; the error is Go's `err.Error()` text.
fn compile(pattern: &str) -> Result<Rc<GoRegex>, String> {
    if let Some(hit) = CACHE.with(|c| c.borrow().get(pattern).cloned()) {
        return hit;
    }
    let result = compile_uncached(pattern).map(Rc::new);
    CACHE.with(|c| {
        let mut cache = c.borrow_mut();
        if cache.len() >= CACHE_LIMIT {
            cache.clear();
        }
        cache.insert(pattern.to_string(), result.clone());
    });
    result
}

fn compile_uncached(pattern: &str) -> Result<GoRegex, String> {
    let (translated, names) = Translator::new(pattern).run().map_err(|e| e.to_string())?;
    // Go allows nesting 1000 deep; the crate's default limit is lower.
    let re = RegexBuilder::new(&translated).nest_limit(1000).build().map_err(|e| crate_error(pattern, &e))?;
    Ok(GoRegex { re, names })
}

/// A pattern Go accepts but the crate rejects (an unknown `\p{…}` name, an oversized
/// program): report it in Go's format with the crate's reason.
fn crate_error(pattern: &str, e: &regex::Error) -> String {
    let code = match e {
        regex::Error::CompiledTooBig(_) => "expression too large".to_string(),
        other => {
            let text = other.to_string();
            let reason = text.lines().find_map(|l| l.trim().strip_prefix("error: ")).unwrap_or("invalid pattern");
            if reason.contains("nest") {
                "expression nests too deeply".to_string()
            } else {
                reason.to_string()
            }
        }
    };
    format!("error parsing regexp: {code}: `{pattern}`")
}

// ---- Go syntax → regex crate syntax ----------------------------------------------------------

const MISSING_PAREN: &str = "missing closing )";
const UNEXPECTED_PAREN: &str = "unexpected )";
const MISSING_BRACKET: &str = "missing closing ]";
const INVALID_CHAR_RANGE: &str = "invalid character class range";
const INVALID_ESCAPE: &str = "invalid escape sequence";
const INVALID_NAMED_CAPTURE: &str = "invalid named capture";
const INVALID_PERL_OP: &str = "invalid or unsupported Perl syntax";
const INVALID_REPEAT_OP: &str = "invalid nested repetition operator";
const INVALID_REPEAT_SIZE: &str = "invalid repeat count";
const MISSING_REPEAT_ARG: &str = "missing argument to repetition operator";
const TRAILING_BACKSLASH: &str = "trailing backslash at end of expression";

/// Go's `*syntax.Error`.
#[derive(Debug, PartialEq)]
struct SyntaxError {
    code: &'static str,
    expr: String,
}

impl std::fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "error parsing regexp: {}: `{}`", self.code, self.expr)
    }
}

fn syntax(code: &'static str, expr: &str) -> SyntaxError {
    SyntaxError { code, expr: expr.to_string() }
}

/// The POSIX classes Go knows (`[:alpha:]`, `[:^alpha:]`, …); the crate has the same set.
fn is_posix_class(name: &str) -> bool {
    let inner = name.trim_start_matches("[:").trim_end_matches(":]");
    let inner = inner.strip_prefix('^').unwrap_or(inner);
    matches!(
        inner,
        "alnum"
            | "alpha"
            | "ascii"
            | "blank"
            | "cntrl"
            | "digit"
            | "graph"
            | "lower"
            | "print"
            | "punct"
            | "space"
            | "upper"
            | "word"
            | "xdigit"
    )
}

/// Go's Unicode general categories; other `\p{…}` names are scripts.
const CATEGORIES: &[&str] = &[
    "C", "Cc", "Cf", "Co", "Cs", "L", "Ll", "Lm", "Lo", "Lt", "Lu", "M", "Mc", "Me", "Mn", "N", "Nd", "Nl", "No", "P",
    "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps", "S", "Sc", "Sk", "Sm", "So", "Z", "Zl", "Zp", "Zs",
];

/// The body of Go's Perl classes, ASCII-only as in Go (`\s` has no `\v`); a leading `^`
/// negates.
fn perl_class(c: char) -> &'static str {
    match c {
        'd' => "0-9",
        'D' => "^0-9",
        's' => r"\t\n\x{C}\r\x{20}",
        'S' => r"^\t\n\x{C}\r\x{20}",
        'w' => "0-9A-Za-z_",
        _ => "^0-9A-Za-z_",
    }
}

/// A literal character in crate syntax: punctuation and spaces as `\x{…}`, so nothing is
/// taken for an operator (`#`, `&&`, `~~`, `[`, `-` all mean something to the crate).
fn push_literal(out: &mut String, c: char) {
    if c.is_ascii_alphanumeric() || c == '_' || !c.is_ascii() {
        out.push(c);
    } else {
        out.push_str(&format!("\\x{{{:X}}}", u32::from(c)));
    }
}

/// A code point from an escape; surrogates (which Go accepts) can never match valid text.
fn push_code(out: &mut String, u: u32) {
    match char::from_u32(u) {
        Some(c) => push_literal(out, c),
        None => out.push_str(r"[^\x{0}-\x{10FFFF}]"),
    }
}

/// A class range, minus the surrogate block the crate cannot express.
fn push_class_range(out: &mut String, lo: u32, hi: u32) {
    let mut range = |lo: u32, hi: u32| {
        if let (Some(a), Some(b)) = (char::from_u32(lo), char::from_u32(hi)) {
            push_literal(out, a);
            if hi > lo {
                out.push('-');
                push_literal(out, b);
            }
        }
    };
    if lo <= 0xD7FF {
        range(lo, hi.min(0xD7FF));
    }
    if hi >= 0xE000 {
        range(lo.max(0xE000), hi);
    }
}

/// Go's `parseRepeat` on text starting at `{`: (min, max or -1 for open, byte length), with
/// min -1 when a number is too big. `None` means the `{` is a literal.
fn parse_repeat(s: &str) -> Option<(i64, i64, usize)> {
    let b = s.as_bytes();
    let mut i = 1;
    let (mut min, n) = parse_repeat_int(&b[i..])?;
    i += n;
    let max = match b.get(i)? {
        b',' => {
            i += 1;
            if *b.get(i)? == b'}' {
                -1
            } else {
                let (max, n) = parse_repeat_int(&b[i..])?;
                i += n;
                if max < 0 {
                    min = -1;
                }
                max
            }
        }
        _ => min,
    };
    (b.get(i) == Some(&b'}')).then_some((min, max, i + 1))
}

/// Go's `parser.parseInt`: decimal digits without leading zeros; -1 when too big.
fn parse_repeat_int(b: &[u8]) -> Option<(i64, usize)> {
    if !b.first()?.is_ascii_digit() || (b.len() >= 2 && b[0] == b'0' && b[1].is_ascii_digit()) {
        return None;
    }
    let n = b.iter().take_while(|c| c.is_ascii_digit()).count();
    let mut v: i64 = 0;
    for &d in &b[..n] {
        if v >= 100_000_000 {
            v = -1;
            break;
        }
        v = v * 10 + i64::from(d - b'0');
    }
    Some((v, n))
}

/// A single pass over a Go pattern that checks it as Go's parser does (same errors, same
/// order) and writes the equivalent crate pattern.
struct Translator<'a> {
    src: &'a str,
    chars: Vec<(usize, char)>,
    /// Index into `chars` of the next character to read.
    i: usize,
    out: String,
    names: Vec<Option<String>>,
    depth: usize,
    /// Whether a repetition operator here would have an operand (Go: the parse stack top is
    /// not empty, `(` or `|`).
    atom: bool,
    /// Byte offset of the previous token when it was a repetition (Go rejects `a**`).
    last_repeat: Option<usize>,
    /// Go caps nested counted repetitions: along any path the product of `{n,m}` counts
    /// may not exceed 1000 (`(a{500}){3}` is invalid). `weight` is that product for the
    /// operand a repetition would apply to; `group_weight` the largest in the open group.
    weight: u64,
    group_weight: u64,
    outer_weights: Vec<u64>,
}

impl<'a> Translator<'a> {
    fn new(src: &'a str) -> Self {
        Translator {
            src,
            chars: src.char_indices().collect(),
            i: 0,
            out: String::with_capacity(src.len() + 16),
            names: vec![None],
            depth: 0,
            atom: false,
            last_repeat: None,
            weight: 1,
            group_weight: 0,
            outer_weights: Vec::new(),
        }
    }

    /// Byte offset of character `i` (the end for `i` past the last).
    fn pos(&self, i: usize) -> usize {
        self.chars.get(i).map_or(self.src.len(), |&(p, _)| p)
    }

    fn char_at(&self, i: usize) -> Option<char> {
        self.chars.get(i).map(|&(_, c)| c)
    }

    /// Character index of byte offset `byte`.
    fn index_of(&self, byte: usize) -> usize {
        self.chars.partition_point(|&(p, _)| p < byte)
    }

    fn run(mut self) -> Result<(String, Vec<Option<String>>), SyntaxError> {
        while let Some(c) = self.char_at(self.i) {
            let start = self.pos(self.i);
            let mut repeat = None;
            match c {
                '(' => self.group(start)?,
                '|' => {
                    self.out.push('|');
                    self.atom = false;
                    self.i += 1;
                }
                ')' => {
                    if self.depth == 0 {
                        return Err(syntax(UNEXPECTED_PAREN, self.src));
                    }
                    self.depth -= 1;
                    self.out.push(')');
                    let inner = self.group_weight.max(1);
                    self.group_weight = self.outer_weights.pop().unwrap_or(0);
                    self.set_atom(inner);
                    self.i += 1;
                }
                '^' | '$' | '.' => {
                    self.out.push(c);
                    self.set_atom(1);
                    self.i += 1;
                }
                '[' => {
                    self.class()?;
                    self.set_atom(1);
                }
                '*' | '+' | '?' => {
                    self.i += 1;
                    self.repetition(start, c.to_string())?;
                    repeat = Some(start);
                }
                '{' => match parse_repeat(&self.src[start..]) {
                    Some((min, max, len)) => {
                        let op = &self.src[start..start + len];
                        if !(0..=1000).contains(&min) || max > 1000 || (max >= 0 && min > max) {
                            return Err(syntax(INVALID_REPEAT_SIZE, op));
                        }
                        self.i += len; // the repetition text is ASCII
                        self.repetition(start, op.to_string())?;
                        self.counted_repeat(start, min, max)?;
                        repeat = Some(start);
                    }
                    None => {
                        push_literal(&mut self.out, '{');
                        self.set_atom(1);
                        self.i += 1;
                    }
                },
                '\\' => self.escape()?,
                _ => {
                    push_literal(&mut self.out, c);
                    self.set_atom(1);
                    self.i += 1;
                }
            }
            self.last_repeat = repeat;
        }
        if self.depth > 0 {
            return Err(syntax(MISSING_PAREN, self.src));
        }
        Ok((self.out, self.names))
    }

    /// After `*`, `+`, `?` or `{…}` (already consumed): an optional non-greedy `?`, then
    /// Go's checks for stacked operators and a missing operand.
    fn repetition(&mut self, start: usize, mut op: String) -> Result<(), SyntaxError> {
        if self.char_at(self.i) == Some('?') {
            self.i += 1;
            op.push('?');
        }
        let end = self.pos(self.i);
        if let Some(prev) = self.last_repeat {
            return Err(syntax(INVALID_REPEAT_OP, &self.src[prev..end]));
        }
        if !self.atom {
            return Err(syntax(MISSING_REPEAT_ARG, &self.src[start..end]));
        }
        self.out.push_str(&op);
        Ok(())
    }

    /// Go's `repeatIsValid` for `{min,max}` just applied (after `repetition`): the counts
    /// along any nesting path multiply to at most 1000; `{0}` ends a path.
    fn counted_repeat(&mut self, start: usize, min: i64, max: i64) -> Result<(), SyntaxError> {
        let count = u64::try_from(if max < 0 { min } else { max }).unwrap_or(0);
        let weight = if count == 0 { 1 } else { count.saturating_mul(self.weight) };
        if (min >= 2 || max >= 2) && weight > 1000 {
            return Err(syntax(INVALID_REPEAT_SIZE, &self.src[start..self.pos(self.i)]));
        }
        self.set_atom(weight);
        Ok(())
    }

    /// `(`, `(?P<name>`, `(?<name>`, `(?flags)` or `(?flags:`.
    fn group(&mut self, start: usize) -> Result<(), SyntaxError> {
        let rest = &self.src[start..];
        let t = rest.as_bytes();
        if t.get(1) != Some(&b'?') {
            self.open_group(None, "(");
            self.i += 1;
            return Ok(());
        }
        let with_p = t.len() > 4 && t[2] == b'P' && t[3] == b'<';
        if with_p || (t.len() > 3 && t[2] == b'<') {
            let Some(end) = rest.find('>') else { return Err(syntax(INVALID_NAMED_CAPTURE, rest)) };
            let name = &rest[if with_p { 4 } else { 3 }..end];
            if name.is_empty() || !name.bytes().all(|b| b == b'_' || b.is_ascii_alphanumeric()) {
                return Err(syntax(INVALID_NAMED_CAPTURE, &rest[..=end]));
            }
            self.open_group(Some(name.to_string()), "(");
            self.i = self.index_of(start + end + 1);
            return Ok(());
        }
        self.flags(start)
    }

    fn open_group(&mut self, name: Option<String>, text: &str) {
        if text == "(" {
            self.names.push(name);
        }
        self.out.push_str(text);
        self.depth += 1;
        self.atom = false;
        self.outer_weights.push(self.group_weight);
        self.group_weight = 0;
    }

    /// Something a following repetition can apply to, with its nested-repeat weight.
    fn set_atom(&mut self, weight: u64) {
        self.atom = true;
        self.weight = weight;
        self.group_weight = self.group_weight.max(weight);
    }

    /// Go's `parsePerlFlags` for `(?flags)` and `(?flags:`: flags i, m, s, U, one `-`.
    /// Written in normalized form, since the crate rejects repeated flags.
    fn flags(&mut self, start: usize) -> Result<(), SyntaxError> {
        let rest = &self.src[start..];
        let (mut on, mut off) = (String::new(), String::new());
        let (mut negated, mut saw_flag) = (false, false);
        let mut k = 2;
        let close = loop {
            let Some(c) = rest[k..].chars().next() else { return Err(syntax(INVALID_PERL_OP, rest)) };
            k += c.len_utf8();
            match c {
                'i' | 'm' | 's' | 'U' => {
                    let set = if negated { &mut off } else { &mut on };
                    if !set.contains(c) {
                        set.push(c);
                    }
                    saw_flag = true;
                }
                '-' if !negated => {
                    negated = true;
                    saw_flag = false;
                }
                ':' | ')' if !negated || saw_flag => break c,
                _ => return Err(syntax(INVALID_PERL_OP, &rest[..k])),
            }
        };
        on.retain(|c| !off.contains(c));
        let flags = if off.is_empty() { on } else { format!("{on}-{off}") };
        if close == ':' {
            self.open_group(None, &format!("(?{flags}:"));
        } else if !flags.is_empty() {
            // Flags for the rest of the group: no operand for a following repetition.
            self.out.push_str(&format!("(?{flags})"));
        }
        self.i = self.index_of(start + k);
        Ok(())
    }

    /// A backslash outside a class.
    fn escape(&mut self) -> Result<(), SyntaxError> {
        let Some(next) = self.char_at(self.i + 1) else { return Err(syntax(TRAILING_BACKSLASH, "")) };
        let assertion = match next {
            'A' => Some(r"\A"),
            'z' => Some(r"\z"),
            'b' => Some(r"(?-u:\b)"),
            'B' => Some(r"(?-u:\B)"),
            _ => None,
        };
        if let Some(text) = assertion {
            self.out.push_str(text);
            self.i += 2;
            self.set_atom(1);
            return Ok(());
        }
        match next {
            'C' => return Err(syntax(INVALID_ESCAPE, r"\C")),
            'Q' => {
                let from = self.pos(self.i + 2);
                let rest = &self.src[from..];
                let (lit, used) = match rest.find(r"\E") {
                    Some(k) => (&rest[..k], k + 2),
                    None => (rest, rest.len()),
                };
                for c in lit.chars() {
                    push_literal(&mut self.out, c);
                    self.set_atom(1);
                }
                self.i = self.index_of(from + used);
            }
            'p' | 'P' => {
                let (text, next_i) = self.unicode_class(self.i)?;
                self.out.push_str(&text);
                self.i = next_i;
                self.set_atom(1);
            }
            'd' | 'D' | 's' | 'S' | 'w' | 'W' => {
                self.out.push('[');
                self.out.push_str(perl_class(next));
                self.out.push(']');
                self.i += 2;
                self.set_atom(1);
            }
            _ => {
                let (code, next_i) = self.parse_escape(self.i)?;
                push_code(&mut self.out, code);
                self.i = next_i;
                self.set_atom(1);
            }
        }
        Ok(())
    }

    /// Go's `parseEscape` at character `i` (a backslash): octal `\0`, `\12`…, hex `\x41`,
    /// `\x{…}`, `\a\f\n\r\t\v`, or escaped ASCII punctuation. Returns the code point and the
    /// index after the escape.
    fn parse_escape(&self, i: usize) -> Result<(u32, usize), SyntaxError> {
        let start = self.pos(i);
        let Some(c) = self.char_at(i + 1) else { return Err(syntax(TRAILING_BACKSLASH, "")) };
        let mut j = i + 2;
        let bad = |j: usize| syntax(INVALID_ESCAPE, &self.src[start..self.pos(j)]);
        let is_octal = |c: Option<char>| c.is_some_and(|c| ('0'..='7').contains(&c));
        let code = match c {
            // A lone \1…\7 would be a backreference, which Go does not support.
            '1'..='7' if !is_octal(self.char_at(j)) => return Err(bad(j)),
            '0'..='7' => {
                let mut r = u32::from(c) - u32::from('0');
                while j < i + 4 && is_octal(self.char_at(j)) {
                    r = r * 8 + self.char_at(j).and_then(|d| d.to_digit(8)).unwrap_or(0);
                    j += 1;
                }
                r
            }
            'x' => {
                let Some(first) = self.char_at(j) else { return Err(bad(j)) };
                j += 1;
                if first == '{' {
                    let (mut r, mut digits) = (0u32, 0);
                    loop {
                        let Some(d) = self.char_at(j) else { return Err(bad(j)) };
                        j += 1;
                        if d == '}' {
                            break;
                        }
                        let Some(v) = d.to_digit(16) else { return Err(bad(j)) };
                        r = r * 16 + v;
                        if r > 0x10FFFF {
                            return Err(bad(j));
                        }
                        digits += 1;
                    }
                    if digits == 0 {
                        return Err(bad(j));
                    }
                    r
                } else {
                    let second = self.char_at(j);
                    if second.is_some() {
                        j += 1;
                    }
                    match (first.to_digit(16), second.and_then(|d| d.to_digit(16))) {
                        (Some(x), Some(y)) => x * 16 + y,
                        _ => return Err(bad(j)),
                    }
                }
            }
            'a' => 7,
            'f' => 0xC,
            'n' => 0xA,
            'r' => 0xD,
            't' => 9,
            'v' => 0xB,
            // Escaped punctuation is itself (Go allows `\_` too).
            c if c.is_ascii() && !c.is_ascii_alphanumeric() => u32::from(c),
            _ => return Err(bad(j)),
        };
        Ok((code, j))
    }

    /// Go's `parseUnicodeClass` at character `i` (`\p` or `\P`): `\pL`, `\p{Greek}`,
    /// `\p{^Greek}`. Returns the crate syntax and the index after it.
    fn unicode_class(&self, i: usize) -> Result<(String, usize), SyntaxError> {
        let start = self.pos(i);
        let rest = &self.src[start..];
        let mut negated = rest.as_bytes()[1] == b'P';
        let (len, name) = match rest[2..].chars().next() {
            Some('{') => match rest.find('}') {
                Some(end) => (end + 1, &rest[3..end]),
                None => return Err(syntax(INVALID_CHAR_RANGE, rest)),
            },
            Some(c) => (2 + c.len_utf8(), &rest[2..2 + c.len_utf8()]),
            None => (2, ""),
        };
        let seq = &rest[..len];
        let name = match name.strip_prefix('^') {
            Some(n) => {
                negated = !negated;
                n
            }
            None => name,
        };
        if name.is_empty() || !name.bytes().all(|b| b == b'_' || b.is_ascii_alphanumeric()) {
            return Err(syntax(INVALID_CHAR_RANGE, seq));
        }
        // Go's script classes use the Script property; the crate's bare names would use
        // Script_Extensions.
        let property =
            if name == "Any" || CATEGORIES.contains(&name) { name.to_string() } else { format!("sc={name}") };
        let text = format!("\\{}{{{property}}}", if negated { 'P' } else { 'p' });
        // Unknown script names are Go's error too, with the class text.
        if property.starts_with("sc=") && Regex::new(&text).is_err() {
            return Err(syntax(INVALID_CHAR_RANGE, seq));
        }
        Ok((text, self.index_of(start + len)))
    }

    /// Go's `parseClass` at `[`: POSIX classes, `\p` classes, Perl classes, characters and
    /// ranges, with `]` literal in first position.
    fn class(&mut self) -> Result<(), SyntaxError> {
        let class_start = self.pos(self.i);
        let whole = &self.src[class_start..];
        let mut j = self.i + 1;
        let negated = self.char_at(j) == Some('^');
        if negated {
            j += 1;
        }
        let mut body = String::new();
        let mut first = true;
        loop {
            let Some(c) = self.char_at(j) else { return Err(syntax(MISSING_BRACKET, whole)) };
            if c == ']' && !first {
                j += 1;
                break;
            }
            first = false;
            let here = self.pos(j);
            let rest = &self.src[here..];
            if rest.len() > 2 && rest.starts_with("[:") {
                if let Some(k) = rest[2..].find(":]") {
                    let name = &rest[..k + 4];
                    if !is_posix_class(name) {
                        return Err(syntax(INVALID_CHAR_RANGE, name));
                    }
                    body.push_str(name);
                    j = self.index_of(here + name.len());
                    continue;
                }
            }
            if c == '\\' {
                match self.char_at(j + 1) {
                    Some('p' | 'P') => {
                        let (text, next_j) = self.unicode_class(j)?;
                        body.push_str(&text);
                        j = next_j;
                        continue;
                    }
                    Some(p @ ('d' | 'D' | 's' | 'S' | 'w' | 'W')) => {
                        match perl_class(p).strip_prefix('^') {
                            Some(negative) => body.push_str(&format!("[^{negative}]")),
                            None => body.push_str(perl_class(p)),
                        }
                        j += 2;
                        continue;
                    }
                    _ => {}
                }
            }
            let (lo, next_j) = self.class_char(j, whole)?;
            j = next_j;
            let mut hi = lo;
            if self.char_at(j) == Some('-') && self.char_at(j + 1).is_some_and(|c| c != ']') {
                let (h, next_j) = self.class_char(j + 1, whole)?;
                j = next_j;
                hi = h;
                if hi < lo {
                    return Err(syntax(INVALID_CHAR_RANGE, &self.src[here..self.pos(j)]));
                }
            }
            push_class_range(&mut body, lo, hi);
        }
        if body.is_empty() {
            // Only surrogates: matches nothing (or, negated, anything).
            body.push_str(r"\x{0}-\x{10FFFF}");
            self.out.push_str(if negated { "[" } else { "[^" });
        } else {
            self.out.push_str(if negated { "[^" } else { "[" });
        }
        self.out.push_str(&body);
        self.out.push(']');
        self.i = j;
        Ok(())
    }

    /// Go's `parseClassChar`: an escape or a plain character inside a class.
    fn class_char(&self, j: usize, whole: &str) -> Result<(u32, usize), SyntaxError> {
        match self.char_at(j) {
            None => Err(syntax(MISSING_BRACKET, whole)),
            Some('\\') => self.parse_escape(j),
            Some(c) => Ok((u32::from(c), j + 1)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::funcs::Registry;

    fn call(name: &str, args: &[&str]) -> FuncResult {
        call_values(name, args.iter().map(|a| Value::str(*a)).collect())
    }

    fn call_values(name: &str, args: Vec<Value>) -> FuncResult {
        let f = Registry::standard().get(name).unwrap_or_else(|| panic!("{name} is not registered"));
        f(&mut CallCtx::default(), &args)
    }

    /// Calls taking `(regex, s string, n int)`.
    fn call_n(name: &str, pattern: &str, s: &str, n: i64) -> FuncResult {
        call_values(name, vec![Value::str(pattern), Value::str(s), Value::Int(n)])
    }

    fn strs(items: &[&str]) -> Value {
        str_list(items.iter().copied())
    }

    fn matches(pattern: &str, s: &str) -> bool {
        call("mustRegexMatch", &[pattern, s]) == Ok(Value::Bool(true))
    }

    fn go_error(pattern: &str) -> String {
        match call("mustRegexMatch", &[pattern, ""]) {
            Err(FuncError::Call(msg)) => msg,
            other => panic!("{pattern:?} compiled: {other:?}"),
        }
    }

    #[test]
    fn match_and_find() {
        assert_eq!(call("regexMatch", &["^[a-z]+$", "abc"]), Ok(Value::Bool(true)));
        assert_eq!(call("regexMatch", &["^[a-z]+$", "abc1"]), Ok(Value::Bool(false)));
        // sprig: regexMatch swallows a compile error
        assert_eq!(call("regexMatch", &["(", "("]), Ok(Value::Bool(false)));
        // Go doc (FindAllString) examples
        assert_eq!(call_n("regexFindAll", "a.", "paranormal", -1), Ok(strs(&["ar", "an", "al"])));
        assert_eq!(call_n("regexFindAll", "a.", "paranormal", 2), Ok(strs(&["ar", "an"])));
        assert_eq!(call_n("regexFindAll", "a.", "graal", -1), Ok(strs(&["aa"])));
        assert_eq!(call_n("regexFindAll", "a.", "none", -1), Ok(strs(&[])));
        assert_eq!(call_n("regexFindAll", "a.", "paranormal", 0), Ok(strs(&[])));
        // sprig doc examples
        assert_eq!(call_n("mustRegexFindAll", "[2,4,6,8]", "123456789", -1), Ok(strs(&["2", "4", "6", "8"])));
        assert_eq!(call("regexFind", &["[a-zA-Z][1-9]", "abcd1234"]), Ok(Value::str("d1")));
        assert_eq!(call("mustRegexFind", &["x", "abc"]), Ok(Value::str("")));
        // an empty match right after a match is skipped, as in Go
        assert_eq!(call_n("regexFindAll", "a*", "baaab", -1), Ok(strs(&["", "aaa", ""])));
        // typed parameters: n is an int
        assert_eq!(
            call_values("regexFindAll", vec![Value::str("a"), Value::str("a"), Value::Float(1.0)]),
            Err(FuncError::WrongType { expected: "int", got: "float64".into() })
        );
        assert_eq!(
            call_values("regexFind", vec![Value::str("a")]),
            Err(FuncError::Arity { want: 2, got: 1, at_least: false })
        );
    }

    #[test]
    fn replace_uses_go_expansion() {
        // Go doc (ReplaceAllString) examples
        let re = "a(x*)b";
        let cases = [
            ("T", "-T-T-"),
            ("$1", "--xx-"),
            // $1W names the group "1W", which does not exist
            ("$1W", "---"),
            ("${1}W", "-W-xxW-"),
            ("$$", "-$-$-"),
            ("$", "-$-$-"),
            ("${1", "-${1-${1-"),
            // leading zeros make a name, not a number
            ("[$01]", "-[]-[]-"),
            ("$é!", "-!-!-"),
        ];
        for (template, want) in cases {
            assert_eq!(call("regexReplaceAll", &[re, "-ab-axxb-", template]), Ok(Value::str(want)), "{template}");
        }
        // Go allows group names the crate rejects (Go doc: (?P<1W>x*))
        assert_eq!(call("regexReplaceAll", &["a(?P<1W>x*)b", "-ab-axxb-", "$1W"]), Ok(Value::str("--xx-")));
        assert_eq!(call("regexReplaceAll", &["a(?P<1W>x*)b", "-ab-axxb-", "${1}W"]), Ok(Value::str("-W-xxW-")));
        assert_eq!(
            call("mustRegexReplaceAll", &[r"(?P<first>\w+)\s(?<last>\w+)", "Alan Turing", "${last} ${first}"]),
            Ok(Value::str("Turing Alan"))
        );
        // sprig doc examples
        assert_eq!(call("regexReplaceAll", &["a(x*)b", "-ab-axxb-", "${1}W"]), Ok(Value::str("-W-xxW-")));
        assert_eq!(call("regexReplaceAllLiteral", &["a(x*)b", "-ab-axxb-", "${1}"]), Ok(Value::str("-${1}-${1}-")));
        assert_eq!(call("mustRegexReplaceAllLiteral", &["b", "abc", "$$"]), Ok(Value::str("a$$c")));
        // empty matches next to a match are not replaced twice
        assert_eq!(call("regexReplaceAll", &["a*", "baaab", "X"]), Ok(Value::str("XbXbX")));
    }

    #[test]
    fn split_follows_go() {
        // Go doc (Regexp.Split) examples
        assert_eq!(call_n("regexSplit", "a*", "abaabaccadaaae", 5), Ok(strs(&["", "b", "b", "c", "cadaaae"])));
        assert_eq!(call_n("regexSplit", "z+", "pizza", -1), Ok(strs(&["pi", "a"])));
        assert_eq!(call_n("regexSplit", "z+", "pizza", 0), Ok(strs(&[])));
        assert_eq!(call_n("regexSplit", "z+", "pizza", 1), Ok(strs(&["pizza"])));
        assert_eq!(call_n("mustRegexSplit", "z+", "pizza", 2), Ok(strs(&["pi", "a"])));
        assert_eq!(call_n("regexSplit", "", "abc", -1), Ok(strs(&["a", "b", "c"])));
        assert_eq!(call_n("regexSplit", "x", "", -1), Ok(strs(&[""])));
        assert_eq!(call_n("regexSplit", "", "", -1), Ok(strs(&[])));
        assert_eq!(call_n("regexSplit", ",", "a,b,", -1), Ok(strs(&["a", "b", ""])));
    }

    #[test]
    fn quote_meta() {
        // Go doc (QuoteMeta) example
        assert_eq!(
            call("regexQuoteMeta", &["Escaping symbols like: .+*?()|[]{}^$"]),
            Ok(Value::str(r"Escaping symbols like: \.\+\*\?\(\)\|\[\]\{\}\^\$"))
        );
        assert_eq!(call("regexQuoteMeta", &["a-b#c~é"]), Ok(Value::str("a-b#c~é")));
    }

    #[test]
    fn go_syntax_semantics() {
        // Go's \d, \w, \s and \b are ASCII-only; \s has no \v
        assert!(matches(r"^\d+$", "123"));
        assert!(!matches(r"^\d+$", "١٢٣"));
        assert!(!matches(r"\w", "é"));
        assert!(matches(r"^\s$", "\t"));
        assert!(!matches(r"^\s$", "\u{b}"));
        assert!(matches(r"^\S$", "\u{b}"));
        assert!(matches(r"\bfoo\b", "éfooé"));
        assert!(matches(r"^[\d\s]+$", "1 2"));
        assert!(!matches(r"^[\D]$", "5"));
        // a { that is not a repetition is a literal
        assert!(matches(r"^x{$", "x{"));
        assert!(matches(r"^{$", "{"));
        assert!(matches(r"^a{,3}$", "a{,3}"));
        assert!(matches(r"^a{01}$", "a{01}"));
        assert!(matches(r"^a{2}$", "aa"));
        assert!(matches(r"^(a{500}|b){2}$", "bb"));
        assert!(matches(r"^((a{10}){10}){10}(a{0}){1000}(a*){1000}$", &"a".repeat(1000)));
        // [ inside a class is literal; && and ~~ are not operators
        assert!(matches(r"^[[]$", "["));
        assert!(matches(r"^[a&&b]$", "&"));
        assert!(matches(r"^[a~~b]$", "~"));
        assert!(matches(r"^[]a]+$", "]a"));
        assert!(matches(r"^[^]a]$", "b"));
        assert!(matches(r"^[a-]+$", "-a"));
        assert!(matches(r"^[[:alpha:][:digit:]]+$", "a1"));
        assert!(matches(r"^[[:^alpha:]]$", "1"));
        // \Q…\E quotes; the repetition applies to the last quoted character
        assert_eq!(call("regexFind", &[r"\Q.*\E+", "a.**b"]), Ok(Value::str(".**")));
        assert!(matches(r"^\Q(a\E$", "(a"));
        // escapes: octal, hex, punctuation (\< is a plain <), \_
        assert!(matches(r"^\101\x42\x{43}\<\_\ $", "ABC<_ "));
        assert!(matches(r"^\0$", "\0"));
        // flags, including repeated ones the crate would reject
        assert!(matches(r"(?i)HELLO", "hello"));
        assert!(matches(r"(?ii)x", "X"));
        assert!(!matches(r"(?i-i)x", "X"));
        assert!(matches(r"(?i:A)b", "ab"));
        assert!(matches(r"(?)a", "a"));
        assert!(matches(r"(?s)a.b", "a\nb"));
        assert!(matches(r"(?m)^b$", "a\nb"));
        assert_eq!(call("regexFind", &["(?U)a+", "aaa"]), Ok(Value::str("a")));
        assert_eq!(call("regexFind", &["a+?", "aaa"]), Ok(Value::str("a")));
        // Unicode classes: categories and scripts
        assert!(matches(r"^\p{Greek}+$", "αβ"));
        assert!(matches(r"^\pL\p{^L}\PL$", "a11"));
        assert!(matches(r"^[\p{Lu}]$", "A"));
        // $ without (?m) is the end of text only
        assert!(!matches("a$", "a\n"));
    }

    #[test]
    fn go_error_messages() {
        let cases = [
            ("(", "missing closing ): `(`"),
            ("a)", "unexpected ): `a)`"),
            ("a**", "invalid nested repetition operator: `**`"),
            ("a*??", "invalid nested repetition operator: `*??`"),
            ("x{2}{3}", "invalid nested repetition operator: `{2}{3}`"),
            ("*", "missing argument to repetition operator: `*`"),
            ("x|+", "missing argument to repetition operator: `+`"),
            ("(?i)*", "missing argument to repetition operator: `*`"),
            ("{2}", "missing argument to repetition operator: `{2}`"),
            ("[a", "missing closing ]: `[a`"),
            ("[]", "missing closing ]: `[]`"),
            ("[z-a]", "invalid character class range: `z-a`"),
            ("[[:foo:]]", "invalid character class range: `[:foo:]`"),
            (r"\pX", r"invalid character class range: `\pX`"),
            (r"\p{Klingon}", r"invalid character class range: `\p{Klingon}`"),
            (r"\p{Greek", r"invalid character class range: `\p{Greek`"),
            (r"\q", r"invalid escape sequence: `\q`"),
            (r"\1", r"invalid escape sequence: `\1`"),
            (r"\8", r"invalid escape sequence: `\8`"),
            (r"\xZ1", r"invalid escape sequence: `\xZ1`"),
            (r"\x{}", r"invalid escape sequence: `\x{}`"),
            (r"\x{110000}", r"invalid escape sequence: `\x{110000`"),
            (r"\C", r"invalid escape sequence: `\C`"),
            (r"[\b]", r"invalid escape sequence: `\b`"),
            ("a\\", "trailing backslash at end of expression: ``"),
            ("a{1001}", "invalid repeat count: `{1001}`"),
            ("a{2,1}", "invalid repeat count: `{2,1}`"),
            // nested counted repetitions may not multiply past 1000
            ("(a{500}){3}", "invalid repeat count: `{3}`"),
            ("((a{10}){10}){11}?", "invalid repeat count: `{11}?`"),
            ("(?:x|a{2}b){501,}", "invalid repeat count: `{501,}`"),
            ("(?=x)", "invalid or unsupported Perl syntax: `(?=`"),
            ("(?i", "invalid or unsupported Perl syntax: `(?i`"),
            ("(?-)", "invalid or unsupported Perl syntax: `(?-)`"),
            ("(?x)", "invalid or unsupported Perl syntax: `(?x`"),
            ("(?P<>x)", "invalid named capture: `(?P<>`"),
            ("(?P<a-b>x)", "invalid named capture: `(?P<a-b>`"),
            ("(?P<n", "invalid named capture: `(?P<n`"),
        ];
        for (pattern, want) in cases {
            assert_eq!(go_error(pattern), format!("error parsing regexp: {want}"), "{pattern:?}");
        }
    }

    #[test]
    fn plain_variants_report_the_compile_panic() {
        // regexp.MustCompile panics; Helm reports "regexp: Compile(`…`): …"
        let panic = |msg: &str| Err(FuncError::Call(msg.into()));
        assert_eq!(
            call("regexFind", &["a**", "x"]),
            panic("regexp: Compile(`a**`): error parsing regexp: invalid nested repetition operator: `**`")
        );
        assert_eq!(
            call_n("regexFindAll", "(", "x", -1),
            panic("regexp: Compile(`(`): error parsing regexp: missing closing ): `(`")
        );
        // a pattern with a backquote is quoted with %q instead
        assert_eq!(
            call("regexReplaceAll", &["`(", "x", "y"]),
            panic("regexp: Compile(\"`(\"): error parsing regexp: missing closing ): ``(`")
        );
        assert_eq!(
            call_n("regexSplit", "[", "x", -1),
            panic("regexp: Compile(`[`): error parsing regexp: missing closing ]: `[`")
        );
        assert_eq!(
            call("regexReplaceAllLiteral", &["\t(", "x", "y"]),
            panic("regexp: Compile(`\t(`): error parsing regexp: missing closing ): `\t(`")
        );
        // must variants return the error itself
        assert_eq!(call("mustRegexFind", &["(", "x"]), panic("error parsing regexp: missing closing ): `(`"));
        assert_eq!(call_n("mustRegexSplit", "(", "x", -1), panic("error parsing regexp: missing closing ): `(`"));
    }
}
