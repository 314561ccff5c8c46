//! Hover: on a finding, the rule's summary and why it matters; on a field, its type and
//! description from the kind's schema (the document's own schema set, so custom resources
//! from `schema-dirs` are explained too).

use super::position::{Position, Positions};
use crate::diagnostic::Diagnostic;
use crate::model::objects_of;
use crate::pointer;
use crate::pointer::AtPointer;
use crate::report::sarif::section;
use crate::schema::{schema_at, SchemaSet};
use crate::source::{locate, parse_stream, Limits, Node, NodeValue};
use ls_types::{Hover, HoverContents, MarkupContent, MarkupKind};
use serde_json::Value;
use std::collections::HashSet;

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

fn markdown(value: String, pos: &Positions, start: u32, end: u32) -> Option<Hover> {
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value,
        }),
        range: Some(pos.range(start, end)),
    })
}

/// The last segment of a definition name: `#/definitions/io.k8s.api.core.v1.Container` ->
/// `Container`.
fn ref_name(r: &str) -> &str {
    r.rsplit(['/', '.']).next().unwrap_or(r)
}

/// A field's type in words: `string`, `integer`, `list of Container`, `map of string to
/// quantity`, `integer or string`.
pub fn type_words(document: &Value, schema: &Value) -> Option<String> {
    type_words_in(document, schema, &mut HashSet::new())
}

fn type_words_in<'a>(
    document: &'a Value,
    schema: &'a Value,
    seen: &mut HashSet<&'a str>,
) -> Option<String> {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = ref_name(r);
        let target = r.strip_prefix('#').and_then(|p| document.at_pointer(p));
        return Some(match name {
            "Quantity" => "quantity (`500m`, `1Gi`, `2`)".to_string(),
            "IntOrString" => "integer or string".to_string(),
            "Time" | "MicroTime" => "time (RFC 3339)".to_string(),
            _ => match target {
                // A named object: its name says more than "object".
                Some(t) if t.get("properties").is_some() || !seen.insert(name) => name.to_string(),
                Some(t) => type_words_in(document, t, seen).unwrap_or_else(|| name.to_string()),
                None => name.to_string(),
            },
        });
    }
    if let Some([one]) = schema
        .get("allOf")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
    {
        return type_words_in(document, one, seen);
    }
    let types: Vec<&str> = match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let words = match types.as_slice() {
        ["array"] => match schema.get("items") {
            Some(items) => format!("list of {}", type_words_in(document, items, seen)?),
            None => "list".to_string(),
        },
        ["object"] => match schema.get("additionalProperties") {
            Some(ap) if ap.is_object() => {
                format!("map of string to {}", type_words_in(document, ap, seen)?)
            }
            _ => "object".to_string(),
        },
        ["string"] => match schema.get("enum").and_then(Value::as_array) {
            Some(values) if !values.is_empty() => {
                let names: Vec<String> = values
                    .iter()
                    .filter_map(Value::as_str)
                    .map(|v| format!("`{v}`"))
                    .collect();
                format!("string, one of {}", names.join(", "))
            }
            _ => "string".to_string(),
        },
        ["integer"] => match schema.get("format").and_then(Value::as_str) {
            Some(f) => format!("integer ({f})"),
            None => "integer".to_string(),
        },
        [] => return None,
        many => many.join(" or "),
    };
    Some(words)
}

pub fn hover(
    text: &str,
    published: &[Diagnostic],
    at: Position,
    schemas: &SchemaSet,
    limits: &Limits,
) -> Option<Hover> {
    let pos = Positions::new(text);
    let offset = pos.offset(at);
    let hits: Vec<&Diagnostic> = published
        .iter()
        .filter(|d| d.span.start <= offset && offset <= d.span.end)
        .collect();
    if let Some(first) = hits.first() {
        let mut value = String::new();
        for d in &hits {
            let meta = d.rule.meta();
            let why = section(meta.doc, "## Why it matters");
            value.push_str(&format!(
                "**kubevet({})** — {}\n\n{}\n\n",
                meta.id,
                meta.summary(),
                why
            ));
        }
        return markdown(
            value.trim_end().to_string(),
            &pos,
            first.span.start,
            first.span.end,
        );
    }
    let stream = parse_stream(text, limits);
    for doc in &stream.documents {
        let Some(root) = &doc.root else { continue };
        for object in objects_of(doc.index, root) {
            let Some(rel) = key_at(object.node, offset, "") else {
                continue;
            };
            let (Some(api), Some(kind)) = (&object.api_version, &object.kind) else {
                return None;
            };
            let (document, schema) = schemas.schema_for(api, kind)?;
            let (parent, name) = pointer::split_last(&rel)?;
            // The field as its parent declares it (before `$ref`s are followed), for its type.
            let declared = schema_at(document, schema, parent).and_then(|p| {
                p.get("properties")
                    .and_then(|props| props.get(&name))
                    .or_else(|| p.get("additionalProperties").filter(|a| a.is_object()))
            });
            let field = schema_at(document, schema, &rel)?;
            let desc = declared
                .and_then(|d| d.get("description"))
                .or_else(|| field.get("description"))
                .and_then(Value::as_str);
            let ty = declared.and_then(|d| type_words(document, d));
            if desc.is_none() && ty.is_none() {
                return None;
            }
            let key_span = locate::locate(object.node, &rel)
                .key
                .unwrap_or(object.node.span);
            let mut value = format!("**{name}**");
            if let Some(ty) = ty {
                value.push_str(&format!(" — {ty}"));
            }
            if let Some(desc) = desc {
                value.push_str(&format!("\n\n{desc}"));
            }
            return markdown(value, &pos, key_span.start, key_span.end);
        }
    }
    None
}
