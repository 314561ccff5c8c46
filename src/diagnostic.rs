//! Diagnostics: findings resolved to a file, a span, 1-based lines and columns, the object they
//! concern and an excerpt of the source for the terminal. A diagnostic carries everything the
//! reporters need, so no file has to stay in memory once it has been checked.

use crate::rules::{RuleId, Severity};
use crate::source::{LineCol, LineIndex, Span};
use serde::Serialize;

/// The object a diagnostic concerns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ObjectRef {
    #[serde(rename = "apiVersion")]
    pub api_version: Option<String>,
    pub kind: Option<String>,
    pub name: Option<String>,
    pub namespace: Option<String>,
}

/// One text replacement of a fix, in bytes and in 1-based lines/columns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edit {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    #[serde(skip)]
    pub span: Span,
    pub content: String,
}

/// A fix: a title and the edits that apply it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    pub message: String,
    pub edits: Vec<Edit>,
}

/// A secondary labelled location.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RelatedSpan {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub message: String,
    #[serde(skip)]
    pub span: Span,
    /// The span's own source lines, when it is too far from the primary span to share its
    /// excerpt (the human format shows it as a note with its own location).
    #[serde(skip)]
    pub excerpt: Option<Excerpt>,
}

/// The source lines a diagnostic's labels cover.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excerpt {
    /// 1-based number of the excerpt's first line.
    pub first_line: usize,
    /// Byte offset of the excerpt's start in the file.
    pub offset: u32,
    pub text: String,
}

/// A finding located in a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub rule: RuleId,
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub document: Option<usize>,
    pub pointer: Option<String>,
    pub object: Option<ObjectRef>,
    pub fix: Option<Fix>,
    /// Label under the primary span.
    pub label: Option<String>,
    pub related: Vec<RelatedSpan>,
    /// The Helm template the document was rendered from (its `# Source:` comment), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
    #[serde(skip)]
    pub span: Span,
    #[serde(skip)]
    pub excerpt: Option<Excerpt>,
    /// Name of the container the finding lies in, if any (for per-container ignores).
    #[serde(skip)]
    pub container: Option<String>,
}

impl Serialize for Severity {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Most lines an excerpt keeps; labels farther apart are shown without their source.
const MAX_EXCERPT_LINES: usize = 40;

/// Resolves spans in one file's text into lines, columns and excerpts.
pub struct Locator<'t> {
    pub text: &'t str,
    /// Extended as findings ask for lines: most files have no finding, and a finding near the
    /// top of a large file needs only the lines above it.
    lines: std::cell::RefCell<Option<LineIndex>>,
    /// Whether diagnostics carry source excerpts (only the human format shows them).
    excerpts: bool,
}

impl<'t> Locator<'t> {
    pub fn new(text: &'t str) -> Self {
        Self::with_excerpts(text, true)
    }

    /// A locator that attaches excerpts only when asked to.
    pub fn with_excerpts(text: &'t str, excerpts: bool) -> Self {
        Locator {
            text,
            lines: std::cell::RefCell::new(None),
            excerpts,
        }
    }

    /// The file's line index, covering at least the lines up to the one holding byte
    /// `offset` and the start of the next.
    fn lines_past(&self, offset: u32) -> std::cell::Ref<'_, LineIndex> {
        {
            let mut lines = self.lines.borrow_mut();
            lines
                .get_or_insert_with(|| LineIndex::start(self.text))
                .extend_past(self.text, offset as usize);
        }
        std::cell::Ref::map(self.lines.borrow(), |l| {
            l.as_ref().unwrap_or_else(|| unreachable!("indexed above"))
        })
    }

    /// Line and column of both ends of `span`.
    fn line_cols(&self, span: Span) -> (LineCol, LineCol) {
        let lines = self.lines_past(span.start.max(span.end));
        (
            lines.line_col(self.text, span.start),
            lines.line_col(self.text, span.end),
        )
    }

    /// A diagnostic at `span`, without object information.
    pub fn diagnostic(
        &self,
        path: &str,
        rule: RuleId,
        severity: Severity,
        span: Span,
        message: String,
    ) -> Diagnostic {
        let (start, end) = self.line_cols(span);
        Diagnostic {
            rule,
            severity,
            message,
            help: None,
            path: path.to_string(),
            line: start.line,
            column: start.column,
            end_line: end.line,
            end_column: end.column,
            document: None,
            pointer: None,
            object: None,
            fix: None,
            label: None,
            related: Vec::new(),
            template: None,
            span,
            excerpt: None,
            container: None,
        }
    }

    pub fn related(&self, span: Span, message: String) -> RelatedSpan {
        let (start, end) = self.line_cols(span);
        RelatedSpan {
            line: start.line,
            column: start.column,
            end_line: end.line,
            end_column: end.column,
            message,
            span,
            excerpt: None,
        }
    }

    pub fn edit(&self, span: Span, content: String) -> Edit {
        let (start, end) = self.line_cols(span);
        Edit {
            line: start.line,
            column: start.column,
            end_line: end.line,
            end_column: end.column,
            span,
            content,
        }
    }

    /// Attach the source lines the diagnostic's spans cover. A related label too far away to
    /// share the excerpt gets an excerpt of its own.
    pub fn attach_excerpt(&self, d: &mut Diagnostic) {
        if !self.excerpts {
            return;
        }
        let far = d
            .related
            .iter()
            .map(|r| r.span)
            .chain([d.span])
            .map(|s| s.start.max(s.end))
            .max()
            .unwrap_or(0);
        let lines = self.lines_past(far);
        let mut first = lines.line_of(d.span.start);
        let mut last = lines.line_of(d.span.end.max(d.span.start));
        let mut apart = Vec::new();
        for (i, r) in d.related.iter().enumerate() {
            let a = lines.line_of(r.span.start);
            let b = lines.line_of(r.span.end);
            let (nf, nl) = (first.min(a), last.max(b));
            if nl - nf < MAX_EXCERPT_LINES {
                first = nf;
                last = nl;
            } else {
                apart.push(i);
            }
        }
        d.excerpt = Some(self.excerpt(&lines, first, last));
        for i in apart {
            let r = &mut d.related[i];
            let a = lines.line_of(r.span.start);
            let b = lines.line_of(r.span.end.max(r.span.start));
            r.excerpt = Some(self.excerpt(&lines, a, b));
        }
    }

    /// The source of 0-based lines `first..=last` (at most [`MAX_EXCERPT_LINES`]), which
    /// `lines` covers with the start of the line after `last`.
    fn excerpt(&self, lines: &LineIndex, first: usize, mut last: usize) -> Excerpt {
        if last - first >= MAX_EXCERPT_LINES {
            last = first + MAX_EXCERPT_LINES - 1;
        }
        let start = lines.line_start(first) as usize;
        let end = if last + 1 < lines.line_count() {
            lines.line_start(last + 1) as usize
        } else {
            self.text.len()
        };
        // A byte order mark is not shown; a lone `\r` ends a line like `\n` (same length, so
        // offsets stay valid).
        let start = if start == 0 && self.text.starts_with('\u{feff}') {
            3.min(end)
        } else {
            start
        };
        let text = lone_cr_as_lf(self.text.get(start..end).unwrap_or(""));
        Excerpt {
            first_line: first + 1,
            offset: start as u32,
            text,
        }
    }
}

/// Sort diagnostics by path, then position, then rule, and drop exact duplicates.
pub fn sort_and_dedup(diags: &mut Vec<Diagnostic>) {
    diags.sort_by(|a, b| {
        (
            &a.path,
            a.line,
            a.column,
            &a.rule,
            &a.message,
            a.end_line,
            a.end_column,
        )
            .cmp(&(
                &b.path,
                b.line,
                b.column,
                &b.rule,
                &b.message,
                b.end_line,
                b.end_column,
            ))
    });
    diags.dedup_by(|a, b| {
        a.path == b.path
            && a.line == b.line
            && a.column == b.column
            && a.end_line == b.end_line
            && a.end_column == b.end_column
            && a.rule == b.rule
            && a.message == b.message
    });
}

/// `text` with every `\r` that is not followed by `\n` replaced by `\n`.
fn lone_cr_as_lf(text: &str) -> String {
    if !text.contains('\r') {
        return text.to_string();
    }
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        if c == '\r' && bytes.get(i + 1) != Some(&b'\n') {
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    out
}
