//! `committed-secret`: a core/v1 Secret whose `data` or `stringData` holds real values.
//! base64 is an encoding, not encryption: whoever reads the repository reads the Secret.
//! Skipped: SOPS-encrypted documents, and Secrets whose every value is empty or a
//! placeholder (templates). Generator inputs (kustomize `secretGenerator`) are not Secrets.

use super::credentials::{is_placeholder, sops_encrypted};
use super::{Context, Finding, Rule};
use crate::pointer;
use base64::Engine as _;
use serde_json::Value;

declare_rule! {
    pub struct CommittedSecret {
        id: "committed-secret",
        severity: Warning,
        category: Security,
        inspects: Kinds(("", "Secret")),
    }
}

/// The text a `data` value stands for (when it decodes to UTF-8), else `None`.
fn decoded(value: &str) -> Option<String> {
    let compact: String = value.chars().filter(|c| !c.is_whitespace()).collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(compact.as_bytes())
        .ok()?;
    String::from_utf8(bytes).ok()
}

/// Whether a value holds something: not empty, not a placeholder, before or after decoding.
fn real(value: &str, encoded: bool) -> bool {
    if is_placeholder(value) {
        return false;
    }
    if encoded {
        if let Some(text) = decoded(value) {
            return !is_placeholder(&text);
        }
    }
    true
}

impl Rule for CommittedSecret {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let o = cx.object;
        if o.kind() != "Secret" || o.group_version() != Some(("", "v1")) {
            return;
        }
        if sops_encrypted(o.value()) {
            return;
        }
        let mut real_keys: Vec<(String, String)> = Vec::new();
        for (field, encoded) in [("data", true), ("stringData", false)] {
            let Some(map) = o.at(&format!("/{field}")).and_then(Value::as_object) else {
                continue;
            };
            // In the order written, so that the finding points at the first real value.
            let keys = o
                .keys_as_written(&format!("/{field}"))
                .unwrap_or_else(|| map.keys().cloned().collect());
            for key in keys {
                if map.get(&key).and_then(Value::as_str).is_some_and(|s| real(s, encoded)) {
                    real_keys.push((pointer::join("", &[field, key.as_str()]), key));
                }
            }
        }
        let Some((first, _)) = real_keys.first() else { return };
        let names: Vec<String> = real_keys.iter().take(5).map(|(_, k)| format!("`{k}`")).collect();
        let more = if real_keys.len() > 5 {
            format!(" and {} more", real_keys.len() - 5)
        } else {
            String::new()
        };
        out.push(
            Finding::new(
                CommittedSecret::ID,
                first.clone(),
                format!(
                    "Secret `{}` holds {} in the repository ({}{more}): base64 is an encoding, not encryption, so whoever can read the repository can read {}",
                    o.name.as_deref().unwrap_or(""),
                    if real_keys.len() == 1 { "a value".to_string() } else { format!("{} values", real_keys.len()) },
                    names.join(", "),
                    if real_keys.len() == 1 { "it" } else { "them" },
                ),
            )
            .label("secret value committed")
            .help("commit an encrypted form instead: a SealedSecret (Bitnami Sealed Secrets), an ExternalSecret that reads it from a secret store (External Secrets Operator), or this file encrypted with SOPS; then rotate these values, which stay in the repository's history"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::findings;

    #[test]
    fn real_values_fire_once_at_the_first() {
        let f = findings(
            &CommittedSecret,
            "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata:\n  empty: ''\n  user: YWRtaW4=\nstringData:\n  password: hunter2hunter2\n",
        );
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].pointer, "/data/user");
        assert!(f[0].message.contains("(`user`, `password`)"), "{}", f[0].message);
        assert!(f[0].message.contains("2 values"), "{}", f[0].message);
    }

    #[test]
    fn templates_and_encrypted_files_are_silent() {
        for text in [
            // `changeme` encoded, and a placeholder.
            "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata:\n  password: Y2hhbmdlbWU=\nstringData:\n  token: <token>\n",
            "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ntype: kubernetes.io/service-account-token\n",
            "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata:\n  password: ENC[AES256_GCM,data:abc,type:str]\nsops:\n  mac: ENC[x]\n  version: 3.8.1\n",
        ] {
            assert!(findings(&CommittedSecret, text).is_empty(), "{text}");
        }
    }
}
