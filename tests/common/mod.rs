//! Shared helpers for integration tests: run the library pipeline like the CLI does.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

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
