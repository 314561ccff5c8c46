//! Re-checking only what an edit touched. An open document is cut into pieces at its `---`
//! lines (as kubectl cuts a stream, [`crate::source::yaml::pieces`]); each piece keeps its
//! diagnostics (with its own spans and lines, the stream's document numbers) and its project
//! summaries, and a new version of the text reuses them for every piece whose bytes and first
//! document number are unchanged, shifting their positions. The project passes are finished
//! again from the pieces' summaries and the workspace's; when what they read changed, every
//! piece is checked again. When the CRDs changed (the workspace's, or a piece of the document
//! that holds one), the pieces whose custom resources asked for CRDs are checked again.
//!
//! A piece of [`KEEP_TREE`] bytes or more keeps the spanned tree of its document: the check of
//! the next version of that piece re-parses only the block collection the edit touched
//! ([`crate::source::splice`]) and checks the piece from the updated tree (and JSON value).
//!
//! Anything a piece cannot tell on its own makes the caller check the whole text instead: a
//! parse problem in a changed piece, a template, directives or `...` lines, byte-order marks,
//! aliases (the node budget is per file), NUL bytes, too many documents.

use super::workspace::{holds_crds, passes_for, Workspace};
use crate::check::Engine;
use crate::diagnostic::{sort_and_dedup, Diagnostic};
use crate::rules::project::{self, FileSummaries, ProjectOut};
use crate::source::splice::{reparse, KeptDocument};
use crate::source::yaml::pieces;
use crate::source::{Node, NodeValue, Span};
use std::ops::Range;
use std::sync::{Arc, Mutex};

/// One piece of a checked version.
#[derive(Clone)]
struct Piece {
    /// The text of the version the piece was cut from, and the piece's bytes in it.
    text: Arc<String>,
    range: Range<usize>,
    /// The stream's number of the piece's first document, and how many it holds.
    first_document: usize,
    documents: usize,
    /// Diagnostics made under project generation `Cache::generation` (piece-relative spans).
    diagnostics: Arc<Vec<Diagnostic>>,
    /// The summaries for these passes, when the piece was summarised.
    summaries: Option<(Vec<usize>, Arc<FileSummaries>)>,
    /// Its check asked for the CRDs of a custom resource.
    custom: bool,
    /// It may hold a CRD.
    holds_crd: bool,
    /// The tree of its only document, kept when the piece is large enough for a parse to
    /// count (taken by the check of the next version that re-reads it, and given back).
    tree: Tree,
}

/// A piece's kept tree: shared by the versions whose caches hold the piece, used by one.
type Tree = Arc<Mutex<Option<KeptDocument>>>;

/// Pieces at least this long keep their tree: an edit inside re-parses only part of it.
const KEEP_TREE: usize = 32 * 1024;

impl Piece {
    fn bytes(&self) -> &[u8] {
        &self.text.as_bytes()[self.range.clone()]
    }
}

/// What the project passes were finished from: equal inputs, equal output.
#[derive(Clone, PartialEq, Default)]
struct ProjectInputs {
    active: Vec<usize>,
    wanted: Vec<usize>,
    workspace: u64,
    /// (piece, first document) of the pieces that gave summaries.
    summarised: Vec<(usize, usize)>,
}

/// The pieces of a document's last checked version.
#[derive(Clone, Default)]
pub struct Cache {
    engine: Option<Arc<Engine>>,
    path: String,
    pieces: Vec<Piece>,
    /// What the project passes were finished from; every piece's diagnostics were made with
    /// their output (a change of it checks every piece again).
    inputs: ProjectInputs,
    /// The state of the workspace's CRDs the pieces were checked with.
    crd_generation: u64,
}

/// How a check went: the diagnostics (sorted as `kubevet check` sorts them), the cache for
/// the next version, and how many pieces were checked again out of how many.
pub struct Checked {
    pub diagnostics: Vec<Diagnostic>,
    pub cache: Cache,
    #[cfg_attr(not(test), allow(dead_code))] // (read by the tests)
    rechecked: usize,
    #[cfg_attr(not(test), allow(dead_code))]
    pieces: usize,
}

/// Whether the pieces of `text` can be checked on their own at all.
fn splittable(text: &str, engine: &Engine) -> bool {
    let bytes = text.as_bytes();
    let limits = &engine.settings.limits;
    if bytes[..bytes.len().min(8192)].contains(&0)
        || bytes.len() >= limits.max_nodes
        || memchr::memmem::find(bytes, b"{{").is_some()
        || text.contains('\u{feff}')
    {
        return false;
    }
    // Directives and document ends change how the next `---` reads.
    let line_starts = std::iter::once(0).chain(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1));
    for at in line_starts {
        let rest = &bytes[at.min(bytes.len())..];
        if rest.starts_with(b"%") || rest.starts_with(b"...") {
            return false;
        }
    }
    // Aliases may expand past the file's node budget, which pieces cannot see; an alias
    // needs an anchor in its document, so a text without anchors has none that expand.
    for at in memchr::memchr_iter(b'&', bytes) {
        let before = at.checked_sub(1).map(|i| bytes[i]);
        let after = bytes.get(at + 1).copied();
        let opens = matches!(
            before,
            None | Some(b' ' | b'\t' | b'\n' | b'[' | b'{' | b',')
        );
        if opens && after.is_some_and(|c| !c.is_ascii_whitespace() && c != b'&') {
            return false;
        }
    }
    true
}

/// The byte ranges of the pieces of `text`.
fn cut(text: &str) -> Vec<Range<usize>> {
    let mut at = 0;
    pieces(text)
        .map(|p| {
            let r = at..at + p.len();
            at = r.end;
            r
        })
        .collect()
}

/// How many documents a piece holds when it parses cleanly: one when it opens with `---`
/// (an explicit document, even an empty one), else one if it holds anything but blank lines
/// and comments. (No `...` or directive lines: see [`splittable`].)
fn documents_in(piece: &str) -> usize {
    if piece.starts_with("---") {
        return 1;
    }
    let content = piece.lines().any(|l| {
        let l = l.trim();
        !l.is_empty() && !l.starts_with('#')
    });
    usize::from(content)
}

/// The old piece holding the same bytes as new piece `i` (of `n`), looked for at the same
/// place counted from the start and from the end.
fn matching<'c>(old: &'c [Piece], i: usize, n: usize, bytes: &[u8]) -> Option<&'c Piece> {
    let from_end = (i + old.len()).checked_sub(n);
    [Some(i), from_end]
        .into_iter()
        .flatten()
        .filter_map(|j| old.get(j))
        .find(|p| p.bytes() == bytes)
}

/// Move a piece's diagnostic to where the piece starts (`bytes` into the text, `lines`
/// lines down).
fn shifted(d: &Diagnostic, bytes: u32, lines: usize) -> Diagnostic {
    let span = |s: Span| Span {
        start: s.start + bytes,
        end: s.end + bytes,
    };
    let mut d = d.clone();
    d.span = span(d.span);
    d.line += lines;
    d.end_line += lines;
    if let Some(x) = &mut d.excerpt {
        x.first_line += lines;
        x.offset += bytes;
    }
    for r in &mut d.related {
        r.span = span(r.span);
        r.line += lines;
        r.end_line += lines;
        if let Some(x) = &mut r.excerpt {
            x.first_line += lines;
            x.offset += bytes;
        }
    }
    if let Some(fix) = &mut d.fix {
        for e in &mut fix.edits {
            e.span = span(e.span);
            e.line += lines;
            e.end_line += lines;
        }
    }
    d
}

/// Check `text` (as `path`, the document's canonical key `own`) reusing what `old` knows;
/// `None` when only a check of the whole text is right.
pub fn check(
    engine: &Arc<Engine>,
    path: &str,
    text: &Arc<String>,
    own: &str,
    ws: &Workspace,
    old: Option<&Cache>,
) -> Option<Checked> {
    if !splittable(text, engine) {
        return None;
    }
    let old =
        old.filter(|c| c.engine.as_ref().is_some_and(|e| Arc::ptr_eq(e, engine)) && c.path == path);
    let old_pieces: &[Piece] = old.map_or(&[], |c| &c.pieces);
    let ranges = cut(text);
    let n = ranges.len();
    let matches: Vec<Option<&Piece>> = ranges
        .iter()
        .enumerate()
        .map(|(i, r)| matching(old_pieces, i, n, &text.as_bytes()[r.clone()]))
        .collect();
    let (active, wanted) = passes_for(engine, text.as_bytes(), own, ws);
    // Whether the CRDs may differ from those the old pieces were checked with: the
    // workspace's changed, or a piece that may hold one is new or gone.
    let holds: Vec<bool> = ranges
        .iter()
        .zip(&matches)
        .map(|(r, m)| match m {
            Some(p) => p.holds_crd,
            None => holds_crds(engine, &text.as_bytes()[r.clone()]),
        })
        .collect();
    let crds_changed = old.is_none_or(|c| {
        c.crd_generation != ws.crd_generation()
            || holds.iter().zip(&matches).any(|(h, m)| *h && m.is_none())
            || c.pieces.iter().filter(|p| p.holds_crd).count()
                != holds.iter().filter(|h| **h).count()
    });
    let crds = ws.crds_for(engine, path, own, text);
    let max_documents = engine.settings.limits.max_documents;

    // Without project passes, each piece is checked as its turn comes (its document count
    // comes from the check); with them, the counts come first, for the summaries.
    let mut firsts: Vec<usize> = Vec::with_capacity(n);
    let mut counts: Vec<Option<usize>> = vec![None; n];
    let mut project = ProjectOut::default();
    let mut inputs = ProjectInputs::default();
    let mut summaries: Vec<Option<(Vec<usize>, Arc<FileSummaries>)>> = vec![None; n];
    let mut project_changed = false;
    if !active.is_empty() {
        let mut first = 0;
        for (i, r) in ranges.iter().enumerate() {
            let count = match matches[i] {
                Some(p) => p.documents,
                // Checked against the parse when the piece is checked below.
                None => documents_in(&text[r.clone()]),
            };
            firsts.push(first);
            counts[i] = Some(count);
            first += count;
        }
        if first >= max_documents {
            return None;
        }
        let passes = project::passes();
        let only_triggering = wanted
            .iter()
            .all(|&p| passes[p].reads_only_triggering_documents());
        for (i, r) in ranges.iter().enumerate() {
            let piece = &text[r.clone()];
            if only_triggering && !project::holds_trigger(piece.as_bytes(), &wanted) {
                continue;
            }
            let reused = matches[i]
                .filter(|p| p.first_document == firsts[i])
                .and_then(|p| p.summaries.clone())
                .filter(|(w, _)| *w == wanted);
            let s = match reused {
                Some(s) => s,
                None => {
                    let s = Arc::new(engine.summarize_piece(path, piece, firsts[i], &wanted));
                    project_changed |= !s.is_empty();
                    (wanted.clone(), s)
                }
            };
            if !s.1.is_empty() {
                inputs.summarised.push((i, firsts[i]));
            }
            summaries[i] = Some(s);
        }
        inputs.workspace = ws.generation();
        inputs.active = active.clone();
        inputs.wanted = wanted;
        let mine = summaries.iter().flatten().map(|(_, s)| s.as_ref());
        project = project::finish(&active, mine.chain(ws.others(own)));
    }
    project.set_fact(crds.clone());
    project_changed |= old.is_none_or(|c| c.inputs != inputs);

    let mut out = Vec::new();
    let mut kept = Vec::with_capacity(n);
    let mut rechecked = 0;
    let mut first = 0;
    let mut lines = 0;
    for (i, r) in ranges.iter().enumerate() {
        let piece = &text[r.clone()];
        if let Some(&f) = firsts.get(i) {
            first = f;
        }
        let reused = matches[i].filter(|p| {
            p.first_document == first && !project_changed && !(crds_changed && p.custom)
        });
        let mut tree: Tree = matches[i].map_or_else(Tree::default, |p| p.tree.clone());
        let (diagnostics, documents, custom) = match reused {
            Some(p) => (p.diagnostics.clone(), p.documents, p.custom),
            None => {
                rechecked += 1;
                let lookups = crds.lookups();
                // The tree of the piece this one was edited from, brought up to date by
                // re-parsing only what the edit touched.
                let before =
                    matches[i].or_else(|| old_pieces.get(i).filter(|_| old_pieces.len() == n));
                let mut kept = before.and_then(|p| {
                    let mut kept = p.tree.lock().ok()?.take()?;
                    let old_text = std::str::from_utf8(p.bytes()).ok()?;
                    reparse(old_text, piece, &mut kept, &engine.settings.limits).then_some(kept)
                });
                let root = kept.as_mut().map(|k| {
                    let empty = Node {
                        span: Span::default(),
                        value: NodeValue::Null,
                    };
                    (std::mem::replace(&mut k.root, empty), k.json.take())
                });
                let (d, count, root) = engine.check_piece(path, piece, first, &project, root)?;
                if counts[i].is_some_and(|c| c != count) {
                    return None;
                }
                let kept = match (kept, root) {
                    (Some(mut k), Some((root, json))) => {
                        k.root = root;
                        k.json = json;
                        Some(k)
                    }
                    (None, Some((root, json))) if piece.len() >= KEEP_TREE => {
                        let mut k = KeptDocument::new(root);
                        k.json = json;
                        Some(k)
                    }
                    _ => None,
                };
                tree = Arc::new(Mutex::new(kept));
                (Arc::new(d), count, crds.lookups() != lookups)
            }
        };
        out.extend(
            diagnostics
                .iter()
                .map(|d| shifted(d, r.start as u32, lines)),
        );
        kept.push(Piece {
            text: text.clone(),
            range: r.clone(),
            first_document: first,
            documents,
            diagnostics,
            summaries: summaries[i].take(),
            custom,
            holds_crd: holds[i],
            tree,
        });
        first += documents;
        if first >= max_documents {
            return None;
        }
        lines += memchr::memchr_iter(b'\n', piece.as_bytes()).count();
    }
    sort_and_dedup(&mut out);
    Some(Checked {
        diagnostics: out,
        cache: Cache {
            engine: Some(engine.clone()),
            path: path.to_string(),
            pieces: kept,
            inputs,
            crd_generation: ws.crd_generation(),
        },
        rechecked,
        pieces: n,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_cover_the_text() {
        let text = "a: 1\n---\nb: 2\n--- # c\nc: 3\n---x\n";
        let r = cut(text);
        assert_eq!(r.len(), 3);
        assert_eq!(r[0], 0..5);
        assert_eq!(r.last().map(|r| r.end), Some(text.len()));
        assert!(r.windows(2).all(|w| w[0].end == w[1].start));
    }

    fn engine() -> Arc<Engine> {
        Arc::new(Engine::with_schemas(
            crate::settings::Settings {
                no_excerpts: true,
                ..crate::settings::Settings::default()
            },
            crate::schema::SchemaSet::builtin(crate::schema::supported_minor()),
        ))
    }

    fn bundle(docs: usize) -> String {
        let mut text = String::from("# a bundle\n");
        for i in 0..docs {
            if i % 5 == 2 {
                text.push_str(&format!(
                    "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: svc-{i}\nspec:\n  selector: {{app: web-{i}}}\n  ports:\n  - port: 80\n"
                ));
            } else {
                text.push_str(&format!(
                    "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: web-{i} # é😀\n  labels: {{app: web-{}}}\nspec:\n  containers:\n  - name: web\n    image: nginx\n    ports:\n    - containerPort: 80\n",
                    i + 1
                ));
            }
        }
        text
    }

    /// Every edit gives what a check of the whole text gives, and reuses what it can.
    #[test]
    fn edits_give_what_a_full_check_gives() {
        let engine = engine();
        let ws = Workspace::default();
        let full = |text: &str| {
            let project =
                super::super::workspace::project_for(&engine, "b.yaml", text.as_bytes(), "b", &ws);
            engine
                .check_bytes_with("b.yaml", text.as_bytes(), &project)
                .diagnostics
        };
        let mut text = Arc::new(bundle(12));
        let first = check(&engine, "b.yaml", &text, "b", &ws, None).expect("splittable");
        assert_eq!(first.diagnostics, full(&text));
        assert!(!first.diagnostics.is_empty());
        let mut cache = first.cache;
        let edits: &[(&str, &str, bool)] = &[
            // (from, to, whether only the edited piece is checked again)
            ("name: web-0 ", "name: web-zero ", true),
            (
                "image: nginx\n    ports",
                "image: nginx:1.27\n    ports",
                true,
            ),
            ("name: web-11 ", "name: web-eleven\n  namespace: x ", true),
            (
                "nginx\n",
                "nginx\n    securityContext: {privileged: true}\n",
                true,
            ),
            // A Service's selector: the facts change, every piece is checked again.
            ("selector: {app: web-7}", "selector: {app: web-8}", false),
            // A new document in the middle, then one removed.
            (
                "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: svc-2",
                "---\nkind: Pod\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: svc-2",
                false,
            ),
            ("---\nkind: Pod\n", "", false),
            // A syntax error: the whole text is checked instead.
            ("name: web-4 ", "name: [web-4 ", false),
        ];
        for (from, to, local) in edits {
            let next = text.replacen(from, to, 1);
            assert_ne!(*text, next, "{from}");
            text = Arc::new(next);
            match check(&engine, "b.yaml", &text, "b", &ws, Some(&cache)) {
                Some(c) => {
                    assert_eq!(c.diagnostics, full(&text), "after {from:?} -> {to:?}");
                    if *local {
                        assert_eq!(c.rechecked, 1, "{from}");
                    }
                    assert!(c.rechecked <= c.pieces);
                    cache = c.cache;
                }
                None => assert!(from.starts_with("name: web-4"), "{from}"),
            }
        }
    }

    /// A CRD and its custom resource in one document: an edit of the CRD checks the custom
    /// resource again, an edit elsewhere does not.
    #[test]
    fn custom_resources_follow_a_crd_of_the_same_document() {
        let engine = engine();
        let ws = Workspace::default();
        let crd = |t: &str| {
            format!("apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\nspec:\n  group: example.com\n  scope: Namespaced\n  names: {{kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}}\n  versions:\n  - name: v1\n    served: true\n    storage: true\n    schema:\n      openAPIV3Schema:\n        type: object\n        properties:\n          spec:\n            type: object\n            properties:\n              size: {{type: {t}}}\n")
        };
        let cr = "---\napiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  size: large\n";
        let pod = "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - {name: c, image: nginx}\n";
        let schema = |c: &Checked| {
            c.diagnostics
                .iter()
                .filter(|d| d.rule == crate::rules::RuleId::Schema)
                .count()
        };
        let text = Arc::new(format!("{}{cr}{pod}", crd("integer")));
        let first = check(&engine, "b.yaml", &text, "b", &ws, None).expect("splittable");
        assert_eq!(schema(&first), 1);
        let text = Arc::new(format!("{}{cr}{pod}", crd("string")));
        let second =
            check(&engine, "b.yaml", &text, "b", &ws, Some(&first.cache)).expect("splittable");
        assert_eq!(schema(&second), 0);
        assert_eq!(second.rechecked, 2, "the CRD and its resource");
        let text = Arc::new(format!(
            "{}{cr}{}",
            crd("string"),
            pod.replace("nginx", "nginx:1")
        ));
        let third =
            check(&engine, "b.yaml", &text, "b", &ws, Some(&second.cache)).expect("splittable");
        assert_eq!(third.rechecked, 1, "the Pod alone");
    }

    #[test]
    fn documents_are_counted_as_the_parser_counts_them() {
        let engine = engine();
        for piece in [
            "# c\n\n",
            "a: 1\n",
            "---\n",
            "--- # c\n# d\n",
            "---\na: 1\n",
            "  # x\nb: [1]\n",
        ] {
            let parsed = crate::source::parse_stream(piece, &engine.settings.limits);
            assert_eq!(documents_in(piece), parsed.documents.len(), "{piece:?}");
        }
    }

    #[test]
    fn unsplittable_texts_are_refused() {
        let engine = engine();
        assert!(splittable(
            "a: 1\n---\nb: '*.x'\nc: see *.yaml && R&D\n",
            &engine
        ));
        for text in [
            "a: &x 1\nb: *x\n",
            "%YAML 1.2\n---\na: 1\n",
            "a: 1\n...\n---\nb: 2\n",
            "a: {{ .Values.x }}\n",
            "\u{feff}a: 1\n",
        ] {
            assert!(!splittable(text, &engine), "{text:?}");
        }
    }
}
