//! Fixes: turning a rule's [`FixPlan`] (expressed in pointers) into text edits, and applying
//! edits to a file. Edits touch only the bytes they must: comments and the rest of the file
//! stay byte for byte.

use crate::diagnostic::{Edit, Fix, Locator};
use crate::model::Object;
use crate::pointer;
use crate::rules::FixPlan;
use crate::source::{Entry, Node, NodeValue, Span};

/// Resolve a plan into edits, or `None` when it cannot be applied safely here.
pub fn plan_to_fix(
    loc: &Locator,
    root: &Node,
    object: &Object,
    title: &str,
    plan: &FixPlan,
) -> Option<Fix> {
    let (keys, into): (Vec<&str>, &str) = match plan {
        FixPlan::MoveKey { from, to } => (vec![from.as_str()], to.as_str()),
        FixPlan::NestKeys { keys, into } => (keys.iter().map(String::as_str).collect(), into),
        FixPlan::RenameKey { key, to } => {
            let edit = rename_key(loc.text, root, &object.absolute(key), to)?;
            return Some(Fix {
                message: title.to_string(),
                edits: vec![loc.edit(edit.0, edit.1)],
            });
        }
    };
    let keys: Vec<String> = keys.iter().map(|k| object.absolute(k)).collect();
    let into = object.absolute(into);
    let mut edits = move_keys(loc.text, root, &keys, &into)?;
    // In file order; an insertion comes before a deletion starting at the same place.
    edits.sort_by_key(|(span, _)| (span.start, span.end));
    // Edits of one fix never overlap (odd layouts can make the target lie inside a moved
    // block): such a fix is not offered.
    if edits.windows(2).any(|w| w[1].0.start < w[0].0.end) {
        return None;
    }
    Some(Fix {
        message: title.to_string(),
        edits: edits
            .into_iter()
            .map(|(span, content)| loc.edit(span, content))
            .collect(),
    })
}

/// The edit that renames the key at `key` (an absolute pointer) to `to`: `None` when the key
/// is merged in from elsewhere, is not written as the plain word it names (quoted, or a
/// complex key), or its mapping already has `to`.
fn rename_key(text: &str, root: &Node, key: &str, to: &str) -> Option<(Span, String)> {
    let (parent_ptr, name) = pointer::split_last(key)?;
    let (parent, _) = root.walk(pointer::each_token(parent_ptr))?;
    let e = parent.get(&name)?;
    if parent.get(to).is_some() || !within(parent.span, e.key_span) {
        return None;
    }
    let written = text.get(e.key_span.start as usize..e.key_span.end as usize)?;
    (written == name).then(|| (e.key_span, to.to_string()))
}

/// Where moved blocks go.
struct Destination {
    /// Indentation (in bytes) of the keys of the target mapping.
    indent: usize,
    /// Byte offset where the moved lines are inserted (a line start, or the end of the text).
    insert_at: usize,
    /// For a null target: the span of the null value, replaced by nothing.
    clear: Option<Span>,
    /// Lines that create the missing mappings (and list) the keys go into, written before
    /// them: `securityContext:\n`.
    header: String,
    /// When the keys go into a new list item: the column of its `-`.
    dash: Option<usize>,
    /// The moved keys go into a new key of their own mapping, written where the first of them
    /// stood (`path`, `port` nested under a new `httpGet:`): a first key that carries its
    /// list item's `-` keeps it for the new key.
    in_place: bool,
}

/// Edits that move the keys at `keys` (absolute pointers into one block mapping) into the
/// block mapping, or null value, at `into`. `into` may also be missing: the mappings (and a
/// one-item list, for a `/0` token) that lead to it are created, indented like the rest of
/// the file. `None` whenever the result could not be exactly what the author meant: flow
/// style, merged or aliased entries, a target that already has the key, a mapping left empty.
fn move_keys(text: &str, root: &Node, keys: &[String], into: &str) -> Option<Vec<(Span, String)>> {
    let first = keys.first()?;
    let (parent_ptr, _) = pointer::split_last(first)?;
    let (parent, _) = root.walk(pointer::each_token(parent_ptr))?;
    let entries = parent.as_map()?;
    if is_flow(text, parent) {
        return None;
    }
    let mut moving: Vec<&Entry> = Vec::new();
    for k in keys {
        let (p, key) = pointer::split_last(k)?;
        if p != parent_ptr || pointer::starts_with(into, k) {
            return None;
        }
        let e = parent.get(&key)?;
        if !within(parent.span, e.key_span) || moving.iter().any(|m| m.key_span == e.key_span) {
            return None; // merged from an anchor elsewhere, or named twice
        }
        moving.push(e);
    }
    moving.sort_by_key(|e| e.key_span.start);
    let dest = match root.walk(pointer::each_token(into)) {
        Some(_) => destination(text, root, into, &moving)?,
        None => created_destination(text, root, parent_ptr, into, &moving)?,
    };
    if !dest.in_place && keys.len() >= entries.len() {
        return None;
    }

    let mut edits = Vec::new();
    let mut moved = String::new();
    for (n, e) in moving.iter().enumerate() {
        let (remove, block) = entry_block(text, parent, e, &moving, dest.in_place && n == 0)?;
        if remove.start < dest.insert_at as u32
            && dest.insert_at as u32 <= remove.end.saturating_sub(1)
        {
            return None;
        }
        moved.push_str(&reindent(
            text,
            block,
            e.key_span.start as usize,
            dest.indent,
        )?);
        edits.push((remove, String::new()));
    }
    if let Some(dash) = dest.dash {
        // The first moved line opens the new list item.
        let pad = dest.indent;
        if moved.len() < pad || !moved.is_char_boundary(pad) {
            return None;
        }
        moved = format!("{}- {}", " ".repeat(dash), &moved[pad..]);
    }
    let mut content = dest.header.clone();
    content.push_str(&moved);
    // At the end of a file without a final line break, start a line — unless the last line
    // is the one moved away, which leaves the text ending in a line break.
    let last_line_moved = edits.iter().any(|(span, _): &(Span, String)| {
        span.end as usize == text.len() && text[..span.start as usize].ends_with('\n')
    });
    if dest.insert_at == text.len() && !text.is_empty() && !text.ends_with('\n') && !last_line_moved
    {
        content.insert_str(0, newline(text));
    }
    if let Some(clear) = dest.clear {
        edits.push((clear, String::new()));
    }
    edits.push((Span::new(dest.insert_at, dest.insert_at), content));
    Some(edits)
}

/// Where keys go when `into` does not exist yet: under its deepest existing ancestor, a block
/// mapping, with the missing levels created. The missing tokens are mapping keys, or `0`
/// right after a key (a new list with one item).
fn created_destination(
    text: &str,
    root: &Node,
    parent_ptr: &str,
    into: &str,
    moving: &[&Entry],
) -> Option<Destination> {
    let tokens = pointer::tokens(into);
    let mut existing = 0;
    while existing < tokens.len() && root.walk(&tokens[..existing + 1]).is_some() {
        existing += 1;
    }
    let ancestor_ptr = pointer::join("", &tokens[..existing]);
    let missing = &tokens[existing..];
    let (ancestor, _) = root.walk(&tokens[..existing])?;
    let entries = ancestor.as_map()?;
    if is_flow(text, ancestor) || entries.is_empty() {
        return None;
    }
    if entries.iter().any(|e| !within(ancestor.span, e.key_span)) {
        return None;
    }
    // Keys, or `0` after a key; never starting with an index, never ending with one twice.
    for (i, t) in missing.iter().enumerate() {
        let numeric = !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
        if numeric && (t != "0" || i == 0 || missing[i - 1].bytes().all(|b| b.is_ascii_digit())) {
            return None;
        }
        if !numeric && (t.is_empty() || t.contains(['\n', ':', '#'])) {
            return None;
        }
    }
    let (step, seq_offset) = indentation(text, root);
    let first = entries.iter().min_by_key(|e| e.key_span.start)?;
    let last = entries.iter().max_by_key(|e| e.key_span.start)?;
    let in_place = ancestor_ptr == parent_ptr;
    let (base, insert_at, mut header) = if in_place {
        let e = moving.first()?;
        if at_line_start(text, e) {
            let col = key_column(text, e);
            let line = line_start(text, e.key_span.start as usize);
            (col, leading_comments(text, line, col), String::new())
        } else {
            // The first key carries the `- ` of its list item: the new key takes its place.
            (
                key_column(text, e),
                e.key_span.start as usize,
                String::new(),
            )
        }
    } else {
        (
            key_column(text, first),
            block_end(text, last),
            String::new(),
        )
    };
    let nl = newline(text);
    let mut col = base;
    let mut dash: Option<usize> = None;
    for (i, t) in missing.iter().enumerate() {
        if t == "0" {
            let d = col - step + seq_offset;
            dash = Some(d);
            col = d + 2;
            continue;
        }
        let lead = match dash.take() {
            Some(d) => format!("{}- ", " ".repeat(d)),
            None if in_place && i == 0 && !at_line_start(text, moving.first()?) => String::new(),
            None => " ".repeat(col),
        };
        header.push_str(&lead);
        header.push_str(t);
        header.push(':');
        header.push_str(nl);
        col += step;
    }
    Some(Destination {
        indent: col,
        insert_at,
        clear: None,
        header,
        dash,
        in_place,
    })
}

/// The file's indentation: how far a nested mapping's keys stand right of their parent key,
/// and how far a list's `-` stands right of its key (0 for `key:\n- item`). The most common
/// of each in the file; 2 and 0 when the file shows none.
fn indentation(text: &str, root: &Node) -> (usize, usize) {
    fn walk(text: &str, node: &Node, steps: &mut Vec<usize>, seqs: &mut Vec<usize>) {
        match &node.value {
            NodeValue::Map(entries) => {
                for e in entries {
                    if !within(node.span, e.key_span) {
                        continue;
                    }
                    let kc = column(text, e.key_span.start as usize);
                    let at_line = at_line_start(text, e)
                        || text[..e.key_span.start as usize]
                            .trim_end_matches(' ')
                            .ends_with('-');
                    if at_line && !is_flow(text, &e.value) {
                        let start = e.value.span.start as usize;
                        let on_own_line = line_start(text, start) > e.key_span.start as usize;
                        match &e.value.value {
                            NodeValue::Map(_) if on_own_line => {
                                let c = column(text, start);
                                if c > kc {
                                    steps.push(c - kc);
                                }
                            }
                            NodeValue::Seq(_) if on_own_line => {
                                // The list's span may start at its first item, after `- `.
                                let ls = line_start(text, start);
                                if let Some(dash) = text[ls..start].rfind('-') {
                                    if dash >= kc {
                                        seqs.push(dash - kc);
                                    }
                                } else if column(text, start) >= kc {
                                    seqs.push(column(text, start) - kc);
                                }
                            }
                            _ => {}
                        }
                    }
                    walk(text, &e.value, steps, seqs);
                }
            }
            NodeValue::Seq(items) => {
                for n in items {
                    walk(text, n, steps, seqs);
                }
            }
            _ => {}
        }
    }
    let (mut steps, mut seqs) = (Vec::new(), Vec::new());
    walk(text, root, &mut steps, &mut seqs);
    let most = |v: &[usize], default: usize| {
        let mut best = (0usize, default);
        for x in v {
            let n = v.iter().filter(|y| *y == x).count();
            if n > best.0 || (n == best.0 && *x < best.1) {
                best = (n, *x);
            }
        }
        best.1
    };
    (most(&steps, 2).max(1), most(&seqs, 0))
}

fn destination(text: &str, root: &Node, into: &str, moving: &[&Entry]) -> Option<Destination> {
    let (node, key_span) = root.walk(pointer::each_token(into))?;
    match &node.value {
        NodeValue::Map(entries) => {
            if is_flow(text, node) || entries.is_empty() {
                return None;
            }
            if moving.iter().any(|m| node.get(&m.key).is_some()) {
                return None;
            }
            if entries.iter().any(|e| !within(node.span, e.key_span)) {
                return None;
            }
            let first = entries.iter().min_by_key(|e| e.key_span.start)?;
            let last = entries.iter().max_by_key(|e| e.key_span.start)?;
            Some(Destination {
                indent: column(text, first.key_span.start as usize),
                insert_at: block_end(text, last),
                clear: None,
                header: String::new(),
                dash: None,
                in_place: false,
            })
        }
        NodeValue::Null => {
            // `downwardAPI:` (or `: null`, `: ~`) as a key of a block mapping.
            let key_span = key_span?;
            let after_key = key_span.end as usize;
            let colon = after_key + text.get(after_key..)?.find(':')?;
            if !text[after_key..colon].trim().is_empty() {
                return None;
            }
            let line_end = text[colon..]
                .find('\n')
                .map(|i| colon + i)
                .unwrap_or(text.len());
            let rest = text[colon + 1..line_end].trim_end_matches('\r');
            let value = rest.split('#').next().unwrap_or("").trim();
            if !matches!(value, "" | "null" | "Null" | "NULL" | "~") {
                return None;
            }
            let clear = if value.is_empty() {
                None
            } else {
                let start = colon + 1 + rest.find(value)?;
                // Also drop the space before the null token.
                let ws = text[colon + 1..start].len();
                Some(Span::new(start - ws, start + value.len()))
            };
            let insert_at = if line_end < text.len() {
                line_end + 1
            } else {
                text.len()
            };
            Some(Destination {
                indent: column(text, key_span.start as usize) + 2,
                insert_at,
                clear,
                header: String::new(),
                dash: None,
                in_place: false,
            })
        }
        _ => None,
    }
}

/// Whether an entry's key is the first thing on its line (not after a `- `).
fn at_line_start(text: &str, e: &Entry) -> bool {
    let start = e.key_span.start as usize;
    text[line_start(text, start)..start]
        .bytes()
        .all(|b| b == b' ')
}

/// The column of an entry's key.
fn key_column(text: &str, e: &Entry) -> usize {
    column(text, e.key_span.start as usize)
}

/// The span to delete for a moved entry and the span of its text to move: from its own
/// leading comment lines (comment lines directly above the key, at its indentation) to the
/// end of its last line. `in_place`: a new key is written where this one stands.
fn entry_block(
    text: &str,
    parent: &Node,
    e: &Entry,
    moving: &[&Entry],
    in_place: bool,
) -> Option<(Span, Span)> {
    let key_start = e.key_span.start as usize;
    let line_start = line_start(text, key_start);
    let end = block_end(text, e);
    let before = &text[line_start..key_start];
    if before.bytes().all(|b| b == b' ') {
        let col = key_start - line_start;
        let start = leading_comments(text, line_start, col);
        return Some((Span::new(start, end), Span::new(start + col, end)));
    }
    let block = Span::new(key_start, end);
    // The first key of a sequence item (`- items: ...`): the next key takes its place.
    if before.trim_start().trim_end() == "-" {
        if in_place {
            // The `- ` stays, for the new key written in its place.
            return Some((Span::new(key_start, end), block));
        }
        let next = parent
            .as_map()?
            .iter()
            .filter(|n| n.key_span.start > e.key_span.start)
            .min_by_key(|n| n.key_span.start)?;
        if moving.iter().any(|m| m.key_span == next.key_span) {
            return None;
        }
        return Some((Span::new(key_start, next.key_span.start as usize), block));
    }
    None
}

/// The start of the comment lines directly above the line at `line` whose `#` stands at
/// column `col` (or `line` itself when there are none).
fn leading_comments(text: &str, line: usize, col: usize) -> usize {
    let mut start = line;
    while start > 0 {
        let prev = line_start(text, start - 1);
        let body = text[prev..start].trim_end_matches(['\n', '\r']);
        let lead = body.len() - body.trim_start_matches(' ').len();
        if lead == col && body[lead..].starts_with('#') {
            start = prev;
        } else {
            break;
        }
    }
    start
}

/// The text of `block` (from a key to the end of its last line) re-indented from the key's
/// column to `indent`.
fn reindent(text: &str, block: Span, key_start: usize, indent: usize) -> Option<String> {
    let from = column(text, key_start);
    let mut out = String::new();
    let pad = " ".repeat(indent);
    for (i, line) in text[block.range()].split_inclusive('\n').enumerate() {
        if i == 0 {
            out.push_str(&pad);
            out.push_str(line);
            continue;
        }
        let body = line.trim_end_matches(['\n', '\r']);
        if body.trim().is_empty() {
            out.push_str(&line[body.len()..]);
            continue;
        }
        let lead = body.len() - body.trim_start_matches(' ').len();
        if lead < from {
            return None;
        }
        out.push_str(&pad);
        out.push_str(&line[from..]);
    }
    if !out.ends_with('\n') {
        out.push_str(newline(text));
    }
    Some(out)
}

/// Offset just past the line holding the last content of an entry.
fn block_end(text: &str, e: &Entry) -> usize {
    let mut last = (e.value.span.end.max(e.key_span.end) as usize).min(text.len());
    let floor = e.key_span.end as usize;
    while last > floor && text.as_bytes()[last - 1].is_ascii_whitespace() {
        last -= 1;
    }
    text[last..]
        .find('\n')
        .map(|i| last + i + 1)
        .unwrap_or(text.len())
}

/// The file's line break.
fn newline(text: &str) -> &'static str {
    if text.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    }
}

fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map(|i| i + 1).unwrap_or(0)
}

fn column(text: &str, at: usize) -> usize {
    at - line_start(text, at)
}

fn is_flow(text: &str, node: &Node) -> bool {
    matches!(
        text.as_bytes().get(node.span.start as usize),
        Some(b'{' | b'[')
    )
}

fn within(outer: Span, inner: Span) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

/// Apply whole fixes to `text`: a fix whose edits overlap an earlier fix's is skipped (a
/// second run picks it up). Returns the new text and how many fixes were applied.
pub fn apply_fixes(text: &str, fixes: &[&Fix]) -> (String, usize) {
    let mut accepted: Vec<&Edit> = Vec::new();
    let mut applied = 0;
    let mut ordered: Vec<&Fix> = fixes.to_vec();
    ordered.sort_by_key(|f| f.edits.iter().map(|e| e.span.start).min());
    for f in ordered {
        let valid = f.edits.iter().all(|e| {
            let (s, t) = (e.span.start as usize, e.span.end as usize);
            s <= t && t <= text.len() && text.is_char_boundary(s) && text.is_char_boundary(t)
        }) && {
            let mut own: Vec<&Edit> = f.edits.iter().collect();
            own.sort_by_key(|e| (e.span.start, e.span.end));
            own.windows(2).all(|w| w[1].span.start >= w[0].span.end)
        };
        let overlaps = f.edits.iter().any(|e| {
            accepted.iter().any(|a| {
                e.span.start < a.span.end && a.span.start < e.span.end
                    || (e.span.start == a.span.start && e.span.end == a.span.end)
            })
        });
        if valid && !overlaps && !f.edits.is_empty() {
            accepted.extend(f.edits.iter());
            applied += 1;
        }
    }
    accepted.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(text.len());
    let mut pos = 0usize;
    for e in accepted {
        let (s, t) = (e.span.start as usize, e.span.end as usize);
        if s < pos {
            continue;
        }
        out.push_str(&text[pos..s]);
        out.push_str(&e.content);
        pos = t;
    }
    out.push_str(&text[pos..]);
    (out, applied)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::objects_of;
    use crate::source::yaml::parse_one;

    fn fixed(text: &str, plan: FixPlan) -> Option<String> {
        let root = parse_one(text).expect("document");
        let objects = objects_of(0, &root);
        let loc = Locator::new(text);
        let fix = plan_to_fix(&loc, &root, &objects[0], "t", &plan)?;
        let (out, n) = apply_fixes(text, &[&fix]);
        assert_eq!(n, 1);
        Some(out)
    }

    fn mv(from: &str, to: &str) -> FixPlan {
        FixPlan::MoveKey {
            from: from.into(),
            to: to.into(),
        }
    }

    #[test]
    fn moves_a_block_with_its_comments_and_keeps_the_rest() {
        let text = "spec:\n  containers:\n  - name: web  # the web server\n    hostAliases:  # oops\n    - ip: 10.0.0.5\n      # a comment inside\n      hostnames: [db]\n    image: nginx\n  restartPolicy: Always\n# trailing comment\n";
        let out = fixed(text, mv("/spec/containers/0/hostAliases", "/spec")).expect("fix");
        assert_eq!(
            out,
            "spec:\n  containers:\n  - name: web  # the web server\n    image: nginx\n  restartPolicy: Always\n  hostAliases:  # oops\n  - ip: 10.0.0.5\n    # a comment inside\n    hostnames: [db]\n# trailing comment\n"
        );
    }

    #[test]
    fn a_key_is_renamed_in_place_unless_the_new_name_is_taken() {
        let rename = FixPlan::RenameKey {
            key: "/spec/serviceAccount".into(),
            to: "serviceAccountName".into(),
        };
        assert_eq!(
            fixed(
                "spec:\n  serviceAccount: web  # why\n  containers: []\n",
                rename.clone()
            )
            .as_deref(),
            Some("spec:\n  serviceAccountName: web  # why\n  containers: []\n")
        );
        assert_eq!(
            fixed(
                "spec:\n  serviceAccount: a\n  serviceAccountName: b\n",
                rename.clone()
            ),
            None
        );
        assert_eq!(fixed("spec:\n  \"serviceAccount\": a\n", rename), None);
    }

    #[test]
    fn crlf_and_missing_final_newline() {
        let text = "spec:\r\n  containers:\r\n  - name: web\r\n    hostPID: true\r\n    image: nginx\r\n  dnsPolicy: Default";
        let out = fixed(text, mv("/spec/containers/0/hostPID", "/spec")).expect("fix");
        assert_eq!(
            out,
            "spec:\r\n  containers:\r\n  - name: web\r\n    image: nginx\r\n  dnsPolicy: Default\r\n  hostPID: true\r\n"
        );
        assert!(parse_one(&out).is_some());
    }

    #[test]
    fn first_key_of_a_list_item_gives_its_dash_to_the_next() {
        let text = "sources:\n- items:\n  - path: a\n  downwardAPI:\n";
        let plan = FixPlan::NestKeys {
            keys: vec!["/sources/0/items".into()],
            into: "/sources/0/downwardAPI".into(),
        };
        let out = fixed(text, plan).expect("fix");
        assert_eq!(out, "sources:\n- downwardAPI:\n    items:\n    - path: a\n");
    }

    #[test]
    fn null_written_out_becomes_a_mapping() {
        let text = "s:\n- configMap: null  # empty\n  name: cfg\n  optional: true\n";
        let plan = FixPlan::NestKeys {
            keys: vec!["/s/0/name".into(), "/s/0/optional".into()],
            into: "/s/0/configMap".into(),
        };
        let out = fixed(text, plan).expect("fix");
        assert_eq!(
            out,
            "s:\n- configMap:  # empty\n    name: cfg\n    optional: true\n"
        );
    }

    #[test]
    fn unsafe_moves_are_refused() {
        // The target is in flow style.
        let t = "spec:\n  containers:\n  - {name: web, image: nginx}\n  image: x\n";
        assert!(fixed(t, mv("/spec/image", "/spec/containers/0")).is_none());
        // The source mapping is in flow style.
        let t = "spec:\n  a: 1\n  c: {name: web, hostPID: true}\n";
        assert!(fixed(t, mv("/spec/c/hostPID", "/spec")).is_none());
        // The target already has the key.
        let t = "spec:\n  hostPID: false\n  c:\n    name: web\n    hostPID: true\n";
        assert!(fixed(t, mv("/spec/c/hostPID", "/spec")).is_none());
        // Moving the only key would leave an empty mapping.
        let t = "spec:\n  a: 1\n  c:\n    hostPID: true\n";
        assert!(fixed(t, mv("/spec/c/hostPID", "/spec")).is_none());
        // A key merged from an anchor is not where the text is.
        let t = "base: &b {hostPID: true}\nspec:\n  a: 1\n  c:\n    <<: *b\n    name: web\n";
        assert!(fixed(t, mv("/spec/c/hostPID", "/spec")).is_none());
    }

    #[test]
    fn target_ending_in_an_empty_value() {
        let t = "spec:\n  c:\n    name: x\n    hostPID: true\n  z:\nnext: 1\n";
        assert_eq!(
            fixed(t, mv("/spec/c/hostPID", "/spec")).as_deref(),
            Some("spec:\n  c:\n    name: x\n  z:\n  hostPID: true\nnext: 1\n")
        );
    }

    #[test]
    fn block_scalars_move_whole() {
        let t = "spec:\n  c:\n    name: x\n    hostname: |\n      a\n      b\n\n  z: 1\n";
        assert_eq!(
            fixed(t, mv("/spec/c/hostname", "/spec")).as_deref(),
            Some("spec:\n  c:\n    name: x\n\n  z: 1\n  hostname: |\n    a\n    b\n")
        );
    }

    fn nest(keys: &[&str], into: &str) -> FixPlan {
        FixPlan::NestKeys {
            keys: keys.iter().map(|k| k.to_string()).collect(),
            into: into.into(),
        }
    }

    #[test]
    fn a_missing_target_mapping_is_created() {
        // Elsewhere: at the end of its deepest existing ancestor.
        let t = "spec:\n  containers:\n  - name: c\n    securityContext:\n      runAsUser: 1\n      fsGroup: 2\n  dnsPolicy: Default\n";
        assert_eq!(
            fixed(
                t,
                mv("/spec/containers/0/securityContext/fsGroup", "/spec/securityContext")
            )
            .as_deref(),
            Some("spec:\n  containers:\n  - name: c\n    securityContext:\n      runAsUser: 1\n  dnsPolicy: Default\n  securityContext:\n    fsGroup: 2\n")
        );
        // A four-space file gets four spaces.
        let t = "spec:\n    containers:\n    -   name: c\n        capabilities:\n            add: [NET_ADMIN]\n        image: x\n";
        assert_eq!(
            fixed(
                t,
                mv("/spec/containers/0/capabilities", "/spec/containers/0/securityContext")
            )
            .as_deref(),
            Some("spec:\n    containers:\n    -   name: c\n        securityContext:\n            capabilities:\n                add: [NET_ADMIN]\n        image: x\n")
        );
        // At the end of a file without a final line break; CRLF kept.
        let t = "spec:\r\n  containers:\r\n  - name: c\r\n    securityContext:\r\n      runAsUser: 1\r\n      fsGroup: 2";
        assert_eq!(
            fixed(
                t,
                mv("/spec/containers/0/securityContext/fsGroup", "/spec/securityContext")
            )
            .as_deref(),
            Some("spec:\r\n  containers:\r\n  - name: c\r\n    securityContext:\r\n      runAsUser: 1\r\n  securityContext:\r\n    fsGroup: 2\r\n")
        );
        // Two levels at once.
        let t = "a:\n  b:\n    k: 1\n    m: 2\n";
        assert_eq!(
            fixed(t, mv("/a/b/m", "/a/c/d")).as_deref(),
            Some("a:\n  b:\n    k: 1\n  c:\n    d:\n      m: 2\n")
        );
    }

    #[test]
    fn keys_nest_under_a_new_key_where_they_stood() {
        let t = "p:\n  livenessProbe:\n    # health\n    path: /h\n    port: 80\n    periodSeconds: 5\n";
        assert_eq!(
            fixed(t, nest(&["/p/livenessProbe/path", "/p/livenessProbe/port"], "/p/livenessProbe/httpGet")).as_deref(),
            Some("p:\n  livenessProbe:\n    httpGet:\n      # health\n      path: /h\n      port: 80\n    periodSeconds: 5\n")
        );
        // Every key of a list item, the first carrying its `-`.
        let t = "pref:\n- labelSelector:\n    matchLabels: {a: b}\n  topologyKey: k\nnext: 1\n";
        assert_eq!(
            fixed(t, nest(&["/pref/0/labelSelector", "/pref/0/topologyKey"], "/pref/0/podAffinityTerm")).as_deref(),
            Some("pref:\n- podAffinityTerm:\n    labelSelector:\n      matchLabels: {a: b}\n    topologyKey: k\nnext: 1\n")
        );
        // Into a new one-item list, in the file's list style.
        let t = "v:\n  projected:\n    configMap:\n      name: cm\n  list:\n    - 1\n";
        assert_eq!(
            fixed(t, nest(&["/v/projected/configMap"], "/v/projected/sources/0")).as_deref(),
            Some("v:\n  projected:\n    sources:\n      - configMap:\n          name: cm\n  list:\n    - 1\n")
        );
        // Flow style is left alone.
        let t = "p:\n  livenessProbe: {path: /h, port: 80}\n";
        assert!(fixed(
            t,
            nest(&["/p/livenessProbe/path"], "/p/livenessProbe/httpGet")
        )
        .is_none());
    }

    #[test]
    fn leading_comments_travel_with_their_key() {
        let t = "spec:\n  containers:\n  - name: c\n    image: b\n    # route db to the primary\n    hostAliases:\n    - ip: 10.0.0.1\n    # about args\n    args: [x]\n  restartPolicy: Never\n";
        assert_eq!(
            fixed(t, mv("/spec/containers/0/hostAliases", "/spec")).as_deref(),
            Some("spec:\n  containers:\n  - name: c\n    image: b\n    # about args\n    args: [x]\n  restartPolicy: Never\n  # route db to the primary\n  hostAliases:\n  - ip: 10.0.0.1\n")
        );
    }
}
