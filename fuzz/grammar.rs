//! Structure-aware inputs: `arbitrary` ASTs printed to template, YAML and `--set` text.
//!
//! Byte mutation of corpus files rarely builds what breaks engines: deep nesting, cycles
//! through `set`, recursion through `define`/`include`, doubling strings, huge counts. These
//! grammars make such shapes one mutation away: explicit repeat and nest nodes, a small pool
//! of template names (so `include` meets its own `define`), a few variables that are always
//! declared, and the real function names from `Registry::standard()`.

#![allow(dead_code)]

use std::fmt::Write;
use std::sync::OnceLock;

use libfuzzer_sys::arbitrary::{self, Arbitrary};

/// Caps that keep a printed input bounded (the limits under test are the engine's, not ours).
const MAX_REPEAT: usize = 64;
const MAX_NEST: usize = 30_000;
const MAX_LONG: usize = 20_000;
/// Printing stops adding nodes past this size, so nested repeats cannot blow up the printer.
const MAX_OUT: usize = 64 * 1024;

fn funcs() -> &'static [&'static str] {
    static NAMES: OnceLock<Vec<&'static str>> = OnceLock::new();
    NAMES.get_or_init(|| {
        let reg = plimsoll::render::funcs::Registry::standard();
        let mut v: Vec<&'static str> = reg.names().copied().collect();
        v.extend_from_slice(plimsoll::render::template::exec::ENGINE_FUNCS);
        v.sort_unstable();
        v.dedup();
        v
    })
}

/// Functions that build, copy, compare or serialise structures, or multiply sizes: picked far
/// more often than the rest.
const HOT: &[&str] = &[
    "set",
    "unset",
    "dict",
    "list",
    "append",
    "prepend",
    "concat",
    "merge",
    "mergeOverwrite",
    "deepCopy",
    "toYaml",
    "toJson",
    "toPrettyJson",
    "toRawJson",
    "fromYaml",
    "fromJson",
    "fromYamlArray",
    "printf",
    "print",
    "println",
    "include",
    "tpl",
    "until",
    "untilStep",
    "seq",
    "repeat",
    "indent",
    "nindent",
    "eq",
    "ne",
    "deepEqual",
    "keys",
    "values",
    "pluck",
    "dig",
    "get",
    "hasKey",
    "index",
    "len",
    "toString",
    "quote",
    "join",
    "split",
    "splitList",
    "uniq",
    "sortAlpha",
    "reverse",
    "first",
    "rest",
    "last",
    "default",
    "empty",
    "coalesce",
    "ternary",
    "b64enc",
    "sha256sum",
    "trunc",
    "substr",
    "replace",
    "regexReplaceAll",
    "add",
    "mul",
    "max",
    "kindOf",
    "typeOf",
];

const NAMES: &[&str] = &["a", "b", "c", "fz.name", "fz.labels"];
const VARS: &[&str] = &["$", "$a", "$b", "$s", "$l", "$d"];
const FIELDS: &[&str] = &[
    "Values",
    "Values.image",
    "Values.list",
    "Values.maps",
    "Values.deep.a.b",
    "Values.labels",
    "Values.me",
    "Values.tpl",
    "Release.Name",
    "Chart.Name",
    "Capabilities.KubeVersion",
    "Files",
    "Template.Name",
    "me",
    "x",
];
const STRS: &[&str] = &[
    "me",
    "a",
    "b",
    "x",
    "",
    "fz.name",
    "fz.labels",
    "%s%s",
    "%v %v",
    "%d",
    "{{ . }}",
    "{{ include \\\"a\\\" . }}",
    "a.b.c",
    "1.2.3",
    ">=1.0",
    "^[a-z]+$",
    "(a*)*b",
    "k: v\\nl: [1, 2]",
    "[1, [2, [3]]]",
    "{\\\"a\\\": {\\\"b\\\": 1}}",
    "\\u00e9\\u0301",
    "日本",
    "-",
    ",",
    "=",
    "\\n",
    "%!",
    "*",
    "**",
];
const INTS: &[i64] =
    &[0, 1, 2, -1, 3, 10, 63, 64, 100, 1000, 65536, 100_000_000, 2_147_483_647, 4_294_967_296, i64::MAX, i64::MIN];

fn pick<'a>(pool: &'a [&'a str], i: u8) -> &'a str {
    pool[i as usize % pool.len()]
}

// ---- templates -------------------------------------------------------------------------

#[derive(Arbitrary, Debug)]
pub struct Template {
    defines: Vec<(u8, Vec<Node>)>,
    body: Vec<Node>,
}

#[derive(Arbitrary, Debug)]
enum Node {
    Text(u8),
    Action(Pipe),
    Assign {
        var: u8,
        declare: bool,
        pipe: Pipe,
    },
    /// `$s = print $s $s`-style doubling of a variable.
    Double(u8),
    If(Pipe, Vec<Node>, Option<Vec<Node>>),
    ElseIf(Pipe, Vec<Node>, Pipe, Vec<Node>),
    With(Pipe, Vec<Node>, Option<Vec<Node>>),
    Range {
        vars: u8,
        pipe: Pipe,
        body: Vec<Node>,
        else_: Option<Vec<Node>>,
    },
    Include(u8, Operand),
    TemplateCall(u8, Operand),
    Block(u8, Operand, Vec<Node>),
    /// `set` a map into itself (or another), the start of every cycle.
    SetSelf {
        target: Operand,
        key: u8,
        value: Operand,
    },
    /// A cycle through maps that the template can reach, then a function walking it.
    Cycle {
        container: u8,
        other: u8,
        walk: u8,
    },
    Break,
    Continue,
    Comment,
    /// The same node printed many times in a row.
    Repeat(u8, Box<Node>),
    /// Deep nesting printed directly (no recursion in the generator).
    Nest(u16, NestKind),
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum NestKind {
    If,
    With,
    Range,
    Parens,
    Define,
    IncludeChain,
    PipeChain,
}

#[derive(Arbitrary, Debug)]
struct Pipe {
    first: Cmd,
    rest: Vec<Cmd>,
    trim: u8,
}

#[derive(Arbitrary, Debug)]
enum Cmd {
    Hot(u8, Vec<Operand>),
    Func(u16, Vec<Operand>),
    Operand(Operand),
}

#[derive(Arbitrary, Debug)]
enum Operand {
    Dot,
    Field(u8),
    Var(u8),
    VarField(u8, u8),
    Int(u8),
    AnyInt(i64),
    Float(f64),
    Str(u8),
    Raw(String),
    Bool(bool),
    Nil,
    Paren(Box<Pipe>),
}

impl Template {
    pub fn text(&self) -> String {
        let mut out = String::new();
        // Every variable exists, so assignments anywhere parse.
        out.push_str(
            "{{- $a := 1 }}{{- $b := .Values }}{{- $s := \"x\" }}{{- $l := list 1 2 }}{{- $d := dict \"k\" 1 }}\n",
        );
        for (name, body) in &self.defines {
            let _ = write!(out, "{{{{- define \"{}\" }}}}", pick(NAMES, *name));
            nodes(&mut out, body, 0);
            out.push_str("{{- end }}\n");
        }
        nodes(&mut out, &self.body, 0);
        out
    }
}

fn nodes(out: &mut String, list: &[Node], depth: usize) {
    for n in list {
        node(out, n, depth);
    }
}

fn node(out: &mut String, n: &Node, depth: usize) {
    // The generator's own recursion is bounded; depth for the engine comes from `Nest`.
    if depth > 40 || out.len() > MAX_OUT {
        return;
    }
    let d = depth + 1;
    match n {
        Node::Text(i) => out.push_str(pick(&["a: ", "\n", "  - ", "x", "---\n", "k: v\n", " ", "{", "}"], *i)),
        Node::Action(p) => {
            out.push_str("{{ ");
            pipe(out, p, d);
            out.push_str(" }}");
        }
        Node::Assign { var, declare, pipe: p } => {
            let v = pick(&VARS[1..], *var);
            let _ = write!(out, "{{{{ {v} {} ", if *declare { ":=" } else { "=" });
            pipe(out, p, d);
            out.push_str(" }}");
        }
        Node::Double(var) => {
            let v = pick(&VARS[1..], *var);
            let _ = write!(out, "{{{{ {v} = print {v} {v} }}}}");
        }
        Node::If(p, body, else_) => control(out, "if", None, p, body, else_.as_deref(), d),
        Node::ElseIf(p, body, p2, body2) => {
            out.push_str("{{ if ");
            pipe(out, p, d);
            out.push_str(" }}");
            nodes(out, body, d);
            out.push_str("{{ else if ");
            pipe(out, p2, d);
            out.push_str(" }}");
            nodes(out, body2, d);
            out.push_str("{{ end }}");
        }
        Node::With(p, body, else_) => control(out, "with", None, p, body, else_.as_deref(), d),
        Node::Range { vars, pipe: p, body, else_ } => {
            let decl = match vars % 3 {
                0 => None,
                1 => Some("$i := "),
                _ => Some("$k, $v := "),
            };
            control(out, "range", decl, p, body, else_.as_deref(), d)
        }
        Node::Include(name, arg) => {
            let _ = write!(out, "{{{{ include \"{}\" ", pick(NAMES, *name));
            operand(out, arg, d);
            out.push_str(" }}");
        }
        Node::TemplateCall(name, arg) => {
            let _ = write!(out, "{{{{ template \"{}\" ", pick(NAMES, *name));
            operand(out, arg, d);
            out.push_str(" }}");
        }
        Node::Block(name, arg, body) => {
            let _ = write!(out, "{{{{ block \"{}\" ", pick(NAMES, *name));
            operand(out, arg, d);
            out.push_str(" }}");
            nodes(out, body, d);
            out.push_str("{{ end }}");
        }
        Node::SetSelf { target, key, value } => {
            out.push_str("{{ $_ := set ");
            operand(out, target, d);
            let _ = write!(out, " \"{}\" ", pick(STRS, *key));
            operand(out, value, d);
            out.push_str(" }}");
        }
        Node::Cycle { container, other, walk } => {
            const MAPS: &[&str] = &[".Values", "$d", "$b", ".Values.image", ".Values.deep.a", ".", "$"];
            let (c, o) = (pick(MAPS, *container), pick(MAPS, *other));
            let _ = write!(out, "{{{{ $_ := set {c} \"me\" {o} }}}}{{{{ {} {c} }}}}", pick(HOT, *walk));
        }
        Node::Break => out.push_str("{{ break }}"),
        Node::Continue => out.push_str("{{ continue }}"),
        Node::Comment => out.push_str("{{/* c */}}"),
        Node::Repeat(times, inner) => {
            for _ in 0..(*times as usize).min(MAX_REPEAT) {
                node(out, inner, d);
            }
        }
        Node::Nest(n, kind) => nest(out, (*n as usize).min(MAX_NEST), *kind),
    }
}

fn control(out: &mut String, kw: &str, decl: Option<&str>, p: &Pipe, body: &[Node], else_: Option<&[Node]>, d: usize) {
    let _ = write!(out, "{{{{ {kw} {}", decl.unwrap_or(""));
    pipe(out, p, d);
    out.push_str(" }}");
    nodes(out, body, d);
    if let Some(e) = else_ {
        out.push_str("{{ else }}");
        nodes(out, e, d);
    }
    out.push_str("{{ end }}");
}

fn nest(out: &mut String, n: usize, kind: NestKind) {
    match kind {
        NestKind::If => {
            out.push_str(&"{{ if 1 }}".repeat(n));
            out.push('x');
            out.push_str(&"{{ end }}".repeat(n));
        }
        NestKind::With => {
            out.push_str(&"{{ with .Values }}".repeat(n));
            out.push_str("{{ toYaml . }}");
            out.push_str(&"{{ end }}".repeat(n));
        }
        NestKind::Range => {
            out.push_str(&"{{ range .Values.list }}".repeat(n.min(8)));
            out.push('x');
            out.push_str(&"{{ end }}".repeat(n.min(8)));
        }
        NestKind::Parens => {
            out.push_str("{{ ");
            out.push_str(&"(".repeat(n));
            out.push('1');
            out.push_str(&")".repeat(n));
            out.push_str(" }}");
        }
        NestKind::Define => {
            // a -> b -> c -> a ..., each calling the next twice: exponential or cyclic.
            for (i, name) in NAMES.iter().enumerate().take(3) {
                let next = NAMES[(i + 1) % 3];
                let _ = write!(out, "{{{{ define \"{name}\" }}}}{{{{ include \"{next}\" . }}}}{{{{ include \"{next}\" . }}}}{{{{ end }}}}");
            }
            out.push_str("{{ include \"a\" . }}");
        }
        NestKind::IncludeChain => {
            out.push_str("{{ ");
            out.push_str(&"list (".repeat(n));
            out.push_str(".Values");
            out.push_str(&")".repeat(n));
            out.push_str(" | toJson }}");
        }
        NestKind::PipeChain => {
            out.push_str("{{ \"x\"");
            out.push_str(&" | print".repeat(n));
            out.push_str(" }}");
        }
    }
}

fn pipe(out: &mut String, p: &Pipe, d: usize) {
    cmd(out, &p.first, d);
    for c in p.rest.iter().take(8) {
        out.push_str(" | ");
        cmd(out, c, d);
    }
}

fn cmd(out: &mut String, c: &Cmd, d: usize) {
    match c {
        Cmd::Hot(i, args) => call(out, pick(HOT, *i), args, d),
        Cmd::Func(i, args) => {
            let f = funcs();
            call(out, f[*i as usize % f.len()], args, d)
        }
        Cmd::Operand(o) => operand(out, o, d),
    }
}

fn call(out: &mut String, name: &str, args: &[Operand], d: usize) {
    out.push_str(name);
    for a in args.iter().take(6) {
        out.push(' ');
        operand(out, a, d);
    }
}

fn operand(out: &mut String, o: &Operand, d: usize) {
    match o {
        Operand::Dot => out.push('.'),
        Operand::Field(i) => {
            out.push('.');
            out.push_str(pick(FIELDS, *i));
        }
        Operand::Var(i) => out.push_str(pick(VARS, *i)),
        Operand::VarField(v, f) => {
            let _ = write!(out, "{}.{}", pick(&VARS[1..], *v), pick(&["k", "me", "x", "a", "image"], *f));
        }
        Operand::Int(i) => {
            let _ = write!(out, "{}", INTS[*i as usize % INTS.len()]);
        }
        Operand::AnyInt(i) => {
            let _ = write!(out, "{i}");
        }
        Operand::Float(f) if f.is_finite() => {
            let _ = write!(out, "{f:?}");
        }
        Operand::Float(_) => out.push_str("1.5"),
        Operand::Str(i) => {
            let _ = write!(out, "\"{}\"", pick(STRS, *i));
        }
        Operand::Raw(s) => {
            out.push('"');
            for ch in s.chars().take(32) {
                match ch {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    '\n' => out.push_str("\\n"),
                    c if (c as u32) < 0x20 || c == '\u{7f}' => {}
                    c => out.push(c),
                }
            }
            out.push('"');
        }
        Operand::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Operand::Nil => out.push_str("nil"),
        Operand::Paren(_) if d > 40 || out.len() > MAX_OUT => out.push('1'),
        Operand::Paren(p) => {
            out.push('(');
            pipe(out, p, d + 1);
            out.push(')');
        }
    }
}

// ---- YAML ------------------------------------------------------------------------------

#[derive(Arbitrary, Debug)]
pub struct Yaml {
    docs: Vec<(bool, YNode)>,
}

#[derive(Arbitrary, Debug)]
enum YNode {
    Scalar(u8),
    RawScalar(String),
    Alias(u8),
    Anchored(u8, Box<YNode>),
    Map(Vec<(u8, YNode)>),
    Seq(Vec<YNode>),
    Flow(Vec<YNode>),
    FlowMap(Vec<(u8, YNode)>),
    Merge(u8),
    Tagged(u8, Box<YNode>),
    Repeat(u8, Box<YNode>),
    /// `&aN [*aN-1, *aN-1, ...]` chains: exponential alias expansion.
    Laughs(u8, u8),
    Nest(u16, YNest),
    LongScalar(u16, u8),
    BlockScalar(u8, String),
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum YNest {
    FlowSeq,
    FlowMap,
    BlockMap,
    BlockSeq,
    Mixed,
}

const YSCALARS: &[&str] = &[
    "1",
    "0x1F",
    "0o17",
    "1e3",
    ".inf",
    "-.Inf",
    ".nan",
    "~",
    "null",
    "true",
    "yes",
    "off",
    "2001-12-14t21:59:43.10-05:00",
    "''",
    "\"\"",
    "\"a\\u00e9\\x41\\n\"",
    "'it''s'",
    "a: b",
    "- x",
    "\"\\U0001F600\"",
    "9223372036854775808",
    "-0",
    "1_000",
    "+1",
    "日本語",
    "\"\\uD800\"",
    "<<",
    "=",
    "!!str 1",
    "? x",
    "@",
    "`",
    "|",
    ">",
    "%",
    "&",
    "*",
];
const YKEYS: &[&str] = &[
    "apiVersion",
    "kind",
    "metadata",
    "name",
    "namespace",
    "spec",
    "containers",
    "image",
    "labels",
    "annotations",
    "template",
    "replicas",
    "a",
    "b",
    "<<",
    "? complex",
    "\"quoted key\"",
    "'k'",
    "1",
    "null",
    "true",
    "~",
];
const YTAGS: &[&str] =
    &["!!str", "!!int", "!!map", "!!seq", "!!binary", "!custom", "!<tag:yaml.org,2002:str>", "!!float"];

impl Yaml {
    pub fn text(&self) -> String {
        let mut out = String::new();
        for (explicit, n) in self.docs.iter().take(64) {
            if *explicit {
                out.push_str("---\n");
            }
            ynode(&mut out, n, 0, 0);
            out.push('\n');
            if !*explicit {
                out.push_str("---\n");
            }
        }
        out
    }
}

fn indent(out: &mut String, n: usize) {
    for _ in 0..n {
        out.push(' ');
    }
}

/// Print `n` at block indentation `ind` (the caller has already written any key or dash).
fn ynode(out: &mut String, n: &YNode, ind: usize, depth: usize) {
    if depth > 40 || out.len() > MAX_OUT {
        out.push_str("x");
        return;
    }
    let d = depth + 1;
    match n {
        YNode::Scalar(i) => out.push_str(pick(YSCALARS, *i)),
        YNode::RawScalar(s) => {
            out.push('"');
            for ch in s.chars().take(40) {
                match ch {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    c if (c as u32) < 0x20 => {
                        let _ = write!(out, "\\x{:02x}", c as u32);
                    }
                    c => out.push(c),
                }
            }
            out.push('"');
        }
        YNode::Alias(i) => {
            let _ = write!(out, "*a{}", i % 8);
        }
        YNode::Anchored(i, inner) => {
            let _ = write!(out, "&a{} ", i % 8);
            ynode(out, inner, ind, d);
        }
        YNode::Map(entries) if entries.is_empty() => out.push_str("{}"),
        YNode::Map(entries) => {
            for (k, (key, v)) in entries.iter().take(16).enumerate() {
                out.push('\n');
                indent(out, ind);
                let _ = write!(out, "{}: ", pick(YKEYS, key.wrapping_add(k as u8)));
                ynode(out, v, ind + 2, d);
            }
        }
        YNode::Seq(items) if items.is_empty() => out.push_str("[]"),
        YNode::Seq(items) => {
            for v in items.iter().take(16) {
                out.push('\n');
                indent(out, ind);
                out.push_str("- ");
                ynode(out, v, ind + 2, d);
            }
        }
        YNode::Flow(items) => {
            out.push('[');
            for (i, v) in items.iter().take(16).enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                yflow(out, v, d);
            }
            out.push(']');
        }
        YNode::FlowMap(entries) => flow_map(out, entries, d),
        YNode::Merge(i) => {
            out.push('\n');
            indent(out, ind);
            let _ = write!(out, "<<: *a{}", i % 8);
        }
        YNode::Tagged(t, inner) => {
            let _ = write!(out, "{} ", pick(YTAGS, *t));
            ynode(out, inner, ind, d);
        }
        YNode::Repeat(times, inner) => {
            for _ in 0..(*times as usize).min(MAX_REPEAT) {
                ynode(out, inner, ind, d);
            }
        }
        YNode::Laughs(levels, width) => {
            let (levels, width) = ((*levels % 10) as usize + 1, (*width % 12) as usize + 1);
            out.push_str("\n");
            indent(out, ind);
            out.push_str("l0: &l0 lol");
            for l in 1..=levels {
                out.push('\n');
                indent(out, ind);
                let _ = write!(out, "l{l}: &l{l} [");
                for w in 0..width {
                    if w > 0 {
                        out.push_str(", ");
                    }
                    let _ = write!(out, "*l{}", l - 1);
                }
                out.push(']');
            }
        }
        YNode::Nest(n, kind) => {
            let n = (*n as usize).min(MAX_NEST);
            match kind {
                YNest::FlowSeq => {
                    out.push_str(&"[".repeat(n));
                    out.push_str(&"]".repeat(n));
                }
                YNest::FlowMap => {
                    out.push_str(&"{a: ".repeat(n));
                    out.push('1');
                    out.push_str(&"}".repeat(n));
                }
                YNest::BlockMap => {
                    for i in 0..n.min(500) {
                        out.push('\n');
                        indent(out, ind + i);
                        out.push_str("a:");
                    }
                    out.push_str(" 1");
                }
                YNest::BlockSeq => {
                    out.push('\n');
                    indent(out, ind);
                    out.push_str(&"- ".repeat(n.min(1000)));
                    out.push('1');
                }
                YNest::Mixed => {
                    out.push_str(&"[{a: ".repeat(n / 2));
                    out.push('1');
                    out.push_str(&"}]".repeat(n / 2));
                }
            }
        }
        YNode::LongScalar(n, c) => {
            let ch = pick(&["a", " ", "'", "\"", "\\", "#", ":", "-", "é"], *c);
            out.push_str(&ch.repeat((*n as usize).min(MAX_LONG)));
        }
        YNode::BlockScalar(style, s) => {
            out.push_str(pick(&["|", ">", "|-", ">+", "|2", "|+1", ">9"], *style));
            for line in s.split('\n').take(8) {
                out.push('\n');
                indent(out, ind);
                out.push_str(line);
            }
        }
    }
}

/// Flow context: block collections are printed as flow ones.
fn yflow(out: &mut String, n: &YNode, depth: usize) {
    if depth > 40 || out.len() > MAX_OUT {
        out.push('x');
        return;
    }
    match n {
        YNode::Map(entries) => flow_map(out, entries, depth),
        YNode::Seq(items) => {
            out.push('[');
            for (i, v) in items.iter().take(16).enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                yflow(out, v, depth + 1);
            }
            out.push(']');
        }
        YNode::Merge(_) | YNode::Laughs(..) | YNode::BlockScalar(..) => out.push_str("[]"),
        YNode::Nest(n, YNest::BlockMap | YNest::BlockSeq) => nest_flow(out, *n as usize),
        other => ynode(out, other, 0, depth),
    }
}

fn flow_map(out: &mut String, entries: &[(u8, YNode)], d: usize) {
    out.push('{');
    for (i, (k, v)) in entries.iter().take(16).enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let _ = write!(out, "{}: ", pick(YKEYS, *k));
        yflow(out, v, d + 1);
    }
    out.push('}');
}

fn nest_flow(out: &mut String, n: usize) {
    let n = n.min(MAX_NEST);
    out.push_str(&"[".repeat(n));
    out.push_str(&"]".repeat(n));
}

// ---- strvals ---------------------------------------------------------------------------

#[derive(Arbitrary, Debug)]
pub struct SetFlags {
    parts: Vec<SPart>,
}

#[derive(Arbitrary, Debug)]
enum SPart {
    Key(u8),
    Index(u8),
    AnyIndex(i64),
    Dot,
    Eq,
    Comma,
    Value(u8),
    Braces(Vec<u8>),
    Escape(u8),
    /// `a[0][0]...[0]=1`
    DeepIndex(u16),
    /// `a.a.a...a=1`
    DeepDots(u16),
    LongKey(u16),
    Raw(String),
}

const SKEYS: &[&str] = &["a", "b", "image", "name", "list", "x.y", "0", "-", "_", "日本", "k k"];
const SVALS: &[&str] =
    &["1", "true", "null", "0x10", "1e5", "\"s\"", "{}", "[]", "{\"a\":[1,{\"b\":null}]}", "", "x,y", "a=b"];

impl SetFlags {
    pub fn text(&self) -> String {
        let mut out = String::new();
        for p in self.parts.iter().take(64) {
            if out.len() > MAX_OUT {
                break;
            }
            match p {
                SPart::Key(i) => out.push_str(pick(SKEYS, *i)),
                SPart::Index(i) => {
                    let _ = write!(out, "[{}]", pick(&["0", "1", "2", "65536", "65537", "-1", "", "x", "99999"], *i));
                }
                SPart::AnyIndex(i) => {
                    let _ = write!(out, "[{i}]");
                }
                SPart::Dot => out.push('.'),
                SPart::Eq => out.push('='),
                SPart::Comma => out.push(','),
                SPart::Value(i) => out.push_str(pick(SVALS, *i)),
                SPart::Braces(items) => {
                    out.push('{');
                    for (i, v) in items.iter().take(8).enumerate() {
                        if i > 0 {
                            out.push(',');
                        }
                        out.push_str(pick(SVALS, *v));
                    }
                    out.push('}');
                }
                SPart::Escape(i) => out.push_str(pick(&["\\,", "\\=", "\\.", "\\[", "\\\\", "\\"], *i)),
                SPart::DeepIndex(n) => {
                    out.push('a');
                    out.push_str(&"[0]".repeat((*n as usize).min(MAX_NEST)));
                    out.push_str("=1");
                }
                SPart::DeepDots(n) => {
                    out.push('a');
                    out.push_str(&".a".repeat((*n as usize).min(MAX_NEST)));
                    out.push_str("=1");
                }
                SPart::LongKey(n) => out.push_str(&"k".repeat((*n as usize).min(MAX_LONG))),
                SPart::Raw(s) => out.push_str(&s.chars().take(32).collect::<String>()),
            }
        }
        out
    }
}

/// When `FUZZ_SAVE_TEXT` names a file, write the generated text there (to turn a crashing
/// grammar input into a plain-text regression file).
pub fn save_text(text: &str) {
    static PATH: OnceLock<Option<std::path::PathBuf>> = OnceLock::new();
    if let Some(p) = PATH.get_or_init(|| std::env::var_os("FUZZ_SAVE_TEXT").map(Into::into)) {
        let _ = std::fs::write(p, text);
    }
}
