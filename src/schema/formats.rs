//! The `format`s of custom resource schemas, as the API server checks them.
//!
//! The API server keeps a string schema's `format` only when it is one it supports at its
//! version (the name compared with its `-`s removed: `date-time` is `datetime`) and drops any
//! other, and the `format` of any other type (`int32`, `double`, ...) is never checked. A kept
//! format is checked on string values only, by kube-openapi's default format registry; one it
//! keeps without a checker (`quantity`) checks nothing. Each checker here accepts what
//! upstream's does, by the same grammar; where kubevet cannot tell exactly (an e-mail address
//! with a display name or comments, a URL whose host is percent-escaped) the value is not
//! reported.

use crate::rules::{Finding, RuleId};
use regex::Regex;
use serde_json::Value;
use std::sync::OnceLock;

/// The formats every supported version checks, by their normalized names.
const FORMATS: &[&str] = &[
    "bsonobjectid",
    "uri",
    "email",
    "hostname",
    "ipv4",
    "ipv6",
    "cidr",
    "mac",
    "uuid",
    "uuid3",
    "uuid4",
    "uuid5",
    "isbn",
    "isbn10",
    "isbn13",
    "creditcard",
    "ssn",
    "hexcolor",
    "rgbcolor",
    "byte",
    "password",
    "date",
    "duration",
    "datetime",
];

/// The formats checked from Kubernetes 1.34 on (ignored before).
const FORMATS_1_34: &[&str] = &["k8sshortname", "k8slongname"];

/// Whether the API server at 1.`minor` checks a string schema's `format` (as written).
pub(super) fn checked(format: &str, minor: u32) -> bool {
    let name = format.replace('-', "");
    FORMATS.contains(&name.as_str()) || (minor >= 34 && FORMATS_1_34.contains(&name.as_str()))
}

/// Whether `value` is valid in `format` (a format [`checked`] says is checked); `None` when
/// kubevet cannot tell.
pub(super) fn valid(format: &str, value: &str) -> Option<bool> {
    let s = value;
    Some(match format.replace('-', "").as_str() {
        "bsonobjectid" => s.len() == 24 && s.bytes().all(|b| b.is_ascii_hexdigit()),
        "uri" => match super::cel_lib::parse_request_uri(s) {
            Ok(()) => true,
            Err(Some(_)) => false,
            Err(None) => return None,
        },
        "email" => return email(s),
        "hostname" => hostname(s),
        "ipv4" => crate::k8s::net::parse_ip_sloppy(s).is_some() && s.contains('.'),
        "ipv6" => {
            crate::k8s::net::parse_ip_sloppy(s).is_some_and(|ip| !ip.leading_zeros)
                && s.contains(':')
        }
        "cidr" => crate::k8s::net::Cidr::parse_sloppy(s).is_some(),
        "mac" => mac(s),
        "uuid" => matches(&UUID, s),
        "uuid3" => matches(&UUID3, s),
        "uuid4" => matches(&UUID4, s),
        "uuid5" => matches(&UUID5, s),
        "isbn" => isbn10(s) || isbn13(s),
        "isbn10" => isbn10(s),
        "isbn13" => isbn13(s),
        "creditcard" => credit_card(s),
        "ssn" => s.len() == 11 && matches(&SSN, s),
        "hexcolor" => matches(&HEXCOLOR, s),
        "rgbcolor" => matches(&RGBCOLOR, s),
        "byte" => matches(&BASE64, s),
        "password" => true,
        "date" => super::cel_lib::is_date(s),
        "duration" => duration(s),
        "datetime" => date_time(s),
        "k8sshortname" => s.len() <= 63 && matches(&SHORT_NAME, s),
        "k8slongname" => s.len() <= 253 && matches(&LONG_NAME, s),
        _ => return None,
    })
}

/// A pattern compiled once.
struct Pattern(&'static str, OnceLock<Option<Regex>>);

impl Pattern {
    const fn new(p: &'static str) -> Pattern {
        Pattern(p, OnceLock::new())
    }
}

fn matches(p: &Pattern, s: &str) -> bool {
    p.1.get_or_init(|| Regex::new(p.0).ok())
        .as_ref()
        .is_some_and(|r| r.is_match(s))
}

// Upstream's patterns, with Go's ASCII `\d` and `\s` spelled out.
static UUID: Pattern =
    Pattern::new("(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$");
static UUID3: Pattern =
    Pattern::new("(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?3[0-9a-f]{3}-?[0-9a-f]{4}-?[0-9a-f]{12}$");
static UUID4: Pattern =
    Pattern::new("(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?4[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$");
static UUID5: Pattern =
    Pattern::new("(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?5[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$");
static HOSTNAME: Pattern = Pattern::new(
    r"^([a-zA-Z0-9\p{S}\p{L}]((-?[a-zA-Z0-9\p{S}\p{L}]{0,62})?)|([a-zA-Z0-9\p{S}\p{L}](([a-zA-Z0-9\-\p{S}\p{L}]{0,61}[a-zA-Z0-9\p{S}\p{L}])?)(\.)){1,}([a-zA-Z\p{L}]){2,63})$",
);
static SSN: Pattern = Pattern::new(r"^[0-9]{3}[- ]?[0-9]{2}[- ]?[0-9]{4}$");
static HEXCOLOR: Pattern = Pattern::new(r"^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$");
static RGBCOLOR: Pattern = Pattern::new(
    r"^rgb\([\t\n\f\r ]*(0|[1-9][0-9]?|1[0-9][0-9]?|2[0-4][0-9]|25[0-5])[\t\n\f\r ]*,[\t\n\f\r ]*(0|[1-9][0-9]?|1[0-9][0-9]?|2[0-4][0-9]|25[0-5])[\t\n\f\r ]*,[\t\n\f\r ]*(0|[1-9][0-9]?|1[0-9][0-9]?|2[0-4][0-9]|25[0-5])[\t\n\f\r ]*\)$",
);
static BASE64: Pattern = Pattern::new(
    r"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$",
);
static CREDIT_CARD: Pattern = Pattern::new(
    r"^(?:4[0-9]{12}(?:[0-9]{3})?|5[1-5][0-9]{14}|6(?:011|5[0-9][0-9])[0-9]{12}|3[47][0-9]{13}|3(?:0[0-5]|[68][0-9])[0-9]{11}|(?:2131|1800|35[0-9]{3})[0-9]{11})$",
);
static SHORT_NAME: Pattern = Pattern::new(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");
static LONG_NAME: Pattern =
    Pattern::new(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
static DATE_TIME_CLOCK: Pattern =
    Pattern::new(r"^([0-9]{2}):([0-9]{2}):([0-9]{2})(.[0-9]+)?(z|([+-][0-9]{2}:[0-9]{2}))$");
static DATE_TIME: Pattern = Pattern::new(
    r"^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?$",
);
static DURATION_PART: Pattern = Pattern::new(r"(([0-9]+)[\t\n\f\r ]*([A-Za-zµ]+))");

/// kube-openapi's hostname: its pattern (labels of letters, digits and symbols, a last label
/// of letters), at most 255 bytes, each dot-separated part at most 63.
fn hostname(s: &str) -> bool {
    matches(&HOSTNAME, s) && s.len() <= 255 && s.split('.').all(|p| p.len() <= 63)
}

/// Go's `net.ParseMAC`: 6, 8 or 20 octets as `xx:xx:...`, `xx-xx-...` or `xxxx.xxxx...`.
fn mac(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 14 {
        return false;
    }
    let hex2 = |p: &[u8]| p.len() == 2 && p.iter().all(u8::is_ascii_hexdigit);
    let octets = |n: usize| matches!(n, 6 | 8 | 20);
    if b[2] == b':' || b[2] == b'-' {
        let sep = b[2];
        (b.len() + 1).is_multiple_of(3)
            && octets((b.len() + 1) / 3)
            && b.chunks(3)
                .all(|c| hex2(&c[..2]) && (c.len() == 2 || c[2] == sep))
    } else if b[4] == b'.' {
        (b.len() + 1).is_multiple_of(5)
            && octets(2 * (b.len() + 1) / 5)
            && b.chunks(5).all(|c| {
                c.len() >= 4 && hex2(&c[..2]) && hex2(&c[2..4]) && (c.len() == 4 || c[4] == b'.')
            })
    } else {
        false
    }
}

/// The digits of an ISBN with Go's ASCII white space and `-`s removed.
fn isbn_digits(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\x0c' | '\r' | ' ' | '-'))
        .collect()
}

fn isbn10(s: &str) -> bool {
    let d = isbn_digits(s);
    let b = d.as_bytes();
    let shape = b.len() == 10
        && b[..9].iter().all(u8::is_ascii_digit)
        && (b[9].is_ascii_digit() || b[9] == b'X');
    if !shape {
        return false;
    }
    let mut sum: u32 = (0..9)
        .map(|i| (i as u32 + 1) * u32::from(b[i] - b'0'))
        .sum();
    sum += 10
        * if b[9] == b'X' {
            10
        } else {
            u32::from(b[9] - b'0')
        };
    sum.is_multiple_of(11)
}

fn isbn13(s: &str) -> bool {
    let d = isbn_digits(s);
    let b = d.as_bytes();
    if b.len() != 13 || !b.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let sum: u32 = (0..12)
        .map(|i| [1, 3][i % 2] * u32::from(b[i] - b'0'))
        .sum();
    u32::from(b[12] - b'0') == (10 - sum % 10) % 10
}

/// A card number of a known issuer's shape (anything but digits ignored) whose Luhn sum is
/// right.
fn credit_card(s: &str) -> bool {
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    if !matches(&CREDIT_CARD, &digits) {
        return false;
    }
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, c)| {
            let n = u32::from(c - b'0');
            match i % 2 {
                0 => n,
                _ if n * 2 >= 10 => n * 2 % 10 + 1,
                _ => n * 2,
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// kube-openapi's date-time check: a full date, `T` (either case), then
/// `hh:mm:ss[.frac](Z|±hh:mm)` with hours to 23 and minutes and seconds to 59 (the offset is
/// not checked).
fn date_time(s: &str) -> bool {
    if s.len() < 4 {
        return false;
    }
    let lower = s.to_lowercase();
    let mut parts = lower.split('t');
    let (Some(date), Some(clock)) = (parts.next(), parts.next()) else {
        return false;
    };
    if !super::cel_lib::is_date(date) {
        return false;
    }
    if !matches(&DATE_TIME_CLOCK, clock) {
        return false;
    }
    // The pattern matched, so these are ASCII digits.
    &clock[0..2] <= "23" && &clock[3..5] <= "59" && &clock[6..8] <= "59"
}

/// kube-openapi's duration: Go's `time.ParseDuration`, or else any `<digits><unit>` in the
/// text with a unit it knows (`ns`, `us`, `ms`, `s`, `m`, `h`, `d`, `w` and their long names,
/// such as `5 days` or `1 hour`).
fn duration(s: &str) -> bool {
    parse_duration(s).is_some()
}

/// kube-openapi's `ParseDuration`, in nanoseconds (the sum of every part it recognizes, with
/// Go's wrapping arithmetic).
pub(super) fn parse_duration(s: &str) -> Option<i64> {
    if let Ok(n) = crate::k8s::duration::parse_go_duration(s) {
        return Some(n);
    }
    let re = DURATION_PART
        .1
        .get_or_init(|| Regex::new(DURATION_PART.0).ok())
        .as_ref()?;
    const UNITS: &[(&[&str], i64)] = &[
        (&["ns", "nano"], 1),
        (&["us", "µs", "micro"], 1_000),
        (&["ms", "milli"], 1_000_000),
        (&["s", "sec"], 1_000_000_000),
        (&["m", "min"], 60_000_000_000),
        (&["h", "hr", "hour"], 3_600_000_000_000),
        (&["d", "day"], 86_400_000_000_000),
        (&["w", "wk", "week"], 604_800_000_000_000),
    ];
    let mut total: i64 = 0;
    let mut ok = false;
    for c in re.captures_iter(s) {
        // A number Go cannot read as an int ends the search with an error.
        let factor: i64 = c[2].parse().ok()?;
        let unit = c[3].to_lowercase();
        for (variants, nanos) in UNITS {
            let last = variants.len() - 1;
            for (i, v) in variants.iter().enumerate() {
                if (i == last && unit.starts_with(v)) || v.eq_ignore_ascii_case(&unit) {
                    ok = true;
                    total = total.wrapping_add(factor.wrapping_mul(*nanos));
                }
            }
        }
    }
    ok.then_some(total)
}

/// Go's `time.Parse` with layout `2006-01-02`: midnight UTC of that day.
pub(super) fn parse_date(s: &str) -> Option<chrono::DateTime<chrono::FixedOffset>> {
    if !super::cel_lib::is_date(s) {
        return None;
    }
    let date = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
    Some(date.and_hms_opt(0, 0, 0)?.and_utc().fixed_offset())
}

/// kube-openapi's `ParseDateTime`: RFC 3339 with any fraction of a second, or the same
/// without a zone (then UTC); the empty string is the Unix epoch.
pub(super) fn parse_date_time(s: &str) -> Option<chrono::DateTime<chrono::FixedOffset>> {
    use chrono::{FixedOffset, NaiveDate, NaiveTime};
    if s.is_empty() {
        return Some(chrono::DateTime::UNIX_EPOCH.fixed_offset());
    }
    let c = DATE_TIME
        .1
        .get_or_init(|| Regex::new(DATE_TIME.0).ok())
        .as_ref()?
        .captures(s)?;
    let n = |i: usize| c.get(i).map_or(Some(0), |m| m.as_str().parse::<u32>().ok());
    let year = i32::try_from(n(1)?).ok()?;
    let date = NaiveDate::from_ymd_opt(year, n(2)?, n(3)?)?;
    let nanos = c.get(7).map_or(Some(0), |f| {
        let digits = &f.as_str()[1..];
        let nine: String = digits
            .chars()
            .chain(std::iter::repeat('0'))
            .take(9)
            .collect();
        nine.parse::<u32>().ok()
    })?;
    let (h, m, sec) = (n(4)?, n(5)?, n(6)?);
    if h > 23 || m > 59 || sec > 59 {
        return None;
    }
    let time = NaiveTime::from_hms_nano_opt(h, m, sec, nanos)?;
    let offset = match c.get(8).map(|z| z.as_str()) {
        None | Some("Z") => FixedOffset::east_opt(0)?,
        Some(z) => {
            let (oh, om) = (z[1..3].parse::<i32>().ok()?, z[4..6].parse::<i32>().ok()?);
            if oh > 23 || om > 59 {
                return None;
            }
            let secs = (oh * 60 + om) * 60;
            FixedOffset::east_opt(if z.starts_with('-') { -secs } else { secs })?
        }
    };
    date.and_time(time).and_local_timezone(offset).single()
}

/// Go's `mail.ParseAddress` for a bare address (`local@domain`, the local part atoms and dots,
/// the domain dot-separated atoms); `None` for the forms not ported (display names, angle
/// brackets, quoted strings, comments, domain literals).
fn email(s: &str) -> Option<bool> {
    let s = s.trim_matches([' ', '\t']);
    if !s.contains('@') {
        return Some(false);
    }
    if s.contains([
        '<', '>', '"', '(', ')', '[', ']', '\\', ',', ';', ':', ' ', '\t',
    ]) || s.bytes().any(|b| b < 0x20 || b == 0x7f)
    {
        return None;
    }
    let atext = |c: char| c != '.' && c != '@';
    let (local, domain) = s.split_once('@')?;
    let local_ok = !local.is_empty() && local.chars().all(|c| c == '.' || atext(c));
    let domain_ok = !domain.is_empty()
        && domain
            .split('.')
            .all(|l| !l.is_empty() && l.chars().all(atext));
    Some(local_ok && domain_ok)
}

/// The `format` findings of a custom resource (`value`, after defaulting) against its
/// structural schema, for a target of Kubernetes 1.`minor`: one per string whose schema's
/// format the API server checks and the string does not have, in the API server's words.
pub(super) fn problems(schema: &Value, value: &Value, minor: u32, out: &mut Vec<Finding>) {
    super::crd::each_node(schema, value, "", &mut |node, v, at| {
        let Value::String(s) = v else { return };
        let Some(format) = node.get("format").and_then(Value::as_str) else {
            return;
        };
        let typed_string = match node.get("type") {
            None => true,
            Some(Value::String(t)) => t.is_empty() || t == "string",
            Some(_) => false,
        };
        if !typed_string || !checked(format, minor) || valid(format, s) != Some(false) {
            return;
        }
        let field = crate::pointer::dotted(at);
        let quoted = crate::k8s::duration::go_quote(s);
        out.push(
            Finding::new(
                RuleId::Schema,
                at,
                format!(
                    "`{field}`: Invalid value: {quoted}: {field} in body must be of type {format}: {quoted}"
                ),
            )
            .label(format!("not a valid {format}"))
            .help(help(format)),
        );
    });
}

/// What a value of `format` looks like.
fn help(format: &str) -> String {
    let example = match format.replace('-', "").as_str() {
        "uri" => "an absolute URI or an absolute path, e.g. `https://example.com/path`",
        "email" => "an e-mail address, e.g. `user@example.com`",
        "hostname" => "a host name, e.g. `host.example.com`",
        "ipv4" => "an IPv4 address, e.g. `192.0.2.1`",
        "ipv6" => "an IPv6 address, e.g. `2001:db8::1`",
        "cidr" => "a CIDR, e.g. `10.0.0.0/8`",
        "mac" => "a MAC address, e.g. `00:00:5e:00:53:01`",
        "uuid" | "uuid3" | "uuid4" | "uuid5" => {
            "a UUID of that version, e.g. `123e4567-e89b-42d3-a456-426614174000` (version 4)"
        }
        "byte" => "base64 (standard alphabet, padded), e.g. `aGVsbG8=`",
        "date" => "a full date, e.g. `2006-01-02`",
        "datetime" => "an RFC 3339 date and time, e.g. `2006-01-02T15:04:05Z`",
        "duration" => "a duration, e.g. `1h30m` or `5 days`",
        "bsonobjectid" => "24 hexadecimal digits",
        "k8sshortname" => "a lowercase RFC 1123 label of at most 63 characters, e.g. `my-name`",
        "k8slongname" => {
            "lowercase RFC 1123 labels joined by dots, at most 253 characters, e.g. `my.name`"
        }
        _ => "a value of that format",
    };
    format!("the schema's `format: {format}` asks for {example}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(format: &str, good: &[&str], bad: &[&str]) {
        for s in good {
            assert_eq!(valid(format, s), Some(true), "{format} {s:?}");
        }
        for s in bad {
            assert_eq!(valid(format, s), Some(false), "{format} {s:?}");
        }
    }

    #[test]
    fn formats_kept_and_dropped_by_version() {
        assert!(checked("date-time", 30));
        assert!(checked("datetime", 30));
        assert!(checked("uri", 30));
        assert!(!checked("quantity", 37));
        assert!(!checked("int32", 37));
        assert!(!checked("k8s-short-name", 33));
        assert!(checked("k8s-short-name", 34));
        assert!(checked("k8s-long-name", 37));
        assert!(!checked("ulid", 37));
    }

    /// Cases of kube-openapi's strfmt tests and govalidator's.
    #[test]
    fn the_default_format_registry() {
        check(
            "uri",
            &[
                "http://example.com/a?b=c",
                "/relative/path",
                "mailto:a@b",
                "urn:isbn:123",
            ],
            &["", "example.com", "relative/path", "http://a b.com/"],
        );
        check(
            "hostname",
            &[
                "localhost",
                "example.com",
                "a-b.example.com",
                "xn--bcher-kva.example",
                "mañana.com",
            ],
            &[
                "",
                "-a.com",
                "a-.com",
                "1.2.3.4",
                "a..b",
                "example.c",
                &"a".repeat(64),
            ],
        );
        check(
            "ipv4",
            &["192.168.0.1", "010.1.1.1", "::ffff:1.2.3.4"],
            &["", "1.2.3", "256.1.1.1", "::1", "a.b.c.d"],
        );
        check(
            "ipv6",
            &["::1", "2001:db8::1", "::ffff:1.2.3.4"],
            &["", "1.2.3.4", "2001:db8::g", "fe80::1%eth0"],
        );
        check(
            "cidr",
            &["10.0.0.0/8", "2001:db8::/32", "010.0.0.0/8"],
            &["10.0.0.0", "10.0.0.0/33", "x/8"],
        );
        check(
            "mac",
            &[
                "00:00:5e:00:53:01",
                "00-00-5E-00-53-01",
                "0000.5e00.5301",
                "02:00:5e:10:00:00:00:01",
            ],
            &[
                "00:00:5e:00:53",
                "00:00:5e-00:53:01",
                "0000.5e00.530",
                "zz:00:5e:00:53:01",
            ],
        );
        check(
            "uuid",
            &[
                "123e4567-e89b-12d3-a456-426614174000",
                "123E4567E89B12D3A456426614174000",
            ],
            &[
                "123e4567-e89b-12d3-a456-42661417400",
                "123e4567-e89b-12d3-a456-42661417400z",
            ],
        );
        check(
            "uuid3",
            &["a987fbc9-4bed-3078-cf07-9141ba07c9f3"],
            &["a987fbc9-4bed-4078-8f07-9141ba07c9f3"],
        );
        check(
            "uuid4",
            &["a987fbc9-4bed-4078-8f07-9141ba07c9f3"],
            &["a987fbc9-4bed-4078-cf07-9141ba07c9f3"],
        );
        check(
            "uuid5",
            &["987fbc97-4bed-5078-af07-9141ba07c9f3"],
            &["987fbc97-4bed-5078-cf07-9141ba07c9f3"],
        );
        check(
            "isbn10",
            &["3836221195", "3-8362-2119-5", "3 8362 2119 5", "020161622X"],
            &["3836221196", "0201616229"],
        );
        check(
            "isbn13",
            &["9784873113685", "978-4-87311-368-5"],
            &["9784873113686", "978-4-87311-368"],
        );
        check("isbn", &["3836221195", "9784873113685"], &["x"]);
        check(
            "creditcard",
            &[
                "4111111111111111",
                "4111 1111 1111 1111",
                "5500-0000-0000-0004",
            ],
            &["4111111111111112", "1234", ""],
        );
        check(
            "ssn",
            &["111-11-1111", "111 11 1111"],
            &["111111111", "11-111-1111"],
        );
        check(
            "hexcolor",
            &["#fff", "FFFFFF", "#a0b1c2"],
            &["#ffff", "fff0", "#ggg"],
        );
        check(
            "rgbcolor",
            &["rgb(0,0,0)", "rgb(255, 255, 255)", "rgb( 1 ,2 , 3 )"],
            &["rgb(256,0,0)", "rgb(0,0)", "rgba(0,0,0,0)", "rgb(01,0,0)"],
        );
        check(
            "byte",
            &["aGVsbG8=", "aGVsbG8h", "YQ=="],
            &["", "aGVsbG8", "a GVs", "aGVsbG8-"],
        );
        check("password", &["", "anything"], &[]);
        check(
            "date",
            &["2006-01-02", "2024-02-29"],
            &["2006-1-2", "2023-02-29", "2006-01-02T00:00:00Z"],
        );
        check(
            "date-time",
            &[
                "2006-01-02T15:04:05Z",
                "2006-01-02t15:04:05z",
                "2006-01-02T15:04:05.123+02:00",
                "2006-01-02T15:04:05-99:99",
            ],
            &[
                "2006-01-02",
                "2006-01-02T15:04:05",
                "2006-01-02 15:04:05Z",
                "2006-01-02T24:00:00Z",
                "2006-13-02T15:04:05Z",
                "abc",
            ],
        );
        check(
            "duration",
            &[
                "1h30m", "0", "-1.5s", "5 days", "3 weeks", "1hour", "2 sec", "10 µs",
            ],
            &["", "1", "abc", "5 parsecs", "1x"],
        );
        check(
            "bsonobjectid",
            &["507f1f77bcf86cd799439011", "507F1F77BCF86CD799439011"],
            &["507f1f77bcf86cd79943901", "507f1f77bcf86cd79943901z"],
        );
        check(
            "email",
            &["a@b.c", "john..doe@example.com", "x+tag@example.org"],
            &["", "plain", "a@", "@b", "a@b..c", "a@b@c"],
        );
        assert_eq!(valid("email", "John <john@example.com>"), None);
        check(
            "k8s-short-name",
            &["a", "my-name", "0abc"],
            &["", "-a", "a-", "My-name", "a.b", &"a".repeat(64)],
        );
        check(
            "k8s-long-name",
            &["a", "my.name", "a-b.c-d"],
            &["", "a..b", ".a", "A.b", &"a".repeat(254)],
        );
        assert_eq!(valid("quantity", "x"), None);
    }

    #[test]
    fn findings_are_at_the_value_in_the_api_servers_words() {
        let schema = serde_json::json!({
            "type": "object",
            "properties": {
                "spec": {
                    "type": "object",
                    "properties": {
                        "url": {"type": "string", "format": "uri"},
                        "short": {"type": "string", "format": "k8s-short-name"},
                        "count": {"type": "integer", "format": "int32"},
                        "hosts": {"type": "array", "items": {"type": "string", "format": "hostname"}}
                    }
                }
            }
        });
        let value = serde_json::json!({"spec": {"url": "abc", "short": "Bad", "count": 3, "hosts": ["ok.example.com", "-bad"]}});
        let mut out = Vec::new();
        problems(&schema, &value, 33, &mut out);
        let got: Vec<(&str, &str)> = out
            .iter()
            .map(|f| (f.pointer.as_str(), f.message.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("/spec/url", "`spec.url`: Invalid value: \"abc\": spec.url in body must be of type uri: \"abc\""),
                ("/spec/hosts/1", "`spec.hosts[1]`: Invalid value: \"-bad\": spec.hosts[1] in body must be of type hostname: \"-bad\""),
            ]
        );
        let mut out = Vec::new();
        problems(&schema, &value, 34, &mut out);
        assert_eq!(out.len(), 3);
    }
}
