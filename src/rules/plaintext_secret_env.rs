//! `plaintext-secret-env`: a container's env var with a literal `value` that is a credential,
//! by its name (`DB_PASSWORD`, `API_TOKEN`) or by its format (an AWS key id, a private key, a
//! GitHub token, ...). The heuristics live in [`super::credentials`]; SOPS-encrypted documents
//! are skipped, and the message never shows the value.

use super::credentials::{classify, mask, sops_encrypted};
use super::{Context, Finding, Rule};
use crate::pointer;

declare_rule! {
    pub struct PlaintextSecretEnv {
        id: "plaintext-secret-env",
        severity: Warning,
        category: Security,
        inspects: Pods,
    }
}

impl Rule for PlaintextSecretEnv {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let Some(pod) = cx.pod else { return };
        // Whether the document is SOPS-encrypted is asked only once a value looks like a
        // credential: the answer walks the whole object.
        let mut sops = None;
        for c in &pod.containers {
            for (i, e) in c.container.env.iter().flatten().enumerate() {
                if e.value_from.is_some() {
                    continue;
                }
                let Some(value) = e.value.as_deref() else { continue };
                let Some(why) = classify(&e.name, value) else { continue };
                if *sops.get_or_insert_with(|| sops_encrypted(cx.object.value())) {
                    return;
                }
                out.push(
                    Finding::new(
                        PlaintextSecretEnv::ID,
                        pointer::push(&pod.item(&c.field("env"), i), "value"),
                        format!(
                            "{} `{}` sets `{}` to a literal value ({}) and {why}: anyone who can read the manifest or the pod spec can read it",
                            c.role.describe(),
                            c.name(),
                            e.name,
                            mask(value)
                        ),
                    )
                    .label("credential in plain text")
                    .help(format!(
                        "store it in a Secret and refer to it: `valueFrom: {{secretKeyRef: {{name: <secret>, key: {}}}}}` (and rotate this value: it is in the repository's history)",
                        e.name.to_ascii_lowercase().replace('_', "-")
                    )),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::findings;

    const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: x:1\n    env:\n";

    #[test]
    fn names_and_formats_fire_and_the_value_is_masked() {
        let f = findings(
            &PlaintextSecretEnv,
            &format!("{POD}    - {{name: LOG_LEVEL, value: debug}}\n    - {{name: DB_PASSWORD, value: hunter2hunter2}}\n    - {{name: TOKEN_TTL, value: '3600'}}\n    - {{name: FROM, value: AKIAQQQQQQQQQQQQQQQQ}}\n    - {{name: REF, valueFrom: {{secretKeyRef: {{name: s, key: k}}}}}}\n"),
        );
        let ptrs: Vec<&str> = f.iter().map(|f| f.pointer.as_str()).collect();
        assert_eq!(ptrs, ["/spec/containers/0/env/1/value", "/spec/containers/0/env/3/value"]);
        assert!(!f[0].message.contains("hunter2hunter2"), "{}", f[0].message);
        assert!(f[1].message.contains("AWS access key id"), "{}", f[1].message);
    }

    #[test]
    fn sops_documents_are_skipped() {
        let f = findings(
            &PlaintextSecretEnv,
            &format!("{POD}    - {{name: DB_PASSWORD, value: hunter2hunter2}}\nsops:\n  mac: x\n  version: 3.8.1\n"),
        );
        assert!(f.is_empty());
    }
}
