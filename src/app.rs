//! Orchestration of one run: config → discover → load → check → report. Returns the exit code.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use rayon::prelude::*;

use std::collections::HashMap;
use std::sync::Arc;

use crate::baseline::{Baseline, Filtered, Keyer};
use crate::charts::{self, ChartUnit, RunContext};
use crate::check::{self, CliRuleChoices, Rule};
use crate::cli::{ChartArgs, CheckArgs, ExplainArgs, ListFormat, RenderArgs, RulesArgs};
use crate::config::{self, Config, FailOn};
use crate::discover;
use crate::discover::Input;
use crate::finding::Finding;
use crate::ignore::Ignores;
use crate::load;
use crate::model::ObjectSet;
use crate::render::helm::{self, SetFlag};
use crate::render::output::OutputOptions;
use crate::report::{self, Format, ReportInput, Summary};
use crate::source::FileId;
use crate::yaml::Document;

pub const EXIT_OK: i32 = 0;
pub const EXIT_FINDINGS: i32 = 1;
pub const EXIT_ERROR: i32 = 2;

/// A usage, config or I/O problem: printed to stderr, exit 2.
pub struct Fatal(pub String);

impl From<String> for Fatal {
    fn from(s: String) -> Self {
        Fatal(s)
    }
}

fn load_config(args: &CheckArgs, paths: &[PathBuf]) -> Result<Config, Fatal> {
    if args.no_config {
        return Ok(Config::default());
    }
    let path = match &args.config {
        Some(p) => Some(p.clone()),
        None => {
            let start = paths.iter().find(|p| p.as_os_str() != "-").cloned().unwrap_or_else(|| PathBuf::from("."));
            config::find(&start)
        }
    };
    match path {
        Some(p) => Ok(config::load(&p)?),
        None => Ok(Config::default()),
    }
}

/// Stack of each worker thread.
const WORKER_STACK_BYTES: usize = 256 << 20;

pub fn check(args: &CheckArgs) -> Result<i32, Fatal> {
    // Workers get a large stack (reserved, touched only as used): recursion bounded by the
    // render and YAML limits (10,000 levels) must fit in it, not in the default 2 MiB.
    let mut pool = rayon::ThreadPoolBuilder::new().stack_size(WORKER_STACK_BYTES);
    if let Some(n) = args.threads {
        pool = pool.num_threads(n.max(1));
    }
    // Fails only if a pool already exists (tests running several checks); then keep it.
    let _ = pool.build_global();
    let paths = if args.paths.is_empty() { vec![PathBuf::from(".")] } else { args.paths.clone() };
    let max_file_size = args.max_file_size.saturating_mul(1024 * 1024);
    // Before the first read: config, baseline and chart files are bounded too.
    crate::fsread::set_limit(max_file_size);
    let config = load_config(args, &paths)?;
    let ignores = config_ignores(&config)?;
    // Read the baseline before the (long) lint, so a bad file fails fast.
    let old_baseline = match &args.baseline {
        Some(path) => Some(Baseline::read(path)?),
        None => None,
    };

    let mut rules_dirs = config.rules_dirs.clone();
    rules_dirs.extend(args.rules_dirs.iter().cloned());
    let all = check::all_rules(&rules_dirs)?;
    let active =
        check::select(&all, &config, &CliRuleChoices { enable: args.enable.clone(), disable: args.disable.clone() })?;

    let mut excludes = config.exclude.clone();
    excludes.extend(args.exclude.iter().cloned());
    let walk = discover::WalkOptions { follow_links: args.follow_links };
    let mut found = discover::discover_with(&paths, &discover::exclude_set(&excludes)?, walk);
    let (rendered, units) = render_charts(&found.charts, &args.chart_args, args.ci_values);
    found.inputs.extend(rendered);

    let mut crds = Vec::new();
    for dir in config.crd_dirs.iter().chain(&args.crd_dirs) {
        crds.extend(crate::rules::schema::crd::load_dir(dir)?);
    }
    let Linted { loaded, set, run, mut findings } =
        lint_with(&active, &found.inputs, units, &args.chart_args, max_file_size, crds);
    let documents = loaded.files.iter().map(|f| f.docs.iter().filter(|d| !d.is_empty()).count()).sum();

    let mut notices: Vec<String> = found.warnings.clone();
    if found.inputs.is_empty() && found.charts.is_empty() && found.errors.is_empty() {
        notices.push("no manifest files found".to_string());
    }
    // Config `ignore:` runs here, not in `check::run`: it needs the config file's directory,
    // and the engine stays about rules and in-source suppression. It runs before the
    // baseline, so a baseline never records what the config already ignores.
    let ignored = ignores.apply(&mut findings, &loaded.sources, &set, &run);
    if ignored > 0 {
        notices.push(format!("{ignored} {} ignored by the config's `ignore` entries", plural(ignored, "finding")));
    }
    apply_baselines(args, old_baseline.as_ref(), &mut findings, &loaded.sources, &mut notices)?;
    let metas = check::metas(&active);
    let mut errors = found.errors.clone();
    errors.extend(loaded.io_errors.iter().cloned());
    let input = ReportInput {
        findings: &findings,
        sources: &loaded.sources,
        rules: &metas,
        summary: Summary { files: loaded.files.len(), documents, objects: set.objects.len() },
        notices: &notices,
        quiet: args.quiet,
        errors: &errors,
        skipped: &found.skipped,
    };

    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let color = to_terminal && !args.no_color && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let written = match &args.output {
        Some(path) => {
            std::fs::File::create(path).map_err(|e| Fatal(format!("{}: {e}", path.display()))).and_then(|f| {
                write_report(args.format, &input, std::io::BufWriter::new(f), color)
                    .map_err(|e| Fatal(format!("{}: {e}", path.display())))
            })
        }
        None => match write_report(args.format, &input, std::io::BufWriter::new(std::io::stdout().lock()), color) {
            // A closed pipe (`| head`) is not an error worth a message.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            other => other.map_err(|e| Fatal(format!("writing report: {e}"))),
        },
    };
    written?;

    for e in &errors {
        eprintln!("error: {}", crate::report::escape_controls(&e.to_string()));
    }
    if !errors.is_empty() {
        return Ok(EXIT_ERROR);
    }
    if args.write_baseline.is_some() {
        // Writing a baseline accepts the current findings.
        return Ok(EXIT_OK);
    }
    let fail_on = args.fail_on.or(config.fail_on).unwrap_or(FailOn::Error);
    Ok(if findings.iter().any(|f| fail_on.fails(f.severity)) { EXIT_FINDINGS } else { EXIT_OK })
}

/// The config's `ignore:` entries, with relative paths taken from the config file's directory
/// (the working directory for a config without a file).
fn config_ignores(config: &Config) -> Result<Ignores, Fatal> {
    let dir = match config.path.as_deref().and_then(|p| p.parent()) {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Ignores::new(&config.ignore, &dir).map_err(|e| {
        let name = config.path.as_deref().map(crate::source::display_path).unwrap_or_else(|| "config".into());
        Fatal(format!("{name}: {e}"))
    })
}

/// `--baseline`: keep only findings the old baseline does not account for. `--write-baseline`:
/// record `findings` as they are before that filter. With both flags the report shows what is
/// new against the old baseline, and the new file records every current finding (the old one
/// refreshed: fixed entries dropped, new ones accepted).
fn apply_baselines(
    args: &CheckArgs,
    old: Option<&Baseline>,
    findings: &mut Vec<Finding>,
    sources: &crate::source::Sources,
    notices: &mut Vec<String>,
) -> Result<(), Fatal> {
    let new = args
        .write_baseline
        .as_ref()
        .map(|path| (path, Baseline::from_findings(findings, &mut Keyer::new(sources, path))));
    if let (Some(path), Some(old)) = (&args.baseline, old) {
        let out = old.filter(std::mem::take(findings), &mut Keyer::new(sources, path));
        notices.extend(baseline_notices(&out, path));
        *findings = out.kept;
    }
    if let Some((path, new)) = new {
        new.write(path)?;
        eprintln!("wrote {} {} to {}", new.len(), plural(new.len(), "finding"), path.display());
    }
    Ok(())
}

/// What the baseline did, for the report's notes.
fn baseline_notices(out: &Filtered, path: &std::path::Path) -> Vec<String> {
    let mut notices = Vec::new();
    if out.matched > 0 {
        let n = out.matched;
        notices.push(format!("{n} {} matched the baseline {}", plural(n, "finding"), path.display()));
    }
    if out.stale > 0 {
        let (m, entries) = (out.stale, plural(out.stale, "baseline entry"));
        let verb = if m == 1 { "is" } else { "are" };
        notices.push(format!("{m} {entries} {verb} fixed or gone; rewrite it with --write-baseline"));
    }
    notices
}

/// `word` for a count: "finding"/"findings", "baseline entry"/"baseline entries".
fn plural(n: usize, word: &str) -> String {
    match (n, word.strip_suffix('y')) {
        (1, _) => word.to_string(),
        (_, Some(stem)) => format!("{stem}ies"),
        _ => format!("{word}s"),
    }
}

/// Helm's request from the shared chart flags. Helm merges `--set*` flags by kind in this
/// order, whatever their order on the command line.
pub fn request(args: &ChartArgs, output: OutputOptions) -> helm::Request {
    let mut set = Vec::new();
    set.extend(args.set_json.iter().cloned().map(SetFlag::Json));
    set.extend(args.set.iter().cloned().map(SetFlag::Set));
    set.extend(args.set_string.iter().cloned().map(SetFlag::String));
    set.extend(args.set_file.iter().cloned().map(SetFlag::File));
    set.extend(args.set_literal.iter().cloned().map(SetFlag::Literal));
    helm::Request {
        release_name: args.release_name.clone(),
        namespace: args.namespace.clone(),
        is_upgrade: args.is_upgrade,
        kube_version: args.kube_version.clone(),
        api_versions: args.api_versions.clone(),
        set,
        skip_schema_validation: args.skip_schema_validation,
        output,
        source_map: false,
        limits: Default::default(),
    }
}

/// Render every chart (and, with `ci_values`, once more per `ci/*.yaml`) in parallel. Each
/// render gives inputs to lint (the stream, or the template a failure happened in, plus the
/// chart's own files) and a unit for chart rules.
pub fn render_charts(charts: &[PathBuf], args: &ChartArgs, ci_values: bool) -> (Vec<Input>, Vec<ChartUnit>) {
    let mut jobs: Vec<(PathBuf, Option<PathBuf>)> = Vec::new();
    for chart in charts {
        jobs.push((chart.clone(), None));
        if ci_values {
            let mut ci: Vec<PathBuf> = std::fs::read_dir(chart.join("ci"))
                .into_iter()
                .flatten()
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
                // The chart's own files only: a `ci` link leaving the chart is not read.
                .filter(|p| crate::render::chart::inside_chart(chart, p))
                .collect();
            ci.sort();
            jobs.extend(ci.into_iter().map(|f| (chart.clone(), Some(f))));
        }
    }
    let req = request(args, OutputOptions::default());
    let prepared: Vec<charts::Prepared> = jobs
        .par_iter()
        .map(|(chart, ci)| {
            let mut values = args.values.clone();
            values.extend(ci.iter().cloned());
            charts::prepare(chart, &values, ci.as_deref(), &req)
        })
        .collect();
    let mut inputs = Vec::new();
    let mut units = Vec::new();
    for p in prepared {
        inputs.extend(p.inputs);
        units.push(p.unit);
    }
    (inputs, units)
}

/// Everything a lint run produced.
pub struct Linted {
    pub loaded: load::Loaded,
    pub set: ObjectSet,
    pub run: RunContext,
    pub findings: Vec<Finding>,
}

/// Load inputs, attach chart units, and run the active rules: the pipeline after discovery.
pub fn lint(
    active: &[check::ActiveRule],
    inputs: &[Input],
    charts: Vec<ChartUnit>,
    args: &ChartArgs,
    max_file_size: u64,
) -> Linted {
    lint_with(active, inputs, charts, args, max_file_size, Vec::new())
}

/// [`lint`] with CustomResourceDefinitions from `--crd` directories (as JSON).
pub fn lint_with(
    active: &[check::ActiveRule],
    inputs: &[Input],
    charts: Vec<ChartUnit>,
    args: &ChartArgs,
    max_file_size: u64,
    crds: Vec<serde_json::Value>,
) -> Linted {
    let mut loaded = load::load(inputs, max_file_size);
    let set = ObjectSet::new(std::mem::take(&mut loaded.objects));
    let docs: HashMap<FileId, Vec<Arc<Document>>> = loaded.files.iter().map(|f| (f.file, f.docs.clone())).collect();
    let kube_version = args.kube_version.as_deref().and_then(charts::parse_kube_version);
    let mut run = RunContext { charts, kube_version, crds };
    for unit in &mut run.charts {
        unit.attach(&mut loaded.sources, &docs, &set);
    }
    let findings = check::run(active, &loaded.files, &set, &loaded.sources, &run);
    Linted { loaded, set, run, findings }
}

/// `plimsoll render`: print what `helm template` prints.
pub fn render(args: &RenderArgs) -> Result<i32, Fatal> {
    let output = OutputOptions {
        include_crds: args.include_crds,
        skip_tests: args.skip_tests,
        no_hooks: args.no_hooks,
        show_only: args.show_only.clone(),
    };
    let req = request(&args.chart_args, output);
    match helm::render_dir(&args.chart, &args.chart_args.values, &req) {
        Ok(stream) => {
            let mut stdout = std::io::stdout().lock();
            let _ = stdout.write_all(stream.as_bytes()).and_then(|_| stdout.flush());
            Ok(EXIT_OK)
        }
        Err(e) => {
            eprintln!("Error: {e}");
            Ok(EXIT_FINDINGS)
        }
    }
}

fn write_report(format: Format, input: &ReportInput<'_>, mut out: impl Write, color: bool) -> std::io::Result<()> {
    report::write(format, input, &mut out, color)?;
    out.flush()
}

fn rules_for(dirs: &[PathBuf]) -> Result<Vec<Rule>, Fatal> {
    Ok(check::all_rules(dirs)?)
}

pub fn rules(args: &RulesArgs) -> Result<i32, Fatal> {
    let rules = rules_for(&args.rules_dirs)?;
    let mut out = String::new();
    match args.format {
        ListFormat::Human => {
            let width = rules.iter().map(|r| r.meta.id.len()).max().unwrap_or(0);
            for r in &rules {
                let m = &r.meta;
                let flag = if m.opt_in { " (opt-in)" } else { "" };
                out.push_str(&format!(
                    "{:width$}  {:7}  {:11}  {}{flag}\n",
                    m.id,
                    m.severity.as_str(),
                    m.category,
                    m.summary
                ));
            }
        }
        ListFormat::Json => {
            let list: Vec<serde_json::Value> = rules
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "id": r.meta.id, "severity": r.meta.severity, "category": r.meta.category,
                        "summary": r.meta.summary, "optIn": r.meta.opt_in, "builtin": r.builtin, "docsUrl": r.meta.docs_url(),
                    })
                })
                .collect();
            out = serde_json::to_string_pretty(&list).map_err(|e| Fatal(e.to_string()))? + "\n";
        }
        ListFormat::Markdown => out = markdown(&rules),
    }
    print!("{out}");
    Ok(EXIT_OK)
}

/// The rule reference (`docs/rules.md` is generated from this).
pub fn markdown(rules: &[Rule]) -> String {
    let mut s = String::from("# plimsoll rules\n\nGenerated by `plimsoll rules --format markdown`; edit `rules/<id>.yaml` instead.\n\n| rule | severity | category | summary |\n|---|---|---|---|\n");
    for r in rules {
        s.push_str(&format!(
            "| [`{0}`](#{0}) | {1} | {2} | {3} |\n",
            r.meta.id, r.meta.severity, r.meta.category, r.meta.summary
        ));
    }
    for r in rules {
        s.push('\n');
        s.push_str(&explain_text(r, true));
    }
    s
}

fn explain_text(rule: &Rule, markdown: bool) -> String {
    let m = &rule.meta;
    let mut s = String::new();
    let h = if markdown { "## " } else { "" };
    let sub = |title: &str| if markdown { format!("**{title}**\n\n") } else { format!("{title}:\n") };
    s.push_str(&format!("{h}{}\n\n", m.id));
    s.push_str(&format!(
        "{} · {} · {}{}\n\n",
        m.summary,
        m.severity,
        m.category,
        if m.opt_in { " · opt-in" } else { "" }
    ));
    s.push_str(&sub("Why"));
    s.push_str(&format!("{}\n\n", m.rationale.trim_end()));
    s.push_str(&sub("What fires"));
    s.push_str(&format!("{}\n\n", m.fires.trim_end()));
    s.push_str(&sub("How to fix"));
    s.push_str(&format!("{}\n\n", m.remediation.trim_end()));
    if !m.options.is_empty() {
        s.push_str(&sub("Options"));
        for (name, doc) in &m.options {
            s.push_str(&format!("- `{name}`: {}\n", doc.replace('\n', " ").trim_end()));
        }
        s.push('\n');
    }
    for (title, body) in [("Example (fires)", &m.example.bad), ("Example (quiet)", &m.example.good)] {
        if body.trim().is_empty() {
            continue;
        }
        s.push_str(&sub(title));
        if markdown {
            s.push_str(&format!("```yaml\n{}\n```\n\n", body.trim_end()));
        } else {
            for line in body.trim_end().lines() {
                s.push_str(&format!("    {line}\n"));
            }
            s.push('\n');
        }
    }
    if !markdown {
        s.push_str(&format!("Docs: {}\n", m.docs_url()));
    }
    s
}

pub fn explain(args: &ExplainArgs) -> Result<i32, Fatal> {
    let rules = rules_for(&args.rules_dirs)?;
    match rules.iter().find(|r| r.meta.id == args.rule) {
        Some(r) => {
            print!("{}", explain_text(r, false));
            Ok(EXIT_OK)
        }
        None => {
            let close: Vec<&str> = rules
                .iter()
                .map(|r| r.meta.id.as_str())
                .filter(|id| id.contains(&args.rule) || args.rule.contains(*id))
                .collect();
            let hint = if close.is_empty() { String::new() } else { format!(" (did you mean {}?)", close.join(", ")) };
            Err(Fatal(format!("unknown rule `{}`{hint}; `plimsoll rules` lists them", args.rule)))
        }
    }
}
