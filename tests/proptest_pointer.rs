//! Property: for any tree written as YAML (block or flow style, any indentation), every JSON
//! pointer into it locates the exact key and value text it names.

use kubevet::pointer::push;
use kubevet::source::locate::locate;
use kubevet::source::{parse_stream, Limits};
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum T {
    Scalar(String),
    Map(Vec<(String, T)>),
    Seq(Vec<T>),
}

fn tree() -> impl Strategy<Value = T> {
    let leaf = "[a-z][a-z0-9]{0,6}".prop_map(T::Scalar);
    leaf.prop_recursive(4, 40, 4, |inner| {
        prop_oneof![
            prop::collection::vec(("k[a-zA-Z]{0,5}", inner.clone()), 1..4).prop_map(|v| {
                // Unique keys.
                let mut seen = std::collections::HashSet::new();
                T::Map(
                    v.into_iter()
                        .filter(|(k, _)| seen.insert(k.clone()))
                        .collect(),
                )
            }),
            prop::collection::vec(inner, 1..4).prop_map(T::Seq),
        ]
    })
}

/// Write block-style YAML at an indentation. (Keys start with `k` so that none is a YAML 1.1
/// boolean such as `n` or `on`, which Kubernetes would read as `"false"` / `"true"`.)
fn write(t: &T, indent: usize, step: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match t {
        T::Scalar(s) => {
            out.push_str(s);
            out.push('\n');
        }
        T::Map(entries) => {
            for (i, (k, v)) in entries.iter().enumerate() {
                if i > 0 || !out.ends_with("- ") {
                    if !out.is_empty() && !out.ends_with('\n') && !out.ends_with("- ") {
                        out.push('\n');
                    }
                    if !out.ends_with("- ") {
                        out.push_str(&pad);
                    }
                }
                out.push_str(k);
                out.push(':');
                match v {
                    T::Scalar(_) => {
                        out.push(' ');
                        write(v, indent + step, step, out);
                    }
                    _ => {
                        out.push('\n');
                        write(v, indent + step, step, out);
                    }
                }
            }
        }
        T::Seq(items) => {
            for it in items {
                out.push_str(&pad);
                out.push_str("- ");
                match it {
                    T::Scalar(_) => write(it, indent + 2, step, out),
                    T::Map(_) => write(it, indent + 2, step, out),
                    T::Seq(_) => {
                        out.push('\n');
                        write(it, indent + 2, step, out);
                    }
                }
            }
        }
    }
}

fn pointers(t: &T, ptr: String, out: &mut Vec<(String, Option<String>, Option<String>)>) {
    match t {
        T::Scalar(s) => out.push((ptr, None, Some(s.clone()))),
        T::Map(entries) => {
            for (k, v) in entries {
                let p = push(&ptr, k);
                if let T::Scalar(s) = v {
                    out.push((p.clone(), Some(k.clone()), Some(s.clone())));
                } else {
                    out.push((p.clone(), Some(k.clone()), None));
                }
                pointers(v, p, out);
            }
        }
        T::Seq(items) => {
            for (i, it) in items.iter().enumerate() {
                pointers(it, push(&ptr, i.to_string()), out);
            }
        }
    }
}

proptest! {
    #[test]
    fn every_pointer_locates_its_key_and_value(
        entries in prop::collection::vec(("k[a-zA-Z]{0,5}", tree()), 1..4),
        step in 2usize..5,
    ) {
        let mut seen = std::collections::HashSet::new();
        let root = T::Map(entries.into_iter().filter(|(k, _)| seen.insert(k.clone())).collect());
        let mut text = String::new();
        write(&root, 0, step, &mut text);
        let stream = parse_stream(&text, &Limits::default());
        prop_assert!(stream.problems.is_empty(), "{:?}\n{}", stream.problems, text);
        let node = stream.documents[0].root.as_ref().expect("root");
        let mut ps = Vec::new();
        pointers(&root, String::new(), &mut ps);
        for (ptr, key, scalar) in ps {
            let l = locate(node, &ptr);
            prop_assert!(!l.approximate, "{} not found in\n{}", ptr, text);
            if let Some(k) = key {
                let ks = l.key.expect("key span");
                prop_assert_eq!(&text[ks.range()], k.as_str());
            }
            if let Some(s) = scalar {
                prop_assert_eq!(&text[l.value.range()], s.as_str(), "{} in\n{}", ptr, text);
            }
        }
    }
}
