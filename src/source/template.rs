//! Telling a Helm/Go template from a manifest that merely contains `{{`.
//!
//! `{{ ... }}` is ordinary text inside a quoted or block scalar (Prometheus alert templates,
//! Alertmanager config, Argo Workflows parameters) and in comments; a file whose YAML reads is
//! a manifest and is checked, whatever its strings hold. A file is a template only when it does
//! not read as Kubernetes YAML because of its template actions: an unquoted `{{` (a value or key
//! that parsed as a flow mapping, or broke the parse), a control line (`{{- if ...}}`,
//! `{{ end }}`), or a quoted string that the action itself breaks (`"{{ include "x" . }}"`).
//! The test is direct: with every action blanked out, the text must read further than before.

use super::{parse_stream, Limits, Node, NodeValue, ParsedStream, Span};
use crate::source::yaml::YamlProblemKind;

/// The byte offset of the first template action that makes `text` a template rather than a
/// manifest, if there is one.
pub fn template_action(text: &str, stream: &ParsedStream, limits: &Limits) -> Option<usize> {
    if !text.contains("{{") {
        return None;
    }
    // YAML that parsed, with every mapping key a plain string, holds all its `{{` as data.
    let broken_at = first_syntax_error(stream);
    if broken_at.is_none() && !stream.complex_keys {
        return None;
    }
    let action = first_action_outside_data(text, stream)?;
    // The actions are the reason only if the text reads further without them.
    let blanked = parse_stream(&blank_actions(text), limits);
    let cured = match (broken_at, first_syntax_error(&blanked)) {
        (_, None) => !blanked.complex_keys,
        (Some(before), Some(after)) => after > before,
        (None, Some(_)) => false,
    };
    cured.then_some(action)
}

fn first_syntax_error(stream: &ParsedStream) -> Option<u32> {
    stream
        .problems
        .iter()
        .filter(|p| p.kind == YamlProblemKind::Syntax)
        .map(|p| p.span.start)
        .min()
}

/// The text with every `{{ ... }}` replaced by as many bytes of `x` (so offsets stay put), or
/// of spaces where actions are all a line holds (a control line).
fn blank_actions(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let mut blanked = String::with_capacity(line.len());
        let mut rest = line;
        let mut actions = 0;
        while let Some(open) = rest.find("{{") {
            actions += 1;
            blanked.push_str(&rest[..open]);
            let after = &rest[open..];
            let body = line_body(after);
            let len = after
                .find("}}")
                .map_or(body.len(), |close| close + 2)
                .min(body.len().max(2));
            blanked.extend(std::iter::repeat_n('x', len));
            rest = &after[len..];
        }
        blanked.push_str(rest);
        let body = line_body(&blanked);
        if actions > 0 && body.bytes().all(|b| b == b'x' || b == b' ' || b == b'\t') {
            out.push_str(&" ".repeat(body.len()));
            out.push_str(&blanked[body.len()..]);
        } else {
            out.push_str(&blanked);
        }
    }
    out
}

/// A line without its line break.
fn line_body(line: &str) -> &str {
    line.trim_end_matches(['\n', '\r'])
}

/// The first `{{` that no string of the parsed documents holds, outside comments.
fn first_action_outside_data(text: &str, stream: &ParsedStream) -> Option<usize> {
    let mut strings = Vec::new();
    for doc in &stream.documents {
        if let Some(root) = &doc.root {
            string_spans(root, &mut strings);
        }
    }
    strings.sort_unstable();
    let held = |at: usize| {
        let i = strings.partition_point(|s| s.start as usize <= at);
        i > 0 && at < strings[i - 1].end as usize
    };
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        for at in actions_outside_data(line) {
            if !held(line_start + at) {
                return Some(line_start + at);
            }
        }
        line_start += line.len();
    }
    None
}

/// The spans of every string scalar and mapping key of a tree.
fn string_spans(node: &Node, out: &mut Vec<Span>) {
    match &node.value {
        NodeValue::String(_) => out.push(node.span),
        NodeValue::Seq(items) => items.iter().for_each(|n| string_spans(n, out)),
        NodeValue::Map(entries) => {
            for e in entries {
                out.push(e.key_span);
                string_spans(&e.value, out);
            }
        }
        _ => {}
    }
}

/// Offsets in one line of the `{{` that YAML cannot hold as data, judged by the line alone:
/// not in a comment, and not wholly inside one quoted string.
fn actions_outside_data(line: &str) -> Vec<usize> {
    let bytes = line.as_bytes();
    let mut out = Vec::new();
    let mut quote: Option<u8> = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(q) => {
                if b == b'\\' && q == b'"' {
                    i += 2;
                    continue;
                }
                if b == q {
                    if q == b'\'' && bytes.get(i + 1) == Some(&b'\'') {
                        i += 2;
                        continue;
                    }
                    quote = None;
                } else if bytes[i..].starts_with(b"{{") {
                    // Inside quotes: data, unless the action's own quotes end the string
                    // before the action does (`"{{ include "x" . }}"`).
                    let close = memchr::memmem::find(&bytes[i..], b"}}").map(|c| i + c);
                    let string_end = bytes[i..].iter().position(|&c| c == q).map(|c| i + c);
                    if let (Some(c), Some(e)) = (close, string_end) {
                        if e < c {
                            out.push(i);
                        }
                    }
                    i += 2;
                    continue;
                }
            }
            None => {
                if b == b'#' && (i == 0 || bytes[i - 1].is_ascii_whitespace()) {
                    break;
                }
                if bytes[i..].starts_with(b"{{") {
                    out.push(i);
                    i += 2;
                    continue;
                }
                let starts_scalar = i == 0 || b" \t[{,:-".contains(&bytes[i - 1]);
                if (b == b'"' || b == b'\'') && starts_scalar {
                    quote = Some(b);
                }
            }
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{parse_stream, Limits};

    fn action(text: &str) -> Option<usize> {
        let limits = Limits::default();
        template_action(text, &parse_stream(text, &limits), &limits)
    }

    #[test]
    fn helm_templates_are_templates() {
        let t = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-x\n";
        assert_eq!(action(t), t.find("{{"));
        let t = "apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: {{ .Values.n }}\n";
        assert_eq!(action(t), t.find("{{"));
        let t = "metadata:\n  labels:\n    {{- include \"x.labels\" . | nindent 4 }}\n  name: a\n";
        assert_eq!(action(t), t.find("{{"));
        let t = "data:\n  a: \"{{ include \"x\" . }}\"\n  b: [\n";
        assert_eq!(action(t), t.find("{{"));
    }

    #[test]
    fn text_that_holds_braces_is_not_a_template() {
        // Quoted, block scalar and comment `{{` with a syntax error elsewhere.
        let t = "kind: ConfigMap\ndata:\n  rule: \"value is {{ $value }}\"\n  t: |\n    {{ define \"x\" }}{{ end }}\n  # {{ .Values.note }}\n---\nkind: ConfigMap\ndata:\n  list: [a, b\n";
        assert_eq!(action(t), None);
        // No `{{` at all.
        assert_eq!(action("a: [b\n"), None);
        // Parsed fine.
        assert_eq!(action("a: 'x {{ y }}'\n"), None);
    }

    #[test]
    fn a_manifest_that_reads_is_checked_whatever_its_strings_hold() {
        // Argo Workflows: parameters inside a multi-line quoted string in a flow sequence.
        let t = "kind: Workflow\nspec:\n  args: [\"\n    echo {{inputs.parameters.m}}\n  \"]\n";
        assert_eq!(action(t), None);
        // A syntax error that the template actions do not cause is a syntax error.
        let t = "data:\n  a: \"x\n    {{ y }}\"\n  b: [1\n";
        assert_eq!(action(t), None);
        let t = "data:\n  a: 'x {{ y }}'\n   b: 1\n";
        assert_eq!(action(t), None);
    }

    #[test]
    fn blanking_keeps_offsets() {
        let t = "a: {{ .V }}-x\n{{- if .X }}\n  b: \"é{{ y }}\"\r\n  {{ end }}";
        let b = blank_actions(t);
        assert_eq!(b.len(), t.len());
        assert_eq!(
            b,
            "a: xxxxxxxx-x\n            \n  b: \"éxxxxxxx\"\r\n           "
        );
    }

    #[test]
    fn line_scan() {
        assert_eq!(actions_outside_data("a: {{ x }}"), vec![3]);
        assert!(actions_outside_data("a: \"{{ x }}\"").is_empty());
        assert!(actions_outside_data("a: 'it''s {{ x }}'").is_empty());
        assert!(actions_outside_data("a: b # {{ x }}").is_empty());
        assert_eq!(
            actions_outside_data("a: \"{{ include \"y\" . }}\""),
            vec![4]
        );
        // Multi-byte text is scanned by bytes.
        assert_eq!(actions_outside_data("é: \"ü {{ x }}\" {{ y }}"), vec![17]);
    }
}
