//! Go's `time.ParseDuration` grammar, which Kubernetes uses for `metav1.Duration` fields
//! (kubeadm and component configs, some API fields) and for cron's `@every <duration>`.
//!
//! A duration is an optional sign then one or more `<number><unit>` terms, where the number
//! may have a fraction (`1.5h`, `.5s`, `1.s`) and the unit is one of `ns`, `us` (`µs`, `μs`),
//! `ms`, `s`, `m`, `h`. `0` alone needs no unit. There are no days, no spaces and no
//! exponents; the total must fit in an `i64` of nanoseconds. Fractions are turned into
//! nanoseconds with the same floating-point steps Go takes, so results are Go's to the
//! nanosecond.

use std::fmt;

/// Why a string is not a Go duration. `Display` gives Go's error text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DurationError {
    /// `time: invalid duration "<input>"`.
    Invalid(String),
    /// `time: missing unit in duration "<input>"`.
    MissingUnit(String),
    /// `time: unknown unit "<unit>" in duration "<input>"`.
    UnknownUnit { unit: String, input: String },
}

impl fmt::Display for DurationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DurationError::Invalid(s) => write!(f, "time: invalid duration {}", go_quote(s)),
            DurationError::MissingUnit(s) => {
                write!(f, "time: missing unit in duration {}", go_quote(s))
            }
            DurationError::UnknownUnit { unit, input } => write!(
                f,
                "time: unknown unit {} in duration {}",
                go_quote(unit),
                go_quote(input)
            ),
        }
    }
}

impl std::error::Error for DurationError {}

/// The `time` package's own `quote`: control and non-ASCII bytes as `\xNN`, `"` and `\`
/// escaped.
pub(crate) fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        if c.is_ascii() && c >= ' ' {
            if c == '"' || c == '\\' {
                out.push('\\');
            }
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("\\x{b:02x}"));
            }
        }
    }
    out.push('"');
    out
}

const NANOS_LIMIT: u64 = 1 << 63;

fn unit_nanos(unit: &str) -> Option<u64> {
    Some(match unit {
        "ns" => 1,
        "us" | "\u{b5}s" | "\u{3bc}s" => 1_000,
        "ms" => 1_000_000,
        "s" => 1_000_000_000,
        "m" => 60_000_000_000,
        "h" => 3_600_000_000_000,
        _ => return None,
    })
}

/// Go's `time.ParseDuration`: the duration in nanoseconds.
pub fn parse_go_duration(input: &str) -> Result<i64, DurationError> {
    let invalid = || DurationError::Invalid(input.to_string());
    let mut s = input.as_bytes();
    let mut negative = false;
    if let Some(&c) = s.first() {
        if c == b'-' || c == b'+' {
            negative = c == b'-';
            s = &s[1..];
        }
    }
    if s == b"0" {
        return Ok(0);
    }
    if s.is_empty() {
        return Err(invalid());
    }
    let mut total: u64 = 0;
    while !s.is_empty() {
        if !(s[0] == b'.' || s[0].is_ascii_digit()) {
            return Err(invalid());
        }
        // Integer part; overflow past 2^63 is an error.
        let mut v: u64 = 0;
        let mut i = 0;
        while i < s.len() && s[i].is_ascii_digit() {
            if v > NANOS_LIMIT / 10 {
                return Err(invalid());
            }
            v = v * 10 + (s[i] - b'0') as u64;
            if v > NANOS_LIMIT {
                return Err(invalid());
            }
            i += 1;
        }
        let pre = i > 0;
        s = &s[i..];
        // Fraction part; digits past the precision of a u64 are ignored.
        let (mut f, mut scale, mut post) = (0u64, 1f64, false);
        if s.first() == Some(&b'.') {
            s = &s[1..];
            let mut i = 0;
            let mut overflow = false;
            while i < s.len() && s[i].is_ascii_digit() {
                if !overflow {
                    if f > (NANOS_LIMIT - 1) / 10 {
                        overflow = true;
                    } else {
                        let y = f * 10 + (s[i] - b'0') as u64;
                        if y > NANOS_LIMIT {
                            overflow = true;
                        } else {
                            f = y;
                            scale *= 10.0;
                        }
                    }
                }
                i += 1;
            }
            post = i > 0;
            s = &s[i..];
        }
        if !pre && !post {
            return Err(invalid());
        }
        let unit_len = s
            .iter()
            .position(|&c| c == b'.' || c.is_ascii_digit())
            .unwrap_or(s.len());
        if unit_len == 0 {
            return Err(DurationError::MissingUnit(input.to_string()));
        }
        let unit = String::from_utf8_lossy(&s[..unit_len]).into_owned();
        s = &s[unit_len..];
        let nanos = unit_nanos(&unit).ok_or_else(|| DurationError::UnknownUnit {
            unit: unit.clone(),
            input: input.to_string(),
        })?;
        if v > NANOS_LIMIT / nanos {
            return Err(invalid());
        }
        v *= nanos;
        if f > 0 {
            // The same float steps as Go, so the same rounding.
            v += (f as f64 * (nanos as f64 / scale)) as u64;
            if v > NANOS_LIMIT {
                return Err(invalid());
            }
        }
        total += v;
        if total > NANOS_LIMIT {
            return Err(invalid());
        }
    }
    if negative {
        return Ok((total as i64).wrapping_neg());
    }
    if total > NANOS_LIMIT - 1 {
        return Err(invalid());
    }
    Ok(total as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: i64 = 1_000_000_000;

    /// Mirrors Go's time.ParseDuration (time_test.go `parseDurationTests`).
    #[test]
    fn accepted() {
        let cases: [(&str, i64); 31] = [
            ("0", 0),
            ("-0", 0),
            ("+0", 0),
            ("5s", 5 * S),
            ("30s", 30 * S),
            ("1478s", 1478 * S),
            ("-5s", -5 * S),
            ("+5s", 5 * S),
            ("-0s", 0),
            ("5.0s", 5 * S),
            ("5.6s", 5 * S + 600_000_000),
            ("5.s", 5 * S),
            (".5s", S / 2),
            ("1.0s", S),
            ("1.00s", S),
            ("1.004s", S + 4_000_000),
            ("100.00100s", 100 * S + 1_000_000),
            ("10ns", 10),
            ("11us", 11_000),
            ("12\u{b5}s", 12_000),
            ("12\u{3bc}s", 12_000),
            ("13ms", 13_000_000),
            ("14s", 14 * S),
            ("15m", 15 * 60 * S),
            ("16h", 16 * 3600 * S),
            ("3h30m", (3 * 3600 + 30 * 60) * S),
            ("10.5s4m", 4 * 60 * S + 10 * S + S / 2),
            ("-2m3.4s", -(2 * 60 * S + 3 * S + 400_000_000)),
            (
                "1h2m3s4ms5us6ns",
                3600 * S + 120 * S + 3 * S + 4_000_000 + 5_000 + 6,
            ),
            ("9223372036854775807ns", i64::MAX),
            ("-9223372036854775808ns", i64::MIN),
        ];
        for (input, want) in cases {
            assert_eq!(parse_go_duration(input), Ok(want), "{input:?}");
        }
        // Fractions of hours go through float64 like Go's.
        assert_eq!(
            parse_go_duration("0.3333333333333333333h"),
            Ok(1_200_000_000_000)
        );
        assert_eq!(parse_go_duration("1.5h"), Ok(5400 * S));
        assert_eq!(parse_go_duration("-1.5h"), Ok(-5400 * S));
        assert_eq!(parse_go_duration("0.100000000000000000000h"), Ok(360 * S));
        assert_eq!(
            parse_go_duration("0.830103483285477580700h"),
            Ok(2_988_372_539_827)
        );
    }

    #[test]
    fn rejected() {
        let invalid = [
            "",
            "3",
            "-",
            "+",
            "s",
            ".",
            "-.",
            ".s",
            "+.s",
            "1d",
            "1 s",
            " 1s",
            "1s ",
            "1e3s",
            "9223372036854775808ns",
            "9223372036854775810ns",
            "-9223372036854775809ns",
            "3000000h",
            "1.5",
            "1.5.5s",
            "0x10s",
            "1_000s",
        ];
        for input in invalid {
            assert!(parse_go_duration(input).is_err(), "{input:?}");
        }
        assert_eq!(
            parse_go_duration("3").unwrap_err().to_string(),
            "time: missing unit in duration \"3\""
        );
        assert_eq!(
            parse_go_duration("1d").unwrap_err().to_string(),
            "time: unknown unit \"d\" in duration \"1d\""
        );
        assert_eq!(
            parse_go_duration("").unwrap_err().to_string(),
            "time: invalid duration \"\""
        );
        assert_eq!(
            parse_go_duration("1 s").unwrap_err().to_string(),
            "time: unknown unit \" s\" in duration \"1 s\""
        );
        assert_eq!(
            parse_go_duration("1é").unwrap_err().to_string(),
            "time: unknown unit \"\\xc3\\xa9\" in duration \"1\\xc3\\xa9\""
        );
    }
}
