//! `etc-hosts-edit`: a container writes `/etc/hosts` (in its command, args, a lifecycle hook
//! or an exec probe: `>`, `>>`, `tee`, `sed -i`, `cp`/`mv` onto it), mounts a volume over it,
//! or a volume is the node's `/etc/hosts` (hostPath). The script of `sh -c` (and of bash, ash,
//! dash, zsh) is read as a shell script of its own ([`crate::model::shell`]): split into simple
//! commands, with quotes, redirections and here-documents. The kubelet owns that file: it writes it from the
//! Pod's hostname and `spec.hostAliases`, and writes it afresh whenever the Pod is recreated,
//! so edits vanish. When the written line is a literal `IP host...`, the help gives the
//! `hostAliases` entry to use instead.

use super::{Context, Finding, Rule, Target};
use crate::model::shell::{self, Command};
use crate::pointer;
use std::net::IpAddr;

declare_rule! {
    pub struct EtcHostsEdit {
        id: "etc-hosts-edit",
        severity: Warning,
        category: Reliability,
        inspects: Pods,
    }
}

const HOSTS: &str = "/etc/hosts";

const GENERIC_HELP: &str = "declare the entries in the pod spec's `hostAliases` (`hostAliases: [{ip: \"10.0.0.5\", hostnames: [\"db.internal\"]}]`): the kubelet writes them into /etc/hosts of every container of the Pod, every time the Pod is created";

impl Rule for EtcHostsEdit {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let Some(pod) = cx.pod else { return };
        for c in &pod.containers {
            let name = c.name();
            let k = &c.container;
            // The command line: command and args together, as the runtime runs them.
            let command = k.command.as_deref().unwrap_or_default();
            let args = k.args.as_deref().unwrap_or_default();
            let argv: Vec<&str> = command.iter().chain(args).map(String::as_str).collect();
            report_writes(
                out,
                &argv,
                &|j| match j.checked_sub(command.len()) {
                    None => pod.item(&c.field("command"), j),
                    Some(j) => pod.item(&c.field("args"), j),
                },
                &|| format!("container `{name}` writes {HOSTS} in its command line"),
            );
            // Exec handlers: lifecycle hooks and probes, each with its field and whether it
            // is a hook (under `lifecycle`).
            let mut handlers: Vec<(&str, bool, &Vec<String>)> = Vec::new();
            if let Some(l) = &k.lifecycle {
                for (hook, h) in [("postStart", &l.post_start), ("preStop", &l.pre_stop)] {
                    if let Some(cmd) = h
                        .as_ref()
                        .and_then(|h| h.exec.as_ref())
                        .and_then(|e| e.command.as_ref())
                    {
                        handlers.push((hook, true, cmd));
                    }
                }
            }
            for (probe, p) in [
                ("livenessProbe", &k.liveness_probe),
                ("readinessProbe", &k.readiness_probe),
                ("startupProbe", &k.startup_probe),
            ] {
                if let Some(cmd) = p
                    .as_ref()
                    .and_then(|p| p.exec.as_ref())
                    .and_then(|e| e.command.as_ref())
                {
                    handlers.push((probe, false, cmd));
                }
            }
            for (field, hook, cmd) in handlers {
                let words: Vec<&str> = cmd.iter().map(String::as_str).collect();
                let at = || {
                    if hook {
                        pointer::join(&c.pointer, &["lifecycle", field, "exec", "command"])
                    } else {
                        pointer::join(&c.pointer, &[field, "exec", "command"])
                    }
                };
                let what = || {
                    if hook {
                        format!("its {field} hook")
                    } else {
                        format!("its {field}")
                    }
                };
                report_writes(
                    out,
                    &words,
                    &|i| pod.item(&at(), i),
                    &|| format!("container `{name}` writes {HOSTS} in {}", what()),
                );
            }
            for (i, m) in k.volume_mounts.iter().flatten().enumerate() {
                if m.mount_path.trim_end_matches('/') == HOSTS {
                    out.push(
                        Finding::new(
                            EtcHostsEdit::ID,
                            pointer::push(&pod.item(&c.field("volumeMounts"), i), "mountPath"),
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
                        EtcHostsEdit::ID,
                        pointer::join(&pod.item(&pod.field("volumes"), i), &["hostPath", "path"]),
                        format!("volume `{}` is the node's {HOSTS} (hostPath)", v.name),
                    )
                    .label("the node's hosts file, not the Pod's")
                    .help(format!("{GENERIC_HELP}; reading or writing the node's file from a Pod ties it to that node")),
                );
            }
        }
    }
}

/// Report the writes to /etc/hosts of one command line (its words; `pointer` writes a word's
/// pointer and `message` the finding's first words, both only for a finding): one finding per
/// word that holds a write.
fn report_writes(
    out: &mut Vec<Finding>,
    argv: &[&str],
    pointer: &dyn Fn(usize) -> String,
    message: &dyn Fn() -> String,
) {
    if !argv.iter().any(|w| w.contains(HOSTS)) {
        return;
    }
    let message = message();
    for (word, entries) in writes_in_argv(argv) {
        let help = if entries.is_empty() {
            GENERIC_HELP.to_string()
        } else {
            let aliases = entries
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
            Finding::new(EtcHostsEdit::ID, pointer(word), format!("{message}; the kubelet owns that file and rewrites it when the Pod is recreated"))
                .at(Target::Value)
                .label(format!("writes {HOSTS}"))
                .help(help),
        );
    }
}

/// Literal `IP host...` entries written.
type Entries = Vec<(String, Vec<String>)>;

/// The words of an exec-form command line that write /etc/hosts, each with the literal
/// entries written (empty when any is not literal).
///
/// The argv itself is one simple command (no shell: `[sed, -i, ..., /etc/hosts]`); the
/// script of a shell's `-c` (`sh`, `bash`, `ash`, `dash`, `zsh`, `ksh`, also `-ec`, `-xc`,
/// `/bin/sh`) is a shell script of its own, and so is any other word that reads like one (it
/// holds spaces: a script handed to an entrypoint that runs it).
fn writes_in_argv(argv: &[&str]) -> Vec<(usize, Entries)> {
    let mut found: Vec<(usize, Entries)> = Vec::new();
    let words: Vec<String> = argv.iter().map(|w| w.to_string()).collect();
    let script = shell::script_index(&words);
    let cmd = Command {
        words: words.clone(),
        ..Command::default()
    };
    if script.is_none() && writes_hosts(&cmd) {
        if let Some(i) = argv.iter().position(|w| *w == HOSTS) {
            found.push((i, literal_entries(&entry_text(&[&cmd]))));
        }
    }
    for (i, w) in argv.iter().enumerate() {
        let is_script = script == Some(i) || (w.contains(char::is_whitespace) && w.contains(HOSTS));
        if !is_script || found.iter().any(|(j, _)| *j == i) {
            continue;
        }
        let writes = writes_in_script(w, 0);
        if writes.is_empty() {
            continue;
        }
        // Entries of every write in the script, when each of them has some.
        let entries: Entries = if writes.iter().all(|e| !e.is_empty()) {
            writes.into_iter().flatten().collect()
        } else {
            Vec::new()
        };
        found.push((i, entries));
    }
    found.sort_by_key(|(i, _)| *i);
    found
}

/// Every write to /etc/hosts in a shell script, each with its literal entries.
fn writes_in_script(script: &str, depth: usize) -> Vec<Entries> {
    let commands = shell::parse(script);
    let mut out = Vec::new();
    for (i, cmd) in commands.iter().enumerate() {
        if depth < 4 {
            // A nested `sh -c '...'`.
            if let Some(s) = shell::script_index(&cmd.words) {
                out.extend(writes_in_script(&cmd.words[s], depth + 1));
                continue;
            }
        }
        if !writes_hosts(cmd) {
            continue;
        }
        // The commands of the same pipeline up to this one (`echo ... | tee -a`).
        let pipeline: Vec<&Command> = commands[..=i]
            .iter()
            .filter(|c| c.pipeline == cmd.pipeline)
            .collect();
        out.push(literal_entries(&entry_text(&pipeline)));
    }
    out
}

/// The text written, for finding literal entries: the words of the commands (without the
/// /etc/hosts target) and their here-documents.
fn entry_text(cmds: &[&Command]) -> String {
    let mut text = String::new();
    for c in cmds {
        for w in c.words.iter().filter(|w| *w != HOSTS) {
            text.push_str(w);
            text.push(' ');
        }
        text.push('\n');
        text.push_str(&c.input);
        text.push('\n');
    }
    text
}

/// Whether a simple command writes /etc/hosts (a redirection onto it, `tee`, `sed -i`,
/// `cp`/`mv`/`install`/`ln` onto it, `dd of=`).
fn writes_hosts(cmd: &Command) -> bool {
    if cmd
        .redirects
        .iter()
        .any(|r| r.writes() && r.target == HOSTS)
    {
        return true;
    }
    let mut words = cmd.words.iter().map(String::as_str).peekable();
    // Assignments and wrappers before the program.
    while let Some(w) = words.peek() {
        let wrapper = matches!(
            *w,
            "sudo" | "doas" | "exec" | "command" | "nohup" | "env" | "busybox" | "time"
        );
        let assignment = w.contains('=') && !w.starts_with('-');
        if wrapper || assignment {
            words.next();
            if wrapper {
                while words.peek().is_some_and(|w| w.starts_with('-')) {
                    words.next();
                }
            }
        } else {
            break;
        }
    }
    let Some(program) = words.next().and_then(|w| w.rsplit('/').next()) else {
        return false;
    };
    let rest: Vec<&str> = words.collect();
    let operands: Vec<&str> = rest
        .iter()
        .copied()
        .filter(|w| !w.starts_with('-'))
        .collect();
    match program {
        "tee" => operands.contains(&HOSTS),
        "sed" => {
            operands.contains(&HOSTS)
                && rest.iter().any(|w| {
                    *w == "--in-place"
                        || w.starts_with("--in-place=")
                        || (w.starts_with('-') && !w.starts_with("--") && w.contains('i'))
                })
        }
        "cp" | "mv" | "install" | "ln" => operands.len() >= 2 && operands.last() == Some(&HOSTS),
        "dd" => rest.iter().any(|w| w.strip_prefix("of=") == Some(HOSTS)),
        _ => false,
    }
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

    fn script(t: &str) -> Vec<Entries> {
        writes_in_script(t, 0)
    }

    fn argv(words: &[&str]) -> Vec<usize> {
        writes_in_argv(words).into_iter().map(|(i, _)| i).collect()
    }

    #[test]
    fn writes_are_found() {
        for t in [
            "echo 10.0.0.1 db >> /etc/hosts ",
            "echo '10.0.0.1 db' > /etc/hosts",
            "echo x | sudo tee -a /etc/hosts",
            "sed -i 's/a/b/' /etc/hosts",
            "sed -i -e '$a 10.0.0.3 q' /etc/hosts",
            "cp /tmp/hosts /etc/hosts",
            "tee -a /etc/hosts < /tmp/extra",
            "echo hi; sed -i 's/a/b/' /etc/hosts",
            "true && cat /tmp/h>/etc/hosts",
            "cat >> /etc/hosts <<EOF\n10.0.0.2 x\nEOF",
            "sh -c 'echo 1.2.3.4 y >> /etc/hosts'",
            "dd if=/tmp/h of=/etc/hosts",
            "echo 10.0.0.1 a 2>/dev/null 1>>/etc/hosts",
        ] {
            assert_eq!(script(t).len(), 1, "{t}");
        }
        for t in [
            "cat /etc/hosts",
            "cp /etc/hosts /tmp/x",
            "sed -n p /etc/hosts",
            "echo x >> /etc/hosts.allow",
            "grep db /etc/hosts > /tmp/out",
            "echo '>> /etc/hosts'",
            "# echo 1 >> /etc/hosts",
            "cat <<EOF > /tmp/x\necho 1 >> /etc/hosts\nEOF",
        ] {
            assert!(script(t).is_empty(), "{t}");
        }
    }

    #[test]
    fn shell_scripts_are_read_as_scripts() {
        assert_eq!(argv(&["sh", "-c", "sed -i 's/old/new/' /etc/hosts"]), [2]);
        assert_eq!(argv(&["bash", "-c", "cp /tmp/h /etc/hosts"]), [2]);
        assert_eq!(
            argv(&["/bin/sh", "-ec", "tee -a /etc/hosts < /tmp/extra"]),
            [2]
        );
        assert_eq!(
            argv(&["zsh", "-x", "-c", "cp /tmp/h /etc/hosts", "name"]),
            [3]
        );
        assert_eq!(argv(&["sed", "-i", "/x/d", "/etc/hosts"]), [3]);
        assert_eq!(argv(&["tee", "-a", "/etc/hosts"]), [2]);
        // Exec form has no shell: `>>` is an argument.
        assert!(argv(&["echo", "1.2.3.4 x", ">>", "/etc/hosts"]).is_empty());
        assert!(argv(&["sh", "/etc/hosts"]).is_empty());
        assert!(argv(&["cat", "/etc/hosts"]).is_empty());
    }

    #[test]
    fn literal_lines_become_host_aliases() {
        let one = |ip: &str, hosts: &[&str]| {
            (
                ip.to_string(),
                hosts.iter().map(|h| h.to_string()).collect::<Vec<_>>(),
            )
        };
        assert_eq!(
            script("echo \"10.0.0.5 db.internal db\" >> /etc/hosts"),
            vec![vec![one("10.0.0.5", &["db.internal", "db"])]]
        );
        assert_eq!(
            script("echo '10.1.1.1 a' | tee -a /etc/hosts"),
            vec![vec![one("10.1.1.1", &["a"])]]
        );
        assert_eq!(
            script("sed -i '$a 192.168.1.9 cache' /etc/hosts"),
            vec![vec![one("192.168.1.9", &["cache"])]]
        );
        assert_eq!(
            script("cat >> /etc/hosts <<EOF\n10.0.0.2 x\n10.0.0.3 y z\nEOF\necho done"),
            vec![vec![one("10.0.0.2", &["x"]), one("10.0.0.3", &["y", "z"])]]
        );
        assert_eq!(
            script("cat <<-'END' | tee -a /etc/hosts\n\t10.0.0.4 w\n\tEND"),
            vec![vec![one("10.0.0.4", &["w"])]]
        );
        assert_eq!(script("echo \"$IP db\" >> /etc/hosts"), vec![vec![]]);
        assert_eq!(
            script("echo \"10.0.0.1 $HOST\" >> /etc/hosts"),
            vec![vec![]]
        );
        assert_eq!(
            script("printf '10.0.0.1 a\\n10.0.0.2 b\\n' >> /etc/hosts"),
            vec![vec![one("10.0.0.1", &["a"]), one("10.0.0.2", &["b"])]]
        );
        // The entries of an earlier, separate command are not part of this write.
        assert_eq!(
            script("echo 10.9.9.9 other > /tmp/x; tee -a /etc/hosts < /tmp/x"),
            vec![vec![]]
        );
    }

    proptest::proptest! {
        #[test]
        fn any_script_is_read_without_panicking(script in "[a-z /<>|&;()`'\"\\$=#\n\t0-9.-]{0,60}") {
            let _ = writes_in_script(&script, 0);
            let _ = writes_in_script(&format!("{script} >> /etc/hosts <<EOF\n{script}"), 0);
        }
    }
}
