//! Template functions: Sprig's string, conversion and sequence functions.
//!
//! Sprig v3.3.0 builds these on Go's `strings`/`strconv`, Masterminds/goutils v1.1.1,
//! huandu/xstrings v1.5.0 and spf13/cast v1.7. Each function follows those implementations,
//! quirks included: several goutils helpers (`nospace`, `initials`, `abbrev`, `wrap`) and
//! `trunc`/`substr` work on bytes, not characters, and Go's case mappings are the simple
//! one-to-one Unicode mappings (`upper "ß"` stays `ß`).

use std::rc::Rc;

use super::{arity, expect_int, expect_str, strval, CallCtx, FuncError, FuncResult, Registry};
use crate::render::value::{Map, Value};

/// Results larger than this are refused rather than exhausting memory. Go would try (and
/// Helm would most likely be killed); no real chart comes anywhere near it.
const MAX_RESULT_BYTES: usize = 64 << 20;
/// The same guard for generated lists (`until`, `untilStep`, `seq`).
const MAX_LIST_LEN: usize = 1 << 22;

pub fn register(r: &mut Registry) {
    // Trimming and case.
    r.add("trim", trim);
    r.add("trimAll", trim_all);
    r.add("trimall", trim_all); // deprecated Sprig alias, still registered
    r.add("trimPrefix", trim_prefix);
    r.add("trimSuffix", trim_suffix);
    r.add("upper", upper);
    r.add("lower", lower);
    r.add("title", title);
    r.add("untitle", untitle);
    r.add("swapcase", swapcase);
    r.add("snakecase", snakecase);
    r.add("camelcase", camelcase);
    r.add("kebabcase", kebabcase);
    // Slicing and shaping.
    r.add("repeat", repeat);
    r.add("substr", substr);
    r.add("nospace", nospace);
    r.add("trunc", trunc);
    r.add("abbrev", abbrev);
    r.add("abbrevboth", abbrevboth);
    r.add("initials", initials);
    r.add("wrap", wrap);
    r.add("wrapWith", wrap_with);
    r.add("indent", indent);
    r.add("nindent", nindent);
    r.add("replace", replace);
    r.add("plural", plural);
    r.add("shuffle", shuffle);
    // Predicates.
    r.add("contains", contains);
    r.add("hasPrefix", has_prefix);
    r.add("hasSuffix", has_suffix);
    // Quoting and joining.
    r.add("quote", quote);
    r.add("squote", squote);
    r.add("cat", cat);
    r.add("split", split);
    r.add("splitList", split_list);
    r.add("splitn", splitn);
    r.add("join", join);
    r.add("sortAlpha", sort_alpha);
    r.add("toString", to_string);
    r.add("toStrings", to_strings);
    // Numbers.
    r.add("atoi", atoi);
    r.add("int", to_int);
    r.add("int64", to_int);
    r.add("float64", to_float);
    r.add("toDecimal", to_decimal);
    r.add("seq", seq);
    r.add("until", until);
    r.add("untilStep", until_step);
    // Random strings (deterministic: ctx.rng, never the OS).
    r.add("randAlpha", rand_alpha);
    r.add("randAlphaNum", rand_alpha_num);
    r.add("randNumeric", rand_numeric);
    r.add("randAscii", rand_ascii);
}

// ---- argument helpers -----------------------------------------------------------------------

/// `N` Go `string` parameters.
fn strs<const N: usize>(args: &[Value]) -> Result<[&str; N], FuncError> {
    arity(args, N)?;
    let mut out = [""; N];
    for (slot, arg) in out.iter_mut().zip(args) {
        *slot = expect_str(arg)?;
    }
    Ok(out)
}

/// An `(int, string)` signature, the common Sprig shape (`trunc 5 $s`).
fn int_str(args: &[Value]) -> Result<(i64, &str), FuncError> {
    arity(args, 2)?;
    Ok((expect_int(&args[0])?, expect_str(&args[1])?))
}

fn text(s: impl Into<Rc<str>>) -> FuncResult {
    Ok(Value::str(s))
}

/// Bytes sliced the way Go slices strings may cut a UTF-8 sequence; our strings must stay
/// valid UTF-8, so a cut character becomes U+FFFD (Go would emit the raw bytes).
fn bytes_text(b: &[u8]) -> FuncResult {
    text(String::from_utf8_lossy(b))
}

fn str_list<S: AsRef<str>>(items: impl IntoIterator<Item = S>) -> Value {
    Value::list(items.into_iter().map(|s| Value::str(s.as_ref())).collect())
}

/// Go's panic text for `strings.Repeat` with a negative count, as Helm reports it.
fn negative_repeat() -> FuncError {
    FuncError::Call("strings: negative Repeat count".into())
}

fn too_large(what: &str) -> FuncError {
    FuncError::Call(format!("{what}: result exceeds plimsoll's size limit"))
}

/// `strings.Repeat` with Go's panics (as errors) and our size guard.
fn go_repeat(s: &str, count: i64) -> Result<String, FuncError> {
    let count = usize::try_from(count).map_err(|_| negative_repeat())?;
    match s.len().checked_mul(count) {
        None => Err(FuncError::Call("strings: Repeat output length overflow".into())),
        Some(n) if n > MAX_RESULT_BYTES => Err(too_large("repeat")),
        Some(_) => Ok(s.repeat(count)),
    }
}

// ---- Go's Unicode predicates and case mappings -------------------------------------------
//
// Go's `unicode` package works on general categories and simple (one-to-one) case mappings;
// Rust's `char` methods use derived properties and full mappings. These helpers bridge the
// differences that matter in practice.

/// `unicode.ToUpper`: the simple mapping. Rust's full mapping may expand (`ß` → `SS`); Go
/// keeps such characters, except the Greek iota-subscript letters, whose simple mapping is
/// the titlecase form.
pub(super) fn go_to_upper(c: char) -> char {
    let mut up = c.to_uppercase();
    match (up.next(), up.next()) {
        (Some(u), None) => u,
        _ => greek_iota_title(c).unwrap_or(c),
    }
}

fn greek_iota_title(c: char) -> Option<char> {
    let shifted = match c {
        '\u{1F80}'..='\u{1F87}' | '\u{1F90}'..='\u{1F97}' | '\u{1FA0}'..='\u{1FA7}' => u32::from(c) + 8,
        '\u{1FB3}' => 0x1FBC,
        '\u{1FC3}' => 0x1FCC,
        '\u{1FF3}' => 0x1FFC,
        _ => return None,
    };
    char::from_u32(shifted)
}

/// `unicode.ToLower`: the simple mapping (`İ` → `i`, where Rust gives `i̇`).
pub(super) fn go_to_lower(c: char) -> char {
    let mut low = c.to_lowercase();
    match (low.next(), low.next()) {
        (Some(l), None) => l,
        _ if c == '\u{130}' => 'i',
        _ => c,
    }
}

/// `unicode.ToTitle`: like upper case except for the Latin digraphs (`ǆ` → `ǅ`) and
/// Georgian, whose letters are their own title case.
fn go_to_title(c: char) -> char {
    match c {
        '\u{1C4}'..='\u{1C6}' => '\u{1C5}',
        '\u{1C7}'..='\u{1C9}' => '\u{1C8}',
        '\u{1CA}'..='\u{1CC}' => '\u{1CB}',
        '\u{1F1}'..='\u{1F3}' => '\u{1F2}',
        '\u{10D0}'..='\u{10FA}' | '\u{10FD}'..='\u{10FF}' => c,
        _ => go_to_upper(c),
    }
}

/// `unicode.IsUpper` (category Lu): Rust's `is_uppercase` adds Other_Uppercase symbols.
pub(super) fn go_is_upper(c: char) -> bool {
    c.is_uppercase() && !matches!(c, '\u{2160}'..='\u{216F}' | '\u{24B6}'..='\u{24CF}' | '\u{1F130}'..='\u{1F189}')
}

/// `unicode.IsLower` (category Ll): Rust's `is_lowercase` adds Other_Lowercase modifiers.
pub(super) fn go_is_lower(c: char) -> bool {
    c.is_lowercase()
        && !matches!(c,
            '\u{AA}' | '\u{BA}' | '\u{2B0}'..='\u{2B8}' | '\u{2C0}'..='\u{2C1}' | '\u{2E0}'..='\u{2E4}'
            | '\u{345}' | '\u{37A}' | '\u{10FC}' | '\u{1D2C}'..='\u{1D6A}' | '\u{1D78}'
            | '\u{1D9B}'..='\u{1DBF}' | '\u{2071}' | '\u{207F}' | '\u{2090}'..='\u{209C}'
            | '\u{2170}'..='\u{217F}' | '\u{24D0}'..='\u{24E9}' | '\u{2C7C}'..='\u{2C7D}'
            | '\u{A69C}'..='\u{A69D}' | '\u{A770}' | '\u{A7F2}'..='\u{A7F4}' | '\u{A7F8}'..='\u{A7F9}'
            | '\u{AB5C}'..='\u{AB5F}' | '\u{AB69}')
}

/// `unicode.IsTitle` (category Lt).
fn go_is_title(c: char) -> bool {
    matches!(c,
        '\u{1C5}' | '\u{1C8}' | '\u{1CB}' | '\u{1F2}' | '\u{1F88}'..='\u{1F8F}' | '\u{1F98}'..='\u{1F9F}'
        | '\u{1FA8}'..='\u{1FAF}' | '\u{1FBC}' | '\u{1FCC}' | '\u{1FFC}')
}

/// `unicode.IsLetter` (categories L*). Approximated by Alphabetic minus numbers; combining
/// vowel signs (Other_Alphabetic) still count as letters here.
pub(super) fn go_is_letter(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    c.is_alphabetic() && !c.is_numeric()
}

/// `unicode.IsDigit` (category Nd). Exact for ASCII and Latin-1; beyond that, superscripts,
/// fractions and other No/Nl numbers are approximated away only in the common blocks.
pub(super) fn go_is_digit(c: char) -> bool {
    if u32::from(c) < 0x100 {
        return c.is_ascii_digit();
    }
    c.is_numeric()
        && !matches!(c,
            '\u{2070}'..='\u{218F}' | '\u{2460}'..='\u{24FF}' | '\u{2776}'..='\u{2793}' | '\u{3007}'
            | '\u{3021}'..='\u{3029}' | '\u{3038}'..='\u{303A}' | '\u{3192}'..='\u{3195}'
            | '\u{3220}'..='\u{3229}' | '\u{3248}'..='\u{324F}' | '\u{3251}'..='\u{325F}'
            | '\u{3280}'..='\u{3289}' | '\u{32B1}'..='\u{32BF}' | '\u{16EE}'..='\u{16F0}'
            | '\u{1369}'..='\u{137C}')
}

/// `unicode.IsPunct` (categories P*). Exact for ASCII (`$+<=>^`|~` are symbols in Go, not
/// punctuation); beyond ASCII the common punctuation blocks are covered.
fn go_is_punct(c: char) -> bool {
    if c.is_ascii() {
        return matches!(
            c,
            '!' | '"'
                | '#'
                | '%'
                | '&'
                | '\''
                | '('
                | ')'
                | '*'
                | ','
                | '-'
                | '.'
                | '/'
                | ':'
                | ';'
                | '?'
                | '@'
                | '['
                | '\\'
                | ']'
                | '_'
                | '{'
                | '}'
        );
    }
    matches!(c,
        '\u{A1}' | '\u{A7}' | '\u{AB}' | '\u{B6}' | '\u{B7}' | '\u{BB}' | '\u{BF}' | '\u{37E}' | '\u{387}'
        | '\u{55A}'..='\u{55F}' | '\u{589}'..='\u{58A}' | '\u{5BE}' | '\u{5C0}' | '\u{5C3}' | '\u{5C6}'
        | '\u{5F3}'..='\u{5F4}' | '\u{609}'..='\u{60A}' | '\u{60C}'..='\u{60D}' | '\u{61B}'
        | '\u{61D}'..='\u{61F}' | '\u{66A}'..='\u{66D}' | '\u{6D4}' | '\u{964}'..='\u{965}' | '\u{970}'
        | '\u{E4F}' | '\u{E5A}'..='\u{E5B}' | '\u{2010}'..='\u{2027}' | '\u{2030}'..='\u{2043}'
        | '\u{2045}'..='\u{2051}' | '\u{2053}'..='\u{205E}' | '\u{207D}'..='\u{207E}'
        | '\u{208D}'..='\u{208E}' | '\u{2308}'..='\u{230B}' | '\u{2329}'..='\u{232A}'
        | '\u{2768}'..='\u{2775}' | '\u{27C5}'..='\u{27C6}' | '\u{27E6}'..='\u{27EF}'
        | '\u{2983}'..='\u{2998}' | '\u{29D8}'..='\u{29DB}' | '\u{29FC}'..='\u{29FD}'
        | '\u{2CF9}'..='\u{2CFC}' | '\u{2CFE}'..='\u{2CFF}' | '\u{2E00}'..='\u{2E2E}'
        | '\u{2E30}'..='\u{2E4F}' | '\u{2E52}'..='\u{2E5D}' | '\u{3001}'..='\u{3003}'
        | '\u{3008}'..='\u{3011}' | '\u{3014}'..='\u{301F}' | '\u{3030}' | '\u{303D}' | '\u{30A0}'
        | '\u{30FB}' | '\u{FE10}'..='\u{FE19}' | '\u{FE30}'..='\u{FE52}' | '\u{FE54}'..='\u{FE61}'
        | '\u{FE63}' | '\u{FE68}' | '\u{FE6A}'..='\u{FE6B}' | '\u{FF01}'..='\u{FF03}'
        | '\u{FF05}'..='\u{FF0A}' | '\u{FF0C}'..='\u{FF0F}' | '\u{FF1A}'..='\u{FF1B}'
        | '\u{FF1F}'..='\u{FF20}' | '\u{FF3B}'..='\u{FF3D}' | '\u{FF3F}' | '\u{FF5B}' | '\u{FF5D}'
        | '\u{FF5F}'..='\u{FF65}')
}

/// `unicode.IsSpace`: the White_Space property, which is exactly Rust's `is_whitespace`.
fn go_is_space(c: char) -> bool {
    c.is_whitespace()
}

// ---- Go's %q ------------------------------------------------------------------------------

/// `strconv.Quote` (what `%q` prints for a string): invalid UTF-8 bytes become `\xNN`,
/// non-printable characters `\a`…`\v`, `\xNN`, `\uNNNN` or `\UNNNNNNNN`.
pub(super) fn go_quote(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() + 2);
    out.push('"');
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            push_escaped_rune(&mut out, c);
        }
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    out.push('"');
    out
}

fn push_escaped_rune(out: &mut String, c: char) {
    match c {
        '"' | '\\' => {
            out.push('\\');
            out.push(c);
        }
        _ if go_is_print(c) => out.push(c),
        '\x07' => out.push_str("\\a"),
        '\x08' => out.push_str("\\b"),
        '\x0c' => out.push_str("\\f"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\x0b' => out.push_str("\\v"),
        _ if c < ' ' || c == '\x7f' => out.push_str(&format!("\\x{:02x}", u32::from(c))),
        _ if u32::from(c) < 0x10000 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
        _ => out.push_str(&format!("\\U{:08x}", u32::from(c))),
    }
}

/// `strconv.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space.
/// Exact for Latin-1; beyond it, spaces, controls, format characters, private use and
/// noncharacters are excluded (unassigned code points count as printable here).
fn go_is_print(c: char) -> bool {
    let u = u32::from(c);
    if u <= 0xFF {
        return (0x20..=0x7E).contains(&u) || ((0xA1..=0xFF).contains(&u) && u != 0xAD);
    }
    if c.is_whitespace() || c.is_control() {
        return false;
    }
    let format_or_private = matches!(u,
        0x600..=0x605 | 0x61C | 0x6DD | 0x70F | 0x890..=0x891 | 0x8E2 | 0x180E | 0x200B..=0x200F
        | 0x202A..=0x202E | 0x2060..=0x2064 | 0x2066..=0x206F | 0xFEFF | 0xFFF9..=0xFFFB | 0x110BD
        | 0x110CD | 0x13430..=0x1343F | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A | 0xE0001
        | 0xE0020..=0xE007F | 0xE000..=0xF8FF | 0xF0000..=0x10FFFF | 0xFDD0..=0xFDEF);
    !format_or_private && (u & 0xFFFE) != 0xFFFE
}

// ---- trimming and case ---------------------------------------------------------------------

/// `strings.TrimSpace`.
fn trim(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    let [s] = strs(args)?;
    text(s.trim_matches(go_is_space))
}

/// `trimAll CUTSET S` = `strings.Trim(S, CUTSET)`.
fn trim_all(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    let [cutset, s] = strs(args)?;
    text(s.trim_matches(|c| cutset.contains(c)))
}

fn trim_prefix(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    let [prefix, s] = strs(args)?;
    text(s.strip_prefix(prefix).unwrap_or(s))
}

fn trim_suffix(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    let [suffix, s] = strs(args)?;
    text(s.strip_suffix(suffix).unwrap_or(s))
}

fn upper(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    let [s] = strs(args)?;
    text(s.chars().map(go_to_upper).collect::<String>())
}

fn lower(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    let [s] = strs(args)?;
    text(s.chars().map(go_to_lower).collect::<String>())
}

/// Go's deprecated `strings.Title`: title-case every character that follows a separator.
/// ASCII separators are everything but letters, digits and `_` (so `foo-bar` → `Foo-Bar`,
/// `it's` → `It'S`); beyond ASCII only white space separates.
fn title(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    let [s] = strs(args)?;
    let mut prev = ' ';
    let out: String = s
        .chars()
        .map(|c| {
            let sep = if prev.is_ascii() { !(prev.is_ascii_alphanumeric() || prev == '_') } else { go_is_space(prev) };
            prev = c;
            if sep {
                go_to_title(c)
            } else {
                c
            }
        })
        .collect();
    text(out)
}

/// goutils `Uncapitalize`: lower-case the first character of each white-space separated word.
fn untitle(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    let [s] = strs(args)?;
    let mut next = true;
    let out: String = s
        .chars()
        .map(|c| {
            if go_is_space(c) {
                next = true;
                c
            } else if next {
                next = false;
                go_to_lower(c)
            } else {
                c
            }
        })
        .collect();
    text(out)
}

/// goutils `SwapCase`: upper/title → lower; lower → title case at the start of a word (after
/// white space or at the beginning), upper case elsewhere. So `hello World` → `HELLO wORLD`.
fn swapcase(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    let [s] = strs(args)?;
    let mut at_word_start = true;
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if go_is_upper(c) || go_is_title(c) {
            out.push(go_to_lower(c));
            at_word_start = false;
        } else if go_is_lower(c) {
            out.push(if at_word_start { go_to_title(c) } else { go_to_upper(c) });
            at_word_start = false;
        } else {
            out.push(c);
            at_word_start = go_is_space(c);
        }
    }
    text(out)
}

fn snakecase(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    let [s] = strs(args)?;
    text(camel_case_to_lower(s, '_'))
}

fn kebabcase(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    let [s] = strs(args)?;
    text(camel_case_to_lower(s, '-'))
}

fn camelcase(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    let [s] = strs(args)?;
    text(to_camel_case(s))
}

// ---- xstrings v1.5.0 word splitting ---------------------------------------------------------

/// What `utf8.DecodeRune` reports for bad input; xstrings skips it (even when literal).
const RUNE_ERROR: char = '\u{FFFD}';

fn is_connector(c: char) -> bool {
    c == '-' || c == '_' || go_is_space(c)
}

/// xstrings `isAlphabet`: a letter that is not a CJK ideograph.
fn is_alphabet(c: char) -> bool {
    if !go_is_letter(c) {
        return false;
    }
    !matches!(c, '\u{4E00}'..='\u{9FCC}' | '\u{3400}'..='\u{4D85}' | '\u{20000}'..='\u{2B81D}')
}

/// The first rune that is not U+FFFD, and the bytes consumed to reach past it; `prev` if
/// every rune was U+FFFD.
fn next_valid_rune(s: &str, prev: char) -> (char, usize) {
    let mut size = 0;
    for c in s.chars() {
        size += c.len_utf8();
        if c != RUNE_ERROR {
            return (c, size);
        }
    }
    (prev, size)
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Word {
    Invalid,
    Number,
    Upper,
    Alphabet,
    Connector,
    Punct,
    Other,
}

/// xstrings `nextWord`: split off the next word and classify it. Runs of upper case are
/// abbreviations, except that the last capital of `HTTPServer` starts the next word.
fn next_word(s: &str) -> (Word, &str, &str) {
    if s.is_empty() {
        return (Word::Invalid, "", "");
    }
    let (mut r, mut size) = next_valid_rune(s, RUNE_ERROR);
    let mut offset = size;
    if r == RUNE_ERROR {
        return (Word::Invalid, &s[..offset], &s[offset..]);
    }
    let mut remaining = &s[size..];
    // Extend the word while `keep` accepts the next valid rune.
    let extend = |r: &mut char, offset: &mut usize, remaining: &mut &str, keep: &dyn Fn(char) -> bool| {
        while !remaining.is_empty() {
            let (c, n) = next_valid_rune(remaining, *r);
            *r = c;
            if !keep(c) {
                break;
            }
            *offset += n;
            *remaining = &remaining[n..];
        }
    };
    let wt = if is_connector(r) {
        extend(&mut r, &mut offset, &mut remaining, &is_connector);
        Word::Connector
    } else if go_is_punct(r) {
        extend(&mut r, &mut offset, &mut remaining, &go_is_punct);
        Word::Punct
    } else if go_is_upper(r) {
        if !remaining.is_empty() {
            (r, size) = next_valid_rune(remaining, r);
            if go_is_upper(r) {
                let mut prev_size = size;
                offset += size;
                remaining = &remaining[size..];
                while !remaining.is_empty() {
                    (r, size) = next_valid_rune(remaining, r);
                    if !go_is_upper(r) {
                        break;
                    }
                    prev_size = size;
                    offset += size;
                    remaining = &remaining[size..];
                }
                if !remaining.is_empty() && is_alphabet(r) {
                    offset -= prev_size;
                    remaining = &s[offset..];
                }
            } else if is_alphabet(r) {
                offset += size;
                remaining = &remaining[size..];
                extend(&mut r, &mut offset, &mut remaining, &|c| is_alphabet(c) && !go_is_upper(c));
            }
        }
        Word::Upper
    } else if is_alphabet(r) {
        extend(&mut r, &mut offset, &mut remaining, &|c| is_alphabet(c) && !go_is_upper(c));
        Word::Alphabet
    } else if r.is_numeric() {
        extend(&mut r, &mut offset, &mut remaining, &|c| c.is_numeric());
        Word::Number
    } else {
        let stop = |c: char| is_connector(c) || is_alphabet(c) || c.is_numeric() || go_is_punct(c);
        extend(&mut r, &mut offset, &mut remaining, &|c| !stop(c));
        Word::Other
    };
    (wt, &s[..offset], remaining)
}

/// xstrings `toLower`: only upper-case and connector words change.
fn push_lower(buf: &mut String, wt: Word, word: &str, connector: char) {
    if wt != Word::Upper && wt != Word::Connector {
        buf.push_str(word);
        return;
    }
    for c in word.chars() {
        if is_connector(c) {
            buf.push(connector);
        } else if go_is_upper(c) {
            buf.push(go_to_lower(c));
        } else {
            buf.push(c);
        }
    }
}

/// xstrings `camelCaseToLowerCase` (snakecase, kebabcase): `HTTPServer` → `http_server`,
/// `HTTP20xOK` → `http_20x_ok`, `Bld4Floor3rd` → `bld4_floor_3rd`.
fn camel_case_to_lower(s: &str, connector: char) -> String {
    let mut buf = String::with_capacity(s.len() + 4);
    let (mut wt, mut word, mut remaining) = next_word(s);
    while !remaining.is_empty() {
        if wt != Word::Connector {
            push_lower(&mut buf, wt, word, connector);
        }
        let (prev, last) = (wt, word);
        (wt, word, remaining) = next_word(remaining);
        match prev {
            Word::Number => {
                while wt == Word::Alphabet || wt == Word::Number {
                    push_lower(&mut buf, wt, word, connector);
                    (wt, word, remaining) = next_word(remaining);
                }
                if !matches!(wt, Word::Invalid | Word::Punct | Word::Connector) {
                    buf.push(connector);
                }
            }
            Word::Connector => push_lower(&mut buf, prev, last, connector),
            Word::Punct => {}
            _ => {
                if wt != Word::Number {
                    if wt != Word::Connector && wt != Word::Punct {
                        buf.push(connector);
                    }
                    continue;
                }
                if remaining.is_empty() {
                    continue;
                }
                let number = word;
                (wt, word, remaining) = next_word(remaining);
                // A number followed by a non-letter stays with the previous word: "Bld4Floor".
                if wt != Word::Alphabet {
                    push_lower(&mut buf, Word::Number, number, connector);
                    if wt != Word::Connector && wt != Word::Punct {
                        buf.push(connector);
                    }
                    continue;
                }
                // Lower-case letters after a number start a new word with it: "HTTP2xx".
                buf.push(connector);
                push_lower(&mut buf, Word::Number, number, connector);
                while wt == Word::Alphabet || wt == Word::Number {
                    push_lower(&mut buf, wt, word, connector);
                    (wt, word, remaining) = next_word(remaining);
                }
                if !matches!(wt, Word::Invalid | Word::Connector | Word::Punct) {
                    buf.push(connector);
                }
            }
        }
    }
    push_lower(&mut buf, wt, word, connector);
    buf
}

/// xstrings v1.5.0 `ToCamelCase` (lower camel case since that release): `http_server` →
/// `httpServer`, `GOLANG_IS_GREAT` → `golangIsGreat`; leading connectors are kept and
/// doubled connectors keep one (`_complex__case_` → `_complex_Case_`).
fn to_camel_case(s: &str) -> String {
    let mut buf = String::with_capacity(s.len());
    let mut chars = s.chars();
    let mut first_upper = false;
    let mut r0 = None;
    for c in chars.by_ref() {
        if !is_connector(c) {
            first_upper = go_is_upper(c);
            r0 = Some(go_to_lower(c));
            break;
        }
        buf.push(c);
        r0 = Some(c);
    }
    let Some(mut r0) = r0 else { return buf };
    if chars.as_str().is_empty() {
        // Go writes the last rune again here, so an all-connector input gains one ("__" → "___").
        buf.push(r0);
        return buf;
    }
    for c in chars {
        let r1 = r0;
        r0 = c;
        if is_connector(r0) && is_connector(r1) {
            buf.push(r1);
            continue;
        }
        if is_connector(r1) {
            first_upper = go_is_upper(r0);
            r0 = go_to_upper(r0);
        } else {
            if first_upper {
                if go_is_upper(r0) {
                    r0 = go_to_lower(r0);
                } else {
                    first_upper = false;
                }
            }
            buf.push(r1);
        }
    }
    if first_upper {
        r0 = go_to_lower(r0);
    }
    buf.push(r0);
    buf
}

// ---- slicing and shaping ---------------------------------------------------------------------

/// `repeat COUNT S`; a negative count is Go's `strings.Repeat` panic.
fn repeat(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    let (count, s) = int_str(args)?;
    text(go_repeat(s, count)?)
}

/// Go's runtime panic text for a failed string slice, as Helm reports it.
fn slice_panic(detail: String) -> FuncError {
    FuncError::Call(format!("runtime error: slice bounds out of range {detail}"))
}

/// Sprig `substring`: a negative start means `s[:end]`; a negative or too large end means
/// `s[start:]`; otherwise `s[start:end]`. Byte offsets; out-of-range slices panic in Go.
fn substr(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 3)?;
    let (start, end, s) = (expect_int(&args[0])?, expect_int(&args[1])?, expect_str(&args[2])?);
    let b = s.as_bytes();
    let len = b.len() as i64;
    if start < 0 {
        return match end {
            e if e < 0 => Err(slice_panic(format!("[:{e}]"))),
            e if e > len => Err(slice_panic(format!("[:{e}] with length {len}"))),
            e => bytes_text(&b[..e as usize]),
        };
    }
    if end < 0 || end > len {
        return if start > len {
            Err(slice_panic(format!("[{start}:{len}]")))
        } else {
            bytes_text(&b[start as usize..])
        };
    }
    if start > end {
        return Err(slice_panic(format!("[{start}:{end}]")));
    }
    bytes_text(&b[start as usize..end as usize])
}

/// goutils `DeleteWhiteSpace`. It walks bytes and re-encodes each kept byte as the code point
/// of the same value, so once anything is removed, non-ASCII text comes out as Latin-1
/// mojibake (`é` → `Ã©`); with nothing to remove the input is returned untouched.
fn nospace(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    let [s] = strs(args)?;
    let mut out = String::with_capacity(s.len());
    let mut removed = false;
    for c in s.bytes().map(char::from) {
        if go_is_space(c) {
            removed = true;
        } else {
            out.push(c);
        }
    }
    if removed {
        text(out)
    } else {
        text(s)
    }
}

/// `trunc N S`: the first N bytes, or with a negative N the last |N| bytes.
fn trunc(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    let (c, s) = int_str(args)?;
    let b = s.as_bytes();
    let len = b.len() as i64;
    if c < 0 && len + c > 0 {
        return bytes_text(&b[(len + c) as usize..]);
    }
    if c >= 0 && len > c {
        return bytes_text(&b[..c as usize]);
    }
    text(s)
}

/// goutils `AbbreviateFull` on bytes; `None` where goutils returns an error (Sprig then
/// yields "").
fn abbreviate_full(s: &[u8], offset: i64, max_width: i64) -> Option<Vec<u8>> {
    const MARKER: &[u8] = b"...";
    if s.is_empty() {
        return Some(Vec::new());
    }
    if max_width < 4 {
        return None;
    }
    let len = s.len() as i64;
    if len <= max_width {
        return Some(s.to_vec());
    }
    let keep = max_width - 3;
    let mut offset = offset.min(len);
    if len - offset < keep {
        offset = len - keep;
    }
    if offset <= 4 {
        return Some([&s[..keep as usize], MARKER].concat());
    }
    if max_width < 7 {
        return None;
    }
    if offset + keep < len {
        let rest = abbreviate_full(&s[offset as usize..], 0, keep).unwrap_or_default();
        return Some([MARKER, &rest].concat());
    }
    Some([MARKER, &s[(len - keep) as usize..]].concat())
}

/// `abbrev WIDTH S`: cut to WIDTH bytes ending in "...", unchanged below width 4.
fn abbrev(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    let (width, s) = int_str(args)?;
    if width < 4 {
        return text(s);
    }
    bytes_text(&abbreviate_full(s.as_bytes(), 0, width).unwrap_or_default())
}

/// `abbrevboth LEFT RIGHT S`: abbreviate on both sides around offset LEFT.
fn abbrevboth(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 3)?;
    let (left, right, s) = (expect_int(&args[0])?, expect_int(&args[1])?, expect_str(&args[2])?);
    if right < 4 || left > 0 && right < 7 {
        return text(s);
    }
    bytes_text(&abbreviate_full(s.as_bytes(), left, right).unwrap_or_default())
}

/// goutils `Initials`: the first byte of each white-space separated word, re-encoded as a
/// code point like `nospace` does (so a non-ASCII initial becomes Latin-1 mojibake).
fn initials(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    let [s] = strs(args)?;
    let mut out = String::new();
    let mut gap = true;
    for c in s.bytes().map(char::from) {
        if go_is_space(c) {
            gap = true;
        } else if gap {
            out.push(c);
            gap = false;
        }
    }
    text(out)
}

/// goutils `WrapCustom` on bytes: break at the last space within `width` columns; a word
/// longer than the line is split (`long_words`) or left to overflow up to the next space.
fn wrap_custom(s: &[u8], width: i64, newline: &[u8], long_words: bool) -> Vec<u8> {
    let newline = if newline.is_empty() { b"\n".as_slice() } else { newline };
    let len = s.len();
    // Widths beyond the input never wrap, so clamping keeps the arithmetic in range.
    let width = width.clamp(1, len as i64 + 1) as usize;
    let mut out = Vec::with_capacity(len + len / width.max(1));
    let mut offset = 0;
    while len - offset > width {
        if s[offset] == b' ' {
            offset += 1;
            continue;
        }
        if let Some(p) = s[offset..=offset + width].iter().rposition(|&b| b == b' ') {
            out.extend_from_slice(&s[offset..offset + p]);
            out.extend_from_slice(newline);
            offset += p + 1;
        } else if long_words {
            out.extend_from_slice(&s[offset..offset + width]);
            out.extend_from_slice(newline);
            offset += width;
        } else {
            let end = offset + width;
            match s[end..].iter().position(|&b| b == b' ') {
                Some(p) => {
                    out.extend_from_slice(&s[offset..end + p]);
                    out.extend_from_slice(newline);
                    offset = end + p + 1;
                }
                None => {
                    out.extend_from_slice(&s[offset..]);
                    offset = len;
                }
            }
        }
    }
    out.extend_from_slice(&s[offset..]);
    out
}

/// `wrap WIDTH S`: goutils `Wrap` (long words are not split).
fn wrap(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    let (width, s) = int_str(args)?;
    bytes_text(&wrap_custom(s.as_bytes(), width, b"", false))
}

/// `wrapWith WIDTH SEP S`: goutils `WrapCustom` with long words split.
fn wrap_with(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 3)?;
    let (width, sep, s) = (expect_int(&args[0])?, expect_str(&args[1])?, expect_str(&args[2])?);
    bytes_text(&wrap_custom(s.as_bytes(), width, sep.as_bytes(), true))
}

/// Sprig `indent`: the pad goes before the text and after every newline, so empty lines
/// and a trailing newline get padded too.
fn indent_text(spaces: i64, s: &str) -> Result<String, FuncError> {
    let pad = go_repeat(" ", spaces)?;
    let lines = s.matches('\n').count();
    if pad.len().saturating_mul(lines + 1).saturating_add(s.len()) > MAX_RESULT_BYTES {
        return Err(too_large("indent"));
    }
    Ok(format!("{pad}{}", s.replace('\n', &format!("\n{pad}"))))
}

fn indent(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    let (spaces, s) = int_str(args)?;
    text(indent_text(spaces, s)?)
}

fn nindent(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    let (spaces, s) = int_str(args)?;
    text(format!("\n{}", indent_text(spaces, s)?))
}

/// `replace OLD NEW S` = `strings.Replace(S, OLD, NEW, -1)`; an empty OLD inserts NEW
/// around every character, as Go does.
fn replace(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    let [old, new, s] = strs(args)?;
    text(s.replace(old, new))
}

/// `plural ONE MANY COUNT`.
fn plural(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 3)?;
    let (one, many, count) = (expect_str(&args[0])?, expect_str(&args[1])?, expect_int(&args[2])?);
    text(if count == 1 { one } else { many })
}

/// xstrings `Shuffle`: Fisher-Yates over the characters (Go uses math/rand; we use ctx.rng).
fn shuffle(ctx: &mut CallCtx, args: &[Value]) -> FuncResult {
    let [s] = strs(args)?;
    let mut chars: Vec<char> = s.chars().collect();
    for i in (1..chars.len()).rev() {
        let j = ctx.rng.below(i as u64 + 1) as usize;
        chars.swap(i, j);
    }
    text(chars.into_iter().collect::<String>())
}

// ---- predicates ------------------------------------------------------------------------------

/// `contains SUBSTR S` (arguments swapped for pipelines).
fn contains(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    let [needle, s] = strs(args)?;
    Ok(Value::Bool(s.contains(needle)))
}

fn has_prefix(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    let [prefix, s] = strs(args)?;
    Ok(Value::Bool(s.starts_with(prefix)))
}

fn has_suffix(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    let [suffix, s] = strs(args)?;
    Ok(Value::Bool(s.ends_with(suffix)))
}

// ---- quoting and joining ---------------------------------------------------------------------

/// Sprig's `strval` on the raw bytes, so `%q` can escape invalid UTF-8 in `[]byte` values.
fn strval_bytes(v: &Value) -> Vec<u8> {
    match v {
        Value::Bytes(b) => b.to_vec(),
        other => strval(other).into_bytes(),
    }
}

/// `quote A B…`: each non-nil argument as Go's `%q` of its `strval`, joined by spaces.
fn quote(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    let parts: Vec<String> =
        args.iter().filter(|v| !matches!(v, Value::Nil)).map(|v| go_quote(&strval_bytes(v))).collect();
    text(parts.join(" "))
}

/// `squote A B…`: each non-nil argument as `'%v'` (no escaping), joined by spaces.
fn squote(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    let parts: Vec<String> = args.iter().filter(|v| !matches!(v, Value::Nil)).map(|v| format!("'{v}'")).collect();
    text(parts.join(" "))
}

/// `cat A B…`: the non-nil arguments as `%v`, joined by spaces.
fn cat(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    let parts: Vec<String> = args.iter().filter(|v| !matches!(v, Value::Nil)).map(Value::to_string).collect();
    text(parts.join(" "))
}

/// `strings.Split`/`SplitN`: `n < 0` means all parts, `n == 0` none; an empty separator
/// splits into characters (`explode`), unlike Rust's `split("")`.
fn go_split<'a>(s: &'a str, sep: &str, n: i64) -> Vec<&'a str> {
    if n == 0 {
        return Vec::new();
    }
    if !sep.is_empty() {
        return match usize::try_from(n) {
            Ok(n) => s.splitn(n, sep).collect(),
            Err(_) => s.split(sep).collect(),
        };
    }
    let count = s.chars().count();
    let n = usize::try_from(n).map_or(count, |n| n.min(count));
    let mut out = Vec::with_capacity(n);
    let mut rest = s;
    for c in s.chars().take(n.saturating_sub(1)) {
        out.push(&rest[..c.len_utf8()]);
        rest = &rest[c.len_utf8()..];
    }
    if n > 0 {
        out.push(rest);
    }
    out
}

/// Sprig's `split`/`splitn` result: a dict with keys `_0`, `_1`, ….
fn indexed_map(parts: Vec<&str>) -> Value {
    let map: Map = parts.into_iter().enumerate().map(|(i, p)| (format!("_{i}"), Value::str(p))).collect();
    Value::map(map)
}

/// `split SEP S` → `{_0: …, _1: …}`.
fn split(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    let [sep, s] = strs(args)?;
    Ok(indexed_map(go_split(s, sep, -1)))
}

/// `splitList SEP S` → list of strings.
fn split_list(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    let [sep, s] = strs(args)?;
    Ok(str_list(go_split(s, sep, -1)))
}

/// `splitn SEP N S` → `{_0: …}` with at most N parts.
fn splitn(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 3)?;
    let (sep, n, s) = (expect_str(&args[0])?, expect_int(&args[1])?, expect_str(&args[2])?);
    Ok(indexed_map(go_split(s, sep, n)))
}

/// Sprig `strslice`: a list's non-nil elements through `strval`; a `[]byte` gives its byte
/// values ("104"); nil gives nothing; any other value is a one-element list.
fn strslice(v: &Value) -> Vec<String> {
    match v {
        Value::List(items) => items.iter().filter(|x| !matches!(x, Value::Nil)).map(strval).collect(),
        Value::Bytes(b) => b.iter().map(u8::to_string).collect(),
        Value::Nil => Vec::new(),
        other => vec![strval(other)],
    }
}

/// `join SEP LIST`.
fn join(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 2)?;
    let sep = expect_str(&args[0])?;
    text(strslice(&args[1]).join(sep))
}

/// `sortAlpha LIST`: sorted strings (byte order); a non-list gives `[strval(v)]`, so nil
/// gives `["<nil>"]`.
fn sort_alpha(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 1)?;
    let mut items = match &args[0] {
        v @ (Value::List(_) | Value::Bytes(_)) => strslice(v),
        other => vec![strval(other)],
    };
    items.sort_unstable();
    Ok(str_list(items))
}

/// `toString V` = Sprig `strval`.
fn to_string(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 1)?;
    match &args[0] {
        s @ (Value::Str(_) | Value::BinStr(_)) => Ok(s.clone()),
        Value::Bytes(b) => Ok(Value::go_string(b.to_vec())),
        other => text(strval(other)),
    }
}

/// `toStrings V` = Sprig `strslice`.
fn to_strings(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 1)?;
    Ok(str_list(strslice(&args[0])))
}

// ---- numbers -----------------------------------------------------------------------------

/// `atoi S` = `strconv.Atoi` with the error dropped: 0 for malformed input, the clamped
/// extreme for out-of-range input (what Atoi returns alongside its range error).
fn atoi(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    let [s] = strs(args)?;
    let n = match s.parse::<i64>() {
        Ok(n) => n,
        Err(e) => match e.kind() {
            std::num::IntErrorKind::PosOverflow => i64::MAX,
            std::num::IntErrorKind::NegOverflow => i64::MIN,
            _ => 0,
        },
    };
    Ok(Value::Int(n))
}

/// `int V` / `int64 V`: spf13/cast `ToInt64`, errors dropped (0).
fn to_int(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 1)?;
    Ok(Value::Int(cast_to_int64(&args[0])))
}

/// `float64 V`: spf13/cast `ToFloat64`, errors dropped (0).
fn to_float(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 1)?;
    Ok(Value::Float(cast_to_float64(&args[0])))
}

/// cast v1.7 `ToInt64E`: floats truncate, bools are 0/1, strings go through
/// `strconv.ParseInt(trimZeroDecimal(s), 0, 0)` (no white-space trimming), else 0.
pub(super) fn cast_to_int64(v: &Value) -> i64 {
    match v {
        Value::Int(i) => *i,
        Value::Float(f) => *f as i64,
        Value::Bool(b) => i64::from(*b),
        Value::Str(s) => parse_int_base0(trim_zero_decimal(s)).unwrap_or(0),
        _ => 0,
    }
}

/// cast v1.7 `ToFloat64E`: strings go through `strconv.ParseFloat(s, 64)`, else 0.
pub(super) fn cast_to_float64(v: &Value) -> f64 {
    match v {
        Value::Int(i) => *i as f64,
        Value::Float(f) => *f,
        Value::Bool(b) => f64::from(u8::from(*b)),
        Value::Str(s) => parse_go_float(s).unwrap_or(0.0),
        _ => 0.0,
    }
}

/// cast's `trimZeroDecimal`: "12.00" → "12", "12.50" unchanged, ".0" → "".
fn trim_zero_decimal(s: &str) -> &str {
    let mut found_zero = false;
    for (i, b) in s.bytes().enumerate().rev() {
        match b {
            b'.' if found_zero => return &s[..i],
            b'.' => {}
            b'0' => found_zero = true,
            _ => return s,
        }
    }
    s
}

/// strconv's `underscoreOK`: underscores only between digits (or after a base prefix).
fn underscore_ok(s: &str) -> bool {
    let s = s.strip_prefix(['+', '-']).unwrap_or(s).as_bytes();
    let mut saw = b'^';
    let mut i = 0;
    let mut hex = false;
    if s.len() >= 2 && s[0] == b'0' && matches!(s[1].to_ascii_lowercase(), b'b' | b'o' | b'x') {
        i = 2;
        saw = b'0';
        hex = s[1].eq_ignore_ascii_case(&b'x');
    }
    for &c in &s[i..] {
        if c.is_ascii_digit() || hex && c.is_ascii_hexdigit() {
            saw = b'0';
        } else if c == b'_' {
            if saw != b'0' {
                return false;
            }
            saw = b'_';
        } else {
            if saw == b'_' {
                return false;
            }
            saw = b'!';
        }
    }
    saw != b'_'
}

/// `strconv.ParseInt(s, 0, 64)`: optional sign, `0x`/`0o`/`0b` or leading-`0` octal,
/// underscores per Go syntax; `None` on syntax or range errors.
fn parse_int_base0(s: &str) -> Option<i64> {
    let (neg, body) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let b = body.as_bytes();
    let (radix, digits) = match b {
        [b'0', p, _, ..] if p.eq_ignore_ascii_case(&b'x') => (16, &body[2..]),
        [b'0', p, _, ..] if p.eq_ignore_ascii_case(&b'o') => (8, &body[2..]),
        [b'0', p, _, ..] if p.eq_ignore_ascii_case(&b'b') => (2, &body[2..]),
        [b'0', ..] => (8, &body[1..]),
        [] => return None,
        _ => (10, body),
    };
    if digits.contains('_') && !underscore_ok(s) {
        return None;
    }
    let mut n: u64 = 0;
    let mut any = radix == 8 && digits.is_empty(); // "0" alone is a valid octal zero
    for c in digits.chars().filter(|&c| c != '_') {
        let d = c.to_digit(radix)?;
        n = n.checked_mul(u64::from(radix))?.checked_add(u64::from(d))?;
        any = true;
    }
    if !any {
        return None;
    }
    if neg {
        if n > 1 << 63 {
            return None;
        }
        Some((n as i64).wrapping_neg())
    } else {
        i64::try_from(n).ok()
    }
}

/// `strconv.ParseFloat(s, 64)`: decimal syntax with Go's underscores, `inf`/`infinity`
/// (signed) and `nan` (unsigned) in any case; overflow is an error. Hex floats (`0x1p4`)
/// are not supported and read as errors.
fn parse_go_float(s: &str) -> Option<f64> {
    let unsigned = s.strip_prefix(['+', '-']).unwrap_or(s);
    let lower = unsigned.to_ascii_lowercase();
    if lower == "inf" || lower == "infinity" {
        return Some(if s.starts_with('-') { f64::NEG_INFINITY } else { f64::INFINITY });
    }
    if lower == "nan" {
        return (unsigned.len() == s.len()).then_some(f64::NAN);
    }
    if lower.starts_with("0x") || !unsigned.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
        return None;
    }
    let cleaned;
    let s = if s.contains('_') {
        if !underscore_ok(s) {
            return None;
        }
        cleaned = s.replace('_', "");
        cleaned.as_str()
    } else {
        s
    };
    let f: f64 = s.parse().ok()?;
    f.is_finite().then_some(f)
}

/// `toDecimal V`: `strconv.ParseInt(fmt.Sprint(V), 8, 64)`, 0 on error (Unix modes: "0755"
/// → 493).
fn to_decimal(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 1)?;
    let printed = args[0].to_string();
    let digits = printed.strip_prefix(['+', '-']).unwrap_or(&printed);
    let ok = !digits.is_empty() && digits.bytes().all(|b| (b'0'..=b'7').contains(&b));
    let n = if ok { i64::from_str_radix(&printed, 8).unwrap_or(0) } else { 0 };
    Ok(Value::Int(n))
}

/// Sprig `untilStep` as a plain vector: counts from `start` towards `stop` (exclusive) by
/// `step`; a step pointing away from `stop`, or zero, gives nothing.
fn until_step_vec(start: i64, stop: i64, step: i64) -> Result<Vec<i64>, FuncError> {
    let ascending = stop >= start;
    if step == 0 || (step > 0) != ascending {
        return Ok(Vec::new());
    }
    let span = stop.abs_diff(start);
    let count = span.div_ceil(step.unsigned_abs());
    if count > MAX_LIST_LEN as u64 {
        return Err(too_large("untilStep"));
    }
    // Every element lies between start and stop, but k * step alone may overflow.
    Ok((0..i128::from(count)).map(|k| (i128::from(start) + k * i128::from(step)) as i64).collect())
}

fn int_list(v: Vec<i64>) -> Value {
    Value::list(v.into_iter().map(Value::Int).collect())
}

/// `until N`: 0…N-1 (or 0 down to N+1 for negative N), as ints.
fn until(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 1)?;
    let count = expect_int(&args[0])?;
    let step = if count < 0 { -1 } else { 1 };
    Ok(int_list(until_step_vec(0, count, step)?))
}

/// `untilStep START STOP STEP`.
fn until_step(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 3)?;
    let (start, stop, step) = (expect_int(&args[0])?, expect_int(&args[1])?, expect_int(&args[2])?);
    Ok(int_list(until_step_vec(start, stop, step)?))
}

/// `seq [START [STEP]] END`, GNU-seq-like as Sprig implements it, returned as a
/// space-separated string. `seq 0` gives "1 0" (Sprig counts down to the end inclusive).
fn seq(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    let params: Vec<i64> = args.iter().map(expect_int).collect::<Result<_, _>>()?;
    let nums = match params[..] {
        [end] => {
            let inc = if end < 1 { -1 } else { 1 };
            until_step_vec(1, end.saturating_add(inc), inc)?
        }
        [start, end] => {
            let step = if end < start { -1 } else { 1 };
            until_step_vec(start, end.saturating_add(step), step)?
        }
        [start, step, end] => {
            if end < start && step > 0 {
                return text("");
            }
            let inc = if end < start { -1 } else { 1 };
            until_step_vec(start, end.saturating_add(inc), step)?
        }
        _ => Vec::new(),
    };
    let words: Vec<String> = nums.iter().map(i64::to_string).collect();
    text(words.join(" "))
}

// ---- random strings --------------------------------------------------------------------------

/// goutils' crypto-random strings draw uniformly from these alphabets; a negative count is
/// an error Sprig drops (""), so is zero.
fn random_from(ctx: &mut CallCtx, args: &[Value], alphabet: &[u8]) -> FuncResult {
    arity(args, 1)?;
    let count = expect_int(&args[0])?;
    let Ok(count) = usize::try_from(count) else { return text("") };
    if count > MAX_RESULT_BYTES {
        return Err(too_large("random string"));
    }
    let out: String = (0..count).map(|_| char::from(alphabet[ctx.rng.below(alphabet.len() as u64) as usize])).collect();
    text(out)
}

const DIGITS: &[u8] = b"0123456789";
const LETTERS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const ALPHANUM: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/// Printable ASCII, space through `~`.
const ASCII: &[u8] =
    b" !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~";

fn rand_alpha(ctx: &mut CallCtx, args: &[Value]) -> FuncResult {
    random_from(ctx, args, LETTERS)
}

fn rand_alpha_num(ctx: &mut CallCtx, args: &[Value]) -> FuncResult {
    random_from(ctx, args, ALPHANUM)
}

fn rand_numeric(ctx: &mut CallCtx, args: &[Value]) -> FuncResult {
    random_from(ctx, args, DIGITS)
}

fn rand_ascii(ctx: &mut CallCtx, args: &[Value]) -> FuncResult {
    random_from(ctx, args, ASCII)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(name: &str, args: Vec<Value>) -> FuncResult {
        let f = Registry::standard().get(name).unwrap_or_else(|| panic!("{name} is not registered"));
        f(&mut CallCtx::default(), &args)
    }

    fn s(v: &str) -> Value {
        Value::str(v)
    }

    fn i(v: i64) -> Value {
        Value::Int(v)
    }

    fn list(items: Vec<Value>) -> Value {
        Value::list(items)
    }

    fn strs_of(items: &[&str]) -> Value {
        str_list(items.iter().copied())
    }

    /// Run a table of (function, args, expected result) cases.
    fn check(cases: Vec<(&str, Vec<Value>, Value)>) {
        for (name, args, want) in cases {
            let got = call(name, args.clone());
            assert_eq!(got, Ok(want), "{name} {args:?}");
        }
    }

    fn call_err(msg: &str) -> Result<Value, FuncError> {
        Err(FuncError::Call(msg.into()))
    }

    #[test]
    fn trimming() {
        check(vec![
            // Go strings.TrimSpace trims Unicode white space, NBSP included.
            ("trim", vec![s(" \t hi \n\u{a0}")], s("hi")),
            // sprig: trimAll CUTSET S trims any cutset character from both ends.
            ("trimAll", vec![s("$"), s("$$5.00$")], s("5.00")),
            ("trimall", vec![s("-_"), s("_-a-_")], s("a")),
            ("trimPrefix", vec![s("-"), s("--hi")], s("-hi")),
            ("trimSuffix", vec![s("-"), s("hi--")], s("hi-")),
            // an empty cutset trims nothing
            ("trimAll", vec![s(""), s(" a ")], s(" a ")),
        ]);
        // text/template: a string parameter does not accept an int.
        assert_eq!(call("trim", vec![i(1)]), Err(FuncError::WrongType { expected: "string", got: "int".into() }));
        assert_eq!(call("trim", vec![Value::Nil]), Err(FuncError::InvalidNil { expected: "string" }));
        assert_eq!(call("trimAll", vec![s("a")]), Err(FuncError::Arity { want: 2, got: 1, at_least: false }));
    }

    #[test]
    fn case_mappings() {
        check(vec![
            // Go's simple case mapping: ß has no single upper-case form and stays.
            ("upper", vec![s("hello ß ǆ")], s("HELLO ß Ǆ")),
            // Go's unicode.ToLower(İ) is plain i; no final-sigma rule either.
            ("lower", vec![s("HELLO İ ΟΔΟΣ")], s("hello i οδοσ")),
            // strings.Title: ASCII punctuation separates words, '_' does not.
            ("title", vec![s("hello world foo-bar baz_qux it's")], s("Hello World Foo-Bar Baz_qux It'S")),
            // ToTitle of a digraph is its title-case form, not upper case.
            ("title", vec![s("ǆemal")], s("ǅemal")),
            // goutils Uncapitalize: first letter of each white-space separated word.
            ("untitle", vec![s("HELLO  World-Wide")], s("hELLO  world-Wide")),
            // goutils SwapCase (sprig doc example).
            ("swapcase", vec![s("This Is A.Test")], s("tHIS iS a.tEST")),
            // lower case after white space becomes title case: ǆ → ǅ, elsewhere upper: Ǆ.
            ("swapcase", vec![s("ǆǆ")], s("ǅǄ")),
        ]);
    }

    #[test]
    fn snake_kebab_camel() {
        // xstrings v1.5.0 ToSnakeCase doc examples.
        let snake = [
            ("FirstName", "first_name"),
            ("HTTPServer", "http_server"),
            ("NoHTTPS", "no_https"),
            ("GO_PATH", "go_path"),
            ("GO PATH", "go_path"),
            ("GO-PATH", "go_path"),
            ("http2xx", "http_2xx"),
            ("HTTP20xOK", "http_20x_ok"),
            ("Duration2m3s", "duration_2m3s"),
            ("Bld4Floor3rd", "bld4_floor_3rd"),
            ("", ""),
            ("a__b", "a__b"),
        ];
        for (input, want) in snake {
            assert_eq!(call("snakecase", vec![s(input)]), Ok(s(want)), "snakecase {input}");
            let kebab = want.replace('_', "-");
            assert_eq!(call("kebabcase", vec![s(input)]), Ok(s(&kebab)), "kebabcase {input}");
        }
        // xstrings v1.5.0 ToCamelCase (lower camel case since v1.5.0) doc examples.
        let camel = [
            ("some_words", "someWords"),
            ("http_server", "httpServer"),
            ("no_https", "noHttps"),
            ("_complex__case_", "_complex_Case_"),
            ("some words", "someWords"),
            ("GOLANG_IS_GREAT", "golangIsGreat"),
            ("a", "a"),
            ("", ""),
            // an all-connector input gains a connector (xstrings writes the last rune twice)
            ("__", "___"),
        ];
        for (input, want) in camel {
            assert_eq!(call("camelcase", vec![s(input)]), Ok(s(want)), "camelcase {input}");
        }
    }

    #[test]
    fn repeat_and_indent() {
        check(vec![
            ("repeat", vec![i(3), s("ab")], s("ababab")),
            ("repeat", vec![i(0), s("ab")], s("")),
            // sprig: indent pads every line, empty ones and the trailing one included.
            ("indent", vec![i(2), s("a\n\nb\n")], s("  a\n  \n  b\n  ")),
            ("nindent", vec![i(2), s("a")], s("\n  a")),
            ("indent", vec![i(0), s("a\nb")], s("a\nb")),
        ]);
        // strings.Repeat panics on a negative count; Helm reports the panic.
        assert_eq!(call("repeat", vec![i(-1), s("x")]), call_err("strings: negative Repeat count"));
        assert_eq!(call("indent", vec![i(-2), s("x")]), call_err("strings: negative Repeat count"));
        // An int parameter does not accept a float64 (numbers from values are float64).
        assert_eq!(
            call("indent", vec![Value::Float(2.0), s("x")]),
            Err(FuncError::WrongType { expected: "int", got: "float64".into() })
        );
        assert!(matches!(call("repeat", vec![i(1 << 40), s("x")]), Err(FuncError::Call(_))));
    }

    #[test]
    fn substr_and_trunc() {
        check(vec![
            ("substr", vec![i(0), i(5), s("hello world")], s("hello")),
            // sprig: a negative start means s[:end]
            ("substr", vec![i(-1), i(5), s("hello world")], s("hello")),
            // a negative or too large end means s[start:]
            ("substr", vec![i(6), i(-1), s("hello world")], s("world")),
            ("substr", vec![i(6), i(100), s("hello world")], s("world")),
            ("substr", vec![i(3), i(3), s("abc")], s("")),
            ("trunc", vec![i(5), s("hello world")], s("hello")),
            // sprig: a negative length keeps the end
            ("trunc", vec![i(-5), s("hello world")], s("world")),
            ("trunc", vec![i(20), s("hello")], s("hello")),
            ("trunc", vec![i(-20), s("hello")], s("hello")),
            // byte offsets: cutting inside a character leaves U+FFFD here (raw bytes in Go)
            ("trunc", vec![i(1), s("é")], s("\u{FFFD}")),
        ]);
        // Go slice panics, as Helm reports them.
        let cases = [
            (4, 2, "hello", "runtime error: slice bounds out of range [4:2]"),
            (-1, 10, "abc", "runtime error: slice bounds out of range [:10] with length 3"),
            (-1, -1, "abc", "runtime error: slice bounds out of range [:-1]"),
            (5, -1, "abc", "runtime error: slice bounds out of range [5:3]"),
        ];
        for (start, end, text, msg) in cases {
            assert_eq!(call("substr", vec![i(start), i(end), s(text)]), call_err(msg));
        }
    }

    #[test]
    fn byte_oriented_goutils() {
        check(vec![
            ("nospace", vec![s("hello w o r l d")], s("helloworld")),
            // goutils re-encodes bytes as code points once something is removed
            ("nospace", vec![s("é è")], s("Ã©Ã¨")),
            ("nospace", vec![s("é")], s("é")),
            ("initials", vec![s("First Try")], s("FT")),
            ("initials", vec![s("élan vital")], s("Ãv")),
            ("initials", vec![s("")], s("")),
            // commons-lang/goutils abbreviate examples
            ("abbrev", vec![i(5), s("hello world")], s("he...")),
            ("abbrev", vec![i(3), s("hello world")], s("hello world")),
            ("abbrev", vec![i(20), s("hello")], s("hello")),
            ("abbrevboth", vec![i(5), i(10), s("1234 5678 9123")], s("...5678...")),
            ("abbrevboth", vec![i(5), i(10), s("abcdefghijklmno")], s("...fghi...")),
            ("abbrevboth", vec![i(-1), i(10), s("abcdefghijklmno")], s("abcdefg...")),
            ("abbrevboth", vec![i(10), i(10), s("abcdefghijklmno")], s("...ijklmno")),
            ("abbrevboth", vec![i(12), i(10), s("abcdefghijklmno")], s("...ijklmno")),
            // sprig returns the input when the widths are too small
            ("abbrevboth", vec![i(0), i(3), s("abcdefghij")], s("abcdefghij")),
            ("abbrevboth", vec![i(1), i(6), s("abcdefghij")], s("abcdefghij")),
        ]);
    }

    #[test]
    fn wrapping() {
        check(vec![
            // goutils Wrap test
            (
                "wrap",
                vec![i(20), s("Here is one line of text that is going to be wrapped after 20 columns.")],
                s("Here is one line of\ntext that is going\nto be wrapped after\n20 columns."),
            ),
            ("wrap", vec![i(5), s("Hello World")], s("Hello\nWorld")),
            // long words are not split by wrap...
            ("wrap", vec![i(3), s("abcdefg hi")], s("abcdefg\nhi")),
            // ...but are by wrapWith (sprig doc example first)
            ("wrapWith", vec![i(5), s("\t"), s("Hello World")], s("Hello\tWorld")),
            ("wrapWith", vec![i(3), s("\n"), s("abcdefg")], s("abc\ndef\ng")),
            ("wrap", vec![i(0), s("a b")], s("a\nb")),
            ("wrap", vec![i(10), s("")], s("")),
        ]);
    }

    #[test]
    fn predicates_replace_plural_shuffle() {
        check(vec![
            ("contains", vec![s("cat"), s("catch")], Value::Bool(true)),
            ("contains", vec![s("dog"), s("catch")], Value::Bool(false)),
            ("hasPrefix", vec![s("cat"), s("catch")], Value::Bool(true)),
            ("hasSuffix", vec![s("ch"), s("catch")], Value::Bool(true)),
            ("replace", vec![s(" "), s("-"), s("a b c")], s("a-b-c")),
            // strings.Replace with an empty old string inserts around each character
            ("replace", vec![s(""), s("-"), s("ab")], s("-a-b-")),
            ("plural", vec![s("one"), s("many"), i(1)], s("one")),
            ("plural", vec![s("one"), s("many"), i(0)], s("many")),
        ]);
        assert_eq!(
            call("plural", vec![s("one"), s("many"), Value::Float(1.0)]),
            Err(FuncError::WrongType { expected: "int", got: "float64".into() })
        );
        // shuffle permutes the characters, deterministically for a given ctx
        let Ok(Value::Str(ref a)) = call("shuffle", vec![s("abcdéf")]) else { panic!("shuffle failed") };
        let mut sorted: Vec<char> = a.chars().collect();
        sorted.sort_unstable();
        assert_eq!(sorted.into_iter().collect::<String>(), "abcdfé");
        assert_eq!(call("shuffle", vec![s("abcdéf")]), Ok(Value::Str(a.clone())));
    }

    #[test]
    fn quoting() {
        check(vec![
            // sprig quote: %q of strval, nil arguments skipped
            ("quote", vec![s("a"), i(1), Value::Nil, s("b\"c")], s(r#""a" "1" "b\"c""#)),
            ("quote", vec![Value::Nil], s("")),
            ("quote", vec![], s("")),
            ("quote", vec![Value::Float(1e6)], s("\"1e+06\"")),
            // Go %q: printable Unicode kept; controls and NBSP escaped
            ("quote", vec![s("é\n\x01\u{a0}\u{200b}\u{1F600}")], s("\"é\\n\\x01\\u00a0\\u200b\u{1F600}\"")),
            // invalid UTF-8 in a []byte is escaped byte by byte
            ("quote", vec![Value::Bytes(Rc::from(&b"\xffa"[..]))], s("\"\\xffa\"")),
            // squote: '%v', no escaping
            ("squote", vec![s("a"), Value::Nil, i(2), s("it's")], s("'a' '2' 'it's'")),
            // cat: %v of the non-nil arguments
            ("cat", vec![s("a"), Value::Nil, i(1), list(vec![s("x"), s("y")])], s("a 1 [x y]")),
            ("cat", vec![], s("")),
        ]);
    }

    #[test]
    fn splitting_and_joining() {
        let map = |pairs: &[(&str, &str)]| Value::map(pairs.iter().map(|(k, v)| (k.to_string(), s(v))).collect());
        check(vec![
            // sprig split: a dict keyed _0, _1, …
            ("split", vec![s("$"), s("foo$bar$baz")], map(&[("_0", "foo"), ("_1", "bar"), ("_2", "baz")])),
            ("splitn", vec![s("$"), i(2), s("foo$bar$baz")], map(&[("_0", "foo"), ("_1", "bar$baz")])),
            ("splitn", vec![s(","), i(0), s("a,b")], map(&[])),
            ("splitn", vec![s(""), i(2), s("abc")], map(&[("_0", "a"), ("_1", "bc")])),
            ("splitList", vec![s(","), s("a,b,,c")], strs_of(&["a", "b", "", "c"])),
            // strings.Split with an empty separator splits into characters
            ("splitList", vec![s(""), s("aé")], strs_of(&["a", "é"])),
            ("splitList", vec![s(""), s("")], strs_of(&[])),
            ("splitList", vec![s(","), s("")], strs_of(&[""])),
            // join: strval of each element, nils dropped, any value accepted
            ("join", vec![s("-"), list(vec![s("a"), Value::Nil, i(1), Value::Float(2.5)])], s("a-1-2.5")),
            ("join", vec![s(","), s("abc")], s("abc")),
            ("join", vec![s(","), Value::Nil], s("")),
            // a []byte is a slice of uint8 to reflection
            ("join", vec![s(","), Value::Bytes(Rc::from(&b"hi"[..]))], s("104,105")),
            // sortAlpha: byte order; a non-list is [strval(v)]
            ("sortAlpha", vec![list(vec![s("c"), s("a"), s("B"), i(10), i(9)])], strs_of(&["10", "9", "B", "a", "c"])),
            ("sortAlpha", vec![Value::Nil], strs_of(&["<nil>"])),
            ("sortAlpha", vec![s("x")], strs_of(&["x"])),
            ("toStrings", vec![list(vec![i(1), s("a"), Value::Nil, Value::Bool(true)])], strs_of(&["1", "a", "true"])),
            ("toStrings", vec![Value::Nil], strs_of(&[])),
            ("toString", vec![Value::Float(1.5)], s("1.5")),
            ("toString", vec![Value::Nil], s("<nil>")),
            ("toString", vec![Value::Bytes(Rc::from(&b"hi"[..]))], s("hi")),
            ("toString", vec![list(vec![i(1), s("a")])], s("[1 a]")),
        ]);
        assert_eq!(
            call("join", vec![i(1), list(vec![])]),
            Err(FuncError::WrongType { expected: "string", got: "int".into() })
        );
    }

    #[test]
    fn integer_conversions() {
        let cases: Vec<(Value, i64)> = vec![
            (s("42"), 42),
            // cast parses with base 0: hex, octal (leading 0 or 0o), binary, underscores
            (s("0x1F"), 31),
            (s("017"), 15),
            (s("0o17"), 15),
            (s("0b101"), 5),
            (s("-0x10"), -16),
            (s("+5"), 5),
            (s("1_000"), 1000),
            (s("0"), 0),
            // trimZeroDecimal: "3.0" → 3, but "3.5" is not an integer
            (s("3.0"), 3),
            (s("3.50"), 0),
            // no white-space trimming in cast
            (s(" 3"), 0),
            (s("_1"), 0),
            (s("0x"), 0),
            (s("08"), 0),
            (s(""), 0),
            (s("9223372036854775807"), i64::MAX),
            (s("9223372036854775808"), 0),
            (s("-9223372036854775808"), i64::MIN),
            (Value::Float(3.9), 3),
            (Value::Float(-3.9), -3),
            (Value::Bool(true), 1),
            (Value::Nil, 0),
            (list(vec![i(1)]), 0),
        ];
        for (input, want) in cases {
            assert_eq!(call("int", vec![input.clone()]), Ok(i(want)), "int {input:?}");
            assert_eq!(call("int64", vec![input.clone()]), Ok(i(want)), "int64 {input:?}");
        }
        check(vec![
            // strconv.Atoi, error dropped: 0, or the clamped value on overflow
            ("atoi", vec![s("42")], i(42)),
            ("atoi", vec![s("-7")], i(-7)),
            ("atoi", vec![s(" 42")], i(0)),
            ("atoi", vec![s("4.2")], i(0)),
            ("atoi", vec![s("0x10")], i(0)),
            ("atoi", vec![s("99999999999999999999")], i(i64::MAX)),
            ("atoi", vec![s("-99999999999999999999")], i(i64::MIN)),
            // toDecimal: ParseInt(fmt.Sprint(v), 8, 64), 0 on error
            ("toDecimal", vec![s("0777")], i(511)),
            ("toDecimal", vec![s("777")], i(511)),
            ("toDecimal", vec![i(755)], i(493)),
            ("toDecimal", vec![Value::Float(644.0)], i(420)),
            ("toDecimal", vec![s("-10")], i(-8)),
            ("toDecimal", vec![s("8")], i(0)),
            ("toDecimal", vec![s("0o7")], i(0)),
            ("toDecimal", vec![Value::Nil], i(0)),
        ]);
        assert_eq!(call("atoi", vec![i(1)]), Err(FuncError::WrongType { expected: "string", got: "int".into() }));
        assert_eq!(call("int", vec![]), Err(FuncError::Arity { want: 1, got: 0, at_least: false }));
    }

    #[test]
    fn float_conversion() {
        let cases: Vec<(Value, f64)> = vec![
            (s("1.5"), 1.5),
            (s("1e3"), 1000.0),
            (s(".5"), 0.5),
            (s("1.e2"), 100.0),
            // strconv.ParseFloat accepts Go-style underscores
            (s("1_000.5"), 1000.5),
            (s("-Infinity"), f64::NEG_INFINITY),
            (s("+inf"), f64::INFINITY),
            // errors become 0: a signed NaN, overflow, white space, junk, hex without p
            (s("+nan"), 0.0),
            (s("1e400"), 0.0),
            (s(" 1.5"), 0.0),
            (s("abc"), 0.0),
            (s("0x10"), 0.0),
            (i(3), 3.0),
            (Value::Bool(true), 1.0),
            (Value::Nil, 0.0),
        ];
        for (input, want) in cases {
            assert_eq!(call("float64", vec![input.clone()]), Ok(Value::Float(want)), "float64 {input:?}");
        }
        let Ok(Value::Float(nan)) = call("float64", vec![s("NaN")]) else { panic!("float64 NaN") };
        assert!(nan.is_nan());
    }

    #[test]
    fn sequences() {
        let ints = |v: &[i64]| list(v.iter().map(|&n| i(n)).collect());
        check(vec![
            ("until", vec![i(3)], ints(&[0, 1, 2])),
            ("until", vec![i(-3)], ints(&[0, -1, -2])),
            ("until", vec![i(0)], ints(&[])),
            ("untilStep", vec![i(0), i(10), i(3)], ints(&[0, 3, 6, 9])),
            ("untilStep", vec![i(10), i(0), i(-3)], ints(&[10, 7, 4, 1])),
            // a step pointing away from the stop, or zero, yields nothing
            ("untilStep", vec![i(0), i(10), i(-1)], ints(&[])),
            ("untilStep", vec![i(0), i(10), i(0)], ints(&[])),
            ("untilStep", vec![i(i64::MIN), i(i64::MAX), i(i64::MAX)], ints(&[i64::MIN, -1, i64::MAX - 1])),
            // sprig seq: END, START END, START STEP END; inclusive; a string result
            ("seq", vec![i(3)], s("1 2 3")),
            ("seq", vec![i(0)], s("1 0")),
            ("seq", vec![i(-2)], s("1 0 -1 -2")),
            ("seq", vec![i(2), i(5)], s("2 3 4 5")),
            ("seq", vec![i(5), i(2)], s("5 4 3 2")),
            ("seq", vec![i(0), i(2), i(10)], s("0 2 4 6 8 10")),
            ("seq", vec![i(1), i(2), i(4)], s("1 3")),
            ("seq", vec![i(10), i(-2), i(0)], s("10 8 6 4 2 0")),
            ("seq", vec![i(10), i(2), i(0)], s("")),
            ("seq", vec![i(0), i(-2), i(10)], s("")),
            ("seq", vec![], s("")),
            ("seq", vec![i(1), i(2), i(3), i(4)], s("")),
        ]);
        assert_eq!(call("seq", vec![s("3")]), Err(FuncError::WrongType { expected: "int", got: "string".into() }));
        assert!(matches!(call("until", vec![i(1 << 40)]), Err(FuncError::Call(_))));
    }

    #[test]
    fn random_strings() {
        let get = |name: &str, n: i64| match call(name, vec![i(n)]) {
            Ok(Value::Str(ref v)) => v.to_string(),
            other => panic!("{name}: {other:?}"),
        };
        let alpha = get("randAlpha", 40);
        assert!(alpha.len() == 40 && alpha.bytes().all(|b| b.is_ascii_alphabetic()));
        let alnum = get("randAlphaNum", 40);
        assert!(alnum.len() == 40 && alnum.bytes().all(|b| b.is_ascii_alphanumeric()));
        let digits = get("randNumeric", 40);
        assert!(digits.len() == 40 && digits.bytes().all(|b| b.is_ascii_digit()));
        let ascii = get("randAscii", 200);
        assert!(ascii.len() == 200 && ascii.bytes().all(|b| (32..=126).contains(&b)));
        // deterministic for a fresh context; zero and negative counts give ""
        assert_eq!(get("randAlpha", 40), alpha);
        assert_eq!(get("randAlpha", 0), "");
        assert_eq!(get("randNumeric", -1), "");
    }

    #[test]
    fn go_quote_escapes() {
        assert_eq!(go_quote(b"a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(go_quote(b"\x07\x08\x0c\x0b\x7f"), r#""\a\b\f\v\x7f""#);
        assert_eq!(go_quote("\u{feff}\u{e000}\u{10ffff}".as_bytes()), r#""\ufeff\ue000\U0010ffff""#);
        assert_eq!(go_quote(b"\xe2\x82"), r#""\xe2\x82""#);
    }
}
