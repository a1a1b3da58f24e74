//! All objects of a run, with lookups for cross-resource rules.

use std::collections::HashMap;

use super::Object;
use crate::yaml::NodeRef;

/// Every object of a run plus an index over them.
pub struct ObjectSet {
    pub objects: Vec<Object>,
    pub index: ObjectIndex,
}

impl ObjectSet {
    pub fn new(objects: Vec<Object>) -> Self {
        let index = ObjectIndex::build(&objects);
        ObjectSet { objects, index }
    }

    pub fn of_kind<'s>(&'s self, kind: &str) -> impl Iterator<Item = (usize, &'s Object)> + 's {
        self.index.by_kind.get(kind).map(Vec::as_slice).unwrap_or(&[]).iter().map(move |&i| (i, &self.objects[i]))
    }

    pub fn find(&self, kind: &str, namespace: Option<&str>, name: &str) -> Option<&Object> {
        let key = (kind.to_string(), namespace.map(str::to_string), name.to_string());
        self.index.by_identity.get(&key).and_then(|v| v.first()).map(|&i| &self.objects[i])
    }

    /// Objects with a pod template (workloads, Pods, PodTemplates) in `namespace`.
    pub fn with_pod_template_in<'s>(
        &'s self,
        namespace: Option<&str>,
    ) -> impl Iterator<Item = (usize, &'s Object)> + 's {
        let candidates = self.index.pod_labels.get(&namespace.map(str::to_string)).map(Vec::as_slice).unwrap_or(&[]);
        candidates.iter().map(move |(i, _)| (*i, &self.objects[*i]))
    }

    /// Workloads in `namespace` whose pod template labels match `selector`.
    pub fn workloads_selected_by<'s>(
        &'s self,
        namespace: Option<&'s str>,
        selector: &'s LabelSelector,
    ) -> impl Iterator<Item = (usize, &'s Object)> + 's {
        let ns = namespace.map(str::to_string);
        let all = self.index.pod_labels.get(&ns).map(Vec::as_slice).unwrap_or(&[]);
        // With matchLabels, only objects carrying the rarest of those labels can match.
        let narrowed: Option<&[usize]> = selector
            .match_labels
            .iter()
            .map(|(k, v)| {
                self.index.label_postings.get(&(ns.clone(), k.clone(), v.clone())).map_or(&[][..], Vec::as_slice)
            })
            .min_by_key(|p| p.len());
        let candidates: Box<dyn Iterator<Item = &'s PodLabels> + 's> = match narrowed {
            Some(posting) => Box::new(posting.iter().map(move |&slot| &all[slot])),
            None => Box::new(all.iter()),
        };
        candidates.filter(move |(_, labels)| selector.matches_labels(labels)).map(move |(i, _)| (*i, &self.objects[*i]))
    }
}

/// The labels of one object's pod template, read once.
type PodLabels = (usize, Vec<(String, String)>);

#[derive(Default)]
pub struct ObjectIndex {
    by_kind: HashMap<String, Vec<usize>>,
    /// (kind, namespace, name) → objects; more than one means a duplicate definition.
    pub by_identity: HashMap<(String, Option<String>, String), Vec<usize>>,
    /// namespace → (object, pod template labels) for every object with a pod template, read
    /// once so selector matching does not re-read labels for every selector.
    pod_labels: HashMap<Option<String>, Vec<PodLabels>>,
    /// (namespace, label key, value) → positions in that namespace's `pod_labels` list.
    label_postings: HashMap<(Option<String>, String, String), Vec<usize>>,
}

impl ObjectIndex {
    pub fn build(objects: &[Object]) -> Self {
        let mut index = ObjectIndex::default();
        for (i, o) in objects.iter().enumerate() {
            index.by_kind.entry(o.kind.clone()).or_default().push(i);
            if let Some(name) = &o.name {
                index.by_identity.entry((o.kind.clone(), o.namespace.clone(), name.clone())).or_default().push(i);
            }
            if let Some(t) = o.pod_template() {
                let labels = t.metadata.and_then(|m| m.get("labels")).map(string_map).unwrap_or_default();
                let list = index.pod_labels.entry(o.namespace.clone()).or_default();
                for (k, v) in &labels {
                    index
                        .label_postings
                        .entry((o.namespace.clone(), k.clone(), v.clone()))
                        .or_default()
                        .push(list.len());
                }
                list.push((i, labels));
            }
        }
        index
    }
}

/// A label selector (`matchLabels` + `matchExpressions`, or a Service's plain map).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LabelSelector {
    pub match_labels: Vec<(String, String)>,
    /// (key, operator, values)
    pub match_expressions: Vec<(String, String, Vec<String>)>,
}

impl LabelSelector {
    /// From a `{matchLabels, matchExpressions}` node.
    pub fn from_selector(node: NodeRef<'_>) -> Self {
        let mut sel = LabelSelector::default();
        if let Some(ml) = node.get("matchLabels") {
            sel.match_labels = string_map(ml);
        }
        for expr in node.get("matchExpressions").into_iter().flat_map(|e| e.items()) {
            let key = expr.get_str("key").unwrap_or_default().to_string();
            let op = expr.get_str("operator").unwrap_or_default().to_string();
            let values = expr
                .get("values")
                .into_iter()
                .flat_map(|v| v.items())
                .filter_map(|v| v.scalar().map(|s| s.json_key().into_owned()))
                .collect();
            sel.match_expressions.push((key, op, values));
        }
        sel
    }

    /// From a plain `key: value` map (Service `spec.selector`).
    pub fn from_map(node: NodeRef<'_>) -> Self {
        LabelSelector { match_labels: string_map(node), match_expressions: Vec::new() }
    }

    pub fn is_empty(&self) -> bool {
        self.match_labels.is_empty() && self.match_expressions.is_empty()
    }

    pub fn matches(&self, labels: Option<NodeRef<'_>>) -> bool {
        self.matches_labels(&labels.map(string_map).unwrap_or_default())
    }

    /// Match against labels already read as (key, value) pairs.
    pub fn matches_labels(&self, labels: &[(String, String)]) -> bool {
        let get = |k: &str| labels.iter().find(|(lk, _)| lk == k).map(|(_, v)| v.as_str());
        self.match_labels.iter().all(|(k, v)| get(k) == Some(v.as_str()))
            && self.match_expressions.iter().all(|(k, op, values)| match op.as_str() {
                "In" => get(k).is_some_and(|v| values.iter().any(|x| x == v)),
                "NotIn" => get(k).is_none_or(|v| !values.iter().any(|x| x == v)),
                "Exists" => get(k).is_some(),
                "DoesNotExist" => get(k).is_none(),
                _ => false,
            })
    }
}

fn string_map(node: NodeRef<'_>) -> Vec<(String, String)> {
    node.entries()
        .filter_map(|(k, v)| Some((k.key_text()?.into_owned(), v.scalar()?.json_key().into_owned())))
        .collect()
}
