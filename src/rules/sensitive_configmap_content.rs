//! `sensitive-configmap-content` (opt-in): a ConfigMap `data` entry that is a credential, by
//! its key (`password`, `api-key`) or by the format of its value (a private key, an AWS key
//! id, ...), with the heuristics of [`super::credentials`]. ConfigMaps are not meant for
//! secrets: they are readable more widely and never encrypted at rest.

use super::credentials::{classify, mask, sops_encrypted};
use super::{Context, Finding, Rule};
use crate::pointer;
use serde_json::Value;

declare_rule! {
    pub struct SensitiveConfigmapContent {
        id: "sensitive-configmap-content",
        severity: Warning,
        category: Security,
        opt_in: true,
        inspects: Kinds(("", "ConfigMap")),
    }
}

impl Rule for SensitiveConfigmapContent {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let o = cx.object;
        if o.kind() != "ConfigMap" || o.group_version().map(|g| g.0) != Some("") {
            return;
        }
        if sops_encrypted(o.value()) {
            return;
        }
        let Some(data) = o.at("/data").and_then(Value::as_object) else {
            return;
        };
        for (key, v) in data {
            let Some(value) = v.as_str() else { continue };
            let Some(why) = classify(key, value) else { continue };
            out.push(
                Finding::new(
                    SensitiveConfigmapContent::ID,
                    pointer::join("/data", &[key.as_str()]),
                    format!(
                        "ConfigMap key `{key}` holds what looks like a credential ({}; {why})",
                        mask(value)
                    ),
                )
                .label("credential in a ConfigMap")
                .help("move it into a Secret (committed encrypted: SealedSecret, ExternalSecret or SOPS) and mount or reference that instead; rotate this value"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::findings;

    #[test]
    fn keys_and_formats() {
        let f = findings(
            &SensitiveConfigmapContent,
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  log-level: debug\n  db.password: hunter2hunter2\n  password-file: /etc/app/password\n  key.pem: |\n    -----BEGIN PRIVATE KEY-----\n    MIIE\n",
        );
        let ptrs: Vec<&str> = f.iter().map(|f| f.pointer.as_str()).collect();
        assert_eq!(ptrs, ["/data/db.password", "/data/key.pem"]);
    }
}
