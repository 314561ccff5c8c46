//! The Kubernetes semver library: `semver(s)` / `semver(s, normalize)` (an error unless `s`
//! is a semantic version as blang/semver's `Parse` reads it; with `normalize`, a leading `v`
//! is dropped, a missing minor or patch becomes `0` and leading zeros are removed first),
//! `isSemver(s)` / `isSemver(s, normalize)`, and the methods `major`, `minor`, `patch`,
//! `isLessThan`, `isGreaterThan` and `compareTo` (precedence as semver.org orders it; build
//! metadata is ignored). Two versions are equal (`==`) when neither precedes the other.

use super::{error, opaque, overload, string, take, wrap, Def};
use cel::objects::Opaque;
use cel::{ExecutionError, Value};
use std::cmp::Ordering;

/// A pre-release identifier: numeric ones sort before alphanumeric ones.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Pre {
    Numeric(u64),
    Alpha(String),
}

/// A semantic version, without its build metadata (which takes no part in comparisons).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Semver {
    major: u64,
    minor: u64,
    patch: u64,
    pre: Vec<Pre>,
}

impl Opaque for Semver {
    fn runtime_type_name(&self) -> &str {
        "kubernetes.Semver"
    }
}

impl Semver {
    fn cmp(&self, o: &Semver) -> Ordering {
        (self.major, self.minor, self.patch)
            .cmp(&(o.major, o.minor, o.patch))
            .then_with(|| match (self.pre.is_empty(), o.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                // Identifier by identifier; a longer list that agrees so far is greater.
                (false, false) => self.pre.cmp(&o.pre),
            })
    }
}

pub(super) fn defs() -> Vec<Def> {
    vec![
        Def::global("semver", 1, overload!(semver)),
        Def::global("semver", 2, overload!(semver_normalize)),
        Def::global("isSemver", 1, overload!(is_semver)),
        Def::global("isSemver", 2, overload!(is_semver_normalize)),
        Def::method("major", 0, overload!(major)),
        Def::method("minor", 0, overload!(minor)),
        Def::method("patch", 0, overload!(patch)),
    ]
}

fn digits(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_digit())
}

fn alphanumeric(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// A number of a version: digits only, no leading zero, fits 64 bits.
fn number(s: &str, what: &str) -> Result<u64, String> {
    if !digits(s) {
        return Err(format!("invalid character(s) found in {what} number {s:?}"));
    }
    if s.len() > 1 && s.starts_with('0') {
        return Err(format!(
            "{what} number must not contain leading zeroes {s:?}"
        ));
    }
    s.parse()
        .map_err(|_| format!("invalid {what} number {s:?}"))
}

/// blang/semver's `Parse`.
pub(super) fn parse(s: &str) -> Result<Semver, String> {
    if s.is_empty() {
        return Err("Version string empty".into());
    }
    let parts: Vec<&str> = s.splitn(3, '.').collect();
    let [major, minor, rest] = parts[..] else {
        return Err("No Major.Minor.Patch elements found".into());
    };
    let (rest, build) = match rest.split_once('+') {
        Some((r, b)) => (r, Some(b)),
        None => (rest, None),
    };
    let (patch, pre) = match rest.split_once('-') {
        Some((p, pre)) => (p, Some(pre)),
        None => (rest, None),
    };
    let mut v = Semver {
        major: number(major, "Major")?,
        minor: number(minor, "Minor")?,
        patch: number(patch, "Patch")?,
        pre: Vec::new(),
    };
    for id in pre.into_iter().flat_map(|p| p.split('.')) {
        if id.is_empty() {
            return Err("Prerelease is empty".into());
        }
        v.pre.push(if digits(id) {
            Pre::Numeric(number(id, "Prerelease")?)
        } else if alphanumeric(id) {
            Pre::Alpha(id.to_string())
        } else {
            return Err(format!("invalid character(s) found in prerelease {id:?}"));
        });
    }
    for id in build.into_iter().flat_map(|b| b.split('.')) {
        if id.is_empty() {
            return Err("Build meta data is empty".into());
        }
        if !alphanumeric(id) {
            return Err(format!(
                "invalid character(s) found in build meta data {id:?}"
            ));
        }
    }
    Ok(v)
}

/// Upstream's normalization before parsing: no leading `v`, no leading zeros, `.0` for a
/// missing minor or patch (a short version with pre-release or build data is an error).
pub(super) fn normalize_and_parse(s: &str) -> Result<Semver, String> {
    let s = s.strip_prefix('v').unwrap_or(s);
    let mut parts: Vec<String> = s
        .splitn(3, '.')
        .map(|p| {
            if p.len() > 1 {
                let t = p.trim_start_matches('0');
                if t.is_empty() || !t.as_bytes()[0].is_ascii_digit() {
                    return format!("0{t}");
                }
                return t.to_string();
            }
            p.to_string()
        })
        .collect();
    if parts.len() < 3 {
        if parts.last().is_some_and(|p| p.contains(['+', '-'])) {
            return Err("short version cannot contain PreRelease/Build meta data".into());
        }
        while parts.len() < 3 {
            parts.push("0".into());
        }
    }
    parse(&parts.join("."))
}

fn read(name: &str, s: &Value, normalize: bool) -> Result<Semver, ExecutionError> {
    let s = string(name, s)?;
    if normalize {
        normalize_and_parse(s)
    } else {
        parse(s)
    }
    .map_err(|e| error(name, e))
}

fn flag(name: &str, v: &Value) -> Result<bool, ExecutionError> {
    match v {
        Value::Bool(b) => Ok(*b),
        other => Err(error(
            name,
            format!("expects a bool, not {}", other.type_of()),
        )),
    }
}

fn semver(args: &[Value]) -> Result<Value, ExecutionError> {
    let [s] = take("semver", args)?;
    Ok(wrap(read("semver", s, false)?))
}

fn semver_normalize(args: &[Value]) -> Result<Value, ExecutionError> {
    let [s, n] = take("semver", args)?;
    Ok(wrap(read("semver", s, flag("semver", n)?)?))
}

fn is_semver(args: &[Value]) -> Result<Value, ExecutionError> {
    let [s] = take("isSemver", args)?;
    Ok(Value::Bool(read("isSemver", s, false).is_ok()))
}

fn is_semver_normalize(args: &[Value]) -> Result<Value, ExecutionError> {
    let [s, n] = take("isSemver", args)?;
    let normalize = flag("isSemver", n)?;
    string("isSemver", s)?;
    Ok(Value::Bool(read("isSemver", s, normalize).is_ok()))
}

/// A number of a version as CEL's int (Go converts the uint64 the same way).
fn int_of(n: u64) -> Value {
    Value::Int(n as i64)
}

fn major(args: &[Value]) -> Result<Value, ExecutionError> {
    let [v] = take("major", args)?;
    Ok(int_of(opaque::<Semver>("major", v)?.major))
}

fn minor(args: &[Value]) -> Result<Value, ExecutionError> {
    let [v] = take("minor", args)?;
    Ok(int_of(opaque::<Semver>("minor", v)?.minor))
}

fn patch(args: &[Value]) -> Result<Value, ExecutionError> {
    let [v] = take("patch", args)?;
    Ok(int_of(opaque::<Semver>("patch", v)?.patch))
}

/// The order of two versions, when the receiver of a comparison is a version (`None` when it
/// is not: the comparison belongs to another library).
pub(super) fn ordering(name: &str, args: &[Value]) -> Option<Result<Ordering, ExecutionError>> {
    let [a, b] = args else { return None };
    let a = match a {
        Value::Opaque(o) => o.downcast_ref::<Semver>()?,
        _ => return None,
    };
    Some(opaque::<Semver>(name, b).map(|b| a.cmp(b)))
}

#[cfg(test)]
mod tests {
    use super::super::testing::{all_errors, all_true};

    /// Cases of upstream's semver library tests.
    #[test]
    fn the_kubernetes_semver_library() {
        all_true(&[
            "isSemver('1.2.3-beta.1+build.1')",
            "!isSemver(' 1.0.0')",
            "!isSemver('1. 0.0')",
            "!isSemver('1.0.0 ')",
            "!isSemver('1')",
            "!isSemver('1.1')",
            "!isSemver('', true)",
            "!isSemver(' 1.0.0', true)",
            "!isSemver('1. 0.0', true)",
            "!isSemver('1.0.0 ', true)",
            "isSemver('v1.0.0', true)",
            "isSemver('1.1', true)",
            "semver('v01.01', true) == semver('1.1.0')",
            "semver('1.2.3') != semver('1.0.0')",
            "isSemver('1.0.0')",
            "isSemver('1.0.0-alpha.1+build.5')",
            "isSemver('0.1.0-x-y-z.--')",
            "!isSemver('1.0')",
            "!isSemver('v1.0.0')",
            "!isSemver('01.0.0')",
            "!isSemver('1.0.0-01')",
            "!isSemver('1.0.0-')",
            "!isSemver('1.0.0+')",
            "!isSemver('1.0.0-a..b')",
            "!isSemver('1.0.0+a_b')",
            "!isSemver('200K')",
            "!isSemver('Three')",
            "!isSemver('')",
            "!isSemver('18446744073709551616.0.0')",
            "isSemver('v1.0', true)",
            "isSemver('1', true)",
            "isSemver('01.01.01', true)",
            "!isSemver('1.0-alpha', true)",
            "!isSemver('v1.0', false)",
            "semver('v1.0', true) == semver('1.0.0')",
            "semver('01.01.01', true) == semver('1.1.1')",
            "semver('1.2.3-00a', true).isLessThan(semver('1.2.3'))",
            "semver('1.0.0') == semver('1.0.0')",
            "semver('1.0.0+build.1') == semver('1.0.0+build.2')",
            "semver('1.0.0') != semver('1.0.1')",
            "semver('1.2.3').major() == 1",
            "semver('1.2.3').minor() == 2",
            "semver('1.2.3').patch() == 3",
            "semver('1.2.3').compareTo(semver('1.2.3')) == 0",
            "semver('1.2.3').compareTo(semver('2.0.0')) == -1",
            "semver('1.2.3').compareTo(semver('0.1.2')) == 1",
            "semver('1.2.3').isGreaterThan(semver('1.2.2'))",
            "!semver('1.2.3').isGreaterThan(semver('1.2.3'))",
            "semver('1.2.3').isLessThan(semver('1.10.0'))",
            "semver('1.0.0-alpha').isLessThan(semver('1.0.0'))",
            "semver('1.0.0-alpha').isLessThan(semver('1.0.0-alpha.1'))",
            "semver('1.0.0-alpha.1').isLessThan(semver('1.0.0-alpha.beta'))",
            "semver('1.0.0-beta.2').isLessThan(semver('1.0.0-beta.11'))",
            "semver('1.0.0-beta.11').isLessThan(semver('1.0.0-rc.1'))",
            "quantity('1').isLessThan(quantity('2'))",
        ]);
        all_errors(&[
            "semver('1.0')",
            "semver('200K')",
            "semver('v1.0.0')",
            "semver('1.0-alpha', true)",
            "semver('1.0.0').isLessThan(quantity('1'))",
            "quantity('1').isLessThan(semver('1.0.0'))",
            "semver('1.0.0').major(1)",
        ]);
    }
}
