//! Discover inputs: manifest files, chart directories and stdin, from the paths given.

use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Input {
    /// A manifest file; `explicit` when the user named it (not found by walking).
    File {
        path: PathBuf,
        explicit: bool,
    },
    Stdin,
    /// A chart's own YAML (`Chart.yaml`, `values.yaml`): checked as YAML (parse errors,
    /// duplicate keys, suppression comments) but holding no Kubernetes objects.
    ChartFile {
        path: PathBuf,
    },
    /// Text produced in memory (a rendered chart, or the template a render failed in).
    Text {
        name: String,
        text: std::sync::Arc<str>,
        render_error: Option<RenderFailure>,
    },
}

/// Where and why a chart failed to render (reported by the `chart-render-error` rule).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RenderFailure {
    /// 1-based line and 0-based byte column in the input text (Go's convention), if known.
    pub line: u32,
    pub col: u32,
    pub message: String,
}

#[derive(Debug, Default)]
pub struct Discovered {
    pub inputs: Vec<Input>,
    pub charts: Vec<PathBuf>,
    /// Paths that do not exist or cannot be read: usage/I/O errors (exit 2).
    pub errors: Vec<String>,
    /// Recoverable problems (e.g. a symlink loop) worth telling the user.
    pub warnings: Vec<String>,
}

const MANIFEST_EXTENSIONS: &[&str] = &["yaml", "yml", "json"];

/// Build the exclude matcher. Patterns without `/` match a name at any depth, like .gitignore.
pub fn exclude_set(patterns: &[String]) -> Result<GlobSet, String> {
    let mut builder = GlobSetBuilder::new();
    for p in patterns {
        let p = p.trim_start_matches("./");
        let full = if p.contains('/') { p.trim_start_matches('/').to_string() } else { format!("**/{p}") };
        for variant in [full.clone(), format!("{}/**", full.trim_end_matches('/'))] {
            let glob = Glob::new(&variant).map_err(|e| format!("invalid exclude pattern `{p}`: {e}"))?;
            builder.add(glob);
        }
    }
    builder.build().map_err(|e| format!("invalid exclude patterns: {e}"))
}

fn is_excluded(excludes: &GlobSet, path: &Path, root: &Path) -> bool {
    if excludes.is_empty() {
        return false;
    }
    let rel = path.strip_prefix(root).unwrap_or(path);
    let rel = rel.strip_prefix("./").unwrap_or(rel);
    excludes.is_match(rel) || excludes.is_match(path.strip_prefix("./").unwrap_or(path))
}

pub fn is_chart_dir(dir: &Path) -> bool {
    dir.join("Chart.yaml").is_file()
}

/// Walk `paths` (default `.`). Directories honour .gitignore/.ignore, skip hidden entries,
/// follow symlinks with loop detection, and stop at chart directories.
pub fn discover(paths: &[PathBuf], excludes: &GlobSet) -> Discovered {
    let mut found = Discovered::default();
    for path in paths {
        if path.as_os_str() == "-" {
            found.inputs.push(Input::Stdin);
            continue;
        }
        let meta = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) => {
                found.errors.push(format!("{}: {e}", path.display()));
                continue;
            }
        };
        if meta.is_file() {
            if !is_excluded(excludes, path, Path::new("")) {
                found.inputs.push(Input::File { path: path.clone(), explicit: true });
            }
        } else if is_chart_dir(path) {
            found.charts.push(path.clone());
        } else {
            walk(path, excludes, &mut found);
        }
    }
    let mut seen = std::collections::HashSet::new();
    found.inputs.retain(|i| seen.insert(i.clone()));
    found.charts.sort();
    found.charts.dedup();
    found
}

fn walk(root: &Path, excludes: &GlobSet, found: &mut Discovered) {
    let mut files = Vec::new();
    let mut charts = Vec::new();
    let excludes_for_filter = excludes.clone();
    let root_for_filter = root.to_path_buf();
    let walker = ignore::WalkBuilder::new(root)
        .follow_links(true)
        .require_git(false)
        .sort_by_file_name(|a, b| a.cmp(b))
        .filter_entry(move |e| !is_excluded(&excludes_for_filter, e.path(), &root_for_filter))
        .build();
    let mut skip_prefixes: Vec<PathBuf> = Vec::new();
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                found.warnings.push(format!("{e}"));
                continue;
            }
        };
        let path = entry.path();
        if skip_prefixes.iter().any(|p| path.starts_with(p)) {
            continue;
        }
        let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
        if is_dir {
            if path != root && is_chart_dir(path) {
                charts.push(path.to_path_buf());
                skip_prefixes.push(path.to_path_buf());
            }
            continue;
        }
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if MANIFEST_EXTENSIONS.contains(&ext) {
            files.push(path.to_path_buf());
        }
    }
    files.sort();
    found.inputs.extend(files.into_iter().map(|path| Input::File { path, explicit: false }));
    found.charts.extend(charts);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_respecting_gitignore_excludes_and_charts() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("a/b")).unwrap();
        std::fs::create_dir_all(root.join("vendor")).unwrap();
        std::fs::create_dir_all(root.join("chart/templates")).unwrap();
        std::fs::create_dir_all(root.join(".hidden")).unwrap();
        for f in [
            "a/x.yaml",
            "a/b/y.yml",
            "a/b/z.json",
            "a/readme.md",
            "vendor/v.yaml",
            "ignored.yaml",
            "chart/templates/d.yaml",
            ".hidden/h.yaml",
        ] {
            std::fs::write(root.join(f), "a: 1\n").unwrap();
        }
        std::fs::write(root.join("chart/Chart.yaml"), "name: c\n").unwrap();
        std::fs::write(root.join(".gitignore"), "ignored.yaml\n").unwrap();
        let ex = exclude_set(&["vendor".to_string()]).unwrap();
        let found = discover(&[root.to_path_buf()], &ex);
        let names: Vec<String> = found
            .inputs
            .iter()
            .map(|i| match i {
                Input::File { path, .. } => path.strip_prefix(root).unwrap().to_string_lossy().into_owned(),
                Input::ChartFile { path } => path.to_string_lossy().into_owned(),
                Input::Stdin | Input::Text { .. } => "-".into(),
            })
            .collect();
        assert_eq!(names, ["a/b/y.yml", "a/b/z.json", "a/x.yaml"]);
        assert_eq!(found.charts, [root.join("chart")]);
    }

    #[test]
    fn missing_paths_are_errors_and_stdin_is_an_input() {
        let found = discover(&[PathBuf::from("/nonexistent/plimsoll"), PathBuf::from("-")], &GlobSet::empty());
        assert_eq!(found.errors.len(), 1);
        assert_eq!(found.inputs, [Input::Stdin]);
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loops_do_not_hang() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("d")).unwrap();
        std::fs::write(dir.path().join("d/m.yaml"), "a: 1\n").unwrap();
        std::os::unix::fs::symlink(dir.path(), dir.path().join("d/loop")).unwrap();
        let found = discover(&[dir.path().to_path_buf()], &GlobSet::empty());
        assert_eq!(found.inputs.len(), 1);
        assert!(!found.warnings.is_empty(), "the loop is reported");
    }
}
