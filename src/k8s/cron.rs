//! CronJob schedules as the API server accepts them: robfig/cron v3 `ParseStandard`
//! (`parser.go`, `spec.go`) plus the batch validation's own rule against `TZ=` in the
//! schedule (kubernetes `pkg/apis/batch/validation` `validateScheduleFormat`).
//!
//! The standard parser takes exactly five fields — minute (0–59), hour (0–23), day of month
//! (1–31), month (1–12 or `jan`…`dec`), day of week (0–6 or `sun`…`sat`; 7 is *not* Sunday) —
//! each a comma list of `*`, `?`, `n`, `a-b`, with an optional `/step`; names are
//! case-insensitive. Or one of the descriptors `@yearly @annually @monthly @weekly @daily
//! @midnight @hourly`, or `@every <Go duration>`. Quirks kept from upstream: empty list items
//! are skipped (`1,,2`), `*-5` means `*`, `5/15` means `5-59/15`, dates that never occur
//! (`0 0 31 2 *`) are fine, and a `TZ=`/`CRON_TZ=` prefix is parsed (then refused by the API
//! server on create).

use std::fmt;

use super::duration::parse_go_duration;
use super::timezone::load_location;

/// The bit robfig/cron sets when a field was written as `*` or `?` (it changes how day of
/// month and day of week combine).
pub const STAR_BIT: u64 = 1 << 63;

/// A parsed schedule: one bit per allowed value, or a fixed interval.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CronSchedule {
    /// Fields as bit sets (bit n = value n allowed, plus [`STAR_BIT`] for `*`/`?`).
    Fields {
        minute: u64,
        hour: u64,
        day_of_month: u64,
        month: u64,
        day_of_week: u64,
        /// The zone of a `TZ=`/`CRON_TZ=` prefix, if any.
        time_zone: Option<String>,
    },
    /// `@every <duration>`, in nanoseconds as written (robfig rounds it up to one second
    /// when running it).
    Every {
        nanos: i64,
        time_zone: Option<String>,
    },
}

/// Why `ParseStandard` refuses a schedule. `Display` gives robfig/cron's message (the one the
/// API server reports), except where upstream crashes instead of answering.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CronError {
    /// The schedule is empty.
    Empty,
    /// A field count other than five (and other than six; see [`CronError::SixFields`]).
    FieldCount { fields: Vec<String> },
    /// Six fields: almost always a Quartz/Spring schedule with a leading seconds field.
    SixFields { fields: Vec<String> },
    /// A field is out of range or unreadable (robfig's message).
    Field(String),
    /// An `@` word that is not a known descriptor.
    UnknownDescriptor(String),
    /// `@every` with something Go's `time.ParseDuration` refuses.
    EveryDuration { spec: String, error: String },
    /// A `TZ=`/`CRON_TZ=` prefix naming no known zone.
    BadLocation { name: String, error: String },
    /// A `TZ=`/`CRON_TZ=` prefix with no space after it: upstream's parser crashes (slices
    /// with a missing index) and the API server answers with an internal error.
    TimeZoneWithoutFields,
}

fn fields_list(fields: &[String]) -> String {
    format!("[{}]", fields.join(" "))
}

impl fmt::Display for CronError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CronError::Empty => f.write_str("empty spec string"),
            CronError::FieldCount { fields } | CronError::SixFields { fields } => write!(
                f,
                "expected exactly 5 fields, found {}: {}",
                fields.len(),
                fields_list(fields)
            ),
            CronError::Field(message) => f.write_str(message),
            CronError::UnknownDescriptor(spec) => write!(f, "unrecognized descriptor: {spec}"),
            CronError::EveryDuration { spec, error } => {
                write!(f, "failed to parse duration {spec}: {error}")
            }
            CronError::BadLocation { name, error } => {
                write!(f, "provided bad location {name}: {error}")
            }
            CronError::TimeZoneWithoutFields => f.write_str(
                "a TZ= or CRON_TZ= prefix must be followed by a space and the schedule (the API server's cron parser crashes on this value)",
            ),
        }
    }
}

impl std::error::Error for CronError {}

impl CronError {
    /// Advice beyond upstream's message, for the common mistakes.
    pub fn help(&self) -> Option<&'static str> {
        match self {
            CronError::SixFields { .. } => Some(
                "this looks like a Quartz/Spring schedule with a seconds field first; Kubernetes takes five fields: minute hour day-of-month month day-of-week",
            ),
            CronError::FieldCount { fields } if fields.len() == 7 => Some(
                "this looks like a Quartz schedule with seconds and year fields; Kubernetes takes five fields: minute hour day-of-month month day-of-week",
            ),
            CronError::Field(m) if m.contains("parsing \"L\"") || m.contains('#') || m.contains("W\"") => Some(
                "L, W and # are Quartz extensions; the Kubernetes cron parser does not support them",
            ),
            _ => None,
        }
    }
}

struct Bounds {
    min: u64,
    max: u64,
    names: &'static [(&'static str, u64)],
}

const MINUTES: Bounds = Bounds {
    min: 0,
    max: 59,
    names: &[],
};
const HOURS: Bounds = Bounds {
    min: 0,
    max: 23,
    names: &[],
};
const DOM: Bounds = Bounds {
    min: 1,
    max: 31,
    names: &[],
};
const MONTHS: Bounds = Bounds {
    min: 1,
    max: 12,
    names: &[
        ("jan", 1),
        ("feb", 2),
        ("mar", 3),
        ("apr", 4),
        ("may", 5),
        ("jun", 6),
        ("jul", 7),
        ("aug", 8),
        ("sep", 9),
        ("oct", 10),
        ("nov", 11),
        ("dec", 12),
    ],
};
const DOW: Bounds = Bounds {
    min: 0,
    max: 6,
    names: &[
        ("sun", 0),
        ("mon", 1),
        ("tue", 2),
        ("wed", 3),
        ("thu", 4),
        ("fri", 5),
        ("sat", 6),
    ],
};

/// Go's `strconv.Quote` for the strings that reach it here.
fn strconv_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\x07' => out.push_str("\\a"),
            '\x08' => out.push_str("\\b"),
            '\x0c' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\x0b' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c == '\x7f' => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Go's `strconv.Atoi` on a 64-bit platform, with its error text.
fn atoi(s: &str) -> Result<i64, String> {
    let syntax = || format!("strconv.Atoi: parsing {}: invalid syntax", strconv_quote(s));
    let range = || {
        format!(
            "strconv.Atoi: parsing {}: value out of range",
            strconv_quote(s)
        )
    };
    let (negative, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() {
        return Err(syntax());
    }
    let mut n: u64 = 0;
    for c in digits.bytes() {
        if !c.is_ascii_digit() {
            return Err(syntax());
        }
        n = n
            .checked_mul(10)
            .and_then(|n| n.checked_add((c - b'0') as u64))
            .ok_or_else(range)?;
    }
    let limit = 1u64 << 63;
    match (negative, n) {
        (false, n) if n >= limit => Err(range()),
        (true, n) if n > limit => Err(range()),
        (true, n) => Ok((n as i64).wrapping_neg()),
        (false, n) => Ok(n as i64),
    }
}

/// robfig `mustParseInt`: a non-negative decimal.
fn must_parse_int(expr: &str) -> Result<u64, CronError> {
    let n = atoi(expr)
        .map_err(|e| CronError::Field(format!("failed to parse int from {expr}: {e}")))?;
    if n < 0 {
        return Err(CronError::Field(format!(
            "negative number ({n}) not allowed: {expr}"
        )));
    }
    Ok(n as u64)
}

/// robfig `parseIntOrName`: a month or weekday name (any case), else an integer.
fn parse_int_or_name(expr: &str, bounds: &Bounds) -> Result<u64, CronError> {
    let lower = expr.to_lowercase();
    if let Some(&(_, v)) = bounds.names.iter().find(|(name, _)| *name == lower) {
        return Ok(v);
    }
    must_parse_int(expr)
}

fn get_bits(min: u64, max: u64, step: u64) -> u64 {
    if step == 1 {
        return !(u64::MAX.checked_shl((max + 1) as u32).unwrap_or(0)) & (u64::MAX << min);
    }
    let mut bits = 0;
    let mut i = min;
    while i <= max {
        bits |= 1 << i;
        i += step;
    }
    bits
}

/// robfig `getRange`: one list item.
fn get_range(expr: &str, bounds: &Bounds) -> Result<u64, CronError> {
    let range_and_step: Vec<&str> = expr.split('/').collect();
    let low_and_high: Vec<&str> = range_and_step[0].split('-').collect();
    let single = low_and_high.len() == 1;
    let (start, mut end, mut extra);
    if low_and_high[0] == "*" || low_and_high[0] == "?" {
        start = bounds.min;
        end = bounds.max;
        extra = STAR_BIT;
    } else {
        start = parse_int_or_name(low_and_high[0], bounds)?;
        end = match low_and_high.len() {
            1 => start,
            2 => parse_int_or_name(low_and_high[1], bounds)?,
            _ => return Err(CronError::Field(format!("too many hyphens: {expr}"))),
        };
        extra = 0;
    }
    let step = match range_and_step.len() {
        1 => 1,
        2 => {
            let step = must_parse_int(range_and_step[1])?;
            if single {
                end = bounds.max;
            }
            if step > 1 {
                extra = 0;
            }
            step
        }
        _ => return Err(CronError::Field(format!("too many slashes: {expr}"))),
    };
    let (min, max) = (bounds.min, bounds.max);
    if start < min {
        return Err(CronError::Field(format!(
            "beginning of range ({start}) below minimum ({min}): {expr}"
        )));
    }
    if end > max {
        return Err(CronError::Field(format!(
            "end of range ({end}) above maximum ({max}): {expr}"
        )));
    }
    if start > end {
        return Err(CronError::Field(format!(
            "beginning of range ({start}) beyond end of range ({end}): {expr}"
        )));
    }
    if step == 0 {
        return Err(CronError::Field(format!(
            "step of range should be a positive number: {expr}"
        )));
    }
    Ok(get_bits(start, end, step) | extra)
}

/// robfig `getField`: a comma list; empty items are skipped.
fn get_field(field: &str, bounds: &Bounds) -> Result<u64, CronError> {
    field
        .split(',')
        .filter(|item| !item.is_empty())
        .try_fold(0, |bits, item| Ok(bits | get_range(item, bounds)?))
}

fn all(bounds: &Bounds) -> u64 {
    get_bits(bounds.min, bounds.max, 1) | STAR_BIT
}

fn parse_descriptor(spec: &str, time_zone: Option<String>) -> Result<CronSchedule, CronError> {
    let fields = |minute, hour, day_of_month, month, day_of_week| CronSchedule::Fields {
        minute,
        hour,
        day_of_month,
        month,
        day_of_week,
        time_zone: time_zone.clone(),
    };
    let first = |b: &Bounds| 1u64 << b.min;
    match spec {
        "@yearly" | "@annually" => {
            return Ok(fields(
                first(&MINUTES),
                first(&HOURS),
                first(&DOM),
                first(&MONTHS),
                all(&DOW),
            ))
        }
        "@monthly" => {
            return Ok(fields(
                first(&MINUTES),
                first(&HOURS),
                first(&DOM),
                all(&MONTHS),
                all(&DOW),
            ))
        }
        "@weekly" => {
            return Ok(fields(
                first(&MINUTES),
                first(&HOURS),
                all(&DOM),
                all(&MONTHS),
                first(&DOW),
            ))
        }
        "@daily" | "@midnight" => {
            return Ok(fields(
                first(&MINUTES),
                first(&HOURS),
                all(&DOM),
                all(&MONTHS),
                all(&DOW),
            ))
        }
        "@hourly" => {
            return Ok(fields(
                first(&MINUTES),
                all(&HOURS),
                all(&DOM),
                all(&MONTHS),
                all(&DOW),
            ))
        }
        _ => {}
    }
    if let Some(duration) = spec.strip_prefix("@every ") {
        return match parse_go_duration(duration) {
            Ok(nanos) => Ok(CronSchedule::Every { nanos, time_zone }),
            Err(e) => Err(CronError::EveryDuration {
                spec: spec.to_string(),
                error: e.to_string(),
            }),
        };
    }
    Err(CronError::UnknownDescriptor(spec.to_string()))
}

/// robfig/cron v3 `ParseStandard`, as the API server calls it on `spec.schedule`.
pub fn parse_standard(spec: &str) -> Result<CronSchedule, CronError> {
    if spec.is_empty() {
        return Err(CronError::Empty);
    }
    let mut spec = spec;
    let mut time_zone = None;
    if spec.starts_with("TZ=") || spec.starts_with("CRON_TZ=") {
        let space = spec.find(' ').ok_or(CronError::TimeZoneWithoutFields)?;
        let eq = spec.find('=').unwrap_or(0);
        let name = &spec[eq + 1..space];
        load_location(name).map_err(|error| CronError::BadLocation {
            name: name.to_string(),
            error,
        })?;
        time_zone = Some(name.to_string());
        spec = spec[space..].trim();
    }
    if spec.starts_with('@') {
        return parse_descriptor(spec, time_zone);
    }
    let fields: Vec<String> = spec.split_whitespace().map(str::to_string).collect();
    match fields.len() {
        5 => {}
        6 => return Err(CronError::SixFields { fields }),
        _ => return Err(CronError::FieldCount { fields }),
    }
    Ok(CronSchedule::Fields {
        minute: get_field(&fields[0], &MINUTES)?,
        hour: get_field(&fields[1], &HOURS)?,
        day_of_month: get_field(&fields[2], &DOM)?,
        month: get_field(&fields[3], &MONTHS)?,
        day_of_week: get_field(&fields[4], &DOW)?,
        time_zone,
    })
}

/// kubernetes `validateScheduleFormat` on create (and on updates whose old schedule had no
/// `TZ`): the messages the API server gives for `spec.schedule`, empty when accepted. An
/// empty schedule is `Required value` (upstream never parses it).
pub fn validate_cronjob_schedule(schedule: &str) -> Vec<String> {
    if schedule.is_empty() {
        return vec!["Required value".to_string()];
    }
    let mut errs = Vec::new();
    match parse_standard(schedule) {
        Err(CronError::TimeZoneWithoutFields) => {
            return vec![CronError::TimeZoneWithoutFields.to_string()]
        }
        Err(e) => errs.push(e.to_string()),
        Ok(_) => {}
    }
    if schedule.contains("TZ") {
        errs.push("cannot use TZ or CRON_TZ in schedule, use timeZone field instead".to_string());
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accepted(spec: &str) -> bool {
        parse_standard(spec).is_ok()
    }

    fn message(spec: &str) -> String {
        parse_standard(spec).unwrap_err().to_string()
    }

    /// Mirrors robfig/cron v3 parser_test.go (`TestParseScheduleErrors`, `TestStandardSpecSchedule`,
    /// `TestRange`) through `ParseStandard`.
    #[test]
    fn accepted_schedules() {
        for spec in [
            "* * * * *",
            "*/5 0-6 * * 1-5",
            "0 0 31 2 *",
            "0 0 1 1 *",
            "59 23 31 12 6",
            "0 0 * * 0",
            "0 9 * JAN-Mar MON,wed,FRI",
            "0 9 * jan sun",
            "5/15 * * * *",
            "0-59/59 * * * *",
            "*/100 * * * *",
            "1,,2 * * * *",
            ", * * * *",
            "*-5 * * * *",
            "? ? ? ? ?",
            "+5 * * * *",
            "00 00 01 01 00",
            "  0  0\t* * *  ",
            "@yearly",
            "@annually",
            "@monthly",
            "@weekly",
            "@daily",
            "@midnight",
            "@hourly",
            "@every 5m",
            "@every 1h30m",
            "@every 0s",
            "TZ=UTC 0 0 * * *",
            "CRON_TZ=Europe/Paris @daily",
            "TZ= 0 0 * * *",
        ] {
            assert!(accepted(spec), "{spec:?}: {:?}", parse_standard(spec));
        }
    }

    #[test]
    fn refused_schedules_in_upstream_words() {
        let cases = [
            ("", "empty spec string"),
            ("* * * *", "expected exactly 5 fields, found 4: [* * * *]"),
            ("0 */5 * * * *", "expected exactly 5 fields, found 6: [0 */5 * * * *]"),
            ("0 0 12 * * ? 2026", "expected exactly 5 fields, found 7: [0 0 12 * * ? 2026]"),
            ("60 * * * *", "end of range (60) above maximum (59): 60"),
            ("* 24 * * *", "end of range (24) above maximum (23): 24"),
            ("* * 0 * *", "beginning of range (0) below minimum (1): 0"),
            ("* * 32 * *", "end of range (32) above maximum (31): 32"),
            ("* * * 13 *", "end of range (13) above maximum (12): 13"),
            ("* * * * 7", "end of range (7) above maximum (6): 7"),
            ("5-1 * * * *", "beginning of range (5) beyond end of range (1): 5-1"),
            ("*/0 * * * *", "step of range should be a positive number: */0"),
            ("1-5/0 * * * *", "step of range should be a positive number: 1-5/0"),
            ("1-2-3 * * * *", "too many hyphens: 1-2-3"),
            ("*/2/3 * * * *", "too many slashes: */2/3"),
            ("-1 * * * *", "failed to parse int from : strconv.Atoi: parsing \"\": invalid syntax"),
            ("a * * * *", "failed to parse int from a: strconv.Atoi: parsing \"a\": invalid syntax"),
            ("* * * JANUARY *", "failed to parse int from JANUARY: strconv.Atoi: parsing \"JANUARY\": invalid syntax"),
            ("* * L * *", "failed to parse int from L: strconv.Atoi: parsing \"L\": invalid syntax"),
            ("*/-1 * * * *", "negative number (-1) not allowed: -1"),
            ("99999999999999999999 * * * *", "failed to parse int from 99999999999999999999: strconv.Atoi: parsing \"99999999999999999999\": value out of range"),
            ("@hourly ", "unrecognized descriptor: @hourly "),
            ("@Hourly", "unrecognized descriptor: @Hourly"),
            ("@every", "unrecognized descriptor: @every"),
            ("@reboot", "unrecognized descriptor: @reboot"),
            ("@every 5x", "failed to parse duration @every 5x: time: unknown unit \"x\" in duration \"5x\""),
            ("@every 5", "failed to parse duration @every 5: time: missing unit in duration \"5\""),
            ("TZ=Mars/Base 0 0 * * *", "provided bad location Mars/Base: unknown time zone Mars/Base"),
        ];
        for (spec, want) in cases {
            assert_eq!(message(spec), want, "{spec:?}");
        }
    }

    #[test]
    fn six_and_seven_fields_get_advice() {
        let six = parse_standard("0 */5 * * * *").unwrap_err();
        assert!(matches!(six, CronError::SixFields { .. }));
        assert!(six.help().unwrap().contains("seconds"));
        let seven = parse_standard("0 0 12 * * ? 2026").unwrap_err();
        assert!(matches!(seven, CronError::FieldCount { .. }));
        assert!(seven.help().unwrap().contains("year"));
        assert!(parse_standard("0 0 L * *")
            .unwrap_err()
            .help()
            .unwrap()
            .contains("Quartz"));
        assert_eq!(parse_standard("60 * * * *").unwrap_err().help(), None);
    }

    #[test]
    fn bits() {
        let CronSchedule::Fields {
            minute,
            hour,
            day_of_month,
            month,
            day_of_week,
            time_zone,
        } = parse_standard("*/15 9-17/4 1,15 feb * ").unwrap()
        else {
            panic!("fields expected");
        };
        assert_eq!(minute, 1 | 1 << 15 | 1 << 30 | 1 << 45);
        assert_eq!(hour, 1 << 9 | 1 << 13 | 1 << 17);
        assert_eq!(day_of_month, 1 << 1 | 1 << 15);
        assert_eq!(month, 1 << 2);
        assert_eq!(day_of_week, 0x7f | STAR_BIT);
        assert_eq!(time_zone, None);
        // A step of 1 keeps the star bit; a larger one drops it.
        let CronSchedule::Fields { minute, .. } = parse_standard("*/1 * * * *").unwrap() else {
            panic!()
        };
        assert_eq!(minute, ((1u64 << 60) - 1) | STAR_BIT);
        assert_eq!(
            parse_standard("TZ=Asia/Tokyo @every 90s"),
            Ok(CronSchedule::Every {
                nanos: 90_000_000_000,
                time_zone: Some("Asia/Tokyo".to_string())
            })
        );
    }

    /// Mirrors kubernetes batch validation `validateScheduleFormat` on create.
    #[test]
    fn cronjob_schedule_validation() {
        let tz = "cannot use TZ or CRON_TZ in schedule, use timeZone field instead";
        assert!(validate_cronjob_schedule("*/5 * * * *").is_empty());
        assert!(validate_cronjob_schedule("@hourly").is_empty());
        assert_eq!(validate_cronjob_schedule(""), vec!["Required value"]);
        assert_eq!(validate_cronjob_schedule("TZ=UTC 0 0 * * *"), vec![tz]);
        assert_eq!(validate_cronjob_schedule("CRON_TZ=UTC 0 0 * * *"), vec![tz]);
        assert_eq!(
            validate_cronjob_schedule("TZ=Nowhere 0 0 * * *"),
            vec![
                "provided bad location Nowhere: unknown time zone Nowhere",
                tz
            ]
        );
        assert_eq!(
            validate_cronjob_schedule("0 0 * * * TZ"),
            vec!["expected exactly 5 fields, found 6: [0 0 * * * TZ]", tz]
        );
        assert_eq!(
            validate_cronjob_schedule("TZ=UTC"),
            vec![CronError::TimeZoneWithoutFields.to_string()]
        );
        assert_eq!(
            validate_cronjob_schedule("60 * * * *"),
            vec!["end of range (60) above maximum (59): 60"]
        );
    }

    #[test]
    fn atoi_matches_go() {
        assert_eq!(atoi("42"), Ok(42));
        assert_eq!(atoi("+42"), Ok(42));
        assert_eq!(atoi("-42"), Ok(-42));
        assert_eq!(atoi("007"), Ok(7));
        assert_eq!(atoi("9223372036854775807"), Ok(i64::MAX));
        assert_eq!(atoi("-9223372036854775808"), Ok(i64::MIN));
        assert!(atoi("9223372036854775808")
            .unwrap_err()
            .ends_with("value out of range"));
        assert!(atoi("").unwrap_err().ends_with("invalid syntax"));
        assert!(atoi("+").unwrap_err().ends_with("invalid syntax"));
        assert!(atoi("1_000").unwrap_err().ends_with("invalid syntax"));
        assert!(atoi(" 1").unwrap_err().ends_with("invalid syntax"));
        assert_eq!(strconv_quote("a\"b\n"), "\"a\\\"b\\n\"");
    }
}
