//! `secret-not-base64`: a Secret's `data` value is not valid base64.

use super::{Context, Finding, Rule, RuleMeta};
use base64::Engine as _;
use serde_json::Value;

declare_rule!(
    SecretNotBase64,
    "secret-not-base64",
    Error,
    Correctness,
    "A Secret's `data` value is not valid base64"
);

impl Rule for SecretNotBase64 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let o = cx.object;
        if o.kind() != "Secret" || o.group_version().map(|g| g.0) != Some("") {
            return;
        }
        let Some(data) = o.at("/data").and_then(Value::as_object) else {
            return;
        };
        for (key, v) in data {
            let Some(s) = v.as_str() else { continue };
            // Like the API server's decoder, line breaks inside the value are ignored.
            let compact: String = s.chars().filter(|c| *c != '\n' && *c != '\r').collect();
            if base64::engine::general_purpose::STANDARD
                .decode(compact.as_bytes())
                .is_ok()
            {
                continue;
            }
            out.push(
                Finding::new(
                    META.id,
                    crate::source::pointer::join("/data", &[key.as_str()]),
                    format!("`data.{key}` is not valid base64, so the API server rejects the Secret"),
                )
                .label("not base64")
                .help("to give the value as plain text, move it under `stringData:` (the API server encodes it); otherwise encode it: `printf %s '...' | base64`"),
            );
        }
    }
}
