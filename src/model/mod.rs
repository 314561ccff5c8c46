//! The object model: each YAML document becomes one or more [`Object`]s (a `kind: List` is
//! unwrapped into its items), each holding its spanned tree, its JSON value, its identity
//! (apiVersion, kind, name, namespace) and, for pod-bearing kinds, a typed [`PodView`] — read
//! leniently ([`lenient`]), so that one badly typed value hides only itself from the rules.

pub mod annotations;
pub mod component_base;
pub mod fields;
pub mod kubeadm;
pub mod kubelet;
pub mod kubeproxy;
pub mod lenient;
pub mod levels;
pub mod pod;
pub mod podpreset;
pub mod selector;
pub mod shell;

pub use pod::{ContainerRef, ContainerRole, PodView};

use crate::pointer;
use crate::source::tree::Built;
use crate::source::Node;
use serde_json::Value;

/// One Kubernetes object read from a document.
#[derive(Debug)]
pub struct Object<'d> {
    /// 0-based index of the document in its file.
    pub document: usize,
    /// Pointer of this object inside its document: `""`, or `/items/3` for a List item.
    pub base: String,
    /// The spanned tree of the object.
    pub node: &'d Node,
    /// The object as JSON, the way the API server would decode it.
    pub value: Value,
    /// A lower bound of the value's size as compact JSON
    /// ([`crate::source::tree::json_floor`]), counted while it was built.
    pub json_floor: usize,
    /// Whether some mapping of the value holds a `null`
    /// ([`crate::source::tree::has_null_field`]), learnt while it was built.
    pub null_field: bool,
    pub api_version: Option<String>,
    pub kind: Option<String>,
    pub name: Option<String>,
    pub namespace: Option<String>,
}

impl<'d> Object<'d> {
    pub fn new(document: usize, base: String, node: &'d Node) -> Object<'d> {
        let built = node.to_json_built();
        Self::with_value(document, base, node, built)
    }

    fn with_value(document: usize, base: String, node: &'d Node, built: Built) -> Object<'d> {
        let Built {
            value,
            floor: json_floor,
            null_field,
        } = built;
        let s = |v: &Value| v.as_str().map(str::to_string);
        let api_version = value.get("apiVersion").and_then(s);
        let kind = value.get("kind").and_then(s);
        let meta = value.get("metadata");
        let name = meta.and_then(|m| m.get("name")).and_then(s);
        let namespace = meta.and_then(|m| m.get("namespace")).and_then(s);
        Object {
            document,
            base,
            node,
            value,
            json_floor,
            null_field,
            api_version,
            kind,
            name,
            namespace,
        }
    }

    /// The API group (`""` for the core group) and version.
    pub fn group_version(&self) -> Option<(&str, &str)> {
        let av = self.api_version.as_deref()?;
        Some(match av.split_once('/') {
            Some((g, v)) => (g, v),
            None => ("", av),
        })
    }

    pub fn kind(&self) -> &str {
        self.kind.as_deref().unwrap_or("")
    }

    /// The object's full pointer in its document for an object-relative pointer.
    pub fn absolute(&self, relative: &str) -> String {
        let mut p = self.base.clone();
        p.push_str(relative);
        p
    }

    /// The value at an object-relative pointer.
    pub fn at(&self, relative: &str) -> Option<&Value> {
        crate::pointer::lookup(&self.value, relative)
    }

    /// The keys of the mapping at an object-relative pointer, in the order they are written
    /// (each once; keys merged in with `<<` are not written there and are left out). `None`
    /// when no mapping is written at the pointer.
    pub fn keys_as_written(&self, relative: &str) -> Option<Vec<String>> {
        let (node, _) = self.node.walk(pointer::tokens(relative))?;
        let mut seen = std::collections::BTreeSet::new();
        Some(
            node.as_map()?
                .iter()
                .filter(|e| seen.insert(e.key.as_str()))
                .map(|e| e.key.clone())
                .collect(),
        )
    }

    /// Annotations of the object's own metadata.
    pub fn annotation(&self, key: &str) -> Option<&str> {
        self.value
            .get("metadata")?
            .get("annotations")?
            .get(key)?
            .as_str()
    }

    /// A short description: `Deployment web` or `Pod`.
    pub fn describe(&self) -> String {
        match &self.name {
            Some(n) => format!("{} {n}", self.kind()),
            None => self.kind().to_string(),
        }
    }
}

/// Unwrap a document into objects: a `kind: List` (or `*List`) with `items` gives its items,
/// anything else gives itself.
pub fn objects_of(document: usize, root: &Node) -> Vec<Object<'_>> {
    objects_with(document, root, None)
}

/// [`objects_of`], given the document's JSON value when it is already known (`root.to_json()`);
/// it is used when the document is one object.
pub fn objects_with(document: usize, root: &Node, value: Option<Value>) -> Vec<Object<'_>> {
    let is_list = root
        .get("kind")
        .and_then(|e| e.value.as_str())
        .is_some_and(|k| k == "List" || (k.ends_with("List") && root.get("items").is_some()));
    if is_list {
        if let Some(items) = root.get("items").and_then(|e| e.value.as_seq()) {
            return items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    Object::new(
                        document,
                        pointer::join("", &["items", &i.to_string()]),
                        item,
                    )
                })
                .collect();
        }
    }
    match value {
        Some(value) => {
            let built = Built {
                floor: crate::source::tree::json_floor(&value),
                null_field: crate::source::tree::has_null_field(&value),
                value,
            };
            vec![Object::with_value(document, String::new(), root, built)]
        }
        None => vec![Object::new(document, String::new(), root)],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::yaml::parse_one;

    #[test]
    fn list_is_unwrapped_with_pointers() {
        let root = parse_one(
            "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: a}\n- apiVersion: v1\n  kind: Service\n  metadata: {name: b, namespace: ns}\n",
        )
        .expect("doc");
        let objs = objects_of(0, &root);
        assert_eq!(objs.len(), 2);
        assert_eq!(objs[1].base, "/items/1");
        assert_eq!(objs[1].describe(), "Service b");
        assert_eq!(objs[1].namespace.as_deref(), Some("ns"));
        assert_eq!(objs[1].absolute("/spec"), "/items/1/spec");
    }
}
