//! Precise diagnostics on real charts: every finding on a sample of corpus charts points at
//! the chart's own files (values keys and template lines, never the rendered stream), and
//! findings whose value came from the values name the values path and point at its key.
//! Needs `../shared/corpus`; says so and passes without it (a fresh clone has none).

mod common;

use common::{chart_finding_lines, lint_default, shared_corpus};

/// Charts with many findings of many rules, subcharts, `include`-heavy helpers and `ci/`
/// variants, plus the charts our users ship.
const SAMPLE: &[&str] = &[
    "alertmanager",
    "argo-cd",
    "argo-workflows",
    "backbone",
    "bitnami-elasticsearch",
    "fluent-bit",
    "ingress-nginx",
    "keda",
    "kube-stager",
    "prometheus",
    "redis-ha",
    "spacebar",
    "streamspace",
    "vault",
];

#[test]
fn corpus_chart_findings_point_at_chart_sources() {
    let Some(corpus) = shared_corpus() else {
        eprintln!("SKIPPED: ../shared/corpus not found; corpus finding locations not checked");
        return;
    };
    let mut total = 0;
    let mut from_values = 0;
    for name in SAMPLE {
        let chart = corpus.join("charts").join(name);
        assert!(chart.is_dir(), "{name} is missing from the corpus");
        let (findings, sources) = lint_default(std::slice::from_ref(&chart));
        // Asserts every location (see `chart_finding_lines`).
        let lines = chart_finding_lines(&chart, &findings, &sources);
        total += lines.len();
        from_values += findings.iter().filter(|f| f.values_path.is_some()).count();
    }
    eprintln!("{total} findings on {} corpus charts, {from_values} at values keys", SAMPLE.len());
    // The sample must exercise both kinds of location, or the test proves nothing.
    assert!(total > 100 && from_values > 30, "{total} findings, {from_values} from values");
}
