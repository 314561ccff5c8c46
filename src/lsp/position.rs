//! Byte offsets <-> LSP positions (0-based line, UTF-16 code units), as the protocol requires.

use crate::source::LineIndex;

/// An LSP position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: u32,
    pub character: u32,
}

/// Converts between byte offsets and LSP positions for one text.
pub struct Positions<'t> {
    text: &'t str,
    lines: LineIndex,
}

impl<'t> Positions<'t> {
    pub fn new(text: &'t str) -> Self {
        Positions {
            text,
            lines: LineIndex::new(text),
        }
    }

    /// The position of a byte offset.
    pub fn position(&self, offset: u32) -> Position {
        let offset = (offset as usize).min(self.text.len());
        let line = self.lines.line_of(offset as u32);
        let start = self.lines.line_start(line) as usize;
        let mut end = offset;
        while end > start && !self.text.is_char_boundary(end) {
            end -= 1;
        }
        let character = self.text[start..end].encode_utf16().count() as u32;
        Position {
            line: line as u32,
            character,
        }
    }

    /// The LSP range of the bytes `start..end` (an end before the start is taken as the start).
    pub fn range(&self, start: u32, end: u32) -> ls_types::Range {
        let lsp = |p: Position| ls_types::Position {
            line: p.line,
            character: p.character,
        };
        ls_types::Range {
            start: lsp(self.position(start)),
            end: lsp(self.position(end.max(start))),
        }
    }

    /// The byte offset of a position (clamped to its line).
    pub fn offset(&self, p: Position) -> u32 {
        let line = (p.line as usize).min(self.lines.line_count().saturating_sub(1));
        let start = self.lines.line_start(line) as usize;
        let line_text = self.lines.line_text(self.text, line);
        let mut units = 0u32;
        for (i, c) in line_text.char_indices() {
            if units >= p.character {
                return (start + i) as u32;
            }
            units += c.len_utf16() as u32;
        }
        (start + line_text.len()) as u32
    }

    /// Text of a 0-based line, without its line break.
    pub fn line_text(&self, line: usize) -> &'t str {
        self.lines.line_text(self.text, line)
    }

    /// The 0-based line of a byte offset.
    pub fn line_of(&self, offset: u32) -> usize {
        self.lines
            .line_of((offset as usize).min(self.text.len()) as u32)
    }

    /// The line break a 0-based line ends with (`""` for a last line without one).
    pub fn line_ending(&self, line: usize) -> &'t str {
        let start = self.lines.line_start(line) as usize;
        let rest = self.text.get(start..).unwrap_or("");
        match rest.find('\n') {
            Some(i) if rest[..i].ends_with('\r') => "\r\n",
            Some(_) => "\n",
            None => "",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_columns() {
        // 'é' is 2 bytes / 1 unit; '😀' is 4 bytes / 2 units.
        let text = "a: é😀x\nb: 1\n";
        let p = Positions::new(text);
        let x = text.find('x').expect("x") as u32;
        assert_eq!(
            p.position(x),
            Position {
                line: 0,
                character: 6
            }
        );
        assert_eq!(
            p.offset(Position {
                line: 0,
                character: 6
            }),
            x
        );
        let b = text.find('b').expect("b") as u32;
        assert_eq!(
            p.position(b),
            Position {
                line: 1,
                character: 0
            }
        );
        assert_eq!(
            p.offset(Position {
                line: 9,
                character: 0
            }),
            text.len() as u32
        );
    }
}
