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

/// The passes (indexes into [`passes`]) among `among` whose trigger strings `bytes` holds.
/// One scan of the bytes looks for every pass's triggers at once. The scan does not report
/// matches that overlap an earlier one: the passes' triggers are distinct words that cannot
/// overlap each other (the test below holds them to it).
pub fn triggered_by(bytes: &[u8], among: &[usize]) -> Vec<usize> {
    let (searcher, pass_of) = triggers();
    let mut found: Vec<usize> = Vec::new();
    for m in searcher.find_iter(bytes) {
        let pass = pass_of[m.pattern().as_usize()];
        if among.contains(&pass) && !found.contains(&pass) {
            found.push(pass);
            if found.len() == among.len() {
                break;
            }
        }
    }
    // In the order of `among`, as callers expect.
    among
        .iter()
        .copied()
        .filter(|p| found.contains(p))
        .collect()
}

/// Whether `bytes` holds a trigger of one of the passes `among`.
pub fn holds_trigger(bytes: &[u8], among: &[usize]) -> bool {
    let (searcher, pass_of) = triggers();
    searcher
        .find_iter(bytes)
        .any(|m| among.contains(&pass_of[m.pattern().as_usize()]))
}

/// A searcher for the trigger strings of every pass, and the pass of each of its patterns.
fn triggers() -> &'static (aho_corasick::AhoCorasick, Vec<usize>) {
    static SEARCH: OnceLock<(aho_corasick::AhoCorasick, Vec<usize>)> = OnceLock::new();
    SEARCH.get_or_init(|| {
        let (patterns, pass_of): (Vec<&str>, Vec<usize>) = passes()
            .iter()
            .enumerate()
            .flat_map(|(i, p)| p.triggers().iter().map(move |t| (*t, i)))
            .unzip();
        let searcher = aho_corasick::AhoCorasick::new(patterns)
            .expect("the passes' trigger strings are few and short");
        (searcher, pass_of)
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
    use super::{holds_trigger, passes, triggered_by};

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
        // No trigger of one pass overlaps a trigger of another, so one non-overlapping scan
        // finds every pass.
        let all_triggers: Vec<(usize, &str)> = all
            .iter()
            .flat_map(|&i| passes()[i].triggers().iter().map(move |t| (i, *t)))
            .collect();
        for &(i, a) in &all_triggers {
            for &(j, b) in &all_triggers {
                if i != j {
                    let overlap = (1..a.len().min(b.len())).any(|n| a.ends_with(&b[..n]));
                    assert!(!a.contains(b) && !overlap, "{a:?} and {b:?}");
                }
            }
        }
    }
}
