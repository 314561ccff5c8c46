//! Snapshots of the human output for a few fixtures, so message quality is reviewed with every
//! change (`cargo insta review`).

use clap::Parser;
use kubevet::check::check_all;
use kubevet::discover::{discover, WalkOptions};
use kubevet::report::{write, Format, ReportOptions};

fn human(path: &str) -> String {
    // Honour the fixture's `# fixture-args:` like the fixture harness does.
    let text = std::fs::read_to_string(path).expect("fixture");
    let mut argv = vec!["kubevet".to_string(), "check".to_string()];
    for line in text.lines() {
        if let Some(pos) = line.find("# fixture-args:") {
            argv.extend(
                line[pos + "# fixture-args:".len()..]
                    .split_whitespace()
                    .map(str::to_string),
            );
        }
    }
    argv.push(path.to_string());
    let kubevet::cli::Command::Check(args) = kubevet::cli::Cli::try_parse_from(&argv)
        .expect("fixture-args parse")
        .command
    else {
        unreachable!()
    };
    let args = *args;
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

#[test]
fn misplaced_field_human() {
    insta::assert_snapshot!(human("fixtures/rules/misplaced-field/fail.yaml"));
}

#[test]
fn misplaced_field_missing_levels_human() {
    insta::assert_snapshot!(human("fixtures/rules/misplaced-field/create-and-nest.yaml"));
}

#[test]
fn etc_hosts_edit_scripts_human() {
    insta::assert_snapshot!(human("fixtures/rules/etc-hosts-edit/shell-scripts.yaml"));
}

#[test]
fn projected_items_shape_human() {
    insta::assert_snapshot!(human("fixtures/rules/projected-items-shape/fail.yaml"));
}

#[test]
fn schema_messages_human() {
    insta::assert_snapshot!(human("fixtures/rules/schema/messages.yaml"));
}

#[test]
fn schema_enums_human() {
    insta::assert_snapshot!(human("fixtures/rules/schema/enums.yaml"));
}

#[test]
fn crd_keywords_human() {
    insta::assert_snapshot!(human("fixtures/schema/crd-keywords.yaml"));
}

#[test]
fn duplicate_key_far_apart_human() {
    insta::assert_snapshot!(human("fixtures/rules/duplicate-key/far-apart.yaml"));
}
