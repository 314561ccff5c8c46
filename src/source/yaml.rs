//! YAML stream -> spanned trees, one per document.
//!
//! Built on `saphyr-parser`'s event stream (a maintained, pure-Rust YAML parser that reports a
//! span for every event), in a vendored copy that accepts and refuses what libyaml does, so
//! that a file is a syntax error exactly when kubectl (go-yaml, a port of libyaml) cannot read
//! it; kubectl's own cutting of a stream at `---` lines is checked here. The builder adds what
//! kubevet needs on top: byte-offset spans on every key and value, YAML 1.1 scalar resolution
//! (as Kubernetes reads YAML), anchors and aliases with a bounded expansion, merge keys (`<<`),
//! duplicate-key detection, and recovery after a syntax error at the next `---` so that one
//! broken document does not hide the rest. Parsing never fails: it returns the documents it
//! could build plus the problems it found.

use super::scalar::{key_string, resolve_plain};
use super::syntax_message::{enclosing_key, explain};
use super::{Entry, Limits, Node, NodeValue, Span};
use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Tag};
use std::cell::RefCell;
use std::collections::HashMap;

/// One YAML document of a stream.
#[derive(Debug, Clone)]
pub struct Document {
    /// 0-based position in the stream.
    pub index: usize,
    /// The root node; `None` for an empty or comment-only document.
    pub root: Option<Node>,
}

/// What went wrong while reading a stream.
#[derive(Debug, Clone, PartialEq)]
pub enum YamlProblemKind {
    /// Not valid YAML.
    Syntax,
    /// A mapping repeats a key; `first` is the earlier occurrence.
    DuplicateKey { first: Span },
    /// A safety limit was hit; the rest of the file is not read.
    Limit,
}

#[derive(Debug, Clone, PartialEq)]
pub struct YamlProblem {
    pub kind: YamlProblemKind,
    pub span: Span,
    pub message: String,
    /// The document the problem belongs to.
    pub document: usize,
    /// Where the reader was when it stopped (the key whose value holds a syntax error, or the
    /// bracket of an unclosed flow collection), with a label for it.
    pub related: Option<(Span, String)>,
}

/// Everything read from one stream.
#[derive(Debug, Default)]
pub struct ParsedStream {
    pub documents: Vec<Document>,
    pub problems: Vec<YamlProblem>,
    /// A mapping used a collection as a key (`{{ x }}` reads that way): Kubernetes cannot
    /// read such a key, and templates produce them.
    pub complex_keys: bool,
}

/// Parse a whole YAML (or JSON) stream. Never panics and never fails: problems are returned
/// beside the documents that could be read.
pub fn parse_stream(text: &str, limits: &Limits) -> ParsedStream {
    let mut out = parse_strict(text, limits);
    kubectl_separators(text, &mut out);
    out
}

/// The pieces of a stream between its `---` lines (a line that is `---` alone or followed by
/// a space or comment), as kubectl cuts it: a cheap split for reading only some documents.
pub fn pieces(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let t = rest?;
        let mut at = 0;
        loop {
            let line_end = memchr::memchr(b'\n', &t.as_bytes()[at..]).map(|i| at + i);
            let line = &t[at..line_end.unwrap_or(t.len())];
            let tail = line.strip_prefix("---").map(|r| r.trim_end_matches('\r'));
            if at > 0 && tail.is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t', '#'])) {
                rest = Some(&t[at..]);
                return Some(&t[..at]);
            }
            match line_end {
                Some(e) => at = e + 1,
                None => {
                    rest = None;
                    return Some(t);
                }
            }
        }
    })
}

/// What kubectl refuses before any YAML parser sees the text: both of its readers (`kubectl
/// apply -f` and kustomize) cut a stream at every line starting with `---` and read each piece
/// as a stream of its own. So a `---` line must hold nothing but a comment, and a piece cannot
/// start with a directive (`%YAML 1.1` alone is no document) or with `...`.
fn kubectl_separators(text: &str, out: &mut ParsedStream) {
    let mut found: Vec<(usize, usize, KubectlRule)> = Vec::new();
    let mut piece_start = true;
    let mut separators = 0;
    let mut seen_content = false;
    let bytes = text.as_bytes();
    let mut line_at = 0;
    while line_at < bytes.len() {
        let line_end =
            memchr::memchr(b'\n', &bytes[line_at..]).map_or(bytes.len(), |i| line_at + i);
        let first = line_at == 0;
        let raw_line = &text[line_at..line_end];
        let at_line = line_at;
        line_at = line_end + 1;
        // Inside a piece, only a `---` line matters.
        if !piece_start && seen_content && !raw_line.starts_with('-') {
            continue;
        }
        let bom = if first || piece_start {
            raw_line.strip_prefix('\u{feff}')
        } else {
            None
        };
        let skipped = raw_line.len() - bom.unwrap_or(raw_line).len();
        let line = bom.unwrap_or(raw_line).trim_end_matches('\r');
        let at = at_line + skipped;
        if let Some(rest) = line.strip_prefix("---") {
            let rest = rest.trim_start_matches([' ', '\t']);
            if rest.is_empty() || rest.starts_with('#') {
                if seen_content {
                    separators += 1;
                }
                piece_start = true;
            } else if !first {
                // The first line may carry content after `---` (kustomize and libyaml agree).
                let col = line.len() - rest.len();
                found.push((at + col, separators, KubectlRule::Separator));
                piece_start = false;
            }
            continue;
        }
        let trimmed = line.trim_start_matches([' ', '\t']);
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        seen_content = true;
        if piece_start {
            if line.starts_with('%') {
                found.push((at, separators, KubectlRule::Directive));
            } else if line.starts_with("...")
                && matches!(line.as_bytes().get(3), None | Some(b' ' | b'\t' | b'#'))
            {
                found.push((at, separators, KubectlRule::DocumentEnd));
            }
        }
        piece_start = false;
    }
    if found.is_empty() {
        return;
    }
    // The parser may have refused the same line already: keep its finding.
    let mut refused: Vec<u32> = out
        .problems
        .iter()
        .filter(|p| p.kind == YamlProblemKind::Syntax)
        .map(|p| p.span.start)
        .collect();
    refused.sort_unstable();
    for (at, separators, rule) in found {
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
        let first = refused.partition_point(|&r| (r as usize) < line_start);
        if refused.get(first).is_some_and(|&r| r as usize <= line_end) {
            continue;
        }
        let document = separators.min(out.documents.len().saturating_sub(1));
        out.problems
            .push(kubectl_problem(text, at, line_end, document, rule));
    }
    out.problems.sort_by_key(|p| p.span.start);
}

#[derive(Clone, Copy)]
enum KubectlRule {
    Separator,
    Directive,
    DocumentEnd,
}

fn kubectl_problem(
    text: &str,
    at: usize,
    line_end: usize,
    document: usize,
    rule: KubectlRule,
) -> YamlProblem {
    let message = match rule {
        KubectlRule::Separator => {
            "kubectl reads a line starting with `---` as a document separator and refuses \
             anything after it but a comment; put this on the next line"
        }
        KubectlRule::Directive => {
            "kubectl cuts the stream at the next `---` and cannot read this directive as a \
             document of its own; remove the directive"
        }
        KubectlRule::DocumentEnd => {
            "kubectl cannot read `...` at the start of a document (it cuts the stream at `---`); \
             remove it"
        }
    };
    let len = text[at..line_end].trim_end_matches('\r').len();
    YamlProblem {
        kind: YamlProblemKind::Syntax,
        span: Span::new(at, at + len),
        message: message.into(),
        document,
        related: None,
    }
}

fn parse_strict(text: &str, limits: &Limits) -> ParsedStream {
    let mut out = ParsedStream::default();
    // A byte-order mark is not part of the YAML.
    let mut offset = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut budget = limits.max_nodes;
    // Every suffix of ASCII text is ASCII: tell each resumed parse instead of scanning again.
    let ascii = text.is_ascii();
    loop {
        let rest = &text[offset..];
        let round = out.problems.len();
        let outcome = parse_from(rest, offset, ascii, limits, &mut budget, &mut out);
        match outcome {
            Outcome::Done | Outcome::Stop => break,
            Outcome::SyntaxErrorAt(err_offset) => {
                for p in &mut out.problems[round..] {
                    if p.kind == YamlProblemKind::Syntax && p.span.is_empty() {
                        let at = back_to_content(text, p.span.start as usize);
                        p.span = Span::new(at, at);
                        if p.related.is_none() {
                            p.related = enclosing_key(text, at);
                        }
                    }
                }
                // Resume at the next document marker after the error, if there is one.
                match next_document_marker(text, err_offset) {
                    Some(next) if next > offset => offset = next,
                    _ => break,
                }
            }
        }
    }
    out
}

/// A parser error found at a blank line, at the next document marker or at the end of the file
/// is shown right after the last content before it, where the reader has to look.
fn back_to_content(text: &str, at: usize) -> usize {
    let at = at.min(text.len());
    let line_start = text[..at].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let line_end = text[at..].find('\n').map(|i| at + i).unwrap_or(text.len());
    let line = &text[line_start..line_end];
    let at_marker = at == line_start && (line.starts_with("---") || line.starts_with("..."));
    if !line.trim().is_empty() && !at_marker {
        return at;
    }
    text[..line_start].trim_end().len()
}

enum Outcome {
    Done,
    /// A limit was hit: stop reading this file.
    Stop,
    /// A syntax error at this absolute byte offset.
    SyntaxErrorAt(usize),
}

/// Byte offset of the first line starting with `---` (followed by space, newline or end), from
/// the start of the line holding `from`.
fn next_document_marker(text: &str, from: usize) -> Option<usize> {
    let from = from.min(text.len());
    let mut pos = text[..from].rfind('\n').map(|i| i + 1).unwrap_or(0);
    while pos < text.len() {
        let line_end = text[pos..]
            .find('\n')
            .map(|i| pos + i)
            .unwrap_or(text.len());
        let line = &text[pos..line_end];
        if line.starts_with("---")
            && matches!(line.as_bytes().get(3), None | Some(b' ' | b'\t' | b'\r'))
        {
            return Some(pos);
        }
        pos = line_end + 1;
    }
    None
}

/// Converts saphyr's character indices into byte offsets.
struct CharToByte<'t> {
    text: &'t str,
    ascii: bool,
    /// Byte offset of every 64th character, computed only as far as asked (a parse that stops
    /// early does not pay for the rest of the text).
    checkpoints: RefCell<Vec<u32>>,
}

impl<'t> CharToByte<'t> {
    fn new(text: &'t str, ascii: bool) -> Self {
        CharToByte {
            text,
            ascii,
            checkpoints: RefCell::new(vec![0]),
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        if self.ascii {
            return char_index.min(self.text.len());
        }
        let block = char_index / 64;
        let mut checkpoints = self.checkpoints.borrow_mut();
        while checkpoints.len() <= block {
            let last = checkpoints.last().copied().unwrap_or(0) as usize;
            if last >= self.text.len() {
                return self.text.len();
            }
            let next = self.text[last..]
                .char_indices()
                .nth(64)
                .map_or(self.text.len(), |(b, _)| last + b);
            checkpoints.push(next as u32);
        }
        let cp = checkpoints[block] as usize;
        let skip = char_index % 64;
        self.text[cp..]
            .char_indices()
            .nth(skip)
            .map(|(b, _)| cp + b)
            .unwrap_or(self.text.len())
    }
}

enum Frame {
    Seq {
        start: usize,
        flow: bool,
        anchor: usize,
        items: Vec<Node>,
    },
    Map {
        start: usize,
        flow: bool,
        anchor: usize,
        entries: Vec<Entry>,
        /// Values of `<<` merge keys, in order.
        merges: Vec<Node>,
        /// A key read, waiting for its value.
        pending_key: Option<(String, Span, bool)>,
    },
}

struct Builder {
    stack: Vec<Frame>,
    anchors: HashMap<usize, Node>,
    problems: Vec<YamlProblem>,
    document: usize,
    complex_keys: bool,
}

fn parse_from(
    text: &str,
    base: usize,
    ascii: bool,
    limits: &Limits,
    budget: &mut usize,
    out: &mut ParsedStream,
) -> Outcome {
    let conv = CharToByte::new(text, ascii);
    let abs = |char_index: usize| base + conv.byte(char_index);
    let mut parser = Parser::new_from_str(text);
    let mut b = Builder {
        stack: Vec::new(),
        anchors: HashMap::new(),
        problems: Vec::new(),
        document: out.documents.len(),
        complex_keys: false,
    };
    let mut root: Option<Node> = None;
    let mut in_document = false;
    let mut after_explicit_end = false;

    let outcome = loop {
        let Some(next) = parser.next_event() else {
            break Outcome::Done;
        };
        let (event, span) = match next {
            Ok(ev) => ev,
            Err(e) => {
                let at = abs(e.marker().index());
                let mut problem = syntax_problem(&e, at, b.document);
                problem.related = b.open_flow();
                b.problems.push(problem);
                break Outcome::SyntaxErrorAt(at);
            }
        };
        let start = abs(span.start.index());
        let end = abs(span.end.index());
        match event {
            Event::StreamStart | Event::Nothing => {}
            Event::StreamEnd => break Outcome::Done,
            Event::DocumentStart(explicit) => {
                if after_explicit_end && !explicit {
                    // libyaml, and so kubectl, wants `---` after a `...` document end.
                    b.problems.push(YamlProblem {
                        kind: YamlProblemKind::Syntax,
                        span: Span::new(start, start),
                        message: "a document after `...` must start with `---`".into(),
                        document: b.document,
                        related: None,
                    });
                    break Outcome::SyntaxErrorAt(start);
                }
                after_explicit_end = false;
                if out.documents.len() >= limits.max_documents {
                    b.problems.push(YamlProblem {
                        kind: YamlProblemKind::Limit,
                        span: Span::new(start, start),
                        message: format!(
                            "more than {} documents in one file (`--max-documents`); the rest is not read",
                            limits.max_documents
                        ),
                        document: b.document,
                        related: None,
                    });
                    break Outcome::Stop;
                }
                in_document = true;
                root = None;
                b.anchors.clear();
            }
            Event::DocumentEnd => {
                after_explicit_end = text
                    .get(start - base..)
                    .is_some_and(|t| t.starts_with("..."));
                if in_document {
                    out.documents.push(Document {
                        index: b.document,
                        root: root.take().filter(|r| r.value != NodeValue::Null),
                    });
                    b.document += 1;
                    in_document = false;
                }
            }
            Event::Alias(id) => {
                let Some(node) = b.anchors.get(&id).cloned() else {
                    b.problems.push(YamlProblem {
                        kind: YamlProblemKind::Syntax,
                        span: Span::new(start, end),
                        message: explain("alias to an unknown anchor"),
                        document: b.document,
                        related: None,
                    });
                    break Outcome::SyntaxErrorAt(start);
                };
                let count = node.count();
                if count > *budget {
                    b.problems.push(limit_nodes(limits, start, end, b.document));
                    break Outcome::Stop;
                }
                *budget -= count;
                // The alias stands where it is used; its content keeps the anchor's spans.
                let collection = matches!(node.value, NodeValue::Seq(_) | NodeValue::Map(_));
                let raw = text
                    .get(node.span.start as usize - base.min(node.span.start as usize)..)
                    .and_then(|t| t.get(..node.span.range().len()))
                    .unwrap_or("")
                    .to_string();
                let node = Node {
                    span: Span::new(start, end),
                    value: node.value,
                };
                // An aliased scalar can be a mapping key like any other scalar.
                let done = if collection {
                    b.add(node)
                } else {
                    b.add_scalar(node, &raw, false)
                };
                if let Some(done) = done {
                    root = Some(done);
                }
            }
            Event::Scalar(value, style, anchor, tag) => {
                if *budget == 0 {
                    b.problems.push(limit_nodes(limits, start, end, b.document));
                    break Outcome::Stop;
                }
                *budget -= 1;
                let is_merge_key = style == ScalarStyle::Plain && value == "<<" && tag.is_none();
                let resolved = resolve_scalar(&value, style, tag.as_deref());
                // The parser's span of a quoted scalar can run on over the blanks and comment
                // after it: end it at its closing quote.
                let end = match style {
                    ScalarStyle::DoubleQuoted | ScalarStyle::SingleQuoted => text
                        .get(start - base..end - base)
                        .and_then(|t| quoted_len(t, style))
                        .map_or(end, |len| start + len),
                    _ => end,
                };
                let node = Node {
                    span: Span::new(start, end),
                    value: resolved,
                };
                if anchor > 0 {
                    b.anchors.insert(anchor, node.clone());
                }
                if let Some(done) = b.add_scalar(node, &value, is_merge_key) {
                    root = Some(done);
                }
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if b.stack.len() >= limits.max_depth {
                    b.problems.push(YamlProblem {
                        kind: YamlProblemKind::Limit,
                        span: Span::new(start, end),
                        message: format!(
                            "nesting deeper than {} levels (`--max-depth`); the rest of the file is not read",
                            limits.max_depth
                        ),
                        document: b.document,
                        related: None,
                    });
                    break Outcome::Stop;
                }
                if *budget == 0 {
                    b.problems.push(limit_nodes(limits, start, end, b.document));
                    break Outcome::Stop;
                }
                *budget -= 1;
                let flow = matches!(text.as_bytes().get(start - base), Some(b'[' | b'{'));
                b.stack.push(if matches!(event, Event::SequenceStart(..)) {
                    Frame::Seq {
                        start,
                        flow,
                        anchor,
                        items: Vec::new(),
                    }
                } else {
                    Frame::Map {
                        start,
                        flow,
                        anchor,
                        entries: Vec::new(),
                        merges: Vec::new(),
                        pending_key: None,
                    }
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(frame) = b.stack.pop() else {
                    break Outcome::SyntaxErrorAt(start);
                };
                // A flow collection ends at its bracket (the parser's span can run on over
                // the blanks and comment after it).
                let end = match text.as_bytes().get(start - base) {
                    Some(b']' | b'}') => start + 1,
                    _ => end,
                };
                let node = b.finish(frame, end);
                if let Some(done) = b.add(node) {
                    root = Some(done);
                }
            }
        }
    };
    match outcome {
        Outcome::Done if in_document => out.documents.push(Document {
            index: b.document,
            root: root.take().filter(|r| r.value != NodeValue::Null),
        }),
        // The broken document keeps its index so that later documents keep theirs.
        Outcome::SyntaxErrorAt(_) => out.documents.push(Document {
            index: b.document,
            root: None,
        }),
        _ => {}
    }
    out.problems.append(&mut b.problems);
    out.complex_keys |= b.complex_keys;
    outcome
}

fn limit_nodes(limits: &Limits, start: usize, end: usize, document: usize) -> YamlProblem {
    YamlProblem {
        kind: YamlProblemKind::Limit,
        span: Span::new(start, end),
        message: format!(
            "more than {} nodes after alias expansion (an alias bomb? `--max-nodes`); the rest of the file is not read",
            limits.max_nodes
        ),
        document,
        related: None,
    }
}

fn syntax_problem(e: &ScanError, at: usize, document: usize) -> YamlProblem {
    YamlProblem {
        kind: YamlProblemKind::Syntax,
        span: Span::new(at, at),
        message: explain(e.info()),
        document,
        related: None,
    }
}

/// The byte length of a quoted scalar at the start of `text`, closing quote included.
fn quoted_len(text: &str, style: ScalarStyle) -> Option<usize> {
    let bytes = text.as_bytes();
    let quote = match style {
        ScalarStyle::DoubleQuoted => b'"',
        _ => b'\'',
    };
    if bytes.first() != Some(&quote) {
        return None;
    }
    let mut i = 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quote == b'"' => i += 2,
            b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
            b if b == quote => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

fn resolve_scalar(value: &str, style: ScalarStyle, tag: Option<&Tag>) -> NodeValue {
    if let Some(tag) = tag {
        if tag.is_yaml_core_schema() || tag.handle == "!!" {
            match tag.suffix.as_str() {
                "str" | "binary" | "timestamp" => return NodeValue::String(value.to_string()),
                "null" | "bool" | "int" | "float" => return resolve_plain(value),
                _ => {}
            }
        }
    }
    match style {
        ScalarStyle::Plain => resolve_plain(value),
        _ => NodeValue::String(value.to_string()),
    }
}

impl Builder {
    /// The bracket of the innermost flow collection still open, with a label for it.
    fn open_flow(&self) -> Option<(Span, String)> {
        self.stack.iter().rev().find_map(|f| match f {
            Frame::Seq {
                start, flow: true, ..
            } => Some((
                Span::new(*start, *start + 1),
                "in the flow sequence that starts here".to_string(),
            )),
            Frame::Map {
                start, flow: true, ..
            } => Some((
                Span::new(*start, *start + 1),
                "in the flow mapping that starts here".to_string(),
            )),
            _ => None,
        })
    }

    /// Add a scalar: as a key, a value, or the document root.
    fn add_scalar(&mut self, node: Node, raw: &str, is_merge_key: bool) -> Option<Node> {
        if let Some(Frame::Map { pending_key, .. }) = self.stack.last_mut() {
            if pending_key.is_none() {
                let key = key_string(&node.value, raw);
                *pending_key = Some((key, node.span, is_merge_key));
                return None;
            }
        }
        self.add(node)
    }

    /// Add a finished node to the innermost collection, or return it as the document root.
    fn add(&mut self, node: Node) -> Option<Node> {
        match self.stack.last_mut() {
            None => Some(node),
            Some(Frame::Seq { items, .. }) => {
                items.push(node);
                None
            }
            Some(Frame::Map {
                entries,
                merges,
                pending_key,
                ..
            }) => match pending_key.take() {
                Some((key, key_span, is_merge)) => {
                    if is_merge {
                        merges.push(node);
                    } else {
                        entries.push(Entry {
                            key,
                            key_span,
                            value: node,
                        });
                    }
                    None
                }
                None => {
                    // A collection used as a key: Kubernetes cannot read it; keep its text.
                    *pending_key = Some(("<complex key>".into(), node.span, false));
                    self.complex_keys = true;
                    None
                }
            },
        }
    }

    fn finish(&mut self, frame: Frame, end: usize) -> Node {
        match frame {
            Frame::Seq {
                start,
                flow,
                anchor,
                items,
            } => {
                let end = if flow {
                    end
                } else {
                    items.last().map(|n| n.span.end as usize).unwrap_or(start)
                };
                let node = Node {
                    span: Span::new(start, end),
                    value: NodeValue::Seq(items),
                };
                if anchor > 0 {
                    self.anchors.insert(anchor, node.clone());
                }
                node
            }
            Frame::Map {
                start,
                flow,
                anchor,
                mut entries,
                merges,
                pending_key,
            } => {
                if let Some((key, key_span, _)) = pending_key {
                    // A key without value (can happen in flow mappings): null value.
                    entries.push(Entry {
                        key,
                        key_span,
                        value: Node {
                            span: Span::new(key_span.end as usize, key_span.end as usize),
                            value: NodeValue::Null,
                        },
                    });
                }
                let end = if flow {
                    end
                } else {
                    entries
                        .last()
                        .map(|e| e.value.span.end.max(e.key_span.end) as usize)
                        .unwrap_or(start)
                        .max(merges.last().map(|m| m.span.end as usize).unwrap_or(0))
                };
                self.report_duplicates(&entries);
                if !merges.is_empty() {
                    apply_merges(&mut entries, merges);
                }
                let node = Node {
                    span: Span::new(start, end),
                    value: NodeValue::Map(entries),
                };
                if anchor > 0 {
                    self.anchors.insert(anchor, node.clone());
                }
                node
            }
        }
    }

    fn report_duplicates(&mut self, entries: &[Entry]) {
        if entries.len() < 2 {
            return;
        }
        let mut seen: HashMap<&str, Span> = HashMap::with_capacity(entries.len());
        for e in entries {
            if let Some(first) = seen.insert(e.key.as_str(), e.key_span) {
                self.problems.push(YamlProblem {
                    kind: YamlProblemKind::DuplicateKey { first },
                    span: e.key_span,
                    message: format!("duplicate key `{}`", e.key),
                    document: self.document,
                    related: None,
                });
                // Keep the first occurrence's span for a third repeat.
                seen.insert(e.key.as_str(), first);
            }
        }
    }
}

/// Apply YAML merge keys: keys from merged mappings that the mapping does not set itself are
/// added; among several merged mappings the earlier wins.
fn apply_merges(entries: &mut Vec<Entry>, merges: Vec<Node>) {
    let mut sources: Vec<Node> = Vec::new();
    for m in merges {
        match m.value {
            NodeValue::Map(_) => sources.push(m),
            NodeValue::Seq(items) => sources.extend(items),
            _ => {}
        }
    }
    for src in sources {
        if let NodeValue::Map(src_entries) = src.value {
            for e in src_entries {
                if !entries.iter().any(|x| x.key == e.key) {
                    entries.push(e);
                }
            }
        }
    }
}

/// Convenience for tests and tools: the first document's root.
pub fn parse_one(text: &str) -> Option<Node> {
    parse_stream(text, &Limits::default())
        .documents
        .into_iter()
        .find_map(|d| d.root)
}

#[cfg(test)]
mod tests {
    #[test]
    fn pieces_are_cut_at_separator_lines() {
        let text = "a: 1\n---\nb: 2\n--- # c\nc: |\n  ---x\n---x: 3\n---\n";
        let got: Vec<&str> = super::pieces(text).collect();
        assert_eq!(
            got,
            [
                "a: 1\n",
                "---\nb: 2\n",
                "--- # c\nc: |\n  ---x\n---x: 3\n",
                "---\n"
            ]
        );
        assert_eq!(got.concat(), text);
        assert_eq!(super::pieces("").collect::<Vec<_>>(), [""]);
    }

    use super::*;
    use crate::source::locate::locate;

    fn text_at(text: &str, span: Span) -> &str {
        &text[span.range()]
    }

    #[test]
    fn spans_of_keys_and_values() {
        let text = "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: web\n    image: \"nginx:1\"\n";
        let root = parse_one(text).expect("document");
        let loc = locate(&root, "/spec/containers/0/image");
        assert_eq!(text_at(text, loc.key.expect("key")), "image");
        assert_eq!(text_at(text, loc.value), "\"nginx:1\"");
        assert!(!loc.approximate);
        let json = root.to_json();
        assert_eq!(json["spec"]["containers"][0]["name"], "web");
    }

    #[test]
    fn multi_byte_text_gets_byte_spans() {
        let text = "# héllo wörld\nkind: Pöd\nname: ünïcode\n";
        let root = parse_one(text).expect("document");
        let loc = locate(&root, "/name");
        assert_eq!(text_at(text, loc.value), "ünïcode");
    }

    #[test]
    fn byte_spans_past_many_multi_byte_characters_and_after_recovery() {
        let text = format!(
            "# {}\na: [1\n---\nb: ü{}\n---\nc: ok\n",
            "é".repeat(150),
            "ö".repeat(100)
        );
        let s = parse_stream(&text, &Limits::default());
        assert_eq!(s.problems.len(), 1);
        let roots: Vec<_> = s.documents.iter().filter_map(|d| d.root.as_ref()).collect();
        let b = roots[0].get("b").expect("b");
        assert_eq!(&text[b.key_span.range()], "b");
        assert!(text[b.value.span.range()].starts_with("üö"));
        let c = roots[1].get("c").expect("c");
        assert_eq!(&text[c.value.span.range()], "ok");
    }

    #[test]
    fn multi_document_and_recovery() {
        let text = "a: 1\n---\nb: [1, 2\n---\nc: 3\n";
        let s = parse_stream(text, &Limits::default());
        assert_eq!(s.problems.len(), 1);
        assert_eq!(s.problems[0].kind, YamlProblemKind::Syntax);
        let roots: Vec<_> = s
            .documents
            .iter()
            .filter_map(|d| d.root.as_ref().map(|r| (d.index, r.to_json())))
            .collect();
        assert_eq!(roots.len(), 2);
        assert_eq!(roots[0].0, 0);
        assert_eq!(roots[1].0, 2);
        assert_eq!(roots[1].1["c"], 3);
    }

    #[test]
    fn duplicate_keys_reported_last_wins() {
        let text = "a: 1\nb: 2\na: 3\n";
        let s = parse_stream(text, &Limits::default());
        assert_eq!(s.problems.len(), 1);
        let p = &s.problems[0];
        assert_eq!(&text[p.span.range()], "a");
        assert_eq!(p.span.start, 10);
        match p.kind {
            YamlProblemKind::DuplicateKey { first } => assert_eq!(first.start, 0),
            _ => panic!("wrong kind"),
        }
        let root = s.documents[0].root.as_ref().expect("root");
        assert_eq!(root.to_json()["a"], 3);
    }

    #[test]
    fn anchors_aliases_and_merge_keys() {
        let text = "base: &b {x: 1, z: 2}\nderived:\n  <<: *b\n  z: 3\nlist: &l [1, 2]\ncopy: *l\n";
        let root = parse_one(text).expect("document");
        let j = root.to_json();
        assert_eq!(j["derived"]["x"], 1);
        assert_eq!(j["derived"]["z"], 3);
        assert_eq!(j["copy"], serde_json::json!([1, 2]));
    }

    #[test]
    fn alias_bomb_is_bounded() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        let mut prev = 'a';
        for c in 'b'..='k' {
            text.push_str(&format!(
                "{c}: &{c} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
            prev = c;
        }
        let s = parse_stream(&text, &Limits::default());
        assert!(s.problems.iter().any(|p| p.kind == YamlProblemKind::Limit));
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let text = "[".repeat(10_000);
        let s = parse_stream(&text, &Limits::default());
        assert!(!s.problems.is_empty());
    }

    #[test]
    fn quoted_scalars_and_flow_collections_end_where_they_close() {
        let text = "a: \"x\\\"y\"  # c\nb: 'it''s'  # d\nc: \"\"  # e\n";
        let root = parse_one(text).expect("doc");
        let span = |k: &str| root.get(k).map(|e| &text[e.value.span.range()]);
        assert_eq!(span("a"), Some("\"x\\\"y\""));
        assert_eq!(span("b"), Some("'it''s'"));
        assert_eq!(span("c"), Some("\"\""));
        let text = "a: [1, 2]  # c\nb: {x: 1}  # d\n";
        let root = parse_one(text).expect("doc");
        let span = |k: &str| root.get(k).map(|e| &text[e.value.span.range()]);
        assert_eq!(span("a"), Some("[1, 2]"));
        assert_eq!(span("b"), Some("{x: 1}"));
    }

    #[test]
    fn bom_crlf_and_json() {
        let text = "\u{feff}a: 1\r\nb: two\r\n";
        let root = parse_one(text).expect("document");
        assert_eq!(root.to_json()["b"], "two");
        let root = parse_one("{\"kind\": \"Pod\", \"n\": [1, 2.5, null, true]}").expect("json");
        assert_eq!(root.to_json()["n"], serde_json::json!([1, 2.5, null, true]));
    }

    #[test]
    fn closing_bracket_at_the_key_indentation_is_accepted_like_kubectl() {
        let text = "spec:\n  command: [\n    \"/bin/sh\", \"-c\"\n  ]\n  args: [a]\n";
        let s = parse_stream(text, &Limits::default());
        assert!(s.problems.is_empty(), "{:?}", s.problems);
        let root = s.documents[0].root.as_ref().expect("root");
        assert_eq!(
            root.to_json()["spec"]["command"],
            serde_json::json!(["/bin/sh", "-c"])
        );
        let loc = locate(root, "/spec/args");
        assert_eq!(text_at(text, loc.key.expect("key")), "args");
    }

    #[test]
    fn kubectl_document_separators() {
        // (text, the start of the refused text, if any)
        let cases: &[(&str, Option<&str>)] = &[
            ("a: 1\n---\nb: 2\n", None),
            ("a: 1\n--- # second\nb: 2\n", None),
            ("a: 1\n---   \nb: 2\n", None),
            ("a: 1\r\n---\r\nb: 2\r\n", None),
            ("--- |\n  text\n", None),
            ("--- {a: 1}\n", None),
            ("a: 1\n--- {b: 2}\n", Some("{b: 2}")),
            ("a: 1\n--- |\n  text\n", Some("|")),
            ("a: 1\n---b: 2\n", Some("b: 2")),
            ("%YAML 1.1\n---\na: 1\n", Some("%YAML 1.1")),
            ("# c\n%TAG !e! tag:e,2000:\n--- # d\na: 1\n", Some("%TAG")),
            ("a: 1\n---\n\n%YAML 1.1\n---\nb: 2\n", Some("%YAML")),
            ("a: 1\n%YAML 1.1\n---\nb: 2\n", None),
            ("a: 1\n---\n...\n---\nb: 2\n", Some("...")),
            ("a: 1\n...\n---\nb: 2\n", None),
            ("a: 1\n---\n\u{feff}b: 2\nc: 3\n", None),
            ("a: |\n  ---\n  %x\n", None),
        ];
        for (text, refused) in cases {
            let s = parse_stream(text, &Limits::default());
            let syntax: Vec<_> = s
                .problems
                .iter()
                .filter(|p| p.kind == YamlProblemKind::Syntax)
                .collect();
            match refused {
                None => assert!(syntax.is_empty(), "{text:?}: {syntax:?}"),
                Some(at) => {
                    assert_eq!(syntax.len(), 1, "{text:?}: {syntax:?}");
                    assert!(text[syntax[0].span.range()].starts_with(at), "{text:?}");
                }
            }
        }
    }

    #[test]
    fn every_refused_separator_is_reported_once() {
        let text = "a: 1\n--- x\n".repeat(20_000);
        let s = parse_stream(&text, &Limits::default());
        let refused = s
            .problems
            .iter()
            .filter(|p| p.message.contains("document separator"))
            .count();
        assert_eq!(refused, 20_000);
        assert!(s
            .problems
            .windows(2)
            .all(|w| w[0].span.start <= w[1].span.start));
    }

    #[test]
    fn flow_collections_across_lines_read_like_libyaml() {
        let text =
            "spec:\n  args: [\"\n    echo hi\n  \"]\n  command: [\n    \"sh\"  # last\n  ]\n";
        let s = parse_stream(text, &Limits::default());
        assert!(s.problems.is_empty(), "{:?}", s.problems);
        let j = s.documents[0].root.as_ref().expect("root").to_json();
        assert_eq!(j["spec"]["args"], serde_json::json!([" echo hi "]));
        assert_eq!(j["spec"]["command"], serde_json::json!(["sh"]));
        // A key and its `:` on different lines is refused in flow collections too.
        let s = parse_stream("a: {b\n: c}\n", &Limits::default());
        assert_eq!(s.problems.len(), 1);
    }

    #[test]
    fn an_aliased_scalar_is_a_key() {
        let text = "a: &k x\nb:\n  *k : 1\n  y: 2\n";
        let s = parse_stream(text, &Limits::default());
        assert!(!s.complex_keys);
        let j = s.documents[0].root.as_ref().expect("root").to_json();
        assert_eq!(j["b"]["x"], 1);
        let s = parse_stream("a: &k x\nb:\n  x: 1\n  *k : 2\n", &Limits::default());
        assert!(s
            .problems
            .iter()
            .any(|p| matches!(p.kind, YamlProblemKind::DuplicateKey { .. })));
    }

    #[test]
    fn tabs_where_libyaml_refuses_them() {
        for (text, ok) in [
            ("a:\t1\n", true),
            ("a: 1\t# c\n", true),
            ("a: [1,\n\t2]\n", true),
            ("x:\n-\ta\n", false),
            ("x:\n  \ta: 1\n", false),
            ("a: \"1\"\n\t\nb: 2\n", false),
            ("a: 1\n\t\nb: 2\n", false),
        ] {
            let s = parse_stream(text, &Limits::default());
            assert_eq!(s.problems.is_empty(), ok, "{text:?}: {:?}", s.problems);
        }
    }

    #[test]
    fn empty_and_comment_only_documents() {
        let s = parse_stream(
            "# only a comment\n---\n---\n# another\n",
            &Limits::default(),
        );
        assert!(s.problems.is_empty());
        assert!(s.documents.iter().all(|d| d.root.is_none()));
    }
}
