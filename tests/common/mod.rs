//! Shared helpers for integration tests: run the library pipeline like the CLI does.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use plimsoll::check::{self, CliRuleChoices};
use plimsoll::config::Config;
use plimsoll::discover::Input;
use plimsoll::finding::Finding;
use plimsoll::load::{self, DEFAULT_MAX_FILE_SIZE};
use plimsoll::model::ObjectSet;
use plimsoll::source::Sources;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Lint files with every rule enabled (opt-in ones too).
pub fn lint_files(paths: &[PathBuf]) -> (Vec<Finding>, Sources) {
    let all = check::all_rules(&[]).expect("catalogue loads");
    let active =
        check::select(&all, &Config::default(), &CliRuleChoices { enable: vec!["all".into()], disable: vec![] })
            .expect("select");
    let mut inputs: Vec<Input> = Vec::new();
    for p in paths {
        if plimsoll::discover::is_chart_dir(p) {
            // Charts go through the same rendering as `plimsoll check`.
            inputs.extend(plimsoll::app::render_charts(
                std::slice::from_ref(p),
                &plimsoll::cli::ChartArgs::default(),
                false,
            ));
        } else {
            inputs.push(Input::File { path: p.clone(), explicit: true });
        }
    }
    let loaded = load::load(&inputs, DEFAULT_MAX_FILE_SIZE);
    let set = ObjectSet::new(loaded.objects);
    let findings = check::run(&active, &loaded.files, &set, &loaded.sources);
    (findings, loaded.sources)
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
