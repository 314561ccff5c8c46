//! The CEL rules of custom resource schemas (`x-kubernetes-validations`), evaluated with the
//! `cel` crate the way the API server evaluates them on create: `self` is the value at the
//! schema node that carries the rule (after defaulting), and a rule that returns `false` is a
//! `schema` error at the node or at its `fieldPath`. Its detail is the `messageExpression`'s
//! value, or when that fails the `message` (or "failed rule: ..."), worded after the rule's
//! `reason` as the API server words its field errors (`Forbidden: ...`, `Required value: ...`,
//! `Duplicate value: ...`, `Invalid value: ...`).
//!
//! Transition rules (those reading `oldSelf`) only run on update and are skipped. A rule that
//! does not compile or cannot be evaluated here (a Kubernetes CEL library function kubevet
//! lacks) reports nothing here; [`unsupported`] says so once per CRD version. Evaluation is
//! bounded: the parser limits nesting, rules longer than 8 KiB are refused, a panic of the
//! crate is caught, and a rule whose estimated work on a value (its loops, nested over the
//! value's size) exceeds a budget is not run there but reported as not checked.

use crate::rules::{Finding, RuleId, Target};
use cel::{Context, Env, Program};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The environment the API server gives CRD rules, as far as kubevet has it: the standard
/// library and macros, the strings extension (`lowerAscii`, `split`, `join`, ...) and the
/// Kubernetes libraries of [`super::cel_lib`].
fn env() -> Arc<Env> {
    static ENV: std::sync::OnceLock<Arc<Env>> = std::sync::OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Env::stdlib();
        // Without the extension or the libraries, rules that use them report nothing.
        let _ = env.add_extension(cel::extensions::strings);
        let _ = super::cel_lib::register(&mut env);
        Arc::new(env)
    })
    .clone()
}

/// Rules longer than this are not evaluated (reported as unsupported).
const MAX_RULE_LEN: usize = 8 * 1024;

/// The most work a rule may be estimated to take on one value (see [`estimated_cost`]).
const COST_BUDGET: f64 = 1e8;

/// A rule compiled, with how many loops it may nest.
struct Compiled {
    program: Program,
    loops: i32,
}

/// Compiled rules, each compiled once (`None`: it does not compile).
#[derive(Default)]
pub(super) struct Rules {
    programs: Mutex<HashMap<String, Option<Arc<Compiled>>>>,
}

/// `rule` compiled in the CRD environment; the reason it cannot be otherwise. The parser
/// bounds its recursion; a panic in the crate is caught and becomes a reason too.
fn compile(rule: &str) -> Result<Program, String> {
    if rule.len() > MAX_RULE_LEN {
        return Err(format!(
            "it is longer than {MAX_RULE_LEN} bytes, more than kubevet evaluates"
        ));
    }
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| env().compile(rule))) {
        Ok(Ok(program)) => Ok(program),
        Ok(Err(e)) => Err(format!(
            "the CEL parser kubevet uses does not read it ({})",
            e.to_string().lines().next().unwrap_or("").trim()
        )),
        Err(_) => Err("the CEL parser kubevet uses fails on it".to_string()),
    }
}

/// How many loops a rule may nest, read from its text: the comprehension macros, the list
/// functions that walk a list (`indexOf`, `sum`, `sets.contains`, ...) and the `in` operator
/// on anything but a list written in the rule each count as one. (String functions are
/// linear in their string and are not counted.)
fn loops(rule: &str) -> i32 {
    const WALKS: &[&str] = &[
        "all",
        "exists",
        "exists_one",
        "map",
        "filter",
        "indexOf",
        "lastIndexOf",
        "sum",
        "min",
        "max",
        "isSorted",
        "equivalent",
        "intersects",
    ];
    let calls = called_names(rule)
        .into_iter()
        .filter(|n| WALKS.contains(n))
        .count();
    let sets = rule.matches("sets.contains").count();
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let bytes = rule.as_bytes();
    let ins = rule
        .match_indices("in")
        .filter(|&(at, _)| {
            let after = at + 2;
            (at == 0 || !word(bytes[at - 1]))
                && bytes.get(after).is_none_or(|&b| !word(b))
                && !rule[after..].trim_start().starts_with('[')
        })
        .count();
    i32::try_from(calls + sets + ins).unwrap_or(i32::MAX)
}

/// An upper estimate of the steps a rule of `len` bytes with `loops` loops takes on a value
/// whose longest list or map has `width` entries: each loop walks a list of the value, or a
/// list written in the rule (or, for `split`, made of a string), once per step of the loop
/// around it, and each step evaluates at most the whole rule.
fn estimated_cost(len: usize, loops: i32, width: usize) -> f64 {
    (len as f64) * (width.max(len) as f64).powi(loops)
}

/// The entries of the longest list or map in a value, and the bytes of its longest string.
fn widths(value: &Value) -> (usize, usize) {
    match value {
        Value::String(s) => (0, s.len()),
        Value::Array(items) => items
            .iter()
            .map(widths)
            .fold((items.len(), 0), |a, b| (a.0.max(b.0), a.1.max(b.1))),
        Value::Object(fields) => fields.iter().fold((fields.len(), 0), |a, (k, v)| {
            let b = widths(v);
            (a.0.max(b.0), a.1.max(b.1).max(k.len()))
        }),
        _ => (0, 0),
    }
}

impl Rules {
    fn program(&self, rule: &str) -> Option<Arc<Compiled>> {
        if let Some(known) = self.programs.lock().ok()?.get(rule) {
            return known.clone();
        }
        // Compiled without the lock held.
        let compiled = compile(rule).ok().map(|program| {
            Arc::new(Compiled {
                program,
                loops: loops(rule),
            })
        });
        self.programs
            .lock()
            .ok()?
            .insert(rule.to_string(), compiled.clone());
        compiled
    }

    /// Evaluate every rule of `schema` (a structural schema) on `value`, at pointer `at`.
    pub(super) fn check(&self, schema: &Value, value: &Value, at: &str, out: &mut Vec<Finding>) {
        super::crd::each_node(schema, value, at, &mut |node, v, here| {
            for rule in node
                .get("x-kubernetes-validations")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                self.check_rule(rule, node, v, here, out);
            }
        });
    }

    fn check_rule(
        &self,
        rule: &Value,
        schema: &Value,
        value: &Value,
        at: &str,
        out: &mut Vec<Finding>,
    ) {
        let Some(text) = rule.get("rule").and_then(Value::as_str) else {
            return;
        };
        if text.contains("oldSelf") {
            return;
        }
        let Some(program) = self.program(text) else {
            return;
        };
        let cost = cost_on(text, &program, value);
        if cost > COST_BUDGET {
            out.push(
                Finding::new(
                    RuleId::UnsupportedCelRule,
                    at.to_string(),
                    format!(
                        "the CEL rule `{}` is not checked on this value: it may take about {cost:.0e} steps here, more than kubevet's budget of {COST_BUDGET:.0e}",
                        short(text)
                    ),
                )
                .help("the API server still enforces it, within its own cost limits"),
            );
            return;
        }
        // A string its format does not parse is an error value upstream: the rule errs there.
        let Some(this) = to_cel(schema, value) else {
            return;
        };
        if evaluate(&program.program, &this) != Some(cel::Value::Bool(false)) {
            return;
        }
        let pointer = match rule.get("fieldPath").and_then(Value::as_str) {
            Some(path) => field_path(at, path).unwrap_or_else(|| at.to_string()),
            None => at.to_string(),
        };
        let detail = self
            .message_expression(rule, value, &this)
            .or_else(|| {
                rule.get("message")
                    .and_then(Value::as_str)
                    .filter(|m| !m.trim().is_empty())
                    .map(|m| m.trim().to_string())
            })
            .unwrap_or_else(|| format!("failed rule: {}", text.trim()));
        let failing = crate::pointer::lookup(value, pointer.strip_prefix(at).unwrap_or(""));
        let (message, help) = match rule.get("reason").and_then(Value::as_str) {
            Some("FieldValueForbidden") => (format!("Forbidden: {detail}"), None),
            Some("FieldValueRequired") => (format!("Required value: {detail}"), None),
            // The API server reports the duplicate value, not the rule's message.
            Some("FieldValueDuplicate") => (
                format!("Duplicate value: {}", shown_value(failing)),
                Some(detail),
            ),
            Some("FieldValueInvalid") => (format!("Invalid value: {detail}"), None),
            _ => (detail, None),
        };
        let place = if pointer.is_empty() {
            "the object".to_string()
        } else {
            format!("`{}`", crate::pointer::dotted(&pointer))
        };
        // A mapping or list is underlined at its key, a scalar at its value.
        let target = match failing {
            Some(Value::Object(_) | Value::Array(_)) if !pointer.is_empty() => Target::Key,
            _ => Target::Value,
        };
        let help = match help {
            Some(detail) => format!("the CustomResourceDefinition requires `{text}`: {detail}"),
            None => format!("the CustomResourceDefinition requires `{text}`"),
        };
        out.push(
            Finding::new(RuleId::Schema, pointer, format!("{place}: {message}"))
                .at(target)
                .label("fails a validation rule of its CustomResourceDefinition")
                .help(help),
        );
    }

    /// The rule's `messageExpression`, evaluated as the API server does: `None` (so that the
    /// `message` is used) when it fails, is not a string, or is empty, longer than 5 KiB or
    /// several lines once trimmed.
    fn message_expression(&self, rule: &Value, json: &Value, value: &cel::Value) -> Option<String> {
        let text = rule.get("messageExpression").and_then(Value::as_str)?;
        if text.contains("oldSelf") {
            return None;
        }
        let program = self.program(text)?;
        if cost_on(text, &program, json) > COST_BUDGET {
            return None;
        }
        let cel::Value::String(message) = evaluate(&program.program, value)? else {
            return None;
        };
        let message = message.trim();
        (!message.is_empty() && message.len() <= 5 * 1024 && !message.contains('\n'))
            .then(|| message.to_string())
    }
}

/// The estimated work of rule `text` on `value` (see [`estimated_cost`]).
fn cost_on(text: &str, program: &Compiled, value: &Value) -> f64 {
    let (lists, strings) = widths(value);
    // A string split into a list is as long as the string.
    let width = if text.contains("split") {
        lists.max(strings)
    } else {
        lists
    };
    estimated_cost(text.len(), program.loops, width)
}

/// `program` run with `self` bound to `value`; `None` when it fails (or the crate panics).
fn evaluate(program: &Program, value: &cel::Value) -> Option<cel::Value> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut context = Context::with_env(env());
        context.add_variable_from_value("self", value.clone());
        program.execute(&context).ok()
    }))
    .ok()
    .flatten()
}

/// A rule's text for a message: its first line, cut short.
fn short(rule: &str) -> String {
    let line = rule.trim().lines().next().unwrap_or("");
    match line.char_indices().nth(60) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None if line.len() < rule.trim().len() => format!("{line}…"),
        None => line.to_string(),
    }
}

/// A JSON value as the API server gives it to CEL beside its schema: integers are `int`
/// (JSON has no unsigned integers), numbers of a `number` field are `double`, and strings of a
/// `duration`, `date`, `date-time` or `byte` field are durations, timestamps and bytes. `None`
/// when such a string does not parse (upstream gives an error value, and rules that read it
/// fail to evaluate).
fn to_cel(schema: &Value, value: &Value) -> Option<cel::Value> {
    let sub = |key: &str| schema.get(key).unwrap_or(&Value::Null);
    Some(match value {
        Value::Null => cel::Value::Null,
        Value::Bool(b) => cel::Value::Bool(*b),
        Value::Number(n) => {
            let number = schema.get("type").and_then(Value::as_str) == Some("number");
            match (n.as_i64(), n.as_u64()) {
                (Some(i), _) if !number => cel::Value::Int(i),
                (None, Some(u)) if !number => cel::Value::UInt(u),
                _ => cel::Value::Float(n.as_f64().unwrap_or(f64::NAN)),
            }
        }
        Value::String(s) => typed_string(schema, s)?,
        Value::Array(items) => cel::Value::List(Arc::new(
            items
                .iter()
                .map(|i| to_cel(sub("items"), i))
                .collect::<Option<Vec<_>>>()?,
        )),
        Value::Object(fields) => {
            let map = fields
                .iter()
                .map(|(k, v)| {
                    let field = schema
                        .get("properties")
                        .and_then(|p| p.get(k))
                        .unwrap_or_else(|| sub("additionalProperties"));
                    Some((cel::objects::Key::from(k.clone()), to_cel(field, v)?))
                })
                .collect::<Option<HashMap<_, _>>>()?;
            cel::Value::Map(cel::objects::Map { map: Arc::new(map) })
        }
    })
}

/// A string as CEL sees it beside its schema: a `type: string` field's `format` (exactly
/// `duration`, `date`, `date-time` or `byte`) makes it a duration, a timestamp or bytes.
fn typed_string(schema: &Value, s: &str) -> Option<cel::Value> {
    let string = schema.get("type").and_then(Value::as_str) == Some("string");
    let format = schema
        .get("format")
        .and_then(Value::as_str)
        .filter(|_| string);
    Some(match format {
        Some("duration") => cel::Value::Duration(chrono::Duration::nanoseconds(
            super::formats::parse_duration(s)?,
        )),
        Some("date") => cel::Value::Timestamp(super::formats::parse_date(s)?),
        Some("date-time") => cel::Value::Timestamp(super::formats::parse_date_time(s)?),
        Some("byte") => {
            use base64::Engine;
            let bytes = base64::engine::general_purpose::URL_SAFE.decode(s).ok()?;
            cel::Value::Bytes(Arc::new(bytes))
        }
        _ => cel::Value::String(Arc::new(s.to_string())),
    })
}

/// A value as an error message shows it: compact JSON, cut short.
fn shown_value(value: Option<&Value>) -> String {
    // Keys sorted, as the API server prints a map.
    let text = value.map_or_else(
        || "null".to_string(),
        |v| {
            let mut sorted = v.clone();
            sorted.sort_all_objects();
            sorted.to_string()
        },
    );
    match text.char_indices().nth(80) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

/// One rule checked on one value (the node of a custom resource that carries it): why kubevet
/// cannot evaluate the rule, if it cannot, and the findings. For fuzzing and property tests.
#[doc(hidden)]
pub fn check_rule_on(rule: &str, value: &Value) -> (Option<String>, Vec<Finding>) {
    let schema = serde_json::json!({"x-kubernetes-validations": [{"rule": rule}]});
    let mut out = Vec::new();
    Rules::default().check(&schema, value, "", &mut out);
    (unsupported(rule), out)
}

/// Functions kubevet can evaluate besides the Kubernetes libraries: the CEL standard library
/// (macros are expanded before this is asked) with its durations and timestamps, its optional
/// values, and the strings extension.
const KNOWN_FUNCTIONS: &[&str] = &[
    "size",
    "contains",
    "startsWith",
    "endsWith",
    "matches",
    "int",
    "uint",
    "double",
    "string",
    "bytes",
    "bool",
    "type",
    "dyn",
    "charAt",
    "format",
    "indexOf",
    "join",
    "lastIndexOf",
    "replace",
    "split",
    "substring",
    "trim",
    "lowerAscii",
    "upperAscii",
    "quote",
    "reverse",
    "hasValue",
    "value",
    "orValue",
    "or",
    "of",
    "ofNonZeroValue",
    "none",
    "duration",
    "timestamp",
    "getFullYear",
    "getMonth",
    "getDayOfYear",
    "getDayOfMonth",
    "getDate",
    "getDayOfWeek",
    "getHours",
    "getMinutes",
    "getSeconds",
    "getMilliseconds",
];

/// The macros of CEL, written like calls.
const MACROS: &[&str] = &["has", "all", "exists", "exists_one", "map", "filter"];

/// Why kubevet cannot evaluate a rule on create, if it cannot: a transition rule, one that
/// calls a function kubevet lacks (the names written before `(` outside string literals), or
/// one the crate does not compile (too long, a syntax it lacks, or a panic of its parser).
///
/// Answered once per rule text in a run: every version of a CRD, and every copy of it in a
/// repository, usually repeats the same rules, and compiling one costs more than checking a
/// custom resource against it.
pub(super) fn unsupported(rule: &str) -> Option<String> {
    static SEEN: std::sync::OnceLock<Mutex<HashMap<String, Option<String>>>> =
        std::sync::OnceLock::new();
    let seen = SEEN.get_or_init(Default::default);
    if let Some(why) = seen.lock().ok().and_then(|s| s.get(rule).cloned()) {
        return why;
    }
    let why = unsupported_uncached(rule);
    if let Ok(mut s) = seen.lock() {
        s.insert(rule.to_string(), why.clone());
    }
    why
}

fn unsupported_uncached(rule: &str) -> Option<String> {
    if rule.contains("oldSelf") {
        return Some("it compares with `oldSelf` (a transition rule, checked on update)".into());
    }
    let library = super::cel_lib::names();
    let known = |name: &str| {
        MACROS.contains(&name)
            || KNOWN_FUNCTIONS.contains(&name)
            || library
                .iter()
                .any(|l| *l == name || l.rsplit('.').next() == Some(name))
    };
    let mut missing: Vec<String> = Vec::new();
    for name in called_names(rule) {
        if !known(name) {
            let shown = format!("`{name}`");
            if !missing.contains(&shown) {
                missing.push(shown);
            }
        }
    }
    if !missing.is_empty() {
        return Some(format!(
            "it calls {}, which kubevet does not implement",
            missing.join(", ")
        ));
    }
    compile(rule).err()
}

/// The identifiers directly followed by `(` in a CEL expression, outside string literals.
fn called_names(rule: &str) -> Vec<&str> {
    let bytes = rule.as_bytes();
    let mut names = Vec::new();
    let mut i = 0;
    let mut quote: Option<u8> = None;
    while i < bytes.len() {
        let b = bytes[i];
        if let Some(q) = quote {
            if b == b'\\' {
                i += 2;
                continue;
            }
            if b == q {
                quote = None;
            }
            i += 1;
            continue;
        }
        if b == b'\'' || b == b'"' {
            quote = Some(b);
            i += 1;
            continue;
        }
        if b.is_ascii_alphabetic() || b == b'_' {
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            let mut k = i;
            while k < bytes.len() && bytes[k] == b' ' {
                k += 1;
            }
            if bytes.get(k) == Some(&b'(') {
                names.push(&rule[start..i]);
            }
            continue;
        }
        i += 1;
    }
    names
}

/// A rule's `fieldPath` (`.spec.replicas`, relative to the node) as a pointer below `at`;
/// `None` for the bracket forms, which are left at the node.
fn field_path(at: &str, path: &str) -> Option<String> {
    if path.contains('[') {
        return None;
    }
    let tokens: Vec<&str> = path.split('.').filter(|t| !t.is_empty()).collect();
    Some(crate::pointer::join(at, &tokens))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn findings(schema: Value, value: Value) -> Vec<Finding> {
        let mut out = Vec::new();
        Rules::default().check(&schema, &value, "", &mut out);
        out
    }

    #[test]
    fn rules_kubevet_cannot_evaluate_are_named() {
        assert!(unsupported("self.all(x, x.name.lowerAscii() == x.name && isIP(x.ip))").is_none());
        assert!(unsupported("self.replicas >= oldSelf.replicas")
            .unwrap()
            .contains("oldSelf"));
        assert!(unsupported("quantity(self.q).isGreaterThan(quantity('1'))").is_none());
        assert!(unsupported("self.s.matches('^x(y)$') && has(self.t)").is_none());
        assert!(unsupported("url(self.u).getHost() == 'a' && self.l.isSorted()").is_none());
        assert!(
            unsupported("!format.named('uuid').value().validate(self.id).hasValue()").is_none()
        );
        assert!(
            unsupported("ip.isCanonical(self.ip) && cidr(self.c).containsIP(self.ip)").is_none()
        );
        assert!(unsupported("semver(self.v, true).isGreaterThan(semver('1.0.0'))").is_none());
        assert!(unsupported(
            "duration(self.d) < duration('1h') && timestamp(self.t).getFullYear() > 2000"
        )
        .is_none());
        assert!(unsupported("self.l.transformList(i, v, v + 1) == self.l")
            .unwrap()
            .contains("`transformList`"));
        assert!(unsupported("authorizer.group('x').check()")
            .unwrap()
            .contains("`group`, `check`"));
    }

    #[test]
    fn the_ip_and_cidr_library_functions() {
        let schema = json!({"x-kubernetes-validations": [
            {"rule": "isIP(self.ip)", "message": "ip"},
            {"rule": "isCIDR(self.net)", "message": "net"}
        ]});
        let bad = |ip: &str, net: &str| {
            findings(schema.clone(), json!({"ip": ip, "net": net}))
                .iter()
                .map(|f| f.message.clone())
                .collect::<Vec<_>>()
        };
        assert!(bad("10.0.0.1", "10.0.0.0/8").is_empty());
        assert!(bad("fd00::1", "fd00::/64").is_empty());
        assert_eq!(bad("10.0.0.300", "10.0.0.0/33").len(), 2);
        assert_eq!(bad("010.0.0.1", "10.0.0.0/08").len(), 2);
        assert_eq!(bad("fe80::1%eth0", "10.0.0.0").len(), 2);
    }

    #[test]
    fn false_rules_are_reported_at_their_node_true_and_unknown_ones_are_not() {
        let schema = json!({
            "type": "object",
            "properties": {"spec": {
                "type": "object",
                "x-kubernetes-validations": [
                    {"rule": "!(self.type != 'RollingUpdate' && has(self.rollingUpdate))", "message": "rollingUpdate requires type RollingUpdate"},
                    {"rule": "[has(self.a), has(self.b)].filter(x, x).size() <= 1"},
                    {"rule": "self.replicas <= oldSelf.replicas"},
                    {"rule": "self.name.isNotAKubernetesFunction()"},
                    {"rule": "self.replicas >= 1", "fieldPath": ".replicas"},
                    {"rule": "self.name.lowerAscii() == self.name", "message": "name is lower case"}
                ]
            }}
        });
        let bad = findings(
            schema.clone(),
            json!({"spec": {"type": "Recreate", "rollingUpdate": {}, "a": 1, "b": 2, "replicas": 0, "name": "X"}}),
        );
        let messages: Vec<(&str, &str)> = bad
            .iter()
            .map(|f| (f.pointer.as_str(), f.message.as_str()))
            .collect();
        assert_eq!(
            messages,
            vec![
                ("/spec", "`spec`: rollingUpdate requires type RollingUpdate"),
                (
                    "/spec",
                    "`spec`: failed rule: [has(self.a), has(self.b)].filter(x, x).size() <= 1"
                ),
                (
                    "/spec/replicas",
                    "`spec.replicas`: failed rule: self.replicas >= 1"
                ),
                ("/spec", "`spec`: name is lower case"),
            ]
        );
        let good = findings(
            schema,
            json!({"spec": {"type": "RollingUpdate", "rollingUpdate": {}, "a": 1, "replicas": 2, "name": "x"}}),
        );
        assert!(good.is_empty(), "{good:?}");
    }

    #[test]
    fn message_expressions_and_reasons_word_the_error_as_the_api_server_does() {
        let rule = |extra: Value| {
            let mut r = json!({"rule": "self.n % 2 == 0", "message": "even"});
            r.as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            let schema = json!({"type": "object", "properties": {"n": {"type": "integer"}},
                "x-kubernetes-validations": [r]});
            findings(schema, json!({"n": 3}))
                .into_iter()
                .map(|f| (f.message, f.help))
                .collect::<Vec<_>>()
        };
        let message = |extra: Value| rule(extra)[0].0.clone();
        assert_eq!(message(json!({})), "the object: even");
        assert_eq!(
            message(json!({"messageExpression": "'n is ' + string(self.n)"})),
            "the object: n is 3"
        );
        // A failing, non-string, empty or multi-line expression falls back to the message.
        for fallback in ["self.missing", "self.n", "'  '", "'a\\nb'", "nope("] {
            assert_eq!(
                message(json!({"messageExpression": fallback})),
                "the object: even",
                "{fallback}"
            );
        }
        assert_eq!(
            message(json!({"reason": "FieldValueForbidden"})),
            "the object: Forbidden: even"
        );
        assert_eq!(
            message(json!({"reason": "FieldValueRequired"})),
            "the object: Required value: even"
        );
        assert_eq!(
            message(json!({"reason": "FieldValueInvalid"})),
            "the object: Invalid value: even"
        );
        let duplicate = rule(json!({"reason": "FieldValueDuplicate"}));
        assert_eq!(duplicate[0].0, "the object: Duplicate value: {\"n\":3}");
        assert!(duplicate[0].1.as_deref().unwrap().ends_with(": even"));
    }

    #[test]
    fn integers_are_ints_and_numbers_doubles_as_the_api_server_gives_them() {
        let schema = json!({"type": "object", "properties": {
        "i": {"type": "integer"}, "d": {"type": "number"}, "l": {"type": "array", "items": {"type": "number"}}},
        "x-kubernetes-validations": [
            {"rule": "self.i % 2 == 1 && self.i - 5 == -2", "message": "int"},
            {"rule": "self.d == 2.0 && self.d / 4.0 == 0.5", "message": "double"},
            {"rule": "self.l.sum() == 3.0", "message": "list"}
        ]});
        let good = findings(schema.clone(), json!({"i": 3, "d": 2, "l": [1, 2]}));
        assert!(good.is_empty(), "{good:?}");
        assert_eq!(findings(schema, json!({"i": 4, "d": 3, "l": [1]})).len(), 3);
    }

    #[test]
    fn hostile_rules_are_bounded() {
        // Loops nested over a large value are not run, and say so.
        let big = Value::Array((0..2000).map(Value::from).collect());
        let started = std::time::Instant::now();
        let (why, out) = check_rule_on(
            "self.all(a, self.all(b, self.all(c, a + b + c >= 0)))",
            &big,
        );
        assert!(why.is_none());
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(out[0].rule, RuleId::UnsupportedCelRule);
        assert!(out[0].message.contains("budget"), "{}", out[0].message);
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        // The same rule on a small value is evaluated.
        let small = Value::Array((0..5).map(Value::from).collect());
        let (_, out) = check_rule_on(
            "self.all(a, self.all(b, self.all(c, a + b + c > 0)))",
            &small,
        );
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].rule, RuleId::Schema);
        // A single loop over a large list is evaluated, whatever it calls on each item.
        let names = Value::Array((0..5000).map(|i| Value::from(format!("n{i}"))).collect());
        let (_, out) = check_rule_on(
            "self.all(x, x in ['a', 'b'] || x.contains('n') && x.startsWith('n'))",
            &names,
        );
        assert!(out.is_empty(), "{out:?}");
        let (_, out) = check_rule_on("self.all(x, x.size() > 5)", &names);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].rule, RuleId::Schema);
        // Deep nesting and huge rules are refused at compile time, as unsupported.
        let deep = format!("{}1{} == 1", "(".repeat(2000), ")".repeat(2000));
        assert!(unsupported(&deep).unwrap().contains("does not read it"));
        assert!(check_rule_on(&deep, &json!(1)).1.is_empty());
        let long = format!("self == '{}'", "x".repeat(10_000));
        assert!(unsupported(&long).unwrap().contains("longer than"));
        assert!(unsupported("self.a ==")
            .unwrap()
            .contains("does not read it"));
    }

    #[test]
    fn optional_values_are_evaluated() {
        let rule = "optional.of(1).hasValue() && optional.none().orValue(2) == 2 \
            && optional.none().or(optional.of(3)).value() == 3 \
            && !optional.ofNonZeroValue(0).hasValue() && self.?missing.orValue(4) == 4";
        assert!(unsupported(rule).is_none());
        let schema = json!({"type": "object", "x-kubernetes-validations": [{"rule": rule}]});
        assert!(findings(schema.clone(), json!({})).is_empty());
        let negated =
            json!({"type": "object", "x-kubernetes-validations": [{"rule": format!("!({rule})")}]});
        assert_eq!(findings(negated, json!({})).len(), 1);
    }

    #[test]
    fn loops_are_counted_in_any_text() {
        assert_eq!(loops("self.all(x, x in self.l)"), 2);
        assert_eq!(loops("self.x in ['a', 'b'] && self.index == 1"), 0);
        assert_eq!(
            loops("sets.contains(self.a, self.b) && self.a.exists(y, y == 1)"),
            2
        );
        // Found by fuzzing: a multi-byte character beside a word.
        let text = "ur//s\u{619}qse.all(xs1shaTl( \0s";
        assert_eq!(loops(text), 1);
        assert_eq!(loops("é in ü"), 1);
    }
}
