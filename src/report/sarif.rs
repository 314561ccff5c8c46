//! `sarif`: SARIF 2.1.0 for code scanning. Every rule is listed in `tool.driver.rules` with its
//! documentation; every finding is a result with a physical location (relative URI, 1-based
//! region).

use crate::check::RunResult;
use crate::rules::{self, RuleMeta, Severity};
use serde_json::{json, Value};
use std::io::Write;

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

/// A URI relative to the repository: forward slashes, no leading `./`, characters escaped.
fn uri(path: &str) -> String {
    let p = path.replace('\\', "/");
    let p = p.strip_prefix("./").unwrap_or(&p);
    let mut out = String::with_capacity(p.len());
    for b in p.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

pub fn document(run: &RunResult) -> Value {
    let all = rules::all();
    let rules: Vec<Value> = all
        .iter()
        .map(|m| {
            json!({
                "id": m.id,
                "name": m.id,
                "shortDescription": {"text": m.summary},
                "fullDescription": {"text": full_description(m)},
                "defaultConfiguration": {"level": level(m.severity)},
                "help": {"text": m.doc, "markdown": m.doc},
                "properties": {"category": m.category.as_str(), "fixable": m.fixable},
            })
        })
        .collect();
    let results: Vec<Value> = run
        .diagnostics
        .iter()
        .map(|d| {
            let mut message = d.message.clone();
            if let Some(h) = &d.help {
                message.push_str("\nhelp: ");
                message.push_str(h);
            }
            let index = all.iter().position(|m| m.id == d.rule).unwrap_or(0);
            json!({
                "ruleId": d.rule,
                "ruleIndex": index,
                "level": level(d.severity),
                "message": {"text": message},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": uri(&d.path)},
                        "region": {
                            "startLine": d.line.max(1),
                            "startColumn": d.column.max(1),
                            "endLine": d.end_line.max(d.line).max(1),
                            "endColumn": if d.end_line == d.line { d.end_column.max(d.column).max(1) } else { d.end_column.max(1) },
                        }
                    }
                }],
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "kubevet",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/kubevet/kubevet",
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    })
}

pub fn write(out: &mut dyn Write, run: &RunResult) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &document(run))?;
    writeln!(out)
}
