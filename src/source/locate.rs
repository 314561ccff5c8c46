//! Where a JSON pointer lands in a spanned tree: the span of the key and value it names, and
//! the pointer of a key read at a span.

use super::{Node, Span};
use crate::pointer::{each_token, push};

/// Spans located for a pointer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Located {
    /// The mapping key's span, when the pointer ends in a key.
    pub key: Option<Span>,
    /// The value's span.
    pub value: Span,
    /// True when the pointer went past what the tree holds and these are the deepest
    /// existing node's spans (used for "missing field" findings).
    pub approximate: bool,
}

/// The deepest node of `root` on the path of `pointer`, the key it was reached by, and
/// whether the whole pointer was walked.
fn deepest<'a>(root: &'a Node, pointer: &str) -> (&'a Node, Option<Span>, bool) {
    let mut node = root;
    let mut key = None;
    for tok in each_token(pointer) {
        match node.walk(std::iter::once(&tok)) {
            Some((n, k)) => {
                node = n;
                key = k;
            }
            None => return (node, key, false),
        }
    }
    (node, key, true)
}

/// Locate `pointer` in `root`. When part of the pointer does not exist, the deepest existing
/// ancestor is returned with `approximate` set.
pub fn locate(root: &Node, pointer: &str) -> Located {
    let (node, key, whole) = deepest(root, pointer);
    Located {
        key,
        value: node.span,
        approximate: !whole,
    }
}

/// For a pointer that goes past what the tree holds, from a node reached without a key (the
/// document, a list item): something of that node with a real width to underline — the value
/// of its `kind` (an object) or else its first key. `None` when that node is not a mapping.
pub fn first_key_of(root: &Node, pointer: &str) -> Option<Span> {
    let (node, _, _) = deepest(root, pointer);
    let entries = node.as_map()?;
    if let Some(kind) = entries.iter().find(|e| e.key == "kind") {
        if !kind.value.span.is_empty() {
            return Some(kind.value.span);
        }
    }
    entries.first().map(|e| e.key_span)
}

/// The pointer of the mapping entry whose key was read from `key_span`, if the tree holds it.
pub fn of_key(root: &Node, key_span: Span) -> Option<String> {
    fn walk(node: &Node, key_span: Span, at: &str) -> Option<String> {
        if node.span.end < key_span.start || node.span.start > key_span.end {
            return None;
        }
        match &node.value {
            super::NodeValue::Map(entries) => entries.iter().find_map(|e| {
                let here = push(at, &e.key);
                if e.key_span == key_span {
                    Some(here)
                } else {
                    walk(&e.value, key_span, &here)
                }
            }),
            super::NodeValue::Seq(items) => items
                .iter()
                .enumerate()
                .find_map(|(i, n)| walk(n, key_span, &push(at, i.to_string()))),
            _ => None,
        }
    }
    walk(root, key_span, "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_span_gives_its_pointer() {
        let text = "a:\n  b: [{c: 1}]\n";
        let root = crate::source::yaml::parse_one(text).expect("doc");
        let at = text.find('c').expect("c");
        assert_eq!(
            of_key(&root, Span::new(at, at + 1)).as_deref(),
            Some("/a/b/0/c")
        );
        assert_eq!(of_key(&root, Span::new(0, 1)).as_deref(), Some("/a"));
        assert_eq!(of_key(&root, Span::new(3, 4)), None);
    }

    #[test]
    fn missing_fields_of_keyless_nodes_get_a_real_span() {
        let text = "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - image: nginx\n";
        let root = crate::source::yaml::parse_one(text).expect("doc");
        let top = first_key_of(&root, "/metadata").expect("span");
        assert_eq!(&text[top.range()], "Pod");
        let item = first_key_of(&root, "/spec/containers/0/name").expect("span");
        assert_eq!(&text[item.range()], "image");
    }
}
