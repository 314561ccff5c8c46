//! The rule documents are executable: each `rules/<id>.md`'s `## Example` block is a complete
//! manifest that reports its rule, and its `## Use instead` block one that does not. A block
//! that needs flags starts with `# kubevet check FLAGS`.

mod support;

use kubevet::rules::RuleId;

/// The first fenced block after `heading`.
fn block_after<'a>(doc: &'a str, heading: &str) -> Option<&'a str> {
    let rest = &doc[doc.find(heading)? + heading.len()..];
    let rest = &rest[..rest.find("\n## ").unwrap_or(rest.len())];
    let open = rest.find("```")?;
    let body = &rest[open..];
    let body = &body[body.find('\n')? + 1..];
    Some(&body[..body.find("```")?])
}

#[test]
fn examples_report_their_rule_and_use_instead_does_not() {
    let mut problems = Vec::new();
    for r in RuleId::ALL {
        // Its example is a Kustomize tree, not one manifest: tests/kustomize.rs runs it.
        if *r == RuleId::KustomizeBuild {
            continue;
        }
        let doc = r.meta().doc;
        for (heading, wanted) in [("## Example", true), ("## Use instead", false)] {
            let Some(block) = block_after(doc, heading) else {
                problems.push(format!("rules/{r}.md: no code block under `{heading}`"));
                continue;
            };
            let path = format!("rules/{r}.md");
            let found = support::diagnostics(&path, block);
            let fired = found.iter().any(|d| d.rule == *r);
            if fired != wanted {
                let others: Vec<String> = found
                    .iter()
                    .map(|d| format!("{}:{} {}", d.line, d.rule, d.message))
                    .collect();
                problems.push(format!(
                    "rules/{r}.md `{heading}`: {} {r} ({others:?})",
                    if wanted { "does not report" } else { "reports" }
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
