//! What each fuzz target does with its input, shared by the fuzz targets (`fuzz/fuzz_targets/`)
//! and the regression test (`tests/fuzz_regressions.rs`), so a saved input replays through the
//! same code path without the fuzzer. Depends on `plimsoll` and std only.
//!
//! Every function must return normally for any input: errors are fine, panics, aborts, stack
//! overflows, hangs and runaway memory are bugs.

#![allow(dead_code)]
// `fuzzing` is set by cargo-fuzz builds only.
#![allow(unexpected_cfgs)]

use std::rc::Rc;
use std::sync::{Arc, OnceLock};

use plimsoll::check::{self, ActiveRule, CliRuleChoices};
use plimsoll::config::Config;
use plimsoll::load;
use plimsoll::model::ObjectSet;
use plimsoll::render::chart::{self, strvals, BufferedFile};
use plimsoll::render::funcs::Registry;
use plimsoll::render::helm::{self, Request};
use plimsoll::render::template::exec::ENGINE_FUNCS;
use plimsoll::render::template::parse;
use plimsoll::report::{self, Format, ReportInput, Summary};
use plimsoll::source::FileId;
use plimsoll::yaml;

/// The targets a regression file can belong to (`fuzz/regressions/<target>/`). The grammar
/// targets save their generated text, so their regressions replay through the text targets.
pub const TARGETS: &[&str] = &["yaml", "template_parse", "template_exec", "strvals", "chart_tgz", "check_manifest"];

/// The stack the work runs on: a spawned thread's, like the main thread's usual 8 MiB.
pub const STACK: usize = 8 << 20;

/// Run `f` on a fresh thread with a [`STACK`]-sized stack and return its result; a panic is
/// resumed on the caller's thread.
///
/// The same stack size whatever `ulimit -s` says. Under the fuzzer, the worker gets a signal
/// stack and libFuzzer's SIGSEGV handler is told to use it (its C `main` skips Rust's runtime
/// setup, and it registers the handler without SA_ONSTACK): otherwise a stack overflow cannot
/// run the handler and the process dies silently, without saving the input.
pub fn on_stack<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    std::thread::scope(|s| {
        let worker = std::thread::Builder::new()
            .stack_size(STACK)
            .spawn_scoped(s, || {
                #[cfg(fuzzing)]
                let _altstack = altstack::AltStack::install();
                f()
            })
            .expect("spawn worker");
        worker.join().unwrap_or_else(|e| std::panic::resume_unwind(e))
    })
}

#[cfg(fuzzing)]
mod altstack {
    /// A signal stack for the current thread, removed on drop.
    pub struct AltStack(Vec<u8>);

    impl AltStack {
        pub fn install() -> AltStack {
            // libFuzzer registers its SIGSEGV handler without SA_ONSTACK; add the flag once.
            static ONSTACK: std::sync::Once = std::sync::Once::new();
            ONSTACK.call_once(|| unsafe {
                // SAFETY: re-registering the installed handler with one more flag.
                let mut act: libc::sigaction = std::mem::zeroed();
                if libc::sigaction(libc::SIGSEGV, std::ptr::null(), &mut act) == 0 && act.sa_sigaction != libc::SIG_DFL
                {
                    act.sa_flags |= libc::SA_ONSTACK;
                    libc::sigaction(libc::SIGSEGV, &act, std::ptr::null_mut());
                }
            });
            let mut mem = vec![0u8; 256 * 1024];
            let ss = libc::stack_t { ss_sp: mem.as_mut_ptr().cast(), ss_flags: 0, ss_size: mem.len() };
            // SAFETY: `mem` outlives the registration (disabled in `drop` before it is freed).
            unsafe { libc::sigaltstack(&ss, std::ptr::null_mut()) };
            AltStack(mem)
        }
    }

    impl Drop for AltStack {
        fn drop(&mut self) {
            let ss = libc::stack_t { ss_sp: std::ptr::null_mut(), ss_flags: libc::SS_DISABLE, ss_size: 0 };
            // SAFETY: disabling the current thread's signal stack.
            unsafe { libc::sigaltstack(&ss, std::ptr::null_mut()) };
            let _ = &self.0;
        }
    }
}

/// Run `target`'s code path on `data` (on a [`STACK`]-sized thread).
pub fn run(target: &str, data: &[u8]) {
    on_stack(|| run_here(target, data))
}

/// Run `target`'s code path on `data` on the current thread.
pub fn run_here(target: &str, data: &[u8]) {
    match target {
        "yaml" => yaml_bytes(data),
        "template_parse" => template_parse(data),
        "template_exec" => template_exec(data),
        "strvals" => strvals_bytes(data),
        "chart_tgz" => chart_tgz(data),
        "check_manifest" => check_manifest(data),
        other => panic!("unknown fuzz target {other:?}"),
    }
}

/// The text the loader parses for a file's bytes (`load::decode`): UTF-8 up to the first NUL
/// or invalid byte (the rest is skipped with a problem).
pub fn loader_text(data: &[u8]) -> &str {
    let end = data.iter().position(|&b| b == 0).unwrap_or(data.len());
    let data = &data[..end];
    match std::str::from_utf8(data) {
        Ok(s) => s,
        Err(e) => std::str::from_utf8(&data[..e.valid_up_to()]).unwrap_or(""),
    }
}

// ---- yaml ------------------------------------------------------------------------------

pub fn yaml_bytes(data: &[u8]) {
    yaml_text(loader_text(data));
}

pub fn yaml_text(text: &str) {
    for doc in yaml::parse_stream(FileId(0), text).into_iter().flatten() {
        std::hint::black_box(&doc);
    }
    // The values path (Helm's values.yaml reader: documents merged into one map).
    let _ = chart::load_values("values.yaml", text.as_bytes());
}

// ---- templates -------------------------------------------------------------------------

fn funcs() -> &'static Registry {
    static FUNCS: OnceLock<Registry> = OnceLock::new();
    FUNCS.get_or_init(Registry::standard)
}

pub fn template_parse(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let funcs = funcs();
    let is_func = |n: &str| funcs.contains(n) || ENGINE_FUNCS.contains(&n);
    let _ = parse::parse("t", Rc::from(text.as_ref()), &is_func);
}

/// The fixed chart around the fuzzed template: nested maps and lists so `.Values` paths and
/// `range`s have something to walk, and a helper file so `include` has real names.
pub const CHART_YAML: &str = "apiVersion: v2\nname: fz\nversion: 0.1.0\nappVersion: \"1.0\"\n";
pub const VALUES_YAML: &str = r#"name: fz
replicas: 2
enabled: true
ratio: 0.5
empty: ""
nothing: null
image:
  repository: nginx
  tag: "1.25"
  pullPolicy: IfNotPresent
list: [1, 2, 3]
strings: [a, b, c]
maps:
  - name: one
    value: 1
    nested: {x: [1, {y: z}]}
  - name: two
    value: "2"
deep:
  a:
    b:
      c:
        d: [e, {f: g}]
labels:
  app: fz
  tier: web
tpl: "{{ .Values.name }}"
"#;
pub const HELPERS_TPL: &str = r#"{{- define "fz.name" -}}{{ .Chart.Name | trunc 63 | trimSuffix "-" }}{{- end }}
{{- define "fz.labels" -}}
app: {{ include "fz.name" . }}
{{- range $k, $v := .Values.labels }}
{{ $k }}: {{ $v | quote }}
{{- end }}
{{- end }}
{{- define "a" -}}A{{- end }}
{{- define "b" -}}{{ . }}{{- end }}
"#;

/// Render the fixed chart with `template` as `templates/t.yaml`.
pub fn template_exec(data: &[u8]) {
    template_exec_text(data.to_vec());
}

pub fn template_exec_text(template: Vec<u8>) {
    let files = vec![
        BufferedFile { name: "Chart.yaml".into(), data: CHART_YAML.as_bytes().to_vec() },
        BufferedFile { name: "values.yaml".into(), data: VALUES_YAML.as_bytes().to_vec() },
        BufferedFile { name: "templates/_helpers.tpl".into(), data: HELPERS_TPL.as_bytes().to_vec() },
        BufferedFile { name: "templates/t.yaml".into(), data: template },
    ];
    let chart = chart::load_files(files).expect("the fixed chart loads");
    let req =
        Request { release_name: "rel".into(), namespace: "ns".into(), limits: fuzz_limits(), ..Request::default() };
    if let Ok(rendered) = helm::render(&chart, Vec::new(), &req) {
        // What `check` does next with a chart's output: parse the stream.
        yaml_text(&rendered.stream);
    }
}

// ---- strvals ---------------------------------------------------------------------------

pub fn strvals_bytes(data: &[u8]) {
    strvals_text(&String::from_utf8_lossy(data));
}

/// Helm's `--set`, `--set-string` and `--set-json` parsers, and a second `--set` into the
/// first result (what several flags do).
pub fn strvals_text(text: &str) {
    if let Ok(v) = strvals::parse(text) {
        let _ = strvals::parse_into(text, &v);
    }
    let _ = strvals::parse_string(text);
    let dest = plimsoll::render::value::Value::empty_map();
    let _ = strvals::parse_json_into(text, &dest);
}

// ---- chart archives --------------------------------------------------------------------

/// Load a chart from `.tgz` bytes and render it if it loads.
pub fn chart_tgz(data: &[u8]) {
    if let Ok(chart) = chart::load_archive(data) {
        let req =
            Request { release_name: "rel".into(), namespace: "ns".into(), limits: fuzz_limits(), ..Request::default() };
        let _ = helm::render(&chart, Vec::new(), &req);
    }
}

// ---- check end to end ------------------------------------------------------------------

fn active_rules() -> &'static [ActiveRule] {
    static ACTIVE: OnceLock<Vec<ActiveRule>> = OnceLock::new();
    ACTIVE.get_or_init(|| {
        let rules = check::all_rules(&[]).expect("rule catalogue");
        check::select(&rules, &Config::default(), &CliRuleChoices::default()).expect("default rules")
    })
}

/// Load → check (every default rule) → every report format, on one manifest file.
pub fn check_manifest(data: &[u8]) {
    let text: Arc<str> = Arc::from(loader_text(data));
    let loaded = load::load_texts(vec![("manifest.yaml".to_string(), text)]);
    let set = ObjectSet::new(loaded.objects);
    let active = active_rules();
    let findings = check::run(active, &loaded.files, &set, &loaded.sources, &Default::default());
    let documents = loaded.files.iter().map(|f| f.docs.iter().filter(|d| !d.is_empty()).count()).sum();
    let metas = check::metas(active);
    let input = ReportInput {
        findings: &findings,
        sources: &loaded.sources,
        rules: &metas,
        summary: Summary { files: loaded.files.len(), documents, objects: set.objects.len() },
        notices: &[],
        quiet: false,
        errors: &[],
        skipped: &[],
    };
    for format in [Format::Human, Format::Json, Format::Sarif, Format::Github, Format::Junit] {
        let _ = report::write(format, &input, &mut std::io::sink(), false);
    }
}

/// The render budgets, with a wall time well under libFuzzer's 10 s hang threshold: a render
/// that runs into its time limit is a clean error, not a hang.
fn fuzz_limits() -> plimsoll::render::limits::Limits {
    plimsoll::render::limits::Limits { time: std::time::Duration::from_secs(3), ..Default::default() }
}
