//! `concise`: one line per finding, `path:line:col: severity[rule] message`. Control
//! characters from the user's files (a quoted key with `\n`, a path with a tab) are escaped,
//! so a finding never spans two lines and `grep`, editors' error parsers and `wc -l` can rely
//! on the format.

use crate::diagnostic::Diagnostic;
use std::fmt::Write as _;
use std::io::Write;

/// `text` with every control character escaped: `\n`, `\r`, `\t`, and `\u{..}` for the
/// rest (C0, DEL, C1 and the Unicode line and paragraph separators, which some tools also
/// treat as line breaks). Backslashes stay as they are (Windows paths).
pub fn escape(text: &str) -> String {
    if !text
        .chars()
        .any(|c| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}'))
    {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// One line per diagnostic, nothing else.
pub struct Emitter;

impl super::Emitter for Emitter {
    fn diagnostics(&mut self, out: &mut dyn Write, ds: &[Diagnostic]) -> std::io::Result<()> {
        for d in ds {
            writeln!(
                out,
                "{}:{}:{}: {}[{}] {}{}",
                escape(&d.path),
                d.line,
                d.column,
                d.severity,
                d.rule,
                escape(&d.message),
                d.template
                    .as_deref()
                    .map(|t| format!(" (Helm template {})", escape(t)))
                    .unwrap_or_default()
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(escape("plain `text` é"), "plain `text` é");
        assert_eq!(
            escape("a\nb\r\tc\u{7}d\u{85}e\u{2028}"),
            "a\\nb\\r\\tc\\u{7}d\\u{85}e\\u{2028}"
        );
    }
}
