//! [`JsonView`]: a JSON value read the same way from a `serde_json::Value` or from a node of
//! the spanned tree, so that a walk over a large object (a CustomResourceDefinition's schemas)
//! need not build the object's value first.
//!
//! A tree node reads as its value only when its tree is regular
//! ([`super::tree::JsonFacts::regular`]: no mapping repeats a key, no float is one JSON cannot
//! hold); the caller reads the value otherwise. `null` fields are seen in both, as in the value.

use super::tree::{Node, NodeValue};
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
    fn is_null(self) -> bool;
    fn is_map(self) -> bool;
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

    fn is_null(self) -> bool {
        Value::is_null(self)
    }

    fn is_map(self) -> bool {
        self.is_object()
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
        match self.value {
            NodeValue::Bool(b) => Some(b),
            _ => None,
        }
    }

    fn is_null(self) -> bool {
        matches!(self.value, NodeValue::Null)
    }

    fn is_map(self) -> bool {
        self.as_map().is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::JsonView;
    use crate::source::yaml::parse_one;

    /// Every reading of every node of a tree agrees with the same reading of its value.
    fn agree<'a>(node: &'a crate::source::Node, value: &'a serde_json::Value) {
        assert_eq!(JsonView::as_str(node), JsonView::as_str(value));
        assert_eq!(JsonView::as_bool(node), JsonView::as_bool(value));
        assert_eq!(JsonView::is_null(node), JsonView::is_null(value));
        assert_eq!(JsonView::is_map(node), JsonView::is_map(value));
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
        let text = "a: 1\nb: [x, true, null, 2.5, {c: d}]\ne: ~\nf: {g: 'h', i: no}\nj: \"10\"\n";
        let node = parse_one(text).expect("a document");
        assert!(node.json_facts().regular());
        agree(&node, &node.to_json());
    }
}
