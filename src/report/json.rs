//! `json`: the stable machine-readable shape (`version`, `diagnostics`, `summary`).

use crate::check::RunResult;
use serde::Serialize;
use std::io::Write;

#[derive(Serialize)]
struct Summary {
    files: usize,
    documents: usize,
    skipped: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
}

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    diagnostics: &'a [crate::diagnostic::Diagnostic],
    summary: Summary,
}

pub fn write(out: &mut dyn Write, run: &RunResult) -> std::io::Result<()> {
    let (errors, warnings, infos) = super::counts(run);
    let report = Report {
        version: 1,
        diagnostics: &run.diagnostics,
        summary: Summary {
            files: run.files,
            documents: run.documents,
            skipped: run.skipped,
            errors,
            warnings,
            infos,
        },
    };
    serde_json::to_writer_pretty(&mut *out, &report)?;
    writeln!(out)
}
