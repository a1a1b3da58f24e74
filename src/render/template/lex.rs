//! Lexer for Go's text/template, after `text/template/parse/lex.go`: text runs, `{{`/`}}`
//! with `{{- ` / ` -}}` whitespace trimming (the dash must touch whitespace), comments that
//! must abut their delimiters, and the tokens inside actions. Offsets are byte positions in
//! the template text.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tok {
    Text,
    LeftDelim,
    RightDelim,
    Comment,
    Space,
    Identifier,
    Keyword(Keyword),
    Field,
    Variable,
    Dot,
    Bool,
    Nil,
    Number,
    Char,
    String,
    RawString,
    Pipe,
    LeftParen,
    RightParen,
    Declare,
    Assign,
    Comma,
    Eof,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keyword {
    Block,
    Break,
    Continue,
    Define,
    Else,
    End,
    If,
    Range,
    Template,
    With,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub tok: Tok,
    pub start: u32,
    pub end: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LexError {
    pub pos: u32,
    pub message: String,
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

fn is_alnum(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

pub fn lex(src: &str) -> Result<Vec<Token>, LexError> {
    let mut lx = Lexer { src, b: src.as_bytes(), pos: 0, toks: Vec::new(), paren_depth: 0 };
    lx.run()?;
    Ok(lx.toks)
}

struct Lexer<'a> {
    src: &'a str,
    b: &'a [u8],
    pos: usize,
    toks: Vec<Token>,
    paren_depth: usize,
}

impl Lexer<'_> {
    fn emit(&mut self, tok: Tok, start: usize, end: usize) {
        self.toks.push(Token { tok, start: start as u32, end: end as u32 });
    }

    fn err<T>(&self, pos: usize, message: impl Into<String>) -> Result<T, LexError> {
        Err(LexError { pos: pos as u32, message: message.into() })
    }

    fn run(&mut self) -> Result<(), LexError> {
        let mut trim_next_text = false;
        loop {
            let text_start = self.pos;
            let next = self.src[self.pos..].find("{{").map(|i| self.pos + i);
            let delim = next.unwrap_or(self.b.len());
            // `{{- ` trims the whitespace before it.
            let trim_left = next
                .is_some_and(|d| self.b.get(d + 2) == Some(&b'-') && self.b.get(d + 3).copied().is_some_and(is_space));
            let mut start = text_start;
            let mut end = delim;
            if trim_next_text {
                while start < end && is_space(self.b[start]) {
                    start += 1;
                }
            }
            if trim_left {
                while end > start && is_space(self.b[end - 1]) {
                    end -= 1;
                }
            }
            if end > start {
                self.emit(Tok::Text, start, end);
            }
            let Some(d) = next else {
                self.emit(Tok::Eof, self.b.len(), self.b.len());
                return Ok(());
            };
            self.pos = d + 2;
            if trim_left {
                self.pos += 2; // the dash and one space
            }
            trim_next_text = self.action(d)?;
        }
    }

    /// Lex one action starting at `open` (the `{{`); returns whether it ends with ` -}}`.
    fn action(&mut self, open: usize) -> Result<bool, LexError> {
        // Comment: `{{/*` ... `*/}}` (trim markers allowed around it).
        if self.src[self.pos..].starts_with("/*") {
            let body_end = match self.src[self.pos + 2..].find("*/") {
                Some(i) => self.pos + 2 + i + 2,
                None => return self.err(open, "unclosed comment"),
            };
            let (trim, close) = self
                .right_delim_at(body_end)
                .ok_or(LexError { pos: open as u32, message: "comment ends before closing delimiter".into() })?;
            self.emit(Tok::Comment, open, close);
            self.pos = close;
            return Ok(trim);
        }
        self.emit(Tok::LeftDelim, open, self.pos);
        self.paren_depth = 0;
        loop {
            if let Some((trim, close)) = self.right_delim_at(self.pos) {
                if self.paren_depth > 0 {
                    return self.err(self.pos, "unclosed left paren");
                }
                let delim_start = if trim { close - 4 } else { close - 2 };
                self.emit(Tok::RightDelim, delim_start, close);
                self.pos = close;
                return Ok(trim);
            }
            let Some(c) = self.src[self.pos..].chars().next() else {
                return self.err(open, "unclosed action");
            };
            let start = self.pos;
            match c {
                ' ' | '\t' | '\r' | '\n' => {
                    while self.pos < self.b.len()
                        && is_space(self.b[self.pos])
                        && self.right_delim_at(self.pos).is_none()
                    {
                        self.pos += 1;
                    }
                    self.emit(Tok::Space, start, self.pos);
                }
                '=' => {
                    self.pos += 1;
                    self.emit(Tok::Assign, start, self.pos);
                }
                ':' => {
                    if self.b.get(self.pos + 1) != Some(&b'=') {
                        return self.err(start, "expected :=");
                    }
                    self.pos += 2;
                    self.emit(Tok::Declare, start, self.pos);
                }
                '|' => {
                    self.pos += 1;
                    self.emit(Tok::Pipe, start, self.pos);
                }
                ',' => {
                    self.pos += 1;
                    self.emit(Tok::Comma, start, self.pos);
                }
                '"' => self.quoted(b'"', Tok::String, "unterminated quoted string")?,
                '`' => {
                    match self.src[self.pos + 1..].find('`') {
                        Some(i) => self.pos += i + 2,
                        None => return self.err(start, "unterminated raw quoted string"),
                    }
                    self.emit(Tok::RawString, start, self.pos);
                }
                '\'' => self.quoted(b'\'', Tok::Char, "unterminated character constant")?,
                '$' => {
                    self.pos += 1;
                    self.scan_alnum();
                    self.emit(Tok::Variable, start, self.pos);
                }
                '.' => {
                    // `.5` is a number; `.Name` a field; `.` alone is dot.
                    let next = self.src[self.pos + 1..].chars().next();
                    if next.is_some_and(|n| n.is_ascii_digit()) && !self.after_operand() {
                        self.number()?;
                    } else if next.is_some_and(is_alnum) {
                        self.pos += 1;
                        self.scan_alnum();
                        self.emit(Tok::Field, start, self.pos);
                    } else {
                        self.pos += 1;
                        self.emit(Tok::Dot, start, self.pos);
                    }
                }
                '+' | '-' | '0'..='9' => self.number()?,
                '(' => {
                    self.pos += 1;
                    self.paren_depth += 1;
                    self.emit(Tok::LeftParen, start, self.pos);
                }
                ')' => {
                    self.pos += 1;
                    if self.paren_depth == 0 {
                        return self.err(start, "unexpected right paren");
                    }
                    self.paren_depth -= 1;
                    self.emit(Tok::RightParen, start, self.pos);
                }
                c if is_alnum(c) => {
                    self.scan_alnum();
                    let word = &self.src[start..self.pos];
                    let tok = match word {
                        "block" => Tok::Keyword(Keyword::Block),
                        "break" => Tok::Keyword(Keyword::Break),
                        "continue" => Tok::Keyword(Keyword::Continue),
                        "define" => Tok::Keyword(Keyword::Define),
                        "else" => Tok::Keyword(Keyword::Else),
                        "end" => Tok::Keyword(Keyword::End),
                        "if" => Tok::Keyword(Keyword::If),
                        "range" => Tok::Keyword(Keyword::Range),
                        "template" => Tok::Keyword(Keyword::Template),
                        "with" => Tok::Keyword(Keyword::With),
                        "true" | "false" => Tok::Bool,
                        "nil" => Tok::Nil,
                        _ => Tok::Identifier,
                    };
                    self.emit(tok, start, self.pos);
                }
                other => return self.err(start, format!("unrecognized character in action: {other:?}")),
            }
        }
    }

    /// A right delimiter at `at`: `}}` or ` -}}` (space required before the dash).
    /// Returns (trims, position after `}}`).
    fn right_delim_at(&self, at: usize) -> Option<(bool, usize)> {
        let rest = self.b.get(at..)?;
        if rest.starts_with(b"}}") {
            return Some((false, at + 2));
        }
        if rest.len() >= 4 && is_space(rest[0]) && rest[1] == b'-' && rest[2] == b'}' && rest[3] == b'}' {
            return Some((true, at + 4));
        }
        None
    }

    fn after_operand(&self) -> bool {
        matches!(self.toks.last().map(|t| t.tok), Some(Tok::RightParen | Tok::Variable | Tok::Field | Tok::Identifier))
    }

    fn scan_alnum(&mut self) {
        while let Some(c) = self.src[self.pos..].chars().next() {
            if !is_alnum(c) {
                break;
            }
            self.pos += c.len_utf8();
        }
    }

    fn quoted(&mut self, quote: u8, tok: Tok, unterminated: &str) -> Result<(), LexError> {
        let start = self.pos;
        self.pos += 1;
        loop {
            match self.b.get(self.pos) {
                None | Some(b'\n') => return self.err(start, unterminated),
                Some(b'\\') => self.pos += 2,
                Some(&c) if c == quote => {
                    self.pos += 1;
                    break;
                }
                Some(_) => self.pos += 1,
            }
        }
        self.emit(tok, start, self.pos.min(self.b.len()));
        Ok(())
    }

    /// Go number syntax, loosely scanned here; the parser validates it.
    fn number(&mut self) -> Result<(), LexError> {
        let start = self.pos;
        if matches!(self.b.get(self.pos), Some(b'+' | b'-')) {
            self.pos += 1;
        }
        let mut prev = 0u8;
        while let Some(&c) = self.b.get(self.pos) {
            let exp_sign = (c == b'+' || c == b'-')
                && matches!(prev, b'e' | b'E' | b'p' | b'P')
                && !self.src[start..self.pos].to_ascii_lowercase().starts_with("0x");
            let hex_exp_sign = (c == b'+' || c == b'-') && matches!(prev, b'p' | b'P');
            if c.is_ascii_alphanumeric() || c == b'_' || c == b'.' || exp_sign || hex_exp_sign {
                prev = c;
                self.pos += 1;
            } else {
                break;
            }
        }
        if self.pos == start + 1 && matches!(self.b[start], b'+' | b'-') {
            return self.err(start, format!("bad number syntax: {:?}", &self.src[start..self.pos]));
        }
        self.emit(Tok::Number, start, self.pos);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<(Tok, String)> {
        lex(src).unwrap().into_iter().map(|t| (t.tok, src[t.start as usize..t.end as usize].to_string())).collect()
    }

    #[test]
    fn trim_markers_need_whitespace() {
        // text/template doc: "{{- 3}}" trims; "{{-3}}" is the number -3.
        let toks = kinds("a  {{- 3 -}}  b");
        assert_eq!(toks[0], (Tok::Text, "a".into()));
        assert_eq!(toks.last().unwrap().0, Tok::Eof);
        assert!(toks.contains(&(Tok::Text, "b".into())));
        let toks = kinds("a {{-3}}");
        assert_eq!(toks[0], (Tok::Text, "a ".into()));
        assert!(toks.contains(&(Tok::Number, "-3".into())));
    }

    #[test]
    fn comments_and_fields() {
        let toks = kinds("{{/* hi */}}{{ .Values.x | quote }}");
        assert_eq!(toks[0].0, Tok::Comment);
        let names: Vec<_> = toks.iter().filter(|(t, _)| *t == Tok::Field).map(|(_, s)| s.as_str()).collect();
        assert_eq!(names, [".Values", ".x"]);
        assert!(lex("{{/* unclosed }}").is_err());
    }

    #[test]
    fn strings_variables_and_declarations() {
        let toks = kinds(r#"{{ $x := "a\"b" }}{{ range $i, $e := . }}"#);
        assert!(toks.contains(&(Tok::Variable, "$x".into())));
        assert!(toks.contains(&(Tok::Declare, ":=".into())));
        assert!(toks.contains(&(Tok::String, r#""a\"b""#.into())));
        assert!(toks.contains(&(Tok::Comma, ",".into())));
    }

    #[test]
    fn errors() {
        assert!(lex("{{ .x ").is_err());
        assert!(lex("{{ \"abc }}").is_err());
        assert!(lex("{{ ) }}").is_err());
    }
}
