use crate::check::{Check, CheckContext, Scope};
use crate::finding::Violation;
use crate::model::ObjectSet;

/// Objects defined twice in one file (one apply): the later silently replaces the earlier.
/// Across files the same name is normal (one file per environment), so only same-file
/// duplicates count.
pub struct ObjectDuplicate;

impl Check for ObjectDuplicate {
    fn scope(&self) -> Scope {
        Scope::Set
    }
    fn check_set(&self, set: &ObjectSet, _cx: &CheckContext, out: &mut Vec<(usize, Violation)>) {
        for indices in set.index.by_identity.values() {
            if indices.len() < 2 {
                continue;
            }
            for (n, &i) in indices.iter().enumerate() {
                let object = &set.objects[i];
                let Some(&first) = indices[..n].iter().find(|&&j| set.objects[j].origin.file == object.origin.file)
                else {
                    continue;
                };
                out.push((
                    i,
                    Violation::new(
                        object.anchor_span(),
                        format!("{} is defined more than once in this file; the last definition wins", object.ident()),
                    )
                    .with_related(set.objects[first].anchor_span(), "first defined here"),
                ));
            }
        }
    }
}
