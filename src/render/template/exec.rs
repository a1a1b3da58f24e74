//! Executor for parsed templates, after Go's `text/template/exec.go`, with Helm's engine
//! functions (`include`, `tpl`, `required`, `fail`, `lookup`) built in because they need the
//! executor. Errors carry Go's exact text: `template: FILE:LINE:COL: executing "NAME" at
//! <NODE>: MESSAGE`.

use std::collections::HashMap;
use std::rc::Rc;
use std::time::Instant;

use super::parse::{self, col_of, line_of, Arg, Command, Control, Node, Number, ParseError, Pipe, Pos, Tree};
use super::trace::{Event, Origin, Segment, Tracer};
use crate::render::funcs::{CallCtx, FuncError, Registry};
use crate::render::limits::{self, Limits, MAX_LIST_LEN, MAX_STRING_BYTES};
use crate::render::value::Value;

/// Helm's limit on nested `include`s of one template name.
pub const MAX_INCLUDE_PER_NAME: usize = 1000;
/// Our limit on total template nesting (`template`, `include`, `tpl`): a guard against
/// runaway recursion that Helm would only stop with a Go stack overflow.
pub const MAX_DEPTH: usize = 3000;

/// Functions the engine implements itself.
pub const ENGINE_FUNCS: &[&str] = &[
    "and", "or", "not", "len", "index", "eq", "ne", "lt", "le", "gt", "ge", "call", "include", "tpl", "required",
    "fail", "lookup",
];

/// A set of named templates (files and their `define`s).
#[derive(Default)]
pub struct TemplateSet {
    trees: HashMap<String, Rc<Tree>>,
}

impl TemplateSet {
    /// Parse a file and add its trees. A later `define` of the same name replaces an earlier
    /// one, as in Go (Helm relies on the order it adds files in).
    pub fn add(&mut self, name: &str, source: &str, funcs: &Registry) -> Result<(), ParseError> {
        let is_func = |n: &str| funcs.contains(n) || ENGINE_FUNCS.contains(&n);
        for tree in parse::parse(name, Rc::from(source), &is_func)? {
            // Go skips an empty (whitespace-only) redefinition so it cannot erase a real one.
            if tree.name != name && self.trees.contains_key(&tree.name) && is_empty_tree(&tree) {
                continue;
            }
            self.trees.insert(tree.name.clone(), Rc::new(tree));
        }
        Ok(())
    }

    pub fn get(&self, name: &str) -> Option<&Rc<Tree>> {
        self.trees.get(name)
    }

    pub fn contains(&self, name: &str) -> bool {
        self.trees.contains_key(name)
    }
}

fn is_empty_tree(t: &Tree) -> bool {
    t.root
        .iter()
        .all(|n| matches!(n, Node::Text { pos, end } if t.source[*pos as usize..*end as usize].trim().is_empty()))
}

/// An execution error, already in Go's text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExecError {
    pub message: String,
    /// Template file and position of the innermost failing node (for diagnostics).
    pub file: String,
    pub line: u32,
    pub col: u32,
    /// Set for `fail`/`required`, whose message Helm shows on its own.
    pub user_message: Option<String>,
}

impl std::fmt::Display for ExecError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// Where an error is reported: `pos` for line:col, `start..end` for the `<node>` context.
#[derive(Clone, Copy)]
struct At {
    pos: Pos,
    start: Pos,
    end: Pos,
}

enum Flow {
    Normal,
    Break,
    Continue,
}

/// Evaluation result inside a field chain: Go distinguishes an invalid value (no error on
/// further field access) from a nil interface found in a map (error on field access).
#[derive(Clone)]
struct Eval {
    value: Value,
    /// Came out of a map lookup (an `interface{}`), so it is a typed nil when Nil.
    from_map: bool,
}

pub struct Engine<'a> {
    set: &'a TemplateSet,
    funcs: &'a Registry,
    pub ctx: CallCtx,
    /// Templates defined by `tpl` strings, visible only while that `tpl` runs.
    overlays: Vec<HashMap<String, Rc<Tree>>>,
    include_counts: HashMap<String, usize>,
    depth: usize,
    trace: Option<Tracer>,
    budget: Budget,
}

/// What this render has spent of its [`Limits`].
struct Budget {
    limits: Limits,
    deadline: Instant,
    steps: u64,
    written: usize,
    template_calls: u64,
    /// The largest results seen, for [`Usage`].
    longest_string: usize,
    longest_list: usize,
    deepest: usize,
}

impl Budget {
    fn new(limits: Limits) -> Budget {
        // A walk cut short outside any render (the linter's JSON of a self-containing value)
        // must not be blamed on this one.
        limits::take_cut();
        Budget {
            deadline: Instant::now() + limits.time,
            limits,
            steps: 0,
            written: 0,
            template_calls: 0,
            longest_string: 0,
            longest_list: 0,
            deepest: 0,
        }
    }
}

/// What one render used, to compare with [`Limits`] (the corpus maxima in the README).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Usage {
    pub steps: u64,
    pub output_bytes: usize,
    pub template_calls: u64,
    pub longest_string: usize,
    pub longest_list: usize,
    pub template_depth: usize,
}

/// What one source-map segment costs of the output budget: the map grows with the output
/// (a segment per text run or action, a copy of every `include`'s text), so it counts.
const TRACE_COST: usize = 64;

/// Steps between two looks at the clock (function calls always look).
const CLOCK_EVERY: u64 = 1024;

struct Frame<'t> {
    tree: &'t Tree,
    vars: Vec<(String, Value)>,
}

impl<'a> Engine<'a> {
    pub fn new(set: &'a TemplateSet, funcs: &'a Registry) -> Self {
        Engine {
            set,
            funcs,
            ctx: CallCtx::default(),
            overlays: Vec::new(),
            include_counts: HashMap::new(),
            depth: 0,
            trace: None,
            budget: Budget::new(Limits::default()),
        }
    }

    pub fn usage(&self) -> Usage {
        let b = &self.budget;
        Usage {
            steps: b.steps,
            output_bytes: b.written,
            template_calls: b.template_calls,
            longest_string: b.longest_string,
            longest_list: b.longest_list,
            template_depth: b.deepest,
        }
    }

    /// Replace the default budgets (the clock starts now).
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.budget = Budget::new(limits);
        self
    }

    fn limit_error(&self, frame: &Frame<'_>, pos: Pos, end: Pos, what: impl std::fmt::Display) -> ExecError {
        self.error(frame, pos, end, format!("render limit exceeded: {what}"))
    }

    /// Count `n` steps (nodes, iterations, calls) against the budget, looking at the clock
    /// now and then.
    fn spend(&mut self, frame: &Frame<'_>, pos: Pos, end: Pos, n: u64) -> Result<(), ExecError> {
        let before = self.budget.steps;
        self.budget.steps += n;
        if self.budget.steps > self.budget.limits.steps {
            let what =
                format!("more than {} steps (template nodes, range iterations and calls)", self.budget.limits.steps);
            return Err(self.limit_error(frame, pos, end, what));
        }
        if before / CLOCK_EVERY != self.budget.steps / CLOCK_EVERY {
            self.check_clock(frame, pos, end)?;
        }
        Ok(())
    }

    fn check_clock(&self, frame: &Frame<'_>, pos: Pos, end: Pos) -> Result<(), ExecError> {
        if Instant::now() > self.budget.deadline {
            let what = format!("rendering took longer than {} s", self.budget.limits.time.as_secs_f64());
            return Err(self.limit_error(frame, pos, end, what));
        }
        Ok(())
    }

    /// Count `written` more output bytes.
    fn wrote(&mut self, frame: &Frame<'_>, pos: Pos, end: Pos, written: usize) -> Result<(), ExecError> {
        self.budget.written += written;
        if self.budget.written > self.budget.limits.output_bytes {
            let what = format!("more than {} bytes of output (source map included)", self.budget.limits.output_bytes);
            return Err(self.limit_error(frame, pos, end, what));
        }
        Ok(())
    }

    /// Count one `include`, `template` or `tpl` call.
    fn called_template(&mut self, frame: &Frame<'_>, pos: Pos, end: Pos) -> Result<(), ExecError> {
        self.budget.template_calls += 1;
        if self.budget.template_calls > self.budget.limits.template_calls {
            let what = format!("more than {} include/template/tpl calls", self.budget.limits.template_calls);
            return Err(self.limit_error(frame, pos, end, what));
        }
        self.spend(frame, pos, end, 1)
    }

    /// After a function returned `v`: what it built is within bounds, no walk inside it was
    /// cut short, and the clock has not run out (a function can be slow: `bcrypt`).
    fn check_result(&mut self, frame: &Frame<'_>, cmd: &Command, name: &str, v: &Value) -> Result<(), ExecError> {
        if let Some(cut) = limits::take_cut() {
            return Err(self.limit_error(frame, cmd.pos, cmd.end, format!("{name}: {}", cut.message())));
        }
        let too_big = match v {
            Value::Str(_) | Value::BinStr(_) => {
                let n = v.string_bytes().map_or(0, <[u8]>::len);
                self.budget.longest_string = self.budget.longest_string.max(n);
                (n > MAX_STRING_BYTES)
                    .then(|| format!("{name} built a string of {n} bytes (at most {MAX_STRING_BYTES})"))
            }
            Value::List(l) if l.len() > MAX_LIST_LEN => {
                Some(format!("{name} built a list of {} items (at most {MAX_LIST_LEN})", l.len()))
            }
            Value::Map(m) if m.borrow().len() > MAX_LIST_LEN => {
                Some(format!("{name} built a map of {} keys (at most {MAX_LIST_LEN})", m.borrow().len()))
            }
            _ => None,
        };
        if let Value::List(l) = v {
            self.budget.longest_list = self.budget.longest_list.max(l.len());
        }
        if let Some(what) = too_big {
            return Err(self.limit_error(frame, cmd.pos, cmd.end, what));
        }
        self.spend(frame, cmd.pos, cmd.end, 1)?;
        self.check_clock(frame, cmd.pos, cmd.end)
    }

    /// Record a source map; `values` is the top chart's `.Values` (every values path is
    /// relative to it).
    pub fn with_trace(mut self, values: &Value) -> Self {
        let mut t = Tracer::default();
        t.register(values, "");
        self.trace = Some(t);
        self
    }

    /// Tell the tracer that `values` is reached by `path` (e.g. a subchart's `.Values`).
    pub fn trace_values(&mut self, values: &Value, path: &str) {
        if let Some(t) = &mut self.trace {
            t.register(values, path);
        }
    }

    /// Like [`Engine::execute`], also returning the source map of the output (empty unless
    /// tracing was enabled with [`Engine::with_trace`]).
    pub fn execute_traced(&mut self, name: &str, data: &Value) -> Result<(String, Vec<Segment>), ExecError> {
        if let Some(t) = &mut self.trace {
            t.buffers.push(Vec::new());
        }
        let result = self.execute(name, data);
        let segments = self.trace.as_mut().and_then(|t| t.buffers.pop()).unwrap_or_default();
        result.map(|out| (out, segments))
    }

    fn lookup(&self, name: &str) -> Option<Rc<Tree>> {
        self.overlays.iter().rev().find_map(|o| o.get(name).cloned()).or_else(|| self.set.get(name).cloned())
    }

    /// Execute the template `name` with `data` as dot; returns the output text.
    pub fn execute(&mut self, name: &str, data: &Value) -> Result<String, ExecError> {
        let tree = self.lookup(name).ok_or_else(|| ExecError {
            message: format!("template: no template {name:?} associated with template \"gotpl\""),
            file: name.to_string(),
            line: 0,
            col: 0,
            user_message: None,
        })?;
        let mut out = String::new();
        self.run_tree(&tree, data, &mut out)?;
        Ok(out)
    }

    fn run_tree(&mut self, tree: &Tree, data: &Value, out: &mut String) -> Result<(), ExecError> {
        if self.depth >= MAX_DEPTH {
            return Err(ExecError {
                message: format!("template: {}: exceeded maximum template depth ({MAX_DEPTH})", tree.name),
                file: tree.parse_name.clone(),
                line: 0,
                col: 0,
                user_message: None,
            });
        }
        self.depth += 1;
        self.budget.deepest = self.budget.deepest.max(self.depth);
        let mut frame = Frame { tree, vars: vec![("$".to_string(), data.clone())] };
        // Deep (legal) nesting must not overflow whatever stack the caller has: grow it on
        // the heap when it runs low.
        let r = stacker::maybe_grow(256 * 1024, 4 * 1024 * 1024, || self.walk_list(&mut frame, &tree.root, data, out));
        self.depth -= 1;
        r.map(|_| ())
    }

    fn error(&self, frame: &Frame<'_>, pos: Pos, end: Pos, message: impl Into<String>) -> ExecError {
        self.error_at(frame, At { pos, start: pos, end }, message)
    }

    fn error_at(&self, frame: &Frame<'_>, at: At, message: impl Into<String>) -> ExecError {
        let src = &frame.tree.source;
        let (line, col) = (line_of(src, at.pos), col_of(src, at.pos));
        let context = src.get(at.start as usize..at.end as usize).unwrap_or("").trim();
        let context = context.strip_prefix("{{").unwrap_or(context).trim_start_matches('-').trim();
        let message = message.into();
        ExecError {
            message: format!(
                "template: {}:{line}:{col}: executing {:?} at <{}>: {message}",
                frame.tree.parse_name,
                frame.tree.name,
                context.replace('%', "%%")
            ),
            file: frame.tree.parse_name.clone(),
            line,
            col,
            user_message: None,
        }
    }

    fn walk_list(
        &mut self,
        frame: &mut Frame<'_>,
        list: &[Node],
        dot: &Value,
        out: &mut String,
    ) -> Result<Flow, ExecError> {
        for node in list {
            match self.walk(frame, node, dot, out)? {
                Flow::Normal => {}
                flow => return Ok(flow),
            }
        }
        Ok(Flow::Normal)
    }

    fn walk(&mut self, frame: &mut Frame<'_>, node: &Node, dot: &Value, out: &mut String) -> Result<Flow, ExecError> {
        match node {
            Node::Text { pos, end } => {
                self.spend(frame, *pos, *end, 1)?;
                self.wrote(frame, *pos, *end, (*end - *pos) as usize)?;
                let start = out.len() as u32;
                out.push_str(&frame.tree.source[*pos as usize..*end as usize]);
                if let Some(t) = &mut self.trace {
                    let origin = Origin::Text { file: Rc::clone(&frame.tree.file), pos: *pos };
                    t.push(Segment { start, end: out.len() as u32, origin, via: None });
                    self.budget.written += TRACE_COST;
                }
            }
            Node::Action { pos, end, pipe } => {
                let saved = self.trace.as_mut().map(|t| std::mem::take(&mut t.events));
                let start = out.len();
                self.spend(frame, *pos, *end, 1)?;
                let v = self.pipeline(frame, pipe, dot)?;
                if pipe.decl.is_empty() {
                    print_value(&v, out);
                    if let Some(cut) = limits::take_cut() {
                        return Err(self.limit_error(frame, *pos, *end, cut.message()));
                    }
                    self.wrote(frame, *pos, *end, out.len() - start)?;
                }
                if let (Some(t), Some(saved)) = (&mut self.trace, saved) {
                    let events = std::mem::replace(&mut t.events, saved);
                    if out.len() > start {
                        let file = &frame.tree.file;
                        let origin = Origin::Action { file: Rc::clone(file), pos: *pos, end: *end };
                        t.push(Segment { start: start as u32, end: out.len() as u32, origin, via: None });
                        self.budget.written += TRACE_COST;
                        t.attribute(events, &out[start..], start as u32, file, *pos, *end);
                    }
                }
            }
            // Blocks nest as deep as the parser allows: grow the stack on the heap when low.
            Node::If(_) | Node::With(_) | Node::Range(_) => {
                return stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.block(frame, node, dot, out));
            }
            Node::Template { pos, end, name, pipe } => {
                let data = match pipe {
                    Some(p) => self.pipeline(frame, p, dot)?,
                    None => Value::Nil,
                };
                let tree = self
                    .lookup(name)
                    .ok_or_else(|| self.error(frame, *pos, *end, format!("template {name:?} not defined")))?;
                self.called_template(frame, *pos, *end)?;
                self.run_tree(&tree, &data, out)?;
            }
            Node::Break { .. } => return Ok(Flow::Break),
            Node::Continue { .. } => return Ok(Flow::Continue),
        }
        Ok(Flow::Normal)
    }

    fn block(&mut self, frame: &mut Frame<'_>, node: &Node, dot: &Value, out: &mut String) -> Result<Flow, ExecError> {
        let c = match node {
            Node::Range(c) => return self.range(frame, c, dot, out),
            Node::If(c) | Node::With(c) => c,
            _ => return Ok(Flow::Normal),
        };
        self.spend(frame, c.pos, c.pos, 1)?;
        let mark = frame.vars.len();
        let v = self.pipeline(frame, &c.pipe, dot)?;
        let flow = if v.truthy() {
            let new_dot = if matches!(node, Node::With(_)) { v } else { dot.clone() };
            self.walk_list(frame, &c.list, &new_dot, out)?
        } else if let Some(else_list) = &c.else_list {
            self.walk_list(frame, else_list, dot, out)?
        } else {
            Flow::Normal
        };
        frame.vars.truncate(mark);
        Ok(flow)
    }

    fn range(&mut self, frame: &mut Frame<'_>, c: &Control, dot: &Value, out: &mut String) -> Result<Flow, ExecError> {
        let mark = frame.vars.len();
        let v = self.pipeline(frame, &c.pipe, dot)?;
        let after_decl = frame.vars.len();
        // A range over an int counts without building the pairs (`range 100000000`).
        let count = match &v {
            Value::Int(n) => Some((*n).max(0)),
            _ => None,
        };
        let mut items: Vec<(Value, Value)> = match &v {
            Value::Int(_) => Vec::new(),
            Value::List(l) => l.iter().enumerate().map(|(i, e)| (Value::Int(i as i64), e.clone())).collect(),
            Value::Map(m) => m.borrow().iter().map(|(k, e)| (Value::str(k.as_str()), e.clone())).collect(),
            Value::Bytes(b) => {
                b.iter().enumerate().map(|(i, e)| (Value::Int(i as i64), Value::Int(i64::from(*e)))).collect()
            }
            Value::Nil => Vec::new(),
            Value::Object(o) if o.entries().is_some() => o.entries().unwrap_or_default(),
            Value::Object(o) if o.items().is_some() => {
                o.items().unwrap_or_default().into_iter().enumerate().map(|(i, e)| (Value::Int(i as i64), e)).collect()
            }
            other => {
                return Err(self.error(frame, c.pipe.pos, c.pipe.end, format!("range can't iterate over {other}")))
            }
        };
        let len = count.map_or(items.len() as u64, |n| n as u64);
        let mut flow = Flow::Normal;
        if len == 0 {
            if let Some(else_list) = &c.else_list {
                flow = self.walk_list(frame, else_list, dot, out)?;
            }
        }
        for i in 0..len {
            self.spend(frame, c.pos, c.pos, 1)?;
            let (key, elem) = match count {
                Some(_) => (Value::Int(i as i64), Value::Int(i as i64)),
                None => std::mem::take(&mut items[i as usize]),
            };
            if let Some(t) = &mut self.trace {
                t.ranged(&v, &key, &elem);
            }
            // One declared variable gets the element; two get key and element.
            match c.pipe.decl.len() {
                1 => frame.vars[after_decl - 1].1 = elem.clone(),
                2 => {
                    frame.vars[after_decl - 2].1 = key;
                    frame.vars[after_decl - 1].1 = elem.clone();
                }
                _ => {}
            }
            let iter_mark = frame.vars.len();
            let f = self.walk_list(frame, &c.list, &elem, out)?;
            frame.vars.truncate(iter_mark);
            match f {
                Flow::Break => break,
                Flow::Continue | Flow::Normal => {}
            }
        }
        frame.vars.truncate(mark);
        if matches!(flow, Flow::Break | Flow::Continue) {
            // break/continue inside else of an outer range propagate.
            return Ok(flow);
        }
        Ok(Flow::Normal)
    }

    /// A parenthesised pipeline: they nest as deep as the parser allows.
    fn nested_pipeline(&mut self, frame: &mut Frame<'_>, pipe: &Pipe, dot: &Value) -> Result<Value, ExecError> {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.pipeline(frame, pipe, dot))
    }

    fn pipeline(&mut self, frame: &mut Frame<'_>, pipe: &Pipe, dot: &Value) -> Result<Value, ExecError> {
        let mut value: Option<Value> = None;
        for cmd in &pipe.cmds {
            value = Some(self.command(frame, cmd, dot, value)?.value);
        }
        let value = value.unwrap_or_default();
        for name in &pipe.decl {
            if pipe.is_assign {
                if let Some(slot) = frame.vars.iter_mut().rev().find(|(n, _)| n == name) {
                    slot.1 = value.clone();
                }
            } else {
                frame.vars.push((name.clone(), value.clone()));
            }
        }
        Ok(value)
    }

    fn command(
        &mut self,
        frame: &mut Frame<'_>,
        cmd: &Command,
        dot: &Value,
        fin: Option<Value>,
    ) -> Result<Eval, ExecError> {
        let first = &cmd.args[0];
        let rest = &cmd.args[1..];
        let plain = |v: Value| Eval { value: v, from_map: false };
        match first {
            Arg::Field { names, .. } => self.field_chain(
                frame,
                cmd,
                go_node_at(first),
                dot,
                Eval { value: dot.clone(), from_map: false },
                names,
                rest,
                fin,
            ),
            Arg::Variable { names, .. } => {
                let v = self.var(frame, cmd, &names[0])?;
                if names.len() == 1 {
                    self.no_args(frame, cmd, rest, &fin, &names[0])?;
                    return Ok(plain(v));
                }
                self.field_chain(frame, cmd, go_node_at(first), dot, plain(v), &names[1..], rest, fin)
            }
            Arg::Chain { node, names, .. } => {
                let base = self.arg(frame, cmd, node, dot)?;
                self.field_chain(frame, cmd, go_node_at(first), dot, base, names, rest, fin)
            }
            Arg::Identifier { name, .. } => self.call(frame, cmd, name, rest, dot, fin).map(plain),
            Arg::Pipe { pipe, .. } => {
                self.no_args(frame, cmd, rest, &fin, "pipeline")?;
                self.nested_pipeline(frame, pipe, dot).map(plain)
            }
            Arg::Nil { .. } => Err(self.error(frame, cmd.pos, cmd.end, "nil is not a command")),
            other => {
                let text = frame.tree.source[cmd.pos as usize..cmd.end as usize].to_string();
                self.no_args(frame, cmd, rest, &fin, &text)?;
                self.arg(frame, cmd, other, dot)
            }
        }
    }

    fn no_args(
        &self,
        frame: &Frame<'_>,
        cmd: &Command,
        rest: &[Arg],
        fin: &Option<Value>,
        what: &str,
    ) -> Result<(), ExecError> {
        if !rest.is_empty() || fin.is_some() {
            return Err(self.error(frame, cmd.pos, cmd.end, format!("can't give argument to non-function {what}")));
        }
        Ok(())
    }

    fn var(&self, frame: &Frame<'_>, cmd: &Command, name: &str) -> Result<Value, ExecError> {
        frame
            .vars
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .ok_or_else(|| self.error(frame, cmd.pos, cmd.end, format!("undefined variable: {name}")))
    }

    /// An argument's value (as an operand inside a command).
    fn arg(&mut self, frame: &mut Frame<'_>, cmd: &Command, arg: &Arg, dot: &Value) -> Result<Eval, ExecError> {
        let plain = |v: Value| Eval { value: v, from_map: false };
        Ok(match arg {
            Arg::Dot { .. } => plain(dot.clone()),
            Arg::Nil { .. } => plain(Value::Nil),
            Arg::Bool { value, .. } => plain(Value::Bool(*value)),
            Arg::Number { value: Number::Int(i), .. } => plain(Value::Int(*i)),
            Arg::Number { value: Number::Float(f), .. } => plain(Value::Float(*f)),
            Arg::Str { value, .. } => plain(Value::Str(Rc::clone(value))),
            Arg::Field { names, .. } => {
                self.field_chain(frame, cmd, go_node_at(arg), dot, plain(dot.clone()), names, &[], None)?
            }
            Arg::Variable { names, .. } => {
                let v = self.var(frame, cmd, &names[0])?;
                if names.len() == 1 {
                    plain(v)
                } else {
                    self.field_chain(frame, cmd, go_node_at(arg), dot, plain(v), &names[1..], &[], None)?
                }
            }
            Arg::Chain { node, names, .. } => {
                let base = self.arg(frame, cmd, node, dot)?;
                self.field_chain(frame, cmd, go_node_at(arg), dot, base, names, &[], None)?
            }
            Arg::Pipe { pipe, .. } => plain(self.nested_pipeline(frame, pipe, dot)?),
            Arg::Identifier { name, .. } => plain(self.call(frame, cmd, name, &[], dot, None)?),
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn field_chain(
        &mut self,
        frame: &mut Frame<'_>,
        cmd: &Command,
        at: At,
        dot: &Value,
        mut recv: Eval,
        names: &[String],
        args: &[Arg],
        fin: Option<Value>,
    ) -> Result<Eval, ExecError> {
        let n = names.len();
        for (i, name) in names.iter().enumerate() {
            let last = i + 1 == n;
            let (args, fin) = if last { (args, fin.clone()) } else { (&[][..], None) };
            let parent = if self.trace.is_some() { Some(recv.value.clone()) } else { None };
            recv = self.field(frame, cmd, at, dot, recv, name, args, fin)?;
            // Only the end of a chain is what the action uses; intermediate maps are only
            // registered, so lookups on them later know their path.
            if let (Some(t), Some(parent)) = (&mut self.trace, parent) {
                if last {
                    t.looked_up(&parent, name, &recv.value);
                } else {
                    t.descended(&parent, name, &recv.value);
                }
            }
        }
        Ok(recv)
    }

    #[allow(clippy::too_many_arguments)]
    fn field(
        &mut self,
        frame: &mut Frame<'_>,
        cmd: &Command,
        at: At,
        dot: &Value,
        recv: Eval,
        name: &str,
        args: &[Arg],
        fin: Option<Value>,
    ) -> Result<Eval, ExecError> {
        let has_args = !args.is_empty() || fin.is_some();
        match &recv.value {
            Value::Nil if recv.from_map => {
                Err(self.error_at(frame, at, format!("nil pointer evaluating interface {{}}.{name}")))
            }
            // missingkey=zero: a field of an invalid value is an invalid value.
            Value::Nil => Ok(Eval { value: Value::Nil, from_map: false }),
            Value::Map(m) => {
                if has_args {
                    return Err(self.error_at(frame, at, format!("{name} is not a method but has arguments")));
                }
                let v = m.borrow().get(name).cloned().unwrap_or(Value::Nil);
                Ok(Eval { value: v, from_map: true })
            }
            Value::Object(o) => {
                let o = Rc::clone(o);
                if has_args {
                    let mut vals = Vec::with_capacity(args.len() + 1);
                    for a in args {
                        vals.push(self.arg(frame, cmd, a, dot)?.value);
                    }
                    vals.extend(fin);
                    return match o.call(name, &vals) {
                        Some(Ok(v)) => Ok(Eval { value: v, from_map: false }),
                        Some(Err(e)) => Err(self.error(frame, cmd.pos, cmd.end, format!("error calling {name}: {e}"))),
                        None => Err(self.error_at(
                            frame,
                            at,
                            format!("can't evaluate field {name} in type {}", o.type_name()),
                        )),
                    };
                }
                match o.field(name) {
                    Some(v) => Ok(Eval { value: v, from_map: false }),
                    None => {
                        Err(self.error_at(frame, at, format!("can't evaluate field {name} in type {}", o.type_name())))
                    }
                }
            }
            other => {
                let ty = if recv.from_map { "interface {}".to_string() } else { other.type_name() };
                Err(self.error_at(frame, at, format!("can't evaluate field {name} in type {ty}")))
            }
        }
    }

    fn call(
        &mut self,
        frame: &mut Frame<'_>,
        cmd: &Command,
        name: &str,
        args: &[Arg],
        dot: &Value,
        fin: Option<Value>,
    ) -> Result<Value, ExecError> {
        // Short-circuit boolean operators evaluate lazily.
        if name == "and" || name == "or" {
            let total = args.len() + usize::from(fin.is_some());
            if total == 0 {
                return Err(self.error(
                    frame,
                    cmd.pos,
                    cmd.end,
                    format!("wrong number of args for {name}: want at least 1 got 0"),
                ));
            }
            let mut last = Value::Nil;
            for a in args {
                last = self.arg(frame, cmd, a, dot)?.value;
                if last.truthy() != (name == "and") {
                    return Ok(last);
                }
            }
            if let Some(f) = fin {
                last = f;
            }
            return Ok(last);
        }
        let mut vals = Vec::with_capacity(args.len() + 1);
        for a in args {
            vals.push(self.arg(frame, cmd, a, dot)?.value);
        }
        vals.extend(fin);
        let result = match name {
            "include" => {
                let v = self.include(frame, cmd, &vals)?;
                self.check_result(frame, cmd, name, &v)?;
                return Ok(v);
            }
            "tpl" => {
                let v = self.tpl(frame, cmd, &vals)?;
                self.check_result(frame, cmd, name, &v)?;
                return Ok(v);
            }
            _ => match builtin(name, &vals) {
                Some(r) => r,
                None => match self.funcs.get(name) {
                    Some(f) => f(&mut self.ctx, &vals),
                    None => return Err(self.error(frame, cmd.pos, cmd.end, format!("function {name:?} not defined"))),
                },
            },
        };
        if let Ok(v) = &result {
            self.check_result(frame, cmd, name, v)?;
        }
        result.map_err(|e| {
            let mut err = self.error(frame, cmd.pos, cmd.end, func_error_text(name, &e));
            if matches!(name, "required" | "fail") {
                if let FuncError::Call(m) = &e {
                    err.user_message = Some(m.clone());
                }
            }
            err
        })
    }

    /// `include NAME DATA` and `tpl TEXT DATA` both take a string and a value.
    fn string_and_value(
        &self,
        frame: &Frame<'_>,
        cmd: &Command,
        func: &str,
        vals: &[Value],
    ) -> Result<String, ExecError> {
        if vals.len() != 2 {
            let msg = format!("wrong number of args for {func}: want 2 got {}", vals.len());
            return Err(self.error(frame, cmd.pos, cmd.end, msg));
        }
        match &vals[0] {
            Value::Str(s) => Ok(s.to_string()),
            other => {
                let msg = format!("wrong type for value; expected string; got {}", other.type_name());
                Err(self.error(frame, cmd.pos, cmd.end, msg))
            }
        }
    }

    fn include(&mut self, frame: &Frame<'_>, cmd: &Command, vals: &[Value]) -> Result<Value, ExecError> {
        let name = self.string_and_value(frame, cmd, "include", vals)?;
        let count = self.include_counts.entry(name.clone()).or_insert(0);
        if *count > MAX_INCLUDE_PER_NAME {
            return Err(self.error(frame, cmd.pos, cmd.end, format!("error calling include: rendering template has a nested reference name: {name}: unable to execute template")));
        }
        *count += 1;
        self.called_template(frame, cmd.pos, cmd.end)?;
        let result = match self.lookup(&name) {
            Some(tree) => {
                let mut out = String::new();
                self.begin_nested();
                let r = self.run_tree(&tree, &vals[1], &mut out);
                self.end_nested(&out);
                r.map(|_| out)
            }
            None => Err(ExecError {
                message: format!("template: no template {name:?} associated with template \"gotpl\""),
                file: frame.tree.parse_name.clone(),
                line: 0,
                col: 0,
                user_message: None,
            }),
        };
        if let Some(c) = self.include_counts.get_mut(&name) {
            *c -= 1;
        }
        result.map(Value::str).map_err(|inner| self.wrap(frame, cmd, "include", inner))
    }

    fn tpl(&mut self, frame: &Frame<'_>, cmd: &Command, vals: &[Value]) -> Result<Value, ExecError> {
        let text = self.string_and_value(frame, cmd, "tpl", vals)?;
        if !matches!(vals[1], Value::Map(_) | Value::Nil) {
            return Err(self.error(
                frame,
                cmd.pos,
                cmd.end,
                format!("wrong type for value; expected chartutil.Values; got {}", vals[1].type_name()),
            ));
        }
        // Parsed under the calling template's name; its defines are local to this call.
        let funcs = self.funcs;
        let is_func = |n: &str| funcs.contains(n) || ENGINE_FUNCS.contains(&n);
        let trees = parse::parse(&frame.tree.name, Rc::from(text.as_str()), &is_func).map_err(|e| {
            self.error(frame, cmd.pos, cmd.end, format!("error calling tpl: cannot parse template {text:?}: {e}"))
        })?;
        let mut overlay = HashMap::new();
        let mut main = None;
        for (i, t) in trees.into_iter().enumerate() {
            let t = Rc::new(t);
            if i == 0 {
                main = Some(Rc::clone(&t));
            } else {
                overlay.insert(t.name.clone(), t);
            }
        }
        self.called_template(frame, cmd.pos, cmd.end)?;
        self.overlays.push(overlay);
        let mut out = String::new();
        let r = match main {
            Some(t) => {
                // The text came from a values key (usually): its literal parts map to that key.
                let from = self.trace.as_ref().and_then(|tr| {
                    tr.events.iter().rev().find_map(|e| match e {
                        Event::Lookup { path, value: Value::Str(s) } if **s == *text => Some(Rc::clone(path)),
                        _ => None,
                    })
                });
                self.begin_nested();
                let r = self.run_tree(&t, &vals[1], &mut out);
                if let (Some(tr), Some(path)) = (&mut self.trace, from) {
                    if let Some(segs) = tr.buffers.last_mut() {
                        for seg in segs.iter_mut() {
                            if matches!(seg.origin, Origin::Text { .. }) {
                                let file = Rc::clone(&frame.tree.file);
                                seg.origin = Origin::Value { path: Rc::clone(&path), file, pos: cmd.pos, end: cmd.end };
                            }
                        }
                    }
                }
                self.end_nested(&out);
                r
            }
            None => Ok(()),
        };
        self.overlays.pop();
        match r {
            Ok(()) => Ok(Value::str(out.replace("<no value>", ""))),
            Err(inner) => {
                let mut e = self.error(
                    frame,
                    cmd.pos,
                    cmd.end,
                    format!("error calling tpl: error during tpl function execution for {text:?}: {}", inner.message),
                );
                e.user_message = inner.user_message;
                Err(e)
            }
        }
    }

    /// `include`/`tpl` render into a buffer of their own; its segments are located again in
    /// the output of the action that prints the result.
    fn begin_nested(&mut self) {
        if let Some(t) = &mut self.trace {
            t.buffers.push(Vec::new());
        }
    }

    fn end_nested(&mut self, text: &str) {
        if let Some(t) = &mut self.trace {
            let segments = t.buffers.pop().unwrap_or_default();
            self.budget.written += text.len() + TRACE_COST * segments.len();
            t.events.push(Event::Included { text: text.to_string(), segments });
        }
    }

    fn wrap(&self, frame: &Frame<'_>, cmd: &Command, name: &str, inner: ExecError) -> ExecError {
        let mut e = self.error(frame, cmd.pos, cmd.end, format!("error calling {name}: {}", inner.message));
        e.user_message = inner.user_message;
        // Diagnostics point at the innermost failure.
        if inner.line > 0 {
            e.file = inner.file;
            e.line = inner.line;
            e.col = inner.col;
        }
        e
    }
}

/// Where Go reports a field node. A chain of several fields is built from a chain node, so
/// it takes the position of its second field token (`.Values.a.b` → `.a`); the `<context>`
/// is the whole node.
fn go_node_at(arg: &Arg) -> At {
    match arg {
        Arg::Field { pos, end, names } if names.len() > 1 => {
            At { pos: pos + 1 + names[0].len() as Pos, start: *pos, end: *end }
        }
        Arg::Variable { pos, end, names } if names.len() > 1 => {
            At { pos: pos + names[0].len() as Pos, start: *pos, end: *end }
        }
        Arg::Field { pos, end, .. } | Arg::Variable { pos, end, .. } => At { pos: *pos, start: *pos, end: *end },
        Arg::Chain { pos, end, names, .. } => {
            let fields: Pos = names.iter().map(|n| 1 + n.len() as Pos).sum();
            At { pos: end.saturating_sub(fields), start: *pos, end: *end }
        }
        other => At { pos: other.pos(), start: other.pos(), end: other.pos() },
    }
}

fn func_error_text(name: &str, e: &FuncError) -> String {
    match e {
        FuncError::Arity { want, got, at_least: false } => {
            format!("wrong number of args for {name}: want {want} got {got}")
        }
        FuncError::Arity { want, got, at_least: true } => {
            format!("wrong number of args for {name}: want at least {want} got {got}")
        }
        FuncError::WrongType { expected, got } => format!("wrong type for value; expected {expected}; got {got}"),
        FuncError::InvalidNil { expected } => format!("invalid value; expected {expected}"),
        FuncError::Call(m) => format!("error calling {name}: {m}"),
    }
}

/// text/template's printValue: an invalid value prints as `<no value>` (Helm later removes it).
fn print_value(v: &Value, out: &mut String) {
    use std::fmt::Write;
    match v {
        Value::Nil => out.push_str("<no value>"),
        Value::Str(s) => out.push_str(s),
        other => {
            let _ = write!(out, "{other}");
        }
    }
}

// ---- builtins that are plain functions but belong to the engine ---------------------------

#[derive(PartialEq, Eq, Clone, Copy)]
enum Basic {
    Bool,
    Int,
    Float,
    Str,
    Invalid,
    Other,
}

fn basic(v: &Value) -> Basic {
    match v {
        Value::Bool(_) => Basic::Bool,
        Value::Int(_) => Basic::Int,
        Value::Float(_) => Basic::Float,
        Value::Str(_) | Value::BinStr(_) => Basic::Str,
        Value::Nil => Basic::Invalid,
        _ => Basic::Other,
    }
}

const BAD_COMPARISON: &str = "incompatible types for comparison";
const BAD_COMPARISON_TYPE: &str = "invalid type for comparison";

fn eq(a: &Value, others: &[Value]) -> Result<bool, FuncError> {
    if others.is_empty() {
        return Err(FuncError::Call("missing argument for comparison".into()));
    }
    let k1 = basic(a);
    for b in others {
        let k2 = basic(b);
        let truth = if k1 != k2 {
            if k1 != Basic::Invalid && k2 != Basic::Invalid && !(k1 == Basic::Other || k2 == Basic::Other) {
                return Err(FuncError::Call(BAD_COMPARISON.into()));
            }
            false
        } else {
            match (a, b) {
                (Value::Bool(x), Value::Bool(y)) => x == y,
                (Value::Int(x), Value::Int(y)) => x == y,
                (Value::Float(x), Value::Float(y)) => x == y,
                (x, y) if k1 == Basic::Str => x.string_bytes() == y.string_bytes(),
                (Value::Nil, Value::Nil) => true,
                (x, _) => return Err(FuncError::Call(format!("non-comparable type {x}: {}", x.type_name()))),
            }
        };
        if truth {
            return Ok(true);
        }
    }
    Ok(false)
}

fn lt(a: &Value, b: &Value) -> Result<bool, FuncError> {
    let (k1, k2) = (basic(a), basic(b));
    if matches!(k1, Basic::Invalid | Basic::Other | Basic::Bool)
        || matches!(k2, Basic::Invalid | Basic::Other | Basic::Bool)
    {
        return Err(FuncError::Call(BAD_COMPARISON_TYPE.into()));
    }
    if k1 != k2 {
        return Err(FuncError::Call(BAD_COMPARISON.into()));
    }
    Ok(match (a, b) {
        (Value::Int(x), Value::Int(y)) => x < y,
        (Value::Float(x), Value::Float(y)) => x < y,
        (x, y) => x.string_bytes() < y.string_bytes(),
    })
}

fn builtin(name: &str, args: &[Value]) -> Option<Result<Value, FuncError>> {
    let two =
        || if args.len() == 2 { Ok(()) } else { Err(FuncError::Arity { want: 2, got: args.len(), at_least: false }) };
    Some(match name {
        "not" => {
            if args.len() != 1 {
                Err(FuncError::Arity { want: 1, got: args.len(), at_least: false })
            } else {
                Ok(Value::Bool(!args[0].truthy()))
            }
        }
        "eq" => {
            if args.is_empty() {
                Err(FuncError::Arity { want: 1, got: 0, at_least: true })
            } else {
                eq(&args[0], &args[1..]).map(Value::Bool)
            }
        }
        "ne" => two().and_then(|_| eq(&args[0], &args[1..]).map(|t| Value::Bool(!t))),
        "lt" => two().and_then(|_| lt(&args[0], &args[1]).map(Value::Bool)),
        "le" => two().and_then(|_| Ok(Value::Bool(lt(&args[0], &args[1])? || eq(&args[0], &args[1..])?))),
        "gt" => two().and_then(|_| Ok(Value::Bool(!(lt(&args[0], &args[1])? || eq(&args[0], &args[1..])?)))),
        "ge" => two().and_then(|_| lt(&args[0], &args[1]).map(|t| Value::Bool(!t))),
        "len" => {
            if args.len() != 1 {
                Err(FuncError::Arity { want: 1, got: args.len(), at_least: false })
            } else {
                match &args[0] {
                    Value::Str(s) => Ok(Value::Int(s.len() as i64)),
                    Value::BinStr(s) => Ok(Value::Int(s.bytes.len() as i64)),
                    Value::Bytes(b) => Ok(Value::Int(b.len() as i64)),
                    Value::List(l) => Ok(Value::Int(l.len() as i64)),
                    Value::Map(m) => Ok(Value::Int(m.borrow().len() as i64)),
                    Value::Object(o) if o.len().is_some() => Ok(Value::Int(o.len().unwrap_or(0) as i64)),
                    Value::Nil => Err(FuncError::Call("len of nil pointer".into())),
                    other => Err(FuncError::Call(format!("len of type {}", other.type_name()))),
                }
            }
        }
        "index" => index(args),
        "call" => Err(FuncError::Call("call of a non-function value is not supported".into())),
        "required" => {
            if args.len() != 2 {
                Err(FuncError::Arity { want: 2, got: args.len(), at_least: false })
            } else {
                let msg = match &args[0] {
                    Value::Str(s) => s.to_string(),
                    other => return Some(Err(FuncError::WrongType { expected: "string", got: other.type_name() })),
                };
                match &args[1] {
                    Value::Nil => Err(FuncError::Call(msg)),
                    Value::Str(s) if s.is_empty() => Err(FuncError::Call(msg)),
                    v => Ok(v.clone()),
                }
            }
        }
        "fail" => match args {
            [Value::Str(s)] => Err(FuncError::Call(s.to_string())),
            [other] => Err(FuncError::WrongType { expected: "string", got: other.type_name() }),
            _ => Err(FuncError::Arity { want: 1, got: args.len(), at_least: false }),
        },
        // Never touch a cluster: lookups find nothing.
        "lookup" => {
            if args.len() != 4 {
                Err(FuncError::Arity { want: 4, got: args.len(), at_least: false })
            } else {
                Ok(Value::empty_map())
            }
        }
        _ => return None,
    })
}

fn index(args: &[Value]) -> Result<Value, FuncError> {
    let Some((item, idxs)) = args.split_first() else {
        return Err(FuncError::Arity { want: 1, got: 0, at_least: true });
    };
    let mut cur = item.clone();
    for idx in idxs {
        cur = match (&cur, idx) {
            (Value::Nil, _) => return Err(FuncError::Call("index of untyped nil".into())),
            (Value::Map(m), Value::Str(k)) => m.borrow().get(k.as_ref()).cloned().unwrap_or(Value::Nil),
            (Value::Map(_), Value::Nil) => Value::Nil,
            (Value::Map(_), other) => {
                return Err(FuncError::Call(format!("value has type {}; should be string", other.type_name())))
            }
            (Value::List(_) | Value::Str(_) | Value::BinStr(_) | Value::Bytes(_), i) => {
                let n = match i {
                    Value::Int(n) => *n,
                    Value::Float(_)
                    | Value::Nil
                    | Value::Bool(_)
                    | Value::Str(_)
                    | Value::BinStr(_)
                    | Value::List(_)
                    | Value::Map(_)
                    | Value::Bytes(_)
                    | Value::Object(_) => {
                        return Err(FuncError::Call(format!("cannot index slice/array with type {}", i.type_name())))
                    }
                };
                let len = match &cur {
                    Value::List(l) => l.len(),
                    Value::Bytes(b) => b.len(),
                    other => other.string_bytes().map_or(0, <[u8]>::len),
                };
                if n < 0 || n as usize >= len {
                    return Err(FuncError::Call(format!("index out of range: {n}")));
                }
                match &cur {
                    Value::List(l) => l[n as usize].clone(),
                    Value::Bytes(b) => Value::Int(i64::from(b[n as usize])),
                    other => other.string_bytes().map_or(Value::Nil, |s| Value::Int(i64::from(s[n as usize]))),
                }
            }
            (other, _) => return Err(FuncError::Call(format!("can't index item of type {}", other.type_name()))),
        };
    }
    Ok(cur)
}

#[cfg(test)]
mod tests;
