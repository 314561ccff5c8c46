//! JSON Pointers (RFC 6901) as strings: building them from parts, splitting them into tokens,
//! and comparing them. Findings, fixes and the tree all address values this way.

use crate::source::tree::{Node, NodeValue};

/// Escape one reference token (`~` -> `~0`, `/` -> `~1`).
pub fn escape(token: &str) -> std::borrow::Cow<'_, str> {
    if needs_escape(token) {
        let mut out = String::with_capacity(token.len() + 2);
        push_escaped(&mut out, token);
        out.into()
    } else {
        token.into()
    }
}

/// Append a token to `out` with `~` written `~0` and `/` written `~1`, in one pass.
fn push_escaped(out: &mut String, token: &str) {
    for c in token.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
}

/// Unescape one reference token (`~1` -> `/`, then `~0` -> `~`); a token without `~` (most)
/// is returned as it is, without a copy.
pub fn unescape(token: &str) -> std::borrow::Cow<'_, str> {
    if token.contains('~') {
        token.replace("~1", "/").replace("~0", "~").into()
    } else {
        token.into()
    }
}

/// Whether a token holds `~` or `/` (a byte scan: tokens are short, and this runs for every
/// pointer a rule builds).
fn needs_escape(token: &str) -> bool {
    token.bytes().any(|b| b == b'~' || b == b'/')
}

/// Append `/` and one escaped token to `out`.
fn push_token(out: &mut String, token: &str) {
    out.push('/');
    if needs_escape(token) {
        push_escaped(out, token);
    } else {
        out.push_str(token);
    }
}

/// Append one token to a pointer.
pub fn push(pointer: &str, token: impl AsRef<str>) -> String {
    let token = token.as_ref();
    let mut out = String::with_capacity(pointer.len() + 1 + token.len());
    out.push_str(pointer);
    push_token(&mut out, token);
    out
}

/// Append `/` and a list index to `out` (an index never needs escaping, and is written
/// straight into the pointer instead of through a string of its own).
fn push_index_token(out: &mut String, index: usize) {
    use std::fmt::Write;
    out.push('/');
    let _ = write!(out, "{index}");
}

/// Append a list index to a pointer.
pub fn push_index(pointer: &str, index: usize) -> String {
    let mut out = String::with_capacity(pointer.len() + 4);
    out.push_str(pointer);
    push_index_token(&mut out, index);
    out
}

/// Append a token and then a list index to a pointer: `/spec` + `containers` + 0 ->
/// `/spec/containers/0`.
pub fn push_item(pointer: &str, token: &str, index: usize) -> String {
    let mut out = String::with_capacity(pointer.len() + token.len() + 6);
    out.push_str(pointer);
    push_token(&mut out, token);
    push_index_token(&mut out, index);
    out
}

/// A pointer not yet written: a base and the tokens below it, each step borrowing its
/// parent. A rule walking many list items passes these down and writes a pointer
/// ([`Below::build`]) only for a finding, instead of formatting one per item it visits.
#[derive(Debug, Clone, Copy)]
pub enum Below<'a> {
    /// A pointer already written.
    At(&'a str),
    /// A key below a pointer.
    Key(&'a Below<'a>, &'a str),
    /// A list index below a pointer.
    Index(&'a Below<'a>, usize),
}

impl<'a> Below<'a> {
    /// The pointer of `key` below this one.
    pub fn key(&'a self, key: &'a str) -> Below<'a> {
        Below::Key(self, key)
    }

    /// The pointer of item `index` below this one.
    pub fn index(&'a self, index: usize) -> Below<'a> {
        Below::Index(self, index)
    }

    /// The pointer, written.
    pub fn build(&self) -> String {
        match self {
            Below::At(p) => p.to_string(),
            Below::Key(parent, key) => {
                let mut out = parent.build();
                push_token(&mut out, key);
                out
            }
            Below::Index(parent, index) => {
                let mut out = parent.build();
                push_index_token(&mut out, *index);
                out
            }
        }
    }
}

/// Join a pointer with further tokens.
pub fn join<S: AsRef<str>>(pointer: &str, tokens: &[S]) -> String {
    let len = tokens.iter().map(|t| t.as_ref().len() + 1).sum::<usize>();
    let mut out = String::with_capacity(pointer.len() + len);
    out.push_str(pointer);
    for t in tokens {
        push_token(&mut out, t.as_ref());
    }
    out
}

/// Split a pointer into unescaped tokens. `""` is the root (no tokens).
pub fn tokens(pointer: &str) -> Vec<String> {
    each_token(pointer)
        .map(std::borrow::Cow::into_owned)
        .collect()
}

/// [`tokens`] one at a time, borrowed from the pointer unless one needs unescaping: what a
/// walk down a tree takes, without a string per token.
pub fn each_token(pointer: &str) -> impl Iterator<Item = std::borrow::Cow<'_, str>> {
    Tokens {
        rest: match pointer {
            "" => None,
            p => Some(p.strip_prefix('/').unwrap_or(p)),
        },
    }
}

/// The tokens of a pointer's text after its leading `/`, as `split('/')` cuts them, each
/// unescaped. Cut with one byte loop: tokens are short and most hold no `~`, and rules look
/// values up by pointer for every object (`str::split` sets up a searcher for each token).
struct Tokens<'p> {
    /// What is left to cut; `None` once the last token is out.
    rest: Option<&'p str>,
}

impl<'p> Iterator for Tokens<'p> {
    type Item = std::borrow::Cow<'p, str>;

    fn next(&mut self) -> Option<Self::Item> {
        let rest = self.rest?;
        let bytes = rest.as_bytes();
        let mut end = 0;
        let mut tilde = false;
        while end < bytes.len() && bytes[end] != b'/' {
            tilde |= bytes[end] == b'~';
            end += 1;
        }
        // `/` is ASCII, so `end` and `end + 1` are character boundaries.
        let raw = &rest[..end];
        self.rest = (end < bytes.len()).then(|| &rest[end + 1..]);
        Some(if tilde {
            unescape(raw)
        } else {
            std::borrow::Cow::Borrowed(raw)
        })
    }
}

/// The node at a JSON pointer in a spanned tree, read as [`lookup`] reads the tree's JSON
/// value: a mapping's last entry for a repeated key, RFC 6901 indexes into sequences.
pub fn lookup_node<'n>(node: &'n Node, pointer: &str) -> Option<&'n Node> {
    if pointer.is_empty() {
        return Some(node);
    }
    let rest = pointer.strip_prefix('/')?;
    let mut n = node;
    for token in (Tokens { rest: Some(rest) }) {
        n = match &n.value {
            NodeValue::Map(entries) => &entries.iter().rev().find(|e| e.key == *token)?.value,
            NodeValue::Seq(items) => items.get(array_index(&token)?)?,
            _ => return None,
        };
    }
    Some(n)
}

/// An RFC 6901 array index: decimal digits, no leading zero.
fn array_index(t: &str) -> Option<usize> {
    if t.is_empty() || (t.len() > 1 && t.starts_with('0')) || !t.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    t.parse().ok()
}

/// The value at a JSON pointer, like `Value::pointer` but without allocating for tokens that
/// need no unescaping (rules look values up by pointer for every object).
pub fn lookup<'v>(value: &'v serde_json::Value, pointer: &str) -> Option<&'v serde_json::Value> {
    if pointer.is_empty() {
        return Some(value);
    }
    let rest = pointer.strip_prefix('/')?;
    let mut v = value;
    for token in (Tokens { rest: Some(rest) }) {
        v = match v {
            serde_json::Value::Object(m) => m.get(token.as_ref())?,
            serde_json::Value::Array(a) => a.get(array_index(&token)?)?,
            _ => return None,
        };
    }
    Some(v)
}

/// [`lookup`] as a method: `value.at_pointer("/spec/replicas")`, in place of
/// `Value::pointer`, which allocates two strings for every token it reads.
pub trait AtPointer {
    fn at_pointer(&self, pointer: &str) -> Option<&serde_json::Value>;

    /// The string at the pointer.
    fn str_at(&self, pointer: &str) -> Option<&str> {
        self.at_pointer(pointer)?.as_str()
    }

    /// The integer at the pointer, when it fits an `i64`.
    fn i64_at(&self, pointer: &str) -> Option<i64> {
        self.at_pointer(pointer)?.as_i64()
    }

    /// Whether something other than `null` is at the pointer.
    fn set_at(&self, pointer: &str) -> bool {
        self.at_pointer(pointer).is_some_and(|v| !v.is_null())
    }
}

impl<T: AtPointer + ?Sized> AtPointer for &T {
    fn at_pointer(&self, pointer: &str) -> Option<&serde_json::Value> {
        (**self).at_pointer(pointer)
    }

    fn str_at(&self, pointer: &str) -> Option<&str> {
        (**self).str_at(pointer)
    }

    fn i64_at(&self, pointer: &str) -> Option<i64> {
        (**self).i64_at(pointer)
    }

    fn set_at(&self, pointer: &str) -> bool {
        (**self).set_at(pointer)
    }
}

impl AtPointer for serde_json::Value {
    fn at_pointer(&self, pointer: &str) -> Option<&serde_json::Value> {
        lookup(self, pointer)
    }
}

/// The parent pointer and last token, or `None` for the root.
pub fn split_last(pointer: &str) -> Option<(&str, String)> {
    let i = pointer.rfind('/')?;
    Some((&pointer[..i], unescape(&pointer[i + 1..]).into_owned()))
}

/// Whether `pointer` is `prefix` or lies below it.
pub fn starts_with(pointer: &str, prefix: &str) -> bool {
    pointer == prefix
        || (pointer.starts_with(prefix) && pointer.as_bytes().get(prefix.len()) == Some(&b'/'))
}

/// A pointer as a dotted path for messages: `/spec/containers/0/image` ->
/// `spec.containers[0].image`. A token of digits is a list index.
pub fn dotted(pointer: &str) -> String {
    let mut out = String::new();
    for token in each_token(pointer) {
        if !token.is_empty() && token.bytes().all(|b| b.is_ascii_digit()) {
            out.push('[');
            out.push_str(&token);
            out.push(']');
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&token);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn indexes_are_appended_as_tokens() {
        assert_eq!(
            super::push_index("/spec/containers", 12),
            "/spec/containers/12"
        );
        assert_eq!(super::push_index("", 0), "/0");
        assert_eq!(super::push_item("/spec", "a/b", 3), "/spec/a~1b/3");
        assert_eq!(
            super::push_item("/spec", "containers", 3),
            super::join("/spec", &["containers", "3"])
        );
    }

    #[test]
    fn pointers_below_are_written_as_pushed() {
        let rules = super::Below::At("/spec/rules");
        let rule = rules.index(2);
        let http = rule.key("http");
        let odd = http.key("a/b~c");
        assert_eq!(rules.build(), "/spec/rules");
        assert_eq!(
            odd.build(),
            super::push(&super::push_index("/spec/rules", 2), "http") + "/a~1b~0c"
        );
        assert_eq!(odd.index(0).build(), "/spec/rules/2/http/a~1b~0c/0");
    }

    /// Pointers into `{"a": {"b/c": [1, {"d~e": 2}], "": 3}, "n": null}`: escapes, indexes
    /// (leading zero, past the end, `-`, signed), missing keys, no leading `/`.
    const LOOKUPS: [&str; 13] = [
        "",
        "/a",
        "/a/b~1c",
        "/a/b~1c/0",
        "/a/b~1c/1/d~0e",
        "/a/",
        "/a/b~1c/01",
        "/a/b~1c/2",
        "/x",
        "/n",
        "/a/b~1c/-",
        "a",
        "/a/b~1c/+1",
    ];

    #[test]
    fn lookup_agrees_with_serde_json() {
        let v = serde_json::json!({"a": {"b/c": [1, {"d~e": 2}], "": 3}, "n": null});
        for p in LOOKUPS {
            assert_eq!(super::lookup(&v, p), v.pointer(p), "{p}");
        }
    }

    #[test]
    fn tokens_are_cut_as_split_cuts_them() {
        for p in [
            "",
            "/",
            "//",
            "/a/",
            "a/b",
            "/a~1b/~0/c~01",
            "/é/ü~1x",
            "/a//b",
        ] {
            let expected: Vec<String> = match p {
                "" => Vec::new(),
                p => p
                    .strip_prefix('/')
                    .unwrap_or(p)
                    .split('/')
                    .map(|t| t.replace("~1", "/").replace("~0", "~"))
                    .collect(),
            };
            assert_eq!(super::tokens(p), expected, "{p}");
        }
    }

    #[test]
    fn lookup_node_agrees_with_lookup() {
        let text = "a:\n  b/c: [1, {d~e: 2}]\n  '': 3\nn: null\n";
        let stream = crate::source::parse_stream(text, &crate::source::Limits::default());
        let root = stream.documents[0].root.as_ref().unwrap();
        let value = root.to_json();
        for p in LOOKUPS {
            let node = super::lookup_node(root, p).map(Node::to_json);
            assert_eq!(node.as_ref(), super::lookup(&value, p), "{p}");
        }
    }

    use super::*;

    #[test]
    fn escaping_round_trips() {
        let p = join("", &["metadata", "annotations", "a/b~c"]);
        assert_eq!(p, "/metadata/annotations/a~1b~0c");
        assert_eq!(tokens(&p), vec!["metadata", "annotations", "a/b~c"]);
        assert_eq!(
            split_last(&p),
            Some(("/metadata/annotations", "a/b~c".into()))
        );
    }

    #[test]
    fn prefix_is_per_token() {
        assert!(starts_with("/spec/volumes/0", "/spec/volumes"));
        assert!(starts_with("/spec", "/spec"));
        assert!(!starts_with("/spec/volumesX", "/spec/volumes"));
        assert!(starts_with("/a", ""));
    }

    #[test]
    fn dotted_paths() {
        for (pointer, path) in [
            ("", ""),
            ("/spec", "spec"),
            ("/spec/containers/0/image", "spec.containers[0].image"),
            ("/spec/template/spec", "spec.template.spec"),
            ("/items/12", "items[12]"),
            ("/0", "[0]"),
            ("/a/+1", "a.+1"),
            ("/a/1x", "a.1x"),
            ("/metadata/annotations/a~1b", "metadata.annotations.a/b"),
            ("/a/", "a."),
        ] {
            assert_eq!(dotted(pointer), path, "{pointer}");
        }
    }
}
