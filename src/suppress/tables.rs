//! The configuration file's `[[ignore]]` tables: findings silenced by rule and by path, kind,
//! name, namespace or container, for files that cannot be annotated (vendored charts, generated
//! output). Each table counts its matches across threads, so that one that silenced nothing in
//! the whole run can be reported at the end.

use crate::config::IgnoreEntry;
use crate::diagnostic::{Diagnostic, Locator};
use crate::rules::{RuleId, Severity};
use crate::source::Span;
use globset::{Glob, GlobSet, GlobSetBuilder};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// A compiled `[[ignore]]` table.
#[derive(Debug, Clone)]
pub struct ConfigIgnore {
    pub entry: IgnoreEntry,
    paths: Option<GlobSet>,
}

/// What a finding is about, for matching `[[ignore]]` tables.
pub struct Subject<'a> {
    pub rule: RuleId,
    pub path: &'a str,
    pub kind: Option<&'a str>,
    pub name: Option<&'a str>,
    pub namespace: Option<&'a str>,
    pub container: Option<&'a str>,
}

/// The configuration's ignore tables, with the directory their paths are relative to.
#[derive(Debug, Clone, Default)]
pub struct ConfigIgnores {
    pub base: Option<PathBuf>,
    pub tables: Vec<ConfigIgnore>,
    /// Per table: whether it silenced a finding in this run (shared by the engine's threads).
    used: Arc<Vec<AtomicBool>>,
}

impl ConfigIgnores {
    pub fn new(base: &Path, entries: &[IgnoreEntry]) -> ConfigIgnores {
        let tables = entries
            .iter()
            .map(|e| {
                let paths = (!e.paths.is_empty()).then(|| {
                    let mut b = GlobSetBuilder::new();
                    for p in &e.paths {
                        if let Ok(g) = Glob::new(p) {
                            b.add(g);
                        }
                    }
                    b.build().unwrap_or_else(|_| GlobSet::empty())
                });
                ConfigIgnore {
                    entry: e.clone(),
                    paths,
                }
            })
            .collect();
        let used = Arc::new(entries.iter().map(|_| AtomicBool::new(false)).collect());
        ConfigIgnores {
            base: Some(std::fs::canonicalize(base).unwrap_or_else(|_| base.to_path_buf())),
            tables,
            used,
        }
    }

    /// Forget which tables silenced something (before a new run).
    pub fn reset_usage(&self) {
        for u in self.used.iter() {
            u.store(false, Ordering::Relaxed);
        }
    }

    /// `unused-ignore` diagnostics for the tables that silenced nothing since the last
    /// [`reset_usage`](Self::reset_usage), at each table's `[[ignore]]` header in the
    /// configuration file. Tables all of whose rules are turned off (`enabled`) are left out.
    pub fn unused(&self, severity: Severity, enabled: impl Fn(&str) -> bool) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for (t, used) in self.tables.iter().zip(self.used.iter()) {
            if used.load(Ordering::Relaxed) {
                continue;
            }
            if !t.entry.rules.iter().any(|r| r == "*" || enabled(r)) {
                continue;
            }
            let Some(o) = &t.entry.origin else { continue };
            let loc = Locator::new(&o.text);
            let rules = t
                .entry
                .rules
                .iter()
                .map(|r| format!("`{r}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let mut d = loc.diagnostic(
                &o.path,
                RuleId::UnusedIgnore,
                severity,
                Span::new(o.start, o.end),
                format!("this [[ignore]] table (rules {rules}) silenced nothing in this run"),
            );
            d.label = Some("matched no finding".into());
            d.help = Some(
                "remove the table, or check its rules and its paths, kinds, names, namespaces and containers"
                    .into(),
            );
            loc.attach_excerpt(&mut d);
            out.push(d);
        }
        out
    }

    /// Whether a finding is silenced by a table (every table that matches counts as used).
    pub fn matches(&self, s: &Subject) -> bool {
        let mut hit = false;
        for (i, t) in self.tables.iter().enumerate() {
            if self.table_matches(t, s) {
                hit = true;
                if let Some(u) = self.used.get(i) {
                    u.store(true, Ordering::Relaxed);
                }
            }
        }
        hit
    }

    fn table_matches(&self, t: &ConfigIgnore, s: &Subject) -> bool {
        {
            let e = &t.entry;
            let one = |list: &[String], v: Option<&str>| {
                list.is_empty() || v.is_some_and(|v| list.iter().any(|x| x == v))
            };
            (e.rules.iter().any(|r| r == "*" || r == s.rule.as_str()))
                && one(&e.kinds, s.kind)
                && one(&e.names, s.name)
                && one(&e.namespaces, s.namespace)
                && one(&e.containers, s.container)
                && t.paths
                    .as_ref()
                    .is_none_or(|g| self.path_matches(g, s.path))
        }
    }

    fn path_matches(&self, globs: &GlobSet, path: &str) -> bool {
        let p = Path::new(path);
        if globs.is_match(p.strip_prefix("./").unwrap_or(p)) {
            return true;
        }
        let Some(base) = &self.base else { return false };
        let abs = std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
        abs.strip_prefix(base).is_ok_and(|rel| globs.is_match(rel))
    }
}
