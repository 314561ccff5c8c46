//! `sarif`: SARIF 2.1.0 for code scanning. Every rule is listed in `tool.driver.rules` with its
//! documentation (plain text and markdown) and a link to it; every finding is a result with a
//! physical location and a partial fingerprint, so code scanning can follow a finding across
//! runs even when lines move.
//!
//! Security rules (category `security`) also carry `properties.tags: ["security"]` and
//! `properties.security-severity`, the score GitHub code scanning ranks alerts by
//! ([`security_severity`]).
//!
//! Artifact URIs are relative to the working directory (`uriBaseId: "%SRCROOT%"`, declared in
//! `run.originalUriBaseIds`), whatever form the path had on the command line; a file outside
//! the working directory gets an absolute `file://` URI.

use crate::diagnostic::Diagnostic;
use crate::pss::{Control, Level};
use crate::rules::{self, Category, RuleMeta, Severity};
use crate::run::RunResult;
use crate::run::Totals;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

/// The base id relative artifact URIs are resolved against.
pub const SRCROOT: &str = "%SRCROOT%";

/// What `discover` names standard input when no `--stdin-filename` is given.
const STDIN_DISPLAY: &str = "<stdin>";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The rule doc without its title line: the full description.
fn full_description(m: &RuleMeta) -> String {
    let body: Vec<&str> = m
        .doc
        .lines()
        .skip_while(|l| l.starts_with('#') || l.trim().is_empty())
        .collect();
    let first_para: Vec<&str> = body
        .iter()
        .take_while(|l| !l.trim().is_empty())
        .copied()
        .collect();
    let why = section(m.doc, "## Why it matters");
    if why.is_empty() {
        first_para.join(" ")
    } else {
        format!("{} {}", first_para.join(" "), why)
    }
}

/// The text of a `## ` section of a rule doc, as one paragraph.
pub fn section(doc: &str, heading: &str) -> String {
    doc.lines()
        .skip_while(|l| l.trim() != heading)
        .skip(1)
        .take_while(|l| !l.starts_with("## "))
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ")
        .trim()
        .to_string()
}

/// A rule id as words run together, in the PascalCase SARIF viewers show as a rule's name:
/// `latest-tag-pull-policy` -> `LatestTagPullPolicy`.
pub fn rule_name(id: &str) -> String {
    id.split('-')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_uppercase().chain(c).collect::<String>(),
                None => String::new(),
            }
        })
        .collect()
}

/// A rule doc's markdown as plain text: headings without their `#`, code fences dropped (the
/// code indented instead), inline code and emphasis markers removed, links as `text (url)`.
pub fn plain_text(markdown: &str) -> String {
    let mut out = String::new();
    let mut in_code = false;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            out.push_str("    ");
            out.push_str(line);
        } else if let Some(h) = line.strip_prefix('#') {
            out.push_str(h.trim_start_matches('#').trim());
        } else {
            out.push_str(&inline_plain(line));
        }
        out.push('\n');
    }
    out.trim_end().to_string()
}

/// One markdown line without inline markup.
fn inline_plain(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        match c {
            '`' => {
                // Inline code: keep its text verbatim, drop the backticks.
                let after = &rest[1..];
                match after.find('`') {
                    Some(end) => {
                        out.push_str(&after[..end]);
                        rest = &after[end + 1..];
                    }
                    None => {
                        out.push('`');
                        rest = after;
                    }
                }
            }
            '*' if rest.starts_with("**") => rest = &rest[2..],
            '[' => {
                // `[text](url)` -> `text (url)`.
                let link = rest.find("](").and_then(|mid| {
                    let close = rest[mid + 2..].find(')')? + mid + 2;
                    Some((mid, close))
                });
                match link {
                    Some((mid, close)) => {
                        out.push_str(&inline_plain(&rest[1..mid]));
                        out.push_str(" (");
                        out.push_str(&rest[mid + 2..close]);
                        out.push(')');
                        rest = &rest[close + 1..];
                    }
                    None => {
                        out.push('[');
                        rest = &rest[1..];
                    }
                }
            }
            _ => {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    out
}

/// Percent-encode a path for a URI (RFC 3986): unreserved characters and `/` stay, every
/// other byte of the UTF-8 text is escaped (so `:` in a first segment cannot pass for a
/// scheme, and `%`, `#`, `?`, spaces and non-ASCII are safe).
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A path with `.` and `..` resolved lexically.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Forward slashes, whatever the platform.
fn slashes(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// The `file://` URI of an absolute path (a directory URI when `dir`: it ends in `/`).
pub fn file_uri(abs: &Path, dir: bool) -> String {
    let mut p = slashes(abs);
    if !p.starts_with('/') {
        // A Windows drive path: `C:/x` -> `/C:/x`.
        p.insert(0, '/');
    }
    if dir && !p.ends_with('/') {
        p.push('/');
    }
    // A drive letter's colon stays as it is; everything else is encoded.
    let mut encoded = encode_path(&p);
    if let Some(drive) = p.get(1..3).filter(|d| d.ends_with(':')) {
        encoded = encoded.replacen(&format!("{}%3A", &drive[..1]), drive, 1);
    }
    format!("file://{encoded}")
}

/// Where a diagnostic's file is, as a SARIF artifact location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Artifact {
    /// The URI: relative to `%SRCROOT%` when `relative`, else absolute (or, for unnamed
    /// standard input, the bare name `stdin`).
    pub uri: String,
    pub relative: bool,
}

/// The artifact location of `path` (as given on the command line) for a run in `root`.
pub fn artifact(path: &str, root: &Path) -> Artifact {
    if path == STDIN_DISPLAY {
        // Unnamed standard input is no file of the checkout: a bare name, with no base.
        return Artifact {
            uri: "stdin".into(),
            relative: false,
        };
    }
    let given = Path::new(path);
    let abs = normalize(&if given.is_absolute() {
        given.to_path_buf()
    } else {
        root.join(given)
    });
    let root = normalize(root);
    let under = abs
        .strip_prefix(&root)
        .ok()
        .map(Path::to_path_buf)
        .or_else(|| {
            // Symlinked directories (`/tmp` -> `/private/tmp`): compare real paths.
            let real = std::fs::canonicalize(&abs).ok()?;
            let real_root = std::fs::canonicalize(&root).ok()?;
            real.strip_prefix(&real_root).ok().map(Path::to_path_buf)
        });
    match under {
        Some(rel) if !rel.as_os_str().is_empty() => Artifact {
            uri: encode_path(&slashes(&rel)),
            relative: true,
        },
        _ => Artifact {
            uri: file_uri(&abs, false),
            relative: false,
        },
    }
}

/// 64-bit FNV-1a: small, fast and the same on every platform and release (unlike std's
/// hasher), which is what a fingerprint needs.
fn fnv1a(data: &[u8], seed: u64) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64 ^ seed;
    for b in data {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// A stable hash of what identifies a finding apart from where its lines are: rule, file,
/// object and pointer (the message stands in for the pointer of findings that have none,
/// such as syntax errors).
pub fn fingerprint(d: &Diagnostic, uri: &str) -> String {
    let mut key = String::new();
    key.push_str(d.rule.as_str());
    key.push('\0');
    key.push_str(uri);
    key.push('\0');
    if let Some(o) = &d.object {
        for part in [&o.api_version, &o.kind, &o.namespace, &o.name] {
            key.push_str(part.as_deref().unwrap_or(""));
            key.push('\0');
        }
    }
    match &d.pointer {
        Some(p) => key.push_str(p),
        None => key.push_str(&d.message),
    }
    let bytes = key.as_bytes();
    format!(
        "{:016x}{:016x}",
        fnv1a(bytes, 0),
        fnv1a(bytes, 0x9e37_79b9_7f4a_7c15)
    )
}

/// The documentation link of a rule (`rules/<id>.md` in the repository), used by SARIF's
/// `helpUri` and the language server's `codeDescription`.
pub fn rule_doc_url(id: &str) -> String {
    format!("{}/blob/main/rules/{id}.md", super::REPOSITORY_URL)
}

fn region(line: usize, column: usize, end_line: usize, end_column: usize) -> Value {
    let start_line = line.max(1);
    let start_column = column.max(1);
    let end_line = end_line.max(start_line);
    let end_column = if end_line == start_line {
        end_column.max(start_column)
    } else {
        end_column.max(1)
    };
    json!({
        "startLine": start_line,
        "startColumn": start_column,
        "endLine": end_line,
        "endColumn": end_column,
    })
}

fn artifact_location(a: &Artifact) -> Value {
    if a.relative {
        json!({"uri": a.uri, "uriBaseId": SRCROOT})
    } else {
        json!({"uri": a.uri})
    }
}

/// The `security-severity` of a security rule, as GitHub reads it (a number in a string;
/// 9.0 and above is critical, 7.0 high, 4.0 medium, 0.1 low): a Pod Security Standards
/// baseline control (a known privilege escalation) and any error-level rule are high, "8.0";
/// a restricted control and any warning-level rule are medium, "5.0"; an info-level rule is
/// low, "2.0". `None` for rules of other categories.
pub fn security_severity(m: &RuleMeta) -> Option<&'static str> {
    if m.category != Category::Security {
        return None;
    }
    let pss = Control::ALL
        .into_iter()
        .filter(|c| c.rule_id() == m.id)
        .map(Control::level)
        .min();
    Some(match (pss, m.severity) {
        (Some(Level::Baseline), _) | (None, Severity::Error) => "8.0",
        (Some(_), _) | (None, Severity::Warning) => "5.0",
        (None, Severity::Info) => "2.0",
    })
}

/// Every rule, for `tool.driver.rules`.
fn rules_json() -> Vec<Value> {
    rules::all()
        .iter()
        .map(|m| {
            let mut properties = json!({"category": m.category.as_str(), "fixable": m.fixable});
            if let Some(score) = security_severity(m) {
                properties["tags"] = json!(["security"]);
                properties["security-severity"] = json!(score);
            }
            json!({
                "id": m.id,
                "name": rule_name(m.id),
                "shortDescription": {"text": m.summary()},
                "fullDescription": {"text": full_description(m)},
                "defaultConfiguration": {"level": level(m.severity)},
                "helpUri": rule_doc_url(m.id),
                "help": {"text": plain_text(m.doc), "markdown": m.doc},
                "properties": properties,
            })
        })
        .collect()
}

/// One result. `n` tells apart findings with the same fingerprint in one file.
fn result(d: &Diagnostic, a: &Artifact, hash: &str, n: usize) -> Value {
    let mut message = d.message.clone();
    if let Some(t) = &d.template {
        message.push_str("\nrendered from the Helm template ");
        message.push_str(t);
    }
    if let Some(h) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(h);
    }
    let index = rules::all()
        .iter()
        .position(|m| m.rule == d.rule)
        .unwrap_or(0);
    let location = artifact_location(a);
    let related: Vec<Value> = d
        .related
        .iter()
        .enumerate()
        .map(|(i, r)| {
            json!({
                "id": i,
                "message": {"text": r.message},
                "physicalLocation": {
                    "artifactLocation": location,
                    "region": region(r.line, r.column, r.end_line, r.end_column),
                }
            })
        })
        .collect();
    let mut result = json!({
        "ruleId": d.rule,
        "ruleIndex": index,
        "level": level(d.severity),
        "message": {"text": message},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": location,
                "region": region(d.line, d.column, d.end_line, d.end_column),
            }
        }],
        "partialFingerprints": {"kubevetFingerprint/v1": format!("{hash}:{n}")},
    });
    if !related.is_empty() {
        result["relatedLocations"] = Value::Array(related);
    }
    if let Some(t) = &d.template {
        result["properties"] = json!({"helmTemplate": t});
    }
    result
}

/// Writes a SARIF log as the run goes: the tool and its rules first, each result as its file
/// is done, the invocation last. Only the current file's state is kept.
pub struct Emitter {
    root: PathBuf,
    /// The current file's artifact, and how often each fingerprint occurred in it (a
    /// fingerprint includes the file, so counts never carry over to the next one).
    file: Option<(String, Artifact)>,
    seen: HashMap<String, usize>,
    results: usize,
}

impl Emitter {
    /// An emitter for a run made in the working directory `root`.
    pub fn new(root: PathBuf) -> Emitter {
        Emitter {
            root,
            file: None,
            seen: HashMap::new(),
            results: 0,
        }
    }

    fn artifact_of(&mut self, path: &str) -> Artifact {
        match &self.file {
            Some((p, a)) if p == path => a.clone(),
            _ => {
                let a = artifact(path, &self.root);
                self.file = Some((path.to_string(), a.clone()));
                self.seen.clear();
                a
            }
        }
    }
}

/// Pretty JSON of `v`, with every line after the first indented by `indent` spaces, to sit
/// inside hand-written pretty JSON.
fn nested(mut v: Value, indent: usize) -> String {
    // Keys sorted: the file reads the same whatever order the code builds them in.
    v.sort_all_objects();
    let text = serde_json::to_string_pretty(&v).unwrap_or_else(|_| "null".into());
    text.replace('\n', &format!("\n{}", " ".repeat(indent)))
}

impl super::Emitter for Emitter {
    fn begin(&mut self, out: &mut dyn Write) -> std::io::Result<()> {
        let tool = json!({"driver": {
            "name": "kubevet",
            "version": env!("CARGO_PKG_VERSION"),
            "informationUri": super::REPOSITORY_URL,
            "rules": rules_json(),
        }});
        let bases = json!({SRCROOT: {"uri": file_uri(&self.root, true)}});
        write!(
            out,
            "{{\n  \"$schema\": \"https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json\",\n  \"version\": \"2.1.0\",\n  \"runs\": [\n    {{\n      \"tool\": {},\n      \"originalUriBaseIds\": {},\n      \"columnKind\": \"unicodeCodePoints\",\n      \"results\": [",
            nested(tool, 6),
            nested(bases, 6)
        )
    }

    fn diagnostics(&mut self, out: &mut dyn Write, ds: &[Diagnostic]) -> std::io::Result<()> {
        for d in ds {
            let a = self.artifact_of(&d.path);
            let hash = fingerprint(d, &a.uri);
            let n = self.seen.entry(hash.clone()).or_insert(0);
            *n += 1;
            let r = result(d, &a, &hash, *n);
            let sep = if self.results == 0 { "" } else { "," };
            write!(out, "{sep}\n        {}", nested(r, 8))?;
            self.results += 1;
        }
        Ok(())
    }

    fn end(&mut self, out: &mut dyn Write, _totals: &Totals) -> std::io::Result<()> {
        let invocations = json!([{
            "executionSuccessful": true,
            "workingDirectory": {"uri": file_uri(&self.root, true)},
        }]);
        let close = if self.results == 0 { "" } else { "\n      " };
        writeln!(
            out,
            "{close}],\n      \"invocations\": {}\n    }}\n  ]\n}}",
            nested(invocations, 6)
        )
    }
}

/// The SARIF log of a whole run made in the working directory `root`, as a value.
pub fn document(run: &RunResult, root: &Path) -> Value {
    let mut text = Vec::new();
    let _ = super::write_with(&mut text, &mut Emitter::new(root.to_path_buf()), run);
    serde_json::from_slice(&text).unwrap_or(Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_plain_text() {
        assert_eq!(rule_name("latest-tag-pull-policy"), "LatestTagPullPolicy");
        assert_eq!(rule_name("io"), "Io");
        let text = plain_text(
            "# id\n\nUse `hostAliases`, **not** [the docs](https://x.y/z).\n\n## Example\n```yaml\na: `b`\n```\n",
        );
        assert_eq!(
            text,
            "id\n\nUse hostAliases, not the docs (https://x.y/z).\n\nExample\n    a: `b`"
        );
    }

    #[test]
    fn security_rules_carry_a_security_severity_and_tag() {
        let rule = |id: &str| {
            rules_json()
                .into_iter()
                .find(|r| r["id"] == id)
                .expect("listed")
        };
        let privileged = rule("privileged-container");
        assert_eq!(privileged["properties"]["security-severity"], "8.0");
        assert_eq!(privileged["properties"]["tags"], json!(["security"]));
        assert_eq!(
            rule("run-as-non-root")["properties"]["security-severity"],
            "5.0"
        );
        assert_eq!(
            rule("seccomp-profile")["properties"]["security-severity"],
            "8.0"
        );
        let schema = rule("schema");
        assert!(schema["properties"].get("security-severity").is_none());
        assert!(schema["properties"].get("tags").is_none());
        for m in rules::all() {
            let score = security_severity(m);
            assert_eq!(
                score.is_some(),
                m.category == Category::Security,
                "{}",
                m.id
            );
            if let Some(s) = score {
                let n: f64 = s.parse().expect("a number");
                assert!((0.1..=10.0).contains(&n), "{}", m.id);
            }
        }
    }

    #[test]
    fn artifact_uris() {
        let root = Path::new("/work/repo");
        let rel = |p: &str| artifact(p, root);
        assert_eq!(
            rel("deploy/web.yaml"),
            Artifact {
                uri: "deploy/web.yaml".into(),
                relative: true
            }
        );
        assert_eq!(rel("./deploy/../a b.yaml").uri, "a%20b.yaml");
        assert_eq!(rel("/work/repo/x/y.yaml").uri, "x/y.yaml");
        assert!(rel("/work/repo/x/y.yaml").relative);
        assert_eq!(
            rel("/elsewhere/é#1.yaml"),
            Artifact {
                uri: "file:///elsewhere/%C3%A9%231.yaml".into(),
                relative: false
            }
        );
        assert_eq!(rel("../up.yaml").uri, "file:///work/up.yaml");
        assert_eq!(rel("c:d.yaml").uri, "c%3Ad.yaml");
        assert_eq!(rel("<stdin>").uri, "stdin");
        assert_eq!(file_uri(root, true), "file:///work/repo/");
    }
}
