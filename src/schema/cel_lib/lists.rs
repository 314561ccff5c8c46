//! The Kubernetes lists library: `isSorted`, `sum`, `min`, `max`, `indexOf` and
//! `lastIndexOf` on lists, and the sets extension (`sets.contains`, `sets.equivalent`,
//! `sets.intersects`). Elements compare as CEL compares them (numbers across `int`,
//! `uint` and `double`; strings, bytes and booleans with their own kind); a list of values that
//! do not compare is an error, as is `min`/`max` of an empty list. `sum` of an empty list is
//! `0`.

use super::{error, overload, take, Def};
use cel::common::types::LIST_TYPE;
use cel::{ExecutionError, Value};
use std::cmp::Ordering;

pub(super) fn defs() -> Vec<Def> {
    let on_list = |name, arity, op| Def {
        receiver: LIST_TYPE,
        ..Def::method(name, arity, op)
    };
    vec![
        on_list("isSorted", 0, overload!(is_sorted)),
        on_list("sum", 0, overload!(sum)),
        on_list("min", 0, overload!(min)),
        on_list("max", 0, overload!(max)),
        on_list("indexOf", 1, overload!(index_of)),
        on_list("lastIndexOf", 1, overload!(last_index_of)),
        Def::global("sets.contains", 2, overload!(sets_contains)),
        Def::global("sets.equivalent", 2, overload!(sets_equivalent)),
        Def::global("sets.intersects", 2, overload!(sets_intersects)),
    ]
}

fn items<'a>(name: &str, v: &'a Value) -> Result<&'a [Value], ExecutionError> {
    match v {
        Value::List(l) => Ok(l.as_slice()),
        other => Err(error(
            name,
            format!("expects a list, not {}", other.type_of()),
        )),
    }
}

/// CEL's ordering of two values of comparable types.
pub(super) fn compare(name: &str, a: &Value, b: &Value) -> Result<Ordering, ExecutionError> {
    let ordering = match (a, b) {
        (Value::Int(x), Value::Int(y)) => Some(x.cmp(y)),
        (Value::UInt(x), Value::UInt(y)) => Some(x.cmp(y)),
        (Value::Float(x), Value::Float(y)) => x.partial_cmp(y),
        (Value::Int(x), Value::UInt(y)) => Some(i128::from(*x).cmp(&i128::from(*y))),
        (Value::UInt(x), Value::Int(y)) => Some(i128::from(*x).cmp(&i128::from(*y))),
        (Value::Int(x), Value::Float(y)) => (*x as f64).partial_cmp(y),
        (Value::Float(x), Value::Int(y)) => x.partial_cmp(&(*y as f64)),
        (Value::UInt(x), Value::Float(y)) => (*x as f64).partial_cmp(y),
        (Value::Float(x), Value::UInt(y)) => x.partial_cmp(&(*y as f64)),
        (Value::String(x), Value::String(y)) => Some(x.cmp(y)),
        (Value::Bytes(x), Value::Bytes(y)) => Some(x.cmp(y)),
        (Value::Bool(x), Value::Bool(y)) => Some(x.cmp(y)),
        _ => None,
    };
    ordering.ok_or_else(|| {
        error(
            name,
            format!("cannot compare {} with {}", a.type_of(), b.type_of()),
        )
    })
}

fn is_sorted(args: &[Value]) -> Result<Value, ExecutionError> {
    let [list] = take("isSorted", args)?;
    let items = items("isSorted", list)?;
    for pair in items.windows(2) {
        if compare("isSorted", &pair[0], &pair[1])? == Ordering::Greater {
            return Ok(Value::Bool(false));
        }
    }
    // A single element must still be of a comparable type.
    if let [only] = items {
        compare("isSorted", only, only)?;
    }
    Ok(Value::Bool(true))
}

fn sum(args: &[Value]) -> Result<Value, ExecutionError> {
    let [list] = take("sum", args)?;
    let overflow = || error("sum", "integer overflow");
    let mut total: Option<Value> = None;
    for item in items("sum", list)? {
        total = Some(match (total, item) {
            (None, Value::Int(_) | Value::UInt(_) | Value::Float(_)) => item.clone(),
            (Some(Value::Int(a)), Value::Int(b)) => {
                Value::Int(a.checked_add(*b).ok_or_else(overflow)?)
            }
            (Some(Value::UInt(a)), Value::UInt(b)) => {
                Value::UInt(a.checked_add(*b).ok_or_else(overflow)?)
            }
            (Some(Value::Float(a)), Value::Float(b)) => Value::Float(a + b),
            (_, other) => return Err(error("sum", format!("cannot add {}", other.type_of()))),
        });
    }
    Ok(total.unwrap_or(Value::Int(0)))
}

/// The element that wins every comparison: `keep` is the ordering of the current winner
/// against a challenger under which the winner stays.
fn extreme(name: &str, args: &[Value], keep: Ordering) -> Result<Value, ExecutionError> {
    let [list] = take(name, args)?;
    let mut best: Option<&Value> = None;
    for item in items(name, list)? {
        best = Some(match best {
            None => {
                compare(name, item, item)?;
                item
            }
            Some(b) if compare(name, b, item)? == keep.reverse() => item,
            Some(b) => b,
        });
    }
    best.cloned()
        .ok_or_else(|| error(name, format!("{name} called on empty list")))
}

fn min(args: &[Value]) -> Result<Value, ExecutionError> {
    extreme("min", args, Ordering::Less)
}

fn max(args: &[Value]) -> Result<Value, ExecutionError> {
    extreme("max", args, Ordering::Greater)
}

fn index_of(args: &[Value]) -> Result<Value, ExecutionError> {
    let [list, item] = take("indexOf", args)?;
    let at = items("indexOf", list)?.iter().position(|x| x == item);
    Ok(Value::Int(at.map_or(-1, |i| i as i64)))
}

fn last_index_of(args: &[Value]) -> Result<Value, ExecutionError> {
    let [list, item] = take("lastIndexOf", args)?;
    let at = items("lastIndexOf", list)?.iter().rposition(|x| x == item);
    Ok(Value::Int(at.map_or(-1, |i| i as i64)))
}

/// Whether every element of `b` is in `a`.
fn subset(name: &str, a: &Value, b: &Value) -> Result<bool, ExecutionError> {
    let a = items(name, a)?;
    Ok(items(name, b)?.iter().all(|x| a.contains(x)))
}

fn sets_contains(args: &[Value]) -> Result<Value, ExecutionError> {
    let [a, b] = take("sets.contains", args)?;
    Ok(Value::Bool(subset("sets.contains", a, b)?))
}

fn sets_equivalent(args: &[Value]) -> Result<Value, ExecutionError> {
    let [a, b] = take("sets.equivalent", args)?;
    Ok(Value::Bool(
        subset("sets.equivalent", a, b)? && subset("sets.equivalent", b, a)?,
    ))
}

fn sets_intersects(args: &[Value]) -> Result<Value, ExecutionError> {
    let [a, b] = take("sets.intersects", args)?;
    let a = items("sets.intersects", a)?;
    Ok(Value::Bool(
        items("sets.intersects", b)?.iter().any(|x| a.contains(x)),
    ))
}

#[cfg(test)]
mod tests {
    use super::super::testing::{all_errors, all_true, eval};
    use cel::Value;

    #[test]
    fn the_examples_of_the_kubernetes_lists_library() {
        all_true(&[
            "[1, 2, 3].isSorted()",
            "['a', 'b', 'b', 'c'].isSorted()",
            "![2.0, 1.0].isSorted()",
            "[1].isSorted()",
            "[].isSorted()",
            "[1, 3].sum() == 4",
            "[1.0, 3.0].sum() == 4.0",
            "[].sum() == 0",
            "[1u, 2u].sum() == 3u",
            "[1, 3].min() == 1",
            "[1, 3].max() == 3",
            "[1].min() == 1",
            "['b', 'a', 'c'].max() == 'c'",
            "[1, 2, 2, 3].indexOf(2) == 1",
            "['a', 'b', 'b', 'c'].lastIndexOf('b') == 2",
            "[1.0].indexOf(1.1) == -1",
            "[].indexOf('string') == -1",
            // The strings extension's `indexOf` still answers for strings.
            "'abcb'.indexOf('b') == 1 && 'abcb'.lastIndexOf('b') == 3",
        ]);
        assert_eq!(eval("[3, 1, 2].min()"), Ok(Value::Int(1)));
    }

    /// Cases of cel-go's sets extension tests.
    #[test]
    fn the_sets_extension() {
        all_true(&[
            "sets.contains([], [])",
            "sets.contains([1, 2, 3], [])",
            "sets.contains([1, 2, 3, 4], [2, 3])",
            "!sets.contains([1, 2, 3], [4])",
            "sets.equivalent([1, 2, 3], [3, 2, 1, 1])",
            "!sets.equivalent([1, 2], [1, 2, 3])",
            "sets.intersects([1, 2], [2, 5])",
            "!sets.intersects([1], [])",
            "!sets.intersects(['a'], ['b'])",
        ]);
    }

    #[test]
    fn what_the_library_refuses() {
        all_errors(&[
            "[].min()",
            "[].max()",
            "[{'a': 1}, {'a': 2}].isSorted()",
            "['a', 1].isSorted()",
            "['a', 'b'].sum()",
            "[9223372036854775807, 1].sum()",
        ]);
    }
}
