use crate::check::{Check, CheckContext, Scope};
use crate::finding::Violation;
use crate::load::ParsedFile;

pub struct YamlDuplicateKey;

impl Check for YamlDuplicateKey {
    fn scope(&self) -> Scope {
        Scope::File
    }
    fn check_file(&self, file: &ParsedFile, _cx: &CheckContext, out: &mut Vec<Violation>) {
        for doc in &file.docs {
            for &(first, dup) in &doc.duplicate_keys {
                let (first, dup) = (doc.node(first), doc.node(dup));
                let key = dup.key_text().unwrap_or_default();
                let written = dup.raw().unwrap_or_default();
                // `on` and `true` collide because Helm reads both as the boolean true: say so.
                let what = if written == key { format!("'{key}'") } else { format!("'{written}' (read as '{key}')") };
                out.push(
                    Violation::new(
                        dup.span(),
                        format!("duplicate key {what}: this value silently replaces the earlier one"),
                    )
                    .with_related(first.span(), "first defined here"),
                );
            }
        }
    }
}
