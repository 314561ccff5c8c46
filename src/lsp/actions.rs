//! Code actions: each rule's fix, and "ignore this rule here", as quick fixes. They are always
//! computed from diagnostics of the document version they edit (the server makes sure of
//! that), and sent as versioned `documentChanges` when the client supports them, so a client
//! never applies an edit to text it was not made for.

use super::position::Positions;
use super::protocol;
use crate::diagnostic::{Diagnostic, Edit};
use crate::source::{parse_stream, Limits, Node, NodeValue};
use ls_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, DocumentChanges, OneOf,
    OptionalVersionedTextDocumentIdentifier, Position, Range, TextDocumentEdit, TextEdit, Uri,
    WorkspaceEdit,
};
use std::collections::HashMap;

/// Findings an ignore comment cannot or should not silence: problems of the file itself and
/// of the ignore comments.
const NOT_IGNORABLE: &[&str] = &["io", "yaml-syntax", "invalid-ignore", "unused-ignore"];

/// What the client can take.
#[derive(Debug, Clone, Copy, Default)]
pub struct EditCapabilities {
    /// `workspace.workspaceEdit.documentChanges`: versioned text document edits.
    pub document_changes: bool,
}

/// The document the actions are for.
pub struct Target<'a> {
    pub uri: &'a Uri,
    pub version: i32,
    pub text: &'a str,
    pub limits: &'a Limits,
}

fn workspace_edit(t: &Target, edits: Vec<TextEdit>, caps: EditCapabilities) -> WorkspaceEdit {
    if caps.document_changes {
        WorkspaceEdit {
            document_changes: Some(DocumentChanges::Edits(vec![TextDocumentEdit {
                text_document: OptionalVersionedTextDocumentIdentifier {
                    uri: t.uri.clone(),
                    version: Some(t.version),
                },
                edits: edits.into_iter().map(OneOf::Left).collect(),
            }])),
            ..WorkspaceEdit::default()
        }
    } else {
        WorkspaceEdit {
            changes: Some(HashMap::from([(t.uri.clone(), edits)])),
            ..WorkspaceEdit::default()
        }
    }
}

/// An insertion of `new_text` at a position.
fn insert(line: usize, character: usize, new_text: String) -> TextEdit {
    let at = Position {
        line: line as u32,
        character: character as u32,
    };
    TextEdit {
        range: Range { start: at, end: at },
        new_text,
    }
}

/// A fix's edits as LSP text edits. Edits that touch (one ends where the next starts, as a
/// cut followed by an insert at the same place) are merged into one replacement, so a client
/// never has to order an insert against a delete at the same position; inserts at one
/// position keep their order, as `kubevet check --fix` applies them.
pub fn text_edits(pos: &Positions, edits: &[Edit]) -> Vec<TextEdit> {
    let mut spans: Vec<(u32, u32, String)> = edits
        .iter()
        .map(|e| (e.span.start, e.span.end, e.content.clone()))
        .collect();
    spans.sort_by_key(|e| (e.0, e.1));
    let mut merged: Vec<(u32, u32, String)> = Vec::with_capacity(spans.len());
    for (start, end, content) in spans {
        match merged.last_mut() {
            Some(last) if last.1 == start => {
                last.1 = end;
                last.2.push_str(&content);
            }
            _ => merged.push((start, end, content)),
        }
    }
    merged
        .into_iter()
        .map(|(s, e, new_text)| TextEdit {
            range: pos.range(s, e),
            new_text,
        })
        .collect()
}

/// The quick fixes for the diagnostics that meet `range` (byte offsets).
pub fn code_actions(
    t: &Target,
    diags: &[Diagnostic],
    range: (u32, u32),
    caps: EditCapabilities,
) -> Vec<CodeActionOrCommand> {
    let pos = Positions::new(t.text);
    let (start, end) = (range.0.min(range.1), range.0.max(range.1));
    let hits: Vec<&Diagnostic> = diags
        .iter()
        .filter(|d| d.span.start <= end && start <= d.span.end)
        .collect();
    if hits.is_empty() {
        return Vec::new();
    }
    let stream = hits
        .iter()
        .any(|d| !NOT_IGNORABLE.contains(&d.rule.as_str()))
        .then(|| parse_stream(t.text, t.limits));
    let roots: Vec<&Node> = stream
        .iter()
        .flat_map(|s| s.documents.iter().filter_map(|d| d.root.as_ref()))
        .collect();
    let mut actions = Vec::new();
    for d in hits {
        let diag = protocol::diagnostic(&pos, t.uri, d);
        if let Some(fix) = &d.fix {
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: fix.message.clone(),
                kind: Some(CodeActionKind::QUICKFIX),
                is_preferred: Some(true),
                diagnostics: Some(vec![diag.clone()]),
                edit: Some(workspace_edit(t, text_edits(&pos, &fix.edits), caps)),
                ..CodeAction::default()
            }));
        }
        if NOT_IGNORABLE.contains(&d.rule.as_str()) {
            continue;
        }
        if let Some(ignore) = ignore_edit(&pos, t.text, &roots, d) {
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: ignore.title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diag]),
                edit: Some(workspace_edit(t, vec![ignore.edit], caps)),
                ..CodeAction::default()
            }));
        }
    }
    actions
}

struct IgnoreEdit {
    title: String,
    edit: TextEdit,
}

/// The string scalar whose span holds `offset`.
fn scalar_at(node: &Node, offset: u32) -> Option<&Node> {
    if offset < node.span.start || offset > node.span.end {
        return None;
    }
    match &node.value {
        NodeValue::String(_) => Some(node),
        NodeValue::Map(entries) => entries.iter().find_map(|e| scalar_at(&e.value, offset)),
        NodeValue::Seq(items) => items.iter().find_map(|n| scalar_at(n, offset)),
        _ => None,
    }
}

/// The 0-based line an ignore comment must stand above for a finding at `offset`: where the
/// scalar holding it begins when that scalar spans lines (the line of a block scalar's `|` or
/// `>`, the first line of a multi-line plain or quoted one), since a comment inside it would
/// be part of its text; otherwise the finding's own line.
fn anchor_line(pos: &Positions, text: &str, roots: &[&Node], offset: u32) -> usize {
    let own = pos.line_of(offset);
    let Some(scalar) = roots.iter().find_map(|r| scalar_at(r, offset)) else {
        return own;
    };
    let first = pos.line_of(scalar.span.start);
    // A block scalar's span starts at its content: its header is the nearest line above
    // that is not blank.
    if let Some(header) = (0..first)
        .rev()
        .find(|&l| !pos.line_text(l).trim().is_empty())
    {
        if crate::suppress::comments::is_block_header(pos.line_text(header)) {
            return header;
        }
    }
    let body = text
        .get(scalar.span.start as usize..scalar.span.end as usize)
        .unwrap_or("");
    if body.trim_end().contains('\n') {
        first
    } else {
        own
    }
}

/// The `# kubevet-ignore` edit for a diagnostic: a comment alone on the line above the anchor
/// line, at that line's indentation and with the document's line break, or the rule added to
/// an ignore comment already standing there.
fn ignore_edit(pos: &Positions, text: &str, roots: &[&Node], d: &Diagnostic) -> Option<IgnoreEdit> {
    let line = anchor_line(pos, text, roots, d.span.start);
    let in_scalar = line != pos.line_of(d.span.start);
    let title = if in_scalar {
        format!("Ignore `{}` in this block", d.rule)
    } else {
        format!("Ignore `{}` on this line", d.rule)
    };
    if line > 0 {
        let above = pos.line_text(line - 1);
        if let Some(edit) = extend_comment(line - 1, above, d.rule.as_str()) {
            return edit.map(|edit| IgnoreEdit { title, edit });
        }
    }
    let line_text = pos.line_text(line);
    let indent: String = line_text
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let eol = match pos.line_ending(line) {
        "" if text.contains("\r\n") => "\r\n",
        "" => "\n",
        e => e,
    };
    Some(IgnoreEdit {
        title,
        edit: insert(
            line,
            0,
            format!("{indent}# kubevet-ignore {} -- reason{eol}", d.rule),
        ),
    })
}

/// When `line_text` is an ignore comment alone on its line: `Some(None)` if it already names
/// `rule`, else `Some(edit)` adding `,rule` to its list. `None` when it is not such a comment.
fn extend_comment(line: usize, line_text: &str, rule: &str) -> Option<Option<TextEdit>> {
    // Only a comment that suppresses is extended: the mark opening the line.
    let (hash, rest) = crate::suppress::comments::ignore_mark(line_text.trim_start())?;
    if hash != 0 {
        return None;
    }
    let list_end_in_rest = rest.find("--").unwrap_or(rest.len());
    let list = &rest[..list_end_in_rest];
    if crate::model::annotations::parse_rule_list(list)
        .iter()
        .any(|r| r == rule)
    {
        return Some(None);
    }
    let rest_start = line_text.len() - rest.len();
    let list_trimmed = list.trim_end();
    let insert_at = rest_start + list_trimmed.len();
    let new_text = if list_trimmed.trim().is_empty() {
        format!(" {rule}")
    } else {
        format!(",{rule}")
    };
    // Columns in UTF-16 units: the comment's text before the insertion point.
    let character = line_text[..insert_at].encode_utf16().count();
    Some(Some(insert(line, character, new_text)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn touching_edits_become_one_replacement() {
        use crate::source::Span;
        let text = "a\nb\nc\n";
        let pos = Positions::new(text);
        let edit = |s: usize, e: usize, c: &str| Edit {
            line: 0,
            column: 0,
            end_line: 0,
            end_column: 0,
            span: Span::new(s, e),
            content: c.into(),
        };
        let merged = text_edits(
            &pos,
            &[edit(2, 4, ""), edit(2, 2, "x\n"), edit(4, 4, "y\n")],
        );
        assert_eq!(merged.len(), 1);
        assert_eq!(merged[0].new_text, "x\ny\n");
        assert_eq!(
            merged[0].range.start,
            Position {
                line: 1,
                character: 0
            }
        );
        assert_eq!(
            merged[0].range.end,
            Position {
                line: 2,
                character: 0
            }
        );
        let apart = text_edits(&pos, &[edit(0, 1, "A"), edit(4, 5, "C")]);
        assert_eq!(apart.len(), 2);
    }
}
