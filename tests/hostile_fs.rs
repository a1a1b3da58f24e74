//! Hostile filesystems: FIFOs, devices, symlinks leaving the scanned tree or a chart, deeply
//! nested chart archives and control characters in names and text. Every run must end (no
//! hang on a FIFO), name the offending path, exit 1 or 2 (never a crash), read nothing it
//! refused, and still lint the good input beside it.
#![cfg(unix)]

mod common;

use std::io::Read;
use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// A Pod with an error-severity finding (`privileged-container`): proof the good input was linted.
const GOOD: &str = "apiVersion: v1\nkind: Pod\nmetadata: {name: good}\nspec:\n  containers:\n  - name: a\n    image: nginx:1.25\n    securityContext: {privileged: true}\n";

/// What a symlink leaving the tree must never disclose.
const SECRET: &str = "SECRET-TOKEN-4242";

/// Run the binary in `cwd`; fail (after killing it) if it has not ended within 60 s.
fn run(cwd: &Path, args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_plimsoll"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawns");
    // Drain the pipes on threads so a large report cannot block the child.
    let mut stdout = child.stdout.take().expect("stdout piped");
    let mut stderr = child.stderr.take().expect("stderr piped");
    let out_thread = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = stdout.read_to_end(&mut b);
        b
    });
    let err_thread = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = stderr.read_to_end(&mut b);
        b
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().expect("waits") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("plimsoll {args:?} did not finish within 60 s (blocked on a special file?)");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output { status, stdout: out_thread.join().expect("stdout"), stderr: err_thread.join().expect("stderr") }
}

fn text(out: &Output) -> String {
    format!("{}\n--- stderr ---\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or_else(|| panic!("killed by a signal: {}", text(out)))
}

fn mkfifo(path: &Path) {
    let ok = Command::new("mkfifo").arg(path).status().expect("mkfifo runs").success();
    assert!(ok, "mkfifo {}", path.display());
}

fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(path, text).expect("write");
}

/// Findings of `rule` in a JSON report, as file paths.
fn files_with(report: &serde_json::Value, rule: &str) -> Vec<String> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == rule)
        .map(|f| f["location"]["file"].as_str().unwrap_or("").to_string())
        .collect()
}

fn entries(report: &serde_json::Value, key: &str) -> Vec<(String, String)> {
    report[key]
        .as_array()
        .unwrap_or_else(|| panic!("`{key}` array in {report}"))
        .iter()
        .map(|e| (e["path"].as_str().unwrap_or("").to_string(), e["message"].as_str().unwrap_or("").to_string()))
        .collect()
}

// A FIFO named like a manifest in a walked directory: skipped with its path, never opened
// (opening it would block forever), and the good file beside it is linted.
#[test]
fn fifo_in_a_walked_directory_is_skipped() {
    let tmp = tempfile::tempdir().expect("tempdir");
    write(&tmp.path().join("d/good.yaml"), GOOD);
    mkfifo(&tmp.path().join("d/x.yaml"));
    let out = run(tmp.path(), &["check", "--no-config", "--format", "json", "d"]);
    assert_eq!(code(&out), 1, "{}", text(&out));
    let report = common::json_report(&out);
    assert_eq!(
        entries(&report, "skipped"),
        [("d/x.yaml".to_string(), "not a regular file (FIFO); skipped, never opened".to_string())]
    );
    assert_eq!(files_with(&report, "privileged-container"), ["d/good.yaml"]);

    let human = run(tmp.path(), &["check", "--no-config", "d"]);
    assert!(
        String::from_utf8_lossy(&human.stdout).contains("warning: d/x.yaml: not a regular file (FIFO)"),
        "{}",
        text(&human)
    );
}

// Named on the command line, a FIFO is an I/O error (exit 2) in the JSON and SARIF reports,
// not only on stderr; the other input is still linted.
#[test]
fn fifo_named_on_the_command_line_is_an_error_in_every_report() {
    let tmp = tempfile::tempdir().expect("tempdir");
    write(&tmp.path().join("good.yaml"), GOOD);
    mkfifo(&tmp.path().join("pipe.yaml"));
    let out = run(tmp.path(), &["check", "--no-config", "--format", "json", "good.yaml", "pipe.yaml"]);
    assert_eq!(code(&out), 2, "{}", text(&out));
    let report = common::json_report(&out);
    assert_eq!(
        entries(&report, "errors"),
        [("pipe.yaml".to_string(), "not a regular file (FIFO); skipped, never opened".to_string())]
    );
    assert_eq!(files_with(&report, "privileged-container"), ["good.yaml"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("error: pipe.yaml: not a regular file (FIFO)"));

    let sarif = run(tmp.path(), &["check", "--no-config", "--format", "sarif", "good.yaml", "pipe.yaml"]);
    assert_eq!(code(&sarif), 2, "{}", text(&sarif));
    let log = common::json_report(&sarif);
    let inv = &log["runs"][0]["invocations"][0];
    assert_eq!(inv["executionSuccessful"], false, "{log}");
    let n = &inv["toolExecutionNotifications"][0];
    assert_eq!(n["level"], "error");
    assert_eq!(n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "pipe.yaml");
    let results = log["runs"][0]["results"].as_array().expect("results");
    assert!(results.iter().any(|r| r["ruleId"] == "privileged-container"), "{log}");

    let github = run(tmp.path(), &["check", "--no-config", "--format", "github", "good.yaml", "pipe.yaml"]);
    assert!(
        String::from_utf8_lossy(&github.stdout)
            .contains("::error file=pipe.yaml,title=plimsoll::not a regular file (FIFO)"),
        "{}",
        text(&github)
    );
}

// `x.yaml -> /dev/zero`: a device claims length 0 and never ends. Walked, the link leaves the
// tree (skipped); followed (--follow-links) or named, it is refused as a device. Never read.
#[test]
fn link_to_a_device_is_never_read() {
    let tmp = tempfile::tempdir().expect("tempdir");
    write(&tmp.path().join("d/good.yaml"), GOOD);
    symlink("/dev/zero", tmp.path().join("d/x.yaml")).expect("symlink");

    let walked = run(tmp.path(), &["check", "--no-config", "--format", "json", "d"]);
    assert_eq!(code(&walked), 1, "{}", text(&walked));
    let report = common::json_report(&walked);
    let skipped = entries(&report, "skipped");
    assert_eq!(skipped.len(), 1, "{report}");
    assert_eq!(skipped[0].0, "d/x.yaml");
    assert!(skipped[0].1.contains("/dev/zero leaves the scanned tree"), "{skipped:?}");
    assert_eq!(files_with(&report, "privileged-container"), ["d/good.yaml"]);

    let followed = run(tmp.path(), &["check", "--no-config", "--format", "json", "--follow-links", "d"]);
    assert_eq!(code(&followed), 1, "{}", text(&followed));
    let report = common::json_report(&followed);
    assert_eq!(
        entries(&report, "skipped"),
        [("d/x.yaml".to_string(), "not a regular file (character device); skipped, never opened".to_string())]
    );

    let named = run(tmp.path(), &["check", "--no-config", "--format", "json", "d/good.yaml", "d/x.yaml"]);
    assert_eq!(code(&named), 2, "{}", text(&named));
    let report = common::json_report(&named);
    assert_eq!(entries(&report, "errors")[0].0, "d/x.yaml");
    assert_eq!(files_with(&report, "privileged-container"), ["d/good.yaml"]);
}

// A file link leaving the tree is reported and not read; with --follow-links it is linted; a
// link inside the tree always works; a path named on the command line is read as given.
#[test]
fn links_leaving_the_scanned_tree() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let secret_pod = GOOD.replace("name: good", &format!("name: {}", SECRET.to_lowercase()));
    write(&tmp.path().join("outside/pod.yaml"), &secret_pod);
    write(&tmp.path().join("tree/sub/real.yaml"), GOOD);
    symlink(tmp.path().join("outside/pod.yaml"), tmp.path().join("tree/out.yaml")).expect("symlink");
    symlink(tmp.path().join("outside"), tmp.path().join("tree/outdir")).expect("symlink");
    symlink("sub/real.yaml", tmp.path().join("tree/in.yaml")).expect("symlink");

    let out = run(tmp.path(), &["check", "--no-config", "--format", "json", "tree"]);
    assert_eq!(code(&out), 1, "{}", text(&out));
    assert!(!String::from_utf8_lossy(&out.stdout).contains(&SECRET.to_lowercase()), "{}", text(&out));
    let report = common::json_report(&out);
    let skipped: Vec<String> = entries(&report, "skipped").into_iter().map(|(p, _)| p).collect();
    assert_eq!(skipped, ["tree/out.yaml", "tree/outdir"]);
    assert!(entries(&report, "skipped")[0].1.contains("leaves the scanned tree"));
    assert_eq!(files_with(&report, "privileged-container"), ["tree/in.yaml", "tree/sub/real.yaml"]);

    let followed = run(tmp.path(), &["check", "--no-config", "--format", "json", "--follow-links", "tree"]);
    let report = common::json_report(&followed);
    assert_eq!(entries(&report, "skipped"), []);
    assert_eq!(
        files_with(&report, "privileged-container"),
        ["tree/in.yaml", "tree/out.yaml", "tree/outdir/pod.yaml", "tree/sub/real.yaml"]
    );

    let named = run(tmp.path(), &["check", "--no-config", "--format", "json", "tree/out.yaml"]);
    assert_eq!(files_with(&common::json_report(&named), "privileged-container"), ["tree/out.yaml"]);
}

fn chart(dir: &Path) {
    write(&dir.join("Chart.yaml"), "apiVersion: v2\nname: c\nversion: 1.0.0\n");
    write(&dir.join("templates/pod.yaml"), GOOD);
}

// Chart symlinks leaving the chart (values.yaml, a template, a subchart directory) fail the
// chart with a render error naming the link and its target, and the target is never shown;
// links inside the chart work as in Helm; the manifest beside the chart is still linted.
#[test]
fn chart_links_leaving_the_chart_are_refused() {
    let tmp = tempfile::tempdir().expect("tempdir");
    write(&tmp.path().join("secret/id_rsa"), &format!("{SECRET}: x\n"));
    write(&tmp.path().join("secret/sub/Chart.yaml"), "apiVersion: v2\nname: sub\nversion: 1.0.0\n");
    write(&tmp.path().join("repo/good.yaml"), GOOD);
    let cases: [(&str, &str); 3] =
        [("values.yaml", "secret/id_rsa"), ("templates/leak.yaml", "secret/id_rsa"), ("charts/sub", "secret/sub")];
    for (i, (link, target)) in cases.iter().enumerate() {
        let dir = tmp.path().join(format!("repo/chart{i}"));
        chart(&dir);
        std::fs::create_dir_all(dir.join(link).parent().expect("parent")).expect("mkdir");
        symlink(tmp.path().join(target), dir.join(link)).expect("symlink");
    }
    // Inside the chart: a template linked to a file elsewhere in the chart works.
    let ok = tmp.path().join("repo/chart-ok");
    chart(&ok);
    write(&ok.join("files/pod.yaml"), &GOOD.replace("name: good", "name: linked"));
    symlink("../files/pod.yaml", ok.join("templates/linked.yaml")).expect("symlink");

    for format in ["human", "json"] {
        let out = run(tmp.path(), &["check", "--no-config", "--format", format, "repo"]);
        assert_eq!(code(&out), 1, "{}", text(&out));
        assert!(!text(&out).contains(SECRET), "the target's content leaked: {}", text(&out));
    }
    let out = run(tmp.path(), &["check", "--no-config", "--format", "json", "repo"]);
    let report = common::json_report(&out);
    let errors: Vec<(String, String)> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "chart-render-error")
        .map(|f| {
            (f["location"]["file"].as_str().unwrap_or("").to_string(), f["message"].as_str().unwrap_or("").to_string())
        })
        .collect();
    assert_eq!(errors.len(), 3, "{report}");
    for ((file, message), (link, target)) in errors.iter().zip(cases) {
        assert!(file.starts_with("repo/chart"), "{file}");
        assert!(message.contains(&format!("symlink {link} points to ")), "{message}");
        assert!(message.contains(target), "{message}");
        assert!(message.contains("outside the chart directory"), "{message}");
    }
    // The walk leaves chart contents to the chart loader: no "leaves the scanned tree" notes.
    assert_eq!(entries(&report, "skipped"), []);
    let privileged = files_with(&report, "privileged-container");
    assert!(privileged.contains(&"repo/good.yaml".to_string()), "{privileged:?}");
    assert!(privileged.contains(&"repo/chart-ok/templates/linked.yaml".to_string()), "{privileged:?}");
}

/// A `.tgz` holding one chart `name` with `charts/<child>` inside when given.
fn nested_tgz(depth: usize) -> Vec<u8> {
    let mut inner: Option<Vec<u8>> = None;
    for level in (0..depth).rev() {
        let name = format!("c{level}");
        let mut files: Vec<(String, Vec<u8>)> = vec![(
            format!("{name}/Chart.yaml"),
            format!("apiVersion: v2\nname: {name}\nversion: 1.0.0\n").into_bytes(),
        )];
        if let Some(child) = inner.take() {
            files.push((format!("{name}/charts/c{}-1.0.0.tgz", level + 1), child));
        }
        let mut builder = tar::Builder::new(flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast()));
        for (path, data) in &files {
            let mut header = tar::Header::new_gnu();
            header.set_size(data.len() as u64);
            header.set_mode(0o644);
            header.set_cksum();
            builder.append_data(&mut header, path, data.as_slice()).expect("append");
        }
        inner = Some(builder.into_inner().expect("tar").finish().expect("gzip"));
    }
    inner.unwrap_or_default()
}

// Subchart archives nested 200 deep: refused past the depth limit as the chart's render
// error (no crash, bounded time and memory), and the manifest beside it is still linted.
#[test]
fn deeply_nested_subchart_archives_are_refused() {
    let tmp = tempfile::tempdir().expect("tempdir");
    write(&tmp.path().join("repo/good.yaml"), GOOD);
    let dir = tmp.path().join("repo/deep");
    write(&dir.join("Chart.yaml"), "apiVersion: v2\nname: deep\nversion: 1.0.0\n");
    std::fs::create_dir_all(dir.join("charts")).expect("mkdir");
    std::fs::write(dir.join("charts/c0-1.0.0.tgz"), nested_tgz(200)).expect("write tgz");
    let out = run(tmp.path(), &["check", "--no-config", "--format", "json", "repo"]);
    assert_eq!(code(&out), 1, "{}", text(&out));
    let report = common::json_report(&out);
    let render: Vec<&serde_json::Value> =
        report["findings"].as_array().expect("findings").iter().filter(|f| f["rule"] == "chart-render-error").collect();
    assert_eq!(render.len(), 1, "{report}");
    assert!(render[0]["message"].as_str().unwrap_or("").contains("nested more than 64 levels deep"), "{report}");
    assert_eq!(files_with(&report, "privileged-container"), ["repo/good.yaml"]);
}

// Control characters from the input (a file name, a snippet line) never reach human or
// GitHub output raw: they are shown as `\u{1b}`.
#[test]
fn control_characters_are_escaped_in_human_and_github_output() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let evil_name = "evil\u{1b}]0;pwned\u{7}.yaml";
    // A privileged Pod whose name carries an escape sequence, in a file named with one.
    write(&tmp.path().join("d").join(evil_name), &GOOD.replace("name: good", "name: \"x\\e[2Jy\""));
    // A raw ESC in a comment beside the finding's line: shown in the human snippet.
    let raw = GOOD.replace("    securityContext", "    # \u{1b}[31mred\n    securityContext");
    write(&tmp.path().join("d/raw.yaml"), &raw);
    for format in ["human", "github"] {
        let out = run(tmp.path(), &["check", "--no-config", "--format", format, "d"]);
        assert_eq!(code(&out), 1, "{}", text(&out));
        let stdout = String::from_utf8_lossy(&out.stdout);
        let raw: Vec<char> = stdout.chars().filter(|c| c.is_control() && !matches!(c, '\n' | '\t')).collect();
        assert!(raw.is_empty(), "{format}: raw control characters {raw:?} in:\n{stdout}");
        assert!(stdout.contains("evil\\u{1b}]0;pwned\\u{7}.yaml"), "{format}: the name is shown escaped:\n{stdout}");
        if format == "human" {
            assert!(stdout.contains("Pod x\\u{1b}[2Jy"), "the object name is shown escaped:\n{stdout}");
            assert!(stdout.contains("# \\u{1b}[31mred"), "the snippet is shown escaped:\n{stdout}");
        }
    }
}

// `--ci-values` reads the chart's own `ci/*.yaml` only: a link there leaving the chart is not
// used as a values file (its text would be shown in snippets and errors). With `ci/` in
// .helmignore (common) the chart load does not see the link, so this is the only guard.
#[test]
fn ci_values_links_leaving_the_chart_are_not_read() {
    let tmp = tempfile::tempdir().expect("tempdir");
    write(&tmp.path().join("secret.yaml"), &format!("{SECRET}: [unclosed\n"));
    let dir = tmp.path().join("c");
    chart(&dir);
    write(&dir.join(".helmignore"), "ci/\n");
    write(&dir.join("ci/ok.yaml"), "a: 1\n");
    symlink(tmp.path().join("secret.yaml"), dir.join("ci/leak.yaml")).expect("symlink");
    let out = run(tmp.path(), &["check", "--no-config", "--format", "json", "--ci-values", "c"]);
    assert_eq!(code(&out), 1, "{}", text(&out));
    assert!(!text(&out).contains(SECRET), "{}", text(&out));
    let report = common::json_report(&out);
    assert!(files_with(&report, "chart-render-error").is_empty(), "{report}");
    assert!(files_with(&report, "privileged-container").iter().any(|f| f == "c/templates/pod.yaml"), "{report}");
}

// Every other read refuses a FIFO without opening it: a chart file, `-f`, `--set-file`,
// `--config` and `--baseline`. Chart and values problems are the chart's render error (exit
// 1, the manifest beside it still linted); config and baseline ones stop the run (exit 2).
#[test]
fn fifos_in_chart_values_config_and_baseline_never_block() {
    let tmp = tempfile::tempdir().expect("tempdir");
    write(&tmp.path().join("good.yaml"), GOOD);
    mkfifo(&tmp.path().join("pipe.yaml"));
    let dir = tmp.path().join("c");
    chart(&dir);
    mkfifo(&dir.join("templates/fifo.yaml"));
    let out = run(tmp.path(), &["check", "--no-config", "--format", "json", "c", "good.yaml"]);
    assert_eq!(code(&out), 1, "{}", text(&out));
    let report = common::json_report(&out);
    let render: Vec<String> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "chart-render-error")
        .map(|f| f["message"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(render.len(), 1, "{report}");
    assert!(render[0].contains("cannot load irregular file") && render[0].contains("fifo.yaml"), "{render:?}");
    assert_eq!(files_with(&report, "privileged-container"), ["good.yaml"]);

    let ok = tmp.path().join("ok");
    chart(&ok);
    for flag in [["-f", "pipe.yaml"], ["--set-file", "a=pipe.yaml"]] {
        let out = run(tmp.path(), &["check", "--no-config", "--format", "json", flag[0], flag[1], "ok", "good.yaml"]);
        assert_eq!(code(&out), 1, "{flag:?}: {}", text(&out));
        let report = common::json_report(&out);
        let message = report["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .find(|f| f["rule"] == "chart-render-error")
            .and_then(|f| f["message"].as_str())
            .unwrap_or("")
            .to_string();
        assert!(message.contains("pipe.yaml") && message.contains("not a regular file (FIFO)"), "{flag:?}: {message}");
        assert_eq!(files_with(&report, "privileged-container"), ["good.yaml"], "{flag:?}");
    }

    for flag in ["--config", "--baseline"] {
        let out = run(tmp.path(), &["check", flag, "pipe.yaml", "good.yaml"]);
        assert_eq!(code(&out), 2, "{flag}: {}", text(&out));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("pipe.yaml: not a regular file (FIFO)"), "{flag}: {stderr}");
    }
}

// The walker opens `.gitignore`/`.ignore` in each directory it enters and in the root's
// ancestors. A FIFO or device there is never opened: a directory holding one is not walked; in
// the root or an ancestor, those ignore files are not honoured. Each is reported.
#[test]
fn special_ignore_files_never_block_the_walk() {
    let tmp = tempfile::tempdir().expect("tempdir");
    write(&tmp.path().join("repo/d/good.yaml"), GOOD);
    write(&tmp.path().join("repo/d/sub/hidden.yaml"), GOOD);
    mkfifo(&tmp.path().join("repo/d/sub/.gitignore"));
    let out = run(tmp.path(), &["check", "--no-config", "--format", "json", "repo/d"]);
    assert_eq!(code(&out), 1, "{}", text(&out));
    let report = common::json_report(&out);
    assert_eq!(
        entries(&report, "skipped"),
        [(
            "repo/d/sub/.gitignore".to_string(),
            "not a regular file (FIFO); not read, and its directory is not walked".to_string()
        )]
    );
    assert_eq!(files_with(&report, "privileged-container"), ["repo/d/good.yaml"]);

    // A link leaving the tree (its lines could be echoed in glob errors): not read either.
    std::fs::remove_file(tmp.path().join("repo/d/sub/.gitignore")).expect("rm");
    write(&tmp.path().join("secret.txt"), &format!("[{SECRET}\n"));
    symlink(tmp.path().join("secret.txt"), tmp.path().join("repo/d/sub/.gitignore")).expect("symlink");
    let out = run(tmp.path(), &["check", "--no-config", "--format", "json", "repo/d"]);
    assert_eq!(code(&out), 1, "{}", text(&out));
    assert!(!text(&out).contains(SECRET), "{}", text(&out));
    let skipped = entries(&common::json_report(&out), "skipped");
    assert_eq!(skipped.len(), 1, "{skipped:?}");
    assert_eq!(skipped[0].0, "repo/d/sub/.gitignore");
    assert!(skipped[0].1.contains("leaves the scanned tree; not followed"), "{skipped:?}");

    // In an ancestor of the root (a repository's top-level .gitignore when linting a subdirectory).
    std::fs::remove_file(tmp.path().join("repo/d/sub/.gitignore")).expect("rm");
    mkfifo(&tmp.path().join("repo/.gitignore"));
    let out = run(tmp.path(), &["check", "--no-config", "--format", "json", "repo/d"]);
    assert_eq!(code(&out), 1, "{}", text(&out));
    let report = common::json_report(&out);
    let skipped = entries(&report, "skipped");
    assert_eq!(skipped.len(), 1, "{skipped:?}");
    assert!(skipped[0].0.ends_with("repo/.gitignore") && skipped[0].1.contains("(FIFO)"), "{skipped:?}");
    assert!(skipped[0].1.contains("ignore files are not honoured in this walk"), "{skipped:?}");
    assert_eq!(files_with(&report, "privileged-container"), ["repo/d/good.yaml", "repo/d/sub/hidden.yaml"]);

    // In the root: a link to /dev/zero (reading it would never end). It leaves the tree; with
    // --follow-links it is refused as a device.
    std::fs::remove_file(tmp.path().join("repo/.gitignore")).expect("rm");
    symlink("/dev/zero", tmp.path().join("repo/d/.ignore")).expect("symlink");
    for (flags, why) in
        [(&[][..], "/dev/zero leaves the scanned tree"), (&["--follow-links"][..], "(character device)")]
    {
        let mut args = vec!["check", "--no-config", "--format", "json"];
        args.extend(flags);
        args.push("repo/d");
        let out = run(tmp.path(), &args);
        assert_eq!(code(&out), 1, "{}", text(&out));
        let report = common::json_report(&out);
        let skipped = entries(&report, "skipped");
        assert_eq!(skipped.len(), 1, "{skipped:?}");
        assert!(skipped[0].0.ends_with("repo/d/.ignore") && skipped[0].1.contains(why), "{skipped:?}");
        assert!(skipped[0].1.contains("ignore files are not honoured in this walk"), "{skipped:?}");
        assert_eq!(files_with(&report, "privileged-container"), ["repo/d/good.yaml", "repo/d/sub/hidden.yaml"]);
    }
}
