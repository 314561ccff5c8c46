//! The Kubernetes format library: `format.named(name)` (an optional format) and
//! `format.<name>()`, whose `validate(s)` is `optional.none()` for a valid string and the
//! list of upstream's error messages otherwise. The name formats use the validators kubevet
//! already has; `uri` is the URL library's reading; `uuid`, `byte`, `date` and `datetime` are
//! kube-openapi's default format registry, as the API server checks CRD `format`s
//! ([`crate::schema::formats`]).

use super::{error, opaque, overload, string, take, wrap, Def};
use crate::k8s::names;
use cel::objects::{Opaque, OptionalValue};
use cel::{ExecutionError, Value};
use std::sync::Arc;

/// The formats, by their CEL names.
const FORMATS: &[&str] = &[
    "dns1123Label",
    "dns1123Subdomain",
    "dns1035Label",
    "qualifiedName",
    "dns1123LabelPrefix",
    "dns1123SubdomainPrefix",
    "dns1035LabelPrefix",
    "labelValue",
    "uri",
    "uuid",
    "byte",
    "date",
    "datetime",
];

/// A named format as a CEL value.
#[derive(Debug, PartialEq, Eq)]
struct Format(&'static str);

impl Opaque for Format {
    fn runtime_type_name(&self) -> &str {
        "kubernetes.NamedFormat"
    }
}

pub(super) fn defs() -> Vec<Def> {
    vec![
        Def::global("format.named", 1, overload!(named)),
        Def::method("validate", 1, overload!(validate)),
        Def::global("format.dns1123Label", 0, overload!(|_| constant(0))),
        Def::global("format.dns1123Subdomain", 0, overload!(|_| constant(1))),
        Def::global("format.dns1035Label", 0, overload!(|_| constant(2))),
        Def::global("format.qualifiedName", 0, overload!(|_| constant(3))),
        Def::global("format.dns1123LabelPrefix", 0, overload!(|_| constant(4))),
        Def::global(
            "format.dns1123SubdomainPrefix",
            0,
            overload!(|_| constant(5)),
        ),
        Def::global("format.dns1035LabelPrefix", 0, overload!(|_| constant(6))),
        Def::global("format.labelValue", 0, overload!(|_| constant(7))),
        Def::global("format.uri", 0, overload!(|_| constant(8))),
        Def::global("format.uuid", 0, overload!(|_| constant(9))),
        Def::global("format.byte", 0, overload!(|_| constant(10))),
        Def::global("format.date", 0, overload!(|_| constant(11))),
        Def::global("format.datetime", 0, overload!(|_| constant(12))),
    ]
}

fn constant(i: usize) -> Result<Value, ExecutionError> {
    Ok(wrap(Format(FORMATS[i])))
}

fn optional(v: Option<Value>) -> Value {
    Value::Opaque(Arc::new(match v {
        Some(v) => OptionalValue::of(v),
        None => OptionalValue::none(),
    }))
}

fn named(args: &[Value]) -> Result<Value, ExecutionError> {
    let [name] = take("format.named", args)?;
    let name = string("format.named", name)?;
    Ok(optional(
        FORMATS
            .iter()
            .find(|f| **f == name)
            .map(|f| wrap(Format(f))),
    ))
}

fn validate(args: &[Value]) -> Result<Value, ExecutionError> {
    let [format, s] = take("validate", args)?;
    let format = opaque::<Format>("validate", format)?.0;
    let s = string("validate", s)?;
    let problems = problems(format, s).ok_or_else(|| error("validate", "not supported"))?;
    Ok(optional(
        (!problems.is_empty()).then(|| super::string_list(problems)),
    ))
}

/// Whether kube-openapi's default format registry accepts `s` as `format`.
fn registry(format: &str, s: &str) -> Option<bool> {
    crate::schema::formats::valid(format, s)
}

/// Upstream's messages for `s` in `format`; `None` when kubevet cannot tell.
fn problems(format: &str, s: &str) -> Option<Vec<String>> {
    let one = |ok: bool, why: &str| if ok { vec![] } else { vec![why.to_string()] };
    Some(match format {
        "dns1123Label" => names::name_is_dns_label(s, false),
        "dns1123Subdomain" => names::name_is_dns_subdomain(s, false),
        "dns1035Label" => names::name_is_dns1035_label(s, false),
        "qualifiedName" => names::is_qualified_name(s),
        "dns1123LabelPrefix" => names::name_is_dns_label(s, true),
        "dns1123SubdomainPrefix" => names::name_is_dns_subdomain(s, true),
        "dns1035LabelPrefix" => names::name_is_dns1035_label(s, true),
        "labelValue" => names::is_label_value(s),
        "uri" => match super::url::parse_request_uri(s) {
            Ok(_) => vec![],
            Err(Some(why)) => vec![why],
            Err(None) => return None,
        },
        // kube-openapi's default registry, as upstream calls it.
        "uuid" => one(registry("uuid", s)?, "does not match the UUID format"),
        "byte" => one(registry("byte", s)?, "invalid base64"),
        "date" => one(registry("date", s)?, "invalid date"),
        "datetime" => one(registry("datetime", s)?, "invalid datetime"),
        _ => return None,
    })
}

/// `YYYY-MM-DD`, a real calendar day (Go's `time.Parse` with layout `2006-01-02`).
pub(in crate::schema) fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = &s[r];
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())
            .flatten()
    };
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

#[cfg(test)]
mod tests {
    use super::super::testing::{all_errors, all_true};

    /// Cases of upstream's format library tests.
    #[test]
    fn the_kubernetes_format_library() {
        all_true(&[
            "!format.dns1123Label().validate('my-label-name').hasValue()",
            "format.dns1123Label().validate('MY-LABEL').hasValue()",
            "format.dns1123Label().validate('a.b').value().size() == 1",
            "!format.dns1123Subdomain().validate('apiextensions.k8s.io').hasValue()",
            "format.dns1123Subdomain().validate('Apiextensions.k8s.io').hasValue()",
            "!format.dns1035Label().validate('my-label-name').hasValue()",
            "format.dns1035Label().validate('1abc').hasValue()",
            "!format.qualifiedName().validate('apiextensions.k8s.io/v1beta1').hasValue()",
            "format.qualifiedName().validate('a/b/c').hasValue()",
            "!format.dns1123LabelPrefix().validate('my-label-prefix-').hasValue()",
            "!format.dns1123SubdomainPrefix().validate('mysubdomain.prefix.-').hasValue()",
            "!format.dns1035LabelPrefix().validate('my-label-prefix-').hasValue()",
            "!format.labelValue().validate('').hasValue()",
            "format.labelValue().validate('-x').hasValue()",
            "!format.uri().validate('http://example.com').hasValue()",
            "format.uri().validate('example.com').hasValue()",
            "!format.uuid().validate('123e4567-e89b-12d3-a456-426614174000').hasValue()",
            "format.uuid().validate('123e4567-e89b-12d3-a456-42661417400z').value() == ['does not match the UUID format']",
            "!format.byte().validate('aGVsbG8=').hasValue()",
            "format.byte().validate('aGVsbG8').value() == ['invalid base64']",
            "!format.date().validate('2021-01-01').hasValue()",
            "format.date().validate('2021-02-30').value() == ['invalid date']",
            "!format.datetime().validate('2021-01-01T00:00:00Z').hasValue()",
            "!format.datetime().validate('2021-01-01T00:00:00.123+02:00').hasValue()",
            "!format.datetime().validate('2021-01-01t00:00:00z').hasValue()",
            "format.datetime().validate('2021-01-01 00:00').value() == ['invalid datetime']",
            "format.datetime().validate('2021-01-01T24:00:00Z').value() == ['invalid datetime']",
            "!format.uuid().validate('123E4567E89B12D3A456426614174000').hasValue()",
            "format.byte().validate('').value() == ['invalid base64']",
            "format.named('dns1123Label').hasValue()",
            "!format.named('nope').hasValue()",
            "!format.named('dns1123Label').value().validate('abc').hasValue()",
            "format.named('labelValue').value().validate('-').hasValue()",
        ]);
        all_errors(&["format.dns1123Label().validate(1)"]);
    }
}
