//! Property: the CEL rules of a CustomResourceDefinition, whatever their text and whatever the
//! value they are checked on, are evaluated without a panic and in bounded time, and only ever
//! give `schema` errors or `unsupported-cel-rule` infos.

use kubevet::rules::RuleId;
use kubevet::schema::check_rule_on;
use proptest::prelude::*;
use serde_json::Value;
use std::time::{Duration, Instant};

/// JSON values of a few levels.
fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        "[a-z0-9./:%-]{0,12}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("[a-c]", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Pieces of CEL, so that most generated rules are near-valid expressions that reach the
/// evaluator, with the libraries' functions among them.
const PIECES: &[&str] = &[
    "self",
    "self.a",
    "self.b",
    "x",
    "y",
    ".",
    ",",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ":",
    "0",
    "1",
    "-1",
    "2.5",
    "'a'",
    "'10.0.0.0/8'",
    "'https://x/y?q=1'",
    "'1Gi'",
    "true",
    "null",
    " + ",
    " - ",
    " * ",
    " / ",
    " % ",
    " == ",
    " != ",
    " < ",
    " && ",
    " || ",
    "!",
    " ? ",
    " in ",
    ".all(x, ",
    ".exists(x, ",
    ".map(x, ",
    ".filter(x, ",
    ".exists_one(y, ",
    "has(",
    "size(",
    "string(",
    "int(",
    "double(",
    "quantity(",
    "isQuantity(",
    "url(",
    "isURL(",
    "ip(",
    "cidr(",
    "isCIDR(",
    ".containsIP(",
    ".getHost()",
    ".getQuery()",
    ".isLessThan(",
    ".add(",
    ".sum()",
    ".min()",
    ".max()",
    ".isSorted()",
    ".indexOf(",
    ".find(",
    ".findAll(",
    ".matches(",
    "format.named(",
    ".validate(",
    ".value()",
    ".hasValue()",
    "sets.contains(",
    ".split(",
    ".join(",
    ".lowerAscii()",
    ".substring(",
    "dyn(",
    "type(",
];

fn rule() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::collection::vec(prop::sample::select(PIECES), 1..24).prop_map(|p| p.concat()),
        ".{0,64}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_rule_on_any_value_returns_promptly(rule in rule(), value in value()) {
        let started = Instant::now();
        let (_, findings) = check_rule_on(&rule, &value);
        prop_assert!(started.elapsed() < Duration::from_secs(5), "{rule}");
        for f in &findings {
            prop_assert!(
                f.rule == RuleId::Schema || f.rule == RuleId::UnsupportedCelRule,
                "{rule}: {:?}", f.rule
            );
        }
    }
}

#[test]
fn nested_loops_over_a_large_value_are_refused_not_run() {
    let big = Value::Array((0..3000).map(Value::from).collect());
    let started = Instant::now();
    let (_, findings) = check_rule_on(
        "self.map(a, self.map(b, self.filter(c, a + b == c))).size() > 0",
        &big,
    );
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0].rule, RuleId::UnsupportedCelRule);
}
