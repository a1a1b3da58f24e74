//! The objects templates see besides `.Values`, shaped like Helm 4.2's:
//!
//! - `.Capabilities` (`*common.Capabilities`): `KubeVersion` (`Version`, `Major`, `Minor`,
//!   `String`, `GitVersion`), `APIVersions` (`Has`), `HelmVersion`;
//! - `.Files` (`engine.files`, a `map[string][]byte`): `Get`, `GetBytes`, `Glob`, `Lines`,
//!   `AsConfig`, `AsSecrets`, and plain key lookup;
//! - `.Release`, `.Chart` and `.Template` are plain maps in Helm 4 (see
//!   [`super::RenderOptions::release_value`], [`super::EnabledChart::chart_value`] and
//!   [`template_value`]).

use std::collections::BTreeMap;
use std::rc::Rc;

use super::glob::Glob;
use super::Chart;
use crate::render::value::{Map, Object, Value};

/// Kubernetes API group/versions of Helm 4.2.3's default capabilities (client-go v0.36,
/// read from `.Capabilities.APIVersions` with the helm-render oracle), in Helm's order.
pub const DEFAULT_API_VERSIONS: &[&str] = &[
    "v1",
    "admissionregistration.k8s.io/v1",
    "admissionregistration.k8s.io/v1alpha1",
    "admissionregistration.k8s.io/v1beta1",
    "internal.apiserver.k8s.io/v1alpha1",
    "apps/v1",
    "apps/v1beta1",
    "apps/v1beta2",
    "authentication.k8s.io/v1",
    "authentication.k8s.io/v1alpha1",
    "authentication.k8s.io/v1beta1",
    "authorization.k8s.io/v1",
    "authorization.k8s.io/v1beta1",
    "autoscaling/v1",
    "autoscaling/v2",
    "batch/v1",
    "batch/v1beta1",
    "certificates.k8s.io/v1",
    "certificates.k8s.io/v1beta1",
    "certificates.k8s.io/v1alpha1",
    "coordination.k8s.io/v1alpha2",
    "coordination.k8s.io/v1beta1",
    "coordination.k8s.io/v1",
    "discovery.k8s.io/v1",
    "discovery.k8s.io/v1beta1",
    "events.k8s.io/v1",
    "events.k8s.io/v1beta1",
    "extensions/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1",
    "flowcontrol.apiserver.k8s.io/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1beta2",
    "flowcontrol.apiserver.k8s.io/v1beta3",
    "networking.k8s.io/v1",
    "networking.k8s.io/v1beta1",
    "node.k8s.io/v1",
    "node.k8s.io/v1alpha1",
    "node.k8s.io/v1beta1",
    "policy/v1",
    "policy/v1beta1",
    "rbac.authorization.k8s.io/v1",
    "rbac.authorization.k8s.io/v1beta1",
    "rbac.authorization.k8s.io/v1alpha1",
    "resource.k8s.io/v1",
    "resource.k8s.io/v1beta2",
    "resource.k8s.io/v1beta1",
    "resource.k8s.io/v1alpha3",
    "scheduling.k8s.io/v1alpha2",
    "scheduling.k8s.io/v1beta1",
    "scheduling.k8s.io/v1",
    "storage.k8s.io/v1beta1",
    "storage.k8s.io/v1",
    "storage.k8s.io/v1alpha1",
    "storagemigration.k8s.io/v1beta1",
    "apiextensions.k8s.io/v1beta1",
    "apiextensions.k8s.io/v1",
];

/// `common.KubeVersion`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KubeVersion {
    /// As given (`v1.33.4-gke.1`), with a `v` prefix.
    pub version: String,
    /// Numbers only (`v1.33.4`): what `String()` returns and constraints are checked against.
    normalized: String,
    pub major: String,
    pub minor: String,
}

impl Default for KubeVersion {
    /// Helm 4.2.3's default: client-go v0.36 → Kubernetes v1.36.0 (corpus README, oracle).
    fn default() -> Self {
        KubeVersion { version: "v1.36.0".into(), normalized: "v1.36.0".into(), major: "1".into(), minor: "36".into() }
    }
}

impl KubeVersion {
    /// `common.ParseKubeVersion` (k8s.io `ParseGeneric`: `v?N.N[.N...]`, anything after the
    /// numbers ignored for the normalized form). Errors read like `--kube-version`'s.
    pub fn parse(text: &str) -> Result<KubeVersion, String> {
        let trimmed = text.trim_start();
        let rest = trimmed.strip_prefix('v').unwrap_or(trimmed);
        let digits_end = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        let numbers = rest[..digits_end].trim_end_matches('.');
        if numbers.is_empty() || !rest.starts_with(|c: char| c.is_ascii_digit()) {
            return Err(format!("could not parse {text:?} as version"));
        }
        let parts: Vec<&str> = numbers.split('.').collect();
        if parts.len() < 2 || parts.iter().any(|p| p.is_empty()) {
            return Err(format!("illegal version string {text:?}"));
        }
        let nums: Vec<u64> = parts
            .iter()
            .map(|p| p.parse::<u64>().map_err(|e| format!("illegal version string {text:?}: {e}")))
            .collect::<Result<_, _>>()?;
        let version = if text.starts_with('v') { text.to_string() } else { format!("v{text}") };
        let normalized = format!("v{}", nums.iter().map(u64::to_string).collect::<Vec<_>>().join("."));
        Ok(KubeVersion { version, normalized, major: nums[0].to_string(), minor: nums[1].to_string() })
    }

    pub fn normalized(&self) -> &str {
        &self.normalized
    }
}

/// `version.BuildInfo` (`.Capabilities.HelmVersion`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HelmVersion {
    pub version: String,
    pub git_commit: String,
    pub git_tree_state: String,
    pub go_version: String,
    pub kube_client_version: String,
}

impl Default for HelmVersion {
    /// The Helm 4.2.3 release (the helm-python-sdk library build reports "v4.2").
    fn default() -> Self {
        HelmVersion {
            version: "v4.2.3".into(),
            git_commit: String::new(),
            git_tree_state: String::new(),
            go_version: "go1.26.6".into(),
            kube_client_version: "v1.36".into(),
        }
    }
}

/// `common.Capabilities` for `helm template` (client-only: defaults plus `--api-versions`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Capabilities {
    pub kube_version: KubeVersion,
    pub api_versions: Vec<String>,
    pub helm_version: HelmVersion,
}

impl Default for Capabilities {
    fn default() -> Self {
        Capabilities {
            kube_version: KubeVersion::default(),
            api_versions: DEFAULT_API_VERSIONS.iter().map(|s| s.to_string()).collect(),
            helm_version: HelmVersion::default(),
        }
    }
}

impl Capabilities {
    /// `--api-versions` entries are appended to the defaults (any string: `group/version` or
    /// `group/version/Kind`; `Has` is an exact match).
    pub fn with_extra_api_versions(mut self, extra: &[String]) -> Capabilities {
        self.api_versions.extend(extra.iter().cloned());
        self
    }

    /// `.Capabilities` for templates.
    pub fn to_value(&self) -> Value {
        Value::Object(Rc::new(CapabilitiesObject(Rc::new(self.clone()))))
    }
}

struct CapabilitiesObject(Rc<Capabilities>);

impl Object for CapabilitiesObject {
    fn type_name(&self) -> &str {
        "*common.Capabilities"
    }
    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "KubeVersion" => Some(Value::Object(Rc::new(KubeVersionObject(self.0.kube_version.clone())))),
            "APIVersions" => Some(Value::Object(Rc::new(VersionSetObject(Rc::new(self.0.api_versions.clone()))))),
            "HelmVersion" => Some(Value::Object(Rc::new(BuildInfoObject(self.0.helm_version.clone())))),
            _ => None,
        }
    }
    fn display(&self) -> String {
        let kv = &self.0.kube_version;
        format!(
            "&{{{{{} {} {} {}}} [{}] {}}}",
            kv.version,
            kv.normalized,
            kv.major,
            kv.minor,
            self.0.api_versions.join(" "),
            BuildInfoObject(self.0.helm_version.clone()).display()
        )
    }
}

struct KubeVersionObject(KubeVersion);

impl Object for KubeVersionObject {
    fn type_name(&self) -> &str {
        "common.KubeVersion"
    }
    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "Version" | "GitVersion" => Some(Value::str(self.0.version.as_str())),
            "Major" => Some(Value::str(self.0.major.as_str())),
            "Minor" => Some(Value::str(self.0.minor.as_str())),
            "String" => Some(Value::str(self.0.normalized.as_str())),
            _ => None,
        }
    }
    /// Templates print it through its `String` method.
    fn display(&self) -> String {
        self.0.normalized.clone()
    }
}

/// `common.VersionSet`: a `[]string` with `Has`.
pub struct VersionSetObject(pub Rc<Vec<String>>);

impl VersionSetObject {
    /// The elements, for `range` and `len` (the `Object` trait has no iteration).
    pub fn items(&self) -> Vec<Value> {
        self.0.iter().map(|s| Value::str(s.as_str())).collect()
    }
}

impl Object for VersionSetObject {
    fn items(&self) -> Option<Vec<Value>> {
        Some(VersionSetObject::items(self))
    }
    fn len(&self) -> Option<usize> {
        Some(self.0.len())
    }
    fn kind(&self) -> &'static str {
        "slice"
    }
    fn type_name(&self) -> &str {
        "common.VersionSet"
    }
    fn field(&self, _name: &str) -> Option<Value> {
        None
    }
    fn call(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        if name != "Has" {
            return None;
        }
        Some(match args {
            [Value::Str(s)] => Ok(Value::Bool(self.0.iter().any(|v| v.as_str() == &**s))),
            [other] => Err(format!("wrong type for value; expected string; got {}", other.type_name())),
            _ => Err(format!("wrong number of args for Has: want 1 got {}", args.len())),
        })
    }
    fn display(&self) -> String {
        format!("[{}]", self.0.join(" "))
    }
}

struct BuildInfoObject(HelmVersion);

impl Object for BuildInfoObject {
    fn type_name(&self) -> &str {
        "version.BuildInfo"
    }
    fn field(&self, name: &str) -> Option<Value> {
        let v = &self.0;
        let s = match name {
            "Version" => &v.version,
            "GitCommit" => &v.git_commit,
            "GitTreeState" => &v.git_tree_state,
            "GoVersion" => &v.go_version,
            "KubeClientVersion" => &v.kube_client_version,
            _ => return None,
        };
        Some(Value::str(s.as_str()))
    }
    fn display(&self) -> String {
        let v = &self.0;
        format!("{{{} {} {} {} {}}}", v.version, v.git_commit, v.git_tree_state, v.go_version, v.kube_client_version)
    }
}

/// `engine.files`: the chart's non-template files by name.
#[derive(Clone, Default)]
pub struct Files {
    files: Rc<BTreeMap<String, Rc<[u8]>>>,
}

impl Files {
    pub fn from_chart(chart: &Chart) -> Files {
        Files::from_entries(chart.files.iter().map(|f| (f.name.clone(), Rc::from(f.data.as_slice()))))
    }

    pub fn from_entries(entries: impl IntoIterator<Item = (String, Rc<[u8]>)>) -> Files {
        Files { files: Rc::new(entries.into_iter().collect()) }
    }

    pub fn into_value(self) -> Value {
        Value::Object(Rc::new(self))
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// `(name, []byte)` pairs in Go's `range` order (sorted keys), for the engine's `range`.
    pub fn entries(&self) -> Vec<(Value, Value)> {
        self.files.iter().map(|(k, v)| (Value::str(k.as_str()), Value::Bytes(v.clone()))).collect()
    }

    /// `GetBytes`: a missing file is an empty (non-nil) byte slice.
    pub fn get_bytes(&self, name: &str) -> Rc<[u8]> {
        self.files.get(name).cloned().unwrap_or_else(|| Rc::from(&b""[..]))
    }

    /// `Get`: a Go string of the file's bytes (binary files keep them).
    pub fn get(&self, name: &str) -> Value {
        Value::go_string(self.get_bytes(name).to_vec())
    }

    /// `Glob`: the matching subset (an invalid pattern matches everything, as in Helm).
    pub fn glob(&self, pattern: &str) -> Files {
        let g = Glob::compile_or_all(pattern);
        Files::from_entries(self.files.iter().filter(|(k, _)| g.matches(k)).map(|(k, v)| (k.clone(), v.clone())))
    }

    /// `Lines`: split on `\n` after dropping one trailing newline; missing files give `[]`.
    pub fn lines(&self, name: &str) -> Result<Vec<String>, String> {
        let Some(data) = self.files.get(name) else { return Ok(Vec::new()) };
        let text = String::from_utf8_lossy(data);
        if text.is_empty() {
            // Helm indexes s[len(s)-1] without checking: the call panics.
            return Err("runtime error: index out of range [-1]".into());
        }
        let text = text.strip_suffix('\n').unwrap_or(&text);
        Ok(text.split('\n').map(str::to_string).collect())
    }

    /// `AsConfig`: base names to contents, as YAML.
    pub fn as_config(&self) -> String {
        self.as_yaml(|data| String::from_utf8_lossy(data).into_owned())
    }

    /// `AsSecrets`: base names to base64 contents, as YAML.
    pub fn as_secrets(&self) -> String {
        self.as_yaml(base64_std)
    }

    fn as_yaml(&self, encode: impl Fn(&[u8]) -> String) -> String {
        // Later files with the same base name overwrite earlier ones (Go map order; sorted
        // here).
        let mut by_base: BTreeMap<String, String> = BTreeMap::new();
        for (name, data) in self.files.iter() {
            let base = name.trim_end_matches('/').rsplit('/').next().unwrap_or(name).to_string();
            by_base.insert(base, encode(data));
        }
        string_map_to_yaml(&by_base.into_iter().collect::<Vec<_>>())
    }
}

/// Helm's `toYAML` of a `map[string]string` (`.Files.AsConfig`/`AsSecrets`): the same
/// sigs.k8s.io/yaml marshalling as the `toYaml` function, minus the final newline.
fn string_map_to_yaml(entries: &[(String, String)]) -> String {
    let map: Map = entries.iter().map(|(k, v)| (k.clone(), Value::str(v.as_str()))).collect();
    crate::render::funcs::serialize::to_yaml(&Value::map(map))
        .map(|y| y.strip_suffix('\n').map(str::to_string).unwrap_or(y))
        .unwrap_or_default()
}

fn base64_std(data: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18u32, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> shift) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn string_arg<'a>(method: &str, args: &'a [Value]) -> Result<&'a str, String> {
    match args {
        [Value::Str(s)] => Ok(s),
        [Value::Nil] => Err("invalid value; expected string".into()),
        [other] => Err(format!("wrong type for value; expected string; got {}", other.type_name())),
        _ => Err(format!("wrong number of args for {method}: want 1 got {}", args.len())),
    }
}

impl Object for Files {
    fn type_name(&self) -> &str {
        "engine.files"
    }
    fn entries(&self) -> Option<Vec<(Value, Value)>> {
        Some(Files::entries(self))
    }
    fn len(&self) -> Option<usize> {
        Some(self.files.len())
    }
    fn kind(&self) -> &'static str {
        "map"
    }
    /// Zero-argument methods, then map-key lookup (a missing key is a nil `[]byte`).
    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "AsConfig" => Some(Value::str(self.as_config())),
            "AsSecrets" => Some(Value::str(self.as_secrets())),
            "Get" | "GetBytes" | "Glob" | "Lines" => None,
            key => Some(Value::Bytes(self.files.get(key).cloned().unwrap_or_else(|| Rc::from(&b""[..])))),
        }
    }
    fn call(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        Some(match name {
            "Get" => string_arg(name, args).map(|n| self.get(n)),
            "GetBytes" => string_arg(name, args).map(|n| Value::Bytes(self.get_bytes(n))),
            "Glob" => string_arg(name, args).map(|p| self.glob(p).into_value()),
            "Lines" => string_arg(name, args)
                .and_then(|n| self.lines(n))
                .map(|l| Value::list(l.into_iter().map(Value::str).collect())),
            "AsConfig" | "AsSecrets" => {
                if args.is_empty() {
                    Ok(self.field(name).unwrap_or_default())
                } else {
                    Err(format!("wrong number of args for {name}: want 0 got {}", args.len()))
                }
            }
            _ => return None,
        })
    }
    fn display(&self) -> String {
        let m: Map = self.files.iter().map(|(k, v)| (k.clone(), Value::Bytes(v.clone()))).collect();
        Value::map(m).to_string()
    }
}

/// `.Template` (a `common.Values` map in Helm 4).
pub fn template_value(name: &str, base_path: &str) -> Value {
    Value::map(Map::from([("Name".into(), Value::str(name)), ("BasePath".into(), Value::str(base_path))]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> Files {
        Files::from_entries(
            [
                ("conf/a.txt", "line1\nline2\n"),
                ("conf/c.txt", "no newline"),
                ("conf/empty.txt", ""),
                ("x/y/z.bin", "\u{1}"),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), Rc::from(v.as_bytes()))),
        )
    }

    // Oracle (helm-render, Helm 4.2.3): Lines, Get, GetBytes, Glob, AsSecrets, key lookup.
    #[test]
    fn files_like_helm() {
        let f = files();
        assert_eq!(f.lines("conf/a.txt"), Ok(vec!["line1".into(), "line2".into()]));
        assert_eq!(f.lines("conf/c.txt"), Ok(vec!["no newline".into()]));
        assert_eq!(f.lines("nope"), Ok(vec![]));
        assert!(f.lines("conf/empty.txt").is_err());
        assert_eq!(f.get("nope"), Value::str(""));
        assert_eq!(f.field("nope").map(|v| v.to_string()).as_deref(), Some("[]"));
        assert_eq!(f.glob("conf/*").len(), 3);
        assert_eq!(f.glob("zzz").as_config(), "{}");
        assert_eq!(f.glob("conf/*").as_secrets(), "a.txt: bGluZTEKbGluZTIK\nc.txt: bm8gbmV3bGluZQ==\nempty.txt: \"\"");
        let v = Value::Object(Rc::new(f));
        assert_eq!(v.type_name(), "engine.files");
    }

    #[test]
    fn capabilities_like_helm() {
        let caps = Capabilities::default();
        let v = caps.to_value();
        let Value::Object(o) = &v else { panic!("not an object") };
        assert_eq!(o.type_name(), "*common.Capabilities");
        let kv = o.field("KubeVersion").unwrap_or_default();
        assert_eq!(kv.to_string(), "v1.36.0");
        let Some(Value::Object(ref api)) = o.field("APIVersions") else { panic!("no APIVersions") };
        let has = |s: &str| api.call("Has", &[Value::str(s)]).and_then(Result::ok);
        assert_eq!(has("apps/v1"), Some(Value::Bool(true)));
        assert_eq!(has("apps/v1/Deployment"), Some(Value::Bool(false)));
        assert!(v.to_string().starts_with("&{{v1.36.0 v1.36.0 1 36} [v1 admissionregistration.k8s.io/v1 "));
        assert!(v.to_string().ends_with(" apiextensions.k8s.io/v1] {v4.2.3   go1.26.6 v1.36}}"));
    }

    #[test]
    fn kube_version_parsing() {
        let kv = KubeVersion::parse("1.33.4-gke.1245000").unwrap_or_default();
        assert_eq!(
            (kv.version.as_str(), kv.normalized(), kv.major.as_str(), kv.minor.as_str()),
            ("v1.33.4-gke.1245000", "v1.33.4", "1", "33")
        );
        assert!(KubeVersion::parse("x").is_err());
        assert!(KubeVersion::parse("1").is_err());
    }

    #[test]
    fn base64() {
        assert_eq!(base64_std(b""), "");
        assert_eq!(base64_std(b"f"), "Zg==");
        assert_eq!(base64_std(b"fo"), "Zm8=");
        assert_eq!(base64_std(b"foo"), "Zm9v");
    }
}
