//! Parser for Go's text/template (after `text/template/parse/parse.go`). Produces trees whose
//! nodes keep byte positions into the template text, for errors and the source map.

use std::collections::HashMap;
use std::rc::Rc;

use super::lex::{lex, Keyword, Tok, Token};

pub type Pos = u32;

/// Go's limit on nested parenthesised pipelines (`maxStackDepth` in text/template/parse:
/// "max expression depth exceeded"); we apply the same bound to nested blocks and
/// `else if` chains, which Go leaves to its growable stack.
pub const MAX_PARSE_DEPTH: usize = 10_000;

#[derive(Debug)]
pub enum Node {
    Text { pos: Pos, end: Pos },
    Action { pos: Pos, end: Pos, pipe: Pipe },
    If(Control),
    Range(Control),
    With(Control),
    Template { pos: Pos, end: Pos, name: String, pipe: Option<Pipe> },
    Break { pos: Pos },
    Continue { pos: Pos },
}

#[derive(Debug)]
pub struct Control {
    pub pos: Pos,
    pub pipe: Pipe,
    pub list: Vec<Node>,
    pub else_list: Option<Vec<Node>>,
}

/// Trees nest as deep as [`MAX_PARSE_DEPTH`]: dropping them recurses as deep, so it grows
/// the stack on the heap when it runs low, like the parser and the executor.
impl Drop for Control {
    fn drop(&mut self) {
        let (list, else_list) = (std::mem::take(&mut self.list), self.else_list.take());
        stacker::maybe_grow(64 * 1024, 1024 * 1024, move || drop((list, else_list)));
    }
}

impl Drop for Pipe {
    fn drop(&mut self) {
        let cmds = std::mem::take(&mut self.cmds);
        stacker::maybe_grow(64 * 1024, 1024 * 1024, move || drop(cmds));
    }
}

#[derive(Debug)]
pub struct Pipe {
    pub pos: Pos,
    pub end: Pos,
    pub decl: Vec<String>,
    pub is_assign: bool,
    pub cmds: Vec<Command>,
}

#[derive(Debug)]
pub struct Command {
    pub pos: Pos,
    pub end: Pos,
    pub args: Vec<Arg>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    Int(i64),
    Float(f64),
}

#[derive(Debug)]
pub enum Arg {
    /// `.a.b`
    Field {
        pos: Pos,
        end: Pos,
        names: Vec<String>,
    },
    /// `$x.a.b` (names[0] is the variable)
    Variable {
        pos: Pos,
        end: Pos,
        names: Vec<String>,
    },
    /// `(pipeline).a.b`
    Chain {
        pos: Pos,
        end: Pos,
        node: Box<Arg>,
        names: Vec<String>,
    },
    Identifier {
        pos: Pos,
        end: Pos,
        name: String,
    },
    Dot {
        pos: Pos,
    },
    Nil {
        pos: Pos,
    },
    Bool {
        pos: Pos,
        value: bool,
    },
    Number {
        pos: Pos,
        end: Pos,
        value: Number,
    },
    Str {
        pos: Pos,
        end: Pos,
        value: Rc<str>,
    },
    Pipe {
        pos: Pos,
        end: Pos,
        pipe: Box<Pipe>,
    },
}

impl Arg {
    pub fn pos(&self) -> Pos {
        match self {
            Arg::Field { pos, .. }
            | Arg::Variable { pos, .. }
            | Arg::Chain { pos, .. }
            | Arg::Identifier { pos, .. }
            | Arg::Dot { pos }
            | Arg::Nil { pos }
            | Arg::Bool { pos, .. }
            | Arg::Number { pos, .. }
            | Arg::Str { pos, .. }
            | Arg::Pipe { pos, .. } => *pos,
        }
    }
}

/// One parsed template: a file, or a `define` block inside one.
#[derive(Debug)]
pub struct Tree {
    pub name: String,
    /// Name of the file it was parsed from (Go's `ParseName`), for error positions.
    pub parse_name: String,
    /// The same name, shared by source-map segments.
    pub file: Rc<str>,
    pub source: Rc<str>,
    pub root: Vec<Node>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// Name of the file being parsed.
    pub name: String,
    pub pos: Pos,
    pub line: u32,
    pub message: String,
}

impl std::fmt::Display for ParseError {
    /// Go: `template: NAME:LINE: MESSAGE`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "template: {}:{}: {}", self.name, self.line, self.message)
    }
}

/// Parse `source` (named `name`) into its main tree plus every `define`/`block` it declares.
pub fn parse(name: &str, source: Rc<str>, is_func: &dyn Fn(&str) -> bool) -> Result<Vec<Tree>, ParseError> {
    let toks = lex(&source).map_err(|e| ParseError {
        name: name.into(),
        pos: e.pos,
        line: line_of(&source, e.pos),
        message: e.message,
    })?;
    let mut p = Parser {
        name,
        src: Rc::clone(&source),
        toks,
        i: 0,
        is_func,
        vars: vec!["$".into()],
        defined: Vec::new(),
        depth: 0,
        range_depth: 0,
    };
    let root = p.list_top()?;
    let mut trees = vec![Tree {
        name: name.to_string(),
        parse_name: name.to_string(),
        file: Rc::from(name),
        source: Rc::clone(&source),
        root,
    }];
    trees.append(&mut p.defined);
    Ok(trees)
}

pub fn line_of(src: &str, pos: Pos) -> u32 {
    1 + src.as_bytes()[..(pos as usize).min(src.len())].iter().filter(|&&b| b == b'\n').count() as u32
}

/// Byte column (0-based, as Go reports it) of `pos`.
pub fn col_of(src: &str, pos: Pos) -> u32 {
    let pos = (pos as usize).min(src.len());
    let line_start = src[..pos].rfind('\n').map_or(0, |i| i + 1);
    (pos - line_start) as u32
}

enum Terminator {
    End,
    Else,
    ElseIf(Pos),
    ElseWith(Pos),
    Eof,
}

struct Parser<'a> {
    name: &'a str,
    src: Rc<str>,
    toks: Vec<Token>,
    i: usize,
    is_func: &'a dyn Fn(&str) -> bool,
    vars: Vec<String>,
    defined: Vec<Tree>,
    /// Nesting of blocks and parenthesised pipelines being parsed (bounded: the parser
    /// recurses on them).
    depth: usize,
    /// Ranges enclosing the current position in this tree (`break`/`continue` need one).
    range_depth: usize,
}

impl Parser<'_> {
    /// Run `f` one nesting level deeper: bounded by [`MAX_PARSE_DEPTH`], on a stack grown on
    /// the heap when it runs low.
    fn nested<T>(
        &mut self,
        pos: Pos,
        message: &str,
        f: impl FnOnce(&mut Self) -> Result<T, ParseError>,
    ) -> Result<T, ParseError> {
        if self.depth >= MAX_PARSE_DEPTH {
            return self.err(pos, message);
        }
        self.depth += 1;
        let r = stacker::maybe_grow(64 * 1024, 1024 * 1024, || f(self));
        self.depth -= 1;
        r
    }

    fn err<T>(&self, pos: Pos, message: impl Into<String>) -> Result<T, ParseError> {
        Err(ParseError { name: self.name.to_string(), pos, line: line_of(&self.src, pos), message: message.into() })
    }

    fn text(&self, t: Token) -> &str {
        &self.src[t.start as usize..t.end as usize]
    }

    fn peek(&self) -> Token {
        self.toks[self.i.min(self.toks.len() - 1)]
    }

    fn next(&mut self) -> Token {
        let t = self.peek();
        self.i = (self.i + 1).min(self.toks.len());
        t
    }

    fn skip_space(&mut self) {
        while self.peek().tok == Tok::Space {
            self.i += 1;
        }
    }

    fn peek_non_space(&mut self) -> Token {
        self.skip_space();
        self.peek()
    }

    fn next_non_space(&mut self) -> Token {
        self.skip_space();
        self.next()
    }

    fn expect(&mut self, tok: Tok, context: &str) -> Result<Token, ParseError> {
        let t = self.next_non_space();
        if t.tok != tok {
            let what = self.text(t).to_string();
            return self.err(t.start, format!("unexpected {} in {context}", describe(t.tok, &what)));
        }
        Ok(t)
    }

    fn list_top(&mut self) -> Result<Vec<Node>, ParseError> {
        let (list, end) = self.item_list()?;
        match end {
            Terminator::Eof => Ok(list),
            _ => {
                let t = self.toks[self.i.saturating_sub(1)];
                self.err(t.start, format!("unexpected {}", describe(t.tok, self.text(t))))
            }
        }
    }

    /// Nodes up to `{{end}}`, `{{else}}` or EOF.
    fn item_list(&mut self) -> Result<(Vec<Node>, Terminator), ParseError> {
        let mut list = Vec::new();
        loop {
            let t = self.next();
            match t.tok {
                Tok::Eof => return Ok((list, Terminator::Eof)),
                Tok::Text => list.push(Node::Text { pos: t.start, end: t.end }),
                Tok::Comment => {}
                Tok::LeftDelim => {
                    let k = self.peek_non_space();
                    match k.tok {
                        Tok::Keyword(Keyword::End) => {
                            self.next();
                            self.expect(Tok::RightDelim, "end")?;
                            return Ok((list, Terminator::End));
                        }
                        Tok::Keyword(Keyword::Else) => {
                            self.next();
                            let after = self.peek_non_space();
                            match after.tok {
                                Tok::Keyword(Keyword::If) => {
                                    self.next();
                                    return Ok((list, Terminator::ElseIf(after.start)));
                                }
                                Tok::Keyword(Keyword::With) => {
                                    self.next();
                                    return Ok((list, Terminator::ElseWith(after.start)));
                                }
                                _ => {
                                    self.expect(Tok::RightDelim, "else")?;
                                    return Ok((list, Terminator::Else));
                                }
                            }
                        }
                        Tok::Keyword(Keyword::Define) => {
                            self.next();
                            self.define(k.start)?;
                        }
                        _ => list.push(self.action(t.start)?),
                    }
                }
                _ => return self.err(t.start, format!("unexpected {}", describe(t.tok, self.text(t)))),
            }
        }
    }

    fn define(&mut self, pos: Pos) -> Result<(), ParseError> {
        let name_tok = self.next_non_space();
        let name = match name_tok.tok {
            Tok::String | Tok::RawString => unquote(self.text(name_tok)).map_err(|m| ParseError {
                name: self.name.into(),
                pos,
                line: line_of(&self.src, pos),
                message: m,
            })?,
            _ => return self.err(name_tok.start, "define: expected name"),
        };
        self.expect(Tok::RightDelim, "define clause")?;
        self.definition_body(pos, name, "define")
    }

    /// The body of a `define` or `block` up to its `{{end}}`, kept as a named tree. Variables
    /// of the enclosing template are not visible inside it.
    fn definition_body(&mut self, pos: Pos, name: String, context: &str) -> Result<(), ParseError> {
        let saved = std::mem::replace(&mut self.vars, vec!["$".into()]);
        let saved_ranges = std::mem::take(&mut self.range_depth);
        let listed = self.item_list();
        // Restored on errors too: an enclosing range counts its depth back down.
        self.vars = saved;
        self.range_depth = saved_ranges;
        let (root, end) = listed?;
        if !matches!(end, Terminator::End) {
            return self.err(pos, format!("unexpected EOF in {context} clause"));
        }
        self.defined.push(Tree {
            name,
            parse_name: self.name.to_string(),
            file: Rc::from(self.name),
            source: Rc::clone(&self.src),
            root,
        });
        Ok(())
    }

    fn action(&mut self, pos: Pos) -> Result<Node, ParseError> {
        let k = self.peek_non_space();
        match k.tok {
            Tok::Keyword(Keyword::If) => {
                self.next();
                Ok(Node::If(self.control(k.start, "if", true)?))
            }
            Tok::Keyword(Keyword::Range) => {
                self.next();
                Ok(Node::Range(self.control(k.start, "range", false)?))
            }
            Tok::Keyword(Keyword::With) => {
                self.next();
                Ok(Node::With(self.control(k.start, "with", true)?))
            }
            Tok::Keyword(Keyword::Template) => {
                self.next();
                self.template_call(k.start, "template")
            }
            Tok::Keyword(Keyword::Block) => {
                self.next();
                self.block(k.start)
            }
            Tok::Keyword(Keyword::Break) | Tok::Keyword(Keyword::Continue) => {
                self.next();
                let word = self.text(k).to_string();
                self.expect(Tok::RightDelim, &word)?;
                if self.range_depth == 0 {
                    return self.err(k.start, format!("{{{{{word}}}}} outside {{{{range}}}}"));
                }
                Ok(if k.tok == Tok::Keyword(Keyword::Break) {
                    Node::Break { pos: k.start }
                } else {
                    Node::Continue { pos: k.start }
                })
            }
            _ => {
                let pipe = self.pipeline("command", Tok::RightDelim)?;
                Ok(Node::Action { pos, end: self.toks[self.i - 1].end, pipe })
            }
        }
    }

    fn control(&mut self, pos: Pos, context: &str, allow_else_chain: bool) -> Result<Control, ParseError> {
        let message = format!("max nesting depth exceeded ({MAX_PARSE_DEPTH} nested blocks)");
        self.nested(pos, &message, |p| p.control_body(pos, context, allow_else_chain))
    }

    fn control_body(&mut self, pos: Pos, context: &str, allow_else_chain: bool) -> Result<Control, ParseError> {
        let vars_len = self.vars.len();
        let pipe = self.pipeline(context, Tok::RightDelim)?;
        let in_range = context == "range";
        self.range_depth += usize::from(in_range);
        let listed = self.item_list();
        self.range_depth -= usize::from(in_range);
        let (list, end) = listed?;
        let else_list = match end {
            Terminator::End => None,
            Terminator::Else => {
                let (else_list, end) = self.item_list()?;
                if !matches!(end, Terminator::End) {
                    return self.err(pos, format!("expected end; found {}", end_name(&end)));
                }
                Some(else_list)
            }
            Terminator::ElseIf(p) | Terminator::ElseWith(p) if allow_else_chain => {
                // `{{else if x}}` is `{{else}}{{if x}}...{{end}}{{end}}` sharing the last end.
                let nested = if matches!(end, Terminator::ElseIf(_)) {
                    Node::If(self.control(p, "if", true)?)
                } else {
                    Node::With(self.control(p, "with", true)?)
                };
                Some(vec![nested])
            }
            Terminator::ElseIf(p) | Terminator::ElseWith(p) => {
                return self.err(p, format!("unexpected else chain in {context}"))
            }
            Terminator::Eof => return self.err(pos, format!("unexpected EOF in {context}")),
        };
        self.vars.truncate(vars_len);
        Ok(Control { pos, pipe, list, else_list })
    }

    fn template_call(&mut self, pos: Pos, context: &str) -> Result<Node, ParseError> {
        let name_tok = self.next_non_space();
        let name = match name_tok.tok {
            Tok::String | Tok::RawString => unquote(self.text(name_tok)).map_err(|m| ParseError {
                name: self.name.into(),
                pos,
                line: line_of(&self.src, pos),
                message: m,
            })?,
            _ => {
                return self.err(
                    name_tok.start,
                    format!("unexpected {} in {context} clause", describe(name_tok.tok, self.text(name_tok))),
                )
            }
        };
        let pipe = if self.peek_non_space().tok == Tok::RightDelim {
            self.next();
            None
        } else {
            Some(self.pipeline(context, Tok::RightDelim)?)
        };
        Ok(Node::Template { pos, end: self.toks[self.i - 1].end, name, pipe })
    }

    /// `{{block "name" pipeline}} default {{end}}` = define + template.
    fn block(&mut self, pos: Pos) -> Result<Node, ParseError> {
        let node = self.template_call(pos, "block")?;
        let Node::Template { name, .. } = &node else { return self.err(pos, "block") };
        let name = name.clone();
        self.definition_body(pos, name, "block")?;
        Ok(node)
    }

    fn pipeline(&mut self, context: &str, end_tok: Tok) -> Result<Pipe, ParseError> {
        let pos = self.peek_non_space().start;
        let mut pipe = Pipe { pos, end: pos, decl: Vec::new(), is_assign: false, cmds: Vec::new() };
        // Declarations: `$x :=`, `$x =`, `$i, $e :=` (range only).
        loop {
            let save = self.i;
            let v = self.next_non_space();
            if v.tok != Tok::Variable {
                self.i = save;
                break;
            }
            let next = self.peek_non_space();
            match next.tok {
                Tok::Declare | Tok::Assign => {
                    self.next();
                    pipe.is_assign = next.tok == Tok::Assign;
                    let name = self.text(v).to_string();
                    if pipe.is_assign && !self.vars.contains(&name) {
                        return self.err(v.start, format!("undefined variable {name:?}"));
                    }
                    pipe.decl.push(name.clone());
                    self.vars.push(name);
                    break;
                }
                Tok::Comma => {
                    self.next();
                    pipe.decl.push(self.text(v).to_string());
                    self.vars.push(self.text(v).to_string());
                    if context == "range" && pipe.decl.len() < 2 && self.peek_non_space().tok == Tok::Variable {
                        continue;
                    }
                    return self.err(v.start, format!("too many declarations in {context}"));
                }
                _ => {
                    self.i = save;
                    break;
                }
            }
        }
        loop {
            let t = self.peek_non_space();
            if t.tok == end_tok {
                self.next();
                pipe.end = t.end;
                if pipe.cmds.is_empty() {
                    return self.err(t.start, format!("missing value for {context}"));
                }
                return Ok(pipe);
            }
            match t.tok {
                Tok::Eof | Tok::RightDelim | Tok::RightParen => {
                    return self.err(t.start, format!("unexpected {} in {context}", describe(t.tok, self.text(t))));
                }
                _ => pipe.cmds.push(self.command(end_tok)?),
            }
        }
    }

    fn command(&mut self, end_tok: Tok) -> Result<Command, ParseError> {
        let pos = self.peek_non_space().start;
        let mut cmd = Command { pos, end: pos, args: Vec::new() };
        loop {
            self.skip_space();
            let operand = self.operand()?;
            cmd.end = self.toks[self.i - 1].end;
            cmd.args.push(operand);
            let t = self.peek();
            match t.tok {
                Tok::Space => {
                    let after = self.peek_non_space();
                    if after.tok == Tok::Pipe {
                        self.next();
                        return Ok(cmd);
                    }
                    if after.tok == end_tok || after.tok == Tok::RightDelim || after.tok == Tok::RightParen {
                        return Ok(cmd);
                    }
                }
                Tok::Pipe => {
                    self.next();
                    return Ok(cmd);
                }
                x if x == end_tok || x == Tok::RightDelim || x == Tok::RightParen => return Ok(cmd),
                _ => return self.err(t.start, format!("unexpected {} in operand", describe(t.tok, self.text(t)))),
            }
        }
    }

    fn operand(&mut self) -> Result<Arg, ParseError> {
        let term = self.term()?;
        if self.peek().tok != Tok::Field {
            return Ok(term);
        }
        let mut names = Vec::new();
        let mut end = 0;
        while self.peek().tok == Tok::Field {
            let f = self.next();
            names.push(self.text(f)[1..].to_string());
            end = f.end;
        }
        Ok(match term {
            Arg::Field { pos, names: mut first, .. } => {
                first.extend(names);
                Arg::Field { pos, end, names: first }
            }
            Arg::Variable { pos, names: mut first, .. } => {
                first.extend(names);
                Arg::Variable { pos, end, names: first }
            }
            Arg::Bool { pos, .. }
            | Arg::Str { pos, .. }
            | Arg::Number { pos, .. }
            | Arg::Nil { pos }
            | Arg::Dot { pos } => {
                return self.err(pos, "unexpected . after term");
            }
            other => Arg::Chain { pos: other.pos(), end, node: Box::new(other), names },
        })
    }

    fn term(&mut self) -> Result<Arg, ParseError> {
        let t = self.next_non_space();
        let text = self.text(t).to_string();
        Ok(match t.tok {
            Tok::Identifier => {
                if !(self.is_func)(&text) {
                    return self.err(t.start, format!("function {text:?} not defined"));
                }
                Arg::Identifier { pos: t.start, end: t.end, name: text }
            }
            Tok::Dot => Arg::Dot { pos: t.start },
            Tok::Nil => Arg::Nil { pos: t.start },
            Tok::Variable => {
                if !self.vars.iter().any(|v| v == &text) {
                    return self.err(t.start, format!("undefined variable {text:?}"));
                }
                Arg::Variable { pos: t.start, end: t.end, names: vec![text] }
            }
            Tok::Field => Arg::Field { pos: t.start, end: t.end, names: vec![text[1..].to_string()] },
            Tok::Bool => Arg::Bool { pos: t.start, value: text == "true" },
            Tok::Number => Arg::Number {
                pos: t.start,
                end: t.end,
                value: parse_number(&text).ok_or_else(|| ParseError {
                    name: self.name.into(),
                    pos: t.start,
                    line: line_of(&self.src, t.start),
                    message: format!("bad number syntax: {text:?}"),
                })?,
            },
            Tok::Char => {
                let s = unquote(&text.replace('\'', "\"")).map_err(|m| ParseError {
                    name: self.name.into(),
                    pos: t.start,
                    line: line_of(&self.src, t.start),
                    message: m,
                })?;
                let c = s.chars().next().map_or(0, |c| c as i64);
                Arg::Number { pos: t.start, end: t.end, value: Number::Int(c) }
            }
            Tok::String | Tok::RawString => {
                let value = unquote(&text).map_err(|m| ParseError {
                    name: self.name.into(),
                    pos: t.start,
                    line: line_of(&self.src, t.start),
                    message: m,
                })?;
                Arg::Str { pos: t.start, end: t.end, value: value.into() }
            }
            Tok::LeftParen => {
                let pipe = self.nested(t.start, "max expression depth exceeded", |p| {
                    p.pipeline("parenthesized pipeline", Tok::RightParen)
                })?;
                Arg::Pipe { pos: t.start, end: pipe.end, pipe: Box::new(pipe) }
            }
            _ => return self.err(t.start, format!("unexpected {} in operand", describe(t.tok, &text))),
        })
    }
}

fn end_name(end: &Terminator) -> &'static str {
    match end {
        Terminator::End => "end",
        Terminator::Else | Terminator::ElseIf(_) | Terminator::ElseWith(_) => "else",
        Terminator::Eof => "EOF",
    }
}

fn describe(tok: Tok, text: &str) -> String {
    match tok {
        Tok::Eof => "EOF".into(),
        Tok::RightDelim => "\"}}\"".into(),
        Tok::LeftDelim => "\"{{\"".into(),
        Tok::Keyword(_) => format!("<{text}>"),
        Tok::Space => "space".into(),
        _ => format!("{text:?}"),
    }
}

/// Go literal syntax: ints (base prefixes, underscores), floats, hex floats.
pub fn parse_number(text: &str) -> Option<Number> {
    let clean = text.replace('_', "");
    let (neg, body) = match clean.strip_prefix('-') {
        Some(b) => (true, b.to_string()),
        None => (false, clean.strip_prefix('+').unwrap_or(&clean).to_string()),
    };
    let lower = body.to_ascii_lowercase();
    let int = if let Some(h) = lower.strip_prefix("0x") {
        i64::from_str_radix(h, 16).ok()
    } else if let Some(o) = lower.strip_prefix("0o") {
        i64::from_str_radix(o, 8).ok()
    } else if let Some(b) = lower.strip_prefix("0b") {
        i64::from_str_radix(b, 2).ok()
    } else if lower.len() > 1 && lower.starts_with('0') && lower.bytes().all(|c| c.is_ascii_digit()) {
        i64::from_str_radix(&lower[1..], 8).ok()
    } else if lower.bytes().all(|c| c.is_ascii_digit()) {
        lower.parse::<i64>().ok()
    } else {
        None
    };
    if let Some(i) = int {
        return Some(Number::Int(if neg { -i } else { i }));
    }
    if let Some(hex) = lower.strip_prefix("0x") {
        // Go hex floats (`0x1p60`): hex mantissa, binary exponent. Go gives them float64 type.
        let f = parse_hex_float(hex)?;
        return Some(Number::Float(if neg { -f } else { f }));
    }
    let f: f64 = lower
        .parse()
        .ok()
        .filter(|_| lower.bytes().all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'+' | b'-')))?;
    Some(Number::Float(if neg { -f } else { f }))
}

fn parse_hex_float(s: &str) -> Option<f64> {
    let (mantissa, exp) = s.split_once('p')?;
    let exp: i32 = exp.parse().ok()?;
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    let mut value = 0f64;
    for c in int.chars() {
        value = value * 16.0 + f64::from(c.to_digit(16)?);
    }
    let mut scale = 1.0 / 16.0;
    for c in frac.chars() {
        value += f64::from(c.to_digit(16)?) * scale;
        scale /= 16.0;
    }
    Some(value * 2f64.powi(exp))
}

/// Go string literal: "..." with escapes, or `raw`.
pub fn unquote(s: &str) -> Result<String, String> {
    if let Some(raw) = s.strip_prefix('`').and_then(|r| r.strip_suffix('`')) {
        return Ok(raw.replace('\r', ""));
    }
    let inner = s.strip_prefix('"').and_then(|r| r.strip_suffix('"')).ok_or_else(|| format!("invalid syntax: {s}"))?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let e = chars.next().ok_or("invalid syntax")?;
        match e {
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            'a' => out.push('\x07'),
            'b' => out.push('\x08'),
            'f' => out.push('\x0c'),
            'v' => out.push('\x0b'),
            '\\' => out.push('\\'),
            '"' => out.push('"'),
            '\'' => out.push('\''),
            'x' | 'u' | 'U' => {
                let n = match e {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let hex: String = chars.by_ref().take(n).collect();
                let code = u32::from_str_radix(&hex, 16).map_err(|_| "invalid syntax".to_string())?;
                if e == 'x' {
                    // \xNN is a byte; only ASCII bytes can be represented in a Rust string.
                    out.push(char::from_u32(code).ok_or("invalid syntax")?);
                } else {
                    out.push(char::from_u32(code).ok_or("invalid syntax")?);
                }
            }
            '0'..='7' => {
                let mut digits = String::from(e);
                digits.extend(chars.by_ref().take(2));
                let code = u32::from_str_radix(&digits, 8).map_err(|_| "invalid syntax".to_string())?;
                out.push(char::from_u32(code).ok_or("invalid syntax")?);
            }
            _ => return Err("invalid syntax".into()),
        }
    }
    Ok(out)
}

/// Named trees of a template set.
pub type Trees = HashMap<String, Rc<Tree>>;

#[cfg(test)]
mod tests {
    use super::*;

    fn p(src: &str) -> Result<Vec<Tree>, ParseError> {
        parse("t", Rc::from(src), &|f| matches!(f, "quote" | "include" | "default" | "printf"))
    }

    #[test]
    fn parses_control_structures() {
        let trees =
            p("{{ if .a }}x{{ else if .b }}y{{ else }}z{{ end }}{{ range $i, $e := .l }}{{ $e }}{{ end }}").unwrap();
        assert_eq!(trees.len(), 1);
        assert!(matches!(trees[0].root[0], Node::If(Control { else_list: Some(_), .. })));
        assert!(matches!(trees[0].root[1], Node::Range(_)));
    }

    #[test]
    fn defines_become_trees() {
        let trees = p("{{ define \"a\" }}A{{ end }}{{ block \"b\" . }}B{{ end }}rest").unwrap();
        let names: Vec<_> = trees.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["t", "a", "b"]);
    }

    #[test]
    fn parse_errors_have_go_text() {
        assert_eq!(p("line1\n{{ nope 1 }}").unwrap_err().to_string(), "template: t:2: function \"nope\" not defined");
        assert_eq!(p("{{ $x }}").unwrap_err().message, "undefined variable \"$x\"");
        assert!(p("{{ if .a }}").unwrap_err().message.contains("unexpected EOF"));
        assert!(p("{{ end }}").is_err());
    }

    #[test]
    fn variables_scope_to_their_block() {
        assert!(p("{{ if .a }}{{ $x := 1 }}{{ end }}{{ $x }}").is_err());
        assert!(p("{{ $x := 1 }}{{ if .a }}{{ $x = 2 }}{{ end }}{{ $x }}").is_ok());
    }

    #[test]
    fn numbers_and_strings() {
        assert_eq!(parse_number("0x1F"), Some(Number::Int(31)));
        assert_eq!(parse_number("1_000"), Some(Number::Int(1000)));
        assert_eq!(parse_number("-2"), Some(Number::Int(-2)));
        assert_eq!(parse_number("1.5e3"), Some(Number::Float(1500.0)));
        assert_eq!(parse_number("1e3"), Some(Number::Float(1000.0)));
        // Go hex floats (used by traefik and opentelemetry-collector for 2^60).
        assert_eq!(parse_number("0x1p60"), Some(Number::Float(1152921504606846976.0)));
        assert_eq!(parse_number("0x1.8p1"), Some(Number::Float(3.0)));
        assert_eq!(unquote(r#""a\n\"b\"\u00e9""#).unwrap(), "a\n\"b\"é");
        assert_eq!(unquote("`raw\\n`").unwrap(), "raw\\n");
    }
}
