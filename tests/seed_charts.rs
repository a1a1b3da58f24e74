//! The failures of the deployment guides plimsoll was born from, each reduced to a small chart
//! under `fixtures/charts/`. Every chart gets exactly its snapshot's findings with the default
//! rules, located in the chart's own files (values keys and template lines, never the
//! rendered stream).

mod common;

use common::{chart_finding_lines, lint_default, repo};

#[test]
fn seed_charts_get_exactly_their_findings() {
    let root = repo().join("fixtures/charts");
    let mut charts: Vec<_> = std::fs::read_dir(&root).unwrap().flatten().map(|e| e.path()).collect();
    charts.sort();
    assert!(charts.len() >= 5, "expected the seed charts under {}", root.display());
    for chart in charts {
        let name = chart.file_name().unwrap().to_string_lossy().into_owned();
        let (findings, sources) = lint_default(std::slice::from_ref(&chart));
        let lines = chart_finding_lines(&chart, &findings, &sources);
        insta::assert_snapshot!(name, lines.join("\n"));
    }
}
