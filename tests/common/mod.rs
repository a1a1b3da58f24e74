//! Shared helpers for integration tests: run the library pipeline like the CLI does.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use plimsoll::check::{self, CliRuleChoices};
use plimsoll::config::Config;
use plimsoll::discover::Input;
use plimsoll::finding::Finding;
use plimsoll::load::DEFAULT_MAX_FILE_SIZE;
use plimsoll::source::Sources;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Lint files with every rule enabled (opt-in ones too).
pub fn lint_files(paths: &[PathBuf]) -> (Vec<Finding>, Sources) {
    lint_with(paths, vec!["all".into()])
}

/// Lint files with the default rule selection, as `plimsoll check --no-config` does.
pub fn lint_default(paths: &[PathBuf]) -> (Vec<Finding>, Sources) {
    lint_with(paths, Vec::new())
}

fn lint_with(paths: &[PathBuf], enable: Vec<String>) -> (Vec<Finding>, Sources) {
    let all = check::all_rules(&[]).expect("catalogue loads");
    let active = check::select(&all, &Config::default(), &CliRuleChoices { enable, disable: vec![] }).expect("select");
    let mut inputs: Vec<Input> = Vec::new();
    let mut units = Vec::new();
    let chart_args = plimsoll::cli::ChartArgs::default();
    for p in paths {
        if plimsoll::discover::is_chart_dir(p) {
            // Charts go through the same rendering as `plimsoll check`.
            let (i, u) = plimsoll::app::render_charts(std::slice::from_ref(p), &chart_args, false);
            inputs.extend(i);
            units.extend(u);
        } else {
            inputs.push(Input::File { path: p.clone(), explicit: true });
        }
    }
    let linted = plimsoll::app::lint(&active, &inputs, units, &chart_args, DEFAULT_MAX_FILE_SIZE);
    (linted.findings, linted.loaded.sources)
}

/// The shared corpus, when present beside the repo.
pub fn shared_corpus() -> Option<PathBuf> {
    let p = repo().join("../shared/corpus");
    p.is_dir().then_some(p)
}

pub fn files_with_ext(dir: &Path, exts: &[&str]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().and_then(|e| e.to_str()).is_some_and(|e| exts.contains(&e)) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Check where every finding on `chart` points, and return one line per finding (with its
/// values path and related locations) for a snapshot. Every primary location must be one of
/// the chart's own files, never the rendered stream; a finding with a values path names it in
/// its message, and when it points into a values file it points at that path's key.
pub fn chart_finding_lines(chart: &Path, findings: &[Finding], sources: &Sources) -> Vec<String> {
    let prefix = format!("{}/", plimsoll::source::display_path(chart));
    let name = chart.file_name().unwrap().to_string_lossy().into_owned();
    let short = |file: &str| file.strip_prefix(&prefix).unwrap_or(file).to_string();
    let mut lines = Vec::new();
    for f in findings {
        let loc = sources.location(f.span);
        assert!(!plimsoll::charts::is_rendered_stream(&loc.file), "{name}: {} points at the rendered stream", f.rule);
        assert!(loc.file.starts_with(&prefix), "{name}: {} points outside the chart: {}", f.rule, loc.file);
        let mut line = format!(
            "{} {} {}:{}:{} {}",
            f.severity.as_str(),
            f.rule,
            short(&loc.file),
            loc.line,
            loc.column,
            f.message
        );
        if let Some(path) = &f.values_path {
            assert!(f.message.contains(&format!("`.Values.{path}`")), "{name}: {} does not name {path}", f.rule);
            let in_templates = loc.file.contains("/templates/");
            // A list item (`a[0]`) is shown as the item; a key as itself.
            if !in_templates && !path.ends_with(']') {
                // The key itself: the path's last segment, without list indices.
                let last = path.rsplit('.').next().unwrap().split('[').next().unwrap();
                let text = &sources.get(f.span.file).text[f.span.start as usize..f.span.end as usize];
                assert!(
                    last.is_empty() || text.trim_start_matches("- ").trim_matches(['"', '\'']) == last,
                    "{name}: {} at {}:{} points at `{text}`, not the key of {path}",
                    f.rule,
                    loc.file,
                    loc.line
                );
            }
            line.push_str(&format!(" [values: {path}]"));
        }
        for r in &f.related {
            let at = sources.location(r.span);
            let file =
                if plimsoll::charts::is_rendered_stream(&at.file) { "(rendered)".into() } else { short(&at.file) };
            line.push_str(&format!("\n    related {file}:{}:{} {}", at.line, at.column, r.message));
        }
        lines.push(line);
    }
    lines
}

/// Run the built binary in `cwd` (no colours).
pub fn plimsoll_in(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_plimsoll"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("runs")
}

/// A run's stdout as a JSON report (panics with both streams when it is not one).
pub fn json_report(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("not JSON ({e}): {}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
    })
}

/// Copy a directory tree (fixture charts into a temp dir tests may edit).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}
