//! Render every chart variant of the shared corpus (what `helm template` would print for each),
//! best of N passes, on a given number of threads. Used by `scripts/bench_render.py`, which
//! times the real Helm engine over the same variants in the same run.
//!
//! `cargo run --release --example render_bench -- [--threads N] [--iterations K] [CORPUS_DIR]`

use std::path::PathBuf;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use plimsoll::render::helm;

fn main() {
    let mut corpus = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus"));
    let (mut threads, mut iterations) = (2usize, 5usize);
    let mut compare_source_map = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--threads" => threads = args.next().and_then(|v| v.parse().ok()).unwrap_or(threads),
            "--iterations" => iterations = args.next().and_then(|v| v.parse().ok()).unwrap_or(iterations),
            "--source-map" => compare_source_map = true,
            dir => corpus = PathBuf::from(dir),
        }
    }
    let Ok(index) = std::fs::read_to_string(corpus.join("index.json")) else {
        println!("SKIPPED: no corpus at {}", corpus.display());
        return;
    };
    let index: serde_json::Value = serde_json::from_str(&index).expect("index.json is JSON");
    let mut variants: Vec<(PathBuf, Vec<PathBuf>)> = Vec::new();
    for (name, chart) in index["charts"].as_object().into_iter().flatten() {
        let dir = corpus.join("charts").join(name);
        for v in chart["variants"].as_array().into_iter().flatten() {
            let values =
                v["values"].as_array().into_iter().flatten().filter_map(|f| f.as_str()).map(|f| dir.join(f)).collect();
            variants.push((dir.clone(), values));
        }
    }
    variants.sort();
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("thread pool");
    let timed = |source_map: bool| {
        let req = helm::Request { source_map, ..helm::Request::default() };
        let pass = || {
            pool.install(|| {
                variants
                    .par_iter()
                    .map(|(dir, values)| helm::render_dir(dir, values, &req).map_or(0, |s| s.len()))
                    .sum::<usize>()
            })
        };
        let bytes = pass(); // warm-up
        let mut best = Duration::MAX;
        for _ in 0..iterations {
            let t = Instant::now();
            pass();
            best = best.min(t.elapsed());
        }
        (bytes, best)
    };
    let (bytes, best) = timed(false);
    println!(
        "plimsoll: {} variants, {:.1} MB rendered, threads {threads}, best of {iterations}: {:.1} ms",
        variants.len(),
        bytes as f64 / 1e6,
        best.as_secs_f64() * 1e3
    );
    if compare_source_map {
        // Same passes with the source map recorded, measured in the same run.
        let (_, traced) = timed(true);
        println!(
            "plimsoll with source map: {:.1} ms ({:+.1}% over rendering without it)",
            traced.as_secs_f64() * 1e3,
            100.0 * (traced.as_secs_f64() / best.as_secs_f64() - 1.0)
        );
    }
}
