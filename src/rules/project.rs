//! Rules and facts over the whole checked set: a [`ProjectPass`] reduces each object it cares
//! about to a small summary, then turns all the summaries into findings addressed to objects
//! and facts that object rules read ([`ProjectOut`]). Memory is bounded by the summaries,
//! never by whole objects.
//!
//! `kubevet check` runs every enabled pass before checking files (reading only the files that
//! hold one of a pass's trigger strings), and the language server keeps each workspace file's
//! summaries and finishes the passes again when one changes: a new pass works in both without
//! new plumbing. Findings are delivered to their object when its file is checked, so they are
//! located, suppressed and reported like any other.

use super::{Finding, RuleId};
use crate::model::{Object, PodView};
use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::OnceLock;

/// What a pass learned from one object.
pub type Summary = Box<dyn Any + Send + Sync>;

/// Where an object stands in a run: its file (as shown), document, and pointer inside the
/// document (`""`, or `/items/3` in a `kind: List`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjectAt {
    pub path: String,
    pub document: usize,
    pub base: String,
}

impl ObjectAt {
    pub fn of(path: &str, object: &Object) -> ObjectAt {
        ObjectAt {
            path: path.to_string(),
            document: object.document,
            base: object.base.clone(),
        }
    }
}

/// A pass over the whole checked set.
pub trait ProjectPass: Send + Sync {
    /// The rules that use what this pass finds: it runs when one of them is enabled.
    fn serves(&self) -> &'static [RuleId];

    /// Strings a file must contain for this pass to have anything to summarise in it. The
    /// pass runs only when some file holds one (a run without them pays nothing).
    fn triggers(&self) -> &'static [&'static str];

    /// Whether, once some file holds a trigger, every file is summarised (objects related to
    /// the triggering ones, such as the pods a PodPreset selects, do not hold the trigger).
    fn reads_every_file(&self) -> bool {
        false
    }

    /// Whether the pass learns only facts, from the documents that hold one of its triggers:
    /// then only those documents are read (a cheap cut of the file at its `---` lines), not
    /// the whole file. A pass that attaches findings to objects needs their exact document
    /// numbers and reads whole files.
    fn reads_only_triggering_documents(&self) -> bool {
        false
    }

    /// Summarise one object, or nothing.
    fn summarize(&self, at: &ObjectAt, object: &Object, pod: Option<&PodView>) -> Option<Summary>;

    /// What every summary of this pass (in any order) means for the run.
    fn finish(&self, summaries: &[&(dyn Any + Send + Sync)], out: &mut ProjectOut);
}

/// Passes that are not rules of their own but gather facts for object rules.
static FACT_PASSES: &[&dyn ProjectPass] = &[
    &super::service_selectors::ServicesSelectingPods,
    &super::pod_security::NamespacePodSecurity,
];

/// Every pass: the project rules, then the fact passes. A pass is known by its index here.
pub fn passes() -> &'static [&'static dyn ProjectPass] {
    static ALL: OnceLock<Vec<&'static dyn ProjectPass>> = OnceLock::new();
    ALL.get_or_init(|| {
        super::project_rules()
            .iter()
            .map(|(_, p)| *p)
            .chain(FACT_PASSES.iter().copied())
            .collect()
    })
}

/// The passes (indexes into [`passes`]) among `among` whose trigger strings `bytes` holds,
/// in the order of `among`.
pub fn triggered_by(bytes: &[u8], among: &[usize]) -> Vec<usize> {
    let mut found: Vec<usize> = Vec::new();
    for anchor in anchors() {
        if anchor
            .passes
            .iter()
            .all(|p| !among.contains(p) || found.contains(p))
        {
            continue;
        }
        for at in anchor.finder.find_iter(bytes) {
            for t in &anchor.triggers {
                if among.contains(&t.pass) && !found.contains(&t.pass) && t.is_at(bytes, at) {
                    found.push(t.pass);
                }
            }
            if anchor
                .passes
                .iter()
                .all(|p| !among.contains(p) || found.contains(p))
            {
                break;
            }
        }
    }
    among
        .iter()
        .copied()
        .filter(|p| found.contains(p))
        .collect()
}

/// Whether `bytes` holds a trigger of one of the passes `among`.
pub fn holds_trigger(bytes: &[u8], among: &[usize]) -> bool {
    anchors()
        .iter()
        .filter(|a| a.passes.iter().any(|p| among.contains(p)))
        .any(|a| {
            a.finder.find_iter(bytes).any(|at| {
                a.triggers
                    .iter()
                    .any(|t| among.contains(&t.pass) && t.is_at(bytes, at))
            })
        })
}

/// The passes' trigger strings, grouped by their anchor: the longest word in them
/// (`Service` in `kind: "Service"`). Each anchor is found with one vectorised substring search
/// (`memchr::memmem`) over the bytes, and a trigger is checked around each place its anchor
/// is found. A file is scanned once per anchor (three today), far faster than one automaton
/// for every trigger, whose candidates (`kind:` starts most of them) are in every document.
struct Anchor {
    finder: memchr::memmem::Finder<'static>,
    /// The passes of its triggers.
    passes: Vec<usize>,
    triggers: Vec<Trigger>,
}

struct Trigger {
    text: &'static [u8],
    /// Where the anchor starts in `text`.
    offset: usize,
    pass: usize,
}

impl Trigger {
    /// Whether the trigger is written in `bytes` around its anchor, found at `at`.
    fn is_at(&self, bytes: &[u8], at: usize) -> bool {
        at.checked_sub(self.offset)
            .and_then(|start| bytes.get(start..start + self.text.len()))
            == Some(self.text)
    }
}

/// The longest run of word bytes (letters, digits, `-`, `.`, `/`) in a trigger, and where it
/// starts.
fn anchor_of(trigger: &'static str) -> (usize, &'static str) {
    let word = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'/');
    let bytes = trigger.as_bytes();
    let (mut best, mut start) = ((0, 0), None);
    for i in 0..=bytes.len() {
        match (start, bytes.get(i).copied().is_some_and(word)) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                if i - s > best.1 - best.0 {
                    best = (s, i);
                }
                start = None;
            }
            _ => {}
        }
    }
    (best.0, &trigger[best.0..best.1])
}

/// Every pass's triggers, by anchor.
fn anchors() -> &'static [Anchor] {
    static ANCHORS: OnceLock<Vec<Anchor>> = OnceLock::new();
    ANCHORS.get_or_init(|| {
        let mut anchors: Vec<(&'static str, Anchor)> = Vec::new();
        for (pass, p) in passes().iter().enumerate() {
            for &text in p.triggers() {
                let (offset, word) = anchor_of(text);
                let trigger = Trigger {
                    text: text.as_bytes(),
                    offset,
                    pass,
                };
                match anchors.iter_mut().find(|(w, _)| *w == word) {
                    Some((_, a)) => {
                        if !a.passes.contains(&pass) {
                            a.passes.push(pass);
                        }
                        a.triggers.push(trigger);
                    }
                    None => anchors.push((
                        word,
                        Anchor {
                            finder: memchr::memmem::Finder::new(word.as_bytes()),
                            passes: vec![pass],
                            triggers: vec![trigger],
                        },
                    )),
                }
            }
        }
        anchors.into_iter().map(|(_, a)| a).collect()
    })
}

/// What the project passes learned about the whole checked set.
#[derive(Default)]
pub struct ProjectOut {
    findings: HashMap<ObjectAt, Vec<Finding>>,
    /// (object, rule): the object's ignore annotation for the rule did its work before any
    /// finding was made (a pod that opted out of PodPresets a preset selects).
    used_ignores: HashMap<ObjectAt, Vec<RuleId>>,
    facts: HashMap<TypeId, Box<dyn Any + Send + Sync>>,
}

impl std::fmt::Debug for ProjectOut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProjectOut")
            .field("findings", &self.findings)
            .field("used_ignores", &self.used_ignores)
            .field("facts", &self.facts.len())
            .finish()
    }
}

impl ProjectOut {
    /// Address a finding to an object.
    pub fn push(&mut self, at: ObjectAt, finding: Finding) {
        self.findings.entry(at).or_default().push(finding);
    }

    /// Record that an object's ignore annotation for `rule` did its work.
    pub fn mark_ignore_used(&mut self, at: ObjectAt, rule: RuleId) {
        let rules = self.used_ignores.entry(at).or_default();
        if !rules.contains(&rule) {
            rules.push(rule);
        }
    }

    /// Store a fact for the object rules (one per type).
    pub fn set_fact<T: Any + Send + Sync>(&mut self, fact: T) {
        self.facts.insert(TypeId::of::<T>(), Box::new(fact));
    }

    /// A fact, if a pass stored one.
    pub fn fact<T: Any + Send + Sync>(&self) -> Option<&T> {
        self.facts.get(&TypeId::of::<T>())?.downcast_ref()
    }

    /// The findings addressed to one object.
    pub fn for_object(&self, at: &ObjectAt) -> &[Finding] {
        self.findings.get(at).map(Vec::as_slice).unwrap_or_default()
    }

    /// The rules whose ignore annotation on this object did its work.
    pub fn used_ignores(&self, at: &ObjectAt) -> &[RuleId] {
        self.used_ignores
            .get(at)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    pub fn is_empty(&self) -> bool {
        self.findings.is_empty() && self.used_ignores.is_empty() && self.facts.is_empty()
    }
}

/// The summaries of one file: (index into [`passes`], summary).
pub type FileSummaries = Vec<(usize, Summary)>;

/// Finish the passes `active` (indexes into [`passes`]) over every file's summaries.
pub fn finish<'a>(
    active: &[usize],
    files: impl Iterator<Item = &'a FileSummaries> + Clone,
) -> ProjectOut {
    let mut out = ProjectOut::default();
    for &i in active {
        let mine: Vec<&(dyn Any + Send + Sync)> = files
            .clone()
            .flatten()
            .filter(|(p, _)| *p == i)
            .map(|(_, s)| s.as_ref())
            .collect();
        if !mine.is_empty() {
            passes()[i].finish(&mine, &mut out);
        }
    }
    out
}

#[cfg(test)]
mod trigger_tests {
    use super::{anchor_of, holds_trigger, passes, triggered_by};

    #[test]
    fn one_scan_finds_the_passes_whose_triggers_a_text_holds() {
        let all: Vec<usize> = (0..passes().len()).collect();
        let service = all
            .iter()
            .copied()
            .find(|&i| passes()[i].triggers().contains(&"kind: Service\n"))
            .expect("the Service pass");
        let preset = all
            .iter()
            .copied()
            .find(|&i| passes()[i].triggers().contains(&"PodPreset"))
            .expect("the PodPreset pass");
        let mut both = vec![preset, service];
        both.sort_unstable();
        assert_eq!(
            triggered_by(b"kind: Service\nkind: PodPreset\n", &all),
            both
        );
        assert_eq!(
            triggered_by(b"kind: ServiceAccount\n", &all),
            Vec::<usize>::new()
        );
        assert_eq!(
            triggered_by(b"{\"kind\":\"Service\"}", &[service]),
            [service]
        );
        assert_eq!(
            triggered_by(b"kind: Service\n", &[preset]),
            Vec::<usize>::new()
        );
        assert!(holds_trigger(b"a: 1\nkind: Service\r\n", &[service]));
        assert!(!holds_trigger(b"kind: Service\n", &[preset]));
        // Every trigger is found, however the others around it are written.
        for &i in &all {
            for t in passes()[i].triggers() {
                let text = format!("{t}{t}x{t}");
                assert_eq!(triggered_by(text.as_bytes(), &[i]), vec![i], "{t:?}");
                assert!(holds_trigger(&text.as_bytes()[1..], &[i]), "{t:?}");
            }
        }
        // A trigger's anchor alone is not the trigger.
        assert!(!holds_trigger(b"kind: ServiceAccount\n", &[service]));
        assert!(!holds_trigger(b"Service\n", &[service]));
        assert_eq!(anchor_of("kind: \"Service\""), (7, "Service"));
    }
}
