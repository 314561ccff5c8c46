//! `projected-items-shape`: in `volumes[].projected.sources[]`, each list item is one source
//! with exactly one source type (`configMap`, `secret`, `downwardAPI`, `serviceAccountToken`,
//! ...), and that type's own fields (`items`, `name`, `optional`) go *inside* it. Writing
//! `items` beside `downwardAPI` (often because it was indented one level too little, which
//! also leaves `downwardAPI: null`) is rejected by the API server with an unknown-field error
//! that does not say where `items` should go. One finding per source explains it, replacing
//! every `schema` error inside that source.

use super::{Context, Finding, FixPlan, Rule, Target};
use crate::model::fields::fields;
use crate::model::levels::keys_in_order;
use crate::model::view::items_of;
use crate::model::JsonView;
use crate::model::pod::WorkloadKind;
use crate::pointer::{self, dotted};
use serde_json::{Map, Value};

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
        let volumes_ptr = pointer::push(spec_ptr, "volumes");
        // Most pods have no projected volume: tell from the tree before building the list.
        if !items_of(cx.object.view(&volumes_ptr)).any(|v| v.get("projected").is_some()) {
            return;
        }
        let Some(volumes) = cx.object.at(&volumes_ptr).and_then(Value::as_array)
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
            let volume = v.get("name").and_then(Value::as_str).unwrap_or("?");
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
                        out.push(empty_source(&ptr, volume));
                        continue;
                    }
                    _ => continue,
                };
                let item = Item {
                    keys: keys_in_order(cx.object, &ptr)
                        .into_iter()
                        .map(String::from)
                        .collect(),
                    ptr: &ptr,
                    volume,
                    map,
                };
                out.extend(check_item(&item));
            }
        }
    }
}

/// One item of a projected volume's `sources`.
struct Item<'a> {
    ptr: &'a str,
    /// The volume's name.
    volume: &'a str,
    map: &'a Map<String, Value>,
    /// Its keys, in the order they are written.
    keys: Vec<String>,
}

/// Every source type of a projected volume, quoted: "`configMap`, `downwardAPI`, ...".
fn source_types() -> String {
    list(fields().projection_sources.members.keys())
}

/// Keys quoted and joined: "`a`, `b`".
fn list<S: AsRef<str>>(keys: impl IntoIterator<Item = S>) -> String {
    keys.into_iter()
        .map(|k| format!("`{}`", k.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// An empty item of `sources` (`- {}`, or `-` alone): zero source types.
fn empty_source(ptr: &str, volume: &str) -> Finding {
    let all_types = source_types();
    Finding::new(
        ProjectedItemsShape::ID,
        ptr,
        format!(
            "`{}` of volume `{volume}` is empty: it names no source type",
            dotted(ptr)
        ),
    )
    .label("an empty source")
    .help(format!(
        "remove the empty item, or make it one of {all_types} with its fields inside it"
    ))
    .replaces_schema_at(ptr)
}

/// The finding for an item that does not name exactly one source type with only that
/// type's fields beside it.
fn check_item(item: &Item) -> Option<Finding> {
    let f = fields();
    let types: Vec<&String> = item
        .keys
        .iter()
        .filter(|k| f.projection_sources.contains_key(k))
        .collect();
    let stray: Vec<&String> = item
        .keys
        .iter()
        .filter(|k| !f.volume_projection.contains(k.as_str()))
        .collect();
    match types.as_slice() {
        [] => no_source_type(item, &stray),
        [t] => fields_beside(item, t, &stray),
        [_, second, ..] => Some(several_types(item, &types, second)),
    }
}

/// An item with fields but no source type: they must stand inside one.
fn no_source_type(item: &Item, stray: &[&String]) -> Option<Finding> {
    let first = stray.first()?;
    let all_types = source_types();
    let fits: Vec<String> = fields()
        .projection_sources
        .members
        .iter()
        .filter(|(_, fs)| stray.iter().all(|k| fs.contains(k.as_str())))
        .map(|(t, _)| format!("`{t}`"))
        .collect();
    let suggestion = if fits.is_empty() {
        format!("start the item with one of {all_types}")
    } else {
        format!(
            "put {} inside the source they belong to ({})",
            list(stray),
            fits.join(" or ")
        )
    };
    Some(
        Finding::new(
            ProjectedItemsShape::ID,
            pointer::push(item.ptr, first),
            format!(
                "`{}` of volume `{}` names no source type: {} must stand inside one",
                dotted(item.ptr),
                item.volume,
                list(stray)
            ),
        )
        .at(Target::Key)
        .label("this list item has no source type")
        .help(format!(
            "{suggestion}: each item of `sources` is exactly one of {all_types}, with its fields inside it"
        ))
        .replaces_schema_at(item.ptr),
    )
}

/// An item with several source types: each needs its own item.
fn several_types(item: &Item, types: &[&String], second: &str) -> Finding {
    Finding::new(
        ProjectedItemsShape::ID,
        pointer::push(item.ptr, second),
        format!(
            "one item of `{}` (volume `{}`) names several source types: {}",
            dotted(item.ptr),
            item.volume,
            list(types)
        ),
    )
    .at(Target::Key)
    .label("a second source type in the same list item")
    .help(format!(
        "give each source its own list item (`- {second}: ...`): each item of `sources` is exactly one source type"
    ))
    .replaces_schema_at(item.ptr)
}

/// The keys written beside an item's source type `t`, by where they belong (each in the
/// order written).
struct Strays<'a> {
    /// Fields of `t`, written a level too high.
    inner: Vec<&'a String>,
    /// Fields of neither `t` nor the item...
    other: Vec<&'a String>,
    /// ... of which these are fields of the projected volume itself,
    volume_level: Vec<&'a String>,
    /// and these of nothing there.
    rest: Vec<&'a String>,
}

impl<'a> Strays<'a> {
    fn sort(t: &str, stray: &[&'a String]) -> Strays<'a> {
        let f = fields();
        let (inner, other): (Vec<&String>, Vec<&String>) = stray
            .iter()
            .copied()
            .partition(|k| f.projection_sources[t].contains(k.as_str()));
        let (volume_level, rest) = other
            .iter()
            .copied()
            .partition(|k| f.projected_volume.contains(k.as_str()));
        Strays {
            inner,
            other,
            volume_level,
            rest,
        }
    }
}

/// An item with one source type and other keys beside it: the source's own fields (indented
/// a level too little) and keys that belong elsewhere or nowhere.
fn fields_beside(item: &Item, t: &str, stray: &[&String]) -> Option<Finding> {
    let first = *stray.first()?;
    let strays = Strays::sort(t, stray);
    let type_ptr = pointer::push(item.ptr, t);
    let label = if strays.inner.contains(&first) {
        format!("belongs inside `{t}`")
    } else {
        format!("not a field of `{t}`")
    };
    let mut finding = Finding::new(
        ProjectedItemsShape::ID,
        pointer::push(item.ptr, first),
        beside_message(item, t, &strays),
    )
    .at(Target::Key)
    .label(label)
    .related(type_ptr.clone(), Target::Key, format!("the `{t}` source"))
    .help(beside_help(item, t, &strays))
    .replaces_schema_at(item.ptr);
    let target_free = match item.map.get(t) {
        Some(Value::Object(m)) => strays.inner.iter().all(|k| !m.contains_key(k.as_str())),
        Some(Value::Null) => true,
        _ => false,
    };
    if !strays.inner.is_empty() && target_free {
        finding = finding.fix(
            format!("move {} into `{t}`", list(&strays.inner)),
            FixPlan::NestKeys {
                keys: strays
                    .inner
                    .iter()
                    .map(|k| pointer::push(item.ptr, k))
                    .collect(),
                into: type_ptr,
            },
        );
    }
    Some(finding)
}

/// What is wrong with the keys beside source type `t`.
fn beside_message(item: &Item, t: &str, strays: &Strays) -> String {
    let mut parts = Vec::new();
    if !strays.inner.is_empty() {
        let verb = if strays.inner.len() == 1 {
            "stands"
        } else {
            "stand"
        };
        let null_note = if item.map.get(t).is_some_and(Value::is_null) {
            format!(" (which leaves `{t}` empty)")
        } else {
            String::new()
        };
        parts.push(format!(
            "{} {verb} beside `{t}` instead of inside it{null_note}",
            list(&strays.inner)
        ));
    }
    if !strays.other.is_empty() {
        let be = if strays.other.len() == 1 { "is" } else { "are" };
        parts.push(format!(
            "{} {be} not a field of `{t}` or of a projected source",
            list(&strays.other)
        ));
    }
    format!(
        "{}, in `{}` of volume `{}`",
        parts.join(", and "),
        dotted(item.ptr),
        item.volume
    )
}

/// Where each key beside source type `t` goes instead.
fn beside_help(item: &Item, t: &str, strays: &Strays) -> String {
    let at = dotted(item.ptr);
    let mut helps = Vec::new();
    if !strays.inner.is_empty() {
        let moved = list(strays.inner.iter().map(|k| format!("{at}.{t}.{k}")));
        helps.push(format!(
            "indent {} under `{t}` ({moved}): a projected source is one source type, and its fields go inside it",
            list(&strays.inner)
        ));
    }
    if !strays.volume_level.is_empty() {
        let projected = pointer::split_last(item.ptr)
            .and_then(|(p, _)| pointer::split_last(p))
            .map(|(p, _)| dotted(p))
            .unwrap_or_default();
        helps.push(format!(
            "set {} on the projected volume itself (`{projected}`), for all its sources",
            list(&strays.volume_level)
        ));
    }
    if !strays.rest.is_empty() {
        helps.push(format!(
            "remove {}: a projected source holds exactly one of {}, and `{t}` has no such field",
            list(&strays.rest),
            source_types()
        ));
    }
    helps.join("; ")
}
