//! `secret-not-base64`: a Secret's `data` value is not valid base64 as the API server decodes
//! it (Go's standard encoding: padded, `\r`/`\n` ignored, trailing bits allowed).

use super::{Context, Finding, Rule};
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::{DecodeError, Engine as _};
use serde_json::Value;

declare_rule! {
    pub struct SecretNotBase64 {
        id: "secret-not-base64",
        severity: Error,
        category: Correctness,
        inspects: Kinds(("", "Secret")),
    }
}

/// Go's `base64.StdEncoding`, as the API server decodes `data`: the standard alphabet,
/// padding required, and non-zero bits after the last symbol accepted (`YR==` is fine).
const GO_STD: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_allow_trailing_bits(true)
        .with_decode_padding_mode(DecodePaddingMode::RequireCanonical),
);

/// Why a `data` value is not base64 as the API server reads it, or `None` when it is. Like
/// Go's decoder, `\r` and `\n` are ignored anywhere in the value.
fn problem(value: &str) -> Option<String> {
    let compact: String = value.chars().filter(|c| *c != '\n' && *c != '\r').collect();
    let err = GO_STD.decode(compact.as_bytes()).err()?;
    let ch = |b: u8| match b {
        b' ' => "a space".to_string(),
        b'\t' => "a tab".to_string(),
        b if b.is_ascii_graphic() => format!("`{}`", b as char),
        _ => "a character".to_string(),
    };
    Some(match err {
        DecodeError::InvalidByte(_, b'=') => "`=` padding stands before the end".to_string(),
        DecodeError::InvalidByte(_, b) if b == b'-' || b == b'_' => format!(
            "it contains {}, from the URL-safe alphabet; Secrets use the standard one, with `+` and `/`",
            ch(b)
        ),
        DecodeError::InvalidByte(_, b) if b.is_ascii() => {
            format!("it contains {}, which base64 does not use", ch(b))
        }
        DecodeError::InvalidByte(..) => "it contains a character base64 does not use".to_string(),
        DecodeError::InvalidLength(_) | DecodeError::InvalidPadding => {
            if !compact.len().is_multiple_of(4) && !compact.ends_with('=') {
                "it is not padded: its length must be a multiple of 4, with `=` at the end".to_string()
            } else {
                "its length or `=` padding is wrong".to_string()
            }
        }
        DecodeError::InvalidLastSymbol(..) => "its last symbol is not valid".to_string(),
    })
}

impl Rule for SecretNotBase64 {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let o = cx.object;
        if o.kind() != "Secret" || o.group_version().map(|g| g.0) != Some("") {
            return;
        }
        let Some(data) = o.at("/data").and_then(Value::as_object) else {
            return;
        };
        for (key, v) in data {
            // A value that is not a string is a `schema` error (null is an empty value).
            let Some(s) = v.as_str() else { continue };
            let Some(why) = problem(s) else { continue };
            out.push(
                Finding::new(
                    SecretNotBase64::ID,
                    crate::pointer::join("/data", &[key.as_str()]),
                    format!("`data.{key}` is not valid base64 ({why}), so the API server rejects the Secret"),
                )
                .label("not base64")
                .help("to give the value as plain text, move it under `stringData:` (the API server encodes it); otherwise encode it: `printf %s '...' | base64`"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::problem;

    #[test]
    fn decodes_like_the_api_server() {
        for ok in [
            "YWRtaW4=",
            "YR==",
            "YWRt\naW4=\n",
            "YWRt\r\naW4=",
            "",
            "YWJj",
        ] {
            assert_eq!(problem(ok), None, "{ok:?}");
        }
        for (bad, why) in [
            ("YWRtaW4", "not padded"),
            ("YWRt aW4=", "a space"),
            ("YWRtaW4=\t", "a tab"),
            ("hunter2!", "`!`"),
            ("YW-t", "URL-safe"),
            ("YQ==YQ==", "padding"),
            ("YWRtaW4==", "padding"),
        ] {
            let got = problem(bad).unwrap_or_default();
            assert!(got.contains(why), "{bad:?}: {got}");
        }
    }
}
