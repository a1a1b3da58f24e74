//! Every input the fuzzers ever broke plimsoll with (`fuzz/regressions/<target>/<name>`) replays
//! through the same code path as its fuzz target (`fuzz/harness.rs`), without the fuzzer.
//!
//! Each input runs in a child process (this test binary, re-run with `replay_one`) on the
//! same 8 MiB worker thread as the fuzz target, under a 2 GiB address-space limit and a 10 s
//! timeout, so stack overflows, aborts, runaway memory and hangs fail the test instead of
//! killing it. Inputs in `KNOWN_FAILING` are reported and skipped.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[path = "../fuzz/harness.rs"]
mod harness;

/// Known failures of issue 12 (render budgets: recursion depth, cycles, output size), as
/// `target/name`. Remove an entry when its fix lands; the test then runs it.
const KNOWN_FAILING: &[&str] = &[];

const TIMEOUT: Duration = Duration::from_secs(10);

fn regressions_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions")
}

fn cases() -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    let Ok(targets) = std::fs::read_dir(regressions_dir()) else { return out };
    for t in targets.flatten() {
        let target = t.file_name().to_string_lossy().into_owned();
        assert!(harness::TARGETS.contains(&target.as_str()), "fuzz/regressions/{target}: not a fuzz target");
        for f in std::fs::read_dir(t.path()).unwrap().flatten() {
            out.push((target.clone(), f.path()));
        }
    }
    out.sort();
    out
}

/// The child side: replay one input when the parent asked for it, else do nothing.
#[test]
fn replay_one() {
    let (Some(target), Some(file)) = (std::env::var_os("FUZZ_REPLAY_TARGET"), std::env::var_os("FUZZ_REPLAY_FILE"))
    else {
        return;
    };
    let data = std::fs::read(&file).unwrap();
    harness::run(&target.to_string_lossy(), &data);
}

#[test]
fn fuzz_regressions_do_not_crash_or_hang() {
    let exe = std::env::current_exe().unwrap();
    let all = cases();
    let names: Vec<String> =
        all.iter().map(|(t, p)| format!("{t}/{}", p.file_name().unwrap().to_string_lossy())).collect();
    for k in KNOWN_FAILING {
        assert!(names.iter().any(|n| n == k), "KNOWN_FAILING lists {k}, which is not in fuzz/regressions");
    }
    let mut failures = Vec::new();
    let mut ran = 0;
    for ((target, path), name) in all.iter().zip(&names) {
        if KNOWN_FAILING.contains(&name.as_str()) {
            eprintln!("{name}: known failing (issue 12), skipped");
            continue;
        }
        ran += 1;
        let started = Instant::now();
        // `ulimit -v` bounds memory (a runaway allocation aborts instead of swapping).
        let mut child = Command::new("sh")
            .arg("-c")
            .arg("ulimit -v 2097152 2>/dev/null; exec \"$0\" replay_one --exact --nocapture --test-threads=1")
            .arg(&exe)
            .env("FUZZ_REPLAY_TARGET", target)
            .env("FUZZ_REPLAY_FILE", path)
            .env("RAYON_NUM_THREADS", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let status = loop {
            if let Some(s) = child.try_wait().unwrap() {
                break Some(s);
            }
            if started.elapsed() > TIMEOUT {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        match status {
            Some(s) if s.success() => {}
            Some(s) => {
                let mut err = String::new();
                use std::io::Read;
                let _ = child.stderr.take().unwrap().read_to_string(&mut err);
                let why = err
                    .lines()
                    .find(|l| l.contains("panicked") || l.contains("overflow") || l.contains("memory"))
                    .unwrap_or("");
                failures.push(format!("{name}: {s} {why}"));
            }
            None => failures.push(format!("{name}: still running after {TIMEOUT:?}")),
        }
    }
    eprintln!("fuzz regressions: {ran} replayed, {} known failing", KNOWN_FAILING.len());
    assert!(failures.is_empty(), "fuzz regressions failed:\n{}", failures.join("\n"));
}
