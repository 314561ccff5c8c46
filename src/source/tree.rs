//! The spanned YAML tree: every node, and every mapping key, keeps the byte span it was read
//! from. Scalars are already resolved the way Kubernetes reads them (see [`super::scalar`]).

use super::Span;
use serde_json::{Map, Number, Value};

/// One YAML node with its source span.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub span: Span,
    pub value: NodeValue,
}

/// A mapping entry: the key as Kubernetes sees it (a string) with its span, and the value.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: String,
    pub key_span: Span,
    pub value: Node,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NodeValue {
    Null,
    Bool(bool),
    Int(i64),
    /// An integer too large for i64 but fitting u64.
    UInt(u64),
    Float(f64),
    String(String),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

impl Node {
    pub fn as_map(&self) -> Option<&[Entry]> {
        match &self.value {
            NodeValue::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            NodeValue::Seq(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            NodeValue::String(s) => Some(s),
            _ => None,
        }
    }

    /// The entry for `key` in a mapping (the last one, should the key repeat).
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.as_map()?.iter().rev().find(|e| e.key == key)
    }

    /// Number of nodes in this subtree (keys not counted).
    pub fn count(&self) -> usize {
        match &self.value {
            NodeValue::Seq(items) => 1 + items.iter().map(Node::count).sum::<usize>(),
            NodeValue::Map(entries) => 1 + entries.iter().map(|e| e.value.count()).sum::<usize>(),
            _ => 1,
        }
    }

    /// The JSON value Kubernetes would decode this node to.
    pub fn to_json(&self) -> Value {
        match &self.value {
            NodeValue::Null => Value::Null,
            NodeValue::Bool(b) => Value::Bool(*b),
            NodeValue::Int(i) => Value::Number((*i).into()),
            NodeValue::UInt(u) => Value::Number((*u).into()),
            NodeValue::Float(f) => Number::from_f64(*f)
                .map(Value::Number)
                .unwrap_or_else(|| Value::String(f.to_string())),
            NodeValue::String(s) => Value::String(s.clone()),
            NodeValue::Seq(items) => Value::Array(items.iter().map(Node::to_json).collect()),
            NodeValue::Map(entries) => {
                let mut map = Map::with_capacity(entries.len());
                for e in entries {
                    map.insert(e.key.clone(), e.value.to_json());
                }
                Value::Object(map)
            }
        }
    }

    /// Follow JSON-pointer reference tokens (already unescaped) from this node. Returns the
    /// node reached and, when the last step was a mapping key, that key's span.
    pub fn walk<I, S>(&self, tokens: I) -> Option<(&Node, Option<Span>)>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut node = self;
        let mut key_span = None;
        for tok in tokens {
            let tok = tok.as_ref();
            match &node.value {
                NodeValue::Map(_) => {
                    let e = node.get(tok)?;
                    key_span = Some(e.key_span);
                    node = &e.value;
                }
                NodeValue::Seq(items) => {
                    let i: usize = tok.parse().ok()?;
                    node = items.get(i)?;
                    key_span = None;
                }
                _ => return None,
            }
        }
        Some((node, key_span))
    }
}
