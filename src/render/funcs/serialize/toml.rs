//! `toToml`: BurntSushi/toml's encoder as Helm v4 bundles it. Maps become tables (plain keys
//! first, then sub-tables, each group sorted), lists of maps become arrays of tables, nested
//! levels are indented by two spaces, floats print like `%g` with a `.0` added when needed.

use super::json::J;
use crate::yaml::scalar::format_float_g;

pub(crate) enum Error {
    /// An encoder error: Helm's `toToml` returns its text as the result.
    Returned(String),
    /// A Go panic that is not an encoder error: the template fails.
    Panic(String),
}

const NIL_ELEMENT: &str = "toml: cannot encode array with nil element";
const NO_KEY: &str = "toml: top-level values must be Go maps or structs";

pub(crate) fn encode(v: &J) -> Result<String, Error> {
    let mut e = Encoder { out: String::new() };
    match v {
        J::Null => return Err(Error::Panic("reflect: call of reflect.Value.Type on zero Value".into())),
        J::Obj(entries) => e.table(&[], entries)?,
        J::Arr(_) if is_table_array(v)? => return Err(Error::Returned(NO_KEY.into())),
        other => e.element(other)?,
    }
    Ok(e.out)
}

struct Encoder {
    out: String,
}

/// TOML type classes the encoder distinguishes.
fn is_table(v: &J) -> Result<bool, Error> {
    Ok(match v {
        J::Obj(_) => true,
        J::Arr(_) => is_table_array(v)?,
        _ => false,
    })
}

/// An array whose elements are all tables; any nil element (at any array depth) is an error.
fn is_table_array(v: &J) -> Result<bool, Error> {
    let J::Arr(items) = v else { return Ok(false) };
    if items.is_empty() {
        return Ok(false);
    }
    let mut all = true;
    for item in items {
        match item {
            J::Null => return Err(Error::Returned(NIL_ELEMENT.into())),
            J::Obj(_) => {}
            J::Arr(_) => {
                is_table_array(item)?;
                all = false;
            }
            _ => all = false,
        }
    }
    Ok(all)
}

fn key_part(k: &str) -> String {
    if !k.is_empty() && k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-') {
        k.to_string()
    } else {
        quoted(k)
    }
}

fn key_path(key: &[&str]) -> String {
    key.iter().map(|k| key_part(k)).collect::<Vec<_>>().join(".")
}

fn quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\x08' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\x0c' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c == '\x7f' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn float_text(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf".into() } else { "-inf".into() };
    }
    let s = format_float_g(f, false);
    if s.contains('.') || s.contains('e') {
        s
    } else {
        format!("{s}.0")
    }
}

impl Encoder {
    fn indent(&self, depth: usize) -> String {
        "  ".repeat(depth.saturating_sub(1))
    }

    fn newline(&mut self) {
        if !self.out.is_empty() {
            self.out.push('\n');
        }
    }

    /// Table contents at `key`: plain values first, then sub-tables and arrays of tables.
    fn table(&mut self, key: &[&str], entries: &[(String, J)]) -> Result<(), Error> {
        let mut direct = Vec::new();
        let mut sub = Vec::new();
        for (k, v) in entries {
            if is_table(v)? {
                sub.push((k, v));
            } else {
                direct.push((k, v));
            }
        }
        for (k, v) in direct.into_iter().chain(sub) {
            if matches!(v, J::Null) {
                continue;
            }
            let mut path: Vec<&str> = key.to_vec();
            path.push(k);
            self.value_at(&path, v)?;
        }
        Ok(())
    }

    fn value_at(&mut self, key: &[&str], v: &J) -> Result<(), Error> {
        match v {
            J::Obj(entries) => {
                if key.len() == 1 {
                    self.newline();
                }
                self.out.push_str(&format!("{}[{}]", self.indent(key.len()), key_path(key)));
                self.out.push('\n');
                self.table(key, entries)
            }
            J::Arr(items) if is_table_array(v)? => {
                for item in items {
                    let J::Obj(entries) = item else { continue };
                    self.newline();
                    self.out.push_str(&format!("{}[[{}]]", self.indent(key.len()), key_path(key)));
                    self.out.push('\n');
                    self.table(key, entries)?;
                }
                Ok(())
            }
            other => {
                let last = key.last().copied().unwrap_or("");
                self.out.push_str(&format!("{}{} = ", self.indent(key.len()), key_part(last)));
                self.element(other)?;
                self.out.push('\n');
                Ok(())
            }
        }
    }

    fn element(&mut self, v: &J) -> Result<(), Error> {
        match v {
            J::Null => return Err(Error::Panic("reflect: call of reflect.Value.Interface on zero Value".into())),
            J::Bool(b) => self.out.push_str(if *b { "true" } else { "false" }),
            J::Int(i) => self.out.push_str(&i.to_string()),
            J::Float(f) => self.out.push_str(&float_text(*f)),
            J::Str(s) => self.out.push_str(&quoted(s)),
            J::Arr(items) => {
                is_table_array(v)?;
                self.out.push('[');
                for (i, item) in items.iter().enumerate() {
                    self.element(item)?;
                    if i + 1 != items.len() {
                        self.out.push_str(", ");
                    }
                }
                self.out.push(']');
            }
            J::Obj(entries) => {
                let mut direct = Vec::new();
                let mut sub = Vec::new();
                for (k, x) in entries {
                    if is_table(x)? {
                        sub.push((k, x));
                    } else {
                        direct.push((k, x));
                    }
                }
                self.out.push('{');
                let has_sub = !sub.is_empty();
                for (group, trail) in [(direct, has_sub), (sub, false)] {
                    let n = group.len();
                    for (i, (k, x)) in group.into_iter().enumerate() {
                        if matches!(x, J::Null) {
                            continue;
                        }
                        self.out.push_str(&format!("{} = ", key_part(k)));
                        self.element(x)?;
                        if trail || i + 1 != n {
                            self.out.push_str(", ");
                        }
                    }
                }
                self.out.push('}');
            }
        }
        Ok(())
    }
}
