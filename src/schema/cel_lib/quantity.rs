//! The Kubernetes quantity library: `quantity(s)` (an error unless `s` parses as
//! `resource.ParseQuantity` reads it), `isQuantity(s)`, and the methods `sign`, `isInteger`,
//! `asInteger`, `asApproximateFloat`, `add`/`sub` (a quantity or an int), `isLessThan`,
//! `isGreaterThan` and `compareTo` (also the semver library's, by the receiver's type). Two quantities are equal (`==`) when their values are.

use super::{error, opaque, overload, string, take, wrap, Def};
use crate::k8s::quantity::{parse_quantity, Quantity, QuantityFormat};
use cel::objects::Opaque;
use cel::{ExecutionError, Value};
use std::cmp::Ordering;

/// A quantity as a CEL value.
#[derive(Debug, PartialEq, Eq)]
struct CelQuantity(Quantity);

impl Opaque for CelQuantity {
    fn runtime_type_name(&self) -> &str {
        "kubernetes.Quantity"
    }
}

pub(super) fn defs() -> Vec<Def> {
    vec![
        Def::global("quantity", 1, overload!(quantity)),
        Def::global("isQuantity", 1, overload!(is_quantity)),
        Def::method("sign", 0, overload!(sign)),
        Def::method("isInteger", 0, overload!(is_integer)),
        Def::method("asInteger", 0, overload!(as_integer)),
        Def::method("asApproximateFloat", 0, overload!(as_approximate_float)),
        Def::method("add", 1, overload!(add)),
        Def::method("sub", 1, overload!(sub)),
        Def::method("isLessThan", 1, overload!(is_less_than)),
        Def::method("isGreaterThan", 1, overload!(is_greater_than)),
        Def::method("compareTo", 1, overload!(compare_to)),
    ]
}

fn this<'a>(name: &str, v: &'a Value) -> Result<&'a Quantity, ExecutionError> {
    opaque::<CelQuantity>(name, v).map(|q| &q.0)
}

fn quantity(args: &[Value]) -> Result<Value, ExecutionError> {
    let [s] = take("quantity", args)?;
    let q = parse_quantity(string("quantity", s)?).map_err(|e| error("quantity", e))?;
    Ok(wrap(CelQuantity(q)))
}

fn is_quantity(args: &[Value]) -> Result<Value, ExecutionError> {
    let [s] = take("isQuantity", args)?;
    Ok(Value::Bool(
        parse_quantity(string("isQuantity", s)?).is_ok(),
    ))
}

fn sign(args: &[Value]) -> Result<Value, ExecutionError> {
    let [q] = take("sign", args)?;
    Ok(Value::Int(i64::from(this("sign", q)?.sign())))
}

fn is_integer(args: &[Value]) -> Result<Value, ExecutionError> {
    let [q] = take("isInteger", args)?;
    Ok(Value::Bool(this("isInteger", q)?.is_integer()))
}

fn as_integer(args: &[Value]) -> Result<Value, ExecutionError> {
    let [q] = take("asInteger", args)?;
    this("asInteger", q)?
        .as_i64()
        .map(Value::Int)
        .ok_or_else(|| error("asInteger", "cannot convert value to integer"))
}

fn as_approximate_float(args: &[Value]) -> Result<Value, ExecutionError> {
    let [q] = take("asApproximateFloat", args)?;
    Ok(Value::Float(
        this("asApproximateFloat", q)?.as_approximate_f64(),
    ))
}

/// The argument of `add`/`sub`: a quantity, or an int read as a plain decimal quantity.
fn operand(name: &str, v: &Value) -> Result<Quantity, ExecutionError> {
    match v {
        Value::Int(i) => Ok(Quantity::from_i64(*i, QuantityFormat::DecimalSI)),
        other => this(name, other).cloned(),
    }
}

fn add(args: &[Value]) -> Result<Value, ExecutionError> {
    let [q, other] = take("add", args)?;
    let sum = this("add", q)?
        .checked_add(&operand("add", other)?)
        .ok_or_else(|| error("add", "the sum is out of range"))?;
    Ok(wrap(CelQuantity(sum)))
}

fn sub(args: &[Value]) -> Result<Value, ExecutionError> {
    let [q, other] = take("sub", args)?;
    let difference = this("sub", q)?
        .checked_sub(&operand("sub", other)?)
        .ok_or_else(|| error("sub", "the difference is out of range"))?;
    Ok(wrap(CelQuantity(difference)))
}

/// The order of two quantities, or of two versions: the comparisons are shared with the
/// semver library, and the receiver decides which.
fn ordering(name: &str, args: &[Value]) -> Result<Ordering, ExecutionError> {
    if let Some(o) = super::semver::ordering(name, args) {
        return o;
    }
    let [a, b] = take(name, args)?;
    Ok(this(name, a)?.cmp(this(name, b)?))
}

fn is_less_than(args: &[Value]) -> Result<Value, ExecutionError> {
    Ok(Value::Bool(ordering("isLessThan", args)? == Ordering::Less))
}

fn is_greater_than(args: &[Value]) -> Result<Value, ExecutionError> {
    Ok(Value::Bool(
        ordering("isGreaterThan", args)? == Ordering::Greater,
    ))
}

fn compare_to(args: &[Value]) -> Result<Value, ExecutionError> {
    Ok(Value::Int(ordering("compareTo", args)? as i64))
}

#[cfg(test)]
mod tests {
    use super::super::testing::{all_errors, all_true};

    /// Cases of upstream's quantity library tests.
    #[test]
    fn the_kubernetes_quantity_library() {
        all_true(&[
            "quantity('12Mi') == quantity('12Mi')",
            "quantity('1') == quantity('1000m')",
            "quantity('12Mi') != quantity('13Mi')",
            "isQuantity('20')",
            "isQuantity('20M')",
            "isQuantity('20Mi')",
            "isQuantity('20M') && isQuantity('1.5Gi')",
            "!isQuantity('foo')",
            "!isQuantity('1 Gi')",
            "!isQuantity('')",
            "quantity('50M').isInteger()",
            "!quantity('50m').isInteger()",
            "quantity('50M').asInteger() == 50000000",
            "quantity('50k').asApproximateFloat() == 50000.0",
            "quantity('50M').sign() == 1",
            "quantity('-50M').sign() == -1",
            "quantity('0').sign() == 0",
            "quantity('50M').isGreaterThan(quantity('50Mi')) == false",
            "quantity('50Mi').isGreaterThan(quantity('50M'))",
            "quantity('50M').isLessThan(quantity('100M'))",
            "!quantity('100M').isLessThan(quantity('50M'))",
            "quantity('50M').compareTo(quantity('50M')) == 0",
            "quantity('50M').compareTo(quantity('50Mi')) == -1",
            "quantity('50Mi').compareTo(quantity('50M')) == 1",
            "quantity('50k').add(quantity('20')) == quantity('50.02k')",
            "quantity('50k').add(20) == quantity('50020')",
            "quantity('50k').sub(quantity('20')) == quantity('49.98k')",
            "quantity('50k').sub(20) == quantity('49980')",
            "quantity('50k').add(20).sub(quantity('100k')).asInteger() == -49980",
            "quantity('50k').add(20).sub(quantity('100k')).sub(-50000).asInteger() == 20",
            "!quantity('50k').add(20).isLessThan(quantity('50020'))",
            "quantity('200M') == quantity('0.2G') && quantity('0.2G') == quantity('200M')",
            "quantity('2M') == quantity('0.002G') && quantity('2000k') == quantity('2M')",
            "quantity('200M') != quantity('0.3G')",
            "quantity('200M').compareTo(quantity('0.2G')) == 0",
            "quantity('150Mi').isGreaterThan(quantity('100Mi'))",
            "!quantity('50M').isGreaterThan(quantity('100M'))",
            "quantity('50k').asInteger() == 50000",
            "!quantity('9999999999999999999999999999999999999G').isInteger()",
            "quantity('50').isInteger()",
            "quantity('50.703k').asApproximateFloat() == 50703.0",
            "!isQuantity('20Mo')",
            "!isQuantity('10Mm')",
        ]);
        all_errors(&[
            "quantity('foo')",
            "quantity('50m').asInteger()",
            "quantity('9999999999999999999999999999999999999G').asInteger()",
            "quantity('10Mo')",
            "quantity('10Mm')",
            "quantity('1').isLessThan(1)",
        ]);
    }
}
