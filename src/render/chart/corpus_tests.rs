//! Every chart of the shared corpus (`../shared/corpus`, see its README): loading must succeed
//! or fail exactly as Helm's goldens say, and so must computing `.Values` for each variant
//! (values-stage errors such as external-dns' schema failure must match the `.error` text;
//! template-stage failures are not this module's business and only require success here).
//!
//! With `PLIMSOLL_VALUES_DUMP=<file>` set, the computed `.Values` of every variant are written
//! there as JSON, for comparison with Helm's (`toJson .Values` rendered by the oracle).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::*;

fn corpus_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    dir.join("index.json").exists().then_some(dir)
}

/// A golden `.error` file's message: without `Error: ` and the final newline.
fn expected_error(corpus: &Path, golden: &str) -> String {
    let text = std::fs::read_to_string(corpus.join(golden)).unwrap_or_default();
    let text = text.strip_prefix("Error: ").unwrap_or(&text);
    text.strip_suffix('\n').unwrap_or(text).to_string()
}

/// Errors raised while rendering templates (not computing values) carry the CLI's hint.
fn is_render_stage(error: &str) -> bool {
    error.ends_with("Use --debug flag to render out invalid YAML")
}

/// Every dependency named in a missing-dependencies error is listed in index.json but absent
/// from the chart's `charts/` directory.
fn deps_missing_on_disk(dir: &Path, entry: &serde_json::Value, error: &str) -> bool {
    let Some((_, names)) = error.rsplit_once("charts/ directory: ") else { return false };
    let listed: Vec<&str> = entry
        .get("dependencies")
        .and_then(|d| d.as_array())
        .map(|a| a.iter().filter_map(|d| d.get("name").and_then(|n| n.as_str())).collect())
        .unwrap_or_default();
    names.split(", ").all(|n| listed.contains(&n) && !dir.join("charts").join(n).exists())
}

#[test]
fn corpus_charts_load_and_compute_values_like_helm() {
    let Some(corpus) = corpus_dir() else {
        println!("SKIPPED: no corpus at ../shared/corpus");
        return;
    };
    let index: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(corpus.join("index.json")).unwrap_or_default())
            .unwrap_or_default();
    let Some(charts) = index.get("charts").and_then(|c| c.as_object()) else {
        panic!("corpus index.json has no charts");
    };
    let mut failures = Vec::new();
    let mut dump = BTreeMap::new();
    let (mut loaded, mut variants_ok, mut missing_on_disk) = (0, 0, 0);
    for (name, entry) in charts {
        let dir = corpus.join(entry.get("path").and_then(|p| p.as_str()).unwrap_or("charts"));
        let variants = entry.get("variants").and_then(|v| v.as_array()).cloned().unwrap_or_default();
        let chart = match load_chart(&dir) {
            Ok(c) => {
                loaded += 1;
                c
            }
            Err(e) => {
                // A load failure must be every variant's golden error.
                for v in &variants {
                    let golden = v.get("golden").and_then(|g| g.as_str()).unwrap_or("");
                    let want = if golden.ends_with(".error") { expected_error(&corpus, golden) } else { String::new() };
                    if want != e.to_string() {
                        failures.push(format!("{name}: load failed with {e:?}, golden says {want:?}"));
                    } else {
                        variants_ok += 1;
                    }
                }
                continue;
            }
        };
        for v in &variants {
            let vname = v.get("name").and_then(|n| n.as_str()).unwrap_or("?");
            let golden = v.get("golden").and_then(|g| g.as_str()).unwrap_or("");
            let want_error = golden.ends_with(".error").then(|| expected_error(&corpus, golden));
            let mut user = Vec::new();
            for file in v.get("values").and_then(|f| f.as_array()).cloned().unwrap_or_default() {
                let rel = file.as_str().unwrap_or("");
                let data = std::fs::read(dir.join(rel)).unwrap_or_default();
                match load_values(rel, &data) {
                    Ok(vf) => user.push(vf.merged),
                    Err(e) => failures.push(format!("{name}/{vname}: values file {rel}: {e}")),
                }
            }
            let key = format!("{name}/{vname}");
            match render_values(&chart, &user, &RenderOptions::default()) {
                Ok((values, enabled)) => {
                    dump.insert(key.clone(), values.to_json());
                    for c in enabled.charts() {
                        let files: Vec<&str> = c.chart.files.iter().map(|f| f.name.as_str()).collect();
                        let templates: Vec<String> = c.templates().map(|(n, _)| n).collect();
                        dump.insert(
                            format!("{key}#{}", c.full_path),
                            serde_json::json!({ "files": files, "templates": templates }),
                        );
                    }
                    match &want_error {
                        Some(w) if !is_render_stage(w) => {
                            failures.push(format!("{key}: values computed, but Helm fails with {w:?}"))
                        }
                        _ => variants_ok += 1,
                    }
                }
                Err(e) => {
                    let got = if e.kind == ErrorKind::KubeVersion {
                        format!("{e}\n\nUse --debug flag to render out invalid YAML")
                    } else {
                        e.to_string()
                    };
                    dump.insert(key.clone(), serde_json::json!({ "error": got }));
                    if want_error.as_deref() == Some(got.as_str()) {
                        variants_ok += 1;
                    } else if e.kind == ErrorKind::MissingDependencies && deps_missing_on_disk(&dir, entry, &got) {
                        // The corpus copy lacks vendored subcharts that index.json lists (Helm
                        // itself fails the same way on these files); not a loader problem.
                        missing_on_disk += 1;
                    } else {
                        failures.push(format!("{key}: {got:?}, golden: {want_error:?}"));
                    }
                }
            }
        }
    }
    if let Ok(path) = std::env::var("PLIMSOLL_VALUES_DUMP") {
        let _ = std::fs::write(path, serde_json::to_string(&dump).unwrap_or_default());
    }
    println!(
        "corpus: {loaded}/{} charts loaded, {variants_ok} variants as expected, {missing_on_disk} skipped (vendored subcharts missing from the corpus copy)",
        charts.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
