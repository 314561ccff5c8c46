//! Reporters: diagnostics -> text in one of the output formats. Only this module formats
//! output for users.

mod concise;
mod github;
pub mod human;
mod json;
pub mod sarif;

use crate::diagnostic::Diagnostic;
use crate::run::RunResult;
use crate::run::Totals;
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

/// A reporter that writes a run's findings as they arrive: [`begin`](Emitter::begin), then
/// each file's diagnostics in output order, then [`end`](Emitter::end) with the run's counts.
/// An emitter keeps no more than the file at hand, so a run's memory does not grow with its
/// findings.
pub trait Emitter: Send {
    fn begin(&mut self, _out: &mut dyn Write) -> std::io::Result<()> {
        Ok(())
    }
    /// One file's diagnostics (possibly none), in order.
    fn diagnostics(&mut self, out: &mut dyn Write, ds: &[Diagnostic]) -> std::io::Result<()>;
    fn end(&mut self, _out: &mut dyn Write, _totals: &Totals) -> std::io::Result<()> {
        Ok(())
    }
}

/// The emitter of a format. SARIF's URIs are relative to the working directory.
pub fn emitter(format: Format, opts: ReportOptions) -> Box<dyn Emitter> {
    match format {
        Format::Human => Box::new(human::Emitter::new(opts)),
        Format::Concise => Box::new(concise::Emitter),
        Format::Json => Box::new(json::Emitter::default()),
        Format::Sarif => Box::new(sarif::Emitter::new(
            std::env::current_dir().unwrap_or_else(|_| "/".into()),
        )),
        Format::Github => Box::new(github::Emitter),
    }
}

/// Write the report of a whole run at once.
pub fn write(
    out: &mut dyn Write,
    format: Format,
    run: &RunResult,
    opts: ReportOptions,
) -> std::io::Result<()> {
    write_with(out, emitter(format, opts).as_mut(), run)
}

/// Write a whole run through one emitter.
pub fn write_with(
    out: &mut dyn Write,
    emitter: &mut dyn Emitter,
    run: &RunResult,
) -> std::io::Result<()> {
    emitter.begin(out)?;
    emitter.diagnostics(out, &run.diagnostics)?;
    emitter.end(out, &run.totals())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::{Input, Source};

    fn run_of(text: &str) -> RunResult {
        let engine = crate::check::Engine::new(Default::default()).expect("engine");
        let input = Input {
            display: "a.yaml".into(),
            source: Source::Stdin(text.as_bytes().to_vec()),
        };
        crate::run::check_all(&engine, &[input])
    }

    /// The streamed JSON is exactly what serializing the whole report at once gives.
    #[test]
    fn streamed_json_is_the_pretty_printed_report() {
        for text in [
            "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n  - {name: a, image: nginx}\n",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n",
        ] {
            let run = run_of(text);
            let mut out = Vec::new();
            write(&mut out, Format::Json, &run, ReportOptions { color: false }).expect("write");
            let t = run.totals();
            #[derive(serde::Serialize)]
            struct Whole<'a> {
                version: u32,
                diagnostics: &'a [Diagnostic],
                summary: Totals,
            }
            let whole = Whole {
                version: 1,
                diagnostics: &run.diagnostics,
                summary: t,
            };
            let mut want = serde_json::to_string_pretty(&whole).expect("json");
            want.push('\n');
            assert_eq!(String::from_utf8_lossy(&out), want);
        }
    }

    #[test]
    fn streamed_sarif_is_one_valid_document() {
        let run = run_of("apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n  - {name: a, image: nginx, ports: [{containerPort: 80}]}\n");
        let mut out = Vec::new();
        write(
            &mut out,
            Format::Sarif,
            &run,
            ReportOptions { color: false },
        )
        .expect("write");
        let v: serde_json::Value = serde_json::from_slice(&out).expect("valid JSON");
        let results = v["runs"][0]["results"].as_array().expect("results");
        assert_eq!(results.len(), run.diagnostics.len());
        assert!(results.len() >= 3);
        assert_eq!(v["runs"][0]["invocations"][0]["executionSuccessful"], true);
        assert!(v["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .is_some_and(|r| r.len() > 20));
    }
}
