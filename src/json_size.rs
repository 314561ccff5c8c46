//! Bytes of a JSON value as Go's `encoding/json` writes it (compact, HTML-safe escapes): the
//! size the API server counts when `kubectl apply` stores an object in an annotation, counted
//! without building the text.

use crate::source::tree::{Node, NodeValue};
use serde_json::{Number, Value};

/// Bytes Go's JSON encoder writes for a string, quotes included: it escapes `"` and `\`, the
/// control characters (`\n`, `\r`, `\t` in two bytes, the others as `\u00XX`), `<`, `>` and `&`
/// as `\u003c` and the like, and U+2028 / U+2029 as `\u2028` / `\u2029`; any other byte is
/// written as it is.
pub fn string_len(s: &str) -> usize {
    let bytes = s.as_bytes();
    let mut n = 2 + bytes.len() + escapes(bytes);
    if memchr::memchr(0xE2, bytes).is_some() {
        n += 3 * s.matches(['\u{2028}', '\u{2029}']).count();
    }
    n
}

/// The bytes the escapes of ASCII characters add. Long strings are counted sixteen bytes at a
/// time in lanes the compiler turns into vector instructions; the rest (most keys and short
/// values) byte by byte from a table.
fn escapes(bytes: &[u8]) -> usize {
    const LANES: usize = 16;
    // A lane gains 5 at most per block: flush before a `u8` could overflow.
    const BLOCKS: usize = 255 / 5;
    let mut blocks = bytes.chunks_exact(LANES);
    let mut total = by_table(blocks.remainder());
    let mut acc = [0u8; LANES];
    let mut n = 0;
    for block in &mut blocks {
        for (a, &b) in acc.iter_mut().zip(block) {
            *a += extra(b);
        }
        n += 1;
        if n == BLOCKS {
            total += acc.iter().map(|&a| usize::from(a)).sum::<usize>();
            acc = [0; LANES];
            n = 0;
        }
    }
    if n > 0 {
        total += acc.iter().map(|&a| usize::from(a)).sum::<usize>();
    }
    total
}

/// [`escapes`] of a few bytes, one at a time.
fn by_table(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .map(|&b| usize::from(EXTRA[usize::from(b)]))
        .sum()
}

/// [`extra`] of every byte.
const EXTRA: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = extra(b as u8);
        b += 1;
    }
    t
};

/// What one byte adds to itself when written: 5 for a `\u00XX` escape, 1 for a two-byte one.
/// Written without branches so that [`escapes`] can apply it to many bytes at once.
#[inline(always)]
const fn extra(b: u8) -> u8 {
    let control = (b < 0x20) as u8;
    let short_control = (b == b'\n') as u8 | (b == b'\r') as u8 | (b == b'\t') as u8;
    let quote = (b == b'"') as u8 | (b == b'\\') as u8;
    let html = (b == b'<') as u8 | (b == b'>') as u8 | (b == b'&') as u8;
    // A short control character is a control character that costs 1, not 5.
    5 * (control | html) - 4 * short_control + quote
}

/// Characters of a number as JSON (as `serde_json` prints it, which Go matches for the
/// integers and the plain decimals manifests hold), counted without building the text.
fn number_len(n: &Number) -> usize {
    struct Count(usize);
    impl std::fmt::Write for Count {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            self.0 += s.len();
            Ok(())
        }
    }
    let mut c = Count(0);
    let _ = std::fmt::Write::write_fmt(&mut c, format_args!("{n}"));
    c.0
}

/// Bytes of a value as compact JSON.
pub fn value_len(v: &Value) -> usize {
    match v {
        Value::Null => 4,
        Value::Bool(b) => 4 + usize::from(!b),
        Value::Number(n) => number_len(n),
        Value::String(s) => string_len(s),
        Value::Array(a) => 2 + a.len().saturating_sub(1) + a.iter().map(value_len).sum::<usize>(),
        Value::Object(m) => {
            2 + m.len().saturating_sub(1)
                + m.iter()
                    .map(|(k, x)| string_len(k) + 1 + value_len(x))
                    .sum::<usize>()
        }
    }
}

/// [`value_len`] of a node's JSON value, read from the tree: equal when the tree is regular
/// ([`crate::source::tree::JsonFacts::regular`]: no mapping repeats a key, no float is one
/// JSON cannot hold).
pub fn node_len(n: &Node) -> usize {
    match &n.value {
        NodeValue::Seq(items) => {
            2 + items.len().saturating_sub(1) + items.iter().map(node_len).sum::<usize>()
        }
        NodeValue::Map(entries) => {
            2 + entries.len().saturating_sub(1)
                + entries
                    .iter()
                    .map(|e| string_len(&e.key) + 1 + node_len(&e.value))
                    .sum::<usize>()
        }
        scalar => scalar_len(scalar),
    }
}

/// [`node_len`] of a scalar node's value (0 for a sequence or mapping, which
/// [`node_len`] and the tree's own walk count from their items).
pub fn scalar_len(v: &NodeValue) -> usize {
    match v {
        NodeValue::Null => 4,
        NodeValue::Bool(b) => 4 + usize::from(!b),
        NodeValue::Int(i) => number_len(&Number::from(*i)),
        NodeValue::UInt(u) => number_len(&Number::from(*u)),
        NodeValue::Float(f) => match Number::from_f64(*f) {
            Some(x) => number_len(&x),
            None => string_len(&f.to_string()),
        },
        NodeValue::String(s) => string_len(s),
        NodeValue::Seq(_) | NodeValue::Map(_) => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_regular_tree_counts_as_its_value() {
        let text = "a: [1, true, null, 'x\"y', -12, 18446744073709551615, 2.5, 1e300, .nan]\nb: {c: <&>, d: false, \"e\\u2028\": 0x10}\nf: ~\n";
        let node = crate::source::yaml::parse_one(text).expect("a document");
        assert_eq!(node_len(&node), value_len(&node.to_json()));
        assert!(node_len(&node) > 60);
    }

    #[test]
    fn lengths_match_serde_for_text_that_needs_no_html_escape() {
        let v = json!({"a": [1, true, null, "x\"y"], "b": {"c": 2.5, "d": false}, "e": -12, "f": u64::MAX});
        assert_eq!(
            value_len(&v),
            serde_json::to_string(&v).map_or(0, |s| s.len())
        );
        for n in [
            json!(0),
            json!(-12),
            json!(9),
            json!(10),
            json!(i64::MIN),
            json!(2.5),
            json!(1e300),
        ] {
            assert_eq!(value_len(&n), n.to_string().len(), "{n}");
        }
    }

    #[test]
    fn strings_are_counted_as_go_writes_them() {
        assert_eq!(string_len("<&>"), 2 + 18);
        for (text, go) in [
            ("", "\"\""),
            ("plain", "\"plain\""),
            ("a\"b\\c\n\r\t", "\"a\\\"b\\\\c\\n\\r\\t\""),
            ("\u{1}\u{1f}x", "\"\\u0001\\u001fx\""),
            ("é\u{2028}\u{2029}€", "\"é\\u2028\\u2029€\""),
        ] {
            assert_eq!(string_len(text), go.len(), "{text:?}");
        }
        // Every ASCII byte, one at a time and all together (past one chunk).
        let mut all = String::new();
        let mut want = 0;
        for b in 0u8..0x80 {
            let c = char::from(b);
            let one = match c {
                '\n' | '\r' | '\t' | '"' | '\\' => 4,
                '<' | '>' | '&' => 8,
                c if c < ' ' => 8,
                _ => 3,
            };
            assert_eq!(string_len(&c.to_string()), one, "{b:#x}");
            all.push(c);
            want += one - 2;
        }
        let long = all.repeat(100);
        assert_eq!(string_len(&long), 2 + 100 * want);
        // Multi-byte characters in the sixteen-byte lanes count as themselves.
        let wide = "é€<\u{2028}".repeat(40);
        assert_eq!(string_len(&wide), 2 + 40 * (2 + 3 + 6 + 6));
    }
}
