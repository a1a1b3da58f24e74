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
    Check(CheckArgs),
    /// List all rules.
    Rules(RulesArgs),
    /// Explain a rule: why it matters, what fires, how to fix it, an example.
    Explain(ExplainArgs),
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
    /// Skip paths matching GLOB (repeatable); a pattern without `/` matches at any depth.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Worker threads [default: number of CPUs].
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Disable colors (also when NO_COLOR is set or output is not a terminal).
    #[arg(long)]
    pub no_color: bool,
    /// Print findings only: no notes and no summary line.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Skip (and report) files larger than this many MiB.
    #[arg(long, value_name = "MIB", default_value_t = 256)]
    pub max_file_size: u64,
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
