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

    /// Whether the node is an integer (its JSON value a number without a fraction).
    pub fn is_integer(&self) -> bool {
        matches!(self.value, NodeValue::Int(_) | NodeValue::UInt(_))
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            NodeValue::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.value {
            NodeValue::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// An integer that fits `i64` (as `serde_json::Value::as_i64` reads its value).
    pub fn as_i64(&self) -> Option<i64> {
        match self.value {
            NodeValue::Int(i) => Some(i),
            NodeValue::UInt(u) => i64::try_from(u).ok(),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.value, NodeValue::Null)
    }

    /// Whether the node's JSON value is a number (a float JSON cannot hold is a string).
    pub fn is_number(&self) -> bool {
        match self.value {
            NodeValue::Int(_) | NodeValue::UInt(_) => true,
            NodeValue::Float(f) => f.is_finite(),
            _ => false,
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
            NodeValue::Float(f) => match Number::from_f64(*f) {
                Some(n) => Value::Number(n),
                None => Value::String(f.to_string()),
            },
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

    /// What can be learnt of the node's JSON value without building it: exact when no
    /// mapping repeats a key (`repeated_key` false).
    pub fn json_facts(&self) -> JsonFacts {
        let mut facts = JsonFacts {
            floor: 0,
            len: None,
            null_field: false,
            repeated_key: false,
            odd_float: false,
        };
        if self.span.end.saturating_sub(self.span.start) as usize >= EXACT_LEN_FROM {
            let (floor, len) = self.json_sizes_into::<true>(&mut facts);
            facts.floor = floor;
            facts.len = Some(len);
        } else {
            facts.floor = self.json_sizes_into::<false>(&mut facts).0;
        }
        facts
    }

    /// The floor of the node's JSON size and, when `EXACT`, its exact size
    /// ([`crate::json_size::node_len`], 0 otherwise), in one walk.
    fn json_sizes_into<const EXACT: bool>(&self, facts: &mut JsonFacts) -> (usize, usize) {
        let exact = |v: &NodeValue| {
            if EXACT {
                crate::json_size::scalar_len(v)
            } else {
                0
            }
        };
        match &self.value {
            NodeValue::Null => (4, 4),
            NodeValue::Bool(b) => (4 + usize::from(!b), 4 + usize::from(!b)),
            v @ (NodeValue::Int(_) | NodeValue::UInt(_)) => (1, exact(v)),
            v @ NodeValue::Float(f) if f.is_finite() => (1, exact(v)),
            v @ NodeValue::Float(f) => {
                facts.odd_float = true;
                (f.to_string().len() + 2, exact(v))
            }
            v @ NodeValue::String(s) => (s.len() + 2, exact(v)),
            NodeValue::Seq(items) => {
                let mut size = 2 + items.len().saturating_sub(1);
                let mut len = size;
                for n in items {
                    let (s, l) = n.json_sizes_into::<EXACT>(facts);
                    size += s;
                    len += l;
                }
                (size, len)
            }
            NodeValue::Map(entries) => {
                let mut size = 2 + entries.len().saturating_sub(1);
                let mut len = size;
                for e in entries {
                    let (s, l) = e.value.json_sizes_into::<EXACT>(facts);
                    size += e.key.len() + 3 + s;
                    if EXACT {
                        len += crate::json_size::string_len(&e.key) + 1 + l;
                    }
                    facts.null_field |= matches!(e.value.value, NodeValue::Null);
                }
                facts.repeated_key = facts.repeated_key || repeats_a_key(entries);
                (size, len)
            }
        }
    }

    /// The string the node's JSON value holds: a string, or a float JSON cannot hold as a
    /// number (`.nan`), written as Rust writes it.
    pub fn json_str(&self) -> Option<std::borrow::Cow<'_, str>> {
        match &self.value {
            NodeValue::String(s) => Some(std::borrow::Cow::Borrowed(s)),
            NodeValue::Float(f) if Number::from_f64(*f).is_none() => {
                Some(std::borrow::Cow::Owned(f.to_string()))
            }
            _ => None,
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

/// Whether a mapping's entries repeat a key: pairwise for the small mappings of most
/// objects, by a set for larger ones.
fn repeats_a_key(entries: &[Entry]) -> bool {
    if entries.len() <= 16 {
        return entries
            .iter()
            .enumerate()
            .any(|(i, e)| entries[..i].iter().any(|x| x.key == e.key));
    }
    let mut seen = std::collections::HashSet::with_capacity(entries.len());
    !entries.iter().all(|e| seen.insert(e.key.as_str()))
}

/// Bytes of YAML from which [`Node::json_facts`] counts a node's exact JSON size too.
const EXACT_LEN_FROM: usize = 128 << 10;

/// What [`Node::json_facts`] learns of a tree's JSON value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JsonFacts {
    /// [`json_floor`] of the value.
    pub floor: usize,
    /// The exact size ([`crate::json_size::node_len`]), counted with the floor for documents
    /// of [`EXACT_LEN_FROM`] bytes or more: only those can approach the size limits
    /// `object-too-large` checks, which then need not walk a large tree a second time.
    pub len: Option<usize>,
    /// [`has_null_field`] of the value.
    pub null_field: bool,
    /// Whether some mapping repeats a key (the value keeps the last): then `floor` and
    /// `null_field` count every entry and may differ from the value's.
    pub repeated_key: bool,
    /// Whether some float is one JSON cannot hold as a number (`.nan`, `.inf`): the value
    /// holds it as a string.
    pub odd_float: bool,
}

impl JsonFacts {
    /// Whether the tree reads as the value does, node for node: no repeated key, and every
    /// string of the value a string of the tree.
    pub fn regular(&self) -> bool {
        !self.repeated_key && !self.odd_float
    }
}

/// Whether some mapping in `v` holds a `null` (a field the API server reads as absent).
pub fn has_null_field(v: &Value) -> bool {
    match v {
        Value::Object(m) => m.values().any(|x| x.is_null() || has_null_field(x)),
        Value::Array(a) => a.iter().any(has_null_field),
        _ => false,
    }
}

/// A lower bound of the bytes of `v` as compact JSON that reads no string: every string as if
/// nothing in it needed escaping, every number as one digit.
pub fn json_floor(v: &Value) -> usize {
    match v {
        Value::Null => 4,
        Value::Bool(b) => 4 + usize::from(!b),
        Value::Number(_) => 1,
        Value::String(s) => s.len() + 2,
        Value::Array(a) => 2 + a.len().saturating_sub(1) + a.iter().map(json_floor).sum::<usize>(),
        Value::Object(m) => {
            2 + m.len().saturating_sub(1)
                + m.iter()
                    .map(|(k, x)| k.len() + 3 + json_floor(x))
                    .sum::<usize>()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{has_null_field, json_floor};
    use crate::source::yaml::parse_one;

    #[test]
    fn a_repeated_key_is_seen_in_a_mapping_of_any_size_at_any_depth() {
        for n in [2, 15, 16, 17, 40] {
            let mut text: String = (0..n).map(|i| format!("  k{i}: {i}\n")).collect();
            text.insert_str(0, "top: 1\nnested:\n");
            assert!(
                !parse_one(&text).expect("doc").json_facts().repeated_key,
                "{n}"
            );
            text.push_str("  k0: again\n");
            assert!(
                parse_one(&text).expect("doc").json_facts().repeated_key,
                "{n}"
            );
        }
    }

    #[test]
    fn the_size_learnt_from_the_tree_is_the_floor_of_its_value() {
        for text in [
            "a: [1, 2.5, null, true, false, x]\nb: {c: \"q\\\"\", d: ~}\n",
            "a: 1\na: [long, list]\nb: .nan\nc: -.inf\n",
            "- {}\n- []\n- ''\n",
            "a: 1\na: ~\nb: [{c: ~}]\n",
            "a: ~\na: 1\n",
            "- ~\n- [~]\n",
            "a: {b: .nan, c: [.inf, -1, 18446744073709551615]}\nd: {e: ~}\n",
        ] {
            let root = parse_one(text).expect("document");
            let value = root.to_json();
            let size = json_floor(&value);
            // Learnt from the tree alone, the same facts, unless a key repeats.
            let facts = root.json_facts();
            let repeats = text.starts_with("a: 1\na:") || text.starts_with("a: ~\na:");
            assert_eq!(facts.repeated_key, repeats, "{text}");
            if !repeats {
                assert_eq!(facts.floor, size, "{text}");
                assert_eq!(facts.null_field, has_null_field(&value), "{text}");
            }
            let exact = serde_json::to_string(&value).map_or(0, |s| s.len());
            assert!(size <= exact, "{text}: {size} > {exact}");
            // `object-too-large` skips its walk on this bound: it must not pass Go's size.
            let go = crate::json_size::value_len(&value);
            assert!(size <= go, "{text}: {size} > {go}");
        }
    }

    #[test]
    fn a_large_document_counts_its_exact_size_with_the_floor() {
        let item = "- {a: [1, -2, 2.5, 1e300, 18446744073709551615, null, true, false],                     \"b<\\\"\": \"x\\ty\\u2028&\", c: {d: ~, e: [{}, []]}, f: ''}\n";
        let small = parse_one(item).expect("document");
        assert_eq!(
            small.json_facts().len,
            None,
            "a small document is not counted"
        );
        let text = item.repeat((super::EXACT_LEN_FROM / item.len()) + 1);
        let root = parse_one(&text).expect("document");
        let facts = root.json_facts();
        let value = root.to_json();
        assert_eq!(facts.len, Some(crate::json_size::node_len(&root)));
        assert_eq!(facts.len, Some(crate::json_size::value_len(&value)));
        assert_eq!(facts.floor, json_floor(&value));
        assert!(facts.null_field);
    }
}
