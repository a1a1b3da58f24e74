//! Assemble `helm template` output from rendered templates, as Helm v4 does
//! (pkg/release/v1/util/{manifest.go,manifest_sorter.go,kind_sorter.go}, pkg/action
//! renderResources, pkg/cmd/template.go): split each template's output into documents, sort
//! hooks from manifests, order both by kind, and frame each as `---\n# Source: PATH\n...`.

use std::sync::{Arc, LazyLock};

use regex::Regex;

use crate::source::FileId;
use crate::yaml;

/// Install order by kind; unknown kinds go last, alphabetically.
pub const INSTALL_ORDER: &[&str] = &[
    "PriorityClass",
    "Namespace",
    "NetworkPolicy",
    "ResourceQuota",
    "LimitRange",
    "PodSecurityPolicy",
    "PodDisruptionBudget",
    "ServiceAccount",
    "Secret",
    "SecretList",
    "ConfigMap",
    "StorageClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "CustomResourceDefinition",
    "ClusterRole",
    "ClusterRoleList",
    "ClusterRoleBinding",
    "ClusterRoleBindingList",
    "Role",
    "RoleList",
    "RoleBinding",
    "RoleBindingList",
    "Service",
    "DaemonSet",
    "Pod",
    "ReplicationController",
    "ReplicaSet",
    "Deployment",
    "HorizontalPodAutoscaler",
    "StatefulSet",
    "Job",
    "CronJob",
    "IngressClass",
    "Ingress",
    "APIService",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
];

const HOOK_EVENTS: &[&str] = &[
    "pre-install",
    "post-install",
    "pre-delete",
    "post-delete",
    "pre-upgrade",
    "post-upgrade",
    "pre-rollback",
    "post-rollback",
    "test",
    "test-success",
];

static SEPARATOR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|[\t\n\x0c\r ]*\n)---[\t\n\x0c\r ]*").expect("static regex"));

/// Helm's `SplitManifests` (v4: documents are only left-trimmed).
pub fn split_manifests(text: &str) -> Vec<&str> {
    let text = text.trim_start();
    SEPARATOR.split(text).filter(|d| !d.is_empty()).map(str::trim_start).collect()
}

/// One output document.
#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    /// Template path as in `# Source:` (e.g. `mychart/templates/deployment.yaml`).
    pub source: String,
    pub content: String,
    /// Byte offset of `content` in its template's output.
    pub offset: usize,
    pub kind: String,
    pub hook: bool,
    pub test_hook: bool,
}

#[derive(Clone, Debug, Default)]
pub struct OutputOptions {
    pub include_crds: bool,
    pub skip_tests: bool,
    pub no_hooks: bool,
    pub show_only: Vec<String>,
}

/// Sort rendered templates into manifests and hooks. `templates` are (path, output).
/// Errors read as Helm's (`YAML parse error on PATH: ...`).
pub fn sort_documents(templates: &[(String, String)]) -> Result<(Vec<Document>, Vec<Document>), String> {
    let mut sorted: Vec<&(String, String)> = templates.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    let mut manifests = Vec::new();
    let mut hooks = Vec::new();
    for (path, text) in sorted {
        let base = path.rsplit('/').next().unwrap_or(path);
        if base.starts_with('_') || text.trim().is_empty() {
            continue;
        }
        for content in split_manifests(text) {
            let head = Head::parse(content).map_err(|e| format!("YAML parse error on {path}: {e}"))?;
            // `split_manifests` returns slices of `text`.
            let offset = content.as_ptr() as usize - text.as_ptr() as usize;
            let doc = Document {
                source: path.clone(),
                content: content.to_string(),
                offset,
                kind: head.kind.clone(),
                hook: false,
                test_hook: false,
            };
            match head.hook {
                None => manifests.push(doc),
                Some(events) => {
                    let events: Vec<String> = events.split(',').map(|e| e.trim().to_ascii_lowercase()).collect();
                    if events.iter().any(|e| !HOOK_EVENTS.contains(&e.as_str())) {
                        continue; // Helm skips documents with unknown hook types
                    }
                    let test_hook = events.iter().any(|e| e == "test" || e == "test-success");
                    hooks.push(Document { hook: true, test_hook, ..doc });
                }
            }
        }
    }
    sort_by_kind(&mut manifests);
    sort_by_kind(&mut hooks);
    Ok((manifests, hooks))
}

fn sort_by_kind(docs: &mut [Document]) {
    let rank = |k: &str| INSTALL_ORDER.iter().position(|x| *x == k);
    docs.sort_by(|a, b| match (rank(&a.kind), rank(&b.kind)) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.kind.cmp(&b.kind),
    });
}

/// What Helm reads of a document before sorting: kind and the hook annotation.
struct Head {
    kind: String,
    hook: Option<String>,
}

impl Head {
    fn parse(content: &str) -> Result<Head, String> {
        let docs = yaml::parse_stream(FileId(0), content);
        let doc = match docs.into_iter().next() {
            None => return Ok(Head { kind: String::new(), hook: None }),
            Some(Err(e)) => return Err(format!("error converting YAML to JSON: yaml: {}", e.message)),
            Some(Ok(d)) => d,
        };
        let Some(root) = doc.root().filter(|r| r.is_mapping()) else {
            if doc.is_empty() {
                return Ok(Head { kind: String::new(), hook: None });
            }
            return Err(
                "error unmarshaling JSON: json: cannot unmarshal non-object into Go value of type util.SimpleHead"
                    .into(),
            );
        };
        let kind = root.get("kind").and_then(|k| k.scalar()).map(|s| s.json_key().into_owned()).unwrap_or_default();
        let hook = root
            .path(&["metadata", "annotations", "helm.sh/hook"])
            .and_then(|h| h.scalar())
            .map(|s| s.json_key().into_owned());
        Ok(Head { kind, hook })
    }
}

/// Where a document of the stream came from: bytes `stream_start..stream_end` are bytes
/// `template_offset..` of the output of `template`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocOrigin {
    pub stream_start: usize,
    pub stream_end: usize,
    pub template: String,
    pub template_offset: usize,
}

/// The full `helm template` stream. `crds` are (path, text) in chart order.
pub fn assemble(
    templates: &[(String, String)],
    crds: &[(String, Arc<str>)],
    opts: &OutputOptions,
) -> Result<String, String> {
    assemble_with_origins(templates, crds, opts).map(|(s, _)| s)
}

/// [`assemble`], also telling where each document came from.
pub fn assemble_with_origins(
    templates: &[(String, String)],
    crds: &[(String, Arc<str>)],
    opts: &OutputOptions,
) -> Result<(String, Vec<DocOrigin>), String> {
    let (manifests, hooks) = sort_documents(templates)?;
    let mut out = String::new();
    let mut origins = Vec::new();
    if opts.include_crds {
        for (path, text) in crds {
            out.push_str(&format!("---\n# Source: {path}\n{text}\n"));
        }
    }
    fn frame(out: &mut String, origins: &mut Vec<DocOrigin>, d: &Document) {
        out.push_str(&format!("---\n# Source: {}\n", d.source));
        let start = out.len();
        out.push_str(&d.content);
        origins.push(DocOrigin {
            stream_start: start,
            stream_end: out.len(),
            template: d.source.clone(),
            template_offset: d.offset,
        });
        out.push('\n');
    }
    for m in &manifests {
        frame(&mut out, &mut origins, m);
    }
    // Helm prints the manifest block trimmed; it starts with `---`, so only its end moves.
    let trimmed = out.trim().len();
    out.truncate(trimmed);
    out.push('\n');
    for o in &mut origins {
        o.stream_end = o.stream_end.min(trimmed);
    }
    if !opts.no_hooks {
        for h in hooks.iter().filter(|h| !(opts.skip_tests && h.test_hook)) {
            frame(&mut out, &mut origins, h);
        }
    }
    Ok((out, origins))
}

/// `--show-only` (Helm applies it in the CLI, after rendering): keep documents whose template
/// path (after the chart name) matches each pattern.
pub fn show_only(stream: &str, patterns: &[String]) -> Result<String, String> {
    let docs = split_manifests(stream);
    let mut out = String::new();
    for pattern in patterns {
        let mut found = false;
        for d in &docs {
            let Some(name) = d
                .lines()
                .find_map(|l| l.strip_prefix("# Source: "))
                .and_then(|p| p.split_once('/'))
                .map(|(_, rest)| rest)
            else {
                continue;
            };
            if glob_match(pattern, name) {
                out.push_str(&format!("---\n{d}\n"));
                found = true;
            }
        }
        if !found {
            return Err(format!("could not find template {pattern} in chart"));
        }
    }
    Ok(out)
}

/// Go's `filepath.Match` for `*`, `?` and literal text (no `[...]` classes).
fn glob_match(pattern: &str, name: &str) -> bool {
    fn go(p: &[u8], n: &[u8]) -> bool {
        match (p.first(), n.first()) {
            (None, None) => true,
            (Some(b'*'), _) => go(&p[1..], n) || (!n.is_empty() && n[0] != b'/' && go(p, &n[1..])),
            (Some(b'?'), Some(&c)) if c != b'/' => go(&p[1..], &n[1..]),
            (Some(a), Some(b)) if a == b => go(&p[1..], &n[1..]),
            _ => false,
        }
    }
    go(pattern.as_bytes(), name.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_like_helm_v4() {
        // Helm's separator also splits "---apiVersion" and only left-trims documents.
        assert_eq!(split_manifests("\n\na: 1\n---\nb: 2\n\n---apiVersion: v1\n"), ["a: 1", "b: 2", "apiVersion: v1\n"]);
        assert_eq!(split_manifests("x: |\n  ---\n  y\n"), ["x: |\n  ---\n  y\n"]);
    }

    #[test]
    fn sorts_by_kind_and_separates_hooks() {
        let templates = vec![
            ("c/templates/z.yaml".to_string(), "kind: Deployment\n---\nkind: Widget\n---\nkind: Service\n".to_string()),
            ("c/templates/a.yaml".to_string(), "kind: ConfigMap\n---\nkind: Gadget\n".to_string()),
            (
                "c/templates/tests/t.yaml".to_string(),
                "kind: Pod\nmetadata:\n  annotations:\n    helm.sh/hook: test\n".to_string(),
            ),
            (
                "c/templates/hook.yaml".to_string(),
                "kind: Job\nmetadata:\n  annotations:\n    helm.sh/hook: bogus\n".to_string(),
            ),
            ("c/templates/_helpers.tpl".to_string(), "kind: Secret\n".to_string()),
            ("c/templates/NOTES.txt".to_string(), "   \n".to_string()),
        ];
        let (m, h) = sort_documents(&templates).unwrap();
        let kinds: Vec<&str> = m.iter().map(|d| d.kind.as_str()).collect();
        assert_eq!(kinds, ["ConfigMap", "Service", "Deployment", "Gadget", "Widget"]);
        assert_eq!(h.len(), 1, "unknown hook types are dropped");
        assert!(h[0].test_hook);
        let out = assemble(&templates, &[], &OutputOptions::default()).unwrap();
        assert!(out.starts_with("---\n# Source: c/templates/a.yaml\nkind: ConfigMap\n---\n"));
        assert!(out.ends_with(
            "---\n# Source: c/templates/tests/t.yaml\nkind: Pod\nmetadata:\n  annotations:\n    helm.sh/hook: test\n\n"
        ));
        let skipped = assemble(&templates, &[], &OutputOptions { skip_tests: true, ..Default::default() }).unwrap();
        assert!(!skipped.contains("kind: Pod"));
        let only = show_only(&out, &["templates/a.yaml".into()]).unwrap();
        assert_eq!(
            only,
            "---\n# Source: c/templates/a.yaml\nkind: ConfigMap\n---\n# Source: c/templates/a.yaml\nkind: Gadget\n"
        );
        assert!(show_only(&out, &["templates/nope.yaml".into()]).is_err());
    }

    #[test]
    fn bad_yaml_is_helms_error() {
        let err = sort_documents(&[("c/templates/x.yaml".into(), "a: [1\n".into())]).unwrap_err();
        assert!(err.starts_with("YAML parse error on c/templates/x.yaml: "), "{err}");
    }
}
