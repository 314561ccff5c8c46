//! The spanned YAML tree as a JSON representation `jsonschema` validates directly, so that a
//! valid object is checked without building its `serde_json::Value`.
//!
//! It reads a tree the way the API server reads the JSON it decodes: a mapping entry whose
//! value is `null` is absent (Kubernetes drops such fields before validating), a float that
//! JSON cannot hold (`.nan`, `.inf`) is the string Rust writes for it, and each mapping holds
//! each key once. That last point is the caller's to ensure: a tree with a repeated key must be
//! validated through its JSON value instead (see [`crate::model::Object::plain`]).

use crate::source::tree::{Entry, Node, NodeValue};
use jsonschema::json::{cmp, Array, Json, Node as JsonNode, NodeIdentity, Object};
use jsonschema::JsonType;
use serde_json::{Number, Value};
use std::borrow::Cow;

/// The representation: nodes of the spanned tree.
pub struct Tree;

impl Json for Tree {
    type Node<'a> = &'a Node;
    type PreparedKey = String;
    type StringBuffer = Option<Node>;

    const ACYCLIC: bool = true;

    fn prepare_key(key: &str) -> String {
        key.to_owned()
    }

    fn with_string_node<T>(
        buffer: &mut Option<Node>,
        string: &str,
        f: impl FnOnce(&Node) -> T,
    ) -> T {
        let node = buffer.insert(Node {
            span: Default::default(),
            value: NodeValue::String(string.to_owned()),
        });
        f(node)
    }
}

impl<'a> JsonNode<'a, Tree> for &'a Node {
    type Object = Members<'a>;
    type Array = &'a [Node];
    type Number = Number;

    fn as_object(&self) -> Option<Members<'a>> {
        match &self.value {
            NodeValue::Map(entries) => Some(Members(entries)),
            _ => None,
        }
    }

    fn as_array(&self) -> Option<&'a [Node]> {
        match &self.value {
            NodeValue::Seq(items) => Some(items),
            _ => None,
        }
    }

    fn as_string(&self) -> Option<Cow<'a, str>> {
        self.json_str()
    }

    fn as_number(&self) -> Option<Number> {
        match &self.value {
            NodeValue::Int(i) => Some((*i).into()),
            NodeValue::UInt(u) => Some((*u).into()),
            NodeValue::Float(f) => Number::from_f64(*f),
            _ => None,
        }
    }

    fn is_number(&self) -> bool {
        Node::is_number(self)
    }

    fn as_boolean(&self) -> Option<bool> {
        Node::as_bool(self)
    }

    fn is_null(&self) -> bool {
        Node::is_null(self)
    }

    fn json_type(&self) -> JsonType {
        match &self.value {
            NodeValue::Null => JsonType::Null,
            NodeValue::Bool(_) => JsonType::Boolean,
            NodeValue::Int(_) | NodeValue::UInt(_) => JsonType::Number,
            NodeValue::Float(f) if f.is_finite() => JsonType::Number,
            NodeValue::Float(_) | NodeValue::String(_) => JsonType::String,
            NodeValue::Seq(_) => JsonType::Array,
            NodeValue::Map(_) => JsonType::Object,
        }
    }

    fn string_length(&self) -> Option<u64> {
        self.as_string().map(|s| s.chars().count() as u64)
    }

    fn string_length_within(&self, min: u64, max: u64) -> Option<bool> {
        let s = self.as_string()?;
        // A code point takes one to four bytes: the byte count often decides without counting.
        let bytes = s.len() as u64;
        if bytes < min || bytes.div_ceil(4) > max {
            return Some(false);
        }
        if min <= bytes.div_ceil(4) && bytes <= max {
            return Some(true);
        }
        Some((min..=max).contains(&(s.chars().count() as u64)))
    }

    fn equals_value(&self, expected: &Value) -> bool {
        match (&self.value, expected) {
            (NodeValue::String(s), Value::String(e)) => s == e,
            (NodeValue::Bool(b), Value::Bool(e)) => b == e,
            (NodeValue::Null, Value::Null) => true,
            (NodeValue::Map(_) | NodeValue::Seq(_) | NodeValue::Float(_), _) => {
                cmp::equal(&to_json(self), expected)
            }
            (NodeValue::Int(_) | NodeValue::UInt(_), Value::Number(e)) => {
                self.as_number().is_some_and(|n| cmp::equal_numbers(&n, e))
            }
            _ => false,
        }
    }

    fn to_value(&self) -> Cow<'a, Value> {
        Cow::Owned(to_json(self))
    }

    fn identity(&self) -> Option<NodeIdentity> {
        Some(NodeIdentity::new(std::ptr::from_ref::<Node>(self) as usize))
    }
}

/// The members of a mapping, without those whose value is `null`.
pub struct Members<'a>(&'a [Entry]);

/// [`Members`] in order.
pub struct MembersIter<'a>(std::slice::Iter<'a, Entry>);

impl<'a> Iterator for MembersIter<'a> {
    type Item = (&'a str, &'a Node);

    fn next(&mut self) -> Option<Self::Item> {
        self.0
            .by_ref()
            .find(|e| !matches!(e.value.value, NodeValue::Null))
            .map(|e| (e.key.as_str(), &e.value))
    }
}

impl<'a> Object<'a, Tree> for Members<'a> {
    type Node = &'a Node;
    type MemberName = &'a str;
    type MembersIter = MembersIter<'a>;

    fn len(&self) -> usize {
        self.0
            .iter()
            .filter(|e| !matches!(e.value.value, NodeValue::Null))
            .count()
    }

    fn get(&self, key: &String) -> Option<&'a Node> {
        self.0
            .iter()
            .find(|e| e.key == *key)
            .map(|e| &e.value)
            .filter(|v| !matches!(v.value, NodeValue::Null))
    }

    fn members(&self) -> MembersIter<'a> {
        MembersIter(self.0.iter())
    }
}

impl<'a> Array<'a, Tree> for &'a [Node] {
    type Node = &'a Node;
    type ElementsIter = std::slice::Iter<'a, Node>;

    fn len(&self) -> usize {
        <[Node]>::len(self)
    }

    fn elements(&self) -> std::slice::Iter<'a, Node> {
        (*self).iter()
    }
}

/// The JSON value of `node` as this representation reads it: mapping entries whose value is
/// `null` left out, at every depth (for error messages and comparisons, off the hot path).
pub fn to_json(node: &Node) -> Value {
    super::strip_nulls(&node.to_json())
}
