//! [`JsonView`]: a JSON value read the same way from a `serde_json::Value` or from a node of
//! the spanned tree, so that a walk over a large object (a CustomResourceDefinition's schemas)
//! need not build the object's value first.
//!
//! [`JsonRef`] is one of the two, chosen per object, for code that reads objects of both kinds
//! without being generic.
//!
//! A tree node reads as its value only when its tree is regular
//! ([`crate::source::tree::JsonFacts::regular`]: no mapping repeats a key, no float is one JSON cannot
//! hold); the caller reads the value otherwise. `null` fields are seen in both, as in the value.

use crate::source::tree::{Entry, Node};
use serde_json::Value;

/// A borrowed JSON value: a mapping, sequence or scalar, and what it holds.
pub trait JsonView<'a>: Copy + 'a {
    /// The value of `key` in a mapping.
    fn get(self, key: &str) -> Option<Self>;
    /// A mapping's entries in order.
    fn entries(self) -> Option<impl Iterator<Item = (&'a str, Self)>>;
    /// A sequence's items in order.
    fn items(self) -> Option<impl Iterator<Item = Self>>;
    fn as_str(self) -> Option<&'a str>;
    fn as_bool(self) -> Option<bool>;
    /// An integer that fits `i64` (as `serde_json::Value::as_i64` reads it).
    fn as_i64(self) -> Option<i64>;
    fn is_null(self) -> bool;
    fn is_map(self) -> bool;
    fn is_number(self) -> bool;
    /// A number without a fraction (as `serde_json` reads it: `i64` or `u64`).
    fn is_integer(self) -> bool;
}

impl<'a> JsonView<'a> for &'a Value {
    fn get(self, key: &str) -> Option<Self> {
        self.as_object()?.get(key)
    }

    fn entries(self) -> Option<impl Iterator<Item = (&'a str, Self)>> {
        Some(self.as_object()?.iter().map(|(k, v)| (k.as_str(), v)))
    }

    fn items(self) -> Option<impl Iterator<Item = Self>> {
        Some(self.as_array()?.iter())
    }

    fn as_str(self) -> Option<&'a str> {
        Value::as_str(self)
    }

    fn as_bool(self) -> Option<bool> {
        Value::as_bool(self)
    }

    fn as_i64(self) -> Option<i64> {
        Value::as_i64(self)
    }

    fn is_null(self) -> bool {
        Value::is_null(self)
    }

    fn is_map(self) -> bool {
        self.is_object()
    }

    fn is_number(self) -> bool {
        Value::is_number(self)
    }

    fn is_integer(self) -> bool {
        self.is_i64() || self.is_u64()
    }
}

impl<'a> JsonView<'a> for &'a Node {
    fn get(self, key: &str) -> Option<Self> {
        Node::get(self, key).map(|e| &e.value)
    }

    fn entries(self) -> Option<impl Iterator<Item = (&'a str, Self)>> {
        Some(self.as_map()?.iter().map(|e| (e.key.as_str(), &e.value)))
    }

    fn items(self) -> Option<impl Iterator<Item = Self>> {
        Some(self.as_seq()?.iter())
    }

    fn as_str(self) -> Option<&'a str> {
        Node::as_str(self)
    }

    fn as_bool(self) -> Option<bool> {
        Node::as_bool(self)
    }

    fn as_i64(self) -> Option<i64> {
        Node::as_i64(self)
    }

    fn is_null(self) -> bool {
        Node::is_null(self)
    }

    fn is_map(self) -> bool {
        self.as_map().is_some()
    }

    fn is_number(self) -> bool {
        Node::is_number(self)
    }

    fn is_integer(self) -> bool {
        Node::is_integer(self)
    }
}

/// A part of an object: its tree node when the tree reads as the value, else its value.
#[derive(Debug, Clone, Copy)]
pub enum JsonRef<'a> {
    Node(&'a Node),
    Value(&'a Value),
}

/// The items of a [`JsonRef`] sequence.
pub enum Items<'a> {
    Node(std::slice::Iter<'a, Node>),
    Value(std::slice::Iter<'a, Value>),
}

impl<'a> Iterator for Items<'a> {
    type Item = JsonRef<'a>;

    fn next(&mut self) -> Option<JsonRef<'a>> {
        match self {
            Items::Node(i) => i.next().map(JsonRef::Node),
            Items::Value(i) => i.next().map(JsonRef::Value),
        }
    }
}

/// The entries of a [`JsonRef`] mapping.
pub enum Entries<'a> {
    Node(std::slice::Iter<'a, Entry>),
    Value(serde_json::map::Iter<'a>),
}

impl<'a> Iterator for Entries<'a> {
    type Item = (&'a str, JsonRef<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Entries::Node(i) => i.next().map(|e| (e.key.as_str(), JsonRef::Node(&e.value))),
            Entries::Value(i) => i.next().map(|(k, v)| (k.as_str(), JsonRef::Value(v))),
        }
    }
}

impl JsonRef<'_> {
    /// Bytes of the value as compact JSON ([`crate::json_size::value_len`]), counted without
    /// building a value.
    pub fn json_len(self) -> usize {
        match self {
            JsonRef::Node(n) => crate::json_size::node_len(n),
            JsonRef::Value(v) => crate::json_size::value_len(v),
        }
    }
}

/// The items of a sequence that may be absent: none when it is absent or no sequence.
pub fn items_of<'a>(seq: Option<JsonRef<'a>>) -> impl Iterator<Item = JsonRef<'a>> {
    seq.and_then(JsonView::items).into_iter().flatten()
}

/// A scalar reading of a [`JsonRef`]: the same reading of its node or value.
macro_rules! either {
    ($name:ident -> $out:ty) => {
        fn $name(self) -> $out {
            match self {
                JsonRef::Node(n) => JsonView::$name(n),
                JsonRef::Value(v) => JsonView::$name(v),
            }
        }
    };
}

impl<'a> JsonView<'a> for JsonRef<'a> {
    fn get(self, key: &str) -> Option<Self> {
        match self {
            JsonRef::Node(n) => JsonView::get(n, key).map(JsonRef::Node),
            JsonRef::Value(v) => JsonView::get(v, key).map(JsonRef::Value),
        }
    }

    fn entries(self) -> Option<impl Iterator<Item = (&'a str, Self)>> {
        match self {
            JsonRef::Node(n) => Some(Entries::Node(n.as_map()?.iter())),
            JsonRef::Value(v) => Some(Entries::Value(v.as_object()?.iter())),
        }
    }

    fn items(self) -> Option<impl Iterator<Item = Self>> {
        match self {
            JsonRef::Node(n) => Some(Items::Node(n.as_seq()?.iter())),
            JsonRef::Value(v) => Some(Items::Value(v.as_array()?.iter())),
        }
    }

    either!(as_str -> Option<&'a str>);
    either!(as_bool -> Option<bool>);
    either!(as_i64 -> Option<i64>);
    either!(is_null -> bool);
    either!(is_map -> bool);
    either!(is_number -> bool);
    either!(is_integer -> bool);
}

#[cfg(test)]
mod tests {
    use super::JsonView;
    use crate::source::yaml::parse_one;

    /// Every reading of every node of a tree agrees with the same reading of its value.
    fn agree<'a>(node: &'a crate::source::Node, value: &'a serde_json::Value) {
        assert_eq!(JsonView::as_str(node), JsonView::as_str(value));
        assert_eq!(JsonView::as_bool(node), JsonView::as_bool(value));
        assert_eq!(JsonView::as_i64(node), JsonView::as_i64(value));
        assert_eq!(JsonView::is_null(node), JsonView::is_null(value));
        assert_eq!(JsonView::is_map(node), JsonView::is_map(value));
        assert_eq!(JsonView::is_number(node), JsonView::is_number(value));
        assert_eq!(JsonView::is_integer(node), JsonView::is_integer(value));
        match (node.entries(), value.entries()) {
            (Some(n), Some(v)) => {
                let (n, v): (Vec<_>, Vec<_>) = (n.collect(), v.collect());
                assert_eq!(n.len(), v.len());
                for ((nk, nv), (vk, vv)) in n.into_iter().zip(v) {
                    assert_eq!(nk, vk);
                    assert!(
                        JsonView::get(node, nk).is_some() && JsonView::get(value, vk).is_some()
                    );
                    agree(nv, vv);
                }
            }
            (None, None) => {}
            _ => panic!("one is a mapping, the other not"),
        }
        assert!(JsonView::get(node, "absent").is_none());
        match (node.items(), value.items()) {
            (Some(n), Some(v)) => {
                let (n, v): (Vec<_>, Vec<_>) = (n.collect(), v.collect());
                assert_eq!(n.len(), v.len());
                n.into_iter().zip(v).for_each(|(n, v)| agree(n, v));
            }
            (None, None) => {}
            _ => panic!("one is a sequence, the other not"),
        }
    }

    #[test]
    fn a_regular_tree_reads_as_its_value() {
        let text = "a: 1\nb: [x, true, null, 2.5, {c: d}, -3, 18446744073709551615]\ne: ~\nf: {g: 'h', i: no}\nj: \"10\"\n";
        let node = parse_one(text).expect("a document");
        assert!(node.json_facts().regular());
        agree(&node, &node.to_json());
    }
}
