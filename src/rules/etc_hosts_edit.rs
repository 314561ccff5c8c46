//! `etc-hosts-edit`: a container writes `/etc/hosts` (in its command, args or a lifecycle
//! hook: `>`, `>>`, `tee`, `sed -i`, `cp`/`mv` onto it), mounts a volume over it, or a volume
//! is the node's `/etc/hosts` (hostPath). The kubelet owns that file: it writes it from the
//! Pod's hostname and `spec.hostAliases`, and writes it afresh whenever the Pod is recreated,
//! so edits vanish. When the written line is a literal `IP host...`, the help gives the
//! `hostAliases` entry to use instead.

use super::{Category, Context, Finding, Rule, RuleMeta, Severity, Target};
use crate::source::pointer;
use std::net::IpAddr;

pub struct EtcHostsEdit;

static META: RuleMeta = RuleMeta {
    id: "etc-hosts-edit",
    severity: Severity::Warning,
    category: Category::Reliability,
    summary:
        "A container edits or replaces /etc/hosts, which the kubelet owns; use spec.hostAliases",
    doc: include_str!("../../rules/etc-hosts-edit.md"),
    fixable: false,
};

const HOSTS: &str = "/etc/hosts";

const GENERIC_HELP: &str = "declare the entries in the pod spec's `hostAliases` (`hostAliases: [{ip: \"10.0.0.5\", hostnames: [\"db.internal\"]}]`): the kubelet writes them into /etc/hosts of every container of the Pod, every time the Pod is created";

impl Rule for EtcHostsEdit {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let Some(pod) = cx.pod else { return };
        for c in &pod.containers {
            let name = c.name();
            let k = &c.container;
            // The command line: command and args together, as the runtime runs them.
            let mut words: Vec<(String, &str)> = Vec::new();
            for (i, w) in k.command.iter().flatten().enumerate() {
                words.push((pointer::join(&c.pointer, &["command", &i.to_string()]), w));
            }
            for (i, w) in k.args.iter().flatten().enumerate() {
                words.push((pointer::join(&c.pointer, &["args", &i.to_string()]), w));
            }
            report_writes(
                out,
                &words,
                &format!("container `{name}` writes {HOSTS} in its command line"),
            );
            if let Some(l) = &k.lifecycle {
                for (hook, h) in [("postStart", &l.post_start), ("preStop", &l.pre_stop)] {
                    let Some(cmd) = h
                        .as_ref()
                        .and_then(|h| h.exec.as_ref())
                        .and_then(|e| e.command.as_ref())
                    else {
                        continue;
                    };
                    let words: Vec<(String, &str)> = cmd
                        .iter()
                        .enumerate()
                        .map(|(i, w)| {
                            (
                                pointer::join(
                                    &c.pointer,
                                    &["lifecycle", hook, "exec", "command", &i.to_string()],
                                ),
                                w.as_str(),
                            )
                        })
                        .collect();
                    report_writes(
                        out,
                        &words,
                        &format!("container `{name}` writes {HOSTS} in its {hook} hook"),
                    );
                }
            }
            for (i, m) in k.volume_mounts.iter().flatten().enumerate() {
                if m.mount_path.trim_end_matches('/') == HOSTS {
                    out.push(
                        Finding::new(
                            META.id,
                            pointer::join(&c.pointer, &["volumeMounts", &i.to_string(), "mountPath"]),
                            format!("container `{name}` mounts volume `{}` over {HOSTS}, which the kubelet manages", m.name),
                        )
                        .label("replaces the kubelet's hosts file")
                        .help(GENERIC_HELP),
                    );
                }
            }
        }
        for (i, v) in pod.spec.volumes.iter().flatten().enumerate() {
            let Some(hp) = &v.host_path else { continue };
            if hp.path.trim_end_matches('/') == HOSTS {
                out.push(
                    Finding::new(
                        META.id,
                        pointer::join(&pod.pointer, &["volumes", &i.to_string(), "hostPath", "path"]),
                        format!("volume `{}` is the node's {HOSTS} (hostPath)", v.name),
                    )
                    .label("the node's hosts file, not the Pod's")
                    .help(format!("{GENERIC_HELP}; reading or writing the node's file from a Pod ties it to that node")),
                );
            }
        }
    }
}

/// Report each word (with its pointer) that holds a write to /etc/hosts.
fn report_writes(out: &mut Vec<Finding>, words: &[(String, &str)], message: &str) {
    if !words.iter().any(|(_, w)| w.contains(HOSTS)) {
        return;
    }
    // Join the words as the shell would see them, remembering where each starts.
    let mut text = String::new();
    let mut starts = Vec::new();
    for (_, w) in words {
        starts.push(text.len());
        text.push_str(w);
        text.push(' ');
    }
    let mut reported: Vec<usize> = Vec::new();
    for write in find_writes(&text) {
        let word = starts.iter().rposition(|s| *s <= write.at).unwrap_or(0);
        if reported.contains(&word) {
            continue;
        }
        reported.push(word);
        let help = if write.entries.is_empty() {
            GENERIC_HELP.to_string()
        } else {
            let aliases = write
                .entries
                .iter()
                .map(|(ip, hosts)| {
                    let hosts = hosts
                        .iter()
                        .map(|h| format!("\"{h}\""))
                        .collect::<Vec<_>>()
                        .join(", ");
                    format!("{{ip: \"{ip}\", hostnames: [{hosts}]}}")
                })
                .collect::<Vec<_>>()
                .join(", ");
            format!(
                "remove the edit and add to the pod spec `hostAliases: [{aliases}]`: the kubelet writes these lines into /etc/hosts of every container, every time the Pod is created"
            )
        };
        out.push(
            Finding::new(META.id, words[word].0.clone(), format!("{message}; the kubelet owns that file and rewrites it when the Pod is recreated"))
                .at(Target::Value)
                .label(format!("writes {HOSTS}"))
                .help(help),
        );
    }
}

/// A write to /etc/hosts found in a command line.
#[derive(Debug, PartialEq)]
struct Write {
    /// Byte offset of the `/etc/hosts` written to.
    at: usize,
    /// Literal `IP host...` lines written, when all of them are literal.
    entries: Vec<(String, Vec<String>)>,
}

fn find_writes(text: &str) -> Vec<Write> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find(HOSTS) {
        let at = from + i;
        from = at + HOSTS.len();
        let next = text[from..].chars().next();
        if next.is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/')) {
            continue; // /etc/hosts.allow, /etc/hostsfile, /etc/hosts/...
        }
        // The simple command holding the path: after the last separator or pipe.
        let seg_start = text[..at]
            .rfind([';', '&', '|', '\n', '(', '`'])
            .map(|p| p + 1)
            .unwrap_or(0);
        let segment = &text[seg_start..at];
        let before = segment.trim_end().trim_end_matches(['"', '\'']).trim_end();
        let redirect = before.ends_with('>');
        let mut words = segment
            .split_whitespace()
            .map(|w| w.trim_matches(['"', '\'']))
            .skip_while(|w| *w == "sudo" || w.contains('='));
        let program = words.next().unwrap_or("").rsplit('/').next().unwrap_or("");
        let rest: Vec<&str> = words.collect();
        let rest_after = text[from..]
            .split([';', '&', '|', '\n', ')'])
            .next()
            .unwrap_or("")
            .trim_matches(|c: char| c.is_whitespace() || c == '"' || c == '\'');
        let writes = redirect
            || program == "tee"
            || (program == "sed"
                && rest.iter().any(|w| {
                    *w == "--in-place"
                        || w.starts_with("--in-place=")
                        || (w.starts_with('-') && !w.starts_with("--") && w.contains('i'))
                }))
            || (matches!(program, "cp" | "mv" | "install" | "ln")
                && rest_after.is_empty()
                && !rest.is_empty());
        if !writes {
            continue;
        }
        // The whole command (pipes included), for the literal lines written.
        let cmd_start = text[..at]
            .rfind([';', '\n', '('])
            .map(|p| p + 1)
            .unwrap_or(0)
            .max(text[..at].rfind("&&").map(|p| p + 2).unwrap_or(0));
        found.push(Write {
            at,
            entries: literal_entries(&text[cmd_start..at]),
        });
    }
    found
}

/// `IP host [host...]` lines in a command (echo, printf, sed's `a` command), or nothing when
/// any written address or name is not literal.
fn literal_entries(cmd: &str) -> Vec<(String, Vec<String>)> {
    let cleaned: String = cmd
        .replace("\\n", " \n ")
        .replace("\\t", " ")
        .chars()
        .map(|c| {
            if matches!(c, '"' | '\'' | '\\' | '>' | '|') {
                ' '
            } else {
                c
            }
        })
        .collect();
    let words: Vec<&str> = cleaned.split_whitespace().collect();
    let mut entries: Vec<(String, Vec<String>)> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        if w.parse::<IpAddr>().is_ok() {
            let mut hosts = Vec::new();
            let mut j = i + 1;
            while j < words.len() && is_hostname(words[j]) {
                hosts.push(words[j].to_string());
                j += 1;
            }
            if hosts.is_empty() {
                return Vec::new();
            }
            entries.push((w.to_string(), hosts));
            i = j;
        } else {
            if w.contains('$') && !entries.is_empty() {
                return Vec::new();
            }
            i += 1;
        }
    }
    entries
}

fn is_hostname(w: &str) -> bool {
    const COMMANDS: &[&str] = &["tee", "sudo", "sed", "echo", "printf", "cat"];
    !w.is_empty()
        && !w.starts_with(['-', '.'])
        && w.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
        && w.chars().any(|c| c.is_ascii_alphabetic())
        && !COMMANDS.contains(&w)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(t: &str) -> Vec<Vec<(String, Vec<String>)>> {
        find_writes(t).into_iter().map(|w| w.entries).collect()
    }

    #[test]
    fn writes_are_found() {
        assert_eq!(find_writes("echo 10.0.0.1 db >> /etc/hosts ").len(), 1);
        assert_eq!(find_writes("echo '10.0.0.1 db' > /etc/hosts").len(), 1);
        assert_eq!(find_writes("echo x | sudo tee -a /etc/hosts").len(), 1);
        assert_eq!(find_writes("sed -i 's/a/b/' /etc/hosts").len(), 1);
        assert_eq!(find_writes("cp /tmp/hosts /etc/hosts").len(), 1);
        assert_eq!(find_writes("cat /etc/hosts").len(), 0);
        assert_eq!(find_writes("cp /etc/hosts /tmp/x").len(), 0);
        assert_eq!(find_writes("sed -n p /etc/hosts").len(), 0);
        assert_eq!(find_writes("echo x >> /etc/hosts.allow").len(), 0);
        assert_eq!(find_writes("grep db /etc/hosts > /tmp/out").len(), 0);
    }

    #[test]
    fn literal_lines_become_host_aliases() {
        assert_eq!(
            entries("echo \"10.0.0.5 db.internal db\" >> /etc/hosts"),
            vec![vec![(
                "10.0.0.5".to_string(),
                vec!["db.internal".to_string(), "db".to_string()]
            )]]
        );
        assert_eq!(
            entries("echo '10.1.1.1 a' | tee -a /etc/hosts"),
            vec![vec![("10.1.1.1".to_string(), vec!["a".to_string()])]]
        );
        assert_eq!(
            entries("sed -i '$a 192.168.1.9 cache' /etc/hosts"),
            vec![vec![("192.168.1.9".to_string(), vec!["cache".to_string()])]]
        );
        assert_eq!(entries("echo \"$IP db\" >> /etc/hosts"), vec![vec![]]);
        assert_eq!(
            entries("echo \"10.0.0.1 $HOST\" >> /etc/hosts"),
            vec![vec![]]
        );
        assert_eq!(
            entries("printf '10.0.0.1 a\\n10.0.0.2 b\\n' >> /etc/hosts"),
            vec![vec![
                ("10.0.0.1".to_string(), vec!["a".to_string()]),
                ("10.0.0.2".to_string(), vec!["b".to_string()])
            ]]
        );
    }
}
