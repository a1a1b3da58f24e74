use std::sync::LazyLock;

use regex::Regex;

use crate::check::{Check, CheckContext};
use crate::finding::Violation;
use crate::model::Object;
use crate::source::Span;
use crate::yaml::{NodeRef, Style};

use super::security::secrets::{is_literal_secret, is_secret_key};

/// `password = hunter2`, `api_key: abc` lines inside embedded config files.
static EMBEDDED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)^\s*["']?([A-Za-z0-9_.\-]*(?:password|passwd|secret|token|api[_\-]?key|access[_\-]?key|private[_\-]?key)[A-Za-z0-9_.\-]*)["']?\s*[:=]\s*["']?([^\s"'#,;]+)"#)
        .expect("static regex")
});

pub struct SecretInConfigMap;

impl Check for SecretInConfigMap {
    fn check_object(&self, object: &Object, cx: &CheckContext, out: &mut Vec<Violation>) {
        if object.kind != "ConfigMap" {
            return;
        }
        let allowed: Vec<&str> = cx
            .option("allowKeys")
            .and_then(|v| v.as_array())
            .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
            .unwrap_or_default();
        let Some(data) = object.node().get("data") else { return };
        for (k, v) in data.entries() {
            let Some(key) = k.key_text() else { continue };
            if allowed.contains(&key.as_ref()) {
                continue;
            }
            let Some(value) = v.scalar().map(|s| s.json_key().into_owned()) else { continue };
            if value.contains("PRIVATE KEY-----") {
                out.push(Violation::new(k.span(), format!("ConfigMap key '{key}' holds a private key")));
            } else if !value.contains('\n') && is_secret_key(&key) && is_literal_secret(&value) {
                out.push(Violation::new(
                    k.span().to(v.span()),
                    format!("ConfigMap key '{key}' holds a literal secret"),
                ));
            } else if value.contains('\n') {
                embedded(cx, &key, k, v, &value, out);
            }
        }
    }
}

/// Secrets inside an embedded config file: point at the exact line when the block is a
/// literal (`|`) scalar, whose lines map one-to-one to source lines.
fn embedded(cx: &CheckContext, key: &str, k: NodeRef<'_>, v: NodeRef<'_>, value: &str, out: &mut Vec<Violation>) {
    let file = cx.sources.get(v.span().file);
    let first_line = file.line_index(v.span().start);
    for (i, line) in value.lines().enumerate() {
        let Some(caps) = EMBEDDED.captures(line) else { continue };
        let (name, secret) = (&caps[1], &caps[2]);
        if !is_secret_key(name) || !is_literal_secret(secret) {
            continue;
        }
        let span = if v.style() == Style::Literal {
            let idx = first_line + i;
            let start = file.line_start(idx);
            let text = file.line_text(idx);
            let indent = (text.len() - text.trim_start().len()) as u32;
            Span::new(k.span().file, start + indent, start + text.trim_end().len() as u32)
        } else {
            k.span()
        };
        out.push(Violation::new(span, format!("'{name}' in ConfigMap key '{key}' is a literal secret")));
    }
}
