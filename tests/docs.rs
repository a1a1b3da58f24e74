//! Generated documentation stays in step with the rule catalogue.

mod common;

#[test]
fn docs_rules_md_is_generated_from_the_catalogue() {
    let rules = plimsoll::check::all_rules(&[]).unwrap();
    let expected = plimsoll::app::markdown(&rules);
    let path = common::repo().join("docs/rules.md");
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(actual == expected, "docs/rules.md is stale: run `cargo run -- rules --format markdown > docs/rules.md`");
}

#[test]
fn every_rule_has_complete_docs() {
    for rule in plimsoll::check::all_rules(&[]).unwrap() {
        let m = &rule.meta;
        assert!(m.summary.len() >= 10 && !m.summary.ends_with('.'), "{}: summary is a short phrase", m.id);
        assert!(m.rationale.len() >= 80, "{}: rationale explains why", m.id);
        assert!(!m.fires.is_empty() && !m.remediation.is_empty(), "{}", m.id);
        assert!(!m.example.bad.trim().is_empty() && !m.example.good.trim().is_empty(), "{}: needs both examples", m.id);
        assert!(m.docs_url().ends_with(&format!("#{}", m.id)));
    }
}
