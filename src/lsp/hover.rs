//! Hover: on a finding, the rule's summary and why it matters; on a field, its description
//! from the kind's schema.

use super::position::{Position, Positions};
use crate::diagnostic::Diagnostic;
use crate::model::objects_of;
use crate::report::sarif::section;
use crate::schema::{schema_at, SchemaSet};
use crate::source::{parse_stream, pointer, Limits, Node, NodeValue};
use serde_json::{json, Value};

/// The pointer of the mapping key whose span holds `offset`.
fn key_at(node: &Node, offset: u32, ptr: &str) -> Option<String> {
    if offset < node.span.start || offset > node.span.end {
        return None;
    }
    match &node.value {
        NodeValue::Map(entries) => entries.iter().find_map(|e| {
            let here = pointer::push(ptr, &e.key);
            if e.key_span.start <= offset && offset <= e.key_span.end {
                Some(here)
            } else {
                key_at(&e.value, offset, &here)
            }
        }),
        NodeValue::Seq(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, n)| key_at(n, offset, &pointer::push(ptr, i.to_string()))),
        _ => None,
    }
}

fn markdown(value: String, pos: &Positions, start: u32, end: u32) -> Value {
    let a = pos.position(start);
    let b = pos.position(end);
    json!({
        "contents": {"kind": "markdown", "value": value},
        "range": {"start": {"line": a.line, "character": a.character}, "end": {"line": b.line, "character": b.character}},
    })
}

pub fn hover(text: &str, published: &[Diagnostic], at: Position) -> Value {
    let pos = Positions::new(text);
    let offset = pos.offset(at);
    let hits: Vec<&Diagnostic> = published
        .iter()
        .filter(|d| d.span.start <= offset && offset <= d.span.end)
        .collect();
    if let Some(first) = hits.first() {
        let mut value = String::new();
        for d in &hits {
            if let Some(meta) = crate::rules::meta(&d.rule) {
                let why = section(meta.doc, "## Why it matters");
                value.push_str(&format!(
                    "**kubevet({})** — {}\n\n{}\n\n",
                    meta.id, meta.summary, why
                ));
            }
        }
        return markdown(
            value.trim_end().to_string(),
            &pos,
            first.span.start,
            first.span.end,
        );
    }
    let stream = parse_stream(text, &Limits::default());
    let schemas = SchemaSet::default();
    for doc in &stream.documents {
        let Some(root) = &doc.root else { continue };
        for object in objects_of(doc.index, root) {
            let Some(rel) = key_at(object.node, offset, "") else {
                continue;
            };
            let (Some(api), Some(kind)) = (&object.api_version, &object.kind) else {
                return Value::Null;
            };
            let Some((document, schema)) = schemas.schema_for(api, kind) else {
                return Value::Null;
            };
            let Some(field) = schema_at(document, schema, &rel) else {
                return Value::Null;
            };
            let Some(desc) = field.get("description").and_then(Value::as_str) else {
                return Value::Null;
            };
            let name = pointer::split_last(&rel)
                .map(|(_, n)| n)
                .unwrap_or_default();
            let key_span = pointer::locate(object.node, &rel)
                .key
                .unwrap_or(object.node.span);
            let ty = field
                .get("type")
                .map(|t| format!(" ({t})"))
                .unwrap_or_default();
            return markdown(
                format!("**{name}**{ty}\n\n{desc}"),
                &pos,
                key_span.start,
                key_span.end,
            );
        }
    }
    Value::Null
}
