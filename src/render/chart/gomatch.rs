//! Go's `path/filepath.Match` (Unix flavour): `*` and `?` never match `/`, `[...]` classes
//! with `^` negation and ranges, `\` escapes. Malformed patterns are `ErrBadPattern`
//! ("syntax error in pattern") even when the name would have failed to match earlier, as in
//! Go ≥ 1.16.

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadPattern;

impl std::fmt::Display for BadPattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("syntax error in pattern")
    }
}

#[derive(Clone, Debug)]
enum Tok {
    Star,
    Any,
    Lit(char),
    Class { negate: bool, ranges: Vec<(char, char)> },
}

/// A compiled pattern; compile once, match many names.
#[derive(Clone, Debug)]
pub struct Pattern {
    toks: Vec<Tok>,
}

impl Pattern {
    pub fn new(pattern: &str) -> Result<Pattern, BadPattern> {
        let chars: Vec<char> = pattern.chars().collect();
        let mut toks = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            match chars[i] {
                '*' => {
                    toks.push(Tok::Star);
                    i += 1;
                }
                '?' => {
                    toks.push(Tok::Any);
                    i += 1;
                }
                '\\' => {
                    let c = *chars.get(i + 1).ok_or(BadPattern)?;
                    toks.push(Tok::Lit(c));
                    i += 2;
                }
                '[' => {
                    let (tok, next) = class(&chars, i + 1)?;
                    toks.push(tok);
                    i = next;
                }
                c => {
                    toks.push(Tok::Lit(c));
                    i += 1;
                }
            }
        }
        Ok(Pattern { toks })
    }

    pub fn matches(&self, name: &str) -> bool {
        let name: Vec<char> = name.chars().collect();
        match_from(&self.toks, &name)
    }
}

/// One character of a class: `\x` escapes; a bare `-` or `]` is malformed.
fn class_char(chars: &[char], i: usize) -> Result<(char, usize), BadPattern> {
    match chars.get(i) {
        None | Some('-') | Some(']') => Err(BadPattern),
        Some('\\') => chars.get(i + 1).map(|&c| (c, i + 2)).ok_or(BadPattern),
        Some(&c) => Ok((c, i + 1)),
    }
}

fn class(chars: &[char], mut i: usize) -> Result<(Tok, usize), BadPattern> {
    let negate = chars.get(i) == Some(&'^');
    if negate {
        i += 1;
    }
    let mut ranges = Vec::new();
    loop {
        if chars.get(i) == Some(&']') && !ranges.is_empty() {
            return Ok((Tok::Class { negate, ranges }, i + 1));
        }
        let (lo, next) = class_char(chars, i)?;
        i = next;
        let mut hi = lo;
        if chars.get(i) == Some(&'-') {
            let (h, next) = class_char(chars, i + 1)?;
            hi = h;
            i = next;
            if hi < lo {
                return Err(BadPattern);
            }
        }
        ranges.push((lo, hi));
    }
}

fn match_from(toks: &[Tok], name: &[char]) -> bool {
    let Some((first, rest)) = toks.split_first() else { return name.is_empty() };
    match first {
        Tok::Star => {
            // `*` takes any run of non-separator characters, shortest first.
            for take in 0..=name.len() {
                if match_from(rest, &name[take..]) {
                    return true;
                }
                if name.get(take) == Some(&'/') {
                    break;
                }
            }
            false
        }
        _ => match name.split_first() {
            Some((&c, tail)) if single(first, c) => match_from(rest, tail),
            _ => false,
        },
    }
}

fn single(tok: &Tok, c: char) -> bool {
    match tok {
        Tok::Any => c != '/',
        Tok::Lit(l) => *l == c,
        Tok::Class { negate, ranges } => c != '/' && ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi) != *negate,
        Tok::Star => false,
    }
}

/// `filepath.Match(pattern, name)`.
pub fn matches(pattern: &str, name: &str) -> Result<bool, BadPattern> {
    Pattern::new(pattern).map(|p| p.matches(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    // Go's path/filepath match_test.go table (Unix cases).
    #[test]
    fn go_match_table() {
        let cases: &[(&str, &str, Result<bool, BadPattern>)] = &[
            ("abc", "abc", Ok(true)),
            ("*", "abc", Ok(true)),
            ("*c", "abc", Ok(true)),
            ("a*", "a", Ok(true)),
            ("a*", "abc", Ok(true)),
            ("a*", "ab/c", Ok(false)),
            ("a*/b", "abc/b", Ok(true)),
            ("a*/b", "a/c/b", Ok(false)),
            ("a*b*c*d*e*/f", "axbxcxdxe/f", Ok(true)),
            ("a*b*c*d*e*/f", "axbxcxdxexxx/f", Ok(true)),
            ("a*b*c*d*e*/f", "axbxcxdxe/xxx/f", Ok(false)),
            ("a*b*c*d*e*/f", "axbxcxdxexxx/fff", Ok(false)),
            ("a*b?c*x", "abxbbxdbxebxczzx", Ok(true)),
            ("a*b?c*x", "abxbbxdbxebxczzy", Ok(false)),
            ("ab[c]", "abc", Ok(true)),
            ("ab[b-d]", "abc", Ok(true)),
            ("ab[e-g]", "abc", Ok(false)),
            ("ab[^c]", "abc", Ok(false)),
            ("ab[^b-d]", "abc", Ok(false)),
            ("ab[^e-g]", "abc", Ok(true)),
            ("a\\*b", "a*b", Ok(true)),
            ("a\\*b", "ab", Ok(false)),
            ("a?b", "a☺b", Ok(true)),
            ("a[^a]b", "a☺b", Ok(true)),
            ("a???b", "a☺b", Ok(false)),
            ("a[^a][^a][^a]b", "a☺b", Ok(false)),
            ("[a-ζ]*", "α", Ok(true)),
            ("*[a-ζ]", "A", Ok(false)),
            ("a?b", "a/b", Ok(false)),
            ("a*b", "a/b", Ok(false)),
            ("[\\]a]", "]", Ok(true)),
            ("[\\-]", "-", Ok(true)),
            ("[x\\-]", "x", Ok(true)),
            ("[x\\-]", "-", Ok(true)),
            ("[x\\-]", "z", Ok(false)),
            ("[\\-x]", "x", Ok(true)),
            ("[\\-x]", "-", Ok(true)),
            ("[\\-x]", "a", Ok(false)),
            ("[]a]", "]", Err(BadPattern)),
            ("[-]", "-", Err(BadPattern)),
            ("[x-]", "x", Err(BadPattern)),
            ("[x-]", "-", Err(BadPattern)),
            ("[x-]", "z", Err(BadPattern)),
            ("[-x]", "x", Err(BadPattern)),
            ("[-x]", "-", Err(BadPattern)),
            ("[-x]", "a", Err(BadPattern)),
            ("\\", "a", Err(BadPattern)),
            ("[a-b-c]", "a", Err(BadPattern)),
            ("[", "a", Err(BadPattern)),
            ("[^", "a", Err(BadPattern)),
            ("[^bc", "a", Err(BadPattern)),
            ("a[", "a", Err(BadPattern)),
            ("a[", "ab", Err(BadPattern)),
            ("a[", "x", Err(BadPattern)),
            ("a/b[", "x", Err(BadPattern)),
            ("*x", "xxx", Ok(true)),
        ];
        for (pattern, name, want) in cases {
            assert_eq!(&matches(pattern, name), want, "Match({pattern:?}, {name:?})");
        }
    }
}
