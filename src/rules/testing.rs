//! Test support for rule unit tests: run rules over a one-document manifest. The one place
//! tests build a [`Context`], so a new field of it is set here alone.

use super::{Context, Finding, Options, ProjectOut, Rule};
use crate::model::{objects_of, PodView};
use crate::source::yaml::parse_one;

/// Call `f` with the context of the first object of `text` (its pod view when it bears pods,
/// not known to pass the schema), under `options` and the project facts `project`.
pub fn with_context<T>(
    text: &str,
    options: &Options,
    project: &ProjectOut,
    f: impl FnOnce(&Context) -> T,
) -> T {
    let root = parse_one(text).expect("a YAML document");
    let objects = objects_of(0, &root);
    let pod = PodView::of(&objects[0]);
    let cx = Context {
        object: &objects[0],
        pod: pod.as_ref(),
        project,
        options,
        pod_security: Default::default(),
        schema_valid: false,
    };
    f(&cx)
}

/// The findings of `rule` on the first object of `text`, under `options` and `project`.
pub fn run_with(
    rule: &dyn Rule,
    text: &str,
    options: &Options,
    project: &ProjectOut,
) -> Vec<Finding> {
    with_context(text, options, project, |cx| {
        let mut out = Vec::new();
        rule.check(cx, &mut out);
        out
    })
}

/// The findings of `rule` on the first object of `text` (default options, no project facts).
pub fn findings(rule: &dyn Rule, text: &str) -> Vec<Finding> {
    run_with(rule, text, &Options::default(), &ProjectOut::default())
}
