//! `misplaced-field`: a key that is not valid where it stands but is a field of a neighbouring
//! level of the workload — a pod-level field inside a container, a container field in the pod
//! spec, a probe's timing under its handler, a workload field inside the template, a
//! container-only security setting in the pod's securityContext, and so on.
//!
//! Works on the raw JSON (unknown keys are not in the typed view), walking the object with the
//! levels table ([`crate::model::levels`]): each mapping of a level, and for each of its keys
//! the first neighbouring level that has it. A key is reported only when it is exactly a field
//! of a neighbouring level and matches no field here, not even by case (a mistyped
//! `imagePullpolicy` is left to `schema`, which suggests the spelling). The finding replaces
//! `schema`'s unknown-field error for the same key, so an object the strict schema accepts is
//! not walked at all (but for a container's `restartPolicy`, see
//! [`container_restart_policy`]). Three mistakes leave a level out altogether and get a
//! finding of their own: a probe without its handler, a projected volume without `sources`,
//! a weighted affinity item without its term.

use crate::pointer::AtPointer;
use super::{Context, Finding, FixPlan, Rule, Target};
use crate::model::fields::{fields, FieldSet};
use crate::model::levels::{self, one_of, row, Home, Level, Levels, Place, Why};
use crate::model::ContainerRole;
use crate::pointer::{self, dotted};
use serde_json::Value;

declare_rule! {
    pub struct MisplacedField {
        id: "misplaced-field",
        severity: Error,
        category: Correctness,
        fixable: true,
        inspects: Pods,
    }
}

impl Rule for MisplacedField {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        if cx.schema_valid && !container_restart_policy(cx) {
            // Debug builds (the tests) check the premise on every object they see.
            debug_assert!(
                find(cx).is_empty(),
                "misplaced-field reports an object its strict schema accepts"
            );
            return;
        }
        out.extend(find(cx));
    }
}

/// Whether a container of the pod spec sets `restartPolicy`: the one key the strict schema
/// accepts on every container (it is a field of the type) that this rule may still report,
/// on a main or ephemeral container, as the pod's. Every other finding is about a key that is
/// no field where it stands, so an object its strict schema accepts has none, and the walk of
/// its levels (most of this rule's cost) is skipped. Read from the keys as written, not the
/// typed view: `restartPolicy: null` is a key the walk reports too.
fn container_restart_policy(cx: &Context) -> bool {
    let Some(spec) = crate::model::pod::WorkloadKind::of(cx.object)
        .and_then(|k| cx.object.node_at(k.pod_spec_pointer()))
    else {
        return false;
    };
    ContainerRole::ALL
        .iter()
        .filter_map(|role| spec.get(role.field()).and_then(|e| e.value.as_seq()))
        .flatten()
        .any(|c| c.get("restartPolicy").is_some())
}

/// The findings on one object, found by walking its levels.
fn find(cx: &Context) -> Vec<Finding> {
    let Some(levels) = Levels::of(cx.object) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for place in levels.places() {
        match place.level {
            Level::Probe => missing_handler(&levels, place, &mut found),
            Level::VolumeSource if place.key.as_deref() == Some("projected") => {
                missing_sources(&levels, place, &mut found)
            }
            Level::WeightedPodAffinityTerm | Level::PreferredSchedulingTerm => {
                missing_term(&levels, place, &mut found)
            }
            _ => {}
        }
        check_place(&levels, place, &mut found);
    }
    one_fix_per_new_mapping(levels.root(), &mut found);
    found
}

/// Report every key of the mapping at `place` that is not valid there but is a field of one
/// of its neighbours (the first that has it). The neighbours are only worked out for a
/// mapping with such a key: most mappings have none.
fn check_place(levels: &Levels, place: &Place, out: &mut Vec<Finding>) {
    if row(place.level).neighbours.is_empty() {
        return;
    }
    let valid = Valid::at(levels, place);
    // Most mappings hold only their own fields: say so before putting the keys in the order
    // they are written.
    if place.mapping().is_none_or(|m| m.keys().all(|k| valid.has(k))) {
        return;
    }
    let mut strays = levels
        .keys(place)
        .into_iter()
        .filter(|k| !valid.has(k))
        .peekable();
    if strays.peek().is_none() {
        return;
    }
    let homes = levels.neighbours(place);
    for key in strays {
        let Some(home) = homes.iter().find(|h| h.fields.contains(key)) else {
            continue;
        };
        let key_ptr = pointer::push(&place.pointer, key);
        // A key one of the missing-level findings already explains.
        if out
            .iter()
            .any(|f| f.pointer == key_ptr || f.replaces_schema.contains(&key_ptr))
        {
            continue;
        }
        out.push(misplaced(levels, place, key, key_ptr, home));
    }
}

/// The fields valid at a place. Only an init container sets its own restartPolicy (`Always`:
/// a sidecar); on any other container it is the pod's, written a level too deep. Per-container
/// restart rules (`restartPolicyRules`) need it beside them, so it stays with them.
struct Valid {
    fields: &'static FieldSet,
    /// Whether `restartPolicy` is the pod's here, not a field of this level.
    pods_restart: bool,
}

impl Valid {
    fn at(levels: &Levels, place: &Place) -> Valid {
        let own_restart = place.role() == Some(ContainerRole::Init)
            || place
                .mapping()
                .is_some_and(|c| c.contains_key("restartPolicyRules"));
        Valid {
            fields: levels.fields(place),
            pods_restart: place.level == Level::Container && !own_restart,
        }
    }

    /// Whether `key` is a field here, or one in another case (a typo `schema` reports).
    fn has(&self, key: &str) -> bool {
        let valid = |v: &str| !(self.pods_restart && v == "restartPolicy");
        (self.fields.contains(key) && valid(key))
            || self
                .fields
                .iter()
                .any(|v| v.eq_ignore_ascii_case(key) && valid(v))
    }
}

/// The finding for `key` at `place`, which belongs to `home`.
fn misplaced(levels: &Levels, place: &Place, key: &str, key_ptr: String, home: &Home) -> Finding {
    let here = levels.name(place);
    let spot = format!("{}.{key}", home.display);
    let (message, help) = if home.display.is_empty() {
        (
            format!("`{key}` belongs to {}, not to {here}", home.name),
            help_into(home.why, key, &home.name),
        )
    } else {
        (
            format!("`{key}` belongs to {}, `{spot}`, not to {here}", home.name),
            help(home.why, key, &spot),
        )
    };
    let mut finding = Finding::new(MisplacedField::ID, key_ptr.clone(), message)
        .at(Target::Key)
        .label(format!("not a field of {here}"))
        .help(help)
        .replaces_schema_at(key_ptr.clone());
    let Some(target) = &home.target else {
        return finding;
    };
    let root = levels.root();
    let free = match root.at_pointer(target) {
        Some(Value::Object(m)) => !m.contains_key(key),
        Some(Value::Null) => true,
        None => creatable(root, target),
        _ => false,
    };
    // A field required where it belongs is missing there because of this mistake (but the
    // errors of a value already written there are its own).
    let there = pointer::push(target, key);
    if root.at_pointer(&there).is_none_or(Value::is_null) {
        finding = finding.replaces_schema_at(there);
    }
    if root.at_pointer(target).is_some_and(Value::is_null) {
        // `configMap:` left empty by the same mistake: its type error is this one.
        finding = finding.replaces_schema_at(target.clone());
    }
    if free {
        finding = finding.fix(
            format!("move `{key}` to `{spot}`"),
            FixPlan::MoveKey {
                from: key_ptr,
                to: target.clone(),
            },
        );
    }
    finding
}

/// The help for a misplaced key whose exact place is not known: where to move it, then why.
fn help_into(why: Why, key: &str, level: &str) -> String {
    let reason = format!("{}{}", why.reason(), why.aside(key));
    match level
        .strip_prefix("a probe (")
        .and_then(|l| l.strip_suffix(')'))
    {
        Some(names) => format!("move `{key}` into the probe it is meant for ({names}); {reason}"),
        None => format!("move `{key}` into {level}; {reason}"),
    }
}

/// The help for a misplaced key: the fix, then why the field lives there.
fn help(why: Why, key: &str, spot: &str) -> String {
    format!(
        "move `{key}` to `{spot}`; {}{}",
        why.reason(),
        why.aside(key)
    )
}

/// Two fixes that each create the same missing mapping (`capabilities` and
/// `allowPrivilegeEscalation` both into a container's new `securityContext`) would create it
/// twice. The first such fix moves every key of its mapping that goes there; the others are
/// left without a fix until the mapping exists (`--fix` runs again and moves them then).
fn one_fix_per_new_mapping(root: &Value, found: &mut [Finding]) {
    let mut first: Vec<(String, usize)> = Vec::new();
    for i in 0..found.len() {
        let Some((_, FixPlan::MoveKey { from, to })) = &found[i].fix else {
            continue;
        };
        if root.at_pointer(to).is_some() {
            continue;
        }
        let (from, to) = (from.clone(), to.clone());
        let Some(&(_, j)) = first.iter().find(|(t, _)| *t == to) else {
            first.push((to, i));
            continue;
        };
        found[i].fix = None;
        let Some((title, plan)) = &mut found[j].fix else {
            continue;
        };
        let keys = match plan {
            FixPlan::MoveKey { from: f, .. } => vec![f.clone()],
            FixPlan::NestKeys { keys, .. } => keys.clone(),
            FixPlan::RenameKey { .. } => continue,
        };
        let same_parent = keys.iter().all(|k| {
            pointer::split_last(k).map(|(p, _)| p) == pointer::split_last(&from).map(|(p, _)| p)
        });
        if same_parent {
            let mut keys = keys;
            keys.push(from);
            let names: Vec<String> = keys
                .iter()
                .filter_map(|k| pointer::split_last(k).map(|(_, n)| n))
                .collect();
            *title = format!("move {} to `{}`", one_of(&names, "and"), dotted(&to));
            *plan = FixPlan::NestKeys { keys, into: to };
        }
    }
}

/// Whether the mapping at `target` can be created for a fix: its deepest existing ancestor is
/// a mapping, and the rest of the way are mapping keys.
fn creatable(root: &Value, target: &str) -> bool {
    let tokens = pointer::tokens(target);
    let mut at = tokens.len();
    while at > 0 {
        let ptr = pointer::join("", &tokens[..at - 1]);
        match root.at_pointer(&ptr) {
            Some(Value::Object(_)) => {
                return tokens[at - 1..]
                    .iter()
                    .all(|t| !t.is_empty() && !t.bytes().all(|b| b.is_ascii_digit()));
            }
            Some(_) => return false,
            None => at -= 1,
        }
    }
    false
}

/// Keys written beside the level they belong to, which the mistake left out: one finding
/// that nests them under its key.
struct Nest<'a> {
    /// The mapping the keys stand in.
    at: &'a str,
    /// The keys, in file order.
    strays: &'a [&'a str],
    /// The key of the missing level.
    child: &'a str,
    /// The mapping to nest them in (the child, or an item of it).
    into: &'a str,
    message: String,
    label: &'a str,
    help: String,
}

impl Nest<'_> {
    fn finding(self, root: &Value) -> Option<Finding> {
        let first = self.strays.first()?;
        let mut finding = Finding::new(
            MisplacedField::ID,
            pointer::push(self.at, first),
            self.message,
        )
        .at(Target::Key)
        .label(self.label)
        .help(self.help);
        for k in self.strays {
            finding = finding.replaces_schema_at(pointer::push(self.at, k));
        }
        let child_ptr = pointer::push(self.at, self.child);
        // The child that the same mistake left missing (or empty) is part of it.
        finding = finding.replaces_schema_at(child_ptr.clone());
        let free = match root.at_pointer(self.into) {
            None => root.at_pointer(&child_ptr).is_none() || creatable(root, self.into),
            Some(Value::Object(m)) => self.strays.iter().all(|k| !m.contains_key(*k)),
            Some(Value::Null) => true,
            _ => false,
        };
        if free {
            finding = finding.fix(
                format!("nest {} under `{}`", one_of(self.strays, "and"), self.child),
                FixPlan::NestKeys {
                    keys: self
                        .strays
                        .iter()
                        .map(|k| pointer::push(self.at, k))
                        .collect(),
                    into: self.into.to_string(),
                },
            );
        }
        Some(finding)
    }
}

/// `belongs` or `belong`.
fn belong(n: usize) -> &'static str {
    if n == 1 {
        "belongs"
    } else {
        "belong"
    }
}

/// A probe with no handler whose handler fields stand in the probe itself:
/// `livenessProbe: {path: /healthz, port: 8080}` means `httpGet`.
fn missing_handler(levels: &Levels, probe: &Place, out: &mut Vec<Finding>) {
    let f = fields();
    let keys = levels.keys(probe);
    if keys.iter().any(|k| f.probe_handlers.contains_key(k)) {
        return;
    }
    let strays: Vec<&str> = keys
        .into_iter()
        .filter(|k| !f.probe.iter().any(|v| v.eq_ignore_ascii_case(k)))
        .filter(|k| f.probe_handlers.members.values().any(|h| h.contains(*k)))
        .collect();
    if strays.is_empty() {
        return;
    }
    let handlers: Vec<&str> = f
        .probe_handlers
        .members
        .iter()
        .filter(|(_, fs)| strays.iter().all(|k| fs.contains(*k)))
        .map(|(h, _)| h.as_str())
        .collect();
    let name = probe.key.as_deref().unwrap_or_default();
    let n = belong(strays.len());
    let keys = one_of(&strays, "and");
    let why = "the probe says when and how often to check; its handler (`httpGet`, `tcpSocket`, `exec` or `grpc`) says how";
    let at = &probe.pointer;
    let finding = match handlers.as_slice() {
        [h] => {
            let into = pointer::push(at, h);
            Nest {
                at,
                strays: &strays,
                child: h,
                into: &into,
                message: format!(
                    "{keys} {n} to the probe's `{h}` handler, `{}`, which this `{name}` is missing",
                    dotted(&into)
                ),
                label: "a field of the handler, not of the probe",
                help: format!("nest {keys} under `{h}:` in the `{name}`; {why}"),
            }
            .finding(levels.root())
        }
        several => Some(handler_not_known(at, name, &strays, several, why)),
    };
    out.extend(finding);
}

/// Handler fields in a probe without its handler, when they fit several handlers: which is
/// meant is left to the author.
fn handler_not_known(
    at: &str,
    probe: &str,
    strays: &[&str],
    handlers: &[&str],
    why: &str,
) -> Finding {
    let keys = one_of(strays, "and");
    let n = belong(strays.len());
    let handlers = one_of(handlers, "or");
    let mut finding = Finding::new(
        MisplacedField::ID,
        pointer::push(at, strays[0]),
        format!("{keys} {n} to the probe's handler ({handlers}), which this `{probe}` is missing"),
    )
    .at(Target::Key)
    .label("a field of the handler, not of the probe")
    .help(format!(
        "nest {keys} under the handler meant ({handlers}); {why}"
    ));
    for k in strays {
        finding = finding.replaces_schema_at(pointer::push(at, k));
    }
    finding
}

/// A projected volume whose sources stand in it directly, without `sources:`.
fn missing_sources(levels: &Levels, projected: &Place, out: &mut Vec<Finding>) {
    let f = fields();
    let pp = &projected.pointer;
    let strays: Vec<&str> = levels
        .keys(projected)
        .into_iter()
        .filter(|k| !f.projected_volume.contains(*k) && f.projection_sources.contains_key(k))
        .collect();
    let Some(first) = strays.first() else {
        return;
    };
    let volume = levels
        .parent(projected)
        .map_or("the volume".into(), |v| levels.name(v));
    let sources = pointer::push(pp, "sources");
    let keys = one_of(&strays, "and");
    let (be, item) = if strays.len() == 1 {
        ("is a projected source", "an item")
    } else {
        ("are projected sources", "items")
    };
    let each = if strays.len() == 1 { "it" } else { "each" };
    let message = format!(
        "{keys} {be} of {volume}: {each} belongs in a list item of `{}`, not directly in `projected`",
        dotted(&sources)
    );
    let help = format!(
        "write {keys} as {item} of `sources:` (`projected: {{sources: [{{{first}: ...}}]}}`): a projected volume merges a list of sources"
    );
    let label = "a source, not a field of `projected`";
    if strays.len() == 1 && levels.root().at_pointer(&sources).is_none() {
        let into = pointer::push(&sources, "0");
        out.extend(
            Nest {
                at: pp,
                strays: &strays,
                child: "sources",
                into: &into,
                message,
                label,
                help,
            }
            .finding(levels.root()),
        );
        return;
    }
    let mut finding = Finding::new(MisplacedField::ID, pointer::push(pp, first), message)
        .at(Target::Key)
        .label(label)
        .help(help)
        .replaces_schema_at(sources);
    for k in &strays {
        finding = finding.replaces_schema_at(pointer::push(pp, k));
    }
    out.push(finding);
}

/// A preferred affinity item whose term's fields stand beside `weight` instead of inside its
/// term: `podAffinityTerm` (pod affinity and anti-affinity) or `preference` (node affinity).
fn missing_term(levels: &Levels, item: &Place, out: &mut Vec<Finding>) {
    let Some((term, child)) = levels::wrapped(item.level) else {
        return;
    };
    let item_fields = levels.fields(item);
    let term_fields = row(term).fields(&Place::bare(term));
    let strays: Vec<&str> = levels
        .keys(item)
        .into_iter()
        .filter(|k| !item_fields.contains(*k) && term_fields.contains(*k))
        .collect();
    if strays.is_empty() {
        return;
    }
    let kind = item.key.as_deref().unwrap_or("nodeAffinity");
    let keys = one_of(&strays, "and");
    let n = belong(strays.len());
    let into = pointer::push(&item.pointer, child);
    let what = if term == Level::NodeSelectorTerm {
        "node selector term"
    } else {
        "pod affinity term"
    };
    out.extend(
        Nest {
            at: &item.pointer,
            strays: &strays,
            child,
            into: &into,
            message: format!(
                "{keys} {n} to the term's `{child}`, `{}`, not to the weighted item of `{kind}`",
                dotted(&into)
            ),
            label: &format!("a field of `{child}`"),
            help: format!(
                "nest {keys} under `{child}:` beside `weight`: each preferred item gives a `weight` to one {what}, written in `{child}`"
            ),
        }
        .finding(levels.root()),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::with_context;
    use crate::rules::RuleId;

    /// Run the Pod-model rules over `text` beside the `schema` findings given (as the schema
    /// validator reports unknown fields: at the key), then drop the replaced ones.
    pub(crate) fn with_schema(text: &str, schema_at: &[&str]) -> Vec<(String, String)> {
        let options = crate::rules::Options::default();
        let project = crate::rules::ProjectOut::default();
        let mut findings: Vec<Finding> = schema_at
            .iter()
            .map(|p| Finding::new(RuleId::Schema, *p, "unknown field").at(Target::Key))
            .collect();
        with_context(text, &options, &project, |cx| {
            MisplacedField.check(cx, &mut findings);
            crate::rules::projected_items_shape::ProjectedItemsShape.check(cx, &mut findings);
        });
        crate::rules::drop_replaced_schema_findings(&mut findings);
        let mut v: Vec<(String, String)> = findings
            .into_iter()
            .map(|f| (f.rule.to_string(), f.pointer))
            .collect();
        v.sort();
        v
    }

    #[test]
    fn one_mistake_one_finding() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: web\n    image: nginx:1\n    hostAliases: []\n    imagePullpolicy: Always\n";
        let got = with_schema(
            text,
            &[
                "/spec/containers/0/hostAliases",
                "/spec/containers/0/imagePullpolicy",
            ],
        );
        assert_eq!(
            got,
            vec![
                (
                    "misplaced-field".to_string(),
                    "/spec/containers/0/hostAliases".to_string()
                ),
                (
                    "schema".to_string(),
                    "/spec/containers/0/imagePullpolicy".to_string()
                ),
            ]
        );
    }

    #[test]
    fn pod_and_container_fields_in_each_others_place() {
        for key in [
            "hostAliases",
            "nodeSelector",
            "nodeName",
            "hostNetwork",
            "hostPID",
            "hostIPC",
            "shareProcessNamespace",
            "volumes",
            "serviceAccountName",
            "tolerations",
            "affinity",
            "imagePullSecrets",
        ] {
            let text = format!("apiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec:\n  containers:\n  - name: c\n    image: x:1\n    {key}: null\n");
            let got = with_schema(&text, &[]);
            assert_eq!(got.len(), 1, "{key}: {got:?}");
        }
        // An init container's restartPolicy is its own (`Always`: a sidecar), and so is one
        // beside per-container restart rules; a main container's is the pod's.
        let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  initContainers:\n  - name: s\n    image: x:1\n    restartPolicy: Always\n  containers:\n  - name: c\n    image: x:1\n    restartPolicy: Never\n    restartPolicyRules: []\n";
        assert!(with_schema(text, &[]).is_empty());
        let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: x:1\n    restartPolicy: Never\n";
        assert_eq!(
            with_schema(text, &[]),
            vec![(
                "misplaced-field".to_string(),
                "/spec/containers/0/restartPolicy".to_string()
            )]
        );
        for key in [
            "image",
            "imagePullPolicy",
            "command",
            "args",
            "ports",
            "env",
            "volumeMounts",
            "livenessProbe",
            "lifecycle",
        ] {
            let text = format!("apiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec:\n  containers:\n  - name: c\n  {key}: null\n");
            let got = with_schema(&text, &[]);
            assert_eq!(got.len(), 1, "{key}: {got:?}");
        }
        // Pod-level resources are a real pod spec field.
        let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n  resources: {}\n";
        assert!(with_schema(text, &[]).is_empty());
    }

    #[test]
    fn an_empty_source_left_by_the_mistake_is_part_of_it() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: 'busybox:1'}]\n  volumes:\n  - name: cfg\n    configMap:\n    items: []\n";
        let got = with_schema(
            text,
            &["/spec/volumes/0/items", "/spec/volumes/0/configMap"],
        );
        assert_eq!(
            got,
            vec![(
                "misplaced-field".to_string(),
                "/spec/volumes/0/items".to_string()
            )]
        );
    }

    #[test]
    fn projected_source_errors_are_replaced() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: 'busybox:1'}]\n  volumes:\n  - name: podinfo\n    projected:\n      sources:\n      - downwardAPI:\n        items: []\n";
        let src = "/spec/volumes/0/projected/sources/0";
        let got = with_schema(
            text,
            &[
                &format!("{src}/items"),
                &format!("{src}/downwardAPI"),
                "/spec/volumes/0/name",
            ],
        );
        assert_eq!(
            got,
            vec![
                ("projected-items-shape".to_string(), format!("{src}/items")),
                ("schema".to_string(), "/spec/volumes/0/name".to_string()),
            ]
        );
    }

    #[test]
    fn errors_of_a_value_already_at_home_are_its_own() {
        // The container has a readinessProbe of its own, with an error of its own: the pod-level
        // one is misplaced, but it does not explain that error.
        let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  readinessProbe: {}\n  containers:\n  - name: c\n    image: x:1\n    readinessProbe:\n      httpGet: {path: /}\n";
        let own = "/spec/containers/0/readinessProbe/httpGet/port";
        assert_eq!(
            with_schema(text, &["/spec/readinessProbe", own]),
            vec![
                (
                    "misplaced-field".to_string(),
                    "/spec/readinessProbe".to_string()
                ),
                ("schema".to_string(), own.to_string()),
            ]
        );
    }

    #[test]
    fn a_probe_without_handler_keeps_its_fields_for_the_handler() {
        // `command` is a container field too, but in a probe without a handler it is the
        // missing `exec`'s; `image` can only be the container's.
        let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    livenessProbe:\n      command: [cat, /ok]\n      image: x:1\n";
        let found = crate::rules::testing::findings(&MisplacedField, text);
        let messages: Vec<&str> = found.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "`command` belongs to the probe's `exec` handler, `spec.containers[0].livenessProbe.exec`, which this `livenessProbe` is missing",
                "`image` belongs to container `c`, `spec.containers[0].image`, not to the `livenessProbe` itself",
            ]
        );
    }

    #[test]
    fn a_variables_source_goes_under_value_from() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    env:\n    - name: A\n      secretKeyRef: {name: s, key: k}\n";
        let at = "/spec/containers/0/env/0/secretKeyRef";
        assert_eq!(
            with_schema(text, &[at]),
            vec![("misplaced-field".to_string(), at.to_string())]
        );
    }
}
