//! Helm's value coalescing (`pkg/chart/common/util/coalesce.go`), ported step by step.
//!
//! Values are shared, mutable maps exactly like Go maps, and the port keeps Go's copying
//! discipline: a deep copy where Helm uses `copystructure.Copy`, a one-level copy where it
//! uses `maps.Copy`, and plain sharing everywhere else. Go's warnings (type conflicts, skipped
//! globals) change nothing and are not reproduced.
//!
//! Rules, for a chart and the values given for it ("dest", higher priority):
//! - a key missing from dest is copied from the chart's defaults;
//! - a null in dest deletes the key when coalescing (kept when merging: `merge = true`);
//! - maps merge recursively; otherwise dest wins (even a scalar over a default map);
//! - each subchart's values live under its name (alias), and the parent's `global` map is
//!   merged down into the subchart's `global`.

use std::cell::RefCell;
use std::rc::Rc;

use super::values::Node;
use super::{ChartError, ErrorKind};
use crate::render::value::{Map, Value};

pub type MapRef = Rc<RefCell<Map>>;

pub const GLOBAL_KEY: &str = "global";

fn as_map(v: &Value) -> Option<MapRef> {
    match v {
        Value::Map(m) => Some(m.clone()),
        _ => None,
    }
}

fn concat_prefix(a: &str, b: &str) -> String {
    if a.is_empty() {
        b.to_string()
    } else {
        format!("{a}.{b}")
    }
}

/// `copyValues`: a deep copy, never nil.
fn copy_values(vals: &Value) -> MapRef {
    match vals.deep_copy() {
        Value::Map(ref m) => Rc::clone(m),
        _ => Rc::new(RefCell::new(Map::new())),
    }
}

/// `CoalesceValues`: the chart's defaults (and its subcharts') under `vals`; nulls delete.
pub fn coalesce_values(chart: &Node<'_>, vals: &Value) -> Result<MapRef, ChartError> {
    let dest = copy_values(vals);
    coalesce(chart, &dest, "", false)?;
    Ok(dest)
}

/// `MergeValues`: like [`coalesce_values`] but nulls are kept.
pub fn merge_values(chart: &Node<'_>, vals: &Value) -> Result<MapRef, ChartError> {
    let dest = copy_values(vals);
    coalesce(chart, &dest, "", true)?;
    Ok(dest)
}

fn coalesce(chart: &Node<'_>, dest: &MapRef, prefix: &str, merge: bool) -> Result<(), ChartError> {
    coalesce_chart_values(chart, dest, prefix, merge);
    coalesce_deps(chart, dest, prefix, merge)
}

fn coalesce_deps(chart: &Node<'_>, dest: &MapRef, prefix: &str, merge: bool) -> Result<(), ChartError> {
    for sub in &chart.deps {
        let name = sub.name();
        let existing = dest.borrow().get(name).cloned();
        let dv = match existing {
            None => {
                let fresh: MapRef = Rc::new(RefCell::new(Map::new()));
                dest.borrow_mut().insert(name.to_string(), Value::Map(fresh.clone()));
                fresh
            }
            Some(Value::Map(ref m)) => Rc::clone(m),
            Some(other) => {
                return Err(ChartError::new(
                    ErrorKind::Values,
                    format!("type mismatch on {name}: {}", go_percent_t(&other)),
                ));
            }
        };
        let sub_prefix = concat_prefix(prefix, chart.name());
        coalesce_globals(&dv, dest, &sub_prefix);
        coalesce(sub, &dv, &sub_prefix, merge)?;
    }
    Ok(())
}

/// Go's `%t` verb applied to a non-bool: `%!t(string=foo)`.
fn go_percent_t(v: &Value) -> String {
    match v {
        Value::Bool(b) => b.to_string(),
        Value::Nil => "%!t(<nil>)".to_string(),
        other => format!("%!t({}={other})", other.type_name()),
    }
}

/// `coalesceGlobals`: copy the parent's (`src`) globals into the subchart's (`dest`) globals;
/// the parent wins, maps are merged one level deep at a time.
fn coalesce_globals(dest: &MapRef, src: &MapRef, prefix: &str) {
    let dg = match dest.borrow().get(GLOBAL_KEY) {
        None => Rc::new(RefCell::new(Map::new())),
        Some(Value::Map(m)) => m.clone(),
        Some(_) => return, // "skipping globals because destination global is not a table"
    };
    let sg_entries: Vec<(String, Value)> = match src.borrow().get(GLOBAL_KEY) {
        None => Vec::new(),
        Some(Value::Map(m)) => m.borrow().iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        Some(_) => return,
    };
    for (key, val) in sg_entries {
        if let Some(val_map) = as_map(&val) {
            // `copyMap`: one level only; nested maps stay shared.
            let vv: MapRef = Rc::new(RefCell::new(val_map.borrow().clone()));
            let existing = dg.borrow().get(&key).cloned();
            match existing {
                None => {
                    dg.borrow_mut().insert(key, Value::Map(vv));
                }
                Some(Value::Map(ref destv)) => {
                    coalesce_tables_full_key(&vv, &destv, &concat_prefix(prefix, &key), true);
                    dg.borrow_mut().insert(key, Value::Map(vv));
                }
                Some(_) => {} // "cannot merge map onto non-map"
            }
        } else {
            let dest_is_table = matches!(dg.borrow().get(&key), Some(Value::Map(_)));
            if !dest_is_table {
                dg.borrow_mut().insert(key, val);
            }
        }
    }
    dest.borrow_mut().insert(GLOBAL_KEY.to_string(), Value::Map(dg));
}

/// `coalesceValues`: fill `v` (the values given for this chart) from the chart's defaults.
fn coalesce_chart_values(chart: &Node<'_>, v: &MapRef, prefix: &str, merge: bool) {
    let sub_prefix = concat_prefix(prefix, chart.name());
    // A deep copy, so coalescing never alters the chart's own defaults.
    let defaults = match chart.values.deep_copy() {
        Value::Map(ref m) => m.borrow().clone(),
        _ => Map::new(),
    };
    for (key, val) in defaults {
        let given = v.borrow().get(&key).cloned();
        match given {
            None => {
                // Helm 4.2: when coalescing, nulls in chart defaults are dropped (the
                // oracle shows `a: null` in values.yaml vanishing from `.Values`).
                if !merge {
                    if matches!(val, Value::Nil) {
                        continue;
                    }
                    clean_nil_values(&val);
                }
                v.borrow_mut().insert(key, val);
            }
            Some(Value::Nil) if !merge => {
                // A null from the user removes the chart's key.
                v.borrow_mut().remove(&key);
            }
            Some(Value::Map(ref dest)) => {
                if let Value::Map(src) = &val {
                    // Subchart sections always merge (nulls are dealt with in the subchart).
                    let merge = merge || chart.deps.iter().any(|d| d.name() == key);
                    coalesce_tables_full_key(&dest, src, &concat_prefix(&sub_prefix, &key), merge);
                }
            }
            Some(_) => {}
        }
    }
}

/// `CoalesceTables`: `dst` wins; nulls in `dst` delete the key (Helm's non-merge import path;
/// kept for callers that need it and for the tests pinning Helm's table semantics).
#[cfg_attr(not(test), allow(dead_code))]
pub fn coalesce_tables(dst: &MapRef, src: &MapRef) {
    coalesce_tables_full_key(dst, src, "", false);
}

/// `MergeTables`: `dst` wins; nulls are kept.
pub fn merge_tables(dst: &MapRef, src: &MapRef) {
    coalesce_tables_full_key(dst, src, "", true);
}

/// `cleanNilValues`: remove null entries from maps, recursively (lists are left alone).
fn clean_nil_values(v: &Value) {
    if let Value::Map(m) = v {
        m.borrow_mut().retain(|_, item| !matches!(item, Value::Nil));
        let children: Vec<Value> = m.borrow().values().cloned().collect();
        for child in &children {
            clean_nil_values(child);
        }
    }
}

/// `coalesceTablesFullKey`: merge `src` into `dst`, `dst` taking precedence.
///
/// Helm 4.2 semantics: a null in `dst` deletes the key only when `src` has a non-null value
/// there (a null over a null survives), and when coalescing, null defaults from `src` are not
/// copied (nested ones are cleaned out of copied maps).
fn coalesce_tables_full_key(dst: &MapRef, src: &MapRef, prefix: &str, merge: bool) {
    let src_non_nil: std::collections::HashSet<String> =
        src.borrow().iter().filter(|(_, v)| !matches!(v, Value::Nil)).map(|(k, _)| k.clone()).collect();
    // Helm marks dst's nulls in src too (so they are seen below), mutating src.
    let nil_keys: Vec<String> =
        dst.borrow().iter().filter(|(_, v)| matches!(v, Value::Nil)).map(|(k, _)| k.clone()).collect();
    for key in nil_keys {
        src.borrow_mut().insert(key, Value::Nil);
    }
    let src_entries: Vec<(String, Value)> = src.borrow().iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    for (key, val) in src_entries {
        let existing = dst.borrow().get(&key).cloned();
        match existing {
            Some(Value::Nil) if !merge && src_non_nil.contains(&key) => {
                dst.borrow_mut().remove(&key);
            }
            None => {
                if !merge {
                    if matches!(val, Value::Nil) {
                        continue;
                    }
                    clean_nil_values(&val);
                }
                dst.borrow_mut().insert(key, val);
            }
            Some(dv) => {
                if let (Value::Map(dm), Value::Map(sm)) = (&dv, &val) {
                    if !Rc::ptr_eq(dm, sm) {
                        coalesce_tables_full_key(dm, sm, &concat_prefix(prefix, &key), merge);
                    }
                }
                // Otherwise dst keeps its value (Go only warns on table/non-table conflicts).
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(json: &str) -> MapRef {
        match serde_json::from_str::<serde_json::Value>(json).map(|j| Value::from_json(&j)) {
            Ok(Value::Map(ref m)) => Rc::clone(m),
            other => panic!("bad test json {json}: {other:?}"),
        }
    }

    fn show(m: &MapRef) -> String {
        Value::Map(m.clone()).to_json().to_string()
    }

    // helm coalesce_test.go TestCoalesceTables (dst wins, nulls delete, tables merge,
    // table vs scalar keeps dst).
    #[test]
    fn coalesce_tables_like_helm() {
        let dst = map(
            r#"{"name":"Ishmael","address":{"street":"123 Spouter Inn Ct.","city":"Nantucket","country":null},"details":{"friends":["Tashtego"]},"boat":"pequod","hole":null}"#,
        );
        let src = map(
            r#"{"occupation":"whaler","address":{"state":"MA","street":"234 Spouter Inn Ct.","country":"US"},"details":"empty","boat":{"mast":true},"hole":"black"}"#,
        );
        coalesce_tables(&dst, &src);
        assert_eq!(
            show(&dst),
            r#"{"address":{"city":"Nantucket","state":"MA","street":"123 Spouter Inn Ct."},"boat":"pequod","details":{"friends":["Tashtego"]},"name":"Ishmael","occupation":"whaler"}"#
        );
    }

    #[test]
    fn merge_tables_keeps_nulls() {
        let dst = map(r#"{"a":null,"b":{"c":null}}"#);
        let src = map(r#"{"a":1,"b":{"c":2,"d":3}}"#);
        merge_tables(&dst, &src);
        assert_eq!(show(&dst), r#"{"a":null,"b":{"c":null,"d":3}}"#);
    }

    #[test]
    fn percent_t() {
        assert_eq!(go_percent_t(&Value::str("x")), "%!t(string=x)");
        assert_eq!(go_percent_t(&Value::Nil), "%!t(<nil>)");
        assert_eq!(go_percent_t(&Value::Float(1.0)), "%!t(float64=1)");
    }
}
