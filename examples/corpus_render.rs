//! Render every chart variant of the shared corpus with plimsoll and compare with Helm's
//! goldens: document by document after parsing both as YAML (documents of templates that
//! Helm itself renders differently each time are compared by source, kind and name only),
//! and byte for byte. Where Helm fails, plimsoll must fail with the same message.
//!
//! `cargo run --release --example corpus_render [-- CORPUS_DIR] [--verbose] [--only NAME]`

use std::path::{Path, PathBuf};

use plimsoll::render::helm;
use plimsoll::render::template::exec::Usage;
use plimsoll::source::FileId;
use plimsoll::yaml;

#[derive(Default, Debug)]
pub struct Tally {
    pub variants: usize,
    pub matched: usize,
    pub identical: usize,
    /// Variants without nondeterministic templates (the only ones that can be byte-identical).
    pub deterministic: usize,
    pub deterministic_identical: usize,
    pub helm_errors: usize,
    pub errors_matched: usize,
    pub failures: Vec<String>,
    /// The most any variant used of each render budget (for the README's limits table).
    pub peak: Usage,
}

fn render_variant(dir: &Path, values: &[PathBuf]) -> Result<(String, Usage), helm::RenderError> {
    let chart = plimsoll::render::chart::load_chart(dir)?;
    let user = helm::load_values_files(values)?.into_iter().map(|v| v.merged).collect();
    helm::render(&chart, user, &helm::Request::default()).map(|r| (r.stream, r.usage))
}

fn peak(a: Usage, b: Usage) -> Usage {
    Usage {
        steps: a.steps.max(b.steps),
        output_bytes: a.output_bytes.max(b.output_bytes),
        template_calls: a.template_calls.max(b.template_calls),
        longest_string: a.longest_string.max(b.longest_string),
        longest_list: a.longest_list.max(b.longest_list),
        template_depth: a.template_depth.max(b.template_depth),
    }
}

struct Variant {
    chart: String,
    name: String,
    values: Vec<String>,
    golden: PathBuf,
    nondeterministic: Vec<String>,
}

fn variants(corpus: &Path) -> Vec<Variant> {
    let index: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(corpus.join("index.json")).unwrap_or_default())
            .unwrap_or_default();
    let mut out = Vec::new();
    for (chart, c) in index["charts"].as_object().into_iter().flatten() {
        for v in c["variants"].as_array().into_iter().flatten() {
            let golden = v["golden"].as_str().map(|g| corpus.join(g)).unwrap_or_default();
            out.push(Variant {
                chart: chart.clone(),
                name: v["name"].as_str().unwrap_or_default().to_string(),
                values: v["values"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect(),
                golden,
                nondeterministic: v["nondeterministic_templates"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect(),
            });
        }
    }
    out.sort_by(|a, b| (&a.chart, &a.name).cmp(&(&b.chart, &b.name)));
    out
}

/// (source, parsed document as JSON) for each document of a stream.
fn documents(stream: &str) -> Vec<(String, serde_json::Value)> {
    plimsoll::render::output::split_manifests(stream)
        .into_iter()
        .map(|d| {
            let source = d.lines().find_map(|l| l.strip_prefix("# Source: ")).unwrap_or("").to_string();
            let json = yaml::parse_stream(FileId(0), d)
                .into_iter()
                .find_map(|r| r.ok().filter(|doc| !doc.is_empty()))
                .and_then(|doc| doc.root().map(|r| r.to_json()))
                .unwrap_or(serde_json::Value::Null);
            (source, json)
        })
        .collect()
}

fn identity(doc: &serde_json::Value) -> (String, String) {
    (doc["kind"].as_str().unwrap_or("").to_string(), doc["metadata"]["name"].as_str().unwrap_or("").to_string())
}

fn compare(v: &Variant, ours: &str, golden: &str) -> Result<(), String> {
    let (a, b) = (documents(ours), documents(golden));
    if a.len() != b.len() {
        return Err(format!("{} documents, golden has {}", a.len(), b.len()));
    }
    for (i, ((sa, da), (sb, db))) in a.iter().zip(&b).enumerate() {
        if sa != sb {
            return Err(format!("document {i}: source {sa}, golden {sb}"));
        }
        let masked = v.nondeterministic.iter().any(|n| n == sa);
        let same = if masked { identity(da) == identity(db) } else { da == db };
        if !same {
            return Err(format!("document {i} ({sa}) differs{}", if masked { " in kind/name" } else { "" }));
        }
    }
    Ok(())
}

pub fn run(corpus: &Path, only: Option<&str>, verbose: bool) -> Tally {
    let mut t = Tally::default();
    for v in variants(corpus) {
        if only.is_some_and(|o| o != v.chart) {
            continue;
        }
        t.variants += 1;
        let chart_dir = corpus.join("charts").join(&v.chart);
        let values: Vec<PathBuf> = v.values.iter().map(|f| chart_dir.join(f)).collect();
        let result = render_variant(&chart_dir, &values).map(|(stream, usage)| {
            t.peak = peak(t.peak, usage);
            stream
        });
        let error_golden = v.golden.with_extension("error");
        let label = format!("{}/{}", v.chart, v.name);
        if v.golden.extension().is_some_and(|e| e == "error") || error_golden.exists() && !v.golden.exists() {
            t.helm_errors += 1;
            let want =
                std::fs::read_to_string(if v.golden.exists() { &v.golden } else { &error_golden }).unwrap_or_default();
            match result {
                Err(e) if format!("Error: {e}").trim() == want.trim() => t.errors_matched += 1,
                Err(e) => t
                    .failures
                    .push(format!("{label}: error differs:\n--- ours\nError: {e}\n--- golden\n{}", want.trim_end())),
                Ok(_) => {
                    t.failures.push(format!("{label}: rendered, but Helm fails: {}", want.lines().next().unwrap_or("")))
                }
            }
            continue;
        }
        let golden = std::fs::read_to_string(&v.golden).unwrap_or_default();
        t.deterministic += usize::from(v.nondeterministic.is_empty());
        match result {
            Ok(ours) => {
                let deterministic = v.nondeterministic.is_empty();
                if ours == golden {
                    t.identical += 1;
                    t.deterministic_identical += usize::from(deterministic);
                } else if deterministic && verbose {
                    eprintln!(
                        "{label}: documents {} but bytes differ",
                        if compare(&v, &ours, &golden).is_ok() { "match" } else { "differ" }
                    );
                }
                match compare(&v, &ours, &golden) {
                    Ok(()) => t.matched += 1,
                    Err(why) => t.failures.push(format!("{label}: {why}")),
                }
            }
            Err(e) => t.failures.push(format!(
                "{label}: plimsoll failed: {}",
                e.to_string().lines().take(3).collect::<Vec<_>>().join(" | ")
            )),
        }
        if verbose {
            eprintln!("{label}: done");
        }
    }
    t
}

pub fn print(t: &Tally) {
    let p = &t.peak;
    println!(
        "render budgets, corpus maxima: {} steps, {} output bytes, {} template calls, longest string {} bytes, longest list {}, template depth {}",
        p.steps, p.output_bytes, p.template_calls, p.longest_string, p.longest_list, p.template_depth
    );
    let ok_variants = t.variants - t.helm_errors;
    let pct = |a: usize, b: usize| if b == 0 { 100.0 } else { 100.0 * a as f64 / b as f64 };
    for f in &t.failures {
        println!("MISMATCH {f}");
    }
    println!(
        "corpus render: {}/{} variants match Helm document-by-document ({:.1}%); byte-identical streams: {}/{} ({:.1}%) of all, {}/{} ({:.1}%) of variants without random output; {}/{} Helm errors reproduced",
        t.matched,
        ok_variants,
        pct(t.matched, ok_variants),
        t.identical,
        ok_variants,
        pct(t.identical, ok_variants),
        t.deterministic_identical,
        t.deterministic,
        pct(t.deterministic_identical, t.deterministic),
        t.errors_matched,
        t.helm_errors
    );
}

#[allow(dead_code)]
fn main() {
    let mut corpus = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus"));
    let (mut only, mut verbose) = (None, false);
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--only" => only = args.next(),
            "--verbose" => verbose = true,
            dir => corpus = PathBuf::from(dir),
        }
    }
    if !corpus.join("index.json").exists() {
        println!("SKIPPED: no corpus at {}", corpus.display());
        return;
    }
    let t = run(&corpus, only.as_deref(), verbose);
    print(&t);
}
