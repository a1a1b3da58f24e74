//! Every chart variant in the shared corpus renders as Helm v4 renders it (document by
//! document; byte for byte where Helm's own output is deterministic), and every Helm failure
//! is reproduced with Helm's message. Prints the rates; skipped without `../shared/corpus`.

mod common;
#[path = "../examples/corpus_render.rs"]
#[allow(dead_code)]
mod corpus_render;

/// A variant we cannot render because the corpus copy lacks a vendored dependency is fine
/// only if our error says so (Helm's own message) and the directory is really missing.
fn missing_dependency_is_real(failure: &str, corpus: &std::path::Path) -> bool {
    let Some((label, rest)) = failure.split_once(": plimsoll failed: ") else { return false };
    let Some(names) = rest.split("missing in charts/ directory: ").nth(1) else { return false };
    let chart = label.split('/').next().unwrap_or_default();
    let names: Vec<&str> =
        names.split(['|', '\n']).next().unwrap_or("").split(',').map(str::trim).filter(|n| !n.is_empty()).collect();
    !names.is_empty() && names.iter().all(|n| !corpus.join("charts").join(chart).join("charts").join(n).exists())
}

#[test]
fn corpus_renders_like_helm() {
    let Some(corpus) = common::shared_corpus() else {
        println!("SKIPPED: ../shared/corpus not found; corpus render comparison needs the shared data");
        return;
    };
    let tally = corpus_render::run(&corpus, None, false);
    corpus_render::print(&tally);
    let (incomplete, real): (Vec<&String>, Vec<&String>) =
        tally.failures.iter().partition(|f| missing_dependency_is_real(f, &corpus));
    for f in &incomplete {
        println!("corpus copy incomplete (Helm fails the same way on these files): {}", f.lines().next().unwrap_or(""));
    }
    assert!(
        real.is_empty(),
        "{} variants differ from Helm:\n{}",
        real.len(),
        real.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n")
    );
    assert_eq!(tally.errors_matched, tally.helm_errors, "every Helm failure is reproduced");
    assert!(tally.variants >= 170, "the corpus lists 172 variants; found {}", tally.variants);
}
