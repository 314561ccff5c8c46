//! Findings a run reports once for many documents: `missing-schema` once per apiVersion and
//! kind, at the first document of that kind (in output order), with the count of documents
//! it covers. A repository with 300 objects of one custom resource gets one note, not 300.

use crate::diagnostic::Diagnostic;
use crate::rules::RuleId;
use std::collections::HashMap;

/// The `missing-schema` findings of a run, grouped as they arrive.
#[derive(Default)]
pub struct MissingSchemas {
    /// First finding of each apiVersion/kind, in arrival order, with its document count.
    groups: Vec<(Diagnostic, usize)>,
    index: HashMap<(String, String), usize>,
}

impl MissingSchemas {
    /// Take the `missing-schema` findings out of one file's diagnostics.
    pub fn take_from(&mut self, diagnostics: &mut Vec<Diagnostic>) {
        if !diagnostics.iter().any(|d| d.rule == RuleId::MissingSchema) {
            return;
        }
        let mut kept = Vec::with_capacity(diagnostics.len());
        for d in diagnostics.drain(..) {
            if d.rule != RuleId::MissingSchema {
                kept.push(d);
                continue;
            }
            let key = d.object.as_ref().map_or_else(Default::default, |o| {
                (
                    o.api_version.clone().unwrap_or_default(),
                    o.kind.clone().unwrap_or_default(),
                )
            });
            match self.index.get(&key) {
                Some(&i) => self.groups[i].1 += 1,
                None => {
                    self.index.insert(key, self.groups.len());
                    self.groups.push((d, 1));
                }
            }
        }
        *diagnostics = kept;
    }

    /// One finding per apiVersion/kind; a group of several documents says how many.
    pub fn finish(self) -> Vec<Diagnostic> {
        self.groups
            .into_iter()
            .map(|(mut d, count)| {
                if count > 1 {
                    let what = d
                        .message
                        .strip_suffix("; it was not validated")
                        .unwrap_or(&d.message);
                    d.message = format!(
                        "{what}; {count} documents of this kind were not validated (the first is here)"
                    );
                }
                d
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::ObjectRef;

    fn finding(rule: RuleId, api_version: &str, kind: &str, path: &str) -> Diagnostic {
        Diagnostic {
            rule,
            severity: crate::rules::Severity::Info,
            message: format!("about {kind}; it was not validated"),
            help: None,
            path: path.into(),
            line: 1,
            column: 1,
            end_line: 1,
            end_column: 1,
            document: Some(0),
            pointer: None,
            object: Some(ObjectRef {
                api_version: Some(api_version.into()),
                kind: Some(kind.into()),
                name: None,
                namespace: None,
            }),
            fix: None,
            label: None,
            related: Vec::new(),
            template: None,
            span: Default::default(),
            excerpt: None,
            container: None,
        }
    }

    #[test]
    fn one_finding_per_kind_at_the_first_document() {
        let mut m = MissingSchemas::default();
        let mut a = vec![
            finding(RuleId::MissingSchema, "example.com/v1", "Widget", "a.yaml"),
            finding(RuleId::Schema, "v1", "Pod", "a.yaml"),
            finding(RuleId::MissingSchema, "example.com/v1", "Gadget", "a.yaml"),
        ];
        m.take_from(&mut a);
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].rule, RuleId::Schema);
        let mut b = vec![
            finding(RuleId::MissingSchema, "example.com/v1", "Widget", "b.yaml"),
            finding(RuleId::MissingSchema, "example.com/v2", "Widget", "b.yaml"),
        ];
        m.take_from(&mut b);
        assert!(b.is_empty());
        let out = m.finish();
        let seen: Vec<(&str, &str)> = out
            .iter()
            .map(|d| (d.path.as_str(), d.message.as_str()))
            .collect();
        assert_eq!(
            seen,
            [
                (
                    "a.yaml",
                    "about Widget; 2 documents of this kind were not validated (the first is here)"
                ),
                ("a.yaml", "about Gadget; it was not validated"),
                ("b.yaml", "about Widget; it was not validated"),
            ]
        );
    }
}
