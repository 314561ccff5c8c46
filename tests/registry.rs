//! The registry, the rule documents, the fixtures and the fix snapshots match one to one, both
//! ways: every rule has `rules/<id>.md` with its sections, a fixture folder with a failing and
//! a passing case, and offers fixes on its fixtures exactly when it declares them; nothing in
//! `rules/`, `fixtures/rules/` or the snapshots belongs to no rule.

mod support;

use kubevet::rules::RuleId;
use std::collections::BTreeSet;
use std::path::Path;

fn ids() -> BTreeSet<String> {
    RuleId::ALL.iter().map(|r| r.to_string()).collect()
}

fn names_in(dir: &str, keep: impl Fn(&Path) -> Option<String>) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .expect("directory")
        .flatten()
        .filter_map(|e| keep(&e.path()))
        .collect()
}

#[test]
fn every_rule_has_a_document_and_every_document_a_rule() {
    let docs = names_in("rules", |p| {
        (p.extension()? == "md").then(|| p.file_stem()?.to_str().map(str::to_string))?
    });
    assert_eq!(docs, ids(), "rules/*.md and the registry differ");
    for r in RuleId::ALL {
        let doc = r.meta().doc;
        assert!(doc.starts_with(&format!("# {r}\n")), "rules/{r}.md: title");
        for section in [
            "## What it does",
            "## Why it matters",
            "## Example",
            "## Use instead",
        ] {
            assert!(doc.contains(section), "rules/{r}.md lacks `{section}`");
        }
    }
}

#[test]
fn every_rule_has_a_failing_and_a_passing_fixture_and_every_folder_a_rule() {
    let dirs = names_in("fixtures/rules", |p| {
        p.is_dir()
            .then(|| p.file_name()?.to_str().map(str::to_string))?
    });
    assert_eq!(dirs, ids(), "fixtures/rules/* and the registry differ");
    for r in RuleId::ALL {
        let dir = Path::new("fixtures/rules").join(r.as_str());
        let mut files = support::fixture_files(&dir);
        files.extend(support::tree_files(&dir));
        let marks: Vec<_> = files
            .iter()
            .map(|f| support::expectations(&std::fs::read_to_string(f).expect("read")))
            .collect();
        assert!(
            marks
                .iter()
                .any(|m| m.keys().any(|(_, rule)| rule == r.as_str())),
            "no fixture of {r} expects it to fire"
        );
        assert!(
            marks
                .iter()
                .any(|m| !m.keys().any(|(_, rule)| rule == r.as_str())),
            "{r} has no passing fixture (one where it does not fire)"
        );
    }
}

#[test]
fn rules_offer_fixes_exactly_when_they_declare_them() {
    let mut offered = BTreeSet::new();
    for f in support::fixture_files(Path::new("fixtures")) {
        let text = std::fs::read_to_string(&f).expect("read");
        for d in support::diagnostics(&f.to_string_lossy(), &text) {
            if d.fix.is_some() {
                assert!(
                    d.rule.meta().fixable,
                    "{}: {} offers a fix but does not declare `fixable: true`",
                    f.display(),
                    d.rule
                );
                offered.insert(d.rule);
            }
        }
    }
    for r in RuleId::ALL.iter().filter(|r| r.meta().fixable) {
        assert!(
            offered.contains(r),
            "{r} declares `fixable: true` but offers no fix on its fixtures"
        );
    }
}

#[test]
fn every_snapshot_belongs_to_a_fixture() {
    for e in std::fs::read_dir("tests/snapshots")
        .expect("snapshots")
        .flatten()
    {
        let name = e.file_name().to_string_lossy().into_owned();
        if !name.ends_with(".snap") {
            // A `.snap.new` awaits review; the snapshot test itself reports it.
            continue;
        }
        let Some((_, fixture)) = name.split_once('@') else {
            panic!(
                "tests/snapshots/{name}: not a fixture snapshot (named `<kind>@<fixture>.snap`)"
            );
        };
        let fixture = fixture
            .strip_suffix(".snap")
            .expect(".snap")
            .replace("__", "/");
        assert!(
            Path::new("fixtures").join(&fixture).is_file(),
            "tests/snapshots/{name}: no fixture `fixtures/{fixture}`"
        );
    }
}
