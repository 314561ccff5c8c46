//! Snapshots (insta) of what users read: the human output of every fixture, and the diff
//! `--fix` makes to every fixture that offers fixes, so message and fix quality are reviewed
//! with every change (`cargo insta review`, or `INSTA_UPDATE=always cargo test`). Snapshot
//! files are named after their fixture (`human@rules__<id>__<file>.snap`).

mod support;

use std::path::Path;

/// The snapshot suffix of a fixture: its path below `fixtures/`, `/` written `__`.
fn suffix(fixture: &Path) -> String {
    fixture
        .strip_prefix("fixtures")
        .expect("below fixtures/")
        .to_string_lossy()
        .replace('/', "__")
}

/// Run `assert` for every fixture under its own suffix; report every mismatch, not the first.
fn for_every_fixture(assert: impl Fn(&str, &str)) {
    let mut failed = Vec::new();
    for f in support::fixture_files(Path::new("fixtures")) {
        let text = std::fs::read_to_string(&f).expect("read");
        let path = f.to_string_lossy().into_owned();
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_suffix(suffix(&f));
        settings.set_prepend_module_to_snapshot(false);
        settings.set_input_file(&f);
        let ok = settings.bind(|| {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| assert(&path, &text)))
        });
        if ok.is_err() {
            failed.push(path);
        }
    }
    assert!(
        failed.is_empty(),
        "snapshots differ for:\n{}",
        failed.join("\n")
    );
}

#[test]
fn human_output_of_every_fixture() {
    for_every_fixture(|path, text| {
        insta::assert_snapshot!("human", support::human(path, text));
    });
}

#[test]
fn fix_diff_of_every_fixable_fixture() {
    for_every_fixture(|path, text| {
        let engine = support::engine(&support::fixture_args(text), path);
        let fixed = engine.fix(path, text);
        if fixed.applied == 0 {
            return;
        }
        assert!(fixed.converged, "{path}: fixes do not converge");
        let diff = similar::TextDiff::from_lines(text, &fixed.text)
            .unified_diff()
            .context_radius(2)
            .header(path, &format!("{path} (fixed)"))
            .to_string();
        insta::assert_snapshot!("fix", diff);
    });
}
