//! The Kubernetes CEL libraries (k8s.io/apiserver `pkg/cel/library`) that the `cel` crate does
//! not have, registered on the environment CRD rules are compiled in: lists (`isSorted`,
//! `sum`, `min`, `max`, `indexOf`, `lastIndexOf`), regex (`find`, `findAll`), quantity, URL,
//! IP and CIDR, format, and semver.
//!
//! Each function works on the crate's `Value`s and is registered as an environment overload
//! through [`overload!`], which converts the arguments in and the result out. A function that
//! meets a value it does not know how to treat exactly as upstream does returns an error: the
//! rule is then not reported (a miss), never reported wrongly.

mod format;
mod lists;
mod net;
mod quantity;
mod regex;
mod semver;
mod url;

use cel::common::types::{Type, DYN_TYPE};
use cel::objects::Opaque;
use cel::{Env, ExecutionError, Value};
use std::sync::Arc;

/// A function of the library: its arguments (the receiver first, for a method) as values.
type LibFn = fn(&[Value]) -> Result<Value, ExecutionError>;

/// Wraps a [`LibFn`] into the crate's overload signature.
macro_rules! overload {
    ($f:expr) => {{
        fn wrapper<'b, 'v>(
            args: Vec<cel::common::value::CowVal<'b, 'v>>,
        ) -> Result<cel::common::value::CowVal<'b, 'v>, cel::ExecutionError> {
            let values = args
                .iter()
                .map(|a| cel::Value::try_from(a.as_ref()))
                .collect::<Result<Vec<_>, _>>()?;
            let f: $crate::schema::cel_lib::LibFn = $f;
            let out = f(&values)?;
            let val: Box<dyn cel::common::value::Val> = out.try_into()?;
            Ok(cel::common::value::CowVal::Owned(val))
        }
        wrapper as cel::common::functions::Function
    }};
}
pub(crate) use overload;

/// One function of a library: its CEL name, whether it is a method, its argument count
/// (without the receiver), the receiver's type and the implementation.
struct Def {
    name: &'static str,
    member: bool,
    arity: usize,
    receiver: Type,
    op: cel::common::functions::Function,
}

impl Def {
    /// A method on any value (the implementation checks the receiver).
    fn method(name: &'static str, arity: usize, op: cel::common::functions::Function) -> Def {
        Def {
            name,
            member: true,
            arity,
            receiver: DYN_TYPE,
            op,
        }
    }

    /// A global function.
    fn global(name: &'static str, arity: usize, op: cel::common::functions::Function) -> Def {
        Def {
            name,
            member: false,
            arity,
            receiver: DYN_TYPE,
            op,
        }
    }
}

/// Registers every library on `env`.
pub(super) fn register(env: &mut Env) -> Result<(), cel::DeclarationError> {
    for d in all_defs() {
        let args = (0..d.arity).map(|_| DYN_TYPE).collect();
        let id = format!("kubevet_{}_{}_{}", d.name, d.member, d.arity);
        if d.member {
            env.add_member_overload(d.name, &id, d.receiver, args, d.op)?;
        } else {
            env.add_overload(d.name, &id, args, d.op)?;
        }
    }
    Ok(())
}

/// The definitions of every library.
fn all_defs() -> impl Iterator<Item = Def> {
    [
        lists::defs(),
        regex::defs(),
        quantity::defs(),
        url::defs(),
        net::defs(),
        format::defs(),
        semver::defs(),
    ]
    .into_iter()
    .flatten()
}

/// The names of the functions the libraries define (for the list of functions kubevet can
/// evaluate).
pub(super) fn names() -> &'static [&'static str] {
    static NAMES: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    NAMES.get_or_init(all_names)
}

fn all_names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = all_defs().map(|d| d.name).collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// Go's `url.ParseRequestURI` on `s`: why it refuses it (`Some`), or `None` when kubevet
/// cannot tell.
pub(super) fn parse_request_uri(s: &str) -> Result<(), Option<String>> {
    url::parse_request_uri(s).map(|_| ())
}

pub(super) use format::is_date;

/// An error of function `name`.
fn error(name: &str, message: impl ToString) -> ExecutionError {
    ExecutionError::function_error(name, message)
}

/// `args` as exactly `N` values.
fn take<'a, const N: usize>(
    name: &str,
    args: &'a [Value],
) -> Result<&'a [Value; N], ExecutionError> {
    args.try_into()
        .map_err(|_| error(name, format!("takes {N} argument(s)")))
}

/// The string at `v`.
fn string<'a>(name: &str, v: &'a Value) -> Result<&'a str, ExecutionError> {
    match v {
        Value::String(s) => Ok(s.as_str()),
        other => Err(error(
            name,
            format!("expects a string, not {}", other.type_of()),
        )),
    }
}

/// The integer at `v`.
fn int(name: &str, v: &Value) -> Result<i64, ExecutionError> {
    match v {
        Value::Int(i) => Ok(*i),
        other => Err(error(
            name,
            format!("expects an int, not {}", other.type_of()),
        )),
    }
}

/// The opaque value of type `T` at `v`.
fn opaque<'a, T: Opaque>(name: &str, v: &'a Value) -> Result<&'a T, ExecutionError> {
    match v {
        Value::Opaque(o) => o.downcast_ref::<T>(),
        _ => None,
    }
    .ok_or_else(|| error(name, format!("no such overload on {}", v.type_of())))
}

/// `value` as an opaque CEL value.
fn wrap<T: Opaque>(value: T) -> Value {
    Value::Opaque(Arc::new(value))
}

/// A list of strings.
fn string_list(items: impl IntoIterator<Item = String>) -> Value {
    Value::List(Arc::new(items.into_iter().map(Value::from).collect()))
}

#[cfg(test)]
pub(super) mod testing {
    use cel::{Context, Env, Value};
    use std::sync::Arc;

    /// Evaluates `expr` with the libraries (and the strings extension) registered.
    pub fn eval(expr: &str) -> Result<Value, String> {
        let mut env = Env::stdlib();
        env.add_extension(cel::extensions::strings)
            .map_err(|e| e.to_string())?;
        super::register(&mut env).map_err(|e| e.to_string())?;
        let env = Arc::new(env);
        let program = env.compile(expr).map_err(|e| e.to_string())?;
        program
            .execute(&Context::with_env(env))
            .map_err(|e| e.to_string())
    }

    /// Asserts that each expression evaluates to `true`.
    pub fn all_true(cases: &[&str]) {
        for case in cases {
            assert_eq!(eval(case), Ok(Value::Bool(true)), "{case}");
        }
    }

    /// Asserts that each expression fails to evaluate.
    pub fn all_errors(cases: &[&str]) {
        for case in cases {
            assert!(eval(case).is_err(), "{case} gave {:?}", eval(case));
        }
    }
}
