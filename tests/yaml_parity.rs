//! YAML parity with kubectl: kubevet's parser must call a file a syntax error exactly when
//! kubectl cannot read it. `tests/data/yaml-parity/manifest.json` holds the reference verdict of
//! every case (the official YAML test suite and Kubernetes-shaped cases), computed by
//! `bench/yaml_parity.py` from kubectl's two readers and libyaml; this test runs kubevet's
//! parser over each case and compares.

use kubevet::source::yaml::YamlProblemKind;
use kubevet::source::{parse_stream, Limits};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// Cases where kubevet knowingly differs from the reference, with the reason: corners of the
/// YAML grammar no Kubernetes manifest uses, where matching libyaml or go-yaml would take more
/// than a small change to the parser. A case that starts agreeing must be removed from here.
const KNOWN: &[(&str, &str)] = &[
    (
        "suite/2SXE.yaml",
        "an anchor name holding `:` (libyaml ends the name there)",
    ),
    (
        "suite/4ABK.yaml",
        "`key:,` in a flow mapping (libyaml refuses the adjacent `,`)",
    ),
    (
        "suite/58MP.yaml",
        "a plain scalar starting with `:` in a flow collection",
    ),
    (
        "suite/5T43.yaml",
        "a plain scalar starting with `:` in a flow collection",
    ),
    (
        "suite/HM87-00.yaml",
        "a plain scalar starting with `:` in a flow collection",
    ),
    ("suite/DBG4.yaml", "a plain scalar starting with `::`"),
    (
        "suite/8XYN.yaml",
        "an anchor name beyond ASCII letters and digits",
    ),
    (
        "suite/W5VH.yaml",
        "an anchor name beyond ASCII letters and digits",
    ),
    (
        "suite/96NN-00.yaml",
        "a tab after a block scalar's indentation",
    ),
    (
        "suite/96NN-01.yaml",
        "a tab after a block scalar's indentation",
    ),
    (
        "suite/R4YG.yaml",
        "a tab after a block scalar's indentation",
    ),
    (
        "suite/Y79Y-001.yaml",
        "a tab on an empty line of a block scalar",
    ),
    (
        "suite/S98Z.yaml",
        "more-indented blank lines closing an empty block scalar",
    ),
    (
        "suite/DK3J.yaml",
        "a top-level block scalar whose text starts at column 0",
    ),
    (
        "suite/FP8R.yaml",
        "a top-level block scalar whose text starts at column 0",
    ),
    (
        "suite/EB22.yaml",
        "a directive right after a plain scalar and its comment",
    ),
    (
        "suite/JR7V.yaml",
        "go-yaml's own reading of `?` inside flow plain scalars",
    ),
    (
        "suite/U99R.yaml",
        "go-yaml's own reading of `!!str,` as a tag",
    ),
    (
        "suite/WZ62.yaml",
        "go-yaml's own refusal of a tag without a node in a flow mapping",
    ),
];

/// kubevet's verdict on one file, in the manifest's terms.
fn kubevet_verdict(text: &str) -> (&'static str, String) {
    let s = parse_stream(text, &Limits::default());
    if let Some(p) = s
        .problems
        .iter()
        .find(|p| matches!(p.kind, YamlProblemKind::Syntax | YamlProblemKind::Limit))
    {
        return ("reject", p.message.clone());
    }
    if s.complex_keys {
        return ("complex-key", String::new());
    }
    if s.problems
        .iter()
        .any(|p| matches!(p.kind, YamlProblemKind::DuplicateKey { .. }))
    {
        return ("duplicate-key", String::new());
    }
    ("accept", String::new())
}

/// Whether kubevet's verdict agrees with the reference: for `accept`, only a syntax error
/// disagrees (a duplicate or complex key kubectl never looked at is still reported).
fn agrees(expected: &str, got: &str) -> bool {
    match expected {
        "accept" => got != "reject",
        _ => expected == got,
    }
}

#[test]
fn kubevet_reads_yaml_as_kubectl_does() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/yaml-parity");
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).expect("read"))
            .expect("manifest is JSON");
    let cases = manifest["cases"].as_array().expect("cases");
    assert!(cases.len() > 500, "the corpus lost cases: {}", cases.len());
    let known: BTreeMap<&str, &str> = KNOWN.iter().copied().collect();
    let mut disagree = Vec::new();
    let mut fixed = Vec::new();
    let mut asserted = 0;
    let mut by_source: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for case in cases {
        let file = case["file"].as_str().expect("file");
        let expected = case["verdict"].as_str().expect("verdict");
        if expected == "disputed" {
            continue;
        }
        asserted += 1;
        let bytes = std::fs::read(dir.join(file)).expect("case file");
        let text = std::str::from_utf8(&bytes).expect("cases are UTF-8");
        let (got, message) = kubevet_verdict(text);
        let ok = agrees(expected, got);
        let source = file.split('/').next().unwrap_or("");
        let tally = by_source.entry(source).or_default();
        tally.1 += 1;
        if ok {
            tally.0 += 1;
        }
        match (ok, known.contains_key(file)) {
            (false, false) => disagree.push(format!(
                "{file}: expected {expected} ({}), kubevet {got} {message}",
                case["reference"].as_str().unwrap_or("")
            )),
            (true, true) => fixed.push(file.to_string()),
            _ => {}
        }
    }
    let agreeing: usize = by_source.values().map(|t| t.0).sum();
    eprintln!(
        "YAML parity: {agreeing}/{asserted} ({:.1}%){}",
        100.0 * agreeing as f64 / asserted as f64,
        by_source
            .iter()
            .map(|(s, (a, n))| format!(", {s} {a}/{n}"))
            .collect::<String>()
    );
    assert!(
        disagree.is_empty(),
        "{} cases where kubevet and kubectl disagree:\n{}",
        disagree.len(),
        disagree.join("\n")
    );
    assert!(
        fixed.is_empty(),
        "these cases agree now; remove them from KNOWN: {fixed:?}"
    );
}
