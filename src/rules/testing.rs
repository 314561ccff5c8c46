//! Test support for rule unit tests: run one rule over a one-document manifest.

use super::{Context, Finding, Options, ProjectOut, Rule};
use crate::model::{objects_of, PodView};
use crate::source::yaml::parse_one;

/// The findings of `rule` on the first object of `text` (no schema, no project facts).
pub fn findings(rule: &dyn Rule, text: &str) -> Vec<Finding> {
    let root = parse_one(text).expect("a YAML document");
    let objects = objects_of(0, &root);
    let pod = PodView::of(&objects[0]);
    let project = ProjectOut::default();
    let cx = Context {
        object: &objects[0],
        pod: pod.as_ref(),
        project: &project,
        options: &Options::default(),
        pod_security: Default::default(),
        schema_valid: false,
    };
    let mut out = Vec::new();
    rule.check(&cx, &mut out);
    out
}
