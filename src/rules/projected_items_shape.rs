//! `projected-items-shape`: in `volumes[].projected.sources[]`, each list item is one source
//! with exactly one source type (`configMap`, `secret`, `downwardAPI`, `serviceAccountToken`,
//! ...), and that type's own fields (`items`, `name`, `optional`) go *inside* it. Writing
//! `items` beside `downwardAPI` (often because it was indented one level too little, which
//! also leaves `downwardAPI: null`) is rejected by the API server with an unknown-field error
//! that does not say where `items` should go. One finding per source explains it, replacing
//! every `schema` error inside that source.

use super::fields::fields;
use super::misplaced_field::dotted;
use super::{Context, Finding, FixPlan, Rule, Target};
use crate::model::pod::WorkloadKind;
use crate::pointer;
use serde_json::Value;

declare_rule! {
    pub struct ProjectedItemsShape {
        id: "projected-items-shape",
        severity: Error,
        category: Correctness,
        fixable: true,
        inspects: Pods,
    }
}

impl Rule for ProjectedItemsShape {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let Some(kind) = WorkloadKind::of(cx.object) else {
            return;
        };
        let spec_ptr = kind.pod_spec_pointer();
        let Some(volumes) = cx
            .object
            .at(spec_ptr)
            .and_then(|s| s.get("volumes"))
            .and_then(Value::as_array)
        else {
            return;
        };
        for (vi, v) in volumes.iter().enumerate() {
            let Some(sources) = v
                .get("projected")
                .and_then(|p| p.get("sources"))
                .and_then(Value::as_array)
            else {
                continue;
            };
            let vol_name = v.get("name").and_then(Value::as_str).unwrap_or("?");
            for (si, s) in sources.iter().enumerate() {
                let ptr = pointer::join(
                    spec_ptr,
                    &[
                        "volumes",
                        &vi.to_string(),
                        "projected",
                        "sources",
                        &si.to_string(),
                    ],
                );
                let map = match s {
                    Value::Object(m) if !m.is_empty() => m,
                    Value::Object(_) | Value::Null => {
                        out.push(empty_source(&ptr, vol_name));
                        continue;
                    }
                    _ => continue,
                };
                // Keys in the order they are written (the JSON map is sorted).
                let order: Vec<String> = cx
                    .object
                    .node
                    .walk(pointer::tokens(&ptr))
                    .and_then(|(n, _)| n.as_map())
                    .map(|m| m.iter().map(|e| e.key.clone()).collect())
                    .unwrap_or_else(|| map.keys().cloned().collect());
                if let Some(f) = check_source(&ptr, vol_name, map, &order) {
                    out.push(f);
                }
            }
        }
    }
}

/// Every source type of a projected volume, quoted: "`configMap`, `downwardAPI`, ...".
fn source_types() -> String {
    fields()
        .projection_sources
        .keys()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// An empty item of `sources` (`- {}`, or `-` alone): zero source types.
fn empty_source(ptr: &str, vol_name: &str) -> Finding {
    let all_types = source_types();
    Finding::new(
        ProjectedItemsShape::ID,
        ptr,
        format!(
            "`{}` of volume `{vol_name}` is empty: it names no source type",
            dotted(ptr)
        ),
    )
    .label("an empty source")
    .help(format!(
        "remove the empty item, or make it one of {all_types} with its fields inside it"
    ))
    .replaces_schema_at(ptr)
}

fn check_source(
    ptr: &str,
    vol_name: &str,
    map: &serde_json::Map<String, Value>,
    order: &[String],
) -> Option<Finding> {
    let f = fields();
    let types: Vec<&String> = order
        .iter()
        .filter(|k| f.projection_sources.contains_key(k.as_str()))
        .collect();
    let stray: Vec<&String> = order
        .iter()
        .filter(|k| !f.volume_projection.contains(k.as_str()))
        .collect();
    let at = dotted(ptr);
    let list = |keys: &[&String]| {
        keys.iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let all_types = source_types();
    match types.as_slice() {
        [] => {
            let first = stray.first()?;
            let fits: Vec<&str> = f
                .projection_sources
                .iter()
                .filter(|(_, fs)| stray.iter().all(|k| fs.contains(k.as_str())))
                .map(|(t, _)| t.as_str())
                .collect();
            let suggestion = if fits.is_empty() {
                format!("start the item with one of {all_types}")
            } else {
                format!(
                    "put {} inside the source they belong to ({})",
                    list(&stray),
                    fits.iter()
                        .map(|t| format!("`{t}`"))
                        .collect::<Vec<_>>()
                        .join(" or ")
                )
            };
            Some(
                Finding::new(
                    ProjectedItemsShape::ID,
                    pointer::push(ptr, first),
                    format!(
                        "`{at}` of volume `{vol_name}` names no source type: {} must stand inside one",
                        list(&stray)
                    ),
                )
                .at(Target::Key)
                .label("this list item has no source type")
                .help(format!(
                    "{suggestion}: each item of `sources` is exactly one of {all_types}, with its fields inside it"
                ))
                .replaces_schema_at(ptr),
            )
        }
        [t] => {
            if stray.is_empty() {
                return None;
            }
            let type_fields = &f.projection_sources[t.as_str()];
            let (inner, other): (Vec<&String>, Vec<&String>) = stray
                .iter()
                .copied()
                .partition(|k| type_fields.contains(k.as_str()));
            let null_note = if map.get(t.as_str()).is_some_and(Value::is_null) {
                format!(" (which leaves `{t}` empty)")
            } else {
                String::new()
            };
            let type_ptr = pointer::push(ptr, t.as_str());
            let first = stray[0];
            let mut parts = Vec::new();
            if !inner.is_empty() {
                let verb = if inner.len() == 1 { "stands" } else { "stand" };
                parts.push(format!(
                    "{} {verb} beside `{t}` instead of inside it{null_note}",
                    list(&inner)
                ));
            }
            if !other.is_empty() {
                let be = if other.len() == 1 { "is" } else { "are" };
                parts.push(format!(
                    "{} {be} not a field of `{t}` or of a projected source",
                    list(&other)
                ));
            }
            let message = format!(
                "{}, in `{at}` of volume `{vol_name}`",
                parts.join(", and ")
            );
            let mut helps = Vec::new();
            if !inner.is_empty() {
                let moved = inner
                    .iter()
                    .map(|k| format!("`{at}.{t}.{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                helps.push(format!(
                    "indent {} under `{t}` ({moved}): a projected source is one source type, and its fields go inside it",
                    list(&inner)
                ));
            }
            if !other.is_empty() {
                let (volume_level, rest): (Vec<&String>, Vec<&String>) = other
                    .iter()
                    .copied()
                    .partition(|k| f.projected_volume.contains(k.as_str()));
                let projected = pointer::split_last(ptr)
                    .and_then(|(p, _)| pointer::split_last(p))
                    .map(|(p, _)| dotted(p))
                    .unwrap_or_default();
                if !volume_level.is_empty() {
                    helps.push(format!(
                        "set {} on the projected volume itself (`{projected}`), for all its sources",
                        list(&volume_level)
                    ));
                }
                if !rest.is_empty() {
                    helps.push(format!(
                        "remove {}: a projected source holds exactly one of {all_types}, and `{t}` has no such field",
                        list(&rest)
                    ));
                }
            }
            let label = if inner.contains(&first) {
                format!("belongs inside `{t}`")
            } else {
                format!("not a field of `{t}`")
            };
            let mut finding = Finding::new(
                ProjectedItemsShape::ID,
                pointer::push(ptr, first),
                message,
            )
            .at(Target::Key)
            .label(label)
            .related(type_ptr.clone(), Target::Key, format!("the `{t}` source"))
            .help(helps.join("; "))
            .replaces_schema_at(ptr);
            let target_free = match map.get(t.as_str()) {
                Some(Value::Object(m)) => inner.iter().all(|k| !m.contains_key(k.as_str())),
                Some(Value::Null) => true,
                _ => false,
            };
            if !inner.is_empty() && target_free {
                finding = finding.fix(
                    format!("move {} into `{t}`", list(&inner)),
                    FixPlan::NestKeys {
                        keys: inner.iter().map(|k| pointer::push(ptr, k)).collect(),
                        into: type_ptr,
                    },
                );
            }
            Some(finding)
        }
        [_, second, ..] => Some(
            Finding::new(
                ProjectedItemsShape::ID,
                pointer::push(ptr, second),
                format!(
                    "one item of `{at}` (volume `{vol_name}`) names several source types: {}",
                    list(&types)
                ),
            )
            .at(Target::Key)
            .label("a second source type in the same list item")
            .help(format!(
                "give each source its own list item (`- {}: ...`): each item of `sources` is exactly one source type",
                second
            ))
            .replaces_schema_at(ptr),
        ),
    }
}
