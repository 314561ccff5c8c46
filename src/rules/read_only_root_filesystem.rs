//! `read-only-root-filesystem` (opt-in): a main or init container whose
//! `securityContext.readOnlyRootFilesystem` is not `true`. The field exists only on
//! containers (no pod-level default); ephemeral debugging containers are not checked.

use super::{Context, Finding, Rule, Target};
use crate::model::ContainerRole;

declare_rule! {
    pub struct ReadOnlyRootFilesystem {
        id: "read-only-root-filesystem",
        severity: Warning,
        category: Security,
        opt_in: true,
        inspects: Pods,
        whole_object: true,
    }
}

impl Rule for ReadOnlyRootFilesystem {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let Some(pod) = cx.pod else { return };
        for c in pod.containers.iter().filter(|c| c.role != ContainerRole::Ephemeral) {
            let sc = c.container.security_context.as_ref();
            let (ptr, target) = match sc.and_then(|s| s.read_only_root_filesystem) {
                Some(true) => continue,
                Some(false) => (
                    crate::pointer::join(&c.pointer, &["securityContext", "readOnlyRootFilesystem"]),
                    Target::Value,
                ),
                None if sc.is_some() => (c.field("securityContext"), Target::Key),
                None if !c.container.name.is_empty() => (c.field("name"), Target::Value),
                None => (c.pointer.clone(), Target::Value),
            };
            out.push(
                Finding::new(
                    ReadOnlyRootFilesystem::ID,
                    ptr,
                    format!("{} `{}` can write to its root file system", c.role.describe(), c.name()),
                )
                .at(target)
                .label("writable root file system")
                .help("set `securityContext.readOnlyRootFilesystem: true` and mount an `emptyDir` where the program must write (such as /tmp), so that an intruder cannot change the program or drop tools"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::findings;

    #[test]
    fn points_where_the_setting_belongs() {
        let f = findings(
            &ReadOnlyRootFilesystem,
            "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: a, image: x:1}\n  - {name: b, image: x:1, securityContext: {readOnlyRootFilesystem: false}}\n  - {name: c, image: x:1, securityContext: {readOnlyRootFilesystem: true}}\n",
        );
        let ptrs: Vec<&str> = f.iter().map(|f| f.pointer.as_str()).collect();
        assert_eq!(ptrs, ["/spec/containers/0/name", "/spec/containers/1/securityContext/readOnlyRootFilesystem"]);
    }
}
