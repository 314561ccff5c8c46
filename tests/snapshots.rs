//! Snapshots of the human output for a few fixtures, so message quality is reviewed with every
//! change (`cargo insta review`).

use kubevet::check::check_all;
use kubevet::discover::{discover, WalkOptions};
use kubevet::report::{write, Format, ReportOptions};

fn human(path: &str) -> String {
    let args = kubevet::cli::CheckArgs {
        paths: vec![path.to_string()],
        ..Default::default()
    };
    let engine = kubevet::app::build_engine(&args).expect("engine");
    let inputs = discover(&args.paths, &WalkOptions::default()).expect("inputs");
    let run = check_all(&engine, &inputs);
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

#[test]
fn latest_tag_human() {
    insta::assert_snapshot!(human("fixtures/rules/latest-tag-pull-policy/fail.yaml"));
}

#[test]
fn duplicate_key_human() {
    insta::assert_snapshot!(human("fixtures/rules/duplicate-key/fail.yaml"));
}

#[test]
fn yaml_syntax_human() {
    insta::assert_snapshot!(human("fixtures/rules/yaml-syntax/unclosed-flow.yaml"));
}
