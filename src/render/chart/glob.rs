//! gobwas/glob with `/` as the separator, as `.Files.Glob` compiles patterns: `*` stays within
//! a path segment, `**` crosses segments, `?` is one non-separator character, `[a-z]` /
//! `[!a-z]` are classes, `{a,b}` are alternatives and `\` escapes. Helm falls back to `**`
//! (everything) when a pattern does not compile.

#[derive(Clone, Debug)]
enum Tok {
    Star,
    SuperStar,
    Any,
    Lit(char),
    Class { negate: bool, items: Vec<(char, char)> },
}

/// A compiled glob: alternatives are expanded into plain token sequences.
#[derive(Clone, Debug)]
pub struct Glob {
    alternatives: Vec<Vec<Tok>>,
}

impl Glob {
    pub fn new(pattern: &str) -> Option<Glob> {
        let chars: Vec<char> = pattern.chars().collect();
        let (alternatives, end) = parse_seq(&chars, 0, false)?;
        (end == chars.len()).then_some(Glob { alternatives })
    }

    /// Helm's use: an invalid pattern matches everything.
    pub fn compile_or_all(pattern: &str) -> Glob {
        Glob::new(pattern).unwrap_or(Glob { alternatives: vec![vec![Tok::SuperStar]] })
    }

    pub fn matches(&self, name: &str) -> bool {
        let name: Vec<char> = name.chars().collect();
        self.alternatives.iter().any(|toks| match_toks(toks, &name))
    }
}

/// Parse a sequence until the end (or, inside braces, until `,` or `}`); returns every
/// expansion of the braces it contains.
fn parse_seq(chars: &[char], mut i: usize, in_braces: bool) -> Option<(Vec<Vec<Tok>>, usize)> {
    let mut seqs: Vec<Vec<Tok>> = vec![Vec::new()];
    let push = |seqs: &mut Vec<Vec<Tok>>, t: Tok| seqs.iter_mut().for_each(|s| s.push(t.clone()));
    while i < chars.len() {
        match chars[i] {
            ',' | '}' if in_braces => return Some((seqs, i)),
            '*' => {
                if chars.get(i + 1) == Some(&'*') {
                    push(&mut seqs, Tok::SuperStar);
                    i += 2;
                } else {
                    push(&mut seqs, Tok::Star);
                    i += 1;
                }
            }
            '?' => {
                push(&mut seqs, Tok::Any);
                i += 1;
            }
            '\\' => {
                let c = *chars.get(i + 1)?;
                push(&mut seqs, Tok::Lit(c));
                i += 2;
            }
            '[' => {
                let (tok, next) = parse_class(chars, i + 1)?;
                push(&mut seqs, tok);
                i = next;
            }
            '{' => {
                let mut options: Vec<Vec<Tok>> = Vec::new();
                let mut j = i + 1;
                loop {
                    let (alts, end) = parse_seq(chars, j, true)?;
                    options.extend(alts);
                    match chars.get(end) {
                        Some(',') => j = end + 1,
                        Some('}') => {
                            i = end + 1;
                            break;
                        }
                        _ => return None,
                    }
                }
                let mut next = Vec::new();
                for s in &seqs {
                    for o in &options {
                        let mut joined = s.clone();
                        joined.extend(o.iter().cloned());
                        next.push(joined);
                    }
                }
                // Guard against pathological brace explosions.
                if next.len() > 4096 {
                    return None;
                }
                seqs = next;
            }
            c => {
                push(&mut seqs, Tok::Lit(c));
                i += 1;
            }
        }
    }
    if in_braces {
        return None;
    }
    Some((seqs, i))
}

fn parse_class(chars: &[char], mut i: usize) -> Option<(Tok, usize)> {
    let negate = chars.get(i) == Some(&'!');
    if negate {
        i += 1;
    }
    let mut items = Vec::new();
    loop {
        let c = *chars.get(i)?;
        if c == ']' {
            if items.is_empty() {
                return None;
            }
            return Some((Tok::Class { negate, items }, i + 1));
        }
        let lo = if c == '\\' {
            i += 1;
            *chars.get(i)?
        } else {
            c
        };
        i += 1;
        if chars.get(i) == Some(&'-') && chars.get(i + 1).is_some_and(|&h| h != ']') {
            let hi = chars[i + 1];
            items.push((lo, hi));
            i += 2;
        } else {
            items.push((lo, lo));
        }
    }
}

fn match_toks(toks: &[Tok], name: &[char]) -> bool {
    let Some((first, rest)) = toks.split_first() else { return name.is_empty() };
    match first {
        Tok::Star | Tok::SuperStar => {
            for take in 0..=name.len() {
                if match_toks(rest, &name[take..]) {
                    return true;
                }
                if matches!(first, Tok::Star) && name.get(take) == Some(&'/') {
                    break;
                }
            }
            false
        }
        _ => match name.split_first() {
            Some((&c, tail)) if single(first, c) => match_toks(rest, tail),
            _ => false,
        },
    }
}

fn single(tok: &Tok, c: char) -> bool {
    match tok {
        Tok::Any => c != '/',
        Tok::Lit(l) => *l == c,
        Tok::Class { negate, items } => items.iter().any(|&(lo, hi)| lo <= c && c <= hi) != *negate,
        Tok::Star | Tok::SuperStar => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(pattern: &str, name: &str) -> bool {
        Glob::compile_or_all(pattern).matches(name)
    }

    // Oracle: .Files.Glob over conf/{a,b,c,d,empty}.txt and dir/{bool,f,long,num}.txt,
    // dir/sub/e.txt (helm-render, Helm 4.2.3).
    #[test]
    fn gobwas_semantics() {
        assert!(m("**.txt", "dir/sub/e.txt"));
        assert!(m("*/*.txt", "conf/a.txt"));
        assert!(!m("*/*.txt", "dir/sub/e.txt"));
        assert!(m("{conf,dir}/?.txt", "dir/f.txt"));
        assert!(!m("{conf,dir}/?.txt", "dir/num.txt"));
        assert!(m("[", "anything/at/all"));
        assert!(m("conf/[a-c].txt", "conf/b.txt"));
        assert!(!m("conf/[!a-c].txt", "conf/b.txt"));
        assert!(m("prometheus_rules/**.yaml", "prometheus_rules/x/y.yaml"));
        assert!(m("files/crds/minimal/*.yaml", "files/crds/minimal/a.yaml"));
        assert!(!m("dashboards/*.json", "dashboards/x/y.json"));
    }
}
