//! The regression charts under `fixtures/render/` render byte for byte as Helm v4 renders them
//! (goldens made with `../shared/tools/helm-render`; see `fixtures/render/README.md`).

use std::path::Path;

use plimsoll::render::helm::{self, Request};

#[test]
fn regression_charts_render_like_helm() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/render");
    let mut charts: Vec<_> = std::fs::read_dir(&root)
        .expect("fixtures/render")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("Chart.yaml").is_file())
        .collect();
    charts.sort();
    assert!(charts.len() >= 2, "regression charts missing: {charts:?}");
    let mut failures = Vec::new();
    for chart in &charts {
        let name = chart.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let golden = std::fs::read_to_string(root.join(format!("{name}.golden.yaml"))).expect("golden beside chart");
        match helm::render_dir(chart, &[], &Request::default()) {
            Ok(out) if out == golden => {}
            Ok(out) => failures.push(format!("{name}: differs from Helm\n--- helm\n{golden}\n--- plimsoll\n{out}")),
            Err(e) => failures.push(format!("{name}: plimsoll failed: {}", e.message)),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
