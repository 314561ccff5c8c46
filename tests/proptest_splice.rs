//! Property: after any edit of a document, re-parsing only part of it and splicing the result
//! into the old tree gives exactly the tree a parse of the whole new text gives (spans
//! included) and its JSON value, or declines and leaves the old tree as it was.
//!
//! Documents are generated with block and flow collections, compact and indented sequences,
//! block scalars (kept, stripped, folded), quoted and multi-line plain scalars, comments,
//! blank lines and multi-byte characters; edits replace, insert and delete lines, change
//! indentation, and insert or delete characters anywhere (multi-byte ones too).

use kubevet::source::splice::{reparse, KeptDocument};
use kubevet::source::{parse_stream, Limits, Node};

/// A small deterministic generator (xorshift), so a failure names its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len())]
    }
}

const SCALARS: &[&str] = &[
    "x",
    "web",
    "42",
    "-7",
    "3.5",
    "true",
    "no",
    "null",
    "~",
    "\"quoted: é\"",
    "'single ''q'''",
    "héllo wörld",
    "😀 emoji",
    "a b c",
    "[a, b]",
    "{k: v, n: 1}",
    "[]",
    "{}",
    "\"\"",
    "0644",
    "\"*.example.com\"",
];

fn key(rng: &mut Rng, used: &mut Vec<String>) -> String {
    loop {
        let k = format!(
            "{}{}",
            ["k", "name", "spec", "type", "ké", "items", "props"][rng.below(7)],
            rng.below(30)
        );
        if !used.contains(&k) {
            used.push(k.clone());
            return k;
        }
    }
}

/// A block mapping at `indent` (the caller wrote the line before it).
fn mapping(rng: &mut Rng, indent: usize, depth: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    let mut used = Vec::new();
    for _ in 0..1 + rng.below(4) {
        if rng.below(8) == 0 {
            let c = " ".repeat(rng.below(indent + 4));
            out.push_str(&format!("{c}# comment é\n"));
        }
        if rng.below(10) == 0 {
            out.push('\n');
        }
        let k = key(rng, &mut used);
        value(rng, &pad, &k, indent, depth, out);
    }
}

fn value(rng: &mut Rng, pad: &str, k: &str, indent: usize, depth: usize, out: &mut String) {
    let step = [2, 2, 4, 1][rng.below(4)];
    let choice = if depth == 0 {
        rng.below(4)
    } else {
        rng.below(9)
    };
    match choice {
        0 | 1 => {
            let s = rng.pick(SCALARS);
            out.push_str(&format!("{pad}{k}: {s}\n"));
        }
        2 => {
            let style = ["|", "|-", "|+", ">", ">-"][rng.below(5)];
            out.push_str(&format!("{pad}{k}: {style}\n"));
            let inner = " ".repeat(indent + step);
            for _ in 0..1 + rng.below(3) {
                out.push_str(&format!("{inner}line {} ü\n", rng.below(9)));
            }
            if rng.below(3) == 0 {
                out.push('\n');
            }
        }
        3 => {
            // A multi-line plain scalar.
            let inner = " ".repeat(indent + step);
            out.push_str(&format!("{pad}{k}: first part\n{inner}second part\n"));
        }
        4 | 5 => {
            out.push_str(&format!("{pad}{k}:\n"));
            mapping(rng, indent + step, depth - 1, out);
        }
        6 | 7 => {
            out.push_str(&format!("{pad}{k}:\n"));
            // Compact (at the key's column) or indented.
            let at = if rng.below(2) == 0 {
                indent
            } else {
                indent + step
            };
            sequence(rng, at, depth - 1, out);
        }
        _ => {
            out.push_str(&format!("{pad}{k}: {{a: 1, b: [x, y]}}\n"));
        }
    }
}

fn sequence(rng: &mut Rng, indent: usize, depth: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    for _ in 0..1 + rng.below(4) {
        match if depth == 0 { 0 } else { rng.below(3) } {
            0 => {
                let s = rng.pick(SCALARS);
                out.push_str(&format!("{pad}- {s}\n"));
            }
            1 => {
                // A mapping in the item: its first key after `- `.
                let mut used = Vec::new();
                let k = key(rng, &mut used);
                let s = rng.pick(SCALARS);
                out.push_str(&format!("{pad}- {k}: {s}\n"));
                let inner = " ".repeat(indent + 2);
                for _ in 0..rng.below(3) {
                    let k = key(rng, &mut used);
                    value(rng, &inner, &k, indent + 2, depth - 1, out);
                }
            }
            _ => {
                out.push_str(&format!("{pad}-\n"));
                mapping(rng, indent + 2, depth - 1, out);
            }
        }
    }
}

fn document(rng: &mut Rng) -> String {
    let mut out = String::new();
    if rng.below(3) == 0 {
        out.push_str("---\n");
    }
    out.push_str("apiVersion: v1\nkind: Thing\n");
    let mut used = vec!["apiVersion".to_string(), "kind".to_string()];
    for _ in 0..2 + rng.below(3) {
        let k = key(rng, &mut used);
        out.push_str(&format!("{k}:\n"));
        mapping(rng, 2, 4, &mut out);
    }
    if rng.below(4) == 0 {
        out.push_str("# trailing comment\n");
    }
    out
}

const LINES: &[&str] = &[
    "name: added",
    "ké: välue 😀",
    "- item",
    "- k: v",
    "# a comment",
    "",
    "key: |",
    "  text in a block",
    "key:",
    "other: [1, 2",
    "bad: \"open",
    "anchor: &a x",
    "alias: *a",
    "<<: {m: 1}",
    "---",
    "\tx: 1",
    "k: v # trailing",
    "k: {a: 1}",
    "dup: 1",
    "dup: 2",
    "continued plain",
];

const CHARS: &[&str] = &[
    "x", "é", "😀", " ", "  ", ":", ": ", "-", "- ", "#", "\n", "\"", "'", "[", "{", "}", "]", ",",
    "|", ">", "\t", "ü\n  ",
];

fn char_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// One random edit of `text`.
fn edit(rng: &mut Rng, text: &str) -> String {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let n = lines.len().max(1);
    let l = rng.below(n);
    let indent_of = |s: &str| s.len() - s.trim_start_matches(' ').len();
    let line_indent = lines.get(l).map_or(0, |s| indent_of(s));
    let mut out: Vec<String> = lines.iter().map(|s| s.to_string()).collect();
    match rng.below(6) {
        0 => {
            // Replace a line, at its indentation or another.
            let indent = match rng.below(4) {
                0 => line_indent.saturating_sub(2),
                1 => line_indent + 2,
                _ => line_indent,
            };
            let new = format!("{}{}\n", " ".repeat(indent), rng.pick(LINES));
            if l < out.len() {
                out[l] = new;
            }
        }
        1 => {
            let indent = match rng.below(3) {
                0 => line_indent + 2,
                _ => line_indent,
            };
            let new = format!("{}{}\n", " ".repeat(indent), rng.pick(LINES));
            out.insert((l + 1).min(out.len()), new);
        }
        2 => {
            if l < out.len() {
                out.remove(l);
            }
        }
        3 => {
            // Change a line's value, keeping its key: the common edit.
            if let Some(line) = out.get_mut(l) {
                if let Some(colon) = line.find(": ") {
                    let keep = &line[..colon + 2];
                    *line = format!("{keep}{}\n", rng.pick(SCALARS));
                }
            }
        }
        4 => {
            let at = char_boundary(text, rng.below(text.len() + 1));
            let mut s = text.to_string();
            s.insert_str(at, rng.pick(CHARS));
            return s;
        }
        _ => {
            let a = char_boundary(text, rng.below(text.len() + 1));
            let b = char_boundary(text, (a + rng.below(12)).min(text.len()));
            let mut s = text.to_string();
            s.replace_range(a..b, "");
            return s;
        }
    }
    out.concat()
}

/// Where two trees first differ, for the failure message.
fn difference(a: &Node, b: &Node, at: &str) -> Option<String> {
    use kubevet::source::NodeValue::{Map, Seq};
    let here = || {
        Some(
            format!("{at}: {:?} against {:?}", a, b)
                .chars()
                .take(600)
                .collect(),
        )
    };
    let inner = match (&a.value, &b.value) {
        (Map(x), Map(y)) if x.len() == y.len() => x.iter().zip(y).find_map(|(e, f)| {
            if e.key != f.key || e.key_span != f.key_span {
                return Some(format!(
                    "{at}: key {:?} {:?} against {:?} {:?}",
                    e.key, e.key_span, f.key, f.key_span
                ));
            }
            difference(&e.value, &f.value, &format!("{at}/{}", e.key))
        }),
        (Seq(x), Seq(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (m, n))| difference(m, n, &format!("{at}/{i}"))),
        (x, y) if x == y => None,
        _ => here(),
    };
    inner.or_else(|| {
        (a.span != b.span).then(|| format!("{at}: span {:?} against {:?}", a.span, b.span))
    })
}

/// The only document of a text that parses without any problem.
fn clean(text: &str, limits: &Limits) -> Option<Node> {
    let s = parse_stream(text, limits);
    if !s.problems.is_empty() || s.complex_keys || s.documents.len() != 1 {
        return None;
    }
    s.documents.into_iter().next()?.root
}

#[test]
fn spliced_trees_equal_fresh_parses() {
    let limits = Limits::default();
    let (mut spliced, mut declined, mut edits, mut unread) = (0, 0, 0, 0);
    for seed in 1..=1500u64 {
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let mut text = document(&mut rng);
        // (A few generated documents are not valid YAML: those are skipped.)
        let Some(root) = clean(&text, &limits) else {
            unread += 1;
            continue;
        };
        let mut doc = KeptDocument::new(root);
        doc.json = Some(doc.root.to_json());
        for step in 0..12 {
            let new = edit(&mut rng, &text);
            if new == text {
                continue;
            }
            edits += 1;
            let before = doc.root.clone();
            if reparse(&text, &new, &mut doc, &limits) {
                spliced += 1;
                let fresh = clean(&new, &limits);
                assert!(
                    fresh.as_ref() == Some(&doc.root),
                    "seed {seed}, edit {step}: the spliced tree differs from a fresh parse\n\
                     --- old\n{text}--- new\n{new}--- fresh against spliced: {:?}",
                    fresh.as_ref().map(|f| difference(f, &doc.root, ""))
                );
                assert_eq!(
                    doc.json,
                    fresh.map(|f| f.to_json()),
                    "seed {seed}, edit {step}: the spliced JSON value differs"
                );
                text = new;
            } else {
                declined += 1;
                assert!(
                    before == doc.root,
                    "seed {seed}, edit {step}: a declined splice changed the tree"
                );
                if let Some(root) = clean(&new, &limits) {
                    doc = KeptDocument::new(root);
                    doc.json = Some(doc.root.to_json());
                    text = new;
                }
            }
        }
    }
    // Many edits break the document or reach past the collection around them, but a good
    // share splice; a splice that never happens would prove nothing.
    assert!(
        unread * 10 < 1500,
        "{unread} generated documents do not parse"
    );
    assert!(
        spliced * 6 > edits,
        "{spliced} spliced, {declined} declined of {edits} edits"
    );
    eprintln!("{spliced} spliced, {declined} declined of {edits} edits");
}

/// A line appended to a mapping deep inside a large document is read alone, and the lines
/// after it move by the bytes it added.
#[test]
fn an_edit_deep_in_a_large_document_is_spliced() {
    let limits = Limits::default();
    let mut text = String::from("apiVersion: v1\nkind: Big\nspec:\n");
    for i in 0..200 {
        text.push_str(&format!(
            "  p{i}:\n    properties:\n      a:\n        type: string\n      b:\n        type: integer # ü\n"
        ));
    }
    let root = clean(&text, &limits).expect("clean");
    let mut doc = KeptDocument::new(root);
    let new = text.replacen(
        "  p100:\n    properties:\n      a:\n        type: string\n",
        "  p100:\n    properties:\n      a:\n        type: string\n        format: 😀\n",
        1,
    );
    assert!(reparse(&text, &new, &mut doc, &limits));
    assert_eq!(Some(&doc.root), clean(&new, &limits).as_ref());
    // A dedent that ends the collection is not spliced there, but higher up.
    let newer = new.replacen("        format: 😀\n", "      format: x\n", 1);
    assert!(reparse(&new, &newer, &mut doc, &limits));
    assert_eq!(Some(&doc.root), clean(&newer, &limits).as_ref());
    // A key at the root's column: declined, the tree unchanged.
    let before = doc.root.clone();
    let top = newer.replacen("      format: x\n", "format: x\n", 1);
    assert!(!reparse(&newer, &top, &mut doc, &limits));
    assert_eq!(doc.root, before);
}
