//! `json`: the stable machine-readable shape (`version`, `diagnostics`, `summary`).

use crate::diagnostic::Diagnostic;
use crate::run::Totals;
use serde::Serialize;
use std::io::Write;

/// Writes the report as the run goes: the same text `serde_json`'s pretty printer gives for
/// the whole object, one diagnostic at a time.
#[derive(Default)]
pub struct Emitter {
    written: usize,
}

/// Pretty JSON of `v` with every line after the first indented by `indent` spaces (JSON
/// strings never hold a raw line break, so only structure lines move).
fn nested<T: Serialize>(v: &T, indent: usize) -> std::io::Result<String> {
    let text = serde_json::to_string_pretty(v)?;
    Ok(text.replace('\n', &format!("\n{}", " ".repeat(indent))))
}

impl super::Emitter for Emitter {
    fn begin(&mut self, out: &mut dyn Write) -> std::io::Result<()> {
        write!(out, "{{\n  \"version\": 1,\n  \"diagnostics\": [")
    }

    fn diagnostics(&mut self, out: &mut dyn Write, ds: &[Diagnostic]) -> std::io::Result<()> {
        for d in ds {
            let sep = if self.written == 0 { "" } else { "," };
            write!(out, "{sep}\n    {}", nested(d, 4)?)?;
            self.written += 1;
        }
        Ok(())
    }

    fn end(&mut self, out: &mut dyn Write, t: &Totals) -> std::io::Result<()> {
        let close = if self.written == 0 { "" } else { "\n  " };
        writeln!(out, "{close}],\n  \"summary\": {}\n}}", nested(t, 2)?)
    }
}
