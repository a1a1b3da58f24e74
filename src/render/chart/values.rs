//! What Helm's install action does between loading a chart and rendering it:
//! `CheckDependencies`, `ProcessDependencies` (conditions, tags, aliases, import-values),
//! `ToRenderValues` (coalescing and schema validation) and the `kubeVersion` check.
//!
//! Helm mutates the loaded chart while doing this (aliases rename subcharts, disabled ones
//! are dropped, `import-values` rewrite the defaults); here that happens on a working tree of
//! [`Node`]s so the loaded [`Chart`] stays untouched and can be rendered again.

use std::collections::HashSet;

use super::coalesce::{self, MapRef};
use super::is_compatible_range;
use super::metadata::{Dependency, Metadata};
use super::objects::{self, Capabilities};
use super::{schema, Chart, ChartError, CrdFile, ErrorKind, Template};
use crate::render::value::{Map, Value};

/// Release facts and cluster capabilities for one render (`helm template` flags).
#[derive(Clone, Debug)]
pub struct RenderOptions {
    pub release_name: String,
    pub namespace: String,
    pub revision: i64,
    /// `--is-upgrade`; `.Release.IsInstall` is its negation.
    pub is_upgrade: bool,
    pub capabilities: Capabilities,
    /// `--skip-schema-validation`.
    pub skip_schema_validation: bool,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            release_name: "release-name".into(),
            namespace: "default".into(),
            revision: 1,
            is_upgrade: false,
            capabilities: Capabilities::default(),
            skip_schema_validation: false,
        }
    }
}

impl RenderOptions {
    /// `.Release` as Helm builds it (a plain map; `Revision` is a Go int).
    pub fn release_value(&self) -> Value {
        Value::map(Map::from([
            ("Name".into(), Value::str(self.release_name.as_str())),
            ("Namespace".into(), Value::str(self.namespace.as_str())),
            ("IsUpgrade".into(), Value::Bool(self.is_upgrade)),
            ("IsInstall".into(), Value::Bool(!self.is_upgrade)),
            ("Revision".into(), Value::Int(self.revision)),
            ("Service".into(), Value::str("Helm")),
        ]))
    }
}

/// A chart in the working tree: the loaded chart plus what processing changes about it.
#[derive(Clone)]
pub(crate) struct Node<'a> {
    pub chart: &'a Chart,
    pub metadata: Metadata,
    /// The chart's default values (`c.Values`), rewritten by import-values.
    pub values: Value,
    pub deps: Vec<Node<'a>>,
}

impl<'a> Node<'a> {
    fn new(chart: &'a Chart) -> Node<'a> {
        Node {
            chart,
            metadata: chart.metadata.clone(),
            values: chart.values_map().deep_copy(),
            deps: chart.dependencies.iter().map(Node::new).collect(),
        }
    }

    pub fn name(&self) -> &str {
        &self.metadata.name
    }
}

/// A chart that will be rendered, with its final (alias) name and its `.Values`.
pub struct EnabledChart<'a> {
    pub chart: &'a Chart,
    /// Metadata after processing: aliased name, only enabled dependencies (with `Enabled`
    /// set and `import-values` normalized), as `.Chart` shows it.
    pub metadata: Metadata,
    pub is_root: bool,
    /// `<parent full path>/charts/<name>`; templates are named `<full_path>/<template name>`.
    pub full_path: String,
    /// This chart's `.Values` (shares maps with the top-level values, like Helm's scoping).
    pub values: Value,
    pub subcharts: Vec<EnabledChart<'a>>,
}

/// The charts that will be rendered: the top chart and its enabled subcharts.
pub struct EnabledCharts<'a> {
    pub root: EnabledChart<'a>,
}

impl<'a> EnabledChart<'a> {
    pub fn name(&self) -> &str {
        &self.metadata.name
    }

    /// Library charts are never rendered, only their partials are used (`isTemplateValid`).
    pub fn is_library(&self) -> bool {
        self.metadata.is_library()
    }

    /// Templates with their Helm names (`path.Join(ChartFullPath, t.Name)`).
    pub fn templates(&self) -> impl Iterator<Item = (String, &'a Template)> + '_ {
        self.chart.templates.iter().map(|t| (format!("{}/{}", self.full_path, t.name), t))
    }

    /// `.Template.BasePath` for this chart's templates (`<full path>/templates`).
    pub fn base_path(&self) -> String {
        format!("{}/templates", self.full_path)
    }

    /// `.Chart`: `MetadataAsMap` plus `IsRoot`.
    pub fn chart_value(&self) -> Value {
        let mut m = self.metadata.as_map();
        m.insert("IsRoot".into(), Value::Bool(self.is_root));
        Value::map(m)
    }

    /// `.Files` for this chart's templates.
    pub fn files_value(&self) -> Value {
        objects::Files::from_chart(self.chart).into_value()
    }

    /// The top-level object this chart's templates see (Helm's `recAllTpls` "next" map):
    /// `Chart`, `Files`, `Release`, `Capabilities`, `Values` and `Subcharts`. `.Template` is
    /// added per template by the engine.
    pub fn scope(&self, release: &Value, capabilities: &Value) -> Value {
        let subcharts: Map =
            self.subcharts.iter().map(|s| (s.name().to_string(), s.scope(release, capabilities))).collect();
        Value::map(Map::from([
            ("Chart".into(), self.chart_value()),
            ("Files".into(), self.files_value()),
            ("Release".into(), release.clone()),
            ("Capabilities".into(), capabilities.clone()),
            ("Values".into(), self.values.clone()),
            ("Subcharts".into(), Value::map(subcharts)),
        ]))
    }

    /// Depth-first, parent before subcharts.
    pub fn walk(&self) -> Vec<&EnabledChart<'a>> {
        let mut out = vec![self];
        for s in &self.subcharts {
            out.extend(s.walk());
        }
        out
    }

    /// CRDs of this chart and its subcharts, with Helm's file names (`CRDObjects`).
    pub fn crds(&self) -> Vec<CrdFile<'a>> {
        let mut out = self.chart.crd_files(&self.full_path);
        for s in &self.subcharts {
            out.extend(s.crds());
        }
        out
    }
}

impl<'a> EnabledCharts<'a> {
    /// Every enabled chart, top first.
    pub fn charts(&self) -> Vec<&EnabledChart<'a>> {
        self.root.walk()
    }
}

/// Compute `.Values` and the enabled-chart tree the way `helm template` does before rendering.
///
/// `user_values` are the user-supplied value maps (`-f` files, then `--set` results) in
/// increasing priority; they are merged with Helm's `MergeMaps` first. (For exact `--set`
/// semantics on top of files, apply [`super::strvals::parse_into`] to the merged map and
/// pass that single map.)
pub fn render_values<'a>(
    chart: &'a Chart,
    user_values: &[Value],
    options: &RenderOptions,
) -> Result<(Value, EnabledCharts<'a>), ChartError> {
    if chart.metadata.is_library() || !matches!(chart.metadata.chart_type.as_str(), "" | "application") {
        return Err(ChartError::new(
            ErrorKind::NotInstallable,
            format!("{} charts are not installable", chart.metadata.chart_type),
        ));
    }
    check_dependencies(chart)?;
    validate_release_name(&options.release_name)?;

    let mut user = Value::empty_map();
    for v in user_values {
        user = super::load::merge_maps(&user, v);
    }

    let mut root = Node::new(chart);
    process_dependency_enabled(&mut root, &user, "")?;
    process_dependency_import_values(&mut root)?;

    let values = Value::Map(coalesce::coalesce_values(&root, &user)?);
    if !options.skip_schema_validation {
        schema::validate_tree(&root, &values).map_err(|msg| {
            ChartError::new(
                ErrorKind::Schema,
                format!("values don't meet the specifications of the schema(s) in the following chart(s):\n{msg}"),
            )
        })?;
    }
    chart.check_kube_version(&options.capabilities)?;

    let root = enabled_tree(root, true, "", &values);
    Ok((values, EnabledCharts { root }))
}

/// `chartutil.ValidateReleaseName`, as `helm template` reports it.
pub fn validate_release_name(name: &str) -> Result<(), ChartError> {
    static NAME: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
            .unwrap_or_else(|e| panic!("release name pattern: {e}"))
    });
    let why = if name.is_empty() {
        "no name provided"
    } else if name.len() > 53 || !NAME.is_match(name) {
        r"invalid release name, must match regex ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$ and the length must not be longer than 53"
    } else {
        return Ok(());
    };
    Err(ChartError::new(ErrorKind::ReleaseName, format!("release name check failed: release name {name:?}: {why}")))
}

/// Helm's `CheckDependencies` (run by `helm install/template` before anything else).
fn check_dependencies(chart: &Chart) -> Result<(), ChartError> {
    let Some(reqs) = &chart.metadata.dependencies else { return Ok(()) };
    let missing: Vec<&str> = reqs
        .iter()
        .flatten()
        .filter(|r| !chart.dependencies.iter().any(|d| d.metadata.name == r.name))
        .map(|r| r.name.as_str())
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(ChartError::new(
        ErrorKind::MissingDependencies,
        format!(
            "an error occurred while checking for chart dependencies. You may need to run 'helm dependency build' to fetch missing dependencies: found in Chart.yaml, but missing in charts/ directory: {}",
            missing.join(", ")
        ),
    ))
}

/// `getAliasDependency`: the first subchart with the dependency's name whose version satisfies
/// the dependency's range, copied and renamed to the alias.
fn alias_dependency<'a>(charts: &[Node<'a>], dep: &Dependency) -> Option<Node<'a>> {
    let found =
        charts.iter().find(|c| c.name() == dep.name && is_compatible_range(&dep.version, &c.metadata.version))?;
    let mut out = found.clone();
    if !dep.alias.is_empty() {
        out.metadata.name = dep.alias.clone();
    }
    Some(out)
}

/// `processDependencyEnabled`: resolve aliases, then drop subcharts disabled by tags or
/// conditions (conditions win when they resolve to a boolean), recursively.
fn process_dependency_enabled(node: &mut Node<'_>, values: &Value, path: &str) -> Result<(), ChartError> {
    let Some(mut reqs) = node.metadata.dependencies.take() else { return Ok(()) };
    let existing = std::mem::take(&mut node.deps);
    let mut deps: Vec<Node<'_>> = existing
        .iter()
        .filter(|e| {
            !reqs.iter().flatten().any(|r| e.name() == r.name && is_compatible_range(&r.version, &e.metadata.version))
        })
        .cloned()
        .collect();
    for req in reqs.iter_mut().flatten() {
        if let Some(dep) = alias_dependency(&existing, req) {
            deps.push(dep);
        }
        if !req.alias.is_empty() {
            req.name = req.alias.clone();
        }
    }
    node.deps = deps;
    for req in reqs.iter_mut().flatten() {
        req.enabled = true;
    }
    node.metadata.dependencies = Some(reqs.clone());

    let cvals = Value::Map(coalesce::coalesce_values(node, values)?);
    process_dependency_tags(&mut reqs, &cvals);
    process_dependency_conditions(&mut reqs, &cvals, path);

    let removed: HashSet<String> = reqs.iter().flatten().filter(|r| !r.enabled).map(|r| r.name.clone()).collect();
    node.deps.retain(|d| !removed.contains(d.name()));
    for dep in &mut node.deps {
        let sub_path = format!("{path}{}.", dep.name());
        process_dependency_enabled(dep, &cvals, &sub_path)?;
    }
    reqs.retain(|r| r.as_ref().is_none_or(|r| !removed.contains(&r.name)));
    node.metadata.dependencies = Some(reqs);
    Ok(())
}

/// `processDependencyTags`: a dependency is disabled when it has a tag set to false and
/// none set to true (tags are read from the top-level `tags:` map).
fn process_dependency_tags(reqs: &mut [Option<Dependency>], cvals: &Value) {
    let Ok(tags) = table(cvals, "tags") else { return };
    for r in reqs.iter_mut().flatten() {
        let (mut has_true, mut has_false) = (false, false);
        for tag in &r.tags {
            match tags.borrow().get(tag) {
                Some(Value::Bool(true)) => has_true = true,
                Some(Value::Bool(false)) => has_false = true,
                _ => {} // missing, or Helm's "returned non-bool value" warning
            }
        }
        r.enabled = has_true || !has_false;
    }
}

/// `processDependencyConditions`: the first comma-separated path that resolves to a boolean
/// decides.
fn process_dependency_conditions(reqs: &mut [Option<Dependency>], cvals: &Value, path: &str) {
    for r in reqs.iter_mut().flatten() {
        let condition = super::helmignore::go_trim_space(&r.condition).to_string();
        for c in condition.split(',') {
            if c.is_empty() {
                continue;
            }
            if let Ok(Value::Bool(b)) = path_value(cvals, &format!("{path}{c}")) {
                r.enabled = b;
                break;
            }
        }
    }
}

/// `Values.Table`: follow a dotted path of maps.
pub(crate) fn table(values: &Value, path: &str) -> Result<MapRef, ()> {
    let mut current = match values {
        Value::Map(m) => m.clone(),
        _ => return Err(()),
    };
    for key in path.split('.') {
        let next = match current.borrow().get(key) {
            Some(Value::Map(m)) => m.clone(),
            _ => return Err(()),
        };
        current = next;
    }
    Ok(current)
}

/// `Values.PathValue`: a non-map value at a dotted path.
fn path_value(values: &Value, path: &str) -> Result<Value, ()> {
    if path.is_empty() {
        return Err(());
    }
    let (parent, key) = match path.rsplit_once('.') {
        Some((parent, key)) => (table(values, parent)?, key),
        None => match values {
            Value::Map(m) => (m.clone(), path),
            _ => return Err(()),
        },
    };
    let found = parent.borrow().get(key).cloned();
    match found {
        Some(Value::Map(_)) | None => Err(()),
        Some(v) => Ok(v),
    }
}

/// `processDependencyImportValues`: children first, then this chart.
fn process_dependency_import_values(node: &mut Node<'_>) -> Result<(), ChartError> {
    for dep in &mut node.deps {
        process_dependency_import_values(dep)?;
    }
    process_import_values(node)
}

/// `processImportValues` (merge mode, as Helm 4's install uses): copy `exports.*` or
/// `child`→`parent` tables from subchart values into this chart's defaults, which keep
/// priority over imported values.
fn process_import_values(node: &mut Node<'_>) -> Result<(), ChartError> {
    let Some(mut reqs) = node.metadata.dependencies.take() else { return Ok(()) };
    node.metadata.dependencies = Some(reqs.clone());
    let cvals = Value::Map(coalesce::merge_values(node, &Value::Nil)?);
    let imported: MapRef = std::rc::Rc::new(std::cell::RefCell::new(Map::new()));
    for r in reqs.iter_mut().flatten() {
        let mut normalized = Vec::new();
        for iv in &r.import_values {
            match iv {
                Value::Map(m) => {
                    let child = m.borrow().get("child").cloned().unwrap_or(Value::Nil).to_string();
                    let parent = m.borrow().get("parent").cloned().unwrap_or(Value::Nil).to_string();
                    normalized.push(Value::map(Map::from([
                        ("child".into(), Value::str(child.as_str())),
                        ("parent".into(), Value::str(parent.as_str())),
                    ])));
                    let Ok(vv) = table(&cvals, &format!("{}.{child}", r.name)) else { continue };
                    coalesce::merge_tables(&imported, &path_to_map(&parent, vv));
                }
                Value::Str(s) => {
                    let child = format!("exports.{s}");
                    normalized.push(Value::map(Map::from([
                        ("child".into(), Value::str(child.as_str())),
                        ("parent".into(), Value::str(".")),
                    ])));
                    let Ok(vm) = table(&cvals, &format!("{}.{child}", r.name)) else { continue };
                    coalesce::merge_tables(&imported, &vm);
                }
                _ => {}
            }
        }
        r.import_values = normalized;
    }
    node.metadata.dependencies = Some(reqs);
    // The chart's own values (with its subcharts') keep priority over imported ones.
    let base = match cvals.deep_copy() {
        Value::Map(ref m) => std::rc::Rc::clone(m),
        _ => std::rc::Rc::new(std::cell::RefCell::new(Map::new())),
    };
    coalesce::merge_tables(&base, &imported);
    node.values = Value::Map(base);
    Ok(())
}

/// `pathToMap`: nest `data` under a dotted path (`.` means the root).
fn path_to_map(path: &str, data: MapRef) -> MapRef {
    if path == "." {
        return data;
    }
    let mut current = data;
    for key in path.split('.').rev() {
        current = std::rc::Rc::new(std::cell::RefCell::new(Map::from([(key.to_string(), Value::Map(current))])));
    }
    current
}

/// Build the rendered tree, scoping each subchart's `.Values` the way the engine does
/// (`Values.<name>` when it is a map, else an empty map).
fn enabled_tree<'a>(node: Node<'a>, is_root: bool, parent_path: &str, values: &Value) -> EnabledChart<'a> {
    let full_path = if is_root { node.name().to_string() } else { format!("{parent_path}/charts/{}", node.name()) };
    let subcharts = node
        .deps
        .into_iter()
        .map(|sub| {
            let scoped = match values.get(sub.name()) {
                Some(v @ Value::Map(_)) => v,
                _ => Value::empty_map(),
            };
            enabled_tree(sub, false, &full_path, &scoped)
        })
        .collect();
    EnabledChart { chart: node.chart, metadata: node.metadata, is_root, full_path, values: values.clone(), subcharts }
}

#[cfg(test)]
mod tests;
