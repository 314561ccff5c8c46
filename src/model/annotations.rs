//! The annotations kubevet itself reads: `kubevet.dev/ignore`, which silences rules for a whole
//! object (on the object's metadata or its pod template's), and its list syntax.

use super::Object;
use crate::pointer::{self, AtPointer};

/// The annotation that silences rules for a whole object.
pub const IGNORE: &str = "kubevet.dev/ignore";

/// Split `rule-a,rule-b -- reason` into the rule ids (as written; unknown ids included).
pub fn parse_rule_list(s: &str) -> Vec<String> {
    let list = s.split(" -- ").next().unwrap_or("");
    let list = list.split("--").next().unwrap_or("");
    list.split([',', ' ', '\t'])
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_string)
        .collect()
}

/// The ignore annotations of an object: its own metadata's and, when `template_metadata`
/// points elsewhere, its pod template's; each with the pointer of the annotation's value and
/// the rule ids it names.
pub fn ignore_annotations(
    object: &Object,
    template_metadata: Option<&str>,
) -> Vec<(String, Vec<String>)> {
    std::iter::once("/metadata")
        .chain(template_metadata.filter(|m| *m != "/metadata"))
        .filter_map(|m| {
            let ptr = pointer::join(m, &["annotations", IGNORE]);
            let v = object.str_at(&ptr)?;
            Some((ptr, parse_rule_list(v)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_lists() {
        assert_eq!(parse_rule_list(" a,b -- because, really"), ["a", "b"]);
        assert_eq!(parse_rule_list("a b\tc"), ["a", "b", "c"]);
        assert!(parse_rule_list("").is_empty());
    }
}
