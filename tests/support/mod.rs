//! Test support shared by the integration tests: the fixture files, the marks and flags they
//! carry, the engine a fixture is checked with, and its diagnostics and human output.
#![allow(dead_code)]

use clap::Parser;
use kubevet::check::Engine;
use kubevet::cli::{CheckArgs, Cli, Command};
use kubevet::diagnostic::Diagnostic;
use kubevet::discover::{Input, Source};
use kubevet::report::{write, Format, ReportOptions};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Directories under `fixtures/` that hold inputs for flags, not manifests.
const NOT_MANIFESTS: [&str; 1] = ["schemas"];

/// Whether a directory is a fixture tree (its name ends in `-tree`): its files are checked
/// together, as `kubevet check DIR` reads them (a Kustomize tree), not one by one.
pub fn is_tree(dir: &Path) -> bool {
    dir.file_name()
        .is_some_and(|n| n.to_string_lossy().ends_with("-tree"))
}

/// The manifests (`*.yaml`, `*.yml`) under `dir`, sorted; inside fixture trees only when
/// `trees` is true, outside them only when it is false.
fn manifests(dir: &Path, trees: bool) -> Vec<PathBuf> {
    fn walk(dir: &Path, in_tree: bool, trees: bool, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                if !p
                    .file_name()
                    .is_some_and(|n| NOT_MANIFESTS.iter().any(|x| n == *x))
                {
                    walk(&p, in_tree || is_tree(&p), trees, out);
                }
            } else if in_tree == trees && p.extension().is_some_and(|x| x == "yaml" || x == "yml") {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, is_tree(dir), trees, &mut out);
    out.sort();
    out
}

/// Every fixture manifest under `dir` that is checked on its own (not in a fixture tree).
pub fn fixture_files(dir: &Path) -> Vec<PathBuf> {
    manifests(dir, false)
}

/// Every manifest inside the fixture trees under `dir`.
pub fn tree_files(dir: &Path) -> Vec<PathBuf> {
    manifests(dir, true)
}

/// The fixture trees under `dir` (outermost ones), sorted.
pub fn fixture_trees(dir: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                if is_tree(&p) {
                    out.push(p);
                } else {
                    walk(&p, out);
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, &mut out);
    out.sort();
    out
}

/// Where a fixture tree's findings and the marks of its files disagree. The tree is checked as
/// `kubevet check TREE` would, with the flags of its optional `fixture-args` file.
pub fn tree_mismatches(tree: &Path) -> Vec<String> {
    let args: Vec<String> = std::fs::read_to_string(tree.join("fixture-args"))
        .map(|s| s.split_whitespace().map(str::to_string).collect())
        .unwrap_or_default();
    let dir = tree.to_string_lossy().into_owned();
    let engine = engine(&args, &dir);
    let inputs =
        kubevet::discover::discover(std::slice::from_ref(&dir), &Default::default()).expect("walk");
    let found = kubevet::run::check_all(&engine, &inputs).diagnostics;
    let mut got: BTreeMap<(String, usize, String), usize> = BTreeMap::new();
    for d in &found {
        *got.entry((d.path.clone(), d.line, d.rule.to_string()))
            .or_insert(0) += 1;
    }
    let mut want: BTreeMap<(String, usize, String), usize> = BTreeMap::new();
    for f in tree_files(tree) {
        let text = std::fs::read_to_string(&f).expect("read");
        for ((line, rule), n) in expectations(&text) {
            want.insert((f.to_string_lossy().into_owned(), line, rule), n);
        }
    }
    let mut problems = Vec::new();
    for (key, n) in &want {
        let g = got.get(key).copied().unwrap_or(0);
        if g != *n {
            problems.push(format!(
                "{}:{}: expected {} ({n}x) but got it {g}x",
                key.0, key.1, key.2
            ));
        }
    }
    for d in &found {
        let key = (d.path.clone(), d.line, d.rule.to_string());
        if !want.contains_key(&key) {
            problems.push(format!(
                "{}:{}:{}: unexpected {}: {}",
                d.path, d.line, d.column, d.rule, d.message
            ));
        }
    }
    problems
}

/// The extra `kubevet check` arguments of a fixture (`# fixture-args: --flag value`), or of a
/// documentation example (a first line `# kubevet check FLAGS`).
pub fn fixture_args(text: &str) -> Vec<String> {
    let mut args = Vec::new();
    for line in text.lines() {
        if let Some(pos) = line.find("# fixture-args:") {
            args.extend(
                line[pos + "# fixture-args:".len()..]
                    .split_whitespace()
                    .map(str::to_string),
            );
        }
    }
    if let Some(rest) = text
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("# kubevet check"))
    {
        args.extend(rest.split_whitespace().map(str::to_string));
    }
    args
}

/// The `check` arguments: `extra`, then `path`.
pub fn check_args(extra: &[String], path: &str) -> CheckArgs {
    let mut argv = vec!["kubevet".to_string(), "check".to_string()];
    argv.extend(extra.iter().cloned());
    argv.push(path.to_string());
    let Command::Check(args) = Cli::try_parse_from(&argv).expect("arguments parse").command else {
        unreachable!("a check command")
    };
    *args
}

/// The engine `kubevet check` would build for these arguments.
pub fn engine(extra: &[String], path: &str) -> Engine {
    kubevet::app::build_engine(&check_args(extra, path)).expect("engine builds")
}

/// The diagnostics of `text`, checked as the file `path` with its own fixture arguments.
pub fn diagnostics(path: &str, text: &str) -> Vec<Diagnostic> {
    let engine = engine(&fixture_args(text), path);
    let input = Input {
        display: path.to_string(),
        source: Source::Stdin(text.as_bytes().to_vec()),
    };
    kubevet::run::check_all(&engine, &[input]).diagnostics
}

/// The human output for `text`, checked as the file `path`, without colour.
pub fn human(path: &str, text: &str) -> String {
    let engine = engine(&fixture_args(text), path);
    let input = Input {
        display: path.to_string(),
        source: Source::Stdin(text.as_bytes().to_vec()),
    };
    let run = kubevet::run::check_all(&engine, &[input]);
    let mut out = Vec::new();
    write(
        &mut out,
        Format::Human,
        &run,
        ReportOptions { color: false },
    )
    .expect("write");
    String::from_utf8(out).expect("utf-8")
}

/// (line, rule) -> how many findings the marks expect:
/// - `# expect: rule-a, rule-b` at the end of the line where each finding starts;
/// - `# expect-line N: rule` anywhere, for a finding that starts on line N (where a comment
///   cannot stand, e.g. inside a block scalar or at the end of a broken file).
pub fn expectations(text: &str) -> BTreeMap<(usize, String), usize> {
    let mut want = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
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
    want
}

/// Where the harness and the expectations disagree, one line each (empty: they agree).
pub fn mismatches(path: &str, text: &str) -> Vec<String> {
    let want = expectations(text);
    let found = diagnostics(path, text);
    let mut got: BTreeMap<(usize, String), usize> = BTreeMap::new();
    for d in &found {
        *got.entry((d.line, d.rule.to_string())).or_insert(0) += 1;
    }
    let mut problems = Vec::new();
    for ((line, rule), n) in &want {
        let g = got.get(&(*line, rule.clone())).copied().unwrap_or(0);
        if g < *n {
            problems.push(format!(
                "{path}:{line}: expected {rule} ({n}x) but got it {g}x"
            ));
        }
    }
    for d in &found {
        let key = (d.line, d.rule.to_string());
        if got[&key] > want.get(&key).copied().unwrap_or(0) {
            problems.push(format!(
                "{path}:{}:{}: unexpected {}: {}",
                d.line, d.column, d.rule, d.message
            ));
        }
    }
    problems.dedup();
    problems
}
