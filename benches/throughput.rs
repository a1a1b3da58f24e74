//! Throughput of a full lint of the shared corpus goldens against parsing the same bytes with
//! the YAML layer alone, both measured in this run, on the same thread pool. Also the cost of
//! schema validation: the full lint without `schema-invalid` against the full lint with it.
//!
//! `cargo bench --bench throughput [-- --threads N --iterations K]`

use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use plimsoll::check::{self, CliRuleChoices};
use plimsoll::config::Config;
use plimsoll::load;
use plimsoll::model::ObjectSet;
use plimsoll::source::FileId;
use plimsoll::yaml;

const SCHEMA_RULE: &str = "schema-invalid";

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn collect(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|x| x == "yaml") {
            out.push(p);
        }
    }
}

fn best_of<T>(iterations: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..iterations {
        let t = Instant::now();
        let r = f();
        best = best.min(t.elapsed());
        last = Some(r);
    }
    (best, last.expect("at least one iteration"))
}

fn main() {
    let threads = arg("--threads", 2);
    let iterations = arg("--iterations", 5);
    let golden = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/golden");
    let mut paths = Vec::new();
    collect(&golden, &mut paths);
    if paths.is_empty() {
        println!("SKIPPED: {} not found (the shared corpus is not beside this checkout)", golden.display());
        return;
    }
    paths.sort();
    let texts: Vec<(String, Arc<str>)> = paths
        .iter()
        .map(|p| (p.display().to_string(), Arc::from(std::fs::read_to_string(p).expect("readable golden"))))
        .collect();
    let bytes: usize = texts.iter().map(|(_, t)| t.len()).sum();
    let mb = bytes as f64 / 1e6;
    rayon::ThreadPoolBuilder::new().num_threads(threads).build_global().expect("thread pool");
    let rules = check::all_rules(&[]).expect("catalogue");
    let active = check::select(&rules, &Config::default(), &CliRuleChoices::default()).expect("rules");
    assert!(active.iter().any(|a| a.rule.meta.id == SCHEMA_RULE), "{SCHEMA_RULE} runs by default");
    let without_schema: Vec<_> = active.iter().filter(|a| a.rule.meta.id != SCHEMA_RULE).cloned().collect();

    // Warm-up (page faults, allocator), then best of N.
    let parse_only =
        || texts.par_iter().enumerate().map(|(i, (_, t))| yaml::parse_stream(FileId(i as u32), t).len()).sum::<usize>();
    let lint_with = |active: &[check::ActiveRule]| {
        let loaded = load::load_texts(texts.clone());
        let set = ObjectSet::new(loaded.objects);
        let findings = check::run(active, &loaded.files, &set, &loaded.sources, &Default::default());
        (set.objects.len(), findings.len())
    };
    let full_lint = || lint_with(&active);
    let lint_without_schema = || lint_with(&without_schema);
    parse_only();
    full_lint();
    lint_without_schema();
    let (t_parse, docs) = best_of(iterations, parse_only);
    let (t_lint, (objects, findings)) = best_of(iterations, full_lint);
    let (t_plain, _) = best_of(iterations, lint_without_schema);

    let rate = |t: Duration| mb / t.as_secs_f64();
    println!(
        "corpus: {} files, {:.1} MB, {docs} documents, {objects} objects, {findings} findings ({} rules)",
        texts.len(),
        mb,
        active.len()
    );
    println!("threads: {threads}, best of {iterations}");
    println!(
        "parse only : {:>8.1} ms  {:>7.1} MB/s  {:>9.0} docs/s",
        t_parse.as_secs_f64() * 1e3,
        rate(t_parse),
        docs as f64 / t_parse.as_secs_f64()
    );
    println!(
        "full lint  : {:>8.1} ms  {:>7.1} MB/s  {:>9.0} objects/s",
        t_lint.as_secs_f64() * 1e3,
        rate(t_lint),
        objects as f64 / t_lint.as_secs_f64()
    );
    println!(
        "ratio full lint / parse only throughput: {:.2} (target >= 0.50)",
        t_parse.as_secs_f64() / t_lint.as_secs_f64()
    );
    println!(
        "schema validation: full lint without {SCHEMA_RULE} {:.1} ms, with it {:.1} ms, ratio {:.2} (target <= 2.00)",
        t_plain.as_secs_f64() * 1e3,
        t_lint.as_secs_f64() * 1e3,
        t_lint.as_secs_f64() / t_plain.as_secs_f64()
    );
}
