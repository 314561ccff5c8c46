//! The fixture harness: every `fixtures/**/*.yaml` marks the findings it expects inline, and the
//! whole linter must report exactly those — nothing missing, nothing extra (see
//! `support::expectations` for the marks; `# fixture-args: --flag value` adds flags). A fixture
//! that expects nothing is a passing case: any finding fails the test. A directory whose name
//! ends in `-tree` is checked whole, as `kubevet check DIR` reads it (Kustomize trees; its
//! optional `fixture-args` file holds flags), against the marks of all its files.

mod support;

use std::path::Path;

#[test]
fn every_fixture_reports_exactly_its_expectations() {
    let files = support::fixture_files(Path::new("fixtures"));
    assert!(files.len() > 5, "fixtures not found");
    let problems: Vec<String> = files
        .iter()
        .flat_map(|f| {
            let text = std::fs::read_to_string(f).expect("fixture is UTF-8");
            support::mismatches(&f.to_string_lossy(), &text)
        })
        .chain(
            support::fixture_trees(Path::new("fixtures"))
                .iter()
                .flat_map(|t| support::tree_mismatches(t)),
        )
        .collect();
    assert!(
        problems.is_empty(),
        "{} fixture mismatches:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn harness_catches_missing_and_extra_findings() {
    // The image is untagged (a finding no mark expects) and the mark names a line with none.
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p  # expect: latest-tag-pull-policy\nspec:\n  containers:\n  - name: c\n    image: nginx\n  restartPolicy: Never  # fixture-args: --ignore missing-resources\n";
    let problems = support::mismatches("wrong.yaml", text);
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].contains(":4: expected latest-tag-pull-policy"));
    assert!(problems[1].contains(":8:12: unexpected latest-tag-pull-policy"));
}
