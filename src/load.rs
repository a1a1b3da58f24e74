//! Load inputs: read bytes, guard against binary/huge/non-UTF-8 input, parse YAML, and turn
//! documents into objects. Files are processed in parallel; ids follow input order.

use std::io::Read;
use std::sync::Arc;

use rayon::prelude::*;

use crate::discover::{Input, InputProblem};
use crate::fsread::{self, ReadError};
use crate::model::{objects_from_document, NotAnObject, Object};
use crate::source::{display_path, FileId, SourceFile, Sources, Span};
use crate::yaml::{self, Document, YamlError};

pub use crate::fsread::DEFAULT_MAX_FILE_SIZE;

/// One input after parsing.
pub struct ParsedFile {
    pub file: FileId,
    pub docs: Vec<Arc<Document>>,
    /// Parse errors and unreadable input, each with a position.
    pub errors: Vec<YamlError>,
    pub not_objects: Vec<NotAnObject>,
    pub object_count: usize,
    /// Named by the user (or stdin), as opposed to found by walking a directory.
    pub explicit: bool,
    /// The chart render that failed in this (template) file.
    pub render_error: Option<YamlError>,
}

pub struct Loaded {
    pub sources: Sources,
    pub files: Vec<ParsedFile>,
    pub objects: Vec<Object>,
    /// Inputs that could not be read at all (I/O errors: exit 2).
    pub io_errors: Vec<InputProblem>,
}

struct Read1 {
    source: SourceFile,
    /// False for a chart's own files: parsed, but not Kubernetes objects.
    objects: bool,
    problem: Option<(u32, String)>,
    render_error: Option<(u32, String)>,
}

pub fn load(inputs: &[Input], max_file_size: u64) -> Loaded {
    let read: Vec<Result<Read1, InputProblem>> = inputs.par_iter().map(|i| read_input(i, max_file_size)).collect();
    let mut sources = Sources::default();
    let mut io_errors = Vec::new();
    let mut pending = Vec::new();
    for (input, r) in inputs.iter().zip(read) {
        match r {
            Ok(mut r) => {
                r.objects = !matches!(input, Input::ChartFile { .. });
                let explicit = !matches!(input, Input::File { explicit: false, .. } | Input::ChartFile { .. });
                let text = Arc::clone(&r.source.text);
                let objects = r.objects;
                let id = sources.add(r.source);
                pending.push(Pending { id, text, problem: r.problem, explicit, render_error: r.render_error, objects });
            }
            Err(e) => io_errors.push(e),
        }
    }
    parse_all(sources, pending, io_errors)
}

/// Parse texts already in memory (benchmarks, and later rendered charts).
pub fn load_texts(texts: Vec<(String, Arc<str>)>) -> Loaded {
    let mut sources = Sources::default();
    let pending = texts
        .into_iter()
        .map(|(name, text)| Pending {
            id: sources.add(SourceFile::new(name, None, Arc::clone(&text))),
            text,
            problem: None,
            explicit: true,
            render_error: None,
            objects: true,
        })
        .collect();
    parse_all(sources, pending, Vec::new())
}

struct Pending {
    id: FileId,
    text: Arc<str>,
    problem: Option<(u32, String)>,
    explicit: bool,
    render_error: Option<(u32, String)>,
    objects: bool,
}

fn parse_all(sources: Sources, pending: Vec<Pending>, io_errors: Vec<InputProblem>) -> Loaded {
    let parsed: Vec<(ParsedFile, Vec<Object>)> = pending
        .into_par_iter()
        .map(|p| parse_file(p.id, &p.text, p.problem, p.explicit, p.render_error, p.objects))
        .collect();
    let mut files = Vec::with_capacity(parsed.len());
    let mut objects = Vec::new();
    for (f, objs) in parsed {
        files.push(f);
        objects.extend(objs);
    }
    Loaded { sources, files, objects, io_errors }
}

fn read_input(input: &Input, max: u64) -> Result<Read1, InputProblem> {
    let (name, path, bytes) = match input {
        Input::Text { name, text, render_error } => {
            let source = SourceFile::new(name.clone(), None, Arc::clone(text));
            // A failed render points into a template: report it, do not lint the template text.
            let render_error = render_error.as_ref().map(|f| {
                let line_start = source.line_start(f.line.saturating_sub(1) as usize);
                ((line_start + f.col).min(text.len() as u32), f.message.clone())
            });
            return Ok(Read1 { source, problem: None, render_error, objects: true });
        }
        Input::Stdin => {
            let mut buf = Vec::new();
            std::io::stdin()
                .take(max.saturating_add(1))
                .read_to_end(&mut buf)
                .map_err(|e| InputProblem { path: "<stdin>".into(), message: e.to_string() })?;
            ("<stdin>".to_string(), None, buf)
        }
        Input::File { path, .. } | Input::ChartFile { path } => {
            let name = display_path(path);
            match fsread::read_limited(path, max) {
                Ok(bytes) => (name, Some(path.clone()), bytes),
                // Too big is a finding on the file (as before), not an I/O error.
                Err(e @ ReadError::TooLarge { .. }) => {
                    return Ok(Read1 {
                        source: SourceFile::new(name, Some(path.clone()), Arc::from("")),
                        problem: Some((0, e.to_string())),
                        render_error: None,
                        objects: true,
                    });
                }
                Err(e) => return Err(InputProblem { path: name, message: e.to_string() }),
            }
        }
    };
    if bytes.len() as u64 > max {
        let msg = format!("input is above the {} MiB limit (--max-file-size); skipped", max >> 20);
        return Ok(Read1 {
            source: SourceFile::new(name, path, Arc::from("")),
            problem: Some((0, msg)),
            render_error: None,
            objects: true,
        });
    }
    Ok(decode(name, path, bytes))
}

/// Text as-is when it is UTF-8 without NUL bytes; otherwise a problem at the first bad byte
/// (the text is kept, lossily, so the position can be shown).
fn decode(name: String, path: Option<std::path::PathBuf>, bytes: Vec<u8>) -> Read1 {
    let nul = bytes.iter().position(|&b| b == 0);
    match String::from_utf8(bytes) {
        Ok(text) => {
            let problem = nul.map(|at| (at as u32, "binary file (contains NUL bytes); skipped".to_string()));
            let text = if problem.is_some() { text[..nul.unwrap_or(0)].to_string() } else { text };
            Read1 { source: SourceFile::new(name, path, Arc::from(text)), problem, render_error: None, objects: true }
        }
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let text = String::from_utf8_lossy(&bytes[..at]).into_owned();
            let what = if nul.is_some() { "binary file" } else { "file is not valid UTF-8" };
            Read1 {
                source: SourceFile::new(name, path, Arc::from(text)),
                problem: Some((at as u32, format!("{what} (invalid byte at offset {at}); skipped"))),
                render_error: None,
                objects: true,
            }
        }
    }
}

fn parse_file(
    id: FileId,
    text: &str,
    problem: Option<(u32, String)>,
    explicit: bool,
    render_error: Option<(u32, String)>,
    want_objects: bool,
) -> (ParsedFile, Vec<Object>) {
    let mut file = ParsedFile {
        file: id,
        docs: Vec::new(),
        errors: Vec::new(),
        not_objects: Vec::new(),
        object_count: 0,
        explicit,
        render_error: None,
    };
    let mut objects = Vec::new();
    if let Some((at, message)) = render_error {
        file.render_error = Some(YamlError { span: Span::new(id, at, at), message });
        return (file, objects);
    }
    if let Some((at, message)) = problem {
        let at = at.min(text.len() as u32);
        file.errors.push(YamlError { span: Span::new(id, at, at), message });
        return (file, objects);
    }
    for doc in yaml::parse_stream(id, text) {
        match doc {
            Ok(doc) => {
                let doc = Arc::new(doc);
                if want_objects {
                    let rendered_from = source_comment(text, &doc);
                    objects_from_document(&doc, rendered_from, &mut objects, &mut file.not_objects);
                }
                file.docs.push(doc);
            }
            Err(e) => file.errors.push(e),
        }
    }
    file.object_count = objects.len();
    (file, objects)
}

/// The `# Source: path` comment `helm template` puts at the top of each document.
pub(crate) fn source_comment(text: &str, doc: &Document) -> Option<String> {
    let end = doc.root().map_or(doc.span.end, |r| r.span().start) as usize;
    let head = text.get(doc.span.start as usize..end)?;
    head.lines().find_map(|l| l.trim().strip_prefix("# Source: ").map(|s| s.trim().to_string()))
}
