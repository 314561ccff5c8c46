//! The Kubernetes regex library: `s.find(re)` (the first match, or `""`) and
//! `s.findAll(re)` / `s.findAll(re, n)` (every match, or the first `n`; a negative `n` means
//! all). An invalid expression is an error, as upstream.

use super::{error, int, overload, string, take, Def};
use cel::{ExecutionError, Value};

pub(super) fn defs() -> Vec<Def> {
    vec![
        Def::method("find", 1, overload!(find)),
        Def::method("findAll", 1, overload!(find_all)),
        Def::method("findAll", 2, overload!(find_all_limit)),
    ]
}

/// Expressions are compiled with a bounded size, so a rule cannot make one huge.
fn compile(name: &str, re: &str) -> Result<regex::Regex, ExecutionError> {
    regex::RegexBuilder::new(re)
        .size_limit(1 << 20)
        .build()
        .map_err(|e| error(name, e))
}

fn find(args: &[Value]) -> Result<Value, ExecutionError> {
    let [s, re] = take("find", args)?;
    let re = compile("find", string("find", re)?)?;
    let s = string("find", s)?;
    Ok(Value::from(re.find(s).map_or("", |m| m.as_str())))
}

fn all(s: &Value, re: &Value, limit: i64) -> Result<Value, ExecutionError> {
    let re = compile("findAll", string("findAll", re)?)?;
    let s = string("findAll", s)?;
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    Ok(super::string_list(
        re.find_iter(s).take(limit).map(|m| m.as_str().to_string()),
    ))
}

fn find_all(args: &[Value]) -> Result<Value, ExecutionError> {
    let [s, re] = take("findAll", args)?;
    all(s, re, -1)
}

fn find_all_limit(args: &[Value]) -> Result<Value, ExecutionError> {
    let [s, re, n] = take("findAll", args)?;
    all(s, re, int("findAll", n)?)
}

#[cfg(test)]
mod tests {
    use super::super::testing::{all_errors, all_true};

    #[test]
    fn the_examples_of_the_kubernetes_regex_library() {
        all_true(&[
            "'abc 123'.find('[0-9]+') == '123'",
            "'abc 123'.find('xyz') == ''",
            "'123 abc 456'.findAll('[0-9]+') == ['123', '456']",
            "'123 abc 456'.findAll('[0-9]+', 1) == ['123']",
            "'123 abc 456'.findAll('[0-9]+', 0) == []",
            "'123 abc 456'.findAll('[0-9]+', -1) == ['123', '456']",
            "'123 abc 456'.findAll('xyz') == []",
            "'ab-cd'.find('[a-z]+-') == 'ab-'",
        ]);
        all_errors(&["'abc'.find('[')", "'abc'.findAll('(')"]);
    }
}
