//! Source files and positions. Everything that points into input text goes through here:
//! nodes and findings keep compact byte spans, and line/column are derived on demand.

use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Index of a file in [`Sources`]. Assigned in discovery order, so ids are deterministic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub u32);

/// A byte range in one file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, start: u32, end: u32) -> Self {
        Span { file, start, end: end.max(start) }
    }
    /// The smallest span covering both (same file assumed).
    pub fn to(self, other: Span) -> Span {
        Span::new(self.file, self.start.min(other.start), self.end.max(other.end))
    }
    pub fn len(&self) -> u32 {
        self.end - self.start
    }
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
}

/// 1-based line and column; the column counts Unicode scalar values (SARIF `unicodeCodePoints`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: u32,
    pub column: u32,
}

/// A fully resolved location, as reporters print it. `end_column` is exclusive.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

/// One input text: a file on disk, stdin, or (later) a rendered template.
pub struct SourceFile {
    /// Path as the user should see it (relative to the working directory when possible).
    pub name: String,
    pub path: Option<PathBuf>,
    pub text: Arc<str>,
    line_starts: Vec<u32>,
}

impl SourceFile {
    pub fn new(name: String, path: Option<PathBuf>, text: Arc<str>) -> Self {
        let mut line_starts = Vec::with_capacity(text.len() / 32 + 1);
        line_starts.push(0);
        line_starts.extend(memchr_newlines(text.as_bytes()).map(|i| i as u32 + 1));
        SourceFile { name, path, text, line_starts }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// 0-based index of the line holding `offset`.
    pub fn line_index(&self, offset: u32) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// Byte offset where 0-based line `index` starts.
    pub fn line_start(&self, index: usize) -> u32 {
        self.line_starts.get(index).copied().unwrap_or(self.text.len() as u32)
    }

    /// Text of 0-based line `index`, without its line break.
    pub fn line_text(&self, index: usize) -> &str {
        let start = self.line_start(index) as usize;
        let end = self.line_starts.get(index + 1).map(|&e| e as usize).unwrap_or(self.text.len());
        self.text.get(start..end).unwrap_or("").trim_end_matches(['\n', '\r'])
    }

    pub fn line_col(&self, offset: u32) -> LineCol {
        let offset = (offset as usize).min(self.text.len());
        let index = self.line_index(offset as u32);
        let start = self.line_starts[index] as usize;
        // Offsets always sit on char boundaries (they come from the parser), but be safe.
        let prefix = self.text.get(start..offset).unwrap_or("");
        LineCol { line: index as u32 + 1, column: prefix.chars().count() as u32 + 1 }
    }
}

fn memchr_newlines(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    bytes.iter().enumerate().filter(|(_, &b)| b == b'\n').map(|(i, _)| i)
}

/// All input texts of one run, indexed by [`FileId`].
#[derive(Default)]
pub struct Sources {
    files: Vec<SourceFile>,
}

impl Sources {
    pub fn add(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        FileId(self.files.len() as u32 - 1)
    }
    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }
    pub fn len(&self) -> usize {
        self.files.len()
    }
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files.iter().enumerate().map(|(i, f)| (FileId(i as u32), f))
    }

    pub fn location(&self, span: Span) -> Location {
        let file = self.get(span.file);
        let start = file.line_col(span.start);
        let end = file.line_col(span.end);
        Location {
            file: file.name.clone(),
            line: start.line,
            column: start.column,
            end_line: end.line,
            end_column: end.column,
        }
    }
}

/// Render a path the way users typed it: relative to the working directory when it is below it.
pub fn display_path(path: &Path) -> String {
    let shown = std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(&cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf());
    let s = shown.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

/// `path` as an absolute path, resolved through symlinks when it exists, so that two spellings
/// of one file (`./a/../b`, `/abs/b`, a path relative to another working directory) compare
/// equal. A path that does not exist is made absolute against the working directory and
/// cleaned lexically.
pub fn resolve(path: &Path) -> PathBuf {
    if let Ok(p) = std::fs::canonicalize(path) {
        return p;
    }
    let absolute =
        if path.is_absolute() { path.to_path_buf() } else { std::env::current_dir().unwrap_or_default().join(path) };
    let mut out = PathBuf::new();
    for part in absolute.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// `path` relative to `base` (both absolute, as [`resolve`] gives them), stepping out with `..`
/// when `path` is not below `base`. `None` when they share no root (another Windows drive).
pub fn relative_to(path: &Path, base: &Path) -> Option<PathBuf> {
    let path: Vec<_> = path.components().collect();
    let base: Vec<_> = base.components().collect();
    if path.first() != base.first() {
        return None;
    }
    let common = path.iter().zip(&base).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..base.len() {
        out.push("..");
    }
    for part in &path[common..] {
        out.push(part);
    }
    Some(out)
}

/// A path as text with `/` separators on every platform (for files that are shared).
pub fn slash_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_chars_not_bytes() {
        let f = SourceFile::new("t".into(), None, Arc::from("a: 1\nné: x\n"));
        assert_eq!(f.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(f.line_col(5), LineCol { line: 2, column: 1 });
        // "né: x": 'x' is at byte 5+5=10, char column 5
        assert_eq!(f.line_col(10), LineCol { line: 2, column: 5 });
        assert_eq!(f.line_text(1), "né: x");
        assert_eq!(f.line_count(), 3);
    }

    #[test]
    fn relative_paths_step_out_with_dot_dot() {
        let rel = |p: &str, b: &str| relative_to(Path::new(p), Path::new(b)).map(|r| slash_path(&r));
        assert_eq!(rel("/a/b/c.yaml", "/a").as_deref(), Some("b/c.yaml"));
        assert_eq!(rel("/a/b/c.yaml", "/a/x/y").as_deref(), Some("../../b/c.yaml"));
        assert_eq!(rel("/a", "/a").as_deref(), Some(""));
        let cwd = std::env::current_dir().unwrap();
        assert_eq!(resolve(Path::new("no/such/./x/../file.yaml")), cwd.join("no/such/file.yaml"));
    }
}
