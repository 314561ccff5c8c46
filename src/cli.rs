//! Command-line arguments (clap definitions only). Turning them into a run happens in
//! [`crate::app`]; `--help`, completions and the man page all come from these definitions.

use crate::config;
use crate::report::Format;
use crate::rules::Severity;
use crate::source::limits;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Fast, offline validator and linter for Kubernetes manifests.
#[derive(Debug, Parser)]
#[command(name = "kubevet", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate and lint manifests (files, directories, or `-` for standard input).
    Check(Box<CheckArgs>),
    /// List every rule: id, default severity, category, whether it is fixable, summary.
    Rules(RulesArgs),
    /// Print a rule's documentation.
    Rule {
        /// The rule id, e.g. `latest-tag-pull-policy`.
        id: String,
    },
    /// Run the language server over standard input and output.
    Lsp,
    /// Print a shell completion script.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) on standard output, every command and option in one page.
    Man {
        /// Write one page per command into this directory instead (kubevet.1,
        /// kubevet-check.1, ...).
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

/// `--fail-level`: a severity, or `never` (`None`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FailLevel(pub Option<Severity>);

fn fail_level_parser() -> impl clap::builder::TypedValueParser<Value = FailLevel> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(config::level_names(config::FAIL_NEVER)).map(
        |s: String| {
            FailLevel(
                config::parse_level(&s, config::FAIL_NEVER).unwrap_or(Some(Severity::Warning)),
            )
        },
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: ListFormat,
}

#[derive(Debug, Args, Default, Clone)]
pub struct CheckArgs {
    /// Files or directories to check; `-` reads standard input.
    #[arg(default_value = ".")]
    pub paths: Vec<String>,

    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: Option<Format>,

    /// Configuration file (default: kubevet.toml or .kubevet.toml found upwards).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Kubernetes version to validate against, e.g. 1.37.
    #[arg(long, value_name = "X.Y")]
    pub kubernetes_version: Option<String>,

    /// Pod Security Standards level manifests are held to (default: baseline); a Namespace in
    /// the checked set with a `pod-security.kubernetes.io/enforce` label sets its own.
    #[arg(long, value_name = "LEVEL", value_parser = ["privileged", "baseline", "restricted"])]
    pub pod_security: Option<String>,

    /// Extra schemas for custom resources, in kubeconform's file layout (repeatable).
    #[arg(long, value_name = "DIR")]
    pub schema_dir: Vec<PathBuf>,

    /// CustomResourceDefinitions (a file or a directory of them; repeatable) to validate custom
    /// resources against; CRDs among the checked files are used too. Config: `crds`.
    #[arg(long, value_name = "PATH")]
    pub crd: Vec<PathBuf>,

    /// Only run these rules (comma-separated ids).
    #[arg(long, value_delimiter = ',', value_name = "ID,...")]
    pub select: Vec<String>,

    /// Do not run these rules (comma-separated ids).
    #[arg(long, value_delimiter = ',', value_name = "ID,...")]
    pub ignore: Vec<String>,

    /// Exit with 1 when a finding is at or above this level.
    #[arg(long, value_parser = fail_level_parser())]
    pub fail_level: Option<FailLevel>,

    /// Leave out paths matching this glob (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,

    /// Do not read .gitignore and other ignore files.
    #[arg(long)]
    pub no_ignore: bool,

    /// Worker threads (default: all cores).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,

    /// When to use colors (NO_COLOR is honoured with `auto`).
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,

    /// Name to use for standard input in diagnostics.
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<String>,

    /// Apply safe fixes in place, then report what remains.
    #[arg(long)]
    pub fix: bool,

    /// Render Kustomize roots with `kustomize build` or `kubectl kustomize` from PATH and check
    /// the output, reporting each finding where it was written: `auto` (default) when one is
    /// on PATH, `render` always, `off` never (patches are still read as partial objects).
    /// Config: `kustomize`.
    #[arg(long, value_enum, value_name = "MODE")]
    pub kustomize: Option<crate::kustomize::Mode>,

    /// Report ignore comments and annotations that suppressed nothing.
    #[arg(long)]
    pub report_unused_ignores: bool,

    /// Largest file to read, in bytes (default 52428800, 50 MiB); a larger file is an `io`
    /// finding. Config: `[limits] max-file-size`.
    #[arg(long, value_name = "BYTES", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_file_size: Option<u64>,

    /// Most documents in one file (default 500000); the rest is an `io` finding. Config:
    /// `[limits] max-documents`.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_documents: Option<u64>,

    /// Deepest nesting of mappings and sequences (default 256, at most 1000). Config:
    /// `[limits] max-depth`.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=limits::MAX_DEPTH_CEILING as u64))]
    pub max_depth: Option<u64>,

    /// Most nodes one file may expand to, aliases included (default 5000000): stops alias
    /// bombs. Config: `[limits] max-nodes`.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_nodes: Option<u64>,

    /// Only read and parse (for benchmarks).
    #[arg(long, hide = true)]
    pub parse_only: bool,
}
