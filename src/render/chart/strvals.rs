//! Helm's `--set` family (`pkg/strvals`) and how `helm template` combines value sources
//! (`pkg/cli/values.Options.MergeValues`).
//!
//! `name=value` pairs are comma separated; keys nest with `.`, index lists with `[n]`
//! (`a.b[1].c=x`), and `\` escapes the next character (`a\.b=1` is the key `a.b`). Values
//! can be `{x,y}` lists. Typing, as `strvals.typedVal` does it: `true`/`false` (any case)
//! are booleans, `null` is nil, decimal integers without a leading zero are **int64** (not
//! float64 like YAML values), everything else is a string. `--set-string` keeps strings,
//! `--set-json` values are JSON, `--set-file` values are file contents, `--set-literal` takes
//! the whole rest of the argument as one string.

use std::cell::RefCell;
use std::rc::Rc;

use super::load::{load_values, merge_maps};
use crate::render::value::{Map, Value};

/// `strvals.MaxIndex`.
pub const MAX_INDEX: i64 = 65536;
/// `strvals.MaxNestedNameLevel`.
pub const MAX_NESTED_NAME_LEVEL: usize = 30;
/// Lists nested in lists (`a[0][0]…`): Helm does not count them (it recurses on Go's growable
/// stack); we stop at this many.
pub const MAX_NESTED_LIST_LEVEL: usize = 1000;

fn too_many_lists<T>(list: Vec<Value>) -> (Vec<Value>, Res<T>) {
    let message =
        format!("list nested level is greater than maximum supported nested level of {MAX_NESTED_LIST_LEVEL}");
    (list, err(message))
}

type MapRef = Rc<RefCell<Map>>;

/// Why parsing stopped: the end of input (not an error at top level) or a Helm error message.
#[derive(Debug)]
enum Stop {
    Eof,
    Err(String),
}

type Res<T> = Result<T, Stop>;

fn err<T>(msg: impl Into<String>) -> Res<T> {
    Err(Stop::Err(msg.into()))
}

/// How values are turned into Go values.
enum Mode<'a> {
    /// `--set` (`false`) and `--set-string` (`true`).
    Typed { force_string: bool },
    /// `--set-json`.
    Json,
    /// `--set-file`: the value is a path, read by the callback.
    File(&'a dyn Fn(&str) -> Result<Value, String>),
}

struct Parser<'a> {
    chars: Vec<char>,
    pos: usize,
    mode: Mode<'a>,
    /// Lists being parsed inside lists.
    lists: usize,
}

/// Go's `%q` (strconv.Quote).
fn go_q(chars: &[char]) -> String {
    let mut out = String::from("\"");
    for &c in chars {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{07}' => out.push_str("\\a"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0C}' => out.push_str("\\f"),
            '\u{0B}' => out.push_str("\\v"),
            c if (c as u32) < 0x80 && c.is_control() => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Go's `%q` applied to a `[]rune`: each rune quoted, `['a' 'b']`.
fn go_q_runes(chars: &[char]) -> String {
    let quoted: Vec<String> = chars
        .iter()
        .map(|&c| match c {
            '\'' => "'\\''".to_string(),
            '"' => "'\"'".to_string(),
            c => {
                let s = go_q(&[c]);
                format!("'{}'", &s[1..s.len() - 1])
            }
        })
        .collect();
    format!("[{}]", quoted.join(" "))
}

/// Go type names in strvals' panic messages ("interface conversion: ...").
fn go_type(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Nil) => "nil".into(),
        Some(Value::Int(_)) => "int64".into(),
        Some(other) => other.type_name(),
    }
}

fn conversion_panic(v: Option<&Value>, want: &str) -> Stop {
    Stop::Err(format!("unable to parse key: interface conversion: interface {{}} is {}, not {want}", go_type(v)))
}

/// `strvals.typedVal`.
pub fn typed_val(text: &str, force_string: bool) -> Value {
    if force_string {
        return Value::str(text);
    }
    if text.eq_ignore_ascii_case("true") {
        return Value::Bool(true);
    }
    if text.eq_ignore_ascii_case("false") {
        return Value::Bool(false);
    }
    if text.eq_ignore_ascii_case("null") {
        return Value::Nil;
    }
    if text == "0" {
        return Value::Int(0);
    }
    if !text.is_empty() && !text.starts_with('0') {
        if let Ok(i) = text.parse::<i64>() {
            return Value::Int(i);
        }
    }
    Value::str(text)
}

fn set(data: &MapRef, key: &[char], val: Value) {
    if key.is_empty() {
        return;
    }
    data.borrow_mut().insert(key.iter().collect(), val);
}

fn set_index(mut list: Vec<Value>, index: i64, val: Value) -> (Vec<Value>, Res<()>) {
    if index < 0 {
        return (list, err(format!("negative {index} index not allowed")));
    }
    if index > MAX_INDEX {
        return (list, err(format!("index of {index} is greater than maximum supported index of {MAX_INDEX}")));
    }
    let index = index as usize;
    if list.len() <= index {
        list.resize(index + 1, Value::Nil);
    }
    list[index] = val;
    (list, Ok(()))
}

fn list_of(v: &Value) -> Vec<Value> {
    match v {
        Value::List(l) => l.as_ref().clone(),
        _ => Vec::new(),
    }
}

impl<'a> Parser<'a> {
    fn new(text: &str, mode: Mode<'a>) -> Parser<'a> {
        Parser { chars: text.chars().collect(), pos: 0, mode, lists: 0 }
    }

    fn next_char(&mut self) -> Option<char> {
        let c = self.chars.get(self.pos).copied();
        if c.is_some() {
            self.pos += 1;
        }
        c
    }

    /// `runesUntil`: collect until a stop rune (consumed); `\` escapes. `None` at end.
    fn runes_until(&mut self, stop: &[char]) -> (Vec<char>, Option<char>) {
        let mut v = Vec::new();
        loop {
            match self.next_char() {
                None => return (v, None),
                Some(c) if stop.contains(&c) => return (v, Some(c)),
                Some('\\') => match self.next_char() {
                    None => return (v, None),
                    Some(n) => v.push(n),
                },
                Some(c) => v.push(c),
            }
        }
    }

    fn parse(&mut self, data: &MapRef) -> Result<(), String> {
        loop {
            match self.key(data, 0) {
                Ok(()) => continue,
                Err(Stop::Eof) => return Ok(()),
                Err(Stop::Err(e)) => return Err(e),
            }
        }
    }

    fn read_value(&mut self, rs: &[char]) -> Res<Value> {
        let text: String = rs.iter().collect();
        match &self.mode {
            Mode::Typed { force_string } => Ok(typed_val(&text, *force_string)),
            Mode::File(read) => read(&text).map_err(Stop::Err),
            Mode::Json => Ok(typed_val(&text, false)),
        }
    }

    fn key(&mut self, data: &MapRef, mut level: usize) -> Res<()> {
        let (k, last) = self.runes_until(&['=', '[', ',', '.']);
        let kk: String = k.iter().collect();
        match last {
            None => {
                if k.is_empty() {
                    Err(Stop::Eof)
                } else {
                    err(format!("key {} has no value", go_q(&k)))
                }
            }
            Some('[') => {
                let i = self.key_index().map_err(|e| match e {
                    Stop::Eof => Stop::Err("error parsing index: EOF".into()),
                    Stop::Err(m) => Stop::Err(format!("error parsing index: {m}")),
                })?;
                let existing = data.borrow().get(&kk).cloned();
                let list = match &existing {
                    None => Vec::new(),
                    Some(Value::List(l)) => l.as_ref().clone(),
                    other => return Err(conversion_panic(other.as_ref(), "[]interface {}")),
                };
                let (list, result) = self.list_item(list, i, level);
                set(data, &k, Value::list(list));
                result
            }
            Some('=') => {
                if matches!(self.mode, Mode::Json) {
                    return self.json_value(|v| set(data, &k, v));
                }
                match self.val_list() {
                    Ok(vl) => {
                        set(data, &k, Value::list(vl));
                        Ok(())
                    }
                    Err(ValListStop::Eof) => {
                        set(data, &k, Value::str(""));
                        Err(Stop::Eof)
                    }
                    Err(ValListStop::NotList) => {
                        let rs = self.val();
                        let v = self.read_value(&rs)?;
                        set(data, &k, v);
                        Ok(())
                    }
                    Err(ValListStop::Err(e)) => Err(e),
                }
            }
            Some(',') => {
                set(data, &k, Value::str(""));
                err(format!("key {} has no value (cannot end with ,)", go_q(&k)))
            }
            Some(_) => {
                // '.'
                level += 1;
                if level > MAX_NESTED_NAME_LEVEL {
                    return err(format!(
                        "value name nested level is greater than maximum supported nested level of {MAX_NESTED_NAME_LEVEL}"
                    ));
                }
                let existing = data.borrow().get(&kk).cloned();
                let inner = match &existing {
                    None => Rc::new(RefCell::new(Map::new())),
                    Some(Value::Map(m)) => m.clone(),
                    other => return Err(conversion_panic(other.as_ref(), "map[string]interface {}")),
                };
                let result = self.key(&inner, level);
                let empty = inner.borrow().is_empty();
                if result.is_ok() && empty {
                    return err(format!("key map {} has no value", go_q(&k)));
                }
                if !empty {
                    set(data, &k, Value::Map(inner));
                }
                result
            }
        }
    }

    fn key_index(&mut self) -> Res<i64> {
        let (v, last) = self.runes_until(&[']']);
        if last.is_none() {
            return Err(Stop::Eof);
        }
        let text: String = v.iter().collect();
        text.parse::<i64>().map_err(|e| {
            let why = if matches!(e.kind(), std::num::IntErrorKind::PosOverflow | std::num::IntErrorKind::NegOverflow) {
                "value out of range"
            } else {
                "invalid syntax"
            };
            Stop::Err(format!("strconv.Atoi: parsing {}: {why}", go_q(&v)))
        })
    }

    fn list_item(&mut self, list: Vec<Value>, i: i64, level: usize) -> (Vec<Value>, Res<()>) {
        if i < 0 {
            return (list, err(format!("negative {i} index not allowed")));
        }
        let (k, last) = self.runes_until(&['[', '.', '=']);
        if !k.is_empty() {
            return (list, err(format!("unexpected data at end of array index: {}", go_q_runes(&k))));
        }
        match last {
            None => (list, Err(Stop::Eof)),
            Some('=') => {
                if matches!(self.mode, Mode::Json) {
                    let mut slot = None;
                    if let Err(e) = self.json_value(|v| slot = Some(v)) {
                        return (list, Err(e));
                    }
                    return set_index(list, i, slot.unwrap_or_default());
                }
                match self.val_list() {
                    Ok(vl) => set_index(list, i, Value::list(vl)),
                    Err(ValListStop::Eof) => set_index(list, i, Value::str("")),
                    Err(ValListStop::NotList) => {
                        let rs = self.val();
                        match self.read_value(&rs) {
                            Ok(v) => set_index(list, i, v),
                            Err(e) => (list, Err(e)),
                        }
                    }
                    Err(ValListStop::Err(e)) => (list, Err(e)),
                }
            }
            Some('[') => {
                let next = match self.key_index() {
                    Ok(n) => n,
                    Err(Stop::Eof) => return (list, err("error parsing index: EOF")),
                    Err(Stop::Err(m)) => return (list, err(format!("error parsing index: {m}"))),
                };
                let current = match list.get(i as usize) {
                    None | Some(Value::Nil) => Vec::new(),
                    Some(Value::List(l)) => l.as_ref().clone(),
                    other => {
                        let e = conversion_panic(other, "[]interface {}");
                        return (list, Err(e));
                    }
                };
                if self.lists >= MAX_NESTED_LIST_LEVEL {
                    return too_many_lists(list);
                }
                self.lists += 1;
                // Each level takes more stack than a worker thread's 2 MiB allows for 1000.
                let (inner, result) =
                    stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.list_item(current, next, level));
                self.lists -= 1;
                if let Err(e) = result {
                    return (list, Err(e));
                }
                set_index(list, i, Value::list(inner))
            }
            Some(_) => {
                // '.': a map inside the list (replacing whatever non-map was there).
                let mut list = list;
                let inner = match list.get(i as usize) {
                    Some(Value::Map(m)) => m.clone(),
                    Some(_) => {
                        let fresh = Rc::new(RefCell::new(Map::new()));
                        list[i as usize] = Value::Map(fresh.clone());
                        fresh
                    }
                    None => Rc::new(RefCell::new(Map::new())),
                };
                if let Err(e) = self.key(&inner, level) {
                    return (list, Err(e));
                }
                set_index(list, i, Value::Map(inner))
            }
        }
    }

    fn val(&mut self) -> Vec<char> {
        self.runes_until(&[',']).0
    }

    fn val_list(&mut self) -> Result<Vec<Value>, ValListStop> {
        match self.next_char() {
            None => return Err(ValListStop::Eof),
            Some('{') => {}
            Some(_) => {
                self.pos -= 1;
                return Err(ValListStop::NotList);
            }
        }
        let mut list = Vec::new();
        loop {
            let (rs, last) = self.runes_until(&[',', '}']);
            match last {
                None => return Err(ValListStop::Err(Stop::Err("list must terminate with '}'".into()))),
                Some('}') => {
                    if self.chars.get(self.pos) == Some(&',') {
                        self.pos += 1;
                    }
                    list.push(self.read_value(&rs).map_err(ValListStop::Err)?);
                    return Ok(list);
                }
                Some(_) => list.push(self.read_value(&rs).map_err(ValListStop::Err)?),
            }
        }
    }

    /// Skip blanks; true at a comma (consumed) or the end: the value is empty.
    fn empty_val(&mut self) -> bool {
        loop {
            match self.next_char() {
                None | Some(',') => return true,
                Some(c) if super::helmignore::is_go_space(c) => {}
                Some(_) => {
                    self.pos -= 1;
                    return false;
                }
            }
        }
    }

    /// `--set-json`: an empty value is null; otherwise decode one JSON value from here.
    fn json_value(&mut self, store: impl FnOnce(Value)) -> Res<()> {
        if self.empty_val() {
            store(Value::Nil);
            return Ok(());
        }
        let rest: String = self.chars[self.pos..].iter().collect();
        let mut stream = serde_json::Deserializer::from_str(&rest).into_iter::<serde_json::Value>();
        let value = match stream.next() {
            Some(Ok(v)) => v,
            Some(Err(e)) => return err(e.to_string()),
            None => return err("unexpected end of JSON input"),
        };
        let consumed = rest[..stream.byte_offset()].chars().count();
        store(Value::from_json(&value));
        self.pos += consumed;
        self.empty_val();
        Ok(())
    }
}

enum ValListStop {
    Eof,
    NotList,
    Err(Stop),
}

fn new_map() -> MapRef {
    Rc::new(RefCell::new(Map::new()))
}

fn run(text: &str, dest: &MapRef, mode: Mode<'_>) -> Result<(), String> {
    Parser::new(text, mode).parse(dest)
}

/// `strvals.Parse` (`--set a=b,c.d=e`).
pub fn parse(text: &str) -> Result<Value, String> {
    let m = new_map();
    run(text, &m, Mode::Typed { force_string: false })?;
    Ok(Value::Map(m))
}

/// `strvals.ParseString` (`--set-string`).
pub fn parse_string(text: &str) -> Result<Value, String> {
    let m = new_map();
    run(text, &m, Mode::Typed { force_string: true })?;
    Ok(Value::Map(m))
}

/// `strvals.ParseInto`: parse into an existing map (must be a map value).
pub fn parse_into(text: &str, dest: &Value) -> Result<(), String> {
    with_map(dest, |m| run(text, m, Mode::Typed { force_string: false }))
}

/// `strvals.ParseIntoString`.
pub fn parse_into_string(text: &str, dest: &Value) -> Result<(), String> {
    with_map(dest, |m| run(text, m, Mode::Typed { force_string: true }))
}

/// `strvals.ParseJSON` (`--set-json a={"b":1}`; an empty value is null).
pub fn parse_json_into(text: &str, dest: &Value) -> Result<(), String> {
    with_map(dest, |m| run(text, m, Mode::Json))
}

/// `strvals.ParseIntoFile` (`--set-file a=path`): `read` turns a path into a value.
pub fn parse_file_into(text: &str, dest: &Value, read: &dyn Fn(&str) -> Result<Value, String>) -> Result<(), String> {
    with_map(dest, |m| run(text, m, Mode::File(read)))
}

fn with_map(dest: &Value, f: impl FnOnce(&MapRef) -> Result<(), String>) -> Result<(), String> {
    match dest {
        Value::Map(m) => f(m),
        _ => Err("destination is not a map".into()),
    }
}

/// `strvals.ParseLiteralInto` (`--set-literal a.b=everything, even commas`).
pub fn parse_literal_into(text: &str, dest: &Value) -> Result<(), String> {
    with_map(dest, |m| {
        let mut p = Parser::new(text, Mode::Typed { force_string: true });
        loop {
            match literal_key(&mut p, m, 0) {
                Ok(()) => continue,
                Err(Stop::Eof) => return Ok(()),
                Err(Stop::Err(e)) => return Err(e),
            }
        }
    })
}

/// `strvals.ParseLiteral`.
pub fn parse_literal(text: &str) -> Result<Value, String> {
    let v = Value::empty_map();
    parse_literal_into(text, &v)?;
    Ok(v)
}

/// `runesUntilLiteral`: no escapes.
fn literal_until(p: &mut Parser<'_>, stop: &[char]) -> (Vec<char>, Option<char>) {
    let mut v = Vec::new();
    loop {
        match p.next_char() {
            None => return (v, None),
            Some(c) if stop.contains(&c) => return (v, Some(c)),
            Some(c) => v.push(c),
        }
    }
}

fn literal_key(p: &mut Parser<'_>, data: &MapRef, mut level: usize) -> Res<()> {
    let (k, last) = literal_until(p, &['=', '[', '.']);
    let kk: String = k.iter().collect();
    match last {
        None => {
            if k.is_empty() {
                Err(Stop::Eof)
            } else {
                err(format!("key {} has no value", go_q(&k)))
            }
        }
        Some('=') => {
            let (value, _) = literal_until(p, &[]);
            set(data, &k, Value::str(value.iter().collect::<String>()));
            Ok(())
        }
        Some('.') => {
            level += 1;
            if level > MAX_NESTED_NAME_LEVEL {
                return err(format!(
                    "value name nested level is greater than maximum supported nested level of {MAX_NESTED_NAME_LEVEL}"
                ));
            }
            let existing = data.borrow().get(&kk).cloned();
            let inner = match &existing {
                None => new_map(),
                Some(Value::Map(m)) => m.clone(),
                other => return Err(conversion_panic(other.as_ref(), "map[string]interface {}")),
            };
            let result = literal_key(p, &inner, level);
            let empty = inner.borrow().is_empty();
            if result.is_ok() && empty {
                return err(format!("key map {} has no value", go_q(&k)));
            }
            if !empty {
                set(data, &k, Value::Map(inner));
            }
            result
        }
        Some(_) => {
            // '['
            let (v, closed) = literal_until(p, &[']']);
            if closed.is_none() {
                return err("error parsing index: EOF");
            }
            let text: String = v.iter().collect();
            let i = text.parse::<i64>().map_err(|_| {
                Stop::Err(format!("error parsing index: strconv.Atoi: parsing {}: invalid syntax", go_q(&v)))
            })?;
            let existing = data.borrow().get(&kk).cloned();
            let list = match &existing {
                None => Vec::new(),
                Some(Value::List(l)) => l.as_ref().clone(),
                other => return Err(conversion_panic(other.as_ref(), "[]interface {}")),
            };
            let (list, result) = literal_list_item(p, list, i, level);
            set(data, &k, Value::list(list));
            result
        }
    }
}

fn literal_list_item(p: &mut Parser<'_>, list: Vec<Value>, i: i64, level: usize) -> (Vec<Value>, Res<()>) {
    if i < 0 {
        return (list, err(format!("negative {i} index not allowed")));
    }
    let (k, last) = literal_until(p, &['[', '.', '=']);
    if !k.is_empty() {
        return (list, err(format!("unexpected data at end of array index: {}", go_q_runes(&k))));
    }
    match last {
        None => (list, Err(Stop::Eof)),
        Some('=') => {
            let (value, _) = literal_until(p, &[]);
            set_index(list, i, Value::str(value.iter().collect::<String>()))
        }
        Some('.') => {
            let mut list = list;
            let inner = match list.get(i as usize) {
                Some(Value::Map(m)) => m.clone(),
                Some(_) => {
                    let fresh = new_map();
                    list[i as usize] = Value::Map(fresh.clone());
                    fresh
                }
                None => new_map(),
            };
            if let Err(e) = literal_key(p, &inner, level) {
                return (list, Err(e));
            }
            set_index(list, i, Value::Map(inner))
        }
        Some(_) => {
            let (v, closed) = literal_until(p, &[']']);
            if closed.is_none() {
                return (list, err("error parsing index: EOF"));
            }
            let text: String = v.iter().collect();
            let Ok(next) = text.parse::<i64>() else {
                return (list, err(format!("error parsing index: strconv.Atoi: parsing {}: invalid syntax", go_q(&v))));
            };
            let current = list_of(list.get(i as usize).unwrap_or(&Value::Nil));
            if p.lists >= MAX_NESTED_LIST_LEVEL {
                return too_many_lists(list);
            }
            p.lists += 1;
            let (inner, result) =
                stacker::maybe_grow(64 * 1024, 1024 * 1024, || literal_list_item(p, current, next, level));
            p.lists -= 1;
            if let Err(e) = result {
                return (list, Err(e));
            }
            set_index(list, i, Value::list(inner))
        }
    }
}

/// The value flags of `helm template`, in the order Helm applies them.
#[derive(Clone, Debug, Default)]
pub struct ValuesOptions {
    /// `-f/--values` files.
    pub value_files: Vec<String>,
    /// `--set-json`.
    pub json_values: Vec<String>,
    /// `--set`.
    pub values: Vec<String>,
    /// `--set-string`.
    pub string_values: Vec<String>,
    /// `--set-file`.
    pub file_values: Vec<String>,
    /// `--set-literal`.
    pub literal_values: Vec<String>,
}

/// `values.Options.MergeValues`: files merged with `MergeMaps`, then every `--set` flavour
/// applied in Helm's order. `read_file` reads `-f` and `--set-file` paths (bytes).
pub fn merge_values(
    opts: &ValuesOptions,
    read_file: &dyn Fn(&str) -> Result<Vec<u8>, String>,
) -> Result<Value, String> {
    let mut base = Value::empty_map();
    for path in &opts.value_files {
        let raw = read_file(path)?;
        let current = load_values(path, &raw).map_err(|e| format!("failed to parse {path}: {e}"))?;
        base = merge_maps(&base, &current.merged);
    }
    for value in &opts.json_values {
        let trimmed = super::helmignore::go_trim_space(value);
        if trimmed.starts_with('{') {
            let json: serde_json::Value =
                serde_json::from_str(trimmed).map_err(|_| format!("failed parsing --set-json data JSON: {value}"))?;
            if !json.is_object() {
                return Err(format!("failed parsing --set-json data JSON: {value}"));
            }
            base = merge_maps(&base, &Value::from_json(&json));
        } else {
            parse_json_into(value, &base).map_err(|_| format!("failed parsing --set-json data {value}"))?;
        }
    }
    for value in &opts.values {
        parse_into(value, &base).map_err(|e| format!("failed parsing --set data: {e}"))?;
    }
    for value in &opts.string_values {
        parse_into_string(value, &base).map_err(|e| format!("failed parsing --set-string data: {e}"))?;
    }
    for value in &opts.file_values {
        let reader = |path: &str| -> Result<Value, String> {
            read_file(path).map(|b| Value::str(String::from_utf8_lossy(&b).into_owned()))
        };
        parse_file_into(value, &base, &reader).map_err(|e| format!("failed parsing --set-file data: {e}"))?;
    }
    for value in &opts.literal_values {
        parse_literal_into(value, &base).map_err(|e| format!("failed parsing --set-literal data: {e}"))?;
    }
    Ok(base)
}

#[cfg(test)]
mod tests;
