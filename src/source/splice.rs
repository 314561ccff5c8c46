//! Re-parsing part of a document after an edit. The language server keeps the spanned tree
//! of a large document; when an edit falls inside one of its block collections, only that
//! collection's lines are parsed again, on their own, and the result is spliced into the old
//! tree (its spans moved into place, the spans after it moved by the edit's length).
//!
//! This is right only when the collection's lines read the same alone as in the document.
//! [`reparse`] makes sure of it, conservatively, and declines (leaving the tree untouched)
//! on any doubt; the caller then parses the whole text. The collection must:
//! - start its first line (nothing but spaces before it) at a column greater than 0, be a
//!   block collection, and enclose the edit within its lines;
//! - be followed by the end of the text or by a line that holds something (a comment or a
//!   node, not a blank line a kept block scalar could take) indented less than it, so the
//!   edit cannot make it run on;
//! - after the edit, still be lines indented at least as deep as it (or empty), without
//!   carriage returns, tabs in indentation, anchors, aliases or merge keys anywhere near, that
//!   parse alone without a problem into one collection of the same kind at the same column.
//!
//! Then the parser reaches the collection's first line in the same state as before (the text
//! before it is unchanged), reads its lines as it reads them alone (nothing in them refers to
//! anything outside, and no line leaves its indentation), and leaves it at the same next line.

use super::{parse_stream, Entry, Limits, Node, NodeValue, Span};

/// A document's tree kept for the next edit, with the parser's count of its nodes (keys
/// included: the node budget counts them) and, when its holder keeps it, its JSON value
/// (`root.to_json()`), which a splice updates too.
#[derive(Debug, Clone)]
pub struct KeptDocument {
    pub root: Node,
    pub json: Option<serde_json::Value>,
    events: usize,
}

impl KeptDocument {
    pub fn new(root: Node) -> KeptDocument {
        let events = events(&root);
        KeptDocument {
            root,
            json: None,
            events,
        }
    }
}

/// The JSON value at the tree path `path` (child indices) of `root`, in `json`.
fn json_at<'j>(
    root: &Node,
    path: &[usize],
    mut json: &'j mut serde_json::Value,
) -> Option<&'j mut serde_json::Value> {
    let mut node = root;
    for &i in path {
        json = match &node.value {
            NodeValue::Seq(_) => json.get_mut(i)?,
            NodeValue::Map(entries) => json.get_mut(&entries.get(i)?.key)?,
            _ => return None,
        };
        node = child(node, i);
    }
    Some(json)
}

/// The parser events (collections, scalars, keys) a tree was read from.
fn events(node: &Node) -> usize {
    match &node.value {
        NodeValue::Seq(items) => 1 + items.iter().map(events).sum::<usize>(),
        NodeValue::Map(entries) => 1 + entries.iter().map(|e| 1 + events(&e.value)).sum::<usize>(),
        _ => 1,
    }
}

/// How many collections nest in `node`, itself included (0 for a scalar).
fn depth(node: &Node) -> usize {
    match &node.value {
        NodeValue::Seq(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        NodeValue::Map(entries) => 1 + entries.iter().map(|e| depth(&e.value)).max().unwrap_or(0),
        _ => 0,
    }
}

/// Update `doc` (the only document of `old`, read without any problem) to the tree of `new`,
/// re-parsing only the block collection that encloses the edit. Returns whether it did;
/// when not, `doc` is unchanged and only a parse of `new` gives its tree.
pub fn reparse(old: &str, new: &str, doc: &mut KeptDocument, limits: &Limits) -> bool {
    let (ob, nb) = (old.as_bytes(), new.as_bytes());
    let prefix = common_prefix(ob, nb);
    let room = ob.len().min(nb.len()) - prefix;
    let suffix = common_suffix(&ob[prefix..], &nb[prefix..]).min(room);
    let (edit_start, edit_end) = (prefix, ob.len() - suffix);
    if prefix == ob.len() && ob.len() == nb.len() {
        return true;
    }
    if memchr::memmem::find(ob, b"<<").is_some() {
        // A merge key copies entries: the copies would keep the old text.
        return false;
    }
    let delta = nb.len() as i64 - ob.len() as i64;
    let path = enclosing(&doc.root, ob, edit_start, edit_end);
    // The deepest collections first; a few tries at most (each parses its lines).
    // Every collection from the root down must be a block one (a flow collection's entries
    // read differently alone).
    let block = |n: &Node| !matches!(ob.get(n.span.start as usize), Some(b'[' | b'{'));
    let mut chain = vec![&doc.root];
    for &i in &path {
        chain.push(child(chain[chain.len() - 1], i));
    }
    let blocks = chain.iter().take_while(|n| block(n)).count();
    for len in (1..=path.len().min(blocks.saturating_sub(1))).rev().take(3) {
        let node = chain[len];
        let Some(region) = region(ob, node) else {
            continue;
        };
        if region.start > edit_start || edit_end > region.end {
            continue;
        }
        let new_end = (region.end as i64 + delta) as usize;
        // The edit may not join the region's last line to the line after it.
        if new_end < nb.len() && nb.get(new_end.wrapping_sub(1)) != Some(&b'\n') {
            continue;
        }
        let Some(fresh) = read_alone(new, region.start..new_end, region.column, node) else {
            continue;
        };
        if anchors_or_aliases(&ob[region.start..region.end]) {
            return false;
        }
        // Depth and node budget as the whole parse counts them: the collection is pushed on
        // `len` open ones; the budget, with room to spare for empty values.
        if len + depth(&fresh) > limits.max_depth {
            return false;
        }
        let total = doc.events - events(node) + events(&fresh);
        if total > limits.max_nodes / 2 {
            return false;
        }
        // The JSON value: the same object but under the path (keys are unique: the parse
        // was clean, and there are no merge keys).
        if let Some(json) = doc.json.as_mut() {
            match json_at(&doc.root, &path[..len], json) {
                Some(at) => *at = fresh.to_json(),
                None => doc.json = None,
            }
        }
        splice(&mut doc.root, &path[..len], fresh, region.end as u32, delta);
        doc.events = total;
        return true;
    }
    false
}

/// How many bytes `a` and `b` share at their start (compared a block at a time).
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 256;
    let len = a.len().min(b.len());
    let mut at = 0;
    while at + BLOCK <= len && a[at..at + BLOCK] == b[at..at + BLOCK] {
        at += BLOCK;
    }
    at + a[at..len]
        .iter()
        .zip(&b[at..len])
        .take_while(|(x, y)| x == y)
        .count()
}

/// How many bytes `a` and `b` share at their end.
fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 256;
    let len = a.len().min(b.len());
    let (a, b) = (&a[a.len() - len..], &b[b.len() - len..]);
    let mut n = 0;
    while n + BLOCK <= len && a[len - n - BLOCK..len - n] == b[len - n - BLOCK..len - n] {
        n += BLOCK;
    }
    n + a[..len - n]
        .iter()
        .rev()
        .zip(b[..len - n].iter().rev())
        .take_while(|(x, y)| x == y)
        .count()
}

/// The lines of a block collection in a text: `start..end` whole lines, its column.
struct Region {
    start: usize,
    end: usize,
    column: usize,
}

/// The lines of `node` when it is a block collection that starts its line at a column past
/// 0, and the line after them (if any) holds something indented less.
fn region(text: &[u8], node: &Node) -> Option<Region> {
    let start = node.span.start as usize;
    match node.value {
        NodeValue::Map(ref m) if !m.is_empty() => {}
        NodeValue::Seq(ref s) if !s.is_empty() => {}
        _ => return None,
    }
    if matches!(text.get(start), Some(b'[' | b'{') | None) {
        return None;
    }
    let line = memchr::memrchr(b'\n', &text[..start]).map_or(0, |i| i + 1);
    let column = start - line;
    if column == 0 || text[line..start].iter().any(|&b| b != b' ') {
        return None;
    }
    let last = (node.span.end as usize).max(start + 1) - 1;
    let end = memchr::memchr(b'\n', &text[last..]).map_or(text.len(), |i| last + i + 1);
    // (A block scalar's span may run into the next line: then that line is not the node's.)
    if !indented(&text[line..end], column) {
        return None;
    }
    if end < text.len() {
        let next = &text[end..];
        let next = &next[..memchr::memchr(b'\n', next).unwrap_or(next.len())];
        let indent = next.iter().take_while(|&&b| b == b' ').count();
        match next.get(indent) {
            None | Some(b'\t' | b'\r') => return None,
            Some(_) if indent >= column => return None,
            Some(_) => {}
        }
    }
    Some(Region {
        start: line,
        end,
        column,
    })
}

/// The tree of `new[range]` read alone, spans moved to their place in `new`, when it reads as
/// one block collection of `old`'s kind at `column` and nothing in it can read differently
/// in the document.
fn read_alone(new: &str, range: std::ops::Range<usize>, column: usize, old: &Node) -> Option<Node> {
    let text = new.get(range.clone())?;
    let bytes = text.as_bytes();
    if memchr::memchr(b'\r', bytes).is_some() || anchors_or_aliases(bytes) {
        return None;
    }
    if !indented(bytes, column) {
        return None;
    }
    // The limits are the document's; the depth and the budget are checked by the caller.
    let limits = Limits {
        max_depth: usize::MAX,
        max_nodes: usize::MAX,
        ..Limits::default()
    };
    // Read with a document marker after it: as the less indented line after it in the
    // document, the marker ends every collection and every key still open (at the end of
    // the text alone, the parser lets a dangling key pass).
    let closed = format!(
        "{text}{}---\n",
        if text.ends_with('\n') { "" } else { "\n" }
    );
    let parsed = parse_stream(&closed, &limits);
    if !parsed.problems.is_empty()
        || parsed.complex_keys
        || parsed.documents.len() != 2
        || parsed.documents[1].root.is_some()
    {
        return None;
    }
    let mut root = parsed.documents.into_iter().next()?.root?;
    let same_kind = matches!(
        (&root.value, &old.value),
        (NodeValue::Map(_), NodeValue::Map(_)) | (NodeValue::Seq(_), NodeValue::Seq(_))
    );
    if !same_kind || root.span.start as usize != column {
        return None;
    }
    // A block scalar's span runs on over the indentation of the lines after it, which the
    // region does not hold (and an empty value's place may be taken from them): the last
    // value must be text on one line (a block scalar's span always holds a line break).
    let mut last = &root;
    loop {
        last = match &last.value {
            NodeValue::Seq(items) => match items.last() {
                Some(n) => n,
                None => break,
            },
            NodeValue::Map(entries) => match entries.last() {
                Some(e) => &e.value,
                None => break,
            },
            _ => break,
        };
    }
    let written = text.get(last.span.range()).unwrap_or("");
    if written.trim().is_empty() || written.contains('\n') {
        return None;
    }
    // Nor may the collection end past its last character: what ends at the next token (the
    // marker here) ends elsewhere in the document.
    if root.span.end as usize > text.trim_end().len() {
        return None;
    }
    shift(&mut root, 0, range.start as i64);
    Some(root)
}

/// Whether every line of `bytes` that holds anything is indented at least `column` spaces
/// (and no blank line holds a tab).
fn indented(bytes: &[u8], column: usize) -> bool {
    bytes.split(|&b| b == b'\n').all(|line| {
        let indent = line.iter().take_while(|&&b| b == b' ').count();
        let blank = line[indent..].iter().all(|b| b.is_ascii_whitespace());
        if blank {
            !line[indent..].contains(&b'\t')
        } else {
            indent >= column
        }
    })
}

/// Whether `bytes` may hold an anchor (`&x`) or an alias (`*x`): either sign where a node may
/// start, followed by a name.
fn anchors_or_aliases(bytes: &[u8]) -> bool {
    memchr::memchr2_iter(b'&', b'*', bytes).any(|at| {
        let before = at.checked_sub(1).map(|i| bytes[i]);
        let after = bytes.get(at + 1).copied();
        matches!(
            before,
            None | Some(b' ' | b'\t' | b'\n' | b'[' | b'{' | b',' | b':' | b'-' | b'?')
        ) && after.is_some_and(|c| !c.is_ascii_whitespace())
    })
}

/// The child indices, from the root, of the nodes whose lines enclose the edit `start..end`
/// (a node's lines: from its line's start to its last line's end).
fn enclosing(root: &Node, text: &[u8], start: usize, end: usize) -> Vec<usize> {
    let line_start =
        |at: usize| memchr::memrchr(b'\n', &text[..at.min(text.len())]).map_or(0, |i| i + 1);
    let encloses = |n: &Node| {
        let from = line_start(n.span.start as usize);
        let last = (n.span.end as usize).max(n.span.start as usize + 1) - 1;
        let to = memchr::memchr(b'\n', &text[last.min(text.len())..])
            .map_or(text.len(), |i| last + i + 1);
        from <= start && end <= to
    };
    let mut path = Vec::new();
    let mut node = root;
    loop {
        let next = match &node.value {
            NodeValue::Seq(items) => {
                let i = items.partition_point(|n| (n.span.start as usize) <= start);
                i.checked_sub(1)
                    .into_iter()
                    .chain([i])
                    .find(|&i| items.get(i).is_some_and(encloses))
            }
            NodeValue::Map(entries) => {
                let i = entries.partition_point(|e| (e.value.span.start as usize) <= start);
                i.checked_sub(1)
                    .into_iter()
                    .chain([i])
                    .find(|&i| entries.get(i).is_some_and(|e| encloses(&e.value)))
            }
            _ => None,
        };
        let Some(i) = next else { break };
        path.push(i);
        node = child(node, i);
    }
    path
}

fn child(node: &Node, i: usize) -> &Node {
    match &node.value {
        NodeValue::Seq(items) => &items[i],
        NodeValue::Map(entries) => &entries[i].value,
        _ => node,
    }
}

/// Move every span in `node` that starts at or after `from` by `delta` bytes.
fn shift(node: &mut Node, from: u32, delta: i64) {
    let moved = |s: &mut Span| {
        if s.start >= from {
            s.start = (s.start as i64 + delta) as u32;
            s.end = (s.end as i64 + delta) as u32;
        }
    };
    moved(&mut node.span);
    match &mut node.value {
        NodeValue::Seq(items) => {
            for n in items {
                shift(n, from, delta);
            }
        }
        NodeValue::Map(entries) => {
            for e in entries {
                shift_entry(e, from, delta);
            }
        }
        _ => {}
    }
}

/// Put `fresh` at `path` under `node`, move what follows the old region (which ended at
/// `end`) by `delta`, and end each enclosing collection where its last child now ends.
fn splice(node: &mut Node, path: &[usize], fresh: Node, end: u32, delta: i64) {
    let Some((&i, rest)) = path.split_first() else {
        *node = fresh;
        return;
    };
    match &mut node.value {
        NodeValue::Seq(items) => {
            splice(&mut items[i], rest, fresh, end, delta);
            for n in &mut items[i + 1..] {
                shift(n, end, delta);
            }
            node.span.end = items.last().map_or(node.span.start, |n| n.span.end);
        }
        NodeValue::Map(entries) => {
            splice(&mut entries[i].value, rest, fresh, end, delta);
            for e in &mut entries[i + 1..] {
                shift_entry(e, end, delta);
            }
            node.span.end = entries
                .last()
                .map_or(node.span.start, |e| e.value.span.end.max(e.key_span.end));
        }
        _ => {}
    }
}

fn shift_entry(e: &mut Entry, from: u32, delta: i64) {
    if e.key_span.start >= from {
        e.key_span.start = (e.key_span.start as i64 + delta) as u32;
        e.key_span.end = (e.key_span.end as i64 + delta) as u32;
    }
    shift(&mut e.value, from, delta);
}
