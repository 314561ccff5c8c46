//! Suppressions, all in one place: the `kubevet.dev/ignore` annotation on an object or its pod
//! template ([`ObjectIgnores`]), the configuration file's `[[ignore]]` tables ([`tables`]) and
//! `# kubevet-ignore` comments ([`comments`]). Ignores that name unknown rules are reported
//! (`invalid-ignore`); ignores that silenced nothing are reported on request (`unused-ignore`,
//! with `--report-unused-ignores`). The check pipeline asks this module what to drop and what
//! to add; it decides nothing about suppressions itself.

pub mod comments;
pub mod tables;

pub use tables::{ConfigIgnores, Subject};

use crate::diagnostic::{Diagnostic, Locator};
use crate::model::{annotations, Object};
use crate::rules::{Finding, RuleId, RuleLevels};
use crate::source::Node;

/// What an ignore names that is not a rule, said once for every kind of ignore.
fn unknown_rule(name: &str) -> String {
    RuleId::unknown(name, " in ignore")
}

const UNKNOWN_HELP: &str = "use a rule id from `kubevet rules`";

/// The ignore annotations of one object (its own and its pod template's), and which of the
/// rules they name silenced something.
#[derive(Debug, Default)]
pub struct ObjectIgnores {
    /// (pointer of the annotation value, the rules it names as written).
    sources: Vec<(String, Vec<String>)>,
    /// The rules named that silenced something.
    used: Vec<RuleId>,
}

impl ObjectIgnores {
    /// The ignores of an object whose pod template metadata (if any) is at `template_metadata`.
    pub fn of(object: &Object, template_metadata: Option<&str>) -> ObjectIgnores {
        ObjectIgnores {
            sources: annotations::ignore_annotations(object, template_metadata),
            used: Vec::new(),
        }
    }

    fn names(&self, rule: RuleId) -> bool {
        self.sources
            .iter()
            .any(|(_, rs)| rs.iter().any(|r| r == rule.as_str()))
    }

    /// Record that the annotation did its work for `rule` without a finding to drop.
    pub fn mark_used(&mut self, rule: RuleId) {
        if self.names(rule) && !self.used.contains(&rule) {
            self.used.push(rule);
        }
    }

    /// Whether the object's annotations silence `rule` (and remember that they did).
    pub fn silences(&mut self, rule: RuleId) -> bool {
        let hit = self.names(rule);
        if hit && !self.used.contains(&rule) {
            self.used.push(rule);
        }
        hit
    }

    /// `invalid-ignore` findings for unknown rules named, and (when `report_unused`)
    /// `unused-ignore` findings for rules that silenced nothing; object-relative, for the
    /// pipeline to locate like any finding.
    pub fn findings(&self, report_unused: bool) -> Vec<Finding> {
        let mut out = Vec::new();
        for (ptr, named) in &self.sources {
            for r in named {
                match RuleId::parse(r) {
                    None => out.push(
                        Finding::new(RuleId::InvalidIgnore, ptr.clone(), unknown_rule(r))
                            .help(UNKNOWN_HELP),
                    ),
                    Some(id) if report_unused && !self.used.contains(&id) => out.push(
                        Finding::new(
                            RuleId::UnusedIgnore,
                            ptr.clone(),
                            format!("`{r}` is ignored here but reported nothing in this object"),
                        )
                        .help("remove it from the annotation"),
                    ),
                    Some(_) => {}
                }
            }
        }
        out
    }
}

/// Apply the file-wide suppressions to one file's diagnostics: drop what the configuration's
/// `[[ignore]]` tables and the file's ignore comments silence, then add `invalid-ignore` and
/// `unused-ignore` for the comments. `roots` are the file's document trees (to tell comments
/// from `#` inside strings).
pub fn apply_to_file<'a>(
    tables: &ConfigIgnores,
    levels: &RuleLevels,
    report_unused: bool,
    loc: &Locator,
    path: &str,
    roots: impl Iterator<Item = &'a Node> + Clone,
    diags: &mut Vec<Diagnostic>,
) {
    if !tables.tables.is_empty() {
        diags.retain(|d| {
            let o = d.object.as_ref();
            !tables.matches(&Subject {
                rule: d.rule,
                path: &d.path,
                kind: o.and_then(|o| o.kind.as_deref()),
                name: o.and_then(|o| o.name.as_deref()),
                namespace: o.and_then(|o| o.namespace.as_deref()),
                container: d.container.as_deref(),
            })
        });
    }
    let mut directives = comments::comment_directives(loc.text, roots);
    if directives.is_empty() {
        return;
    }
    diags.retain(|d| {
        let mut silenced = false;
        for dir in directives.iter_mut().filter(|x| x.applies_to(d.line)) {
            for (r, used) in dir.rules.iter_mut() {
                if r == d.rule.as_str() {
                    *used = true;
                    silenced = true;
                }
            }
        }
        !silenced
    });
    let mut report = |rule: RuleId, dir: &comments::Directive, message: String, help: &str| {
        if let Some(sev) = levels.severity(rule, None) {
            let mut d = loc.diagnostic(path, rule, sev, dir.span, message);
            d.help = Some(help.into());
            loc.attach_excerpt(&mut d);
            diags.push(d);
        }
    };
    for dir in &directives {
        if dir.rules.is_empty() {
            report(
                RuleId::InvalidIgnore,
                dir,
                "this ignore comment names no rule".into(),
                "name the rules to ignore: `# kubevet-ignore rule-a,rule-b -- reason`",
            );
        }
        for (r, used) in &dir.rules {
            if RuleId::parse(r).is_none() {
                report(RuleId::InvalidIgnore, dir, unknown_rule(r), UNKNOWN_HELP);
            } else if report_unused && !used {
                report(
                    RuleId::UnusedIgnore,
                    dir,
                    format!(
                        "`{r}` is ignored on line {} but reported nothing there",
                        dir.target_line
                    ),
                    "remove it from the comment",
                );
            }
        }
    }
}

/// `unused-ignore` diagnostics for the `[[ignore]]` tables that silenced nothing in the whole
/// run (known only after the last file).
pub fn unused_tables(tables: &ConfigIgnores, levels: &RuleLevels) -> Vec<Diagnostic> {
    let Some(sev) = levels.severity(RuleId::UnusedIgnore, None) else {
        return Vec::new();
    };
    let enabled = |r: &str| RuleId::parse(r).is_some_and(|id| levels.enabled(id));
    let mut out = tables.unused(sev, enabled);
    crate::diagnostic::sort_and_dedup(&mut out);
    out
}
