//! Reporters: diagnostics -> text in one of the output formats. Only this module formats
//! output for users.

mod concise;
mod github;
mod human;
mod json;
pub mod sarif;

use crate::check::RunResult;
use std::io::Write;

pub use sarif::rule_doc_url;

/// The project's home, where the rule documentation (`rules/<id>.md`) is published.
pub const REPOSITORY_URL: &str = "https://github.com/kubevet/kubevet";

/// Output formats of `kubevet check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Concise,
    Json,
    Sarif,
    Github,
}

/// Options that shape output.
#[derive(Debug, Clone, Copy)]
pub struct ReportOptions {
    pub color: bool,
}

/// Write the report of a run.
pub fn write(
    out: &mut dyn Write,
    format: Format,
    run: &RunResult,
    opts: ReportOptions,
) -> std::io::Result<()> {
    match format {
        Format::Human => human::write(out, run, opts),
        Format::Concise => concise::write(out, run),
        Format::Json => json::write(out, run),
        Format::Sarif => sarif::write(out, run),
        Format::Github => github::write(out, run),
    }
}

/// Counts by severity.
pub fn counts(run: &RunResult) -> (usize, usize, usize) {
    use crate::rules::Severity::*;
    let mut c = (0, 0, 0);
    for d in &run.diagnostics {
        match d.severity {
            Error => c.0 += 1,
            Warning => c.1 += 1,
            Info => c.2 += 1,
        }
    }
    c
}
