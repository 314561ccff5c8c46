//! `IntOrString` values that hold a count or a percentage (`maxSurge: 25%`, `minAvailable: 2`),
//! as the apps and policy validations judge them (kubernetes `pkg/apis/apps/validation`
//! `ValidatePositiveIntOrPercent`, `IsNotMoreThan100Percent`, `getIntOrPercentValue`).
//!
//! A YAML number is the integer form; anything quoted is the string form, which must be a
//! percentage (`"5"` is refused, `5` is not). The value a zero test sees is the percentage's
//! number for a valid percentage, otherwise Go's `IntOrString.IntValue()`: the integer, or the
//! string read as a decimal integer (0 when it is not one).

use super::names::is_valid_percent;

/// A count or a percentage, as written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IntOrPercent<'a> {
    Int(i64),
    Str(&'a str),
}

/// The API server's message for a negative count.
pub const NEGATIVE: &str = "must be greater than or equal to 0";

impl IntOrPercent<'_> {
    /// The number of a valid percentage (`"25%"` → 25), `None` for anything else.
    pub fn percent(&self) -> Option<i64> {
        match self {
            IntOrPercent::Str(s) if is_valid_percent(s).is_empty() => {
                Some(go_atoi(&s[..s.len() - 1]))
            }
            _ => None,
        }
    }

    /// `getIntOrPercentValue`: what the validation compares with zero.
    pub fn value(&self) -> i64 {
        match (self.percent(), self) {
            (Some(p), _) => p,
            (None, IntOrPercent::Int(n)) => *n,
            (None, IntOrPercent::Str(s)) => go_atoi(s),
        }
    }

    /// `ValidatePositiveIntOrPercent` (which, despite its name, accepts 0): a percentage
    /// string, or a non-negative integer. The API server's messages, empty when valid.
    pub fn validate(&self) -> Vec<String> {
        match self {
            IntOrPercent::Str(s) => is_valid_percent(s),
            IntOrPercent::Int(n) if *n < 0 => vec![NEGATIVE.to_string()],
            IntOrPercent::Int(_) => Vec::new(),
        }
    }

    /// `IsNotMoreThan100Percent`: a valid percentage above 100% is refused; integers and
    /// invalid strings are not this check's concern.
    pub fn over_100_percent(&self) -> Option<&'static str> {
        match self.percent() {
            Some(p) if p > 100 => Some("must not be greater than 100%"),
            _ => None,
        }
    }
}

/// Go's `strconv.Atoi` as `IntValue()` uses it: an optional sign and decimal digits that fit
/// in 64 bits, otherwise 0.
fn go_atoi(s: &str) -> i64 {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return 0;
    }
    s.parse().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::IntOrPercent::{Int, Str};

    #[test]
    fn percentages_and_counts() {
        // (value, validation messages, over 100%, value compared with zero)
        for (v, valid, over, value) in [
            (Int(0), true, false, 0),
            (Int(3), true, false, 3),
            (Int(-1), false, false, -1),
            (Str("0%"), true, false, 0),
            (Str("25%"), true, false, 25),
            (Str("100%"), true, false, 100),
            (Str("101%"), true, true, 101),
            (Str("250%"), true, true, 250),
            (Str("5"), false, false, 5),
            (Str("0"), false, false, 0),
            (Str("-5%"), false, false, 0),
            (Str("2.5%"), false, false, 0),
            (Str("%"), false, false, 0),
            (Str(""), false, false, 0),
            (Str("one"), false, false, 0),
            (Str(" 5%"), false, false, 0),
        ] {
            assert_eq!(v.validate().is_empty(), valid, "{v:?}");
            assert_eq!(v.over_100_percent().is_some(), over, "{v:?}");
            assert_eq!(v.value(), value, "{v:?}");
        }
        assert_eq!(Int(-2).validate(), [super::NEGATIVE]);
        assert!(Str("5").validate()[0].starts_with("a valid percent string must be"));
    }
}
