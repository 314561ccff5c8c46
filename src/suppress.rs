//! Suppressions: `# kubevet-ignore rule-a,rule-b -- reason` comments (on the offending line, or
//! alone on the line above it), the `kubevet.dev/ignore` annotation on an object or its pod
//! template, and the configuration file's `[[ignore]]` tables. Ignores that name unknown rules
//! are reported (`invalid-ignore`); ignores that silenced nothing are reported on request
//! (`unused-ignore`, with `--report-unused-ignores`).

use crate::config::IgnoreEntry;
use crate::source::{Node, NodeValue, Span};
use globset::{Glob, GlobSet, GlobSetBuilder};
use std::path::{Path, PathBuf};

/// The annotation that silences rules for a whole object.
pub const ANNOTATION: &str = "kubevet.dev/ignore";

/// One `# kubevet-ignore` comment.
#[derive(Debug, Clone)]
pub struct Directive {
    /// 1-based line the comment applies to.
    pub target_line: usize,
    /// Span of the comment text, for reporting on it.
    pub span: Span,
    /// Rule ids named, each with whether it silenced something.
    pub rules: Vec<(String, bool)>,
}

/// Split `rule-a,rule-b -- reason` into the rule ids.
pub fn parse_rule_list(s: &str) -> Vec<String> {
    let list = s.split(" -- ").next().unwrap_or("");
    let list = list.split("--").next().unwrap_or("");
    list.split([',', ' ', '\t'])
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_string)
        .collect()
}

/// Whether `offset` lies inside a string scalar of the tree (a `#` there is not a comment).
fn in_string(node: &Node, offset: u32) -> bool {
    if offset < node.span.start || offset >= node.span.end.max(node.span.start + 1) {
        return false;
    }
    match &node.value {
        NodeValue::String(_) => true,
        NodeValue::Seq(items) => items.iter().any(|n| in_string(n, offset)),
        NodeValue::Map(entries) => entries.iter().any(|e| in_string(&e.value, offset)),
        _ => false,
    }
}

/// Find every ignore comment of a file. `roots` are the documents' trees, used to tell
/// comments from `#` characters inside strings and block scalars.
pub fn comment_directives<'a>(
    text: &str,
    roots: impl Iterator<Item = &'a Node> + Clone,
) -> Vec<Directive> {
    const MARK: &str = "kubevet-ignore";
    if !text.contains(MARK) {
        return Vec::new();
    }
    let lines: Vec<(usize, &str)> = {
        let mut offset = 0;
        text.split_inclusive('\n')
            .map(|l| {
                let start = offset;
                offset += l.len();
                (start, l.trim_end_matches(['\n', '\r']))
            })
            .collect()
    };
    let mut out = Vec::new();
    for (i, (start, line)) in lines.iter().enumerate() {
        let Some(hash) = line
            .find("# kubevet-ignore")
            .or_else(|| line.find("#kubevet-ignore"))
        else {
            continue;
        };
        if hash > 0 && !line[..hash].ends_with([' ', '\t']) {
            continue;
        }
        let abs = (start + hash) as u32;
        if roots.clone().any(|r| in_string(r, abs)) {
            continue;
        }
        let after = line[hash + 1..].trim_start();
        let rest = &after[MARK.len()..];
        if !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
            continue;
        }
        let alone = line[..hash].trim().is_empty();
        let target_line = if alone {
            // The next line that is neither blank nor a comment.
            lines[i + 1..]
                .iter()
                .position(|(_, l)| {
                    let t = l.trim();
                    !t.is_empty() && !t.starts_with('#')
                })
                .map(|p| i + 1 + p + 1)
                .unwrap_or(i + 2)
        } else {
            i + 1
        };
        out.push(Directive {
            target_line,
            span: Span::new(start + hash, start + line.len()),
            rules: parse_rule_list(rest)
                .into_iter()
                .map(|r| (r, false))
                .collect(),
        });
    }
    out
}

/// A compiled `[[ignore]]` table.
#[derive(Debug, Clone)]
pub struct ConfigIgnore {
    pub entry: IgnoreEntry,
    paths: Option<GlobSet>,
}

/// What a finding is about, for matching `[[ignore]]` tables.
pub struct Subject<'a> {
    pub rule: &'a str,
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
        ConfigIgnores {
            base: Some(std::fs::canonicalize(base).unwrap_or_else(|_| base.to_path_buf())),
            tables,
        }
    }

    /// Whether a finding is silenced by a table.
    pub fn matches(&self, s: &Subject) -> bool {
        self.tables.iter().any(|t| {
            let e = &t.entry;
            let one = |list: &[String], v: Option<&str>| {
                list.is_empty() || v.is_some_and(|v| list.iter().any(|x| x == v))
            };
            (e.rules.iter().any(|r| r == "*" || r == s.rule))
                && one(&e.kinds, s.kind)
                && one(&e.names, s.name)
                && one(&e.namespaces, s.namespace)
                && one(&e.containers, s.container)
                && t.paths
                    .as_ref()
                    .is_none_or(|g| self.path_matches(g, s.path))
        })
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::yaml::parse_one;

    #[test]
    fn comments_on_the_line_and_above() {
        let text = "a: 1  # kubevet-ignore rule-a, rule-b -- why\n# kubevet-ignore rule-c\n\nb: 2\nc: \"# kubevet-ignore rule-d\"\nd: |\n  # kubevet-ignore rule-e\n";
        let root = parse_one(text).expect("doc");
        let d = comment_directives(text, std::iter::once(&root));
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!(d[0].target_line, 1);
        assert_eq!(
            d[0].rules.iter().map(|r| r.0.as_str()).collect::<Vec<_>>(),
            ["rule-a", "rule-b"]
        );
        assert_eq!(d[1].target_line, 4);
        assert_eq!(d[1].rules[0].0, "rule-c");
    }

    #[test]
    fn rule_lists() {
        assert_eq!(parse_rule_list(" a,b -- because, really"), ["a", "b"]);
        assert!(parse_rule_list("").is_empty());
    }
}
