use crate::check::{Check, CheckContext, Scope};
use crate::finding::Violation;
use crate::load::ParsedFile;

pub struct YamlParseError;

impl Check for YamlParseError {
    fn scope(&self) -> Scope {
        Scope::File
    }
    fn check_file(&self, file: &ParsedFile, _cx: &CheckContext, out: &mut Vec<Violation>) {
        for e in &file.errors {
            out.push(Violation::new(e.span, e.message.clone()));
        }
    }
}
