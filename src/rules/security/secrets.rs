//! Literal secrets in container env and well-known default passwords, and the key/value
//! heuristics every secret rule shares (`secret-in-configmap` uses them too).

use crate::check::{Check, CheckContext};
use crate::finding::Violation;
use crate::model::{Object, PodSpec};
use crate::yaml::NodeRef;

/// Key names that hold secrets (matched case-insensitively, `_`/`-`/`.` ignored).
const SECRET_WORDS: &[&str] = &[
    "password",
    "passwd",
    "secret",
    "token",
    "apikey",
    "privatekey",
    "accesskey",
    "credential",
    "connectionstring",
    "dsn",
];
/// ...unless the key is clearly about the secret rather than the secret itself.
const META_WORDS: &[&str] = &[
    "file", "path", "dir", "name", "ref", "url", "uri", "endpoint", "length", "ttl", "expir", "timeout", "policy",
    "enable", "mode", "type", "header", "field", "format", "rotation", "store", "cache", "count", "max", "min", "size",
    "prefix", "suffix", "env", "required", "hash", "audience", "issuer", "lifetime", "duration",
];

/// Passwords that ship as defaults in images, docs and tutorials: the first thing tried.
const DEFAULT_PASSWORDS: &[&str] = &[
    "password",
    "passw0rd",
    "p@ssw0rd",
    "pass",
    "changeme",
    "changeit",
    "change_me",
    "admin",
    "admin123",
    "root",
    "toor",
    "secret",
    "123456",
    "12345678",
    "1234",
    "12345",
    "qwerty",
    "default",
    "letmein",
    "postgres",
    "mysql",
    "guest",
    "test",
    "welcome",
    "master",
    "abc123",
    "example",
    "user",
    "demo",
];

fn normalized(key: &str) -> String {
    key.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// Words of a key: split at punctuation and at lower→upper case changes (`dbAdmin_PASS` →
/// db, admin, pass).
fn words(key: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut prev_lower = false;
    for ch in key.chars() {
        if !ch.is_alphanumeric() {
            prev_lower = false;
            out.push(String::new());
            continue;
        }
        if ch.is_uppercase() && prev_lower || out.is_empty() {
            out.push(String::new());
        }
        prev_lower = ch.is_lowercase() || ch.is_ascii_digit();
        if let Some(last) = out.last_mut() {
            last.extend(ch.to_lowercase());
        }
    }
    out.retain(|w| !w.is_empty());
    out
}

/// Whether the key names something about a secret (its file, name, length...). Unlike the
/// substring test in `secret_in_configmap.rs`, meta words must start a word or end the key, so
/// `ADMIN_PASSWORD` ("min") and `ENV_TOKEN`-like keys are not mistaken for metadata.
fn is_meta_key(key: &str) -> bool {
    let k = normalized(key);
    words(key).iter().any(|w| META_WORDS.iter().any(|m| w.starts_with(m))) || META_WORDS.iter().any(|m| k.ends_with(m))
}

/// Keys named like secrets that are identifiers: etcd's initial cluster token only seeds
/// cluster and member IDs.
const NOT_SECRETS: &[&str] = &["initialclustertoken"];

pub(crate) fn is_secret_key(key: &str) -> bool {
    let k = normalized(key);
    SECRET_WORDS.iter().any(|w| k.contains(w)) && !is_meta_key(key) && !NOT_SECRETS.iter().any(|n| k.contains(n))
}

/// Values that are settings or fill-in markers rather than secrets: option lists such as
/// etcd's `jwt,priv-key=/path,sign-method=RS256`, and `INSERT_TOKEN_HERE`-style placeholders.
fn is_setting_or_placeholder(value: &str) -> bool {
    let v = value.trim();
    let option_list = v.contains(',')
        && v.split(',')
            .filter(|part| {
                part.split_once('=').is_some_and(|(k, _)| {
                    !k.is_empty() && k.chars().all(|c| c.is_ascii_alphabetic() || c == '-' || c == '_')
                })
            })
            .count()
            >= 2;
    let upper_snake = !v.is_empty() && v.chars().all(|c| c.is_ascii_uppercase() || c == '_');
    let placeholder =
        upper_snake && ["INSERT", "REPLACE", "YOUR", "ENTER", "PUT_", "FILL"].iter().any(|p| v.starts_with(p));
    option_list || placeholder
}

/// Literal values only: not empty, not a reference or placeholder, not a flag or number.
pub(crate) fn is_literal_secret(value: &str) -> bool {
    let v = value.trim();
    // Values without a letter or digit (`-`, `***`) are placeholders.
    !(!v.chars().any(char::is_alphanumeric)
        || v.starts_with("${")
        || v.starts_with("$(")
        || v.starts_with("{{")
        || v.starts_with('<')
        || v.starts_with('/')
        || v.starts_with("file:")
        || v.starts_with("env:")
        || v.chars().all(|c| c == 'x' || c == 'X')
        || matches!(
            v.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "none" | "required" | "optional"
        )
        || v.parse::<f64>().is_ok())
}

/// A password key (not a token or API key: those have no well-known defaults). `PWD` alone is
/// the shell's working directory, and `pass` only counts at the end (`bypass...`, `passport`).
fn is_password_key(key: &str) -> bool {
    let k = normalized(key);
    let passwordish = ["password", "passwd", "secret"].iter().any(|w| k.contains(w))
        || k.ends_with("pass")
        || (k.ends_with("pwd") && k != "pwd");
    passwordish && !is_meta_key(key)
}

fn is_default_password(value: &str) -> bool {
    DEFAULT_PASSWORDS.contains(&value.trim().to_ascii_lowercase().as_str())
}

/// Every `env` item with a literal `value`: (container description, name, item).
fn env_literals<'a>(spec: &PodSpec<'a>) -> Vec<(String, &'a str, NodeRef<'a>)> {
    let mut out = Vec::new();
    for c in spec.containers() {
        for item in c.node.get("env").into_iter().flat_map(|e| e.items()) {
            if let Some(name) = item.get_str("name") {
                if item.get("value").is_some_and(|v| v.scalar().is_some()) {
                    out.push((c.describe(), name, item));
                }
            }
        }
    }
    out
}

fn scalar_text(node: NodeRef<'_>) -> Option<String> {
    node.scalar().map(|s| s.json_key().into_owned())
}

pub struct SecretInEnvLiteral;

impl Check for SecretInEnvLiteral {
    fn check_object(&self, object: &Object, _cx: &CheckContext, out: &mut Vec<Violation>) {
        let Some(spec) = object.pod_spec() else { return };
        for (who, name, item) in env_literals(&spec) {
            let Some(value) = item.get("value").and_then(scalar_text) else { continue };
            // A well-known default password is `default-credentials`' finding, not this one's.
            if !is_secret_key(name)
                || !is_literal_secret(&value)
                || is_setting_or_placeholder(&value)
                || (is_password_key(name) && is_default_password(&value))
            {
                continue;
            }
            let span = item.field_span("value").unwrap_or_else(|| item.span());
            out.push(Violation::new(
                span,
                format!("{who} sets {name} to a literal value in the manifest; read it from a Secret instead"),
            ));
        }
    }
}

pub struct DefaultCredentials;

impl Check for DefaultCredentials {
    fn check_object(&self, object: &Object, _cx: &CheckContext, out: &mut Vec<Violation>) {
        if let Some(spec) = object.pod_spec() {
            for (who, name, item) in env_literals(&spec) {
                let Some(value) = item.get("value").and_then(scalar_text) else { continue };
                if is_password_key(name) && is_default_password(&value) {
                    let span = item.field_span("value").unwrap_or_else(|| item.span());
                    out.push(Violation::new(
                        span,
                        format!("{who} sets {name} to the well-known default password '{value}'"),
                    ));
                }
            }
        }
        if object.kind == "ConfigMap" || object.kind == "Secret" {
            for section in ["data", "stringData"] {
                config_defaults(object, section, out);
            }
        }
    }
}

/// ConfigMap `data` and Secret `stringData` values (Secret `data` is base64: not decoded).
fn config_defaults(object: &Object, section: &str, out: &mut Vec<Violation>) {
    if object.kind == "ConfigMap" && section != "data" || object.kind == "Secret" && section != "stringData" {
        return;
    }
    let Some(data) = object.node().get(section) else { return };
    for (k, v) in data.entries() {
        let (Some(key), Some(value)) = (k.key_text(), scalar_text(v)) else { continue };
        if is_password_key(&key) && is_default_password(&value) {
            out.push(Violation::new(
                k.span().to(v.span()),
                format!("{} key '{key}' is the well-known default password '{value}'", object.kind),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_keys() {
        for k in
            ["DB_PASSWORD", "dbPassword", "api-key", "apiKey", "client_secret", "ADMIN_TOKEN", "AWS_SECRET_ACCESS_KEY"]
        {
            assert!(is_secret_key(k), "{k}");
        }
        for k in [
            "password_file",
            "secretName",
            "token-url",
            "PASSWORD_MIN_LENGTH",
            "tokenTTL",
            "secret-ref",
            "username",
            "tokenizer_path",
            "secretkeyref",
        ] {
            assert!(!is_secret_key(k), "{k}");
        }
    }

    #[test]
    fn password_keys() {
        for k in [
            "POSTGRES_PASSWORD",
            "mysql-root-password",
            "adminPwd",
            "client_secret",
            "DB_PASS",
            "admin_password",
            "PGADMIN_DEFAULT_PASSWORD",
        ] {
            assert!(is_password_key(k), "{k}");
        }
        for k in ["API_TOKEN", "password_file", "username", "PASSWORD_MIN_LENGTH", "PWD", "BYPASS_PROXY"] {
            assert!(!is_password_key(k), "{k}");
        }
    }

    #[test]
    fn literal_values() {
        // Moved from secret_in_configmap.rs when the heuristics were shared.
        for k in ["password", "auth.token"] {
            assert!(is_secret_key(k), "{k}");
        }
        for v in ["hunter2", "s3cr3t!", "changeme"] {
            assert!(is_literal_secret(v), "{v}");
        }
        for v in [
            "",
            "${DB_PASSWORD}",
            "$(TOKEN)",
            "{{ .Values.x }}",
            "<your-token>",
            "/etc/secret/pw",
            "true",
            "12",
            "****",
            "-",
            "xxxx",
        ] {
            assert!(!is_literal_secret(v), "{v}");
        }
    }

    #[test]
    fn settings_and_placeholders() {
        assert!(is_setting_or_placeholder("jwt,priv-key=/certs/jwt.pem,sign-method=RS256,ttl=10m"));
        assert!(is_setting_or_placeholder("INSERT_ETCD_DISCOVERY_TOKEN"));
        assert!(!is_setting_or_placeholder("abc=="));
        assert!(!is_setting_or_placeholder("8312341g-5678-abcd"));
    }

    #[test]
    fn defaults() {
        assert!(is_default_password("ChangeMe"));
        assert!(is_default_password("postgres"));
        assert!(!is_default_password("x7#Lq9!vT2"));
    }
}
