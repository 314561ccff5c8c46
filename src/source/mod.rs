//! Source text: files as read from disk, byte spans, and the line index that turns a byte
//! offset into a 1-based line and column. Everything above this layer speaks in [`Span`]s.

pub mod limits;
pub mod pointer;
pub mod scalar;
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

/// Byte offsets of every line start, for offset -> line/column conversion.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<u32>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = Vec::with_capacity(text.len() / 32 + 1);
        starts.push(0);
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' {
                starts.push(i as u32 + 1);
            }
        }
        LineIndex { starts }
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
        let start = self.line_start(line) as usize;
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
        let start = self.line_start(l) as usize;
        let line_text = self.line_text(text, l);
        let byte = line_text
            .char_indices()
            .nth(column.saturating_sub(1))
            .map(|(b, _)| b)
            .unwrap_or(line_text.len());
        (start + byte) as u32
    }
}
