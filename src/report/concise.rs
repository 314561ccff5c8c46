//! `concise`: one line per finding, `path:line:col: severity[rule] message`.

use crate::check::RunResult;
use std::io::Write;

pub fn write(out: &mut dyn Write, run: &RunResult) -> std::io::Result<()> {
    for d in &run.diagnostics {
        writeln!(
            out,
            "{}:{}:{}: {}[{}] {}",
            d.path, d.line, d.column, d.severity, d.rule, d.message
        )?;
    }
    Ok(())
}
