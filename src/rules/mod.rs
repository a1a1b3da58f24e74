//! The built-in rule catalogue. Each rule's metadata and docs live in `rules/<id>.yaml`; a
//! declarative rule is that file alone, a Rust rule adds one module here. Registration is one
//! line: the macro embeds the doc file and pairs it with the logic.

use std::sync::Arc;

use crate::check::declarative::parse_rule_file;
use crate::check::{Check, Rule};

mod chart_render_error;
mod image_pull_policy_not_always;
mod image_tag_latest;
mod internal_error;
mod liveness_readiness_identical;
mod not_a_kubernetes_object;
mod object_duplicate;
mod probe_port_not_exposed;
mod resources_missing;
mod run_as_root_allowed;
mod secret_in_configmap;
mod yaml_duplicate_key;
mod yaml_parse_error;

pub(crate) struct Entry {
    file: &'static str,
    text: &'static str,
    check: Option<Arc<dyn Check>>,
}

/// `rust!("rule-id", Check)`: the rule's doc file paired with its Rust logic.
macro_rules! rust {
    ($id:literal, $check:expr) => {
        $crate::rules::Entry {
            file: concat!("rules/", $id, ".yaml"),
            text: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/", $id, ".yaml")),
            check: Some(std::sync::Arc::new($check)),
        }
    };
}

/// `declarative!("rule-id")`: a rule whose doc file carries its logic.
macro_rules! declarative {
    ($id:literal) => {
        $crate::rules::Entry {
            file: concat!("rules/", $id, ".yaml"),
            text: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/", $id, ".yaml")),
            check: None,
        }
    };
}

// Rule families, each registering its own rules (one module per family, one file per rule).
mod apis;
mod chart;
mod networking;
mod release;
pub(crate) mod schema;
pub(crate) mod security;
mod storage;
mod workloads;

fn entries() -> Vec<Entry> {
    let mut all = core();
    all.extend(security::entries());
    all.extend(workloads::entries());
    all.extend(networking::entries());
    all.extend(storage::entries());
    all.extend(release::entries());
    all.extend(apis::entries());
    all.extend(chart::entries());
    all.extend(schema::entries());
    all
}

fn core() -> Vec<Entry> {
    vec![
        declarative!("liveness-probe-missing"),
        declarative!("readiness-probe-missing"),
        declarative!("privileged-container"),
        rust!("probe-port-not-exposed", probe_port_not_exposed::ProbePortNotExposed),
        rust!("liveness-readiness-identical", liveness_readiness_identical::LivenessReadinessIdentical),
        rust!("image-tag-latest", image_tag_latest::ImageTagLatest),
        rust!("image-pull-policy-not-always", image_pull_policy_not_always::ImagePullPolicyNotAlways),
        rust!("resources-missing", resources_missing::ResourcesMissing),
        rust!("run-as-root-allowed", run_as_root_allowed::RunAsRootAllowed),
        rust!("secret-in-configmap", secret_in_configmap::SecretInConfigMap),
        rust!("yaml-parse-error", yaml_parse_error::YamlParseError),
        rust!("yaml-duplicate-key", yaml_duplicate_key::YamlDuplicateKey),
        rust!("not-a-kubernetes-object", not_a_kubernetes_object::NotAKubernetesObject),
        rust!("object-duplicate", object_duplicate::ObjectDuplicate),
        rust!("chart-render-error", chart_render_error::ChartRenderError),
        rust!("internal-error", internal_error::InternalError),
    ]
}

/// Every built-in rule, sorted by id. Fails only if a rule file is malformed (a test keeps
/// that from ever shipping).
pub fn builtin() -> Result<Vec<Rule>, String> {
    let mut rules = Vec::new();
    for e in entries() {
        let (meta, declarative) = parse_rule_file(e.file, e.text)?;
        let expected = e.file.trim_start_matches("rules/").trim_end_matches(".yaml");
        if meta.id != expected {
            return Err(format!("{}: id `{}` does not match the file name", e.file, meta.id));
        }
        let check: Arc<dyn Check> = match (e.check, declarative) {
            (Some(rust), None) => rust,
            (None, Some(d)) => Arc::new(d),
            (Some(_), Some(_)) => return Err(format!("{}: registered as Rust but has a declarative `check`", e.file)),
            (None, None) => return Err(format!("{}: `check: builtin` but no Rust logic registered", e.file)),
        };
        rules.push(Rule { meta: Arc::new(meta), check, builtin: true });
    }
    rules.sort_by(|a, b| a.meta.id.cmp(&b.meta.id));
    Ok(rules)
}

/// Registered rule file names (for the test that every file in `rules/` is registered).
pub fn registered_files() -> Vec<&'static str> {
    entries().iter().map(|e| e.file).collect()
}
