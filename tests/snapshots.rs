//! Snapshots (insta) of what users read: the human output of every fixture, and the diff
//! `--fix` makes to every fixture that offers fixes, so message and fix quality are reviewed
//! with every change (`cargo insta review`, or `INSTA_UPDATE=always cargo test`). Snapshot
//! files are named after their fixture (`human@rules__<id>__<file>.snap`).

mod support;

use kubevet::diagnostic::Diagnostic;
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

/// The human format writes the common shape of diagnostic (one line of plain source, one
/// span) directly instead of through the renderer: on every fixture's diagnostics, and on each
/// with its line number, label and notes varied, both must write the same bytes.
#[test]
fn the_direct_plain_writer_agrees_with_the_renderer() {
    use annotate_snippets::{renderer::DecorStyle, Renderer};
    use kubevet::report::human::{plain_one_line, render};
    let renderer = Renderer::plain().decor_style(DecorStyle::Ascii);
    let (mut direct, mut total) = (0, 0);
    let mut failed = Vec::new();
    for f in support::fixture_files(Path::new("fixtures")) {
        let text = std::fs::read_to_string(&f).expect("read");
        let path = f.to_string_lossy().into_owned();
        for d in support::diagnostics(&path, &text) {
            let mut variants = vec![d.clone()];
            for first_line in [1, 9, 10, 99, 100, 12_345] {
                let mut v = d.clone();
                if let Some(ex) = &mut v.excerpt {
                    ex.first_line = first_line;
                }
                variants.push(v);
            }
            let mut bare = d.clone();
            (bare.label, bare.help, bare.fix) = (None, None, None);
            let mut noted = d.clone();
            noted.template = Some("chart/templates/app.yaml".into());
            noted.help.get_or_insert_with(|| "a help".into());
            let mut long = d.clone();
            long.label =
                Some("a label long enough to run past the width of a terminal, ".repeat(3));
            long.message = "a message long enough to run past the width of a terminal, ".repeat(4);
            // The line pushed right by `pad` columns, its span with it.
            let shifted = |v: &Diagnostic, pad: usize| {
                let mut v = v.clone();
                if let Some(ex) = &mut v.excerpt {
                    ex.text.insert_str(0, &" ".repeat(pad));
                    v.span.start += pad as u32;
                    v.span.end += pad as u32;
                }
                v
            };
            let (text, indent) = d.excerpt.as_ref().map_or((0, 0), |ex| {
                let line = ex.text.trim_end_matches('\n');
                (line.len(), line.len() - line.trim_start().len())
            });
            // The line as long as the direct writer takes (and so indented past what the
            // renderer shows), with a long label and with none.
            let wide = shifted(&long, 100usize.saturating_sub(text));
            let mut wide_bare = wide.clone();
            wide_bare.label = None;
            // Indented to the deepest the renderer shows whole, and one column deeper.
            let indented = |extra: usize| shifted(&d, (26 + extra).saturating_sub(indent));
            variants.extend([bare, noted, long, wide, wide_bare, indented(0), indented(1)]);
            for v in variants {
                total += 1;
                let mut out = String::new();
                if plain_one_line(&v, &mut out) {
                    direct += 1;
                    let rendered = render(&renderer, &v);
                    if out != rendered {
                        failed.push(format!(
                            "{path}:\n{rendered}\n-- written directly --\n{out}"
                        ));
                    }
                }
            }
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n\n"));
    // The direct path must be the common one, or it is not worth keeping.
    assert!(direct * 2 > total, "{direct} of {total} written directly");
}
