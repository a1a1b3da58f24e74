//! Spanned YAML: multi-document streams parsed into compact per-document trees whose every
//! node knows its byte range, with scalars resolved the way Helm and kubectl resolve them.

mod parse;
pub mod scalar;
mod tree;

use rayon::prelude::*;

pub use parse::{split_documents, DocResult, YamlError, MAX_ALIAS_EXPANSION, MAX_DEPTH};
pub use scalar::{Scalar, Style, Tag};
pub use tree::{Document, Entries, Kind, NodeId, NodeRef};

use crate::source::FileId;

/// Streams above this size are parsed piecewise in parallel.
const PARALLEL_THRESHOLD: usize = 256 * 1024;

/// Parse every document of a stream. Empty documents are kept (callers skip them), so
/// document indices match what a person counts in the file.
pub fn parse_stream(file: FileId, text: &str) -> Vec<DocResult> {
    let pieces = split_documents(text);
    let parse = |&(start, end): &(usize, usize)| parse::parse_piece(file, &text[start..end], start, 0);
    let nested: Vec<Vec<DocResult>> = if text.len() > PARALLEL_THRESHOLD {
        pieces.par_iter().map(parse).collect()
    } else {
        pieces.iter().map(parse).collect()
    };
    let mut out: Vec<DocResult> = nested.into_iter().flatten().collect();
    for (i, doc) in out.iter_mut().enumerate() {
        if let Ok(d) = doc {
            d.index = i as u32;
        }
    }
    out
}

#[cfg(test)]
mod tests;
