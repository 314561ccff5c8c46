//! `github`: GitHub Actions workflow commands, one per finding, which GitHub shows as
//! annotations on the pull request: `::warning file=...,line=...,col=...,endLine=...,
//! endColumn=...,title=kubevet(rule)::message`.

use crate::diagnostic::Diagnostic;
use crate::rules::Severity;
use std::io::Write;

/// Escape a command's data (the message).
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a command property value.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// One workflow command per diagnostic, nothing else.
pub struct Emitter;

impl super::Emitter for Emitter {
    fn diagnostics(&mut self, out: &mut dyn Write, ds: &[Diagnostic]) -> std::io::Result<()> {
        for d in ds {
            let command = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let mut message = d.message.clone();
            if let Some(t) = &d.template {
                message.push_str(&format!("\nrendered from the Helm template {t}"));
            }
            if let Some(h) = &d.help {
                message.push_str("\nhelp: ");
                message.push_str(h);
            }
            writeln!(
                out,
                "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                escape_property(d.path.strip_prefix("./").unwrap_or(&d.path)),
                d.line,
                d.column,
                d.end_line,
                d.end_column,
                escape_property(&format!("kubevet({})", d.rule)),
                escape_data(&message)
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(escape_data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
