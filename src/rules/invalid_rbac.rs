//! `invalid-rbac`: Roles, ClusterRoles and their bindings the API server refuses (kubernetes
//! `pkg/apis/rbac/validation`): rules without verbs, API groups or resources, non-resource
//! URLs in a Role or beside resources, aggregation rules without selectors, role references that cannot resolve, and subjects with
//! a wrong kind, API group, name or namespace. Missing `apiGroup`s are not mistakes: the API
//! server defaults them (`pkg/apis/rbac/v1/defaults.go`).

use crate::model::view::items_of;
use crate::model::JsonView;
use super::api_objects::{ApiObject, Class};
use super::{Context, Finding, Rule, Target};
use crate::k8s::names;
use crate::pointer;

declare_rule! {
    pub struct InvalidRbac {
        id: "invalid-rbac",
        severity: Error,
        category: Correctness,
        inspects: Kinds(
            ("rbac.authorization.k8s.io", "Role"),
            ("rbac.authorization.k8s.io", "ClusterRole"),
            ("rbac.authorization.k8s.io", "RoleBinding"),
            ("rbac.authorization.k8s.io", "ClusterRoleBinding"),
        ),
    }
}

const GROUP: &str = "rbac.authorization.k8s.io";

impl Rule for InvalidRbac {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let Some(api) = ApiObject::of(cx.object).filter(|a| a.class == Class::Builtin) else {
            return;
        };
        match api.kind {
            "Role" => rules(cx, true, out),
            "ClusterRole" => {
                rules(cx, false, out);
                aggregation(cx, out);
            }
            "RoleBinding" => binding(cx, false, out),
            "ClusterRoleBinding" => binding(cx, true, out),
            _ => {}
        }
    }
}

/// The length of the list at a pointer: `None` when absent (or not a list: the schema's).
fn len(cx: &Context, at: &str) -> Option<usize> {
    cx.object.view(at).and_then(JsonView::items).map(Iterator::count)
}

fn text<'v>(cx: &'v Context, at: &str) -> Option<&'v str> {
    cx.object.view(at).and_then(JsonView::as_str)
}

fn rules(cx: &Context, namespaced: bool, out: &mut Vec<Finding>) {
    for (i, item) in items_of(cx.object.view("/rules")).enumerate() {
        // The rule's mapping is read for its lists; a pointer is written only for a finding.
        if !item.is_map() {
            continue;
        }
        let rule = || pointer::push_index("/rules", i);
        let field = |f: &str| pointer::push(&rule(), f);
        let count = |f: &str| item.get(f).and_then(JsonView::items).map_or(0, Iterator::count);
        let mut report = |at: String, message: &str, help: &str| {
            out.push(
                Finding::new(InvalidRbac::ID, at.clone(), format!("the API server says \"{message}\""))
                    .label("invalid rule")
                    .help(help.to_string())
                    .replaces_schema_at(at),
            );
        };
        if count("verbs") == 0 {
            report(
                field("verbs"),
                "verbs must contain at least one value",
                "list the verbs the rule allows (`get`, `list`, `watch`, `create`, `update`, `patch`, `delete`, or `*`)",
            );
        }
        if count("nonResourceURLs") > 0 {
            if namespaced {
                report(
                    field("nonResourceURLs"),
                    "namespaced rules cannot apply to non-resource URLs",
                    "move the rule to a ClusterRole (bound with a ClusterRoleBinding): URLs such as `/healthz` belong to no namespace",
                );
            }
            if count("apiGroups") > 0 || count("resources") > 0 || count("resourceNames") > 0 {
                report(
                    field("nonResourceURLs"),
                    "rules cannot apply to both regular resources and non-resource URLs",
                    "split it into two rules: one with `nonResourceURLs`, one with `apiGroups` and `resources`",
                );
            }
            continue;
        }
        if count("apiGroups") == 0 {
            report(
                field("apiGroups"),
                "resource rules must supply at least one api group",
                "add `apiGroups`: `\"\"` for the core group (pods, services, secrets...), `apps` for deployments, `*` for all",
            );
        }
        if count("resources") == 0 {
            report(
                field("resources"),
                "resource rules must supply at least one resource",
                "list the resources the rule covers (plural, lower-case: `pods`, `deployments`, `pods/log`), or `*`",
            );
        }
    }
}

/// An `aggregationRule` needs at least one selector (its selectors' syntax is
/// `invalid-label`'s).
fn aggregation(cx: &Context, out: &mut Vec<Finding>) {
    if !cx.object.view("/aggregationRule").is_some_and(JsonView::is_map) {
        return;
    }
    let at = "/aggregationRule/clusterRoleSelectors";
    if len(cx, at).unwrap_or(0) > 0 {
        return;
    }
    out.push(
        Finding::new(
            InvalidRbac::ID,
            at,
            "the API server says \"at least one clusterRoleSelector required if aggregationRule is non-nil\"",
        )
        .at(if cx.object.at(at).is_some() { Target::Value } else { Target::Key })
        .label("no selector")
        .help("add a label selector that picks the ClusterRoles to aggregate, or remove `aggregationRule`"),
    );
}

fn binding(cx: &Context, cluster: bool, out: &mut Vec<Finding>) {
    let kinds: &[&str] = if cluster {
        &["ClusterRole"]
    } else {
        &["Role", "ClusterRole"]
    };
    if let Some(group) = text(cx, "/roleRef/apiGroup").filter(|g| !g.is_empty() && *g != GROUP) {
        out.push(unsupported("/roleRef/apiGroup", group, &[GROUP]).help(format!(
            "use `apiGroup: {GROUP}` (or leave it out: it is the default)"
        )));
    }
    if let Some(kind) = text(cx, "/roleRef/kind").filter(|k| !kinds.contains(k)) {
        let help = if cluster && kind == "Role" {
            "a ClusterRoleBinding grants a ClusterRole only: make the Role a ClusterRole, or bind it with a RoleBinding in its namespace".to_string()
        } else {
            format!("use `kind: {}`", kinds.join("` or `kind: "))
        };
        out.push(unsupported("/roleRef/kind", kind, kinds).help(help));
    }
    if let Some(name) = text(cx, "/roleRef/name") {
        let msgs = names::is_path_segment_name(name);
        if name.is_empty() || !msgs.is_empty() {
            let message = if name.is_empty() {
                "the role reference has an empty name: the API server says \"Required value\"".to_string()
            } else {
                format!(
                    "the API server rejects the role name {}: {}",
                    super::api_objects::shown(name),
                    msgs.join("; ")
                )
            };
            out.push(
                Finding::new(InvalidRbac::ID, "/roleRef/name", message)
                .label("invalid role name")
                .help("name the Role or ClusterRole to bind"),
            );
        }
    }
    for i in 0..len(cx, "/subjects").unwrap_or(0) {
        let s = pointer::push_index("/subjects", i);
        if cx.object.view(&s).is_some_and(JsonView::is_map) {
            subject(cx, &s, cluster, out);
        }
    }
}

/// `field.NotSupported`, in the API server's words.
fn unsupported(at: &str, value: &str, supported: &[&str]) -> Finding {
    let list = supported
        .iter()
        .map(|s| format!("\"{s}\""))
        .collect::<Vec<_>>()
        .join(", ");
    Finding::new(
        InvalidRbac::ID,
        at,
        format!("the API server says `Unsupported value: \"{value}\": supported values: {list}`"),
    )
    .label("not supported")
}

fn subject(cx: &Context, s: &str, cluster: bool, out: &mut Vec<Finding>) {
    let field = |f: &str| pointer::push(s, f);
    let kind = text(cx, &field("kind"));
    let group = text(cx, &field("apiGroup")).unwrap_or("");
    let name_at = field("name");
    let name = text(cx, &name_at);
    // A missing name is also a schema error; an empty one only the API server's.
    if name.is_none_or(str::is_empty) && cx.object.view(&name_at).is_none_or(|v| v.as_str().is_some() || v.is_null()) {
        out.push(
            Finding::new(
                InvalidRbac::ID,
                name_at.clone(),
                format!(
                    "a {} subject without a name: the API server says \"Required value\"",
                    kind.unwrap_or("binding")
                ),
            )
            .at(if name.is_some() { Target::Value } else { Target::Key })
            .label("no name")
            .help("name the user, group or ServiceAccount the binding grants the role to")
            .replaces_schema_at(name_at.clone()),
        );
    }
    match kind {
        Some("ServiceAccount") => {
            if let Some(n) = name.filter(|n| !n.is_empty()) {
                let msgs = names::name_is_dns_subdomain(n, false);
                if !msgs.is_empty() {
                    out.push(
                        Finding::new(
                            InvalidRbac::ID,
                            name_at,
                            format!(
                                "the API server rejects the ServiceAccount name {}: {}",
                                super::api_objects::shown(n),
                                msgs.join("; ")
                            ),
                        )
                        .label("invalid ServiceAccount name")
                        .help("use the ServiceAccount's own name (`metadata.name`), without the `system:serviceaccount:<namespace>:` prefix of its user name"),
                    );
                }
            }
            if !group.is_empty() {
                out.push(unsupported(&field("apiGroup"), group, &[""]).help(
                    "remove `apiGroup` from a ServiceAccount subject: ServiceAccounts are in the core group",
                ));
            }
            let at = field("namespace");
            // A namespace that is not a string (`namespace: n` is a YAML 1.1 boolean) is the
            // schema's.
            let absent = cx
                .object
                .at(&at)
                .is_none_or(|v| v.is_null() || v.as_str() == Some(""));
            if cluster && absent {
                out.push(
                    Finding::new(
                        InvalidRbac::ID,
                        at.clone(),
                        "a ServiceAccount subject of a ClusterRoleBinding needs its namespace: the API server says \"Required value\"",
                    )
                    .at(if cx.object.view(&at).is_some() { Target::Value } else { Target::Key })
                    .label("no namespace")
                    .help("add the namespace of the ServiceAccount"),
                );
            }
        }
        Some("User" | "Group") if !group.is_empty() && group != GROUP => {
            out.push(unsupported(&field("apiGroup"), group, &[GROUP]).help(format!(
                "use `apiGroup: {GROUP}` (or leave it out: it is the default for users and groups)"
            )));
        }
        Some("User" | "Group") => {}
        Some(other) => out.push(
            unsupported(&field("kind"), other, &["ServiceAccount", "User", "Group"])
                .help("a subject is a `ServiceAccount`, a `User` or a `Group`"),
        ),
        None => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::findings;

    fn pointers(text: &str) -> Vec<String> {
        findings(&InvalidRbac, text)
            .into_iter()
            .map(|f| f.pointer)
            .collect()
    }

    #[test]
    fn policy_rules() {
        let got = pointers(
            "apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: r, namespace: n}
rules:
- {apiGroups: [''], resources: [pods], verbs: [get]}
- {apiGroups: [''], resources: [pods], verbs: []}
- {nonResourceURLs: [/healthz], verbs: [get]}
- {resources: [pods], verbs: [get]}
- {apiGroups: [''], resources: [pods, secrets], resourceNames: [a], verbs: [get]}
",
        );
        assert_eq!(
            got,
            [
                "/rules/1/verbs",
                "/rules/2/nonResourceURLs",
                "/rules/3/apiGroups",
            ]
        );
        let got = pointers(
            "apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: r}
rules:
- {nonResourceURLs: [/healthz], verbs: [get]}
- {nonResourceURLs: [/metrics], resources: [pods], verbs: [get]}
- {apiGroups: [apps], verbs: [get]}
aggregationRule: {}
",
        );
        assert_eq!(
            got,
            [
                "/rules/1/nonResourceURLs",
                "/rules/2/resources",
                "/aggregationRule/clusterRoleSelectors"
            ]
        );
    }

    #[test]
    fn bindings() {
        let got = pointers(
            "apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: b}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: r}
subjects:
- {kind: ServiceAccount, name: sa, namespace: ns}
- {kind: ServiceAccount, name: sa}
- {kind: ServiceAccount, name: sa, namespace: ns, apiGroup: rbac.authorization.k8s.io}
- {kind: User, name: alice}
- {kind: User, name: bob, apiGroup: v1}
- {kind: Group, name: ''}
- {kind: Robot, name: r2}
- {kind: ServiceAccount, name: 'system:serviceaccount:ns:sa', namespace: ns}
- {kind: ServiceAccount, name: sa2, namespace: n}
",
        );
        assert_eq!(
            got,
            [
                "/roleRef/kind",
                "/subjects/1/namespace",
                "/subjects/2/apiGroup",
                "/subjects/4/apiGroup",
                "/subjects/5/name",
                "/subjects/6/kind",
                "/subjects/7/name",
            ]
        );
        assert!(pointers(
            "apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: b, namespace: n}
roleRef: {kind: ClusterRole, name: view}
subjects:
- {kind: ServiceAccount, name: sa}
- {kind: Group, name: 'system:authenticated'}
"
        )
        .is_empty());
        assert_eq!(
            pointers("apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: b, namespace: n}\nroleRef: {apiGroup: rbac.authorization.k8s.io/v1, kind: Role, name: ''}\n"),
            ["/roleRef/apiGroup", "/roleRef/name"]
        );
    }
}
