//! Budgets that keep one render bounded in time, memory and stack, whatever the chart does.
//!
//! Charts are untrusted input (pull requests, third-party charts), so a template must not be
//! able to crash, stall or exhaust the process: hitting a limit is a render error at the
//! template line that names the limit. Limits are Helm's where Helm (Go) has one; elsewhere
//! they are far above what real charts use (the README's "Limits and safety" lists the
//! corpus maxima beside them).
//!
//! Constants bound what single functions may build; [`Limits`] holds the per-render budgets
//! the executor counts (a request may lower them, as the fuzz targets do).

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use super::value::Value;

/// Largest string any function, `include` or `tpl` may return.
pub const MAX_STRING_BYTES: usize = 64 << 20;
/// Longest list (or largest map) a function may return.
pub const MAX_LIST_LEN: usize = 1 << 22;
/// Deepest value a recursive walk descends (serialisers, comparison, copy, merge, JSON):
/// go-yaml's and encoding/json's decoding limit.
pub const MAX_VALUE_DEPTH: usize = 10_000;
/// Most nodes one walk may visit: values that share substructure (a dict holding the same
/// dict twice, forty times over) would otherwise take exponential time to copy or compare.
pub const MAX_WALK_NODES: usize = 4_000_000;

/// Per-render budgets, counted by the executor.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Bytes all templates, `include`s and `tpl`s of one render may write in total (with the
    /// source map, when one is recorded).
    pub output_bytes: usize,
    /// Template nodes executed, range iterations and function calls, together.
    pub steps: u64,
    /// `include`, `template` and `tpl` calls, together.
    pub template_calls: u64,
    /// Wall time of one render.
    pub time: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { output_bytes: 64 << 20, steps: 50_000_000, template_calls: 200_000, time: Duration::from_secs(10) }
    }
}

/// Which limit a walk hit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WalkLimit {
    Depth,
    Cycle,
    Nodes,
}

impl WalkLimit {
    pub fn message(self) -> String {
        match self {
            WalkLimit::Depth => format!("value nested deeper than {MAX_VALUE_DEPTH} levels"),
            WalkLimit::Cycle => "value contains itself (a dict set into itself)".to_string(),
            WalkLimit::Nodes => format!("value has more than {MAX_WALK_NODES} nodes to visit"),
        }
    }
}

thread_local! {
    /// The first limit an infallible walk (`%v`, equality, JSON for the linter) hit since the
    /// executor last looked: those walks stop descending and leave the error here.
    static WALK_CUT: Cell<Option<WalkLimit>> = const { Cell::new(None) };
}

/// Record that an infallible walk was cut short.
pub fn note_cut(limit: WalkLimit) {
    WALK_CUT.with(|c| {
        if c.get().is_none() {
            c.set(Some(limit));
        }
    });
}

/// The limit an infallible walk hit since the last call, if any.
pub fn take_cut() -> Option<WalkLimit> {
    WALK_CUT.with(Cell::take)
}

/// Bounds one recursive walk over a value: its depth, cycles through maps, and the nodes it
/// visits; and grows the stack on the heap when deep values run it low.
#[derive(Default)]
pub struct Walk {
    /// Maps being visited, innermost last (only maps can close a cycle: lists are immutable).
    maps: Vec<*const ()>,
    depth: usize,
    nodes: usize,
}

impl Walk {
    pub fn new() -> Self {
        Walk::default()
    }

    /// Visit `v` with `f`, one level deeper.
    pub fn enter<R>(&mut self, v: &Value, f: impl FnOnce(&mut Walk) -> R) -> Result<R, WalkLimit> {
        self.nodes += 1;
        if self.nodes > MAX_WALK_NODES {
            return Err(WalkLimit::Nodes);
        }
        if self.depth >= MAX_VALUE_DEPTH {
            return Err(WalkLimit::Depth);
        }
        let map = match v {
            Value::Map(m) => Some(Rc::as_ptr(m).cast::<()>()),
            _ => None,
        };
        if let Some(p) = map {
            if self.maps.contains(&p) {
                return Err(WalkLimit::Cycle);
            }
            self.maps.push(p);
        }
        self.depth += 1;
        let r = stacker::maybe_grow(64 * 1024, 1024 * 1024, || f(self));
        self.depth -= 1;
        if map.is_some() {
            self.maps.pop();
        }
        Ok(r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::value::Map;

    fn depth(w: &mut Walk, v: &Value) -> Result<usize, WalkLimit> {
        w.enter(v, |w| match v {
            Value::List(l) => l.iter().map(|x| depth(w, x)).try_fold(0, |a, d| d.map(|d| a.max(d + 1))),
            Value::Map(m) => m.borrow().values().map(|x| depth(w, x)).try_fold(0, |a, d| d.map(|d| a.max(d + 1))),
            _ => Ok(0),
        })?
    }

    #[test]
    fn walks_stop_at_cycles_depth_and_node_counts() {
        let m = Value::empty_map();
        if let Value::Map(inner) = &m {
            inner.borrow_mut().insert("me".into(), m.clone());
        }
        assert_eq!(depth(&mut Walk::new(), &m), Err(WalkLimit::Cycle));
        if let Value::Map(inner) = &m {
            inner.borrow_mut().clear(); // break the cycle so the test does not leak
        }

        let mut deep = Value::Nil;
        for _ in 0..MAX_VALUE_DEPTH + 5 {
            deep = Value::list(vec![deep]);
        }
        assert_eq!(depth(&mut Walk::new(), &deep), Err(WalkLimit::Depth));

        // Shared, not cyclic: 2^40 paths through 40 maps.
        let mut shared = Value::Nil;
        for _ in 0..40 {
            shared = Value::map(Map::from([("a".into(), shared.clone()), ("b".into(), shared.clone())]));
        }
        assert_eq!(depth(&mut Walk::new(), &shared), Err(WalkLimit::Nodes));

        let ok = Value::list(vec![Value::map(Map::from([("k".into(), Value::Int(1))]))]);
        assert_eq!(depth(&mut Walk::new(), &ok), Ok(2));
    }
}
