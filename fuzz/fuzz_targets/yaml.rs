//! The YAML layer never panics, hangs or grows without bound, and every span it returns lies
//! on character boundaries inside the text.
#![no_main]

use kubevet::pointer;
use kubevet::source::{locate, parse_stream, Limits, Node, NodeValue};
use libfuzzer_sys::fuzz_target;

fn check_spans(text: &str, node: &Node, ptr: &str, root: &Node) {
    let s = node.span;
    assert!(s.start <= s.end && (s.end as usize) <= text.len());
    assert!(text.is_char_boundary(s.start as usize) && text.is_char_boundary(s.end as usize));
    // Every pointer the tree produces locates something.
    let _ = locate::locate(root, ptr);
    match &node.value {
        NodeValue::Seq(items) => {
            for (i, n) in items.iter().enumerate().take(64) {
                check_spans(text, n, &pointer::push(ptr, i.to_string()), root);
            }
        }
        NodeValue::Map(entries) => {
            for e in entries.iter().take(64) {
                assert!((e.key_span.end as usize) <= text.len());
                check_spans(text, &e.value, &pointer::push(ptr, &e.key), root);
            }
        }
        _ => {}
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let limits = Limits { max_nodes: 100_000, ..Limits::default() };
    let stream = parse_stream(text, &limits);
    for d in &stream.documents {
        if let Some(root) = &d.root {
            check_spans(text, root, "", root);
            let _ = root.to_json();
        }
    }
    for p in &stream.problems {
        assert!((p.span.end as usize) <= text.len());
    }
});
