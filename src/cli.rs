//! Command-line interface (clap derive). Parsing only; `app` does the work.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::config::FailOn;
use crate::report::Format;

#[derive(Parser, Debug)]
#[command(
    name = "plimsoll",
    version,
    about = "Fast static linter and policy checker for Helm charts and Kubernetes manifests"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Lint manifests: files, directories (walked, honouring .gitignore) or `-` for stdin
    /// (e.g. `helm template ... | plimsoll check -`).
    Check(Box<CheckArgs>),
    /// List all rules.
    Rules(RulesArgs),
    /// Explain a rule: why it matters, what fires, how to fix it, an example.
    Explain(ExplainArgs),
    /// Render a chart exactly as `helm template` does (no helm binary needed).
    Render(Box<RenderArgs>),
}

/// Helm's values and release flags, shared by `check` and `render`.
#[derive(Args, Debug, Clone)]
pub struct ChartArgs {
    /// Values file for charts (repeatable; later files win), like `helm -f`.
    #[arg(short = 'f', long = "values", value_name = "FILE")]
    pub values: Vec<PathBuf>,
    /// Set values (`a.b=1,c[0]=x`), like `helm --set`.
    #[arg(long = "set", value_name = "KEY=VAL")]
    pub set: Vec<String>,
    /// Set string values, like `helm --set-string`.
    #[arg(long = "set-string", value_name = "KEY=VAL")]
    pub set_string: Vec<String>,
    /// Set JSON values, like `helm --set-json`.
    #[arg(long = "set-json", value_name = "KEY=JSON")]
    pub set_json: Vec<String>,
    /// Set values from files, like `helm --set-file`.
    #[arg(long = "set-file", value_name = "KEY=PATH")]
    pub set_file: Vec<String>,
    /// Set literal string values, like `helm --set-literal`.
    #[arg(long = "set-literal", value_name = "KEY=VAL")]
    pub set_literal: Vec<String>,
    /// Release name seen by templates.
    #[arg(long, value_name = "NAME", default_value = "release-name")]
    pub release_name: String,
    /// Release namespace seen by templates.
    #[arg(short = 'n', long, value_name = "NS", default_value = "default")]
    pub namespace: String,
    /// Kubernetes version for `.Capabilities` and `kubeVersion` checks [default: v1.36.0].
    #[arg(long, value_name = "VERSION")]
    pub kube_version: Option<String>,
    /// Extra API versions for `.Capabilities.APIVersions` (repeatable, comma-separated).
    #[arg(short = 'a', long = "api-versions", value_name = "GROUP/VERSION", value_delimiter = ',')]
    pub api_versions: Vec<String>,
    /// Render as an upgrade (`.Release.IsUpgrade`).
    #[arg(long)]
    pub is_upgrade: bool,
    /// Do not validate values against `values.schema.json`.
    #[arg(long)]
    pub skip_schema_validation: bool,
}

impl Default for ChartArgs {
    fn default() -> Self {
        ChartArgs {
            values: Vec::new(),
            set: Vec::new(),
            set_string: Vec::new(),
            set_json: Vec::new(),
            set_file: Vec::new(),
            set_literal: Vec::new(),
            release_name: "release-name".into(),
            namespace: "default".into(),
            kube_version: None,
            api_versions: Vec::new(),
            is_upgrade: false,
            skip_schema_validation: false,
        }
    }
}

#[derive(Args, Debug)]
pub struct RenderArgs {
    /// Chart directory or `.tgz` archive.
    pub chart: PathBuf,
    #[command(flatten)]
    pub chart_args: ChartArgs,
    /// Also print the chart's `crds/` files.
    #[arg(long)]
    pub include_crds: bool,
    /// Only print manifests from these templates (repeatable; globs allowed).
    #[arg(short = 's', long = "show-only", value_name = "TEMPLATE")]
    pub show_only: Vec<String>,
    /// Do not print test hooks.
    #[arg(long)]
    pub skip_tests: bool,
    /// Do not print hooks.
    #[arg(long)]
    pub no_hooks: bool,
}

#[derive(Args, Debug, Default)]
pub struct CheckArgs {
    /// Files or directories to lint; `-` reads stdin. Default: the current directory.
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Write the report to FILE instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Exit 1 when a finding of this severity or higher is reported [default: error].
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// Use this config file instead of the nearest `.plimsoll.yaml`.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Ignore any `.plimsoll.yaml`.
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,
    /// Turn rules on (also opt-in rules); repeatable or comma-separated; `all` for every rule.
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub enable: Vec<String>,
    /// Turn rules off; repeatable or comma-separated.
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub disable: Vec<String>,
    /// Load custom declarative rules from DIR (repeatable).
    #[arg(long = "rules", value_name = "DIR")]
    pub rules_dirs: Vec<PathBuf>,
    /// Validate custom resources against the CustomResourceDefinitions in DIR (repeatable).
    #[arg(long = "crd", value_name = "DIR")]
    pub crd_dirs: Vec<PathBuf>,
    /// Skip paths matching GLOB (repeatable); a pattern without `/` matches at any depth.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Report only findings not recorded in this baseline file (written by `--write-baseline`);
    /// the exit code counts only those.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record every current finding in FILE (JSON) and exit 0. With `--baseline`, the report
    /// shows what is new against the old baseline and FILE gets all current findings.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Worker threads [default: number of CPUs].
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Disable colors (also when NO_COLOR is set or output is not a terminal).
    #[arg(long)]
    pub no_color: bool,
    /// Print findings only: no notes and no summary line.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Follow every symlink while walking directories, also those leading out of the scanned
    /// tree (by default such links are reported and not followed).
    #[arg(long)]
    pub follow_links: bool,
    /// Skip (and report) files larger than this many MiB.
    #[arg(long, value_name = "MIB", default_value_t = 256)]
    pub max_file_size: u64,
    #[command(flatten)]
    pub chart_args: ChartArgs,
    /// Also lint each chart once per `ci/*.yaml` values file, as chart-testing does.
    #[arg(long)]
    pub ci_values: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Human,
    Json,
    Markdown,
}

#[derive(Args, Debug)]
pub struct RulesArgs {
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,
    /// Include custom rules from DIR.
    #[arg(long = "rules", value_name = "DIR")]
    pub rules_dirs: Vec<PathBuf>,
}

#[derive(Args, Debug)]
pub struct ExplainArgs {
    /// Rule id, e.g. `image-tag-latest`.
    pub rule: String,
    /// Include custom rules from DIR.
    #[arg(long = "rules", value_name = "DIR")]
    pub rules_dirs: Vec<PathBuf>,
}
