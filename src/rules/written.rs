//! What a manifest actually writes at a pointer. The typed pod view fills a missing required
//! field — or one left out because it had the wrong type — with its zero value
//! (`containerPort: 0`, `topologyKey: ""`), and reads a scalar where a string is expected as
//! its text (`name: 8080`). A rule that judges such a value asks here first, so that a missing
//! or mistyped field stays the schema's finding and is not reported twice.

use super::Context;

/// Whether anything is written at the pointer.
pub fn is_written(cx: &Context, pointer: &str) -> bool {
    cx.object.node_at(pointer).is_some()
}

/// Whether a string is written at the pointer.
pub fn is_string(cx: &Context, pointer: &str) -> bool {
    cx.object
        .node_at(pointer)
        .is_some_and(|n| n.json_str().is_some())
}

/// Whether an integer is written at the pointer.
pub fn is_integer(cx: &Context, pointer: &str) -> bool {
    cx.object.node_at(pointer).is_some_and(|n| n.is_integer())
}

/// Whether a mapping is written at the pointer.
pub fn is_mapping(cx: &Context, pointer: &str) -> bool {
    cx.object
        .node_at(pointer)
        .is_some_and(|n| n.as_map().is_some())
}
