//! The fixture harness: every `fixtures/**/*.yaml` marks the findings it expects inline, and the
//! whole linter must report exactly those — nothing missing, nothing extra.
//!
//! Marks:
//! - `# expect: rule-a, rule-b` at the end of the line where each finding starts;
//! - `# expect-line N: rule` anywhere, for a finding that starts on line N (where a comment
//!   cannot stand, e.g. inside a block scalar or at the end of a broken file);
//! - `# fixture-args: --flag value ...` on any line: extra `kubevet check` arguments.
//!
//! A fixture that expects nothing is a passing case: any finding fails the test.

use clap::Parser;
use kubevet::cli::{Cli, Command};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn fixture_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            // Schemas for --schema-dir live beside fixtures; they are not manifests.
            if p.file_name()
                .is_some_and(|n| n == "schemas" || n == "fix-expected")
            {
                continue;
            }
            fixture_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "yaml" || x == "yml") {
            out.push(p);
        }
    }
}

/// (line, rule) -> count expected by the marks.
pub fn expectations(text: &str) -> (BTreeMap<(usize, String), usize>, Vec<String>) {
    let mut want = BTreeMap::new();
    let mut args = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if let Some(pos) = line.find("# fixture-args:") {
            args.extend(
                line[pos + "# fixture-args:".len()..]
                    .split_whitespace()
                    .map(str::to_string),
            );
        }
        if let Some(pos) = line.find("# expect-line ") {
            let rest = &line[pos + "# expect-line ".len()..];
            if let Some((n, rules)) = rest.split_once(':') {
                let n: usize = n.trim().parse().expect("expect-line takes a line number");
                for r in rules.split(',').map(str::trim).filter(|r| !r.is_empty()) {
                    *want.entry((n, r.to_string())).or_insert(0) += 1;
                }
            }
        } else if let Some(pos) = line.find("# expect:") {
            for r in line[pos + "# expect:".len()..]
                .split(',')
                .map(str::trim)
                .filter(|r| !r.is_empty())
            {
                *want.entry((i + 1, r.to_string())).or_insert(0) += 1;
            }
        }
    }
    (want, args)
}

/// Run the linter on one fixture; returns the problems found, one line each.
pub fn check_fixture(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).expect("fixture is UTF-8");
    let (want, extra_args) = expectations(&text);
    let display = path.to_string_lossy().into_owned();
    let mut argv = vec!["kubevet".to_string(), "check".to_string()];
    argv.extend(extra_args);
    argv.push(display.clone());
    let cli = Cli::try_parse_from(&argv).expect("fixture-args parse");
    let Command::Check(args) = cli.command else {
        unreachable!()
    };
    let engine = kubevet::app::build_engine(&args).expect("engine builds");
    let input = kubevet::discover::Input {
        display: display.clone(),
        source: kubevet::discover::Source::Stdin(text.into_bytes()),
    };
    let result = kubevet::run::check_all(&engine, &[input]);
    let mut got: BTreeMap<(usize, String), usize> = BTreeMap::new();
    for d in &result.diagnostics {
        *got.entry((d.line, d.rule.clone())).or_insert(0) += 1;
    }
    let mut problems = Vec::new();
    for ((line, rule), n) in &want {
        let g = got.get(&(*line, rule.clone())).copied().unwrap_or(0);
        if g < *n {
            problems.push(format!(
                "{display}:{line}: expected {rule} ({n}x) but got it {g}x"
            ));
        }
    }
    for d in &result.diagnostics {
        let n = want.get(&(d.line, d.rule.clone())).copied().unwrap_or(0);
        let g = got.get(&(d.line, d.rule.clone())).copied().unwrap_or(0);
        if g > n {
            problems.push(format!(
                "{display}:{}:{}: unexpected {}: {}",
                d.line, d.column, d.rule, d.message
            ));
        }
    }
    problems.dedup();
    problems
}

#[test]
fn every_fixture_reports_exactly_its_expectations() {
    let mut files = Vec::new();
    fixture_files(Path::new("fixtures"), &mut files);
    files.sort();
    assert!(files.len() > 5, "fixtures not found");
    let problems: Vec<String> = files.iter().flat_map(|f| check_fixture(f)).collect();
    assert!(
        problems.is_empty(),
        "{} fixture mismatches:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn harness_catches_missing_and_extra_findings() {
    let dir = tempfile::tempdir().expect("tempdir");
    let wrong = dir.path().join("wrong.yaml");
    // The image is untagged (a finding no mark expects) and the mark names a line with none.
    std::fs::write(
        &wrong,
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p  # expect: latest-tag-pull-policy\nspec:\n  containers:\n  - name: c\n    image: nginx\n  restartPolicy: Never\n",
    )
    .expect("write");
    let problems = check_fixture(&wrong);
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].contains(":4: expected latest-tag-pull-policy"));
    assert!(problems[1].contains(":8:12: unexpected latest-tag-pull-policy"));
}

#[test]
fn every_rule_has_fixtures_and_docs() {
    for meta in kubevet::rules::all() {
        let dir = Path::new("fixtures/rules").join(meta.id);
        let mut files = Vec::new();
        fixture_files(&dir, &mut files);
        if ["io"].contains(&meta.id) {
            continue;
        }
        assert!(
            !files.is_empty(),
            "rule {} has no fixtures in {}",
            meta.id,
            dir.display()
        );
        let fires = files.iter().any(|f| {
            std::fs::read_to_string(f)
                .map(|t| {
                    t.contains(&format!("expect: {}", meta.id))
                        || t.contains(&format!(": {}", meta.id))
                })
                .unwrap_or(false)
        });
        assert!(fires, "no fixture of {} expects it to fire", meta.id);
        assert!(
            meta.doc.contains("## What it does") && meta.doc.contains("## Why it matters"),
            "rules/{}.md lacks its sections",
            meta.id
        );
    }
}
