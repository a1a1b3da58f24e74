//! `Chart.yaml` (and v1 `requirements.yaml`) decoded the way Helm decodes them:
//! sigs.k8s.io/yaml turns YAML into JSON *guided by the target struct* (a number or boolean
//! headed for a string field becomes its text: `appVersion: 1.10` is the string "1.1"),
//! then `encoding/json` fills the struct (keys match case-insensitively, unknown keys are
//! ignored, the first type error is reported after decoding the rest).
//! `validate` is `Metadata.Validate`: required fields, semver, sanitizing.

use std::collections::BTreeMap;

use crate::render::funcs::semver::Version;
use crate::render::value::{Map, Value};
use crate::yaml::{Kind, NodeRef, Scalar};

/// One `maintainers` entry.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Maintainer {
    pub name: String,
    pub email: String,
    pub url: String,
}

/// One `dependencies` entry.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Dependency {
    pub name: String,
    pub version: String,
    pub repository: String,
    pub condition: String,
    pub tags: Vec<String>,
    pub enabled: bool,
    /// Raw `import-values` items (strings or `{child, parent}` maps), as Go's `[]interface{}`.
    pub import_values: Vec<Value>,
    pub alias: String,
}

/// `chart.Metadata`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Metadata {
    pub name: String,
    pub home: String,
    pub sources: Vec<String>,
    pub version: String,
    pub description: String,
    pub keywords: Vec<String>,
    /// `None` entries are YAML nulls, which `validate` rejects as Helm does.
    pub maintainers: Vec<Option<Maintainer>>,
    pub icon: String,
    pub api_version: String,
    pub condition: String,
    pub tags: String,
    pub app_version: String,
    pub deprecated: bool,
    /// `None` when absent (a Go nil map).
    pub annotations: Option<BTreeMap<String, String>>,
    pub kube_version: String,
    /// `None` is a Go nil slice (absent or null): Helm then skips dependency processing for
    /// this chart entirely, while `dependencies: []` still runs it.
    pub dependencies: Option<Vec<Option<Dependency>>>,
    pub chart_type: String,
}

pub const API_VERSION_V1: &str = "v1";
pub const API_VERSION_V2: &str = "v2";

/// A `json: cannot unmarshal ...` error, as Go words it.
#[derive(Clone, Debug, PartialEq)]
pub struct DecodeError(pub String);

struct Decoder {
    first_error: Option<DecodeError>,
}

impl Decoder {
    fn type_error(&mut self, got: &NodeRef<'_>, strukt: &str, path: &str, go_type: &str) {
        if self.first_error.is_none() {
            self.first_error = Some(DecodeError(format!(
                "json: cannot unmarshal {} into Go struct field {strukt}.{path} of type {go_type}",
                json_kind(got)
            )));
        }
    }
}

/// What JSON kind a YAML node becomes (for error messages).
fn json_kind(node: &NodeRef<'_>) -> &'static str {
    match node.kind() {
        Kind::Mapping => "object",
        Kind::Sequence => "array",
        _ => match node.scalar() {
            Some(Scalar::Bool(_)) => "bool",
            Some(Scalar::Str(_)) => "string",
            Some(Scalar::Null) | None => "null",
            Some(_) => "number",
        },
    }
}

/// A scalar headed for a Go `string`: strings as-is, numbers and booleans as sigs.k8s.io/yaml
/// formats them. `Ok(None)` is JSON null (the field keeps its value).
fn string_target(node: &NodeRef<'_>) -> Result<Option<String>, ()> {
    if node.kind() != Kind::Scalar {
        return Err(());
    }
    Ok(match node.scalar() {
        Some(Scalar::Null) | None => None,
        Some(Scalar::Str(s)) => Some(s.to_string()),
        Some(Scalar::Bool(b)) => Some(b.to_string()),
        Some(Scalar::Int(i)) => Some(i.to_string()),
        Some(Scalar::Uint(u)) => Some(u.to_string()),
        Some(Scalar::Float(f)) => Some(crate::yaml::scalar::format_float_g(f, true)),
    })
}

/// Mapping entries in the order `encoding/json` sees them: sigs.k8s.io/yaml marshals a Go map,
/// so keys arrive sorted, and a later key (in that order) overwrites an earlier match.
fn sorted_entries<'a>(node: &NodeRef<'a>) -> Vec<(String, NodeRef<'a>)> {
    let mut by_key: BTreeMap<String, NodeRef<'a>> = BTreeMap::new();
    for (k, v) in node.entries() {
        if let Some(key) = k.key_text() {
            by_key.insert(key.into_owned(), v);
        }
    }
    by_key.into_iter().collect()
}

/// `encoding/json` field matching: exact name first, else ASCII case-insensitive.
fn field_for<'f>(key: &str, fields: &[&'f str]) -> Option<&'f str> {
    fields.iter().find(|f| **f == key).or_else(|| fields.iter().find(|f| f.eq_ignore_ascii_case(key))).copied()
}

const METADATA_FIELDS: &[&str] = &[
    "name",
    "home",
    "sources",
    "version",
    "description",
    "keywords",
    "maintainers",
    "icon",
    "apiVersion",
    "condition",
    "tags",
    "appVersion",
    "deprecated",
    "annotations",
    "kubeVersion",
    "dependencies",
    "type",
];
const MAINTAINER_FIELDS: &[&str] = &["name", "email", "url"];
const DEPENDENCY_FIELDS: &[&str] =
    &["name", "version", "repository", "condition", "tags", "enabled", "import-values", "alias"];

impl Decoder {
    fn string(&mut self, node: &NodeRef<'_>, slot: &mut String, strukt: &str, path: &str) {
        match string_target(node) {
            Ok(Some(s)) => *slot = s,
            Ok(None) => {}
            Err(()) => self.type_error(node, strukt, path, "string"),
        }
    }

    fn boolean(&mut self, node: &NodeRef<'_>, slot: &mut bool, strukt: &str, path: &str) {
        match (node.kind(), node.scalar()) {
            (Kind::Scalar, Some(Scalar::Bool(b))) => *slot = b,
            (Kind::Scalar, Some(Scalar::Null)) => {}
            _ => self.type_error(node, strukt, path, "bool"),
        }
    }

    fn strings(&mut self, node: &NodeRef<'_>, slot: &mut Vec<String>, strukt: &str, path: &str) {
        if node.is_null() {
            slot.clear();
            return;
        }
        if !node.is_sequence() {
            self.type_error(node, strukt, path, "[]string");
            return;
        }
        slot.clear();
        for item in node.items() {
            let mut s = String::new();
            self.string(&item, &mut s, strukt, path);
            slot.push(s);
        }
    }

    fn metadata(&mut self, node: &NodeRef<'_>, md: &mut Metadata) {
        for (key, value) in sorted_entries(node) {
            let Some(field) = field_for(&key, METADATA_FIELDS) else { continue };
            let s = "Metadata";
            match field {
                "name" => self.string(&value, &mut md.name, s, field),
                "home" => self.string(&value, &mut md.home, s, field),
                "sources" => self.strings(&value, &mut md.sources, s, field),
                "version" => self.string(&value, &mut md.version, s, field),
                "description" => self.string(&value, &mut md.description, s, field),
                "keywords" => self.strings(&value, &mut md.keywords, s, field),
                "maintainers" => self.maintainers(&value, md),
                "icon" => self.string(&value, &mut md.icon, s, field),
                "apiVersion" => self.string(&value, &mut md.api_version, s, field),
                "condition" => self.string(&value, &mut md.condition, s, field),
                "tags" => self.string(&value, &mut md.tags, s, field),
                "appVersion" => self.string(&value, &mut md.app_version, s, field),
                "deprecated" => self.boolean(&value, &mut md.deprecated, s, field),
                "annotations" => self.annotations(&value, md),
                "kubeVersion" => self.string(&value, &mut md.kube_version, s, field),
                "dependencies" => self.dependencies(&value, md),
                _ => self.string(&value, &mut md.chart_type, s, field),
            }
        }
    }

    fn maintainers(&mut self, node: &NodeRef<'_>, md: &mut Metadata) {
        if node.is_null() {
            md.maintainers.clear();
            return;
        }
        if !node.is_sequence() {
            self.type_error(node, "Metadata", "maintainers", "[]*v2.Maintainer");
            return;
        }
        md.maintainers.clear();
        for item in node.items() {
            if item.is_null() {
                md.maintainers.push(None);
                continue;
            }
            if !item.is_mapping() {
                self.type_error(&item, "Metadata", "maintainers", "v2.Maintainer");
                md.maintainers.push(Some(Maintainer::default()));
                continue;
            }
            let mut m = Maintainer::default();
            for (key, value) in sorted_entries(&item) {
                let Some(field) = field_for(&key, MAINTAINER_FIELDS) else { continue };
                let path = format!("maintainers.{field}");
                let slot = match field {
                    "name" => &mut m.name,
                    "email" => &mut m.email,
                    _ => &mut m.url,
                };
                self.string(&value, slot, "Maintainer", &path);
            }
            md.maintainers.push(Some(m));
        }
    }

    fn annotations(&mut self, node: &NodeRef<'_>, md: &mut Metadata) {
        if node.is_null() {
            md.annotations = None;
            return;
        }
        if !node.is_mapping() {
            self.type_error(node, "Metadata", "annotations", "map[string]string");
            return;
        }
        // Decoding into an existing Go map adds to it.
        let map = md.annotations.get_or_insert_with(BTreeMap::new);
        for (key, value) in sorted_entries(node) {
            let mut s = String::new();
            match string_target(&value) {
                Ok(v) => s = v.unwrap_or_default(),
                Err(()) => {
                    if self.first_error.is_none() {
                        self.first_error = Some(DecodeError(format!(
                            "json: cannot unmarshal {} into Go struct field Metadata.annotations of type string",
                            json_kind(&value)
                        )));
                    }
                }
            }
            map.insert(key, s);
        }
    }

    fn dependencies(&mut self, node: &NodeRef<'_>, md: &mut Metadata) {
        if node.is_null() {
            md.dependencies = None;
            return;
        }
        if !node.is_sequence() {
            self.type_error(node, "Metadata", "dependencies", "[]*v2.Dependency");
            return;
        }
        let deps = md.dependencies.insert(Vec::new());
        for item in node.items() {
            if item.is_null() {
                deps.push(None);
                continue;
            }
            if !item.is_mapping() {
                self.type_error(&item, "Metadata", "dependencies", "v2.Dependency");
                deps.push(Some(Dependency::default()));
                continue;
            }
            let mut d = Dependency::default();
            for (key, value) in sorted_entries(&item) {
                let Some(field) = field_for(&key, DEPENDENCY_FIELDS) else { continue };
                let path = format!("dependencies.{field}");
                let s = "Dependency";
                match field {
                    "name" => self.string(&value, &mut d.name, s, &path),
                    "version" => self.string(&value, &mut d.version, s, &path),
                    "repository" => self.string(&value, &mut d.repository, s, &path),
                    "condition" => self.string(&value, &mut d.condition, s, &path),
                    "tags" => self.strings(&value, &mut d.tags, s, &path),
                    "enabled" => self.boolean(&value, &mut d.enabled, s, &path),
                    "import-values" => {
                        if value.is_null() {
                            d.import_values.clear();
                        } else if value.is_sequence() {
                            d.import_values = value.items().map(|i| Value::from_json(&i.to_json())).collect();
                        } else {
                            self.type_error(&value, s, &path, "[]interface {}");
                        }
                    }
                    _ => self.string(&value, &mut d.alias, s, &path),
                }
            }
            deps.push(Some(d));
        }
    }
}

/// Decode one YAML document into `md` (fields present overwrite, as `yaml.Unmarshal` into an
/// existing struct does). The root must be a mapping or null.
pub fn decode_into(root: Option<NodeRef<'_>>, md: &mut Metadata) -> Result<(), DecodeError> {
    let Some(root) = root else { return Ok(()) };
    if root.is_null() {
        return Ok(());
    }
    if !root.is_mapping() {
        return Err(DecodeError(format!(
            "json: cannot unmarshal {} into Go value of type v2.Metadata",
            json_kind(&root)
        )));
    }
    let mut decoder = Decoder { first_error: None };
    decoder.metadata(&root, md);
    decoder.first_error.map_or(Ok(()), Err)
}

/// `unicode.IsPrint` closely enough for chart text: drop control and invisible format characters.
fn is_go_print(c: char) -> bool {
    !(c.is_control()
        || matches!(c, '\u{AD}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}')
        || matches!(c, '\u{E000}'..='\u{F8FF}'))
}

/// `sanitizeString`: Unicode white space becomes a plain space, unprintable characters go.
pub fn sanitize(s: &str) -> String {
    s.chars()
        .filter_map(|c| {
            if super::helmignore::is_go_space(c) {
                Some(' ')
            } else if is_go_print(c) {
                Some(c)
            } else {
                None
            }
        })
        .collect()
}

fn validation(msg: impl Into<String>) -> String {
    format!("validation: {}", msg.into())
}

fn alias_ok(alias: &str) -> bool {
    alias.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

impl Metadata {
    /// `Metadata.Validate`: sanitizes in place and returns Helm's `validation: ...` message.
    pub fn validate(&mut self) -> Result<(), String> {
        for s in [
            &mut self.name,
            &mut self.description,
            &mut self.home,
            &mut self.icon,
            &mut self.condition,
            &mut self.tags,
            &mut self.app_version,
            &mut self.kube_version,
        ] {
            *s = sanitize(s);
        }
        for s in self.sources.iter_mut().chain(self.keywords.iter_mut()) {
            *s = sanitize(s);
        }
        if self.api_version.is_empty() {
            return Err(validation("chart.metadata.apiVersion is required"));
        }
        if self.name.is_empty() {
            return Err(validation("chart.metadata.name is required"));
        }
        if self.name != go_file_base(&self.name) {
            return Err(validation(format!("chart.metadata.name {:?} is invalid", self.name)));
        }
        if self.version.is_empty() {
            return Err(validation("chart.metadata.version is required"));
        }
        if Version::parse(&self.version).is_err() {
            return Err(validation(format!("chart.metadata.version {:?} is invalid", self.version)));
        }
        if !matches!(self.chart_type.as_str(), "" | "application" | "library") {
            return Err(validation("chart.metadata.type must be application or library"));
        }
        for m in &mut self.maintainers {
            let Some(m) = m else { return Err(validation("maintainers must not contain empty or null nodes")) };
            m.name = sanitize(&m.name);
            m.email = sanitize(&m.email);
            m.url = sanitize(&m.url);
        }
        let mut seen = std::collections::HashSet::new();
        for d in self.dependencies.iter_mut().flatten() {
            let Some(d) = d else { return Err(validation("dependencies must not contain empty or null nodes")) };
            d.name = sanitize(&d.name);
            d.version = sanitize(&d.version);
            d.repository = sanitize(&d.repository);
            d.condition = sanitize(&d.condition);
            for t in &mut d.tags {
                *t = sanitize(t);
            }
            if !d.alias.is_empty() && !alias_ok(&d.alias) {
                return Err(validation(format!("dependency {:?} has disallowed characters in the alias", d.name)));
            }
            let key = if d.alias.is_empty() { d.name.clone() } else { d.alias.clone() };
            if !seen.insert(key.clone()) {
                return Err(validation(format!("more than one dependency with name or alias {key:?}")));
            }
        }
        Ok(())
    }

    pub fn is_library(&self) -> bool {
        self.chart_type.eq_ignore_ascii_case("library")
    }

    /// Helm's `MetadataAsMap` (reflection over the struct: Go field names as keys, slices as
    /// `[]interface{}`, nested structs as maps). `IsRoot` is added by the caller.
    pub fn as_map(&self) -> Map {
        let strs = |v: &[String]| Value::list(v.iter().map(|s| Value::str(s.as_str())).collect());
        let mut m = Map::new();
        m.insert("Name".into(), Value::str(self.name.as_str()));
        m.insert("Home".into(), Value::str(self.home.as_str()));
        m.insert("Sources".into(), strs(&self.sources));
        m.insert("Version".into(), Value::str(self.version.as_str()));
        m.insert("Description".into(), Value::str(self.description.as_str()));
        m.insert("Keywords".into(), strs(&self.keywords));
        let maintainers = self
            .maintainers
            .iter()
            .map(|m| match m {
                None => Value::Nil,
                Some(m) => Value::map(Map::from([
                    ("Name".into(), Value::str(m.name.as_str())),
                    ("Email".into(), Value::str(m.email.as_str())),
                    ("URL".into(), Value::str(m.url.as_str())),
                ])),
            })
            .collect();
        m.insert("Maintainers".into(), Value::list(maintainers));
        m.insert("Icon".into(), Value::str(self.icon.as_str()));
        m.insert("APIVersion".into(), Value::str(self.api_version.as_str()));
        m.insert("Condition".into(), Value::str(self.condition.as_str()));
        m.insert("Tags".into(), Value::str(self.tags.as_str()));
        m.insert("AppVersion".into(), Value::str(self.app_version.as_str()));
        m.insert("Deprecated".into(), Value::Bool(self.deprecated));
        // A Go map[string]string: an absent one is a nil map, which prints as `map[]`; the
        // closest Value is an empty map (only `toJson` differs: Helm prints `null`).
        let annotations = self.annotations.clone().unwrap_or_default();
        m.insert("Annotations".into(), Value::map(annotations.into_iter().map(|(k, v)| (k, Value::str(v))).collect()));
        m.insert("KubeVersion".into(), Value::str(self.kube_version.as_str()));
        let deps = self
            .dependencies
            .iter()
            .flatten()
            .map(|d| match d {
                None => Value::Nil,
                Some(d) => Value::map(Map::from([
                    ("Name".into(), Value::str(d.name.as_str())),
                    ("Version".into(), Value::str(d.version.as_str())),
                    ("Repository".into(), Value::str(d.repository.as_str())),
                    ("Condition".into(), Value::str(d.condition.as_str())),
                    ("Tags".into(), strs(&d.tags)),
                    ("Enabled".into(), Value::Bool(d.enabled)),
                    ("ImportValues".into(), Value::list(d.import_values.clone())),
                    ("Alias".into(), Value::str(d.alias.as_str())),
                ])),
            })
            .collect();
        m.insert("Dependencies".into(), Value::list(deps));
        m.insert("Type".into(), Value::str(self.chart_type.as_str()));
        m
    }
}

/// Go's `filepath.Base`.
fn go_file_base(path: &str) -> &str {
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        return if path.is_empty() { "." } else { "/" };
    }
    trimmed.rsplit('/').next().unwrap_or(trimmed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;

    fn decode(text: &str) -> Result<Metadata, DecodeError> {
        let docs = crate::yaml::parse_stream(FileId(0), text);
        let mut md = Metadata::default();
        let root = docs.first().and_then(|d| d.as_ref().ok()).and_then(|d| d.root());
        decode_into(root, &mut md).map(|_| md)
    }

    // sigs.k8s.io/yaml converts numbers headed for string fields with FormatFloat(f,'g',-1,32)
    // (oracle: `.Chart.AppVersion` of `appVersion: 1.10` renders "1.1").
    #[test]
    fn numbers_become_strings() {
        let md = decode("apiVersion: v2\nname: x\nversion: 1.0\nappVersion: 1.10\nkeywords: [1, true]\n")
            .unwrap_or_default();
        assert_eq!(md.version, "1");
        assert_eq!(md.app_version, "1.1");
        assert_eq!(md.keywords, ["1", "true"]);
    }

    #[test]
    fn keys_match_case_insensitively() {
        let md = decode("APIVERSION: v2\nName: x\nVersion: 1.0.0\n").unwrap_or_default();
        assert_eq!((md.api_version.as_str(), md.name.as_str()), ("v2", "x"));
    }

    #[test]
    fn type_errors_read_like_go() {
        let err = decode("name: [a]\n").err();
        assert_eq!(
            err.map(|e| e.0).as_deref(),
            Some("json: cannot unmarshal array into Go struct field Metadata.name of type string")
        );
        let err = decode("maintainers:\n- name: {a: 1}\n").err();
        assert_eq!(
            err.map(|e| e.0).as_deref(),
            Some("json: cannot unmarshal object into Go struct field Maintainer.maintainers.name of type string")
        );
    }

    // helm pkg/chart/v2/metadata_test.go TestValidate cases.
    #[test]
    fn validate_messages() {
        let base = || Metadata {
            api_version: "v2".into(),
            name: "test".into(),
            version: "1.0".into(),
            chart_type: "application".into(),
            ..Metadata::default()
        };
        assert_eq!(base().validate(), Ok(()));
        let mut m = base();
        m.api_version.clear();
        assert_eq!(m.validate(), Err("validation: chart.metadata.apiVersion is required".into()));
        let mut m = base();
        m.name = "../../test".into();
        assert_eq!(m.validate(), Err("validation: chart.metadata.name \"../../test\" is invalid".into()));
        let mut m = base();
        m.version = "1.2.3.4".into();
        assert_eq!(m.validate(), Err("validation: chart.metadata.version \"1.2.3.4\" is invalid".into()));
        let mut m = base();
        m.chart_type = "test".into();
        assert_eq!(m.validate(), Err("validation: chart.metadata.type must be application or library".into()));
        let mut m = base();
        m.dependencies =
            Some(vec![Some(Dependency { name: "bad".into(), alias: "Wrong!Alias".into(), ..Default::default() })]);
        assert_eq!(m.validate(), Err("validation: dependency \"bad\" has disallowed characters in the alias".into()));
        let mut m = base();
        let dep = |n: &str, a: &str| Some(Dependency { name: n.into(), alias: a.into(), ..Default::default() });
        m.dependencies = Some(vec![dep("foo", ""), dep("bar", "foo")]);
        assert_eq!(m.validate(), Err("validation: more than one dependency with name or alias \"foo\"".into()));
        let mut m = base();
        m.maintainers = vec![None];
        assert_eq!(m.validate(), Err("validation: maintainers must not contain empty or null nodes".into()));
        let mut m = base();
        m.description = "a\tb\u{7}c".into();
        assert_eq!(m.validate(), Ok(()));
        assert_eq!(m.description, "a bc");
    }
}
