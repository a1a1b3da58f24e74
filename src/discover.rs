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

/// An input that could not be read (an error) or was deliberately not read (skipped).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct InputProblem {
    /// The path as shown to the user.
    pub path: String,
    pub message: String,
}

impl InputProblem {
    pub fn new(path: &Path, message: impl Into<String>) -> Self {
        InputProblem { path: crate::source::display_path(path), message: message.into() }
    }
}

impl std::fmt::Display for InputProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

#[derive(Debug, Default)]
pub struct Discovered {
    pub inputs: Vec<Input>,
    pub charts: Vec<PathBuf>,
    /// Paths that do not exist or cannot be read: usage/I/O errors (exit 2).
    pub errors: Vec<InputProblem>,
    /// Paths found while walking and deliberately not read: special files (FIFOs, sockets,
    /// devices) and symlinks leaving the scanned tree.
    pub skipped: Vec<InputProblem>,
    /// Recoverable problems (e.g. a symlink loop) worth telling the user.
    pub warnings: Vec<String>,
}

/// How directories are walked.
#[derive(Clone, Copy, Debug, Default)]
pub struct WalkOptions {
    /// Follow every symlink, also those whose target is outside the scanned tree.
    pub follow_links: bool,
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
/// follow symlinks inside the tree with loop detection (all symlinks with `follow_links`), and
/// stop at chart directories. Only regular files become inputs.
pub fn discover(paths: &[PathBuf], excludes: &GlobSet) -> Discovered {
    discover_with(paths, excludes, WalkOptions::default())
}

pub fn discover_with(paths: &[PathBuf], excludes: &GlobSet, options: WalkOptions) -> Discovered {
    let mut found = Discovered::default();
    for path in paths {
        if path.as_os_str() == "-" {
            found.inputs.push(Input::Stdin);
            continue;
        }
        let meta = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) => {
                found.errors.push(InputProblem::new(path, e.to_string()));
                continue;
            }
        };
        if meta.is_file() {
            // Named by the user: read as given, wherever a symlink points.
            if !is_excluded(excludes, path, Path::new("")) {
                found.inputs.push(Input::File { path: path.clone(), explicit: true });
            }
        } else if !meta.is_dir() {
            // A FIFO would block and a device never ends: refuse what the user named, never open it.
            let kind = crate::fsread::kind_name(meta.file_type());
            found.errors.push(InputProblem::new(path, format!("not a regular file ({kind}); skipped, never opened")));
        } else if is_chart_dir(path) {
            found.charts.push(path.clone());
        } else {
            walk(path, excludes, options, &mut found);
        }
    }
    let mut seen = std::collections::HashSet::new();
    found.inputs.retain(|i| seen.insert(i.clone()));
    found.charts.sort();
    found.charts.dedup();
    found.skipped.sort();
    found.skipped.dedup();
    found
}

/// Why a walked symlink is not followed: its target leaves `root` (canonical), or is gone.
fn leaves_tree(path: &Path, root: &Path) -> Option<String> {
    match std::fs::canonicalize(path) {
        Ok(target) if target.starts_with(root) => None,
        Ok(target) => Some(format!(
            "symlink to {} leaves the scanned tree; not followed (use --follow-links to follow it)",
            target.display()
        )),
        // A dangling link: the walker reports it.
        Err(_) => None,
    }
}

/// The ignore files the walker opens in each directory it enters and in the root's ancestors
/// (`.git/info/exclude` and `.git` files cannot come from a checkout: git refuses those paths).
const IGNORE_FILES: &[&str] = &[".gitignore", ".ignore"];

/// An ignore file in `dir` the walker must not open: not a regular file (a FIFO would block
/// the walk, `/dev/zero` would never end), above the size limit, or, inside the tree (`tree`:
/// the canonical root, unless links are followed), a symlink leaving it (its lines could be
/// echoed in glob errors).
fn unsafe_ignore_file(dir: &Path, tree: Option<&Path>) -> Option<InputProblem> {
    IGNORE_FILES.iter().find_map(|name| {
        let path = dir.join(name);
        let meta = std::fs::metadata(&path).ok()?;
        let is_link = std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
        let why = if let Some(why) = tree.filter(|_| is_link).and_then(|root| leaves_tree(&path, root)) {
            why
        } else if !meta.is_file() {
            format!("not a regular file ({})", crate::fsread::kind_name(meta.file_type()))
        } else if meta.len() > crate::fsread::limit() {
            "above the --max-file-size limit".to_string()
        } else {
            return None;
        };
        Some(InputProblem::new(&path, why))
    })
}

fn walk(root: &Path, excludes: &GlobSet, options: WalkOptions, found: &mut Discovered) {
    // The root's and its ancestors' ignore files (the walker reads the ancestors of the
    // canonical root) are read before any filter runs: if one is unsafe, ignore files are not
    // honoured for this walk at all (and that is reported).
    let mut dirs: Vec<PathBuf> = Vec::new();
    for base in [std::path::absolute(root).ok(), std::fs::canonicalize(root).ok()].into_iter().flatten() {
        dirs.extend(base.ancestors().map(Path::to_path_buf));
    }
    dirs.sort();
    dirs.dedup();
    let mut honour_ignore_files = true;
    let canonical_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let tree = (!options.follow_links).then_some(canonical_root.as_path());
    for dir in &dirs {
        // Only the root itself is inside the tree; its ancestors are checked for type and size.
        let inside = tree.filter(|_| dir.as_path() == root || *dir == canonical_root);
        if let Some(mut problem) = unsafe_ignore_file(dir, inside) {
            honour_ignore_files = false;
            problem.message.push_str("; not read, and ignore files are not honoured in this walk");
            found.skipped.push(problem);
        }
    }
    let mut files = Vec::new();
    let mut charts = Vec::new();
    let excludes_for_filter = excludes.clone();
    let root_for_filter = root.to_path_buf();
    // The filter runs inside the walker (which owns it), so what it skips is collected here.
    let left_tree = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let left_for_filter = std::sync::Arc::clone(&left_tree);
    // Chart directories seen so far: their contents are the chart loader's (which has its own
    // symlink rule), so the walk does not enter them. The walk is sorted depth-first, so a
    // chart directory is filtered before anything in it.
    let chart_dirs: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());
    let walker = ignore::WalkBuilder::new(root)
        .follow_links(true)
        .require_git(false)
        .parents(honour_ignore_files)
        .git_ignore(honour_ignore_files)
        .ignore(honour_ignore_files)
        .sort_by_file_name(|a, b| a.cmp(b))
        .filter_entry(move |e| {
            let path = e.path();
            if is_excluded(&excludes_for_filter, path, &root_for_filter) {
                return false;
            }
            let Ok(mut charts) = chart_dirs.lock() else { return false };
            if charts.iter().any(|c| path.starts_with(c)) {
                return false;
            }
            if !options.follow_links && e.path_is_symlink() {
                if let Some(why) = leaves_tree(path, &canonical_root) {
                    // Files are only worth a notice when they would have been read.
                    let is_dir = e.file_type().is_some_and(|t| t.is_dir());
                    if is_dir || has_manifest_extension(path) {
                        if let Ok(mut left) = left_for_filter.lock() {
                            left.push(InputProblem::new(path, why));
                        }
                    }
                    return false;
                }
            }
            let is_dir = e.file_type().is_some_and(|t| t.is_dir());
            if is_dir && path != root_for_filter {
                // Entering the directory reads its ignore files: refuse the directory instead.
                let tree = (!options.follow_links).then_some(canonical_root.as_path());
                if let Some(mut problem) = unsafe_ignore_file(path, tree) {
                    problem.message.push_str("; not read, and its directory is not walked");
                    if let Ok(mut left) = left_for_filter.lock() {
                        left.push(problem);
                    }
                    return false;
                }
                if is_chart_dir(path) {
                    charts.push(path.to_path_buf());
                }
            }
            true
        })
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
        let Some(file_type) = entry.file_type() else { continue };
        if file_type.is_dir() {
            if path != root && is_chart_dir(path) {
                charts.push(path.to_path_buf());
                skip_prefixes.push(path.to_path_buf());
            }
            continue;
        }
        if !has_manifest_extension(path) {
            continue;
        }
        if file_type.is_file() {
            files.push(path.to_path_buf());
        } else {
            let kind = crate::fsread::kind_name(file_type);
            found.skipped.push(InputProblem::new(path, format!("not a regular file ({kind}); skipped, never opened")));
        }
    }
    if let Ok(mut left) = left_tree.lock() {
        found.skipped.append(&mut left);
    }
    files.sort();
    found.inputs.extend(files.into_iter().map(|path| Input::File { path, explicit: false }));
    found.charts.extend(charts);
}

fn has_manifest_extension(path: &Path) -> bool {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    MANIFEST_EXTENSIONS.contains(&ext)
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
