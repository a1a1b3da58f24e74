use super::*;
use crate::source::{SourceFile, Sources};
use std::sync::Arc;

fn docs(text: &str) -> Vec<DocResult> {
    parse_stream(FileId(0), text)
}

fn one(text: &str) -> Document {
    let mut all = docs(text);
    assert_eq!(all.len(), 1, "expected one document");
    all.remove(0).expect("parses")
}

fn sources(text: &str) -> Sources {
    let mut s = Sources::default();
    s.add(SourceFile::new("t.yaml".into(), None, Arc::from(text)));
    s
}

#[test]
fn spans_of_keys_values_and_items() {
    let text = "kind: Pod\nspec:\n  containers:\n  - name: app\n    image: nginx:1.25\n";
    let doc = one(text);
    let root = doc.root().unwrap();
    let (k, v) = root.entry("kind").unwrap();
    assert_eq!(&text[k.span().start as usize..k.span().end as usize], "kind");
    assert_eq!(&text[v.span().start as usize..v.span().end as usize], "Pod");
    let image = root.path(&["spec", "containers"]).unwrap().items().next().unwrap().get("image").unwrap();
    assert_eq!(image.as_str(), Some("nginx:1.25"));
    let loc = sources(text).location(image.span());
    assert_eq!((loc.line, loc.column, loc.end_line, loc.end_column), (5, 12, 5, 22));
    // A block mapping ends at its last value, not at the next key.
    let spec = root.get("spec").unwrap();
    assert_eq!(spec.span().end as usize, text.trim_end().len());
}

#[test]
fn offsets_are_bytes_even_after_multibyte_text() {
    let text = "a: \"héllo wörld\"\nb: x\n";
    let doc = one(text);
    let b = doc.root().unwrap().get("b").unwrap();
    assert_eq!(&text[b.span().start as usize..b.span().end as usize], "x");
    let loc = sources(text).location(b.span());
    assert_eq!((loc.line, loc.column), (2, 4));
}

#[test]
fn block_scalar_span_stops_at_content() {
    let text = "data:\n  conf: |\n    a=1\n    b=2\n\n\nnext: 1\n";
    let doc = one(text);
    let conf = doc.root().unwrap().path(&["data", "conf"]).unwrap();
    assert_eq!(conf.raw(), Some("a=1\nb=2\n"));
    assert!(text[..conf.span().end as usize].ends_with("b=2"));
}

#[test]
fn multi_document_streams_and_empty_documents() {
    let text = "# leading comment\n---\na: 1\n---\n---\nb: 2\n...\n";
    let all = docs(text);
    let non_empty: Vec<_> = all.iter().filter_map(|d| d.as_ref().ok()).filter(|d| !d.is_empty()).collect();
    assert_eq!(non_empty.len(), 2);
    assert_eq!(non_empty[1].root().unwrap().get("b").unwrap().as_f64(), Some(2.0));
}

#[test]
fn a_broken_document_does_not_hide_the_others() {
    let text = "a: 1\n---\nb: [unclosed\n---\nc: 3\n";
    let all = docs(text);
    assert!(all[0].is_ok());
    let err = all.iter().find_map(|d| d.as_ref().err()).expect("an error");
    let loc = sources(text).location(err.span);
    assert!(loc.line >= 3, "error points into the broken document: {loc:?}");
    let last = all.last().unwrap().as_ref().expect("third document parses");
    assert_eq!(last.root().unwrap().get("c").unwrap().as_i64(), Some(3));
}

#[test]
fn dashes_inside_block_scalars_are_not_document_markers() {
    let text = "a: |\n  ---\n  text\nb: 1\n";
    assert_eq!(docs(text).len(), 1);
}

#[test]
fn duplicate_keys_keep_the_last_value_and_are_recorded() {
    let doc = one("a: 1\nb: 2\na: 3\n");
    let root = doc.root().unwrap();
    assert_eq!(root.get("a").unwrap().as_i64(), Some(3));
    assert_eq!(root.entries().count(), 2);
    assert_eq!(doc.duplicate_keys.len(), 1);
    // Keys compare after resolution: `on` and `true` are the same key.
    let doc = one("on: 1\ntrue: 2\n");
    assert_eq!(doc.root().unwrap().get("true").unwrap().as_i64(), Some(2));
    assert_eq!(doc.duplicate_keys.len(), 1);
    // ...and the key `y` is the boolean true too, so it is not found as "y" (as in Helm).
    let doc = one("y: 1\n");
    assert!(doc.root().unwrap().get("y").is_none());
    assert_eq!(doc.root().unwrap().to_json(), serde_json::json!({"true": 1}));
}

#[test]
fn anchors_aliases_and_merge_keys() {
    let text = "base: &b {cpu: 1, mem: 2}\nx: *b\nz:\n  <<: *b\n  mem: 5\n";
    let doc = one(text);
    let root = doc.root().unwrap();
    let x = root.get("x").unwrap();
    assert!(x.is_alias());
    assert_eq!(x.get("cpu").unwrap().as_i64(), Some(1));
    let y = root.get("z").unwrap();
    assert_eq!(y.get("cpu").unwrap().as_i64(), Some(1));
    assert_eq!(y.get("mem").unwrap().as_i64(), Some(5), "explicit keys beat merged ones");
    assert_eq!(y.entries().count(), 2);
    assert_eq!(y.to_json(), serde_json::json!({"mem": 5, "cpu": 1}));
}

#[test]
fn billion_laughs_is_an_error_not_an_oom() {
    let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    let mut prev = 'a';
    for name in ['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'] {
        text.push_str(&format!("{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        prev = name;
    }
    let all = docs(&text);
    let err = all[0].as_ref().err().expect("refused");
    assert!(err.message.contains("billion-laughs"), "{}", err.message);
    // The error points at an alias, on a line of its own.
    assert!(sources(&text).location(err.span).line > 1);
}

#[test]
fn modest_alias_use_is_fine() {
    let doc = one("a: &a [1, 2]\nb: [*a, *a, *a]\n");
    assert_eq!(doc.root().unwrap().get("b").unwrap().to_json(), serde_json::json!([[1, 2], [1, 2], [1, 2]]));
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let text = "[".repeat(100_000);
    let all = docs(&text);
    assert!(all.iter().any(|d| d.is_err()));
}

#[test]
fn helm_scalar_rules_through_the_tree() {
    let doc = one("a: yes\nb: 0777\nc: '0777'\nd: 1000000\ne: 1.10\nf: ~\ng: 2024-01-01\n");
    let r = doc.root().unwrap();
    assert_eq!(r.get("a").unwrap().as_bool(), Some(true));
    assert_eq!(r.get("b").unwrap().as_i64(), Some(511));
    assert_eq!(r.get("c").unwrap().as_str(), Some("0777"));
    assert_eq!(r.to_json()["d"], serde_json::json!(1000000));
    assert_eq!(r.get("d").unwrap().as_f64(), Some(1e6));
    assert_eq!(r.get("e").unwrap().as_f64(), Some(1.1));
    assert!(r.get("f").unwrap().is_null());
    assert_eq!(r.get("g").unwrap().as_str(), Some("2024-01-01"));
}

#[test]
fn json_input_is_yaml() {
    let doc = one("{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": []}");
    assert_eq!(doc.root().unwrap().get_str("kind"), Some("List"));
}

#[test]
fn large_streams_parse_in_parallel_with_stable_order() {
    let mut text = String::new();
    for i in 0..5000 {
        text.push_str(&format!("---\nkind: ConfigMap\nmetadata:\n  name: cm-{i}\ndata:\n  k: v{i}\n"));
    }
    let all = docs(&text);
    assert_eq!(all.len(), 5000);
    for (i, d) in all.iter().enumerate() {
        let d = d.as_ref().unwrap();
        assert_eq!(d.index as usize, i);
        assert_eq!(d.root().unwrap().path(&["metadata", "name"]).unwrap().as_str(), Some(format!("cm-{i}").as_str()));
    }
}

#[test]
fn quoted_scalar_spans_end_at_the_closing_quote() {
    let text = "a: \"x \\\" y\"   # comment\nb: 'it''s'  # c\nc: &k \"q\" # c\n";
    let doc = one(text);
    let r = doc.root().unwrap();
    for (key, want) in [("a", "\"x \\\" y\""), ("b", "'it''s'"), ("c", "&k \"q\"")] {
        let n = r.get(key).unwrap();
        assert_eq!(&text[n.span().start as usize..n.span().end as usize], want, "{key}");
    }
    assert_eq!(r.get("a").unwrap().as_str(), Some("x \" y"));
    assert_eq!(r.get("b").unwrap().as_str(), Some("it's"));
}
