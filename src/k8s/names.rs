//! Name-like grammars the API server checks: DNS labels and subdomains, label keys and values,
//! object names (with `generateName` prefix masking), path-segment names, port names and
//! numbers, environment variable names, ConfigMap keys, percents, HTTP header names, user and
//! group ids, and sysctl names.
//!
//! Each validator mirrors one upstream function (named in its doc) and returns that
//! function's messages, one per problem, empty when the value is valid. Lengths are counted in
//! bytes, as Go's `len` does.
//!
//! Wording: label keys and values follow apimachinery's `pkg/api/validate/content`, which
//! since 1.35 says "must be no more than 63 bytes" (1.34 and earlier said "characters"); the
//! DNS name validators of `pkg/util/validation` still say "characters". The key of a label is
//! called "a valid label key" since 1.35 ("a qualified name" before) in the message for too
//! many slashes.

const DNS1123_LABEL_FMT: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const DNS1123_LABEL_MSG: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_FMT: &str =
    "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
const DNS1123_SUBDOMAIN_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const DNS1035_LABEL_FMT: &str = "[a-z]([-a-z0-9]*[a-z0-9])?";
const DNS1035_LABEL_MSG: &str = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
const WILDCARD_FMT: &str = "\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
const WILDCARD_MSG: &str = "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character";
const LABEL_KEY_FMT: &str = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const LABEL_KEY_MSG: &str = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_FMT: &str = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";
const LABEL_VALUE_MSG: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const ENV_VAR_FMT: &str = "[-._a-zA-Z][-._a-zA-Z0-9]*";
const ENV_VAR_MSG: &str = "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit";
const RELAXED_ENV_VAR_MSG: &str =
    "a valid environment variable name must consist only of printable ASCII characters other than '='";
const CONFIG_MAP_KEY_FMT: &str = "[-._a-zA-Z0-9]+";
const CONFIG_MAP_KEY_MSG: &str =
    "a valid config key must consist of alphanumeric characters, '-', '_' or '.'";
const PERCENT_FMT: &str = "[0-9]+%";
const PERCENT_MSG: &str =
    "a valid percent string must be a numeric string followed by an ending '%'";
const HTTP_HEADER_FMT: &str = "[-A-Za-z0-9]+";
const HTTP_HEADER_MSG: &str = "a valid HTTP header must consist of alphanumeric characters or '-'";
const C_IDENTIFIER_FMT: &str = "[A-Za-z_][A-Za-z0-9_]*";
const C_IDENTIFIER_MSG: &str = "a valid C identifier must start with alphabetic character or '_', followed by a string of alphanumeric characters or '_'";
const SYSCTL_FMT: &str = "([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?";

/// Longest DNS-1123 (and DNS-1035) label.
pub const DNS1123_LABEL_MAX_LENGTH: usize = 63;
/// Longest DNS-1123 subdomain.
pub const DNS1123_SUBDOMAIN_MAX_LENGTH: usize = 253;
/// Longest label value, and longest name part of a label key.
pub const LABEL_VALUE_MAX_LENGTH: usize = 63;
/// Longest IANA service (port) name.
pub const PORT_NAME_MAX_LENGTH: usize = 15;
/// Longest sysctl name.
pub const SYSCTL_MAX_LENGTH: usize = 253;

/// apimachinery `RegexError`: the message, examples, and the pattern.
fn regex_error(msg: &str, fmt: &str, examples: &[&str]) -> String {
    if examples.is_empty() {
        return format!("{msg} (regex used for validation is '{fmt}')");
    }
    let examples = examples
        .iter()
        .map(|e| format!("'{e}', "))
        .collect::<Vec<_>>()
        .join(" or ");
    format!("{msg} (e.g. {examples}regex used for validation is '{fmt}')")
}

/// `validation.MaxLenError`.
fn max_len_chars(n: usize) -> String {
    format!("must be no more than {n} characters")
}

/// `content.MaxLenError` (label keys and values since 1.35).
fn max_len_bytes(n: usize) -> String {
    format!("must be no more than {n} bytes")
}

/// apimachinery `InclusiveRangeError`.
fn inclusive_range_error(lo: i64, hi: i64) -> String {
    format!("must be between {lo} and {hi}, inclusive")
}

fn is_lower_alnum(c: u8) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

/// Matches `[a-z0-9]([-a-z0-9]*[a-z0-9])?`.
fn matches_dns1123_label(s: &str) -> bool {
    dns1123_label_bytes(s.as_bytes())
}

fn dns1123_label_bytes(b: &[u8]) -> bool {
    match (b.first(), b.last()) {
        (Some(&f), Some(&l)) => {
            is_lower_alnum(f)
                && is_lower_alnum(l)
                && b.iter().all(|&c| is_lower_alnum(c) || c == b'-')
        }
        _ => false,
    }
}

/// Matches the DNS-1123 subdomain pattern: labels joined by dots.
fn matches_dns1123_subdomain(s: &str) -> bool {
    // Cut as bytes: `str::split` sets up a searcher for every label, and this runs for every
    // label key and name of every object.
    s.as_bytes().split(|&c| c == b'.').all(dns1123_label_bytes)
}

/// Matches `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`.
fn matches_label_key_name(s: &str) -> bool {
    let b = s.as_bytes();
    match (b.first(), b.last()) {
        (Some(f), Some(l)) => {
            f.is_ascii_alphanumeric()
                && l.is_ascii_alphanumeric()
                && b.iter()
                    .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
        }
        _ => false,
    }
}

/// apimachinery `IsDNS1123Label`: ≤63, lower-case alphanumerics and `-`, alphanumeric at both
/// ends.
pub fn is_dns1123_label(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > DNS1123_LABEL_MAX_LENGTH {
        errs.push(max_len_chars(DNS1123_LABEL_MAX_LENGTH));
    }
    if !matches_dns1123_label(value) {
        if matches_dns1123_subdomain(value) {
            errs.push("must not contain dots".to_string());
        } else {
            errs.push(regex_error(
                DNS1123_LABEL_MSG,
                DNS1123_LABEL_FMT,
                &["my-name", "123-abc"],
            ));
        }
    }
    errs
}

/// apimachinery `IsDNS1123Subdomain`: ≤253, DNS-1123 labels joined by dots.
pub fn is_dns1123_subdomain(value: &str) -> Vec<String> {
    dns1123_subdomain(value, max_len_chars)
}

fn dns1123_subdomain(value: &str, max_len: fn(usize) -> String) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > DNS1123_SUBDOMAIN_MAX_LENGTH {
        errs.push(max_len(DNS1123_SUBDOMAIN_MAX_LENGTH));
    }
    if !matches_dns1123_subdomain(value) {
        errs.push(regex_error(
            DNS1123_SUBDOMAIN_MSG,
            DNS1123_SUBDOMAIN_FMT,
            &["example.com"],
        ));
    }
    errs
}

/// apimachinery `IsDNS1035Label`: a DNS-1123 label that starts with a letter.
pub fn is_dns1035_label(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > DNS1123_LABEL_MAX_LENGTH {
        errs.push(max_len_chars(DNS1123_LABEL_MAX_LENGTH));
    }
    let starts_with_letter = value.as_bytes().first().is_some_and(u8::is_ascii_lowercase);
    if !(starts_with_letter && matches_dns1123_label(value)) {
        errs.push(regex_error(
            DNS1035_LABEL_MSG,
            DNS1035_LABEL_FMT,
            &["my-name", "abc-123"],
        ));
    }
    errs
}

/// apimachinery `IsWildcardDNS1123Subdomain` (Ingress hosts): `*.` then a DNS-1123
/// subdomain, ≤253 in all.
pub fn is_wildcard_dns1123_subdomain(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > DNS1123_SUBDOMAIN_MAX_LENGTH {
        errs.push(max_len_chars(DNS1123_SUBDOMAIN_MAX_LENGTH));
    }
    if !value
        .strip_prefix("*.")
        .is_some_and(matches_dns1123_subdomain)
    {
        errs.push(regex_error(WILDCARD_MSG, WILDCARD_FMT, &["*.example.com"]));
    }
    errs
}

/// apimachinery `IsQualifiedName` / `content.IsLabelKey` (label and annotation keys,
/// tolerations, finalizers, …): an optional DNS-1123 subdomain prefix and `/`, then a name
/// of ≤63 alphanumerics, `-`, `_` and `.` that starts and ends alphanumeric.
pub fn is_qualified_name(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    // At most one `/`, found with a byte loop: keys are short, and every label and annotation
    // key of every object comes here.
    let mut slashes = value
        .bytes()
        .enumerate()
        .filter(|&(_, b)| b == b'/')
        .map(|(i, _)| i);
    let name = match (slashes.next(), slashes.next()) {
        (None, _) => value,
        (Some(i), None) => {
            let prefix = &value[..i];
            if prefix.is_empty() {
                errs.push("prefix part must be non-empty".to_string());
            } else {
                errs.extend(
                    dns1123_subdomain(prefix, max_len_bytes)
                        .into_iter()
                        .map(|m| format!("prefix part {m}")),
                );
            }
            &value[i + 1..]
        }
        (Some(_), Some(_)) => {
            return vec![format!(
                "a valid label key {} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
                regex_error(LABEL_KEY_MSG, LABEL_KEY_FMT, &["MyName", "my.name", "123-abc"])
            )]
        }
    };
    if name.is_empty() {
        errs.push("name part must be non-empty".to_string());
    } else if name.len() > LABEL_VALUE_MAX_LENGTH {
        errs.push(format!(
            "name part {}",
            max_len_bytes(LABEL_VALUE_MAX_LENGTH)
        ));
    }
    if !matches_label_key_name(name) {
        errs.push(format!(
            "name part {}",
            regex_error(
                LABEL_KEY_MSG,
                LABEL_KEY_FMT,
                &["MyName", "my.name", "123-abc"]
            )
        ));
    }
    errs
}

/// apimachinery `IsValidLabelValue` / `content.IsLabelValue`: empty, or ≤63 alphanumerics,
/// `-`, `_` and `.` starting and ending alphanumeric.
pub fn is_label_value(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > LABEL_VALUE_MAX_LENGTH {
        errs.push(max_len_bytes(LABEL_VALUE_MAX_LENGTH));
    }
    if !(value.is_empty() || matches_label_key_name(value)) {
        errs.push(regex_error(
            LABEL_VALUE_MSG,
            LABEL_VALUE_FMT,
            &["MyValue", "my_value", "12345"],
        ));
    }
    errs
}

/// apimachinery `maskTrailingDash`, applied to `generateName` prefixes: a trailing `-` after
/// at least one other character replaces the last *two* characters by `a` (upstream slices
/// off two bytes), so `ab-` is checked as `aa` and `A-` as `a`.
fn mask_trailing_dash(name: &str) -> std::borrow::Cow<'_, str> {
    if name.len() > 1 && name.ends_with('-') {
        let cut = &name.as_bytes()[..name.len() - 2];
        std::borrow::Cow::Owned(format!("{}a", String::from_utf8_lossy(cut)))
    } else {
        std::borrow::Cow::Borrowed(name)
    }
}

/// apimachinery `NameIsDNSSubdomain(name, prefix)`: the default object-name rule; with
/// `prefix` (a `generateName`), a trailing `-` is allowed.
pub fn name_is_dns_subdomain(name: &str, prefix: bool) -> Vec<String> {
    if prefix {
        is_dns1123_subdomain(&mask_trailing_dash(name))
    } else {
        is_dns1123_subdomain(name)
    }
}

/// apimachinery `NameIsDNSLabel(name, prefix)`: Namespace, StatefulSet and container names.
pub fn name_is_dns_label(name: &str, prefix: bool) -> Vec<String> {
    if prefix {
        is_dns1123_label(&mask_trailing_dash(name))
    } else {
        is_dns1123_label(name)
    }
}

/// apimachinery `NameIsDNS1035Label(name, prefix)`: Service names.
pub fn name_is_dns1035_label(name: &str, prefix: bool) -> Vec<String> {
    if prefix {
        is_dns1035_label(&mask_trailing_dash(name))
    } else {
        is_dns1035_label(name)
    }
}

/// apimachinery `IsPathSegmentName` (RBAC object names, among others): not `.` or `..`, no
/// `/` or `%`. Empty and long names are not its concern.
pub fn is_path_segment_name(name: &str) -> Vec<String> {
    match name {
        "." => vec!["may not be '.'".to_string()],
        ".." => vec!["may not be '..'".to_string()],
        _ => is_path_segment_prefix(name),
    }
}

/// apimachinery `IsPathSegmentPrefix` (the `generateName` form of the above): no `/` or `%`.
pub fn is_path_segment_prefix(name: &str) -> Vec<String> {
    let mut errs = Vec::new();
    for bad in ["/", "%"] {
        if name.contains(bad) {
            errs.push(format!("may not contain '{bad}'"));
        }
    }
    errs
}

/// apimachinery `IsValidPortName` (IANA service name): ≤15, `[-a-z0-9]`, at least one letter,
/// no `--`, no `-` at either end.
pub fn is_valid_port_name(port: &str) -> Vec<String> {
    let b = port.as_bytes();
    let mut errs = Vec::new();
    if b.len() > PORT_NAME_MAX_LENGTH {
        errs.push(max_len_chars(PORT_NAME_MAX_LENGTH));
    }
    if b.is_empty() || !b.iter().all(|&c| is_lower_alnum(c) || c == b'-') {
        errs.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)".into());
    }
    if !b.iter().any(u8::is_ascii_lowercase) {
        errs.push("must contain at least one letter (a-z)".into());
    }
    if port.contains("--") {
        errs.push("must not contain consecutive hyphens".into());
    }
    if b.first() == Some(&b'-') || b.last() == Some(&b'-') {
        errs.push("must not begin or end with a hyphen".into());
    }
    errs
}

/// apimachinery `IsValidPortNum`: 1–65535.
pub fn is_valid_port_num(port: i64) -> Vec<String> {
    is_in_range(port, 1, 65535)
}

/// apimachinery `IsInRange`.
pub fn is_in_range(value: i64, min: i64, max: i64) -> Vec<String> {
    if (min..=max).contains(&value) {
        Vec::new()
    } else {
        vec![inclusive_range_error(min, max)]
    }
}

/// apimachinery `IsValidUserID`: 0 to 2³¹−1.
pub fn is_valid_user_id(uid: i64) -> Vec<String> {
    is_in_range(uid, 0, i32::MAX as i64)
}

/// apimachinery `IsValidGroupID`: 0 to 2³¹−1.
pub fn is_valid_group_id(gid: i64) -> Vec<String> {
    is_in_range(gid, 0, i32::MAX as i64)
}

/// apimachinery `hasChDirPrefix`: not `.`, not `..`, not starting with `..`.
fn ch_dir_prefix_errors(value: &str) -> Option<String> {
    match value {
        "." => Some("must not be '.'".to_string()),
        ".." => Some("must not be '..'".to_string()),
        v if v.starts_with("..") => Some("must not start with '..'".to_string()),
        _ => None,
    }
}

/// apimachinery `IsEnvVarName`, the strict rule the API server applied by default up to
/// 1.31: `[-._a-zA-Z][-._a-zA-Z0-9]*`, and not `.`, `..` or `..`-prefixed.
pub fn is_env_var_name(value: &str) -> Vec<String> {
    let b = value.as_bytes();
    let mut errs = Vec::new();
    let ok_first = b
        .first()
        .is_some_and(|&c| c.is_ascii_alphabetic() || matches!(c, b'-' | b'.' | b'_'));
    let ok_rest = b
        .iter()
        .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_'));
    if !(ok_first && ok_rest) {
        errs.push(regex_error(
            ENV_VAR_MSG,
            ENV_VAR_FMT,
            &["my.env-name", "MY_ENV.NAME", "MyEnvName1"],
        ));
    }
    errs.extend(ch_dir_prefix_errors(value));
    errs
}

/// apimachinery `IsRelaxedEnvVarName`: non-empty printable ASCII (32–126) without `=`. The
/// `RelaxedEnvironmentVariableValidation` gate turned this on by default in 1.32 (beta) and
/// locked it in 1.34 (GA).
pub fn is_relaxed_env_var_name(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.is_empty() {
        errs.push("environment variable name must be non-empty".to_string());
    }
    if value.chars().any(|c| !(' '..='~').contains(&c) || c == '=') {
        errs.push(RELAXED_ENV_VAR_MSG.to_string());
    }
    errs
}

/// apimachinery `IsConfigMapKey` (ConfigMap and Secret keys, `configMapKeyRef.key`, …): ≤253,
/// `[-._a-zA-Z0-9]+`, and not `.`, `..` or `..`-prefixed.
pub fn is_config_map_key(value: &str) -> Vec<String> {
    let b = value.as_bytes();
    let mut errs = Vec::new();
    if b.len() > DNS1123_SUBDOMAIN_MAX_LENGTH {
        errs.push(max_len_chars(DNS1123_SUBDOMAIN_MAX_LENGTH));
    }
    if b.is_empty()
        || !b
            .iter()
            .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_'))
    {
        errs.push(regex_error(
            CONFIG_MAP_KEY_MSG,
            CONFIG_MAP_KEY_FMT,
            &["key.name", "KEY_NAME", "key-name"],
        ));
    }
    errs.extend(ch_dir_prefix_errors(value));
    errs
}

/// apimachinery `IsValidPercent`: digits then `%` (no sign, no fraction).
pub fn is_valid_percent(percent: &str) -> Vec<String> {
    let ok = percent
        .strip_suffix('%')
        .is_some_and(|d| !d.is_empty() && d.bytes().all(|c| c.is_ascii_digit()));
    if ok {
        Vec::new()
    } else {
        vec![regex_error(PERCENT_MSG, PERCENT_FMT, &["1%", "93%"])]
    }
}

/// apimachinery `IsHTTPHeaderName`: `[-A-Za-z0-9]+`.
pub fn is_http_header_name(value: &str) -> Vec<String> {
    let ok = !value.is_empty()
        && value
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'-');
    if ok {
        Vec::new()
    } else {
        vec![regex_error(
            HTTP_HEADER_MSG,
            HTTP_HEADER_FMT,
            &["X-Header-Name"],
        )]
    }
}

/// apimachinery `IsCIdentifier`: `[A-Za-z_][A-Za-z0-9_]*`.
pub fn is_c_identifier(value: &str) -> Vec<String> {
    let b = value.as_bytes();
    let ok = b
        .first()
        .is_some_and(|&c| c.is_ascii_alphabetic() || c == b'_')
        && b.iter().all(|&c| c.is_ascii_alphanumeric() || c == b'_');
    if ok {
        Vec::new()
    } else {
        vec![regex_error(
            C_IDENTIFIER_MSG,
            C_IDENTIFIER_FMT,
            &["my_name", "MY_NAME", "MyName"],
        )]
    }
}

/// kubernetes `IsValidSysctlName` with the message of `validateSysctls`: ≤253, segments of
/// `[a-z0-9]([-_a-z0-9]*[a-z0-9])?` joined by `.` or `/`.
pub fn is_valid_sysctl_name(name: &str) -> Vec<String> {
    let segment_ok = |s: &str| {
        let b = s.as_bytes();
        match (b.first(), b.last()) {
            (Some(&f), Some(&l)) => {
                is_lower_alnum(f)
                    && is_lower_alnum(l)
                    && b.iter()
                        .all(|&c| is_lower_alnum(c) || c == b'-' || c == b'_')
            }
            _ => false,
        }
    };
    if name.len() <= SYSCTL_MAX_LENGTH && name.split(['.', '/']).all(segment_ok) {
        Vec::new()
    } else {
        vec![format!(
            "must have at most {SYSCTL_MAX_LENGTH} characters and match regex {SYSCTL_FMT}"
        )]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(errs: Vec<String>) -> bool {
        errs.is_empty()
    }

    /// Mirrors apimachinery `IsDNS1123Label` (validation_test.go `TestIsDNS1123Label`).
    #[test]
    fn dns1123_label() {
        let valid = [
            "a",
            "ab",
            "abc",
            "a1",
            "a-1",
            "a--1--2--b",
            "0",
            "01",
            "012",
            "1a",
            "1-a",
            "1--a--b--2",
            &"a".repeat(63),
        ];
        for v in valid {
            assert!(ok(is_dns1123_label(v)), "{v:?}");
        }
        let invalid = [
            "",
            "A",
            "ABC",
            "aBc",
            "A1",
            "A-1",
            "1-A",
            "-",
            "a-",
            "-a",
            "1-",
            "-1",
            "_",
            "a_",
            "_a",
            "a_b",
            "1_",
            "_1",
            "1_2",
            ".",
            "a.",
            ".a",
            "a.b",
            "1.",
            ".1",
            "1.2",
            " ",
            "a ",
            " a",
            "a b",
            "1 ",
            " 1",
            "1 2",
            "é",
            &"a".repeat(64),
        ];
        for v in invalid {
            assert!(!ok(is_dns1123_label(v)), "{v:?}");
        }
        assert_eq!(is_dns1123_label("a.b"), vec!["must not contain dots"]);
        assert_eq!(
            is_dns1123_label("A"),
            vec!["a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"]
        );
        assert_eq!(
            is_dns1123_label(&"a".repeat(64)),
            vec!["must be no more than 63 characters"]
        );
        assert_eq!(
            is_dns1123_label(&format!("{}.b", "a".repeat(62))),
            vec![
                "must be no more than 63 characters",
                "must not contain dots"
            ]
        );
    }

    /// Mirrors apimachinery `IsDNS1123Subdomain` (validation_test.go `TestIsDNS1123Subdomain`).
    #[test]
    fn dns1123_subdomain() {
        let label63 = "a".repeat(63);
        let sub253 = format!("{label63}.{label63}.{label63}.{}", "a".repeat(61));
        assert_eq!(sub253.len(), 253);
        let valid = [
            "a",
            "ab",
            "a1",
            "a-1",
            "0",
            "1a",
            "a.a",
            "ab.ab",
            "a-1.a-1",
            "1.1",
            "a--1.b--2",
            "example.com",
            "0.0.0.0",
            sub253.as_str(),
        ];
        for v in valid {
            assert!(ok(is_dns1123_subdomain(v)), "{v:?}");
        }
        let sub254 = format!("{sub253}a");
        let invalid = [
            "",
            "A",
            "aBc",
            "a-",
            "-a",
            "a_b",
            "a.",
            ".a",
            "a..b",
            "a.-b",
            "a-.b",
            "a.b-",
            "a b",
            "a@b",
            "a,b",
            "Example.com",
            "*.example.com",
            sub254.as_str(),
        ];
        for v in invalid {
            assert!(!ok(is_dns1123_subdomain(v)), "{v:?}");
        }
        assert_eq!(
            is_dns1123_subdomain("a.-b"),
            vec!["a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"]
        );
        assert_eq!(
            is_dns1123_subdomain(&sub254),
            vec!["must be no more than 253 characters"]
        );
    }

    /// Mirrors apimachinery `IsDNS1035Label` (validation_test.go `TestIsDNS1035Label`).
    #[test]
    fn dns1035_label() {
        for v in ["a", "ab", "a1", "a-1", "a--1--2--b", &"a".repeat(63)] {
            assert!(ok(is_dns1035_label(v)), "{v:?}");
        }
        for v in [
            "",
            "0",
            "01",
            "1a",
            "1-a",
            "A",
            "a-",
            "-a",
            "a.b",
            "a_b",
            "é",
            &"a".repeat(64),
        ] {
            assert!(!ok(is_dns1035_label(v)), "{v:?}");
        }
        assert_eq!(
            is_dns1035_label("1a"),
            vec!["a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"]
        );
    }

    /// Mirrors apimachinery `IsWildcardDNS1123Subdomain`.
    #[test]
    fn wildcard_subdomain() {
        for v in ["*.example.com", "*.bar.com", "*.foo.bar.com", "*.a"] {
            assert!(ok(is_wildcard_dns1123_subdomain(v)), "{v:?}");
        }
        for v in [
            "*.*.bar.com",
            "*.foo.*.com",
            "*bar.com",
            "f*.bar.com",
            "*",
            "*.",
            "example.com",
            "*.Example.com",
        ] {
            assert!(!ok(is_wildcard_dns1123_subdomain(v)), "{v:?}");
        }
    }

    /// Mirrors `content.IsLabelKey` / `IsQualifiedName` (validation_test.go
    /// `TestIsQualifiedName`).
    #[test]
    fn qualified_name() {
        let valid = [
            "simple",
            "now-with-dashes",
            "1-starts-with-num",
            "1234",
            "simple/simple",
            "now-with-dashes/simple",
            "now-with-dashes/now-with-dashes",
            "now.with.dots/now-with-dashes",
            "now-with.dashes-and.dots/now_with_underscores",
            "Upper.Case.Name",
            "app.kubernetes.io/name",
            "a/b",
            &format!("{}/{}", "a".repeat(253), "b".repeat(63)),
        ];
        for v in valid {
            assert!(ok(is_qualified_name(v)), "{v:?}");
        }
        let invalid = [
            "",
            "nospecialchars%^=@",
            "cantendwithadash-",
            "-cantstartwithadash-",
            "only/one/slash",
            "Example.com/abc",
            "example_com/abc",
            "example.com/",
            "/simple",
            "a.-b/c",
            "user@example.com",
            "https://example.com",
            &"a".repeat(64),
            &format!("{}/a", "a".repeat(254)),
        ];
        for v in invalid {
            assert!(!ok(is_qualified_name(v)), "{v:?}");
        }
        assert_eq!(
            is_qualified_name(&"a".repeat(64)),
            vec!["name part must be no more than 63 bytes"]
        );
        assert_eq!(
            is_qualified_name("/a"),
            vec!["prefix part must be non-empty"]
        );
        assert_eq!(
            is_qualified_name("a/"),
            vec![
                "name part must be non-empty".to_string(),
                format!(
                    "name part {}",
                    regex_error(
                        LABEL_KEY_MSG,
                        LABEL_KEY_FMT,
                        &["MyName", "my.name", "123-abc"]
                    )
                )
            ]
        );
        assert_eq!(
            is_qualified_name("a/b/c"),
            vec!["a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"]
        );
        assert_eq!(
            is_qualified_name("Example.com/x")[0],
            format!(
                "prefix part {}",
                regex_error(
                    DNS1123_SUBDOMAIN_MSG,
                    DNS1123_SUBDOMAIN_FMT,
                    &["example.com"]
                )
            )
        );
    }

    /// Mirrors `content.IsLabelValue` (validation_test.go `TestIsValidLabelValue`).
    #[test]
    fn label_value() {
        for v in [
            "",
            "simple",
            "now-with-dashes",
            "1-starts-with-num",
            "end-with-num-1",
            "1234",
            "A",
            "AB",
            "a_b",
            "a.b",
            "v1.2.3",
            &"a".repeat(63),
        ] {
            assert!(ok(is_label_value(v)), "{v:?}");
        }
        for v in [
            "nospecialchars%^=@",
            "Tama-nui-te-rā.Atua",
            "-cantstartwithadash",
            "cantendwithadash-",
            ".a",
            "a.",
            "_a",
            "a/b",
            "a b",
            " ",
            "user@example.com",
            &"a".repeat(64),
        ] {
            assert!(!ok(is_label_value(v)), "{v:?}");
        }
        assert_eq!(
            is_label_value(&"a".repeat(64)),
            vec!["must be no more than 63 bytes"]
        );
        assert_eq!(
            is_label_value("a b"),
            vec!["a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"]
        );
    }

    /// Mirrors apimachinery generic.go `NameIsDNSSubdomain` & co. with `prefix` and
    /// `maskTrailingDash`.
    #[test]
    fn object_names_and_generate_name_prefixes() {
        assert!(ok(name_is_dns_subdomain("my-app", false)));
        assert!(!ok(name_is_dns_subdomain("my-app-", false)));
        assert!(ok(name_is_dns_subdomain("my-app-", true)));
        assert!(ok(name_is_dns_subdomain("a-", true)));
        // A lone "-" is not masked.
        assert!(!ok(name_is_dns_subdomain("-", true)));
        // Upstream drops the character before the dash too.
        assert!(ok(name_is_dns_subdomain("A-", true)));
        assert!(ok(name_is_dns_subdomain("ab.-", true)));
        assert!(ok(name_is_dns_subdomain(
            &format!("{}-", "a".repeat(253)),
            true
        )));
        assert!(!ok(name_is_dns_subdomain(
            &format!("{}-", "a".repeat(254)),
            true
        )));
        assert!(!ok(name_is_dns_subdomain("My-App-", true)));
        assert!(ok(name_is_dns_label("web-", true)));
        assert!(!ok(name_is_dns_label("web.x-", true)));
        assert!(ok(name_is_dns_label(&format!("{}-", "a".repeat(63)), true)));
        assert!(!ok(name_is_dns_label(
            &format!("{}-", "a".repeat(64)),
            true
        )));
        assert!(ok(name_is_dns1035_label("svc-", true)));
        assert!(!ok(name_is_dns1035_label("1svc", false)));
        assert!(!ok(name_is_dns1035_label("1svc-", true)));
        assert_eq!(mask_trailing_dash("abc-"), "aba");
        assert_eq!(mask_trailing_dash("-"), "-");
        assert_eq!(mask_trailing_dash("abc"), "abc");
    }

    /// Mirrors `content.IsPathSegmentName` / `IsPathSegmentPrefix`.
    #[test]
    fn path_segment_names() {
        for v in ["system:controller:foo", "a", "a.b", "...", "", "a..b"] {
            assert!(ok(is_path_segment_name(v)), "{v:?}");
        }
        assert_eq!(is_path_segment_name("."), vec!["may not be '.'"]);
        assert_eq!(is_path_segment_name(".."), vec!["may not be '..'"]);
        assert_eq!(is_path_segment_name("a/b"), vec!["may not contain '/'"]);
        assert_eq!(
            is_path_segment_name("a/%b"),
            vec!["may not contain '/'", "may not contain '%'"]
        );
        assert!(ok(is_path_segment_prefix("..")));
        assert_eq!(is_path_segment_prefix("50%"), vec!["may not contain '%'"]);
    }

    /// Mirrors apimachinery `IsValidPortName` and `IsValidPortNum`.
    #[test]
    fn ports() {
        for v in [
            "telnet",
            "re-mail-ck",
            "pop3",
            "a",
            "a-1",
            "1-a",
            "a-1-b-2-c",
            "1-a-2-b-3",
            "abcdefghijklmno",
        ] {
            assert!(ok(is_valid_port_name(v)), "{v:?}");
        }
        for v in [
            "",
            "telnet-",
            "-telnet",
            "re--mail",
            "TELNET",
            "http_alt",
            "1234",
            "abcdefghijklmnop",
            "a b",
            "hTTp",
        ] {
            assert!(!ok(is_valid_port_name(v)), "{v:?}");
        }
        assert_eq!(
            is_valid_port_name("abcdefghijklmnop"),
            vec!["must be no more than 15 characters"]
        );
        assert_eq!(
            is_valid_port_name(""),
            vec![
                "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
                "must contain at least one letter (a-z)"
            ]
        );
        assert_eq!(
            is_valid_port_name("-a--"),
            vec![
                "must not contain consecutive hyphens",
                "must not begin or end with a hyphen"
            ]
        );
        assert_eq!(
            is_valid_port_name("8080"),
            vec!["must contain at least one letter (a-z)"]
        );
        for p in [1, 80, 65535] {
            assert!(ok(is_valid_port_num(p)), "{p}");
        }
        for p in [0, -1, 65536, i64::MAX] {
            assert_eq!(
                is_valid_port_num(p),
                vec!["must be between 1 and 65535, inclusive"],
                "{p}"
            );
        }
    }

    /// Mirrors apimachinery `IsValidUserID` / `IsValidGroupID`.
    #[test]
    fn ids() {
        for id in [0, 1000, 2147483647] {
            assert!(
                ok(is_valid_user_id(id)) && ok(is_valid_group_id(id)),
                "{id}"
            );
        }
        for id in [-1, 2147483648] {
            assert_eq!(
                is_valid_user_id(id),
                vec!["must be between 0 and 2147483647, inclusive"]
            );
            assert!(!ok(is_valid_group_id(id)));
        }
    }

    /// Mirrors apimachinery `IsEnvVarName` and `IsRelaxedEnvVarName`.
    #[test]
    fn env_var_names() {
        for v in [
            "A", "ABC", "AbC_123", "_123", "a.b", "-abc", ".abc", "a-b.c_d",
        ] {
            assert!(ok(is_env_var_name(v)), "{v:?}");
        }
        for v in ["", "1", "123", "1ABC", "A B", "A=B", "A$B", "é", "a:b", "."] {
            assert!(!ok(is_env_var_name(v)), "{v:?}");
        }
        assert_eq!(is_env_var_name("."), vec!["must not be '.'"]);
        assert_eq!(is_env_var_name(".."), vec!["must not be '..'"]);
        assert_eq!(is_env_var_name("..a"), vec!["must not start with '..'"]);
        assert_eq!(
            is_env_var_name("1A"),
            vec!["a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')"]
        );
        for v in ["1ABC", "A B", "a:b", "$HOME", "~", " ", "..", "a{b}"] {
            assert!(ok(is_relaxed_env_var_name(v)), "{v:?}");
        }
        assert_eq!(
            is_relaxed_env_var_name(""),
            vec!["environment variable name must be non-empty"]
        );
        for v in ["A=B", "=", "é", "a\tb", "a\nb", "\u{7f}"] {
            assert_eq!(
                is_relaxed_env_var_name(v),
                vec![RELAXED_ENV_VAR_MSG],
                "{v:?}"
            );
        }
    }

    /// Mirrors apimachinery `IsConfigMapKey`.
    #[test]
    fn config_map_keys() {
        for v in [
            "a",
            "A",
            "a.b",
            "a-b",
            "a_b",
            ".a",
            "a..b",
            "tls.crt",
            ".dockerconfigjson",
            &"a".repeat(253),
        ] {
            assert!(ok(is_config_map_key(v)), "{v:?}");
        }
        for v in ["", "a b", "a/b", "a:b", "é", "a=b", &"a".repeat(254)] {
            assert!(!ok(is_config_map_key(v)), "{v:?}");
        }
        assert_eq!(is_config_map_key("."), vec!["must not be '.'"]);
        assert_eq!(is_config_map_key(".."), vec!["must not be '..'"]);
        assert_eq!(
            is_config_map_key("..data"),
            vec!["must not start with '..'"]
        );
        assert_eq!(
            is_config_map_key(&"a".repeat(254)),
            vec!["must be no more than 253 characters"]
        );
    }

    /// Mirrors apimachinery `IsValidPercent`, `IsHTTPHeaderName` and `IsCIdentifier`.
    #[test]
    fn small_formats() {
        for v in ["0%", "1%", "100%", "250%", "007%"] {
            assert!(ok(is_valid_percent(v)), "{v:?}");
        }
        for v in ["", "%", "1", "-1%", "1.5%", " 1%", "1 %", "a%", "1%%"] {
            assert!(!ok(is_valid_percent(v)), "{v:?}");
        }
        assert_eq!(
            is_valid_percent("1.5%"),
            vec!["a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"]
        );
        for v in ["X-Header-Name", "Accept", "a-1"] {
            assert!(ok(is_http_header_name(v)), "{v:?}");
        }
        for v in ["", "X_Header", "X Header", "X:Header", "é"] {
            assert!(!ok(is_http_header_name(v)), "{v:?}");
        }
        for v in ["a", "_a", "A_1", "my_name"] {
            assert!(ok(is_c_identifier(v)), "{v:?}");
        }
        for v in ["", "1a", "a-b", "a.b"] {
            assert!(!ok(is_c_identifier(v)), "{v:?}");
        }
    }

    /// Mirrors kubernetes `IsValidSysctlName` (core validation_test.go `TestValidateSysctls`).
    #[test]
    fn sysctl_names() {
        for v in [
            "a",
            "a_b",
            "a-b",
            "net.ipv4.ip_forward",
            "kernel.shm_rmid_forced",
            "net/ipv4/conf/eth0.100/rp_filter",
            "abc0.def-ghi_jkl",
        ] {
            assert!(ok(is_valid_sysctl_name(v)), "{v:?}");
        }
        for v in [
            "",
            "A",
            "_a",
            "a_",
            "a.",
            ".a",
            "a..b",
            "a/",
            "a b",
            "*",
            "net.*",
            &"a".repeat(254),
        ] {
            assert_eq!(
                is_valid_sysctl_name(v),
                vec!["must have at most 253 characters and match regex ([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?"],
                "{v:?}"
            );
        }
    }
}
