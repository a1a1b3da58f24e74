use crate::check::{Check, CheckContext, Scope};
use crate::finding::Violation;
use crate::load::ParsedFile;

pub struct ChartRenderError;

impl Check for ChartRenderError {
    fn scope(&self) -> Scope {
        Scope::File
    }
    fn check_file(&self, file: &ParsedFile, _cx: &CheckContext, out: &mut Vec<Violation>) {
        if let Some(e) = &file.render_error {
            out.push(Violation::new(e.span, e.message.clone()));
        }
    }
}
