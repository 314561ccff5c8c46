//! Time zone names as Kubernetes checks them: a CronJob's `spec.timeZone`
//! (kubernetes `pkg/apis/batch/validation` `validateTimeZone`) and the `TZ=`/`CRON_TZ=` prefix
//! cron itself understands (Go's `time.LoadLocation`).
//!
//! The zone database is the IANA one as shipped by the `chrono-tz` crate; the API server uses
//! the one embedded in its Go binary, so a zone added or renamed by a very recent tzdata
//! release may be judged differently. Names are case-sensitive (`europe/paris` is unknown),
//! `UTC` is always known, and `Local` is refused by the CronJob validation although Go accepts
//! it.

use std::str::FromStr;

use chrono_tz::Tz;

/// Go's `time.LoadLocation`: `Ok` for `""`, `UTC`, `Local` and names in the tz database;
/// otherwise Go's error text.
pub fn load_location(name: &str) -> Result<(), String> {
    if name.is_empty() || name == "UTC" || name == "Local" {
        return Ok(());
    }
    if name.contains("..") || name.starts_with('/') || name.starts_with('\\') {
        return Err("time: invalid location name".to_string());
    }
    if Tz::from_str(name).is_ok() {
        Ok(())
    } else {
        Err(format!("unknown time zone {name}"))
    }
}

/// One `/`-separated part of a zone name as the CronJob validation allows it:
/// `[A-Za-z.\-_0-9+]{1,14}`, not `.`/`..`, not starting with `-`.
fn valid_part(part: &str) -> bool {
    (1..=14).contains(&part.len())
        && part != "."
        && part != ".."
        && !part.starts_with('-')
        && part
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b'_' | b'+'))
}

/// kubernetes `validateTimeZone` for a set `spec.timeZone`: the messages the API server gives,
/// empty when the zone is accepted.
pub fn validate_cronjob_time_zone(time_zone: &str) -> Vec<String> {
    if time_zone.is_empty() {
        return vec!["timeZone must be nil or non-empty string".to_string()];
    }
    if !time_zone.split('/').all(valid_part) {
        return vec![format!("unknown time zone {time_zone}")];
    }
    let mut errs = Vec::new();
    if time_zone.eq_ignore_ascii_case("Local") {
        errs.push(
            "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"
                .to_string(),
        );
    }
    if let Err(e) = load_location(time_zone) {
        errs.push(e);
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Mirrors kubernetes batch validation_test.go's time zone cases and Go's LoadLocation.
    #[test]
    fn cronjob_time_zones() {
        for tz in [
            "UTC",
            "Etc/UTC",
            "Europe/Paris",
            "America/New_York",
            "America/Argentina/Buenos_Aires",
            "America/Argentina/ComodRivadavia",
            "Asia/Kolkata",
            "Etc/GMT+5",
            "Etc/GMT-14",
            "US/Eastern",
            "GMT",
            "EST5EDT",
        ] {
            assert_eq!(validate_cronjob_time_zone(tz), Vec::<String>::new(), "{tz}");
        }
        let unknown = |tz: &str| vec![format!("unknown time zone {tz}")];
        assert_eq!(
            validate_cronjob_time_zone(""),
            vec!["timeZone must be nil or non-empty string"]
        );
        assert_eq!(
            validate_cronjob_time_zone("Local"),
            vec!["timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"]
        );
        assert_eq!(
            validate_cronjob_time_zone("local"),
            vec![
                "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones".to_string(),
                "unknown time zone local".to_string()
            ]
        );
        for tz in [
            "europe/paris",
            "utc",
            "Europe/Pariss",
            "Mars/Olympus_Mons",
            "America/Argentina/Buenos_Aires_Extra",
        ] {
            assert_eq!(validate_cronjob_time_zone(tz), unknown(tz), "{tz}");
        }
        // Character rules refuse before any lookup.
        for tz in [
            "/Europe/Paris",
            "Europe/Paris/",
            "Europe//Paris",
            "Europe/../Paris",
            "./UTC",
            "-0500",
            "Europe/Paris ",
            "UTC+01:00",
            "Europe/Parisssssssss",
            "Éurope/Paris",
        ] {
            assert_eq!(validate_cronjob_time_zone(tz), unknown(tz), "{tz:?}");
        }
        // A part with ".." inside passes the character rule; Go refuses the name.
        assert_eq!(
            validate_cronjob_time_zone("Europe/Pa..ris"),
            vec!["time: invalid location name"]
        );
    }

    #[test]
    fn go_load_location() {
        assert_eq!(load_location(""), Ok(()));
        assert_eq!(load_location("UTC"), Ok(()));
        assert_eq!(load_location("Local"), Ok(()));
        assert_eq!(load_location("Asia/Tokyo"), Ok(()));
        assert_eq!(
            load_location("/etc/localtime"),
            Err("time: invalid location name".to_string())
        );
        assert_eq!(
            load_location("Nowhere/City"),
            Err("unknown time zone Nowhere/City".to_string())
        );
    }
}
