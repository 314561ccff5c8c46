//! Helm output: `helm template` prints `# Source: chart/templates/x.yaml` at the top of each
//! document it renders. A finding in such a document also names that template, so
//! `helm template . | kubevet check -` points into the chart.

/// The template named by a `# Source:` comment among the lines just before `root_start` (the
/// byte offset where the document's content begins), looking back to the document's
/// separator or the start of the text.
pub fn source_template(text: &str, root_start: usize) -> Option<&str> {
    let before = text.get(..root_start)?;
    // The lines between the previous separator (or the start) and the content.
    for line in before.lines().rev() {
        let line = line.trim_end_matches('\r');
        if line.starts_with("---") {
            return None;
        }
        if let Some(rest) = line.trim_start().strip_prefix("# Source:") {
            let name = rest.trim();
            return (!name.is_empty()).then_some(name);
        }
        let trimmed = line.trim();
        if !(trimmed.is_empty() || trimmed.starts_with('#')) {
            return None;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::source_template;

    fn at_content(text: &str, content: &str) -> Option<String> {
        let start = text.find(content).expect("content");
        source_template(text, start).map(str::to_string)
    }

    #[test]
    fn the_comment_above_each_document_names_its_template() {
        let text = "---\n# Source: web/templates/service.yaml\napiVersion: v1\nkind: Service\n---\n# Source: web/templates/deployment.yaml\n# a note\n\napiVersion: apps/v1\nkind: Deployment\n";
        assert_eq!(
            at_content(text, "apiVersion: v1").as_deref(),
            Some("web/templates/service.yaml")
        );
        assert_eq!(
            at_content(text, "apiVersion: apps/v1").as_deref(),
            Some("web/templates/deployment.yaml")
        );
    }

    #[test]
    fn a_comment_of_an_earlier_document_does_not_carry_over() {
        let text = "# Source: web/templates/a.yaml\napiVersion: v1\nkind: ConfigMap\n---\napiVersion: v1\nkind: Secret\n";
        assert_eq!(at_content(text, "kind: ConfigMap").as_deref(), None);
        assert_eq!(
            source_template(text, text.find("apiVersion: v1").expect("a")),
            Some("web/templates/a.yaml")
        );
        assert_eq!(at_content(text, "apiVersion: v1\nkind: Secret"), None);
        assert_eq!(source_template("apiVersion: v1\n", 0), None);
        assert_eq!(source_template("# Source:\napiVersion: v1\n", 10), None);
    }
}
