//! The `resource.Quantity` grammar and arithmetic, as apimachinery's `ParseQuantity` reads it
//! (`pkg/api/resource/quantity.go`, `suffix.go`, `amount.go`, `math.go`).
//!
//! A quantity is `<sign>?<digits>(.<digits>)?<suffix>` where the suffix is a binary SI unit
//! (`Ki` … `Ei`), a decimal SI unit (`n u m "" k M G T P E`) or a decimal exponent
//! (`e`/`E` followed by a signed integer). The scanner upstream is more forgiving than that
//! description, and this module follows the scanner, not the description:
//!
//! - `.`, `+`, `-`, `5.`, `.5`, `1.G`, `Ki`, `m`, `e3`, `00012` all parse (the digits may be
//!   missing on either side of the point, or altogether);
//! - `1 Gi`, ` 1`, `1 `, `0x10`, `1K`, `1ki`, `1.5.5Gi`, `1Ki0`, `1e`, `1e-`, `1e3.5` and the
//!   empty string do not;
//! - values are rounded *away from zero* to a multiple of 10⁻⁹ (`0.1n` is `1n`), binary-suffixed
//!   values are capped at 2⁶³−1 in magnitude, decimal ones are not capped at all (`1e300` is
//!   fine);
//! - the exponent after `e` is read as a 64-bit integer and then truncated to 32 bits, so
//!   `1e4294967296` is 1 (upstream does exactly that).
//!
//! Values are exact (big integers, never floating point). Besides the value, a [`Quantity`]
//! keeps the representation upstream would hold (a scaled `int64` or an arbitrary-precision
//! decimal), because a few upstream answers depend on it: `AsInt64` (and so CEL's
//! `isInteger()`/`asInteger()`) only succeeds for the scaled-`int64` form with a non-negative
//! scale, and `String()` returns the input unchanged when it was already canonical.
//!
//! Upstream may run for a very long time on absurd exponents (it materialises 10^|exponent|);
//! here such inputs parse in constant time to the value upstream's arithmetic defines.

use std::cmp::Ordering;
use std::fmt;

use num_bigint::{BigInt, BigUint, Sign};
use num_integer::Integer;
use num_traits::{One, Pow, Signed, ToPrimitive, Zero};

/// How a quantity was written, and how upstream prints it back.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum QuantityFormat {
    /// `Ki`, `Mi`, `Gi`, `Ti`, `Pi`, `Ei` (powers of 1024).
    BinarySI,
    /// `n`, `u`, `m`, no suffix, `k`, `M`, `G`, `T`, `P`, `E` (powers of 1000).
    DecimalSI,
    /// `e<n>` or `E<n>` (powers of ten).
    DecimalExponent,
}

/// Why a string is not a quantity. `Display` gives upstream's error text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuantityError {
    /// The string does not have the overall shape (upstream `ErrFormatWrong`).
    FormatWrong,
    /// The number part has no digit where one is needed (upstream `ErrNumeric`).
    Numeric,
    /// The suffix is not a known unit or exponent (upstream `ErrSuffix`).
    Suffix,
}

impl fmt::Display for QuantityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            QuantityError::FormatWrong => {
                "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
            }
            QuantityError::Numeric => "unable to parse numeric part of quantity",
            QuantityError::Suffix => "unable to parse quantity's suffix",
        })
    }
}

impl std::error::Error for QuantityError {}

/// The value in the representation upstream would hold.
#[derive(Clone, Debug)]
enum Amount {
    /// `int64Amount`: `value × 10^scale`.
    Int { value: i64, scale: i32 },
    /// `inf.Dec`: `unscaled × 10^(−scale)` (inf's scale counts digits after the point).
    Dec { unscaled: BigInt, scale: i32 },
}

/// A parsed Kubernetes quantity: an exact signed decimal plus how it was written.
#[derive(Clone, Debug)]
pub struct Quantity {
    amount: Amount,
    format: QuantityFormat,
    /// The suffix as written, for parsed quantities.
    suffix: Option<String>,
    /// What upstream's `String()` returns without recomputing (the input, when canonical).
    cached: Option<String>,
}

/// Exponents further apart than this are not aligned for addition (the exact sum would need
/// more digits than any real manifest has); [`Quantity::checked_add`] returns `None` instead.
const MAX_ALIGN_DIGITS: i64 = 100_000;

/// Parses `s` exactly as upstream `resource.ParseQuantity` does.
pub fn parse_quantity(s: &str) -> Result<Quantity, QuantityError> {
    Quantity::parse(s)
}

/// Parses `s` as a quantity field of a JSON/YAML object is decoded (`Quantity.UnmarshalJSON`
/// trims Unicode white space first, so `" 1Gi "` is accepted there).
pub fn parse_quantity_field(s: &str) -> Result<Quantity, QuantityError> {
    Quantity::parse(s.trim())
}

/// The pieces upstream's `parseQuantityString` cuts a string into.
struct Scanned<'a> {
    positive: bool,
    /// The signed number as written (sign, digits, point), used by the decimal path.
    value: &'a str,
    /// Integer digits without leading zeros ("0" when there were none).
    num: &'a str,
    /// Fraction digits as written.
    denom: &'a str,
    suffix: &'a str,
}

const SUFFIX_CHARS: &[u8] = b"eEinumkKMGTP";

/// Port of `parseQuantityString`: a forgiving scan, checked by the suffix lookup afterwards.
fn scan(s: &str) -> Result<Scanned<'_>, QuantityError> {
    let b = s.as_bytes();
    let end = b.len();
    let mut pos = 0;
    let mut positive = true;
    if let Some(&c) = b.first() {
        if c == b'-' {
            positive = false;
            pos += 1;
        } else if c == b'+' {
            pos += 1;
        }
    }
    let whole = |num, denom, suffix| Scanned {
        positive,
        value: s,
        num,
        denom,
        suffix,
    };
    // Leading zeros are dropped; only zeros (or nothing) means zero.
    while pos < end && b[pos] == b'0' {
        pos += 1;
    }
    if pos >= end {
        return Ok(Scanned {
            positive,
            value: "0",
            num: "0",
            denom: "",
            suffix: "",
        });
    }
    let start = pos;
    while pos < end && b[pos].is_ascii_digit() {
        pos += 1;
    }
    if pos >= end {
        return Ok(whole(&s[start..], "", ""));
    }
    let num = if pos == start { "0" } else { &s[start..pos] };
    let mut denom = "";
    if b[pos] == b'.' {
        pos += 1;
        let start = pos;
        while pos < end && b[pos].is_ascii_digit() {
            pos += 1;
        }
        if pos >= end {
            return Ok(whole(num, &s[start..], ""));
        }
        denom = &s[start..pos];
    }
    let value = &s[..pos];
    let suffix_start = pos;
    while pos < end && SUFFIX_CHARS.contains(&b[pos]) {
        pos += 1;
    }
    let done = |pos: usize| Scanned {
        positive,
        value,
        num,
        denom,
        suffix: &s[suffix_start..pos],
    };
    if pos >= end {
        return Ok(done(end));
    }
    if b[pos] == b'-' || b[pos] == b'+' {
        pos += 1;
    }
    while pos < end && b[pos].is_ascii_digit() {
        pos += 1;
    }
    if pos >= end {
        return Ok(done(end));
    }
    Err(QuantityError::FormatWrong)
}

/// Port of the suffixer's `interpret`: (base, exponent, format).
fn interpret_suffix(suffix: &str) -> Option<(u32, i32, QuantityFormat)> {
    use QuantityFormat::*;
    let known = match suffix {
        "" => (10, 0, DecimalSI),
        "n" => (10, -9, DecimalSI),
        "u" => (10, -6, DecimalSI),
        "m" => (10, -3, DecimalSI),
        "k" => (10, 3, DecimalSI),
        "M" => (10, 6, DecimalSI),
        "G" => (10, 9, DecimalSI),
        "T" => (10, 12, DecimalSI),
        "P" => (10, 15, DecimalSI),
        "E" => (10, 18, DecimalSI),
        "Ki" => (2, 10, BinarySI),
        "Mi" => (2, 20, BinarySI),
        "Gi" => (2, 30, BinarySI),
        "Ti" => (2, 40, BinarySI),
        "Pi" => (2, 50, BinarySI),
        "Ei" => (2, 60, BinarySI),
        _ => {
            let rest = suffix
                .strip_prefix('e')
                .or_else(|| suffix.strip_prefix('E'))
                .filter(|r| !r.is_empty())?;
            // Read as int64, then truncated to int32, as upstream does.
            let parsed: i64 = rest.parse().ok()?;
            return Some((10, parsed as i32, DecimalExponent));
        }
    };
    Some(known)
}

impl Quantity {
    /// Parses `s` exactly as upstream `resource.ParseQuantity` does.
    pub fn parse(s: &str) -> Result<Quantity, QuantityError> {
        if s.is_empty() {
            return Err(QuantityError::FormatWrong);
        }
        if s == "0" {
            return Ok(Quantity {
                amount: Amount::Int { value: 0, scale: 0 },
                format: QuantityFormat::DecimalSI,
                suffix: Some(String::new()),
                cached: Some("0".to_string()),
            });
        }
        let sc = scan(s)?;
        let (base, exponent, mut format) =
            interpret_suffix(sc.suffix).ok_or(QuantityError::Suffix)?;
        let written = Some(sc.suffix.to_string());

        // The scaled-int64 fast path, taken under the same conditions as upstream.
        let digits = (sc.num.len() + sc.denom.len()) as i32;
        let (precision, mut scale, mantissa) = match format {
            QuantityFormat::DecimalSI | QuantityFormat::DecimalExponent => {
                (18 - digits, exponent, 1i64)
            }
            QuantityFormat::BinarySI if sc.denom.is_empty() => (
                15 - sc.num.len() as i32 - exponent * 3 / 10 - 1,
                0,
                1i64 << exponent,
            ),
            QuantityFormat::BinarySI => (-1, 0, 1),
        };
        if precision >= 0 {
            scale = scale.wrapping_sub(sc.denom.len() as i32);
            if scale >= -9 {
                let shifted = format!("{}{}", sc.num, sc.denom);
                let value: i64 = shifted.parse().map_err(|_| QuantityError::Numeric)?;
                if let Some(mut result) = value.checked_mul(mantissa) {
                    if !sc.positive {
                        result = -result;
                    }
                    let canonical = match format {
                        QuantityFormat::BinarySI => exponent % 10 == 0 && value & 7 != 0,
                        _ => {
                            scale % 3 == 0 && !shifted.ends_with("000") && !shifted.starts_with('0')
                        }
                    };
                    return Ok(Quantity {
                        amount: Amount::Int {
                            value: result,
                            scale,
                        },
                        format,
                        suffix: written,
                        cached: canonical.then(|| s.to_string()),
                    });
                }
            }
        }

        // The arbitrary-precision path.
        let (mut unscaled, mut dscale) = parse_decimal(sc.value).ok_or(QuantityError::Numeric)?;
        if base == 10 {
            dscale = dscale.wrapping_add(exponent.wrapping_neg());
        } else {
            unscaled <<= exponent as usize;
        }
        let negative = unscaled.is_negative();
        let mut magnitude = unscaled.magnitude().clone();
        if !magnitude.is_zero() {
            (magnitude, dscale) = round_up_to_nano(magnitude, dscale);
        } else if dscale.unsigned_abs() > 400 {
            // A zero written with an absurd exponent: the scale carries no information.
            dscale = 0;
        }
        if format == QuantityFormat::BinarySI {
            let max = BigUint::from(i64::MAX as u64);
            if cmp_magnitudes(&magnitude, -(dscale as i64), &max, 0) == Ordering::Greater {
                magnitude = max;
                dscale = 0;
            }
            if !magnitude.is_zero()
                && cmp_magnitudes(&magnitude, -(dscale as i64), &BigUint::one(), 0)
                    == Ordering::Less
            {
                format = QuantityFormat::DecimalSI;
            }
        }
        let sign = if negative { Sign::Minus } else { Sign::Plus };
        Ok(Quantity {
            amount: Amount::Dec {
                unscaled: BigInt::from_biguint(sign, magnitude),
                scale: dscale,
            },
            format,
            suffix: written,
            cached: None,
        })
    }

    /// A quantity holding `value` in the given format (upstream `NewQuantity`).
    pub fn from_i64(value: i64, format: QuantityFormat) -> Quantity {
        Quantity {
            amount: Amount::Int { value, scale: 0 },
            format,
            suffix: None,
            cached: None,
        }
    }

    /// The format family the quantity was written in (and is printed in).
    pub fn format(&self) -> QuantityFormat {
        self.format
    }

    /// The suffix exactly as written (`"Ki"`, `"m"`, `"e3"`, `""`); `None` for results of
    /// arithmetic.
    pub fn written_suffix(&self) -> Option<&str> {
        self.suffix.as_deref()
    }

    /// −1, 0 or 1.
    pub fn sign(&self) -> i32 {
        match &self.amount {
            Amount::Int { value, .. } => value.signum() as i32,
            Amount::Dec { unscaled, .. } => match unscaled.sign() {
                Sign::Minus => -1,
                Sign::NoSign => 0,
                Sign::Plus => 1,
            },
        }
    }

    /// Whether the value is zero.
    pub fn is_zero(&self) -> bool {
        self.sign() == 0
    }

    /// Whether the value is below zero.
    pub fn is_negative(&self) -> bool {
        self.sign() < 0
    }

    /// Whether the value is a whole number (exact test, whatever the representation).
    pub fn is_whole(&self) -> bool {
        let (_, mag, exp) = self.parts();
        mag.is_zero() || exp >= 0 || {
            let divisor = BigUint::from(10u32).pow((-exp) as u64);
            (&mag % divisor).is_zero()
        }
    }

    /// Upstream `AsInt64`: the value as an `i64` when upstream holds it as a scaled `int64`
    /// with a non-negative scale and it fits. This is representation-dependent on purpose:
    /// `1.5Ki`, `1.0`, `1000m` and 19-digit numbers give `None` although their values may
    /// be whole. Use [`Quantity::is_whole`] for the arithmetic question.
    pub fn as_i64(&self) -> Option<i64> {
        match self.amount {
            Amount::Int { value, scale } if scale >= 0 => positive_scale_i64(value, scale as i64),
            _ => None,
        }
    }

    /// CEL's `isInteger()`: whether [`Quantity::as_i64`] succeeds.
    pub fn is_integer(&self) -> bool {
        self.as_i64().is_some()
    }

    /// Upstream `AsApproximateFloat64` (CEL's `asApproximateFloat()`), computed the same way
    /// (mantissa as a float times Go's `math.Pow10` of the exponent), so the same `f64`.
    pub fn as_approximate_f64(&self) -> f64 {
        let (base, exponent) = match &self.amount {
            Amount::Int { value, scale } => (*value as f64, *scale as i64),
            Amount::Dec { unscaled, scale } => {
                (unscaled.to_f64().unwrap_or(f64::NAN), -(*scale as i64))
            }
        };
        if exponent == 0 {
            base
        } else {
            base * go_pow10(exponent)
        }
    }

    /// `self + other` with upstream's rules for the result's representation and format (a zero
    /// receiver takes the other's format). `None` only when the two exponents are more than
    /// 100,000 decimal places apart.
    pub fn checked_add(&self, other: &Quantity) -> Option<Quantity> {
        let mut q = self.arith_copy();
        if let (
            Amount::Int {
                value: a,
                scale: sa,
            },
            Amount::Int {
                value: b,
                scale: sb,
            },
        ) = (&q.amount, &other.amount)
        {
            if *a == 0 {
                q.format = other.format;
            }
            if let Some((value, scale)) = int_add((*a, *sa), (*b, *sb)) {
                q.amount = Amount::Int { value, scale };
                return Some(q);
            }
        } else if q.is_zero() {
            q.format = other.format;
        }
        q.amount = dec_add(q.dec(), other.dec(), false)?;
        Some(q)
    }

    /// `self − other`, with upstream's rules (see [`Quantity::checked_add`]).
    pub fn checked_sub(&self, other: &Quantity) -> Option<Quantity> {
        let mut q = self.arith_copy();
        if q.is_zero() {
            q.format = other.format;
        }
        if let (
            Amount::Int {
                value: a,
                scale: sa,
            },
            Amount::Int {
                value: b,
                scale: sb,
            },
        ) = (&q.amount, &other.amount)
        {
            if let Some((value, scale)) = int_add((*a, *sa), (b.wrapping_neg(), *sb)) {
                q.amount = Amount::Int { value, scale };
                return Some(q);
            }
        }
        q.amount = dec_add(q.dec(), other.dec(), true)?;
        Some(q)
    }

    /// Upstream `String()`: the canonical form (`1.5` → `1500m`, `1.5Gi` → `1536Mi`), or the
    /// input itself when upstream recognised it as canonical while parsing.
    pub fn canonical(&self) -> String {
        if let Some(cached) = &self.cached {
            return cached.clone();
        }
        if self.is_zero() {
            return "0".to_string();
        }
        let mut format = self.format;
        if format == QuantityFormat::BinarySI {
            let small = self.cmp(&Quantity::from_i64(-1024, format)) == Ordering::Greater
                && self.cmp(&Quantity::from_i64(1024, format)) == Ordering::Less;
            if small || !self.is_whole() {
                format = QuantityFormat::DecimalSI;
            }
        }
        let (sign, mut mag, mut exp) = self.parts();
        let minus = if sign == Sign::Minus { "-" } else { "" };
        if format == QuantityFormat::BinarySI {
            // Whole and at least 1024 in magnitude: count factors of 1024.
            let ten_exp = BigUint::from(10u32).pow(exp.unsigned_abs());
            mag = if exp >= 0 {
                mag * ten_exp
            } else {
                mag / ten_exp
            };
            let k = BigUint::from(1024u32);
            let mut times = 0;
            loop {
                let (q, r) = mag.div_rem(&k);
                if !r.is_zero() {
                    break;
                }
                mag = q;
                times += 1;
            }
            let suffix = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"]
                .get(times)
                .copied()
                .unwrap_or("");
            return format!("{minus}{mag}{suffix}");
        }
        let ten = BigUint::from(10u32);
        loop {
            let (q, r) = mag.div_rem(&ten);
            if !r.is_zero() {
                break;
            }
            mag = q;
            exp += 1;
        }
        while exp.rem_euclid(3) != 0 {
            mag *= &ten;
            exp -= 1;
        }
        let suffix = match format {
            QuantityFormat::DecimalExponent if exp == 0 => String::new(),
            QuantityFormat::DecimalExponent => format!("e{exp}"),
            // Upstream drops a decimal SI suffix it has no letter for (1000E prints as "1").
            _ => match exp {
                -9 => "n",
                -6 => "u",
                -3 => "m",
                3 => "k",
                6 => "M",
                9 => "G",
                12 => "T",
                15 => "P",
                18 => "E",
                _ => "",
            }
            .to_string(),
        };
        format!("{minus}{mag}{suffix}")
    }

    fn arith_copy(&self) -> Quantity {
        Quantity {
            amount: self.amount.clone(),
            format: self.format,
            suffix: None,
            cached: None,
        }
    }

    /// The value as an `inf.Dec` would hold it: (unscaled, scale).
    fn dec(&self) -> (BigInt, i32) {
        match &self.amount {
            Amount::Int { value, scale } => (BigInt::from(*value), scale.wrapping_neg()),
            Amount::Dec { unscaled, scale } => (unscaled.clone(), *scale),
        }
    }

    /// The exact value as (sign, magnitude, exponent): `±magnitude × 10^exponent`.
    fn parts(&self) -> (Sign, BigUint, i64) {
        match &self.amount {
            Amount::Int { value, scale } => {
                let sign = match value.signum() {
                    -1 => Sign::Minus,
                    0 => Sign::NoSign,
                    _ => Sign::Plus,
                };
                (sign, BigUint::from(value.unsigned_abs()), *scale as i64)
            }
            Amount::Dec { unscaled, scale } => (
                unscaled.sign(),
                unscaled.magnitude().clone(),
                -(*scale as i64),
            ),
        }
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.canonical())
    }
}

impl PartialEq for Quantity {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Quantity {}

impl PartialOrd for Quantity {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Quantity {
    /// Exact comparison by value (upstream `Cmp`), whatever the formats and exponents.
    fn cmp(&self, other: &Self) -> Ordering {
        let (sa, ma, ea) = self.parts();
        let (sb, mb, eb) = other.parts();
        let rank = |s: Sign| match s {
            Sign::Minus => 0,
            Sign::NoSign => 1,
            Sign::Plus => 2,
        };
        match rank(sa).cmp(&rank(sb)) {
            Ordering::Equal => {}
            unequal => return unequal,
        }
        match sa {
            Sign::NoSign => Ordering::Equal,
            Sign::Plus => cmp_magnitudes(&ma, ea, &mb, eb),
            Sign::Minus => cmp_magnitudes(&mb, eb, &ma, ea),
        }
    }
}

/// Reads `[+-]?digits?(.digits?)?` with at least one digit, as `inf.Dec.SetString` does:
/// (unscaled, number of fraction digits).
fn parse_decimal(value: &str) -> Option<(BigInt, i32)> {
    let (negative, rest) = match value.as_bytes().first() {
        Some(b'-') => (true, &value[1..]),
        Some(b'+') => (false, &value[1..]),
        _ => (false, value),
    };
    let (int_part, frac_part) = rest.split_once('.').unwrap_or((rest, ""));
    let digits = format!("{int_part}{frac_part}");
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let magnitude: BigUint = digits.parse().ok()?;
    let sign = if negative { Sign::Minus } else { Sign::Plus };
    Some((
        BigInt::from_biguint(sign, magnitude),
        frac_part.len() as i32,
    ))
}

/// Number of decimal digits of a non-zero magnitude.
fn decimal_digits(m: &BigUint) -> i64 {
    m.to_str_radix(10).len() as i64
}

/// Rounds `magnitude × 10^(−scale)` away from zero to nine fraction digits, as upstream's
/// `Round(amount, Nano, RoundUp)`; the result has scale 9 like upstream's, except when that
/// would need an absurd number of digits (scale far below zero), where the exact value is kept.
fn round_up_to_nano(magnitude: BigUint, scale: i32) -> (BigUint, i32) {
    let shift = 9 - scale as i64;
    if shift >= 0 {
        if shift <= 400 {
            (magnitude * BigUint::from(10u32).pow(shift as u64), 9)
        } else {
            // Already a whole multiple of 10^-9; upstream would materialise 10^shift here.
            (magnitude, scale)
        }
    } else {
        let drop = -shift;
        if drop > decimal_digits(&magnitude) {
            // Smaller than one nano: rounds up to exactly 1n.
            return (BigUint::one(), 9);
        }
        let (q, r) = magnitude.div_rem(&BigUint::from(10u32).pow(drop as u64));
        (if r.is_zero() { q } else { q + 1u32 }, 9)
    }
}

/// Compares `ma × 10^ea` with `mb × 10^eb` (both magnitudes), without materialising huge
/// powers of ten.
fn cmp_magnitudes(ma: &BigUint, ea: i64, mb: &BigUint, eb: i64) -> Ordering {
    match (ma.is_zero(), mb.is_zero()) {
        (true, true) => return Ordering::Equal,
        (true, false) => return Ordering::Less,
        (false, true) => return Ordering::Greater,
        _ => {}
    }
    let ta = decimal_digits(ma) + ea;
    let tb = decimal_digits(mb) + eb;
    if ta != tb {
        return ta.cmp(&tb);
    }
    // Same order of magnitude: the exponents differ by at most the digit counts.
    let e = ea.min(eb);
    let ten = BigUint::from(10u32);
    let a = ma * ten.clone().pow((ea - e) as u64);
    let b = mb * ten.pow((eb - e) as u64);
    a.cmp(&b)
}

/// Upstream `positiveScaleInt64`: `base × 10^scale`, `None` on overflow.
fn positive_scale_i64(base: i64, scale: i64) -> Option<i64> {
    if base == 0 {
        return Some(0);
    }
    if scale > 19 {
        return None;
    }
    let mut value = base;
    for _ in 0..scale {
        value = value.checked_mul(10)?;
    }
    Some(value)
}

/// Upstream `int64Amount.Add`: `None` when the scaled int64 form would overflow.
fn int_add(a: (i64, i32), b: (i64, i32)) -> Option<(i64, i32)> {
    if b.0 == 0 {
        return Some(a);
    }
    if a.0 == 0 {
        return Some(b);
    }
    match a.1.cmp(&b.1) {
        Ordering::Equal => Some((a.0.checked_add(b.0)?, a.1)),
        Ordering::Greater => {
            let c = positive_scale_i64(a.0, a.1 as i64 - b.1 as i64)?;
            Some((c.checked_add(b.0)?, b.1))
        }
        Ordering::Less => {
            let c = positive_scale_i64(b.0, b.1 as i64 - a.1 as i64)?;
            Some((a.0.checked_add(c)?, a.1))
        }
    }
}

/// `inf.Dec` addition (or subtraction): both operands rescaled to the larger scale.
fn dec_add(x: (BigInt, i32), y: (BigInt, i32), subtract: bool) -> Option<Amount> {
    let scale = x.1.max(y.1);
    let widen = |(u, s): (BigInt, i32)| -> Option<BigInt> {
        let shift = scale as i64 - s as i64;
        if shift > MAX_ALIGN_DIGITS && !u.is_zero() {
            return None;
        }
        Some(if u.is_zero() {
            u
        } else {
            u * BigInt::from(10).pow(shift as u32)
        })
    };
    let a = widen(x)?;
    let b = widen(y)?;
    let unscaled = if subtract { a - b } else { a + b };
    Some(Amount::Dec { unscaled, scale })
}

/// Go's `math.Pow10`: a product of two table entries, `+Inf` above 1e308, `0` below 1e-323.
fn go_pow10(n: i64) -> f64 {
    const TAB: [f64; 32] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22, 1e23, 1e24, 1e25, 1e26, 1e27, 1e28, 1e29, 1e30, 1e31,
    ];
    const POS32: [f64; 10] = [
        1e0, 1e32, 1e64, 1e96, 1e128, 1e160, 1e192, 1e224, 1e256, 1e288,
    ];
    const NEG32: [f64; 11] = [
        1e-0, 1e-32, 1e-64, 1e-96, 1e-128, 1e-160, 1e-192, 1e-224, 1e-256, 1e-288, 1e-320,
    ];
    if (0..=308).contains(&n) {
        POS32[(n / 32) as usize] * TAB[(n % 32) as usize]
    } else if (-323..0).contains(&n) {
        let m = -n;
        NEG32[(m / 32) as usize] / TAB[(m % 32) as usize]
    } else if n > 0 {
        f64::INFINITY
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Quantity {
        parse_quantity(s).unwrap_or_else(|e| panic!("{s:?} should parse: {e}"))
    }

    /// Mirrors `ParseQuantity` acceptance (quantity_test.go `TestQuantityParse`, invalid list).
    #[test]
    fn parse_rejects() {
        use QuantityError::*;
        let cases = [
            ("", FormatWrong),
            (" 1", FormatWrong),
            ("1 ", FormatWrong),
            ("1 Gi", FormatWrong),
            ("0x10", FormatWrong),
            ("1.5.5Gi", FormatWrong),
            ("1.1.M", FormatWrong),
            ("1+1.0M", FormatWrong),
            ("1e3.5", FormatWrong),
            ("12Mb", FormatWrong),
            ("10%", FormatWrong),
            ("1Ki0", Suffix),
            ("1K", Suffix),
            ("1ki", Suffix),
            ("1KI", FormatWrong),
            ("0.1mi", Suffix),
            ("1i", Suffix),
            (".5i", Suffix),
            ("-3.01i", Suffix),
            ("1e", Suffix),
            ("1e-", Suffix),
            ("-3.01e-", Suffix),
            ("1ee3", Suffix),
            ("1e99999999999999999999", Suffix),
            ("1-", Suffix),
            ("1mm", Suffix),
            ("aoeu", FormatWrong),
            ("0.1am", FormatWrong),
            ("1µ", FormatWrong),
            // The decimal path needs at least one digit.
            (".e-10", Numeric),
            ("-.e-10", Numeric),
            ("e-12", Numeric),
        ];
        for (input, want) in cases {
            assert_eq!(parse_quantity(input).err(), Some(want), "input {input:?}");
        }
    }

    /// Mirrors `ParseQuantity` values (quantity_test.go `TestQuantityParse` and the
    /// "written by trolls" cases), compared exactly against a plain decimal.
    #[test]
    fn parse_values() {
        let cases = [
            ("0", "0"),
            ("0Ki", "0"),
            ("-0", "0"),
            ("+", "0"),
            ("-", "0"),
            (".", "0"),
            ("Ki", "0"),
            ("m", "0"),
            ("e3", "0"),
            ("00012", "12"),
            ("1", "1"),
            ("+1", "1"),
            ("-1", "-1"),
            ("1.", "1"),
            ("5.", "5"),
            (".5", "0.5"),
            ("1.G", "1000000000"),
            ("500m", "0.5"),
            ("0.5", "500m"),
            ("1e3", "1000"),
            ("1E3", "1000"),
            ("1e+3", "1000"),
            ("1E-3", "0.001"),
            ("1.2e3", "1200"),
            ("100.035k", "100035"),
            ("1Ki", "1024"),
            ("1Gi", "1024Mi"),
            ("3Ei", "3458764513820540928"),
            ("0.5Mi", "524288"),
            ("100.035Ki", "102435.84"),
            ("5n", "0.000000005"),
            ("4u", "0.000004"),
            ("12E", "12000000000000000000"),
            // Rounded away from zero to a whole nano.
            ("3.001n", "4n"),
            ("0.9n", "1n"),
            ("1.1E-9", "2n"),
            ("0.0000000005", "1n"),
            ("-0.0000000005", "-1n"),
            ("0.00000012345", "124n"),
            ("1e-2000", "1n"),
            ("0.000000000001Ki", "2n"),
            // Binary values are capped at 2^63-1; decimal ones are not.
            ("9Ei", "9223372036854775807"),
            ("-9Ei", "-9223372036854775807"),
            ("9223372036854775807Ki", "9223372036854775807"),
            ("10E", "10000000000000000000"),
            ("99999999999999999999", "99999999999999999999"),
            // Exponents are read as int64 and truncated to int32.
            ("1e4294967296", "1"),
            ("1e4294967299", "1000"),
        ];
        for (input, want) in cases {
            assert_eq!(q(input), q(want), "input {input:?}");
        }
        assert!(q("1e300") > q("9Ei"));
        assert!(q("1e2000000000") > q("1e1999999999"));
        assert!(q("-1e2000000000") < q("-1"));
    }

    #[test]
    fn trimmed_field_parsing() {
        assert_eq!(parse_quantity_field(" 1Gi\t"), Ok(q("1Gi")));
        assert_eq!(parse_quantity(" 1Gi"), Err(QuantityError::FormatWrong));
        assert_eq!(parse_quantity_field("  "), Err(QuantityError::FormatWrong));
    }

    #[test]
    fn formats_and_written_suffix() {
        use QuantityFormat::*;
        let cases = [
            ("1Ki", BinarySI, "Ki"),
            ("0.5Ki", BinarySI, "Ki"),
            ("0.000000000001Ki", DecimalSI, "Ki"),
            ("500m", DecimalSI, "m"),
            ("1", DecimalSI, ""),
            ("1E", DecimalSI, "E"),
            ("1e3", DecimalExponent, "e3"),
            ("1E-3", DecimalExponent, "E-3"),
        ];
        for (input, format, suffix) in cases {
            let parsed = q(input);
            assert_eq!(parsed.format(), format, "input {input:?}");
            assert_eq!(parsed.written_suffix(), Some(suffix), "input {input:?}");
        }
    }

    #[test]
    fn ordering_and_sign() {
        assert_eq!(q("1Gi"), q("1024Mi"));
        assert_eq!(q("0.5"), q("500m"));
        assert_eq!(q("1k"), q("1e3"));
        assert!(q("1Gi") > q("1G"));
        assert!(q("999m") < q("1"));
        assert!(q("-1") < q("0"));
        assert!(q("-2") < q("-1"));
        assert_eq!(q("-0").sign(), 0);
        assert_eq!(q("-1m").sign(), -1);
        assert_eq!(q("1n").sign(), 1);
        assert!(q("-1Ki").is_negative());
        assert!(q("0Mi").is_zero());
        assert!(!q("1n").is_zero());
    }

    /// Mirrors `AsInt64` (quantity_test.go's AsInt64/AsDec table): only the scaled-int64
    /// form with a non-negative scale converts.
    #[test]
    fn as_i64_follows_upstream_representation() {
        let cases: [(&str, Option<i64>); 20] = [
            ("0", Some(0)),
            ("1", Some(1)),
            ("1k", Some(1000)),
            ("1e3", Some(1000)),
            ("1Ki", Some(1024)),
            ("-1E", Some(-1_000_000_000_000_000_000)),
            ("1.0E", Some(1_000_000_000_000_000_000)),
            ("999999999999999999", Some(999_999_999_999_999_999)),
            ("-999999999999999999", Some(-999_999_999_999_999_999)),
            // A negative scale never converts, even when whole.
            ("1.0", None),
            ("1000m", None),
            ("1.5", None),
            // The decimal path never converts.
            ("1.5Ki", None),
            ("1000000000000000000", None),
            ("9223372036854775807", None),
            ("999999999999999999.0", None),
            ("10E", None),
            ("9Ei", None),
            ("1e19", None),
            ("1e-3", None),
        ];
        for (input, want) in cases {
            assert_eq!(q(input).as_i64(), want, "input {input:?}");
            assert_eq!(q(input).is_integer(), want.is_some(), "input {input:?}");
        }
    }

    #[test]
    fn is_whole_is_arithmetic() {
        for s in ["1.0", "1000m", "1.5Ki", "10E", "9Ei", "0", "2e-0"] {
            assert!(q(s).is_whole(), "{s}");
        }
        for s in ["1.5", "1m", "1n", "0.1Ki", "-0.1"] {
            assert!(!q(s).is_whole(), "{s}");
        }
    }

    /// Mirrors `String()` (quantity_test.go `TestQuantityString`, canonical columns).
    #[test]
    fn canonical_form() {
        let cases = [
            ("1.5", "1500m"),
            ("1.5Gi", "1536Mi"),
            ("0.5Gi", "512Mi"),
            ("1024Ki", "1Mi"),
            ("1Ki", "1Ki"),
            ("1025Ki", "1025Ki"),
            ("1000", "1k"),
            ("1000000000", "1G"),
            ("0.001", "1m"),
            ("1e3", "1e3"),
            ("1.2e3", "1200"),
            ("100e3", "100e3"),
            ("0", "0"),
            ("0Gi", "0"),
            ("-0.5", "-500m"),
            ("-1.5Gi", "-1536Mi"),
            ("0.5Ki", "512"),
            ("100.5Ki", "102912"),
            ("0.000000000001Ki", "2n"),
            ("10000000000000000000", "10E"),
            ("1000000000000000000.1", "1000000000000000000100m"),
            ("-1.000000000000000001E", "-1000000000000000001"),
            ("1.1Ki", "1126400m"),
            // Canonical-looking inputs come back as written.
            ("+1", "+1"),
            ("00012", "00012"),
            ("12", "12"),
            // Upstream has no letter for 10^21 and drops the suffix.
            ("1000E", "1"),
        ];
        for (input, want) in cases {
            assert_eq!(q(input).canonical(), want, "input {input:?}");
            assert_eq!(q(input).to_string(), want, "input {input:?}");
        }
    }

    /// Mirrors `Add`/`Sub` (quantity_test.go `TestAdd`, `TestSub`) and CEL's `add`/`sub`.
    #[test]
    fn arithmetic() {
        let add = |a: &str, b: &str| q(a).checked_add(&q(b)).unwrap();
        let sub = |a: &str, b: &str| q(a).checked_sub(&q(b)).unwrap();
        assert_eq!(add("1Gi", "1Gi"), q("2Gi"));
        assert_eq!(add("500m", "500m"), q("1"));
        assert_eq!(add("1", "-1"), q("0"));
        assert_eq!(add("1.5Ki", "1e3"), q("2536"));
        assert_eq!(sub("1", "1m"), q("999m"));
        assert_eq!(sub("0", "1Ki"), q("-1Ki"));
        assert_eq!(add("9Ei", "9Ei"), q("18446744073709551614"));
        assert_eq!(add("1e300", "1"), {
            let mut s = "1".to_string();
            s.push_str(&"0".repeat(299));
            s.push('1');
            q(&s)
        });
        // A zero receiver takes the other's format.
        assert_eq!(add("0", "1Ki").format(), QuantityFormat::BinarySI);
        assert_eq!(sub("0", "1Ki").canonical(), "-1Ki");
        assert_eq!(add("1Ki", "1").format(), QuantityFormat::BinarySI);
        // The int64 form survives when it can; then asInteger works.
        assert_eq!(add("1k", "1").as_i64(), Some(1001));
        assert_eq!(add("1", "1k").as_i64(), Some(1001));
        assert_eq!(add("1.5", "1.5").as_i64(), None);
        assert_eq!(add("1.5Ki", "1").as_i64(), None);
        let plus_int = q("1").checked_add(&Quantity::from_i64(2, QuantityFormat::DecimalExponent));
        assert_eq!(plus_int.unwrap().as_i64(), Some(3));
        // Past int64, sums stay exact.
        let big = add("9223372036854775807", "1");
        assert_eq!(big.canonical(), "9223372036854775808");
        let big = q("5E").checked_add(&q("5E")).unwrap();
        assert_eq!(big, q("10E"));
        assert_eq!(big.as_i64(), None);
        // Exponents too far apart are refused rather than materialised.
        assert!(q("1e2000000000").checked_add(&q("1.5")).is_none());
        assert!(q("1e2000000000").checked_add(&q("0")).is_some());
    }

    /// Mirrors `AsApproximateFloat64` (quantity_test.go `TestQuantityAsApproximateFloat64`).
    #[test]
    fn approximate_float() {
        let cases = [
            ("0", 0.0),
            ("1", 1.0),
            ("-1", -1.0),
            ("1.5", 1.5),
            ("500m", 0.5),
            ("1Ki", 1024.0),
            ("1e3", 1000.0),
            ("1E", 1e18),
            ("9Ei", 9223372036854775807.0),
            ("1e20", 1e20),
        ];
        for (input, want) in cases {
            assert_eq!(q(input).as_approximate_f64(), want, "input {input:?}");
        }
        assert_eq!(q("1e400").as_approximate_f64(), f64::INFINITY);
        assert_eq!(q("-1e400").as_approximate_f64(), f64::NEG_INFINITY);
        // 0 × Pow10(399) is 0 × +Inf in Go too.
        assert!(q("0.0e400").as_approximate_f64().is_nan());
        assert_eq!(q("1.1Ki").as_approximate_f64(), 1126.4);
    }

    #[test]
    fn go_pow10_edges() {
        assert_eq!(go_pow10(0), 1.0);
        assert_eq!(go_pow10(308), 1e308);
        assert_eq!(go_pow10(309), f64::INFINITY);
        assert_eq!(go_pow10(-9), 1e-9);
        assert_eq!(go_pow10(-324), 0.0);
    }

    #[test]
    fn error_messages_are_upstream_text() {
        assert_eq!(
            QuantityError::FormatWrong.to_string(),
            "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
        );
        assert_eq!(
            QuantityError::Suffix.to_string(),
            "unable to parse quantity's suffix"
        );
        assert_eq!(
            QuantityError::Numeric.to_string(),
            "unable to parse numeric part of quantity"
        );
    }
}
