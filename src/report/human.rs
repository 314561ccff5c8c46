//! `human`: rustc-style diagnostics rendered with `annotate-snippets` (rustc's own renderer):
//! `warning[rule]: message`, `--> path:line:col`, the source with the span underlined and
//! labelled, secondary labels (a `note:` with its own location and source when one is too far
//! away to share the excerpt), `help:`, and a closing summary line. Unstyled output of the
//! most common shape (one span on one plain line) is written directly, to the same bytes.

use super::ReportOptions;
use crate::diagnostic::Diagnostic;
use crate::rules::Severity;
use crate::run::Totals;
use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use std::io::Write;

/// Writes each diagnostic as it arrives, and the summary line at the end.
pub struct Emitter {
    renderer: Renderer,
    /// Whether the output is unstyled, so [`plain_one_line`] may write a diagnostic.
    plain: bool,
    buf: String,
}

impl Emitter {
    pub fn new(opts: ReportOptions) -> Emitter {
        let renderer = if opts.color {
            Renderer::styled()
        } else {
            Renderer::plain()
        }
        .decor_style(DecorStyle::Ascii);
        Emitter {
            renderer,
            plain: !opts.color,
            buf: String::new(),
        }
    }
}

impl super::Emitter for Emitter {
    fn diagnostics(&mut self, out: &mut dyn Write, ds: &[Diagnostic]) -> std::io::Result<()> {
        for d in ds {
            self.buf.clear();
            if !(self.plain && plain_one_line(d, &mut self.buf)) {
                self.buf = render(&self.renderer, d);
            }
            self.buf.push_str("\n\n");
            out.write_all(self.buf.as_bytes())?;
        }
        Ok(())
    }

    fn end(&mut self, out: &mut dyn Write, t: &Totals) -> std::io::Result<()> {
        let plural = |n: usize, s: &str| format!("{n} {s}{}", if n == 1 { "" } else { "s" });
        let kustomize = match t.kustomize {
            None => String::new(),
            Some(k) if k.rendered == 0 && k.not_rendered == 0 => {
                "; Kustomize trees read without rendering".into()
            }
            Some(k) => format!(
                "; {} rendered{}",
                plural(k.rendered, "Kustomize root"),
                if k.not_rendered > 0 {
                    format!(", {} not", k.not_rendered)
                } else {
                    String::new()
                }
            ),
        };
        writeln!(
            out,
            "{}, {}, {} in {} ({} checked, {} skipped{kustomize})",
            plural(t.errors, "error"),
            plural(t.warnings, "warning"),
            plural(t.infos, "info"),
            plural(t.files, "file"),
            plural(t.documents.saturating_sub(t.skipped), "document"),
            t.skipped
        )
    }
}

/// Longest source line [`plain_one_line`] writes; a longer one may be cut to the terminal
/// width by the renderer, so it goes there.
const PLAIN_MAX_LINE: usize = 100;

/// Deepest indentation (before the span) of a line [`plain_one_line`] writes.
const PLAIN_MAX_INDENT: usize = 26;

/// Write `d` into `out` as [`render`] writes it unstyled, when it has the most common shape: a
/// non-empty span inside one line of printable ASCII, no related spans, and texts that the
/// renderer would print unchanged. Returns `false` (and writes nothing) for any other shape.
/// The renderer spends about 40 K instructions on each diagnostic, and most of a run's
/// diagnostics have this shape: writing them directly takes 2-3% off a whole run's
/// instructions on the benchmark corpora. A test holds the two to the same bytes on every
/// fixture's diagnostics and variations of them.
pub fn plain_one_line(d: &Diagnostic, out: &mut String) -> bool {
    use std::fmt::Write as _;
    let Some(ex) = &d.excerpt else { return false };
    let line = ex.text.strip_suffix('\n').unwrap_or(&ex.text);
    if !d.related.is_empty()
        || line.is_empty()
        || line.len() > PLAIN_MAX_LINE
        || !printable_ascii(line)
        || line.ends_with(' ')
    {
        return false;
    }
    let base = ex.offset as usize;
    let (Some(s), Some(e)) = (
        (d.span.start as usize).checked_sub(base),
        (d.span.end as usize).checked_sub(base),
    ) else {
        return false;
    };
    // The renderer shows a deeply indented line from `...` (its margin: indentation beyond
    // 26 columns before the span, less 16 columns of padding, is cut).
    let indent = line.len() - line.trim_start_matches(' ').len();
    if s >= e || e > line.len() || indent.min(s) > PLAIN_MAX_INDENT {
        return false;
    }
    // Texts the renderer would change (control characters, tabs, zero-width joiners, text
    // direction marks) or break over lines.
    let verbatim = |t: &str| {
        !t.is_empty()
            && (printable_ascii(t)
                || !t.chars().any(|c| {
                    c.is_control()
                        || c == '\u{200d}'
                        || ('\u{202a}'..='\u{202e}').contains(&c)
                        || ('\u{2066}'..='\u{2069}').contains(&c)
                }))
    };
    let fix = d.fix.as_ref().map(|f| f.message.as_str());
    if !verbatim(&d.message)
        || !verbatim(d.rule.as_str())
        || !verbatim(&d.path)
        || !d.label.as_deref().is_none_or(verbatim)
        || !d.help.as_deref().is_none_or(verbatim)
        || !fix.is_none_or(verbatim)
        || !d.template.as_deref().is_none_or(verbatim)
    {
        return false;
    }
    let level = d.severity.as_str();
    let number = ex.first_line.to_string();
    let pad = |out: &mut String, n: usize, c: char| out.extend(std::iter::repeat_n(c, n));
    let gutter = |out: &mut String| {
        out.push('\n');
        pad(out, number.len() + 1, ' ');
        out.push('|');
    };
    for part in [level, "[", d.rule.as_str(), "]: ", &d.message, "\n"] {
        out.push_str(part);
    }
    pad(out, number.len(), ' ');
    for part in ["--> ", &d.path, ":", &number, ":"] {
        out.push_str(part);
    }
    let _ = write!(out, "{}", s + 1);
    gutter(out);
    for part in ["\n", &number, " | ", line] {
        out.push_str(part);
    }
    gutter(out);
    out.push(' ');
    pad(out, s, ' ');
    pad(out, e - s, '^');
    if let Some(label) = &d.label {
        out.push(' ');
        out.push_str(label);
    }
    let notes = [
        d.template
            .as_deref()
            .map(|t| ["note: rendered from the Helm template `", t, "`"]),
        d.help.as_deref().map(|h| ["help: ", h, ""]),
        fix.map(|f| ["note: fix available: ", f, " (kubevet check --fix)"]),
    ];
    if notes.iter().any(Option::is_some) {
        gutter(out);
        for note in notes.iter().flatten() {
            out.push('\n');
            pad(out, number.len() + 1, ' ');
            out.push_str("= ");
            for part in note {
                out.push_str(part);
            }
        }
    }
    true
}

/// Whether every byte of `s` is printable ASCII (space to `~`). Most texts of a diagnostic
/// are, and this answers for them in a pass the compiler vectorises, where asking each
/// `char` whether it is a control or format character takes ten times as long.
fn printable_ascii(s: &str) -> bool {
    s.as_bytes().chunks(16).all(|c| {
        c.iter()
            .fold(true, |ok, &b| ok & (b' '..=b'~').contains(&b))
    })
}

/// Render one diagnostic.
pub fn render(renderer: &Renderer, d: &Diagnostic) -> String {
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
    };
    let title = level.primary_title(d.message.as_str()).id(d.rule.as_str());
    let mut group = Group::with_title(title);
    match &d.excerpt {
        Some(ex) if !ex.text.is_empty() => {
            let base = ex.offset as usize;
            let clamp = |o: u32| (o as usize).saturating_sub(base).min(ex.text.len());
            let (s, e) = (clamp(d.span.start), clamp(d.span.end));
            let mut snippet = Snippet::source(ex.text.as_str())
                .line_start(ex.first_line)
                .path(d.path.as_str())
                .annotation(
                    AnnotationKind::Primary
                        .span(s..e.max(s))
                        .label(d.label.as_deref()),
                );
            for r in d.related.iter().filter(|r| r.excerpt.is_none()) {
                let (rs, re) = (clamp(r.span.start), clamp(r.span.end));
                if (r.span.start as usize) >= base && re > 0 {
                    snippet = snippet.annotation(
                        AnnotationKind::Context
                            .span(rs..re.max(rs))
                            .label(Some(r.message.as_str())),
                    );
                }
            }
            group = group.element(snippet);
        }
        _ => {
            group = group.element(
                annotate_snippets::Origin::path(d.path.as_str())
                    .line(d.line)
                    .char_column(d.column),
            );
        }
    }
    if let Some(template) = &d.template {
        group = group
            .element(Level::NOTE.message(format!("rendered from the Helm template `{template}`")));
    }
    if let Some(help) = &d.help {
        group = group.element(Level::HELP.message(help.as_str()));
    }
    if let Some(fix) = &d.fix {
        group = group.element(Level::NOTE.message(format!(
            "fix available: {} (kubevet check --fix)",
            fix.message
        )));
    }
    // Related spans too far away for the main excerpt: a note each, with its own location
    // and source, as rustc does.
    let mut groups = vec![group];
    for r in &d.related {
        let Some(ex) = r.excerpt.as_ref().filter(|ex| !ex.text.is_empty()) else {
            continue;
        };
        let base = ex.offset as usize;
        let clamp = |o: u32| (o as usize).saturating_sub(base).min(ex.text.len());
        let (s, e) = (clamp(r.span.start), clamp(r.span.end));
        groups.push(
            Group::with_title(Level::NOTE.secondary_title(r.message.as_str())).element(
                Snippet::source(ex.text.as_str())
                    .line_start(ex.first_line)
                    .path(d.path.as_str())
                    .annotation(AnnotationKind::Primary.span(s..e.max(s))),
            ),
        );
    }
    renderer.render(&groups)
}
