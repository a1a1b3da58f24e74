use crate::check::{Check, CheckContext, Scope};
use crate::finding::Violation;
use crate::load::ParsedFile;

pub struct NotAKubernetesObject;

impl Check for NotAKubernetesObject {
    fn scope(&self) -> Scope {
        Scope::File
    }
    fn check_file(&self, file: &ParsedFile, _cx: &CheckContext, out: &mut Vec<Violation>) {
        // A file found by walking that holds no object at all is some other YAML (CI config,
        // values files...): skip it quietly. Named files and mixed files are reported.
        let report_all = file.explicit || file.object_count > 0;
        for bad in &file.not_objects {
            if bad.looks_like_object || report_all {
                out.push(Violation::new(bad.span, format!("not a Kubernetes object: {}", bad.reason)));
            }
        }
    }
}
