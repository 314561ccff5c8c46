//! `human`: rustc-style diagnostics rendered with `annotate-snippets` (rustc's own renderer):
//! `warning[rule]: message`, `--> path:line:col`, the source with the span underlined and
//! labelled, secondary labels (a `note:` with its own location and source when one is too far
//! away to share the excerpt), `help:`, and a closing summary line.

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
}

impl Emitter {
    pub fn new(opts: ReportOptions) -> Emitter {
        let renderer = if opts.color {
            Renderer::styled()
        } else {
            Renderer::plain()
        }
        .decor_style(DecorStyle::Ascii);
        Emitter { renderer }
    }
}

impl super::Emitter for Emitter {
    fn diagnostics(&mut self, out: &mut dyn Write, ds: &[Diagnostic]) -> std::io::Result<()> {
        for d in ds {
            writeln!(out, "{}", render(&self.renderer, d))?;
            writeln!(out)?;
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
