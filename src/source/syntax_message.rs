//! The words of a `yaml-syntax` finding: what the reader expected at the error, in place of the
//! parser's own phrase, and the key whose value holds the error, to show beside it.

use super::Span;

/// What was expected where the parser stopped, for the parser's message `raw`.
pub fn explain(raw: &str) -> String {
    let said = |s: &str| raw.contains(s);
    let text = if said("flow sequence, expected ',' or ']'") {
        "expected `,` or `]` in this flow sequence"
    } else if said("flow mapping, did not find expected ',' or '}'") {
        "expected `,` or `}` in this flow mapping"
    } else if said("flow mapping, did not find expected key") {
        "expected a key or `}` in this flow mapping"
    } else if said("block mapping, did not find expected key") {
        "expected a mapping key here, indented like its siblings"
    } else if said("mapping values are not allowed") || raw == "invalid indentation" {
        "a mapping key here must be indented like its siblings (and a value holding `: ` must be quoted)"
    } else if said("block sequence entries are not allowed") {
        "a `-` item cannot start here: indent it like the items before it, under their key"
    } else if said("did not find expected '-' indicator") {
        "expected a `-` item here, indented like the items before it"
    } else if said("simple key expect ':'") || said("could not find expected ':'") {
        "expected `:` after this key (a key and its `:` must be on one line)"
    } else if said("quoted scalar, found unexpected end of stream") {
        "this quoted string is never closed"
    } else if said("quoted scalar, found unexpected document indicator") {
        "a `---` or `...` line inside this quoted string ends the document before the string"
    } else if said("found unknown escape character") {
        "unknown escape in a double-quoted string (write `\\\\` for a backslash, or use single quotes)"
    } else if said("did not find expected hexadecimal number") || said("invalid Unicode") {
        "a `\\x`, `\\u` or `\\U` escape needs its hexadecimal digits"
    } else if said("did not find expected node content") {
        "expected a value here"
    } else if said("did not find expected <document start>")
        || said("did not find expected <document-start>")
    {
        "expected the end of the document here (a `---` line starts the next one)"
    } else if said("invalid content after document end marker") {
        "nothing but a comment may follow `...` on its line"
    } else if said("unknown anchor") || said("alias to an unknown anchor") {
        "this alias names no anchor defined before it in the document"
    } else if said("tab") && !said("block scalar content") {
        "a tab cannot indent YAML or separate `-` from its item; use spaces"
    } else if said("block scalar content cannot start with a tab") {
        "a block scalar's text cannot be indented with a tab; use spaces"
    } else if said("wrongly indented line in block scalar") {
        "this line of the block scalar is indented less than its first line"
    } else if said("anchor or alias, did not find expected alphabetic") {
        "expected an anchor or alias name after `&` or `*`"
    } else if said("comment intercepting the multiline text") {
        "a comment cannot interrupt a value that goes on over several lines; quote the value"
    } else if said("mapping keys are not allowed") {
        "a `?` key cannot start here"
    } else if said("unexpected eof") || said("unexpected end of plain scalar") {
        "the file ends in the middle of a value"
    } else if said("unprintable character") {
        "a control character is not allowed in YAML text"
    } else if said("recursion limit exceeded") {
        "collections are nested too deeply to read"
    } else {
        return raw.replace('\'', "`");
    };
    text.to_string()
}

/// The key whose block holds `at`: the nearest line above it, indented less, that ends with
/// `key:` (a comment may follow), with the key's span and a label for it.
pub fn enclosing_key(text: &str, at: usize) -> Option<(Span, String)> {
    let at = at.min(text.len());
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = text[line_start..].split('\n').next().unwrap_or("");
    let mut indent = indentation(line).min(at - line_start);
    let mut end = line_start;
    while end > 0 && indent > 0 {
        let start = text[..end - 1].rfind('\n').map_or(0, |i| i + 1);
        let above = text[start..end - 1].trim_end_matches('\r');
        end = start;
        let i = indentation(above);
        let body = &above[i..];
        if body.is_empty() || body.starts_with('#') || i >= indent {
            continue;
        }
        if above.starts_with("---") || above.starts_with("...") {
            return None;
        }
        if let Some((key, offset)) = opened_key(body) {
            let key_at = start + i + offset;
            return Some((
                Span::new(key_at, key_at + key.len()),
                format!("in the value of `{key}`"),
            ));
        }
        // A sibling or parent `key: value` line: the block is further up, indented less.
        indent = i;
    }
    None
}

/// Where a line's content starts: after its spaces and any `- ` sequence markers, so that the
/// keys of `- name: a` count as indented past the `-`.
fn indentation(line: &str) -> usize {
    let mut i = 0;
    let bytes = line.as_bytes();
    while i < bytes.len() {
        match bytes[i] {
            b' ' => i += 1,
            b'-' if matches!(bytes.get(i + 1), Some(b' ')) => i += 2,
            _ => break,
        }
    }
    i
}

/// `key:` ending its line, comment aside: the key (inside its quotes) and its offset in `body`.
fn opened_key(body: &str) -> Option<(&str, usize)> {
    let code = body.find(" #").map_or(body, |i| &body[..i]).trim_end();
    let key = code.strip_suffix(':')?.trim_end();
    if key.is_empty() || key.contains(": ") || key.starts_with(['[', '{', '&', '*', '!', '?']) {
        return None;
    }
    for q in ['"', '\''] {
        if let Some(inner) = key.strip_prefix(q).and_then(|k| k.strip_suffix(q)) {
            return Some((inner, 1));
        }
    }
    Some((key, 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_say_what_was_expected() {
        for (raw, want) in [
            (
                "while parsing a flow sequence, expected ',' or ']'",
                "expected `,` or `]` in this flow sequence",
            ),
            (
                "while parsing a flow mapping, did not find expected ',' or '}'",
                "expected `,` or `}` in this flow mapping",
            ),
            (
                "mapping values are not allowed in this context",
                "a mapping key here must be indented like its siblings (and a value holding `: ` must be quoted)",
            ),
            (
                "while scanning a quoted scalar, found unexpected end of stream",
                "this quoted string is never closed",
            ),
            ("something 'new'", "something `new`"),
        ] {
            assert_eq!(explain(raw), want, "{raw}");
        }
    }

    #[test]
    fn the_enclosing_key_is_the_block_that_holds_the_line() {
        let text = "kind: ConfigMap\nmetadata:\n  name: settings\n   labels: {}\n";
        let at = text.find("labels").expect("labels");
        let (span, label) = enclosing_key(text, at).expect("key");
        assert_eq!(&text[span.range()], "metadata");
        assert_eq!(label, "in the value of `metadata`");
        // A sequence item's key, a comment after the colon, quotes.
        let text = "spec:\n  - name: a  # c\n    env:  # vars\n      - x\n     y: 1\n";
        let at = text.find("y:").expect("y");
        assert_eq!(
            enclosing_key(text, at).map(|(s, _)| &text[s.range()]),
            Some("env")
        );
        let text = "\"a b\":\n  c: [1\n";
        let at = text.find('[').expect("[");
        assert_eq!(
            enclosing_key(text, at).map(|(s, _)| &text[s.range()]),
            Some("a b")
        );
        let text = "containers:\n- name: a\n  image: x\n   bad: 1\n";
        let at = text.find("bad").expect("bad");
        assert_eq!(
            enclosing_key(text, at).map(|(s, _)| &text[s.range()]),
            Some("containers")
        );
        // A top-level line has none; nor does a line after a document marker.
        assert_eq!(enclosing_key("a: [1\n", 3), None);
        assert_eq!(enclosing_key("---\n  a: [1\n", 6), None);
    }
}
