//! The failures of the deployment guides plimsoll was born from, each reduced to a small chart
//! under `fixtures/charts/`. Every chart gets exactly its snapshot's findings with the default
//! rules, located in the chart's own files (values keys and template lines, never the
//! rendered stream).

mod common;

use common::{lint_default, repo};

#[test]
fn seed_charts_get_exactly_their_findings() {
    let root = repo().join("fixtures/charts");
    let mut charts: Vec<_> = std::fs::read_dir(&root).unwrap().flatten().map(|e| e.path()).collect();
    charts.sort();
    assert!(charts.len() >= 5, "expected the seed charts under {}", root.display());
    for chart in charts {
        let name = chart.file_name().unwrap().to_string_lossy().into_owned();
        let (findings, sources) = lint_default(std::slice::from_ref(&chart));
        let mut lines = Vec::new();
        for f in &findings {
            let loc = sources.location(f.span);
            let file = loc.file.clone();
            assert!(!file.contains("(rendered"), "{name}: {} points at the rendered stream: {file}", f.rule);
            let file = file.trim_start_matches(&format!("fixtures/charts/{name}/")).to_string();
            lines.push(format!("{} {} {file}:{}:{} {}", f.severity.as_str(), f.rule, loc.line, loc.column, f.message));
        }
        insta::assert_snapshot!(name, lines.join("\n"));
    }
}
