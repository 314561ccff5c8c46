//! Source text: files as read from disk, byte spans, and the line index that turns a byte
//! offset into a 1-based line and column. Everything above this layer speaks in [`Span`]s.

pub mod helm;
pub mod limits;
pub mod locate;
pub mod scalar;
pub mod splice;
pub mod syntax_message;
pub mod template;
pub mod tree;
pub mod yaml;

pub use limits::Limits;
pub use tree::{Entry, Node, NodeValue};
pub use yaml::{parse_stream, Document, ParsedStream, YamlProblem};

/// A half-open byte range `[start, end)` into a file's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span {
            start: start as u32,
            end: end.max(start) as u32,
        }
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// A 1-based line and column (the column counts characters, not bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// Byte offsets of every line start, for offset -> line/column conversion. Lines end at
/// `\n`, `\r\n` or a lone `\r`, as in YAML. A byte order mark at the start of the text is not
/// a column.
///
/// An index may cover only the start of its text ([`LineIndex::extend_past`]): a finding near
/// the top of a large file needs no more.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<u32>,
    /// Bytes of a leading byte order mark (0 or 3).
    bom: u32,
    /// Bytes of the text whose line breaks are indexed.
    scanned: usize,
}

impl LineIndex {
    /// The index of every line of `text`.
    pub fn new(text: &str) -> LineIndex {
        let mut index = LineIndex::start(text);
        index.extend_past(text, text.len());
        index
    }

    /// An index of `text` that knows no line break yet.
    pub fn start(text: &str) -> LineIndex {
        LineIndex {
            starts: vec![0],
            bom: if text.starts_with('\u{feff}') { 3 } else { 0 },
            scanned: 0,
        }
    }

    /// Index the line breaks of `text` up to the first at or after byte `offset`: then the
    /// line holding `offset`, every line before it and the start of the next are known.
    pub fn extend_past(&mut self, text: &str, offset: usize) {
        if offset < self.scanned || self.scanned >= text.len() {
            return;
        }
        let bytes = text.as_bytes();
        // Only the line breaks are looked at (the language server indexes a whole document
        // on every edit).
        for i in memchr::memchr2_iter(b'\n', b'\r', &bytes[self.scanned..]) {
            let i = i + self.scanned;
            if bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n') {
                self.starts.push(i as u32 + 1);
                if i >= offset {
                    self.scanned = i + 1;
                    return;
                }
            }
        }
        self.scanned = text.len();
    }

    /// 0-based line number of a byte offset.
    pub fn line_of(&self, offset: u32) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// Byte offset where 0-based `line` starts.
    pub fn line_start(&self, line: usize) -> u32 {
        self.starts.get(line).copied().unwrap_or_else(|| {
            // Past the end: clamp to the last line start.
            self.starts.last().copied().unwrap_or(0)
        })
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// Text of 0-based `line`, without its line break.
    pub fn line_text<'t>(&self, text: &'t str, line: usize) -> &'t str {
        let start = self.line_start(line) as usize;
        let end = self
            .starts
            .get(line + 1)
            .map(|e| *e as usize)
            .unwrap_or(text.len());
        let s = text.get(start..end).unwrap_or("");
        s.trim_end_matches(['\n', '\r'])
    }

    /// 1-based line and character column of a byte offset.
    pub fn line_col(&self, text: &str, offset: u32) -> LineCol {
        let offset = (offset as usize).min(text.len()) as u32;
        let line = self.line_of(offset);
        let mut start = self.line_start(line) as usize;
        if line == 0 {
            start = start.max(self.bom.min(offset) as usize);
        }
        let mut end = offset as usize;
        while end > start && !text.is_char_boundary(end) {
            end -= 1;
        }
        let column = text.get(start..end).map(|s| s.chars().count()).unwrap_or(0) + 1;
        LineCol {
            line: line + 1,
            column,
        }
    }

    /// Byte offset of a 1-based line and character column (clamped to the line).
    pub fn offset_of(&self, text: &str, line: usize, column: usize) -> u32 {
        let l = line.saturating_sub(1);
        let mut start = self.line_start(l) as usize;
        let mut line_text = self.line_text(text, l);
        if l == 0 && self.bom > 0 {
            start += self.bom as usize;
            line_text = line_text.get(self.bom as usize..).unwrap_or("");
        }
        let byte = line_text
            .char_indices()
            .nth(column.saturating_sub(1))
            .map(|(b, _)| b)
            .unwrap_or(line_text.len());
        (start + byte) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_byte_order_mark_is_not_a_column() {
        let text = "\u{feff}kind: Pod\nname: x\n";
        let idx = LineIndex::new(text);
        let kind = text.find("kind").expect("kind") as u32;
        assert_eq!(idx.line_col(text, kind), LineCol { line: 1, column: 1 });
        assert_eq!(idx.line_col(text, kind + 6), LineCol { line: 1, column: 7 });
        assert_eq!(idx.line_col(text, 0), LineCol { line: 1, column: 1 });
        assert_eq!(idx.offset_of(text, 1, 1), kind);
        let name = text.find("name").expect("name") as u32;
        assert_eq!(idx.line_col(text, name), LineCol { line: 2, column: 1 });
    }

    #[test]
    fn every_yaml_line_break_ends_a_line() {
        let text = "a: 1\rb: 2\r\nc: 3\nd: 4";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_count(), 4);
        let at = |s: &str| idx.line_col(text, text.find(s).expect("found") as u32);
        assert_eq!(at("b"), LineCol { line: 2, column: 1 });
        assert_eq!(at("c"), LineCol { line: 3, column: 1 });
        assert_eq!(at("d"), LineCol { line: 4, column: 1 });
        assert_eq!(idx.line_text(text, 0), "a: 1");
        assert_eq!(idx.line_text(text, 1), "b: 2");
    }

    #[test]
    fn an_index_extended_past_an_offset_answers_there_as_a_whole_one() {
        for text in [
            "\u{feff}a: 1\rb: 2\r\nc: é\n\nd: 4",
            "\n\r\r\n\r",
            "no break",
            "",
            "x\r\n",
        ] {
            let whole = LineIndex::new(text);
            // Extended step by step, as a file's findings ask, and at once.
            let mut stepped = LineIndex::start(text);
            for offset in 0..=text.len() + 1 {
                stepped.extend_past(text, offset);
                let mut once = LineIndex::start(text);
                once.extend_past(text, offset);
                for part in [&stepped, &once] {
                    let o = offset as u32;
                    assert_eq!(
                        part.line_col(text, o),
                        whole.line_col(text, o),
                        "{text:?} {o}"
                    );
                    let line = part.line_of(o);
                    assert_eq!(line, whole.line_of(o), "{text:?} {o}");
                    // The next line's start is known when there is one.
                    assert_eq!(
                        line + 1 < part.line_count(),
                        line + 1 < whole.line_count(),
                        "{text:?} {o}"
                    );
                    assert_eq!(part.line_start(line + 1), whole.line_start(line + 1));
                }
            }
            assert_eq!(stepped.line_count(), whole.line_count(), "{text:?}");
        }
    }
}
