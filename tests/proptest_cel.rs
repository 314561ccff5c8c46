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

/// Well-formed CEL expressions over `self`, the literals CRD rules meet, the operators, the
/// macros and the functions of the libraries kubevet implements, so that most generated rules
/// reach the evaluator (a type mismatch is an evaluation error, which is fine).
fn expression() -> impl Strategy<Value = String> {
    let leaf = prop::sample::select(vec![
        "self",
        "self.a",
        "self.b",
        "self.c",
        "x",
        "0",
        "1",
        "-1",
        "2.5",
        "3u",
        "true",
        "null",
        "'a'",
        "'abc 123'",
        "'10.0.0.0/8'",
        "'10.0.0.1'",
        "'https://u@x:80/y?q=1&q=2#f'",
        "'1Gi'",
        "'ü ß'",
        "'500m'",
        "'dns1123Label'",
        "'2021-01-01'",
        "[]",
        "{}",
    ])
    .prop_map(str::to_string);
    leaf.prop_recursive(5, 64, 3, |inner| {
        let method = prop::sample::select(vec![
            "sum",
            "min",
            "max",
            "isSorted",
            "size",
            "lowerAscii",
            "getHost",
            "getHostname",
            "getPort",
            "getQuery",
            "getScheme",
            "getEscapedPath",
            "asInteger",
            "sign",
            "isInteger",
            "asApproximateFloat",
            "prefixLength",
            "masked",
            "family",
            "ip",
            "isLoopback",
            "hasValue",
            "value",
        ]);
        let method1 = prop::sample::select(vec![
            "indexOf",
            "lastIndexOf",
            "find",
            "findAll",
            "matches",
            "contains",
            "startsWith",
            "split",
            "join",
            "containsIP",
            "containsCIDR",
            "isLessThan",
            "isGreaterThan",
            "compareTo",
            "add",
            "sub",
            "validate",
            "orValue",
        ]);
        let global = prop::sample::select(vec![
            "size",
            "string",
            "int",
            "double",
            "quantity",
            "isQuantity",
            "url",
            "isURL",
            "ip",
            "cidr",
            "isIP",
            "isCIDR",
            "ip.isCanonical",
            "format.named",
            "dyn",
            "type",
        ]);
        let op = prop::sample::select(vec![
            "+", "-", "*", "/", "%", "==", "!=", "<", "<=", ">", ">=", "&&", "||", "in",
        ]);
        let r#macro = prop::sample::select(vec!["all", "exists", "exists_one", "map", "filter"]);
        prop_oneof![
            (inner.clone(), op, inner.clone()).prop_map(|(a, o, b)| format!("({a} {o} {b})")),
            (global, inner.clone()).prop_map(|(f, a)| format!("{f}({a})")),
            (inner.clone(), method).prop_map(|(a, m)| format!("{a}.{m}()")),
            (inner.clone(), method1, inner.clone()).prop_map(|(a, m, b)| format!("{a}.{m}({b})")),
            (inner.clone(), r#macro, inner.clone())
                .prop_map(|(a, m, b)| format!("{a}.{m}(x, {b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("[{a}, {b}]")),
            (inner.clone(), inner.clone(), inner.clone())
                .prop_map(|(c, a, b)| format!("{c} ? {a} : {b}")),
            inner.clone().prop_map(|a| format!("!{a}")),
            Just("has(self.a)".to_string()),
            Just("format.dns1123Label()".to_string()),
        ]
    })
}

fn rule() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => expression(),
        1 => ".{0,64}",
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
