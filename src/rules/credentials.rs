//! Credential detection shared by `plaintext-secret-env`, `committed-secret` and
//! `sensitive-configmap-content`: names that say "this is a credential", values whose shape
//! says so (key formats with a fixed prefix), placeholders that are not credentials at all,
//! SOPS-encrypted documents, and masking, so that a finding never prints the secret.

use regex::Regex;
use serde_json::Value;
use std::sync::{LazyLock, OnceLock};

/// Words that, as the last part of a name, make it a credential's name (`DB_PASSWORD`,
/// `githubToken`, `client-secret`). A name that merely starts with one (`TOKEN_TTL`,
/// `PASSWORD_FILE`, `SECRET_NAME`) describes the credential, it is not one.
const LAST_WORDS: &[&str] = &[
    "PASSWORD",
    "PASSWD",
    "PASS",
    "PWD",
    "SECRET",
    "TOKEN",
    "APIKEY",
    "CREDENTIAL",
    "CREDENTIALS",
    "CREDS",
    "PASSPHRASE",
    "BEARER",
];

/// Words that make a final `KEY` a credential (`API_KEY`, `AWS_SECRET_ACCESS_KEY`).
const KEY_QUALIFIERS: &[&str] = &[
    "API",
    "PRIVATE",
    "ACCESS",
    "SECRET",
    "ENCRYPTION",
    "SIGNING",
    "MASTER",
    "LICENSE",
    "AUTH",
];

/// A name split into upper-case words at `_`, `-`, `.`, and lower-to-upper case changes.
fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for ch in name.chars() {
        if !ch.is_ascii_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if ch.is_ascii_uppercase() && prev_lower && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        prev_lower = ch.is_ascii_lowercase() || ch.is_ascii_digit();
        cur.push(ch.to_ascii_uppercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Whether a variable or key name says it holds a credential.
pub fn sensitive_name(name: &str) -> bool {
    let w = words(name);
    let Some(last) = w.last() else { return false };
    // `PWD` alone is the shell's working directory.
    if w.len() == 1 && (last == "PWD" || last == "PASS") {
        return false;
    }
    // etcd's `initial-cluster-token` only keeps clusters apart; it grants nothing.
    if last == "TOKEN" && w.len() >= 2 && w[w.len() - 2] == "CLUSTER" {
        return false;
    }
    if LAST_WORDS.contains(&last.as_str()) {
        return true;
    }
    // Rails' `SECRET_KEY_BASE`.
    if w.len() >= 2 && last == "BASE" && w[w.len() - 2] == "KEY" {
        return w.len() >= 3 && w[w.len() - 3] == "SECRET";
    }
    last == "KEY" && w.len() >= 2 && KEY_QUALIFIERS.contains(&w[w.len() - 2].as_str())
}

/// Values that stand for a credential without being one.
pub fn is_placeholder(value: &str) -> bool {
    let v = value.trim();
    if v.is_empty() {
        return true;
    }
    let lower = v.to_ascii_lowercase();
    const WORDS: &[&str] = &[
        "changeme",
        "change-me",
        "change_me",
        "changeit",
        "replace_me",
        "replace-me",
        "replaceme",
        "todo",
        "tbd",
        "fixme",
        "placeholder",
        "dummy",
        "redacted",
        "none",
        "null",
        "nil",
        "secret",
        "password",
        "token",
        "your-token",
        "your-password",
        "your-api-key",
        "example",
    ];
    if WORDS.contains(&lower.as_str()) {
        return true;
    }
    if lower.contains("changeme")
        || lower.contains("replace")
        || ["insert_", "insert-", "your", "my-secret", "my_secret"]
            .iter()
            .any(|p| lower.starts_with(p))
    {
        return true;
    }
    // `<password>`, `${DB_PASSWORD}`, `$(TOKEN)`, `{{ .Values.x }}`, `%(x)s`.
    if (v.starts_with('<') && v.ends_with('>'))
        || v.contains("${")
        || v.contains("$(")
        || v.contains("{{")
        || v.contains("%(")
    {
        return true;
    }
    // `xxx`, `XXXX`, `***`, `...`, `---`: one symbol repeated.
    let mut chars = lower.chars();
    let first = chars.next().unwrap_or(' ');
    if v.len() >= 2 && chars.all(|c| c == first) {
        return true;
    }
    // SOPS ciphertext.
    v.starts_with("ENC[")
}

/// A value too plain to be a credential: a boolean, a short number, or a path to a file.
fn is_plain(value: &str) -> bool {
    let v = value.trim();
    let lower = v.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "enabled" | "disabled"
    ) {
        return true;
    }
    if v.len() <= 8
        && v.chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
    {
        return true;
    }
    // A file path (`GOOGLE_APPLICATION_CREDENTIALS=/var/run/key.json`) names where the
    // credential is; a reference into a secret store names what it is.
    (v.starts_with('/') || v.starts_with("./") || v.starts_with("~/")) && !v.contains(' ')
        || ["arn:", "vault:", "ref+", "secretsmanager:", "projects/"]
            .iter()
            .any(|p| lower.starts_with(p))
}

/// A credential format recognised from the value alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Format {
    /// What the value is, for the message: "an AWS access key id".
    pub what: &'static str,
}

/// The credential formats: text one of whose `needles` a value must hold for the pattern to
/// match (so that a value holding none never runs, nor compiles, a pattern), the pattern, and
/// what a value matching it is.
const FORMATS: [(&[&str], &str, &str); 9] = [
    (
        &["-----BEGIN "],
        r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----",
        "a private key",
    ),
    (
        &["AKIA", "ASIA"],
        r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b",
        "an AWS access key id",
    ),
    (
        &["ghp_", "gho_", "ghu_", "ghs_", "ghr_"],
        r"\bgh[pousr]_[0-9A-Za-z]{36,}\b",
        "a GitHub token",
    ),
    (
        &["github_pat_"],
        r"\bgithub_pat_[0-9A-Za-z_]{40,}\b",
        "a GitHub token",
    ),
    (
        &["glpat-"],
        r"\bglpat-[0-9A-Za-z_-]{20,}\b",
        "a GitLab token",
    ),
    (&["xox"], r"\bxox[abprs]-[0-9A-Za-z-]{10,}", "a Slack token"),
    (&["AIza"], r"\bAIza[0-9A-Za-z_-]{35}\b", "a Google API key"),
    (
        &["k_live_"],
        r"\b[rs]k_live_[0-9A-Za-z]{20,}\b",
        "a Stripe live key",
    ),
    (
        &["eyJ"],
        r"\beyJ[0-9A-Za-z_-]{8,}\.eyJ[0-9A-Za-z_-]{8,}\.[0-9A-Za-z_-]{16,}",
        "a JSON Web Token",
    ),
];

/// Each pattern of [`FORMATS`], compiled when a value first holds one of its needles.
static COMPILED: [OnceLock<Regex>; 9] = [const { OnceLock::new() }; 9];

/// `scheme://user:password@host` with a literal password.
static URL_PASSWORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b[a-zA-Z][a-zA-Z0-9+.-]*://[^/\s:@]+:([^/\s@]+)@[^\s]")
        .expect("URL pattern compiles")
});

/// The credential format a value has, if any. Documentation examples (AWS's
/// `AKIAIOSFODNN7EXAMPLE`) are not credentials.
pub fn value_format(value: &str) -> Option<Format> {
    if value.contains("EXAMPLE") || value.contains("example") {
        return None;
    }
    for ((needles, pattern, what), compiled) in FORMATS.iter().zip(&COMPILED) {
        if !needles.iter().any(|n| value.contains(n)) {
            continue;
        }
        let re = compiled.get_or_init(|| Regex::new(pattern).expect("credential pattern compiles"));
        if re.is_match(value) {
            return Some(Format { what });
        }
    }
    if !(value.contains("://") && value.contains('@')) {
        return None;
    }
    let pw = URL_PASSWORD.captures(value)?.get(1)?.as_str();
    (!is_placeholder(pw) && !pw.starts_with('$') && !pw.contains('%')).then_some(Format {
        what: "a URL with a password in it",
    })
}

/// Why a named value looks like a credential: its format, or its name (when the value is not
/// a placeholder, a boolean, a short number or a path).
pub fn classify(name: &str, value: &str) -> Option<String> {
    if let Some(f) = value_format(value) {
        return Some(format!("the value is {}", f.what));
    }
    if sensitive_name(name)
        && !is_placeholder(value)
        && !is_plain(value)
        && !names_itself(name, value)
    {
        return Some("the name says it is a credential".to_string());
    }
    None
}

/// Whether a value only repeats its variable's name, alone or with a placeholder suffix
/// (`GOOGLE_API_KEY: GOOGLE_API_KEY_VAL`): a token a deploy script replaces, not a secret.
fn names_itself(name: &str, value: &str) -> bool {
    let (name, value) = (name.to_ascii_uppercase(), value.trim().to_ascii_uppercase());
    let Some(rest) = value.strip_prefix(name.as_str()) else {
        return false;
    };
    ["", "_VAL", "_VALUE", "_HERE", "-VAL", "-VALUE", "-HERE"].contains(&rest)
}

/// The value with all but its first characters hidden: `` `hu…`, 12 characters ``.
pub fn mask(value: &str) -> String {
    let n = value.chars().count();
    let shown = if n >= 16 {
        4
    } else if n >= 8 {
        2
    } else {
        0
    };
    let head: String = value.chars().take(shown).collect();
    format!("`{head}…`, {n} characters")
}

/// Whether a document is SOPS-encrypted: a top-level `sops` mapping with its `mac` or
/// `version`, or any string value written `ENC[...]`.
pub fn sops_encrypted(object: &Value) -> bool {
    if let Some(sops) = object.get("sops").and_then(Value::as_object) {
        if sops.contains_key("mac") || sops.contains_key("version") {
            return true;
        }
    }
    fn any_enc(v: &Value, depth: usize) -> bool {
        match v {
            Value::String(s) => s.starts_with("ENC[") && s.ends_with(']'),
            Value::Array(a) if depth < 64 => a.iter().any(|v| any_enc(v, depth + 1)),
            Value::Object(m) if depth < 64 => m.values().any(|v| any_enc(v, depth + 1)),
            _ => false,
        }
    }
    any_enc(object, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for yes in [
            "DB_PASSWORD",
            "MYSQL_ROOT_PASSWORD",
            "githubToken",
            "client-secret",
            "API_KEY",
            "AWS_SECRET_ACCESS_KEY",
            "SECRET_KEY_BASE",
            "SMTP_PASS",
            "db.password",
            "GOOGLE_APPLICATION_CREDENTIALS",
            "apikey",
        ] {
            assert!(sensitive_name(yes), "{yes}");
        }
        for no in [
            "TOKEN_TTL",
            "PASSWORD_FILE",
            "SECRET_NAME",
            "TOKEN_URL",
            "SECRET_PATH",
            "PWD",
            "KEY",
            "CACHE_KEY",
            "BYPASS",
            "PASSWORD_MIN_LENGTH",
            "HOME",
            "ETCD_INITIAL_CLUSTER_TOKEN",
        ] {
            assert!(!sensitive_name(no), "{no}");
        }
    }

    #[test]
    fn placeholders_and_plain_values_are_not_credentials() {
        for v in [
            "changeme",
            "<your password>",
            "${DB_PASSWORD}",
            "$(TOKEN)",
            "REPLACE_ME",
            "TODO",
            "xxx",
            "***",
            "",
            "ENC[AES256_GCM,data:abc]",
            "INSERT_ETCD_DISCOVERY_TOKEN",
            "your-api-token-here",
            "yourpassword",
        ] {
            assert_eq!(classify("DB_PASSWORD", v), None, "{v}");
        }
        for v in ["true", "3600", "/var/run/secrets/key.json"] {
            assert_eq!(classify("API_TOKEN", v), None, "{v}");
        }
        assert!(classify("DB_PASSWORD", "hunter2hunter2").is_some());
        assert_eq!(classify("LOG_LEVEL", "debug"), None);
        // A value that repeats the variable's name is a token to be replaced.
        for v in [
            "GOOGLE_API_KEY_VAL",
            "GOOGLE_API_KEY",
            "google_api_key_value",
        ] {
            assert_eq!(classify("GOOGLE_API_KEY", v), None, "{v}");
        }
        assert!(classify("GOOGLE_API_KEY", "GOOGLE_API_KEY_7f3kq9").is_some());
        assert!(classify("API_KEY", "API_KEYS_ARE_FUN_42").is_some());
    }

    #[test]
    fn formats() {
        let key = format!("AKIA{}", "Q".repeat(16));
        assert_eq!(
            value_format(&key).map(|f| f.what),
            Some("an AWS access key id")
        );
        assert_eq!(value_format("AKIAIOSFODNN7EXAMPLE"), None);
        assert!(value_format("-----BEGIN RSA PRIVATE KEY-----\nMIIE").is_some());
        assert!(value_format(&format!("ghp_{}", "a1".repeat(18))).is_some());
        assert!(value_format("postgres://app:s3cr3tpw@db:5432/app").is_some());
        assert_eq!(
            value_format("postgres://app:$(DB_PASSWORD)@db:5432/app"),
            None
        );
        assert_eq!(value_format("http://example.com:8080/x"), None);
        assert_eq!(value_format("https://db:5432/app"), None);
    }

    /// Each format is found, in a value holding one of its needles; a needle alone is not a
    /// credential.
    #[test]
    fn every_format_by_its_needles() {
        let samples = [
            "-----BEGIN OPENSSH PRIVATE KEY-----",
            "ASIAQQQQQQQQQQQQQQQQ",
            &format!("token gho_{}", "Ab1".repeat(12)),
            &format!("github_pat_{}", "a_1".repeat(14)),
            "glpat-abcdefghij0123456789",
            "xoxb-0123456789-abc",
            &format!("AIza{}", "x".repeat(35)),
            &format!("rk_live_{}", "a1".repeat(10)),
            "eyJhbGciOiJIUzI1.eyJzdWIiOiIxMjM0.SflKxwRJSMeKKF2QT4fwpMeJf36P",
        ];
        for ((needles, _, what), sample) in FORMATS.iter().zip(samples) {
            assert!(needles.iter().any(|n| sample.contains(n)), "{what}");
            assert_eq!(
                value_format(sample).map(|f| f.what),
                Some(*what),
                "{sample}"
            );
            for needle in needles.iter() {
                assert_eq!(value_format(needle), None, "{needle}");
            }
        }
    }

    #[test]
    fn masks_and_sops() {
        assert_eq!(mask("hunter2hunter2"), "`hu…`, 14 characters");
        assert_eq!(mask("abc"), "`…`, 3 characters");
        let sops: Value =
            serde_json::json!({"kind": "Secret", "sops": {"mac": "x", "version": "3.8"}});
        assert!(sops_encrypted(&sops));
        let enc: Value = serde_json::json!({"data": {"a": "ENC[AES256_GCM,data:x]"}});
        assert!(sops_encrypted(&enc));
        assert!(!sops_encrypted(&serde_json::json!({"data": {"a": "x"}})));
    }
}
