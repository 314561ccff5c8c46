//! `# kubevet-ignore rule-a,rule-b -- reason` comments: on the offending line, or alone on the
//! line above it. A comment inside a block scalar (`- |` script) is part of the scalar, not a
//! comment, so a comment on the line that opens a block scalar (the line holding its `|` or
//! `>`), or alone on the line above that line, also covers every finding that starts inside
//! the scalar.

use crate::model::annotations::parse_rule_list;
use crate::source::{Node, NodeValue, Span};

/// One `# kubevet-ignore` comment.
#[derive(Debug, Clone)]
pub struct Directive {
    /// 1-based line the comment applies to.
    pub target_line: usize,
    /// Span of the comment text, for reporting on it.
    pub span: Span,
    /// Rule ids named, each with whether it silenced something.
    pub rules: Vec<(String, bool)>,
    /// When `target_line` opens a block scalar: the 1-based first and last lines of its
    /// content, which the comment covers too.
    pub block: Option<(usize, usize)>,
}

impl Directive {
    /// Whether the comment applies to a finding that starts on `line` (1-based).
    pub fn applies_to(&self, line: usize) -> bool {
        line == self.target_line
            || self
                .block
                .is_some_and(|(first, last)| first <= line && line <= last)
    }
}

/// Whether `offset` lies inside a string scalar of the tree (a `#` there is not a comment).
fn in_string(node: &Node, offset: u32) -> bool {
    if offset < node.span.start || offset >= node.span.end.max(node.span.start + 1) {
        return false;
    }
    match &node.value {
        NodeValue::String(_) => true,
        NodeValue::Seq(items) => items.iter().any(|n| in_string(n, offset)),
        NodeValue::Map(entries) => entries.iter().any(|e| in_string(&e.value, offset)),
        _ => false,
    }
}

const MARK: &str = "kubevet-ignore";

/// Where a line's `# kubevet-ignore` (or `#kubevet-ignore`) mark starts, and the text after
/// the mark (the rule list and reason).
pub(crate) fn ignore_mark(line: &str) -> Option<(usize, &str)> {
    let hash = line
        .find("# kubevet-ignore")
        .or_else(|| line.find("#kubevet-ignore"))?;
    let rest = &line[hash + 1..].trim_start()[MARK.len()..];
    (rest.is_empty() || rest.starts_with([' ', '\t'])).then_some((hash, rest))
}

/// Find every ignore comment of a file. `roots` are the documents' trees, used to tell
/// comments from `#` characters inside strings and block scalars.
pub fn comment_directives<'a>(
    text: &str,
    roots: impl Iterator<Item = &'a Node> + Clone,
) -> Vec<Directive> {
    if !text.contains(MARK) {
        return Vec::new();
    }
    let lines: Vec<(usize, &str)> = {
        let mut offset = 0;
        text.split_inclusive('\n')
            .map(|l| {
                let start = offset;
                offset += l.len();
                (start, l.trim_end_matches(['\n', '\r']))
            })
            .collect()
    };
    let mut out = Vec::new();
    let mut blocks: Option<Vec<(usize, usize, usize)>> = None;
    for (i, (start, line)) in lines.iter().enumerate() {
        let Some((hash, rest)) = ignore_mark(line) else {
            continue;
        };
        if hash > 0 && !line[..hash].ends_with([' ', '\t']) {
            continue;
        }
        let abs = (start + hash) as u32;
        if roots.clone().any(|r| in_string(r, abs)) {
            continue;
        }
        let alone = line[..hash].trim().is_empty();
        let target_line = if alone {
            // The next line that is neither blank nor a comment.
            lines[i + 1..]
                .iter()
                .position(|(_, l)| {
                    let t = l.trim();
                    !t.is_empty() && !t.starts_with('#')
                })
                .map(|p| i + 1 + p + 1)
                .unwrap_or(i + 2)
        } else {
            i + 1
        };
        if blocks.is_none() {
            let mut found = Vec::new();
            for r in roots.clone() {
                block_scalars(text, &lines, r, &mut found);
            }
            blocks = Some(found);
        }
        let block = blocks
            .iter()
            .flatten()
            .find(|(header, _, _)| *header == target_line)
            .map(|(_, first, last)| (*first, *last));
        out.push(Directive {
            target_line,
            span: Span::new(start + hash, start + line.len()),
            rules: parse_rule_list(rest)
                .into_iter()
                .map(|r| (r, false))
                .collect(),
            block,
        });
    }
    out
}

/// The block scalars of a tree: (line of the `|`/`>` header, first and last line of the
/// content), 1-based. `lines` holds each line's start offset and text.
fn block_scalars(
    text: &str,
    lines: &[(usize, &str)],
    node: &Node,
    out: &mut Vec<(usize, usize, usize)>,
) {
    match &node.value {
        NodeValue::String(_) => {
            let start = node.span.start as usize;
            let end = (node.span.end as usize).max(start).min(text.len());
            // The content's first line; the header is the nearest non-blank line above it.
            let Some(first) = lines.iter().rposition(|(s, _)| *s <= start) else {
                return;
            };
            let Some(header) = lines[..first]
                .iter()
                .rposition(|(_, l)| !l.trim().is_empty())
            else {
                return;
            };
            if !is_block_header(lines[header].1) {
                return;
            }
            // The span may run on to the next token: the content ends at its last non-blank.
            let content_end = start + text.get(start..end).unwrap_or("").trim_end().len();
            let last = lines
                .iter()
                .rposition(|(s, _)| *s < content_end)
                .unwrap_or(first)
                .max(first);
            out.push((header + 1, first + 1, last + 1));
        }
        NodeValue::Seq(items) => {
            for n in items {
                block_scalars(text, lines, n, out);
            }
        }
        NodeValue::Map(entries) => {
            for e in entries {
                block_scalars(text, lines, &e.value, out);
            }
        }
        _ => {}
    }
}

/// Whether a line ends with a block scalar header (`|`, `>-`, `|+2`, ...), before any comment.
pub(crate) fn is_block_header(line: &str) -> bool {
    let mut code = line;
    // A comment starts with `#` after whitespace.
    let bytes = line.as_bytes();
    for i in 0..bytes.len() {
        if bytes[i] == b'#' && (i == 0 || bytes[i - 1] == b' ' || bytes[i - 1] == b'\t') {
            code = &line[..i];
            break;
        }
    }
    let last = code.split_whitespace().last().unwrap_or("");
    let mut chars = last.chars();
    matches!(chars.next(), Some('|' | '>'))
        && chars.all(|c| matches!(c, '-' | '+' | '1'..='9'))
        && code.trim_end().len() >= last.len()
        && {
            // The indicator follows `:`, `-`, or stands alone (a document's root scalar).
            let before = code.trim_end();
            let before = before[..before.len() - last.len()].trim_end();
            before.is_empty() || before.ends_with(':') || before.ends_with('-')
        }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::yaml::parse_one;

    #[test]
    fn comments_on_the_line_and_above() {
        let text = "a: 1  # kubevet-ignore rule-a, rule-b -- why\n# kubevet-ignore rule-c\n\nb: 2\nc: \"# kubevet-ignore rule-d\"\nd: |\n  # kubevet-ignore rule-e\n";
        let root = parse_one(text).expect("doc");
        let d = comment_directives(text, std::iter::once(&root));
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!(d[0].target_line, 1);
        assert_eq!(
            d[0].rules.iter().map(|r| r.0.as_str()).collect::<Vec<_>>(),
            ["rule-a", "rule-b"]
        );
        assert_eq!(d[1].target_line, 4);
        assert_eq!(d[1].rules[0].0, "rule-c");
    }

    #[test]
    fn a_comment_on_a_block_scalar_header_covers_its_content() {
        let text = "c:\n  command:\n  - |  # kubevet-ignore rule-a\n    set -e\n    echo 1 >> /etc/hosts\n  - x\n  # kubevet-ignore rule-b\n  script: >-\n\n    one\n    two\n  other: y\n";
        let root = parse_one(text).expect("doc");
        let d = comment_directives(text, std::iter::once(&root));
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!((d[0].target_line, d[0].block), (3, Some((4, 5))));
        assert!(d[0].applies_to(3) && d[0].applies_to(5) && !d[0].applies_to(6));
        assert_eq!((d[1].target_line, d[1].block), (8, Some((10, 11))));
        assert!(d[1].applies_to(10) && d[1].applies_to(11) && !d[1].applies_to(12));
        // A plain value gets no block.
        let text = "a: 1  # kubevet-ignore rule-a\nb: 2\n";
        let root = parse_one(text).expect("doc");
        let d = comment_directives(text, std::iter::once(&root));
        assert_eq!(d[0].block, None);
        assert!(!d[0].applies_to(2));
    }

    #[test]
    fn block_headers() {
        for l in [
            "- |",
            "  key: >-",
            "- |  # note",
            "run: |+2",
            "|",
            "  - |",
            "    command: >-",
            "  script: |2+  # note",
        ] {
            assert!(is_block_header(l), "{l}");
        }
        for l in [
            "a: b|",
            "echo a | tee",
            "# |",
            "x: '|'",
            "a: b  # |",
            "  - sh -c",
            "  name: a|b",
            "  args:",
            "  - \"|\"",
        ] {
            assert!(!is_block_header(l), "{l}");
        }
    }
}
