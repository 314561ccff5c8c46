//! `invalid-schedule`: a CronJob's `spec.schedule` or `spec.timeZone` that the API server
//! refuses (kubernetes `pkg/apis/batch/validation` `validateCronJobSpec`: robfig/cron's
//! `ParseStandard`, no `TZ=`/`CRON_TZ=` in the schedule, `validateTimeZone`).
//!
//! Versions: `TZ=`/`CRON_TZ=` in a schedule is refused on create from 1.29 (1.22 to 1.28 only
//! warn); `spec.timeZone` is read from 1.25 (its gate was off before, and the field dropped).

use super::api_fields::{str_at, FieldError};
use super::{Context, Finding, Rule};
use crate::k8s::cron::{parse_standard, CronError};
use crate::k8s::validate_cronjob_time_zone;
use serde_json::Value;

declare_rule! {
    pub struct InvalidSchedule {
        id: "invalid-schedule",
        severity: Error,
        category: Correctness,
        inspects: Kinds(("batch", "CronJob")),
    }
}

/// First minor version that refuses `TZ=`/`CRON_TZ=` in a new CronJob's schedule.
const TZ_IN_SCHEDULE_REFUSED: u32 = 29;
/// First minor version whose API server reads `spec.timeZone` by default.
const TIME_ZONE_FIELD: u32 = 25;

/// The zone a `TZ=`/`CRON_TZ=` prefix names, if the schedule starts with one.
fn prefix_zone(schedule: &str) -> Option<&str> {
    let rest = schedule
        .strip_prefix("CRON_TZ=")
        .or_else(|| schedule.strip_prefix("TZ="))?;
    Some(rest.split(' ').next().unwrap_or(rest))
}

/// The help for a schedule the parser refuses.
fn parse_help(e: &CronError) -> String {
    match e {
        // A Quartz/Spring expression: seconds first (and a year last, with seven fields).
        CronError::SixFields { fields } | CronError::FieldCount { fields } if (6..=7).contains(&fields.len()) => {
            let five = fields[1..6].join(" ").replace('?', "*");
            let dropped = if fields.len() == 7 { "the seconds and year fields" } else { "the seconds field" };
            format!(
                "{}; drop {dropped}: `{five}`",
                e.help().unwrap_or("Kubernetes takes five fields: minute hour day-of-month month day-of-week")
            )
        }
        CronError::UnknownDescriptor(_) => "use one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly or `@every <duration>`, or five fields".to_string(),
        CronError::Field(m) if e.help().is_none() && (m.contains("above maximum") || m.contains("below minimum")) => {
            "keep each field in range: minute 0-59, hour 0-23, day of month 1-31, month 1-12 (or jan-dec), day of week 0-6 (or sun-sat; 7 is not Sunday)".to_string()
        }
        _ => e.help().map(str::to_string).unwrap_or_else(|| {
            "write five fields — minute hour day-of-month month day-of-week (`30 2 * * 1-5`) — or a descriptor such as @daily".to_string()
        }),
    }
}

impl Rule for InvalidSchedule {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let o = cx.object.value();
        let minor = cx.options.minor;
        if let Some(schedule) = str_at(o, "/spec/schedule") {
            let at = "/spec/schedule";
            let value = Value::from(schedule);
            if schedule.is_empty() {
                out.push(
                    FieldError::required(at, "")
                        .finding(InvalidSchedule::ID)
                        .at(super::Target::Value)
                        .label("empty schedule")
                        .help("give a five-field cron schedule such as `0 3 * * *`"),
                );
            } else {
                match parse_standard(schedule) {
                    Ok(_) => {}
                    Err(e) => out.push(
                        FieldError::invalid(at, &value, e.to_string())
                            .finding(InvalidSchedule::ID)
                            .label(match e {
                                CronError::SixFields { .. } => "six fields: a seconds field?",
                                CronError::FieldCount { .. } => "not five fields",
                                _ => "not a valid schedule",
                            })
                            .help(parse_help(&e)),
                    ),
                }
                if minor >= TZ_IN_SCHEDULE_REFUSED && schedule.contains("TZ") {
                    let help = match prefix_zone(schedule) {
                        Some(zone) if !zone.is_empty() => format!(
                            "remove the prefix and set `spec.timeZone: {zone}` (the field exists from Kubernetes 1.25)"
                        ),
                        _ => "remove TZ/CRON_TZ from the schedule and set `spec.timeZone` instead".to_string(),
                    };
                    out.push(
                        FieldError::invalid(
                            at,
                            &value,
                            "cannot use TZ or CRON_TZ in schedule, use timeZone field instead",
                        )
                        .finding(InvalidSchedule::ID)
                        .label("time zone in the schedule")
                        .help(help),
                    );
                }
            }
        }
        if minor >= TIME_ZONE_FIELD {
            if let Some(zone) = str_at(o, "/spec/timeZone") {
                let value = Value::from(zone);
                for msg in validate_cronjob_time_zone(zone) {
                    out.push(
                        FieldError::invalid("/spec/timeZone", &value, msg)
                            .finding(InvalidSchedule::ID)
                            .label(if zone.eq_ignore_ascii_case("Local") { "not an explicit time zone" } else { "not a time zone the API server knows" })
                            .help("use an IANA time zone name such as `Etc/UTC` or `Europe/Berlin` (names are case-sensitive), or leave `timeZone` out"),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(spec: &str, minor: u32) -> Vec<String> {
        let text = format!(
            "apiVersion: batch/v1\nkind: CronJob\nmetadata: {{name: c}}\nspec:\n{spec}\n  jobTemplate: {{spec: {{template: {{spec: {{restartPolicy: Never, containers: [{{name: c, image: 'x:1'}}]}}}}}}}}\n"
        );
        crate::rules::api_fields::run(&InvalidSchedule, &text, minor)
            .into_iter()
            .map(|f| f.message)
            .collect()
    }

    #[test]
    fn schedules_as_the_api_server_reads_them() {
        for ok in [
            "'@hourly'",
            "'*/5 0-6 * * 1-5'",
            "'@every 90m'",
            "'0 0 31 2 *'",
            "'0 9 * * MON-FRI'",
        ] {
            assert!(messages(&format!("  schedule: {ok}"), 37).is_empty(), "{ok}");
        }
        for (bad, want) in [
            ("'every 5 minutes'", "expected exactly 5 fields, found 3"),
            ("'0 */5 * * * *'", "expected exactly 5 fields, found 6"),
            ("'60 * * * *'", "above maximum"),
            ("'@fortnightly'", "unrecognized descriptor"),
            ("''", "spec.schedule: Required value"),
        ] {
            let m = messages(&format!("  schedule: {bad}"), 37);
            assert_eq!(m.len(), 1, "{bad}: {m:?}");
            assert!(m[0].contains(want), "{bad}: {m:?}");
        }
    }

    #[test]
    fn time_zones_in_the_schedule_are_refused_from_1_29() {
        let spec = "  schedule: 'CRON_TZ=Europe/Paris 0 3 * * *'";
        assert_eq!(
            messages(spec, 29),
            ["spec.schedule: Invalid value: \"CRON_TZ=Europe/Paris 0 3 * * *\": cannot use TZ or CRON_TZ in schedule, use timeZone field instead"]
        );
        assert!(messages(spec, 28).is_empty());
        // A zone the parser does not know is refused by the parser itself, on every version.
        assert_eq!(messages("  schedule: 'TZ=Mars/Olympus 0 3 * * *'", 28).len(), 1);
        assert_eq!(prefix_zone("TZ=UTC 0 * * * *"), Some("UTC"));
        assert_eq!(prefix_zone("0 * * * *"), None);
    }

    #[test]
    fn the_time_zone_field_from_1_25() {
        let spec = |tz: &str| format!("  schedule: '0 3 * * *'\n  timeZone: {tz}");
        assert!(messages(&spec("Europe/Berlin"), 37).is_empty());
        assert!(messages(&spec("Etc/UTC"), 37).is_empty());
        assert_eq!(
            messages(&spec("Europe/Munich"), 37),
            ["spec.timeZone: Invalid value: \"Europe/Munich\": unknown time zone Europe/Munich"]
        );
        assert_eq!(messages(&spec("Local"), 37).len(), 1);
        assert_eq!(messages(&spec("''"), 37).len(), 1);
        assert!(messages(&spec("Europe/Munich"), 24).is_empty());
    }
}
