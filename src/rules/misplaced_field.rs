//! `misplaced-field`: a key that is not valid where it stands but is a field of a neighbouring
//! level of the workload — a pod-level field inside a container, a container field in the pod
//! spec, a probe's timing under its handler, a workload field inside the template, a
//! container-only security setting in the pod's securityContext, and so on.
//!
//! Works on the raw JSON (unknown keys are not in the typed view). A key is reported only when
//! it is exactly a field of a neighbouring level and matches no field here, not even by case
//! (a mistyped `imagePullpolicy` is left to `schema`, which suggests the spelling). The finding
//! replaces `schema`'s unknown-field error for the same key.

use super::fields::{fields, FieldSet};
use super::{Context, Finding, FixPlan, Rule, Target};
use crate::model::pod::WorkloadKind;
use crate::pointer;
use serde_json::{Map, Value};

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
        // A field out of place is an unknown field where it stands, so an object its strict
        // schema accepts has none — except a restartPolicy in a main or ephemeral container,
        // which the schema allows (for init containers) and only the API server refuses.
        let container_restart = |p: &crate::model::PodView| {
            p.containers.iter().any(|c| {
                c.role != crate::model::ContainerRole::Init && c.container.restart_policy.is_some()
            })
        };
        if cx.schema_clean && cx.pod.is_some_and(|p| !container_restart(p)) {
            return;
        }
        let Some(kind) = WorkloadKind::of(cx.object) else {
            return;
        };
        if cx.object.value.is_object() {
            let mut w = Walker::new(kind, &cx.object.value);
            w.order = Some(cx.object);
            let mut found = Vec::new();
            w.run(&mut found);
            one_fix_per_new_mapping(&cx.object.value, &mut found);
            out.extend(found);
        }
    }
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
        if root.pointer(to).is_some() {
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

/// Why a field belongs where it does: chooses the help text.
#[derive(Clone, Copy)]
enum Why {
    Machine,
    Program,
    ProbeTiming,
    ProbeHandler,
    PodSecurity,
    ContainerSecurity,
    Workload,
    Template,
    Metadata,
    TopLevel,
    VolumeSource,
    Mount,
    VolumeDefinition,
    ListEntry,
}

/// A level a misplaced key belongs to.
struct Home<'f> {
    fields: &'f FieldSet,
    /// How the level is named in messages: "the pod spec".
    level: String,
    /// Where the key should stand, as a dotted path without the key: `spec.template.spec`.
    display: String,
    /// The mapping to move the key into, when that is unambiguous.
    target: Option<String>,
    why: Why,
}

/// One workload level above the pod template (a Deployment spec, a CronJob's Job spec).
struct WorkloadLevel {
    name: String,
    pointer: String,
    fields: &'static FieldSet,
}

struct Walker<'v> {
    root: &'v Value,
    /// The spanned tree, for the order keys are written in.
    order: Option<&'v crate::model::Object<'v>>,
    kind: WorkloadKind,
    levels: Vec<WorkloadLevel>,
    /// The pod template (`spec.template`), absent for a bare Pod.
    template: Option<String>,
    /// The CronJob's job template (`spec.jobTemplate`).
    job_template: Option<String>,
    pod_meta: String,
    pod_spec: String,
}

impl<'v> Walker<'v> {
    fn new(kind: WorkloadKind, root: &'v Value) -> Walker<'v> {
        let f = fields();
        let kind_name = format!("{kind:?}");
        let mut levels = Vec::new();
        let (spec_fields, template, job_template) = match kind {
            WorkloadKind::Pod => (None, None, None),
            WorkloadKind::Deployment => (Some(&f.deployment), Some("/spec/template"), None),
            WorkloadKind::StatefulSet => (Some(&f.stateful_set), Some("/spec/template"), None),
            WorkloadKind::DaemonSet => (Some(&f.daemon_set), Some("/spec/template"), None),
            WorkloadKind::ReplicaSet => (Some(&f.replica_set), Some("/spec/template"), None),
            WorkloadKind::ReplicationController => (
                Some(&f.replication_controller),
                Some("/spec/template"),
                None,
            ),
            WorkloadKind::Job => (Some(&f.job), Some("/spec/template"), None),
            WorkloadKind::CronJob => (
                Some(&f.cron_job),
                Some("/spec/jobTemplate/spec/template"),
                Some("/spec/jobTemplate"),
            ),
        };
        if let Some(fs) = spec_fields {
            levels.push(WorkloadLevel {
                name: format!("the {kind_name} spec"),
                pointer: "/spec".into(),
                fields: fs,
            });
        }
        if kind == WorkloadKind::CronJob {
            levels.push(WorkloadLevel {
                name: "the Job spec".into(),
                pointer: "/spec/jobTemplate/spec".into(),
                fields: &f.job,
            });
        }
        Walker {
            root,
            order: None,
            kind,
            levels,
            template: template.map(str::to_string),
            job_template: job_template.map(str::to_string),
            pod_meta: kind.pod_metadata_pointer().to_string(),
            pod_spec: kind.pod_spec_pointer().to_string(),
        }
    }

    fn map(&self, ptr: &str) -> Option<&'v Map<String, Value>> {
        self.root.pointer(ptr).and_then(Value::as_object)
    }

    fn run(&self, out: &mut Vec<Finding>) {
        let f = fields();
        // The object's top level.
        let top: FieldSet = ["apiVersion", "kind", "metadata", "spec", "status"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let mut homes = Vec::new();
        if let Some(l) = self.levels.first() {
            homes.push(self.workload_home(l));
        } else {
            homes.push(self.pod_spec_home());
        }
        homes.push(Home {
            fields: &f.object_meta,
            level: "the object's metadata".into(),
            display: "metadata".into(),
            target: Some("/metadata".into()),
            why: Why::TopLevel,
        });
        self.check_map("", "the top level of the object", &top, &homes, out);

        // Workload specs.
        for (i, l) in self.levels.iter().enumerate() {
            let mut homes = vec![self.pod_spec_home()];
            if let Some(t) = &self.template {
                homes.push(Home {
                    fields: &f.pod_template,
                    level: "the pod template".into(),
                    display: dotted(t),
                    target: Some(t.clone()),
                    why: Why::Template,
                });
            }
            for (j, other) in self.levels.iter().enumerate() {
                if i != j {
                    homes.push(self.workload_home(other));
                }
            }
            self.check_map(&l.pointer, &l.name, l.fields, &homes, out);
        }
        if let Some(jt) = &self.job_template {
            let mut homes: Vec<Home> = self
                .levels
                .iter()
                .rev()
                .map(|l| self.workload_home(l))
                .collect();
            homes.push(self.pod_spec_home());
            self.check_map(jt, "the job template", &f.job_template, &homes, out);
        }
        // The pod template.
        if let Some(t) = &self.template {
            let mut homes = vec![self.pod_spec_home(), self.pod_meta_home()];
            homes.extend(self.levels.iter().rev().map(|l| self.workload_home(l)));
            self.check_map(t, "the pod template", &f.pod_template, &homes, out);
        }
        // The Pod's (or template's) metadata: pod spec fields there lost their `spec:` line.
        let here = if self.kind == WorkloadKind::Pod {
            "the Pod's metadata"
        } else {
            "the pod template's metadata"
        };
        self.check_map(
            &self.pod_meta,
            here,
            &f.object_meta,
            &[self.pod_spec_home()],
            out,
        );
        if let Some(l) = self.levels.first() {
            let homes = [self.workload_home(l)];
            self.check_map(
                "/metadata",
                "the object's metadata",
                &f.object_meta,
                &homes,
                out,
            );
        }
        self.check_pod_spec(out);
    }

    fn workload_home(&self, l: &WorkloadLevel) -> Home<'static> {
        Home {
            fields: l.fields,
            level: l.name.clone(),
            display: dotted(&l.pointer),
            target: Some(l.pointer.clone()),
            why: Why::Workload,
        }
    }

    fn pod_spec_home(&self) -> Home<'static> {
        Home {
            fields: &fields().pod_spec,
            level: "the pod spec".into(),
            display: dotted(&self.pod_spec),
            target: Some(self.pod_spec.clone()),
            why: Why::Machine,
        }
    }

    fn pod_meta_home(&self) -> Home<'static> {
        let level = if self.kind == WorkloadKind::Pod {
            "the Pod's metadata"
        } else {
            "the pod template's metadata"
        };
        Home {
            fields: &fields().object_meta,
            level: level.into(),
            display: dotted(&self.pod_meta),
            target: Some(self.pod_meta.clone()),
            why: Why::Metadata,
        }
    }

    /// The main containers: (pointer, name).
    fn containers(&self, list: &str) -> Vec<(String, String)> {
        let ptr = pointer::push(&self.pod_spec, list);
        let Some(items) = self.root.pointer(&ptr).and_then(Value::as_array) else {
            return Vec::new();
        };
        items
            .iter()
            .enumerate()
            .filter(|(_, c)| c.is_object())
            .map(|(i, c)| {
                let name = c
                    .get("name")
                    .and_then(Value::as_str)
                    .map(|n| format!("`{n}`"))
                    .unwrap_or_else(|| format!("#{}", i + 1));
                (pointer::push(&ptr, i.to_string()), name)
            })
            .collect()
    }

    /// Where a container-level key belongs when it stands in the pod spec: the only main
    /// container, or every container.
    fn container_home(&self, sub: Option<&str>, f: &'static FieldSet, why: Why) -> Home<'static> {
        let main = self.containers("containers");
        let suffix = sub.map(|s| format!(".{s}")).unwrap_or_default();
        let what = if sub.is_some() {
            "the container's securityContext"
        } else {
            "a container"
        };
        match main.as_slice() {
            [(ptr, name)] => {
                let target = match sub {
                    Some(s) => pointer::push(ptr, s),
                    None => ptr.clone(),
                };
                Home {
                    fields: f,
                    level: if sub.is_some() {
                        format!("container {name}'s securityContext")
                    } else {
                        format!("container {name}")
                    },
                    display: format!("{}{suffix}", dotted(ptr)),
                    target: Some(target),
                    why,
                }
            }
            _ => Home {
                fields: f,
                level: what.into(),
                display: format!("{}.containers[]{suffix}", dotted(&self.pod_spec)),
                target: None,
                why,
            },
        }
    }

    /// Where a field of a list entry (`mountPath`, `value`, `containerPort`) belongs when it
    /// stands on the container itself, usually dedented by one level: the list's only entry.
    fn list_entry_home(
        &self,
        container: &str,
        list: &str,
        fields: &'static FieldSet,
    ) -> Home<'static> {
        let lp = pointer::push(container, list);
        let entries = self.root.pointer(&lp).and_then(Value::as_array);
        match entries.map(Vec::as_slice) {
            Some([only]) if only.is_object() => {
                let ep = pointer::push(&lp, "0");
                Home {
                    fields,
                    level: format!("the only entry of `{list}`"),
                    display: dotted(&ep),
                    target: Some(ep),
                    why: Why::ListEntry,
                }
            }
            _ => Home {
                fields,
                level: format!("an entry of `{list}`"),
                display: format!("{}[]", dotted(&lp)),
                target: None,
                why: Why::ListEntry,
            },
        }
    }

    fn check_pod_spec(&self, out: &mut Vec<Finding>) {
        let f = fields();
        let Some(spec) = self.map(&self.pod_spec) else {
            return;
        };
        // The pod spec itself.
        let pod_sc = pointer::push(&self.pod_spec, "securityContext");
        let mut homes = vec![
            self.container_home(None, &f.container, Why::Program),
            Home {
                fields: &f.pod_security,
                level: "the pod's securityContext".into(),
                display: dotted(&pod_sc),
                target: Some(pod_sc.clone()),
                why: Why::PodSecurity,
            },
            self.container_home(
                Some("securityContext"),
                &f.container_security,
                Why::ContainerSecurity,
            ),
        ];
        homes.extend(self.levels.iter().rev().map(|l| self.workload_home(l)));
        homes.push(self.pod_meta_home());
        self.check_map(&self.pod_spec, "the pod spec", &f.pod_spec, &homes, out);

        // The pod's securityContext.
        if self.map(&pod_sc).is_some() {
            let homes = [self.container_home(
                Some("securityContext"),
                &f.container_security,
                Why::ContainerSecurity,
            )];
            self.check_map(
                &pod_sc,
                "the pod's securityContext",
                &f.pod_security,
                &homes,
                out,
            );
        }

        // Volumes.
        let volumes_ptr = pointer::push(&self.pod_spec, "volumes");
        if let Some(volumes) = spec.get("volumes").and_then(Value::as_array) {
            for (i, v) in volumes.iter().enumerate() {
                let Some(vm) = v.as_object() else { continue };
                let ptr = pointer::push(&volumes_ptr, i.to_string());
                let name = vm
                    .get("name")
                    .and_then(Value::as_str)
                    .map(|n| format!("volume `{n}`"))
                    .unwrap_or_else(|| "the volume".into());
                let sources: Vec<&String> = vm
                    .keys()
                    .filter(|k| f.volume_sources.contains_key(k.as_str()))
                    .collect();
                let mut homes = Vec::new();
                if let [src] = sources.as_slice() {
                    let sp = pointer::push(&ptr, src.as_str());
                    homes.push(Home {
                        fields: &f.volume_sources[src.as_str()],
                        level: format!("the volume's `{src}` source"),
                        display: dotted(&sp),
                        target: Some(sp),
                        why: Why::VolumeSource,
                    });
                }
                homes.push(Home {
                    fields: &f.volume_mount,
                    level: "a container's volumeMounts".into(),
                    display: format!("{}.containers[].volumeMounts[]", dotted(&self.pod_spec)),
                    target: None,
                    why: Why::Mount,
                });
                self.check_map(&ptr, &name, &f.volume, &homes, out);
                if vm.get("projected").is_some_and(Value::is_object) {
                    self.check_projected(&ptr, &name, out);
                }
            }
        }
        self.check_affinity(out);

        // Containers of every kind.
        for list in ["initContainers", "containers", "ephemeralContainers"] {
            for (ptr, name) in self.containers(list) {
                self.check_container(&ptr, &name, list == "ephemeralContainers", out);
            }
        }
    }

    fn check_container(&self, ptr: &str, name: &str, ephemeral: bool, out: &mut Vec<Finding>) {
        let f = fields();
        let Some(c) = self.map(ptr) else { return };
        let role = match ptr.contains("/initContainers/") {
            true => "init container",
            false if ephemeral => "ephemeral container",
            false => "container",
        };
        let here = format!("{role} {name}");
        let sc = pointer::push(ptr, "securityContext");
        let pod_sc = pointer::push(&self.pod_spec, "securityContext");
        let probes: Vec<&str> = PROBES
            .into_iter()
            .filter(|p| c.get(*p).is_some_and(Value::is_object))
            .collect();
        let probe_home = match probes.as_slice() {
            [p] => {
                let pp = pointer::push(ptr, p);
                Home {
                    fields: &f.probe,
                    level: format!("its `{p}`"),
                    display: dotted(&pp),
                    target: Some(pp),
                    why: Why::ProbeTiming,
                }
            }
            _ => {
                // No probe, or several: which one is meant is not known.
                let named = if probes.len() >= 2 {
                    probes.clone()
                } else {
                    PROBES.to_vec()
                };
                Home {
                    fields: &f.probe,
                    level: format!("a probe ({})", one_of(&named, "or")),
                    display: String::new(),
                    target: None,
                    why: Why::ProbeTiming,
                }
            }
        };
        let list_homes: Vec<Home> = [
            ("volumeMounts", &f.volume_mount),
            ("env", &f.env_var),
            ("ports", &f.container_port),
        ]
        .into_iter()
        .map(|(list, fs)| self.list_entry_home(ptr, list, fs))
        .collect();
        let mut homes = vec![
            self.pod_spec_home(),
            Home {
                fields: &f.container_security,
                level: format!("{here}'s securityContext"),
                display: dotted(&sc),
                target: Some(sc.clone()),
                why: Why::ContainerSecurity,
            },
            Home {
                fields: &f.pod_security,
                level: "the pod's securityContext".into(),
                display: dotted(&pod_sc),
                target: Some(pod_sc.clone()),
                why: Why::PodSecurity,
            },
            probe_home,
        ];
        homes.extend(list_homes);
        let valid = if ephemeral {
            &f.ephemeral_container
        } else {
            &f.container
        };
        // Only an init container sets its own restartPolicy (`Always`: a sidecar); on any
        // other container it is the pod's, written a level too deep. Per-container restart
        // rules (`restartPolicyRules`) need it beside them, so it stays with them.
        let own_restart = role == "init container" || c.contains_key("restartPolicyRules");
        let without_restart: FieldSet;
        let valid = if own_restart {
            valid
        } else {
            without_restart = valid
                .iter()
                .filter(|k| *k != "restartPolicy")
                .cloned()
                .collect();
            &without_restart
        };
        self.check_map(ptr, &here, valid, &homes, out);

        // Its securityContext.
        if self.map(&sc).is_some() {
            let homes = [Home {
                fields: &f.pod_security,
                level: "the pod's securityContext".into(),
                display: dotted(&pod_sc),
                target: Some(pod_sc.clone()),
                why: Why::PodSecurity,
            }];
            let here_sc = format!("{here}'s securityContext");
            self.check_map(&sc, &here_sc, &f.container_security, &homes, out);
        }

        // Probes and their handlers.
        for p in ["livenessProbe", "readinessProbe", "startupProbe"] {
            let pp = pointer::push(ptr, p);
            let Some(probe) = self.map(&pp) else { continue };
            let present: Vec<&String> = probe
                .keys()
                .filter(|k| f.probe_handlers.contains_key(k.as_str()))
                .collect();
            if present.is_empty() {
                self.check_missing_handler(&pp, p, out);
            }
            if let [h] = present.as_slice() {
                let hp = pointer::push(&pp, h.as_str());
                let homes = [Home {
                    fields: &f.probe_handlers[h.as_str()],
                    level: format!("the probe's `{h}` handler"),
                    display: dotted(&hp),
                    target: self.map(&hp).map(|_| hp.clone()),
                    why: Why::ProbeHandler,
                }];
                self.check_map(&pp, &format!("the `{p}` itself"), &f.probe, &homes, out);
            }
            for h in present {
                let hp = pointer::push(&pp, h.as_str());
                if self.map(&hp).is_none() {
                    continue;
                }
                let homes = [Home {
                    fields: &f.probe,
                    level: format!("the `{p}`"),
                    display: dotted(&pp),
                    target: Some(pp.clone()),
                    why: Why::ProbeTiming,
                }];
                let here_h = format!("its `{h}` handler");
                self.check_map(&hp, &here_h, &f.probe_handlers[h.as_str()], &homes, out);
            }
        }

        // Volume mounts.
        if let Some(mounts) = c.get("volumeMounts").and_then(Value::as_array) {
            let mp = pointer::push(ptr, "volumeMounts");
            let volume_fields: FieldSet = f.volume_sources.keys().cloned().collect();
            for (i, m) in mounts.iter().enumerate() {
                if !m.is_object() {
                    continue;
                }
                let ptr = pointer::push(&mp, i.to_string());
                let homes = [Home {
                    fields: &volume_fields,
                    level: "a volume of the pod".into(),
                    display: format!("{}.volumes[]", dotted(&self.pod_spec)),
                    target: None,
                    why: Why::VolumeDefinition,
                }];
                self.check_map(&ptr, "a volume mount", &f.volume_mount, &homes, out);
            }
        }
    }

    /// Whether the mapping at `target` can be created for a fix: its deepest existing
    /// ancestor is a mapping, and the rest of the way are mapping keys.
    fn creatable(&self, target: &str) -> bool {
        let tokens = pointer::tokens(target);
        let mut at = tokens.len();
        while at > 0 {
            let ptr = pointer::join("", &tokens[..at - 1]);
            match self.root.pointer(&ptr) {
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

    /// Keys of the mapping at `ptr` that belong to its child `child` (missing, or a mapping
    /// without them): one finding that nests them under it. `strays` are in file order.
    #[allow(clippy::too_many_arguments)]
    fn nest_under(
        &self,
        ptr: &str,
        strays: &[String],
        child: &str,
        into: &str,
        message: String,
        label: &str,
        help: String,
        out: &mut Vec<Finding>,
    ) {
        let Some(first) = strays.first() else { return };
        let mut finding = Finding::new(MisplacedField::ID, pointer::push(ptr, first), message)
            .at(Target::Key)
            .label(label)
            .help(help);
        for k in strays {
            finding = finding.replaces_schema_at(pointer::push(ptr, k));
        }
        let child_ptr = pointer::push(ptr, child);
        // The child that the same mistake left missing (or empty) is part of it.
        finding = finding.replaces_schema_at(child_ptr.clone());
        let free = match self.root.pointer(into) {
            None => self.root.pointer(&child_ptr).is_none() || self.creatable(into),
            Some(Value::Object(m)) => strays.iter().all(|k| !m.contains_key(k)),
            Some(Value::Null) => true,
            _ => false,
        };
        if free {
            finding = finding.fix(
                format!("nest {} under `{child}`", one_of(strays, "and")),
                FixPlan::NestKeys {
                    keys: strays.iter().map(|k| pointer::push(ptr, k)).collect(),
                    into: into.to_string(),
                },
            );
        }
        out.push(finding);
    }

    /// Keys written in the mapping at `ptr` in the order of the file.
    fn keys_in_order(&self, ptr: &str) -> Vec<String> {
        let Some(map) = self.map(ptr) else {
            return Vec::new();
        };
        let Some(written) = self.order.and_then(|o| o.keys_as_written(ptr)) else {
            return map.keys().cloned().collect();
        };
        let mut keys: Vec<String> = written.into_iter().filter(|k| map.contains_key(k)).collect();
        // Keys merged from elsewhere (`<<`) are not written here: they come last.
        for k in map.keys() {
            if !keys.contains(k) {
                keys.push(k.clone());
            }
        }
        keys
    }

    /// A probe with no handler whose handler fields stand in the probe itself:
    /// `livenessProbe: {path: /healthz, port: 8080}` means `httpGet`.
    fn check_missing_handler(&self, probe_ptr: &str, probe: &str, out: &mut Vec<Finding>) {
        let f = fields();
        let strays: Vec<String> = self
            .keys_in_order(probe_ptr)
            .into_iter()
            .filter(|k| !f.probe.iter().any(|v| v.eq_ignore_ascii_case(k)))
            .filter(|k| f.probe_handlers.values().any(|h| h.contains(k)))
            .collect();
        if strays.is_empty() {
            return;
        }
        let handlers: Vec<&str> = f
            .probe_handlers
            .iter()
            .filter(|(_, fs)| strays.iter().all(|k| fs.contains(k)))
            .map(|(h, _)| h.as_str())
            .collect();
        let n = if strays.len() == 1 {
            "belongs"
        } else {
            "belong"
        };
        let keys = one_of(&strays, "and");
        let why = "the probe says when and how often to check; its handler (`httpGet`, `tcpSocket`, `exec` or `grpc`) says how";
        match handlers.as_slice() {
            [h] => {
                let into = pointer::push(probe_ptr, h);
                self.nest_under(
                    probe_ptr,
                    &strays,
                    h,
                    &into,
                    format!(
                        "{keys} {n} to the probe's `{h}` handler, `{}`, which this `{probe}` is missing",
                        dotted(&into)
                    ),
                    "a field of the handler, not of the probe",
                    format!("nest {keys} under `{h}:` in the `{probe}`; {why}"),
                    out,
                );
            }
            several => {
                let first = pointer::push(probe_ptr, &strays[0]);
                let mut finding = Finding::new(
                    MisplacedField::ID,
                    first,
                    format!(
                        "{keys} {n} to the probe's handler ({}), which this `{probe}` is missing",
                        one_of(several, "or")
                    ),
                )
                .at(Target::Key)
                .label("a field of the handler, not of the probe")
                .help(format!(
                    "nest {keys} under the handler meant ({}); {why}",
                    one_of(several, "or")
                ));
                for k in &strays {
                    finding = finding.replaces_schema_at(pointer::push(probe_ptr, k));
                }
                out.push(finding);
            }
        }
    }

    /// A projected volume whose sources stand in it directly, without `sources:`.
    fn check_projected(&self, volume_ptr: &str, volume: &str, out: &mut Vec<Finding>) {
        let f = fields();
        let pp = pointer::push(volume_ptr, "projected");
        let strays: Vec<String> = self
            .keys_in_order(&pp)
            .into_iter()
            .filter(|k| !f.projected_volume.contains(k) && f.projection_sources.contains_key(k))
            .collect();
        if strays.is_empty() {
            return;
        }
        let sources = pointer::push(&pp, "sources");
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
            "write {keys} as {item} of `sources:` (`projected: {{sources: [{{{}: ...}}]}}`): a projected volume merges a list of sources",
            strays[0]
        );
        if strays.len() == 1 && self.root.pointer(&sources).is_none() {
            self.nest_under(
                &pp,
                &strays,
                "sources",
                &pointer::push(&sources, "0"),
                message,
                "a source, not a field of `projected`",
                help,
                out,
            );
        } else {
            let mut finding =
                Finding::new(MisplacedField::ID, pointer::push(&pp, &strays[0]), message)
                    .at(Target::Key)
                    .label("a source, not a field of `projected`")
                    .help(help)
                    .replaces_schema_at(sources);
            for k in &strays {
                finding = finding.replaces_schema_at(pointer::push(&pp, k));
            }
            out.push(finding);
        }
    }

    /// Preferred affinity terms whose term fields stand beside `weight` instead of inside
    /// `podAffinityTerm` (pod affinity) or `preference` (node affinity).
    fn check_affinity(&self, out: &mut Vec<Finding>) {
        let f = fields();
        let affinity = pointer::push(&self.pod_spec, "affinity");
        let kinds: [(&str, &str, &FieldSet, &FieldSet); 3] = [
            (
                "podAffinity",
                "podAffinityTerm",
                &f.weighted_pod_affinity_term,
                &f.pod_affinity_term,
            ),
            (
                "podAntiAffinity",
                "podAffinityTerm",
                &f.weighted_pod_affinity_term,
                &f.pod_affinity_term,
            ),
            (
                "nodeAffinity",
                "preference",
                &f.preferred_scheduling_term,
                &f.node_selector_term,
            ),
        ];
        for (kind, child, item_fields, term_fields) in kinds {
            let list = pointer::join(
                &affinity,
                &[kind, "preferredDuringSchedulingIgnoredDuringExecution"],
            );
            let Some(items) = self.root.pointer(&list).and_then(Value::as_array) else {
                continue;
            };
            for i in 0..items.len() {
                let ip = pointer::push(&list, i.to_string());
                let strays: Vec<String> = self
                    .keys_in_order(&ip)
                    .into_iter()
                    .filter(|k| !item_fields.contains(k) && term_fields.contains(k))
                    .collect();
                if strays.is_empty() {
                    continue;
                }
                let keys = one_of(&strays, "and");
                let n = if strays.len() == 1 {
                    "belongs"
                } else {
                    "belong"
                };
                let into = pointer::push(&ip, child);
                let what = if child == "preference" {
                    "node selector term"
                } else {
                    "pod affinity term"
                };
                self.nest_under(
                    &ip,
                    &strays,
                    child,
                    &into,
                    format!(
                        "{keys} {n} to the term's `{child}`, `{}`, not to the weighted item of `{kind}`",
                        dotted(&into)
                    ),
                    &format!("a field of `{child}`"),
                    format!(
                        "nest {keys} under `{child}:` beside `weight`: each preferred item gives a `weight` to one {what}, written in `{child}`"
                    ),
                    out,
                );
            }
        }
    }

    /// Report every key of the mapping at `ptr` that is not valid here (`valid`) but is a
    /// field of one of `homes` (the first that has it).
    fn check_map(
        &self,
        ptr: &str,
        here: &str,
        valid: &FieldSet,
        homes: &[Home],
        out: &mut Vec<Finding>,
    ) {
        if self.map(ptr).is_none() {
            return;
        }
        for key in &self.keys_in_order(ptr) {
            let key = key.as_str();
            if valid.contains(key) || valid.iter().any(|v| v.eq_ignore_ascii_case(key)) {
                continue;
            }
            let Some(home) = homes.iter().find(|h| h.fields.contains(key)) else {
                continue;
            };
            let key_ptr = pointer::push(ptr, key);
            let place = format!("{}.{key}", home.display);
            let (message, help) = if home.display.is_empty() {
                (
                    format!("`{key}` belongs to {}, not to {here}", home.level),
                    help_into(home.why, key, &home.level),
                )
            } else {
                (
                    format!(
                        "`{key}` belongs to {}, `{place}`, not to {here}",
                        home.level
                    ),
                    help(home.why, key, &place),
                )
            };
            let mut finding = Finding::new(MisplacedField::ID, key_ptr.clone(), message)
                .at(Target::Key)
                .label(format!("not a field of {here}"))
                .help(help)
                .replaces_schema_at(key_ptr.clone());
            if let Some(target) = &home.target {
                let free = match self.root.pointer(target) {
                    Some(Value::Object(m)) => !m.contains_key(key),
                    Some(Value::Null) => true,
                    None => self.creatable(target),
                    _ => false,
                };
                // A field required where it belongs is missing there because of this mistake.
                finding = finding.replaces_schema_at(pointer::push(target, key));
                if self.root.pointer(target).is_some_and(Value::is_null) {
                    // `configMap:` left empty by the same mistake: its type error is this one.
                    finding = finding.replaces_schema_at(target.clone());
                }
                if free {
                    finding = finding.fix(
                        format!("move `{key}` to `{place}`"),
                        FixPlan::MoveKey {
                            from: key_ptr,
                            to: target.clone(),
                        },
                    );
                }
            }
            out.push(finding);
        }
    }
}

/// The help for a misplaced key whose exact place is not known: where to move it, then why.
fn help_into(why: Why, key: &str, level: &str) -> String {
    let full = help(why, key, "");
    let reason = full.split_once("; ").map(|(_, r)| r).unwrap_or("");
    match level
        .strip_prefix("a probe (")
        .and_then(|l| l.strip_suffix(')'))
    {
        Some(names) => format!("move `{key}` into the probe it is meant for ({names}); {reason}"),
        None => format!("move `{key}` into {level}; {reason}"),
    }
}

/// The help for a misplaced key: the fix, then why the field lives there.
fn help(why: Why, key: &str, place: &str) -> String {
    let reason = match why {
        Why::Machine => {
            "a Pod is the machine and its containers are the programs on it, so scheduling, \
             networking, the hosts file, host namespaces, volumes, restarts and identity are set \
             once, for the whole Pod"
        }
        Why::Program => {
            "a container is one program on the Pod's machine, so what runs (image, command, args, \
             ports, env, mounts, probes, resources) is set per container"
        }
        Why::ProbeTiming => {
            "the handler (`httpGet`, `tcpSocket`, `exec`, `grpc`) only says how to check; when and \
             how often to check, and how many failures count, is set on the probe itself"
        }
        Why::ProbeHandler => {
            "the probe says when and how often to check; its handler says how (the path, port or \
             command)"
        }
        Why::PodSecurity => {
            "volume ownership (`fsGroup`), supplemental groups and sysctls apply to the whole Pod, \
             so they exist only in the pod's securityContext"
        }
        Why::ContainerSecurity => {
            "privileges, capabilities and privilege escalation are granted to one program, so they \
             exist only in a container's securityContext"
        }
        Why::Workload => {
            "the workload spec says how many Pods to run and how to replace them; the template \
             describes one Pod"
        }
        Why::Template => "a pod template holds only the Pod's `metadata` and `spec`",
        Why::Metadata => "labels and annotations of the Pods are set in the template's metadata",
        Why::TopLevel => {
            "an object's top level holds only apiVersion, kind, metadata and spec (status is \
             written by Kubernetes)"
        }
        Why::VolumeSource => {
            "a volume names its source; what the source provides (its items, mode, name) is set \
             inside the source"
        }
        Why::Mount => {
            "a volume only says where the data comes from; where it appears is set per container \
             in `volumeMounts`, naming the volume"
        }
        Why::VolumeDefinition => {
            "a volume mount only says where a volume appears in the container; the volume and its \
             source are defined once in the pod's `volumes`"
        }
        Why::ListEntry => {
            "it describes one entry of the list (one mount, one variable, one port) and is \
             written inside that entry, indented under its `-`"
        }
    };
    let extra = match (why, key) {
        (Why::Machine, "restartPolicy") => {
            " (a container sets a restartPolicy of its own only as an init container, where `Always` makes it a sidecar, or beside per-container `restartPolicyRules`)"
        }
        _ => "",
    };
    format!("move `{key}` to `{place}`; {reason}{extra}")
}

/// The probes, in the order they are named in messages.
const PROBES: [&str; 3] = ["livenessProbe", "readinessProbe", "startupProbe"];

/// `a`, `a` and `b`, `a`, `b` and `c` (with `or` for alternatives), in backticks.
fn one_of<S: AsRef<str>>(items: &[S], conj: &str) -> String {
    let q: Vec<String> = items.iter().map(|i| format!("`{}`", i.as_ref())).collect();
    match q.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} {conj} {last}", rest.join(", ")),
    }
}

/// A pointer as a dotted path for messages: `/spec/containers/0/image` ->
/// `spec.containers[0].image`.
pub fn dotted(ptr: &str) -> String {
    let mut out = String::new();
    for tok in pointer::tokens(ptr) {
        if !tok.is_empty() && tok.bytes().all(|b| b.is_ascii_digit()) {
            out.push('[');
            out.push_str(&tok);
            out.push(']');
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&tok);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{objects_of, PodView};
    use crate::rules::{Context, RuleId};
    use crate::source::yaml::parse_one;

    /// Run the Pod-model rules over `text` beside the `schema` findings given (as the schema
    /// validator reports unknown fields: at the key), then drop the replaced ones.
    pub(crate) fn with_schema(text: &str, schema_at: &[&str]) -> Vec<(String, String)> {
        let root = parse_one(text).expect("document");
        let objects = objects_of(0, &root);
        let object = &objects[0];
        let pod = PodView::of(object);
        let project = crate::rules::ProjectOut::default();
        let cx = Context {
            object,
            pod: pod.as_ref(),
            project: &project,
            options: &crate::rules::Options::default(),
            schema_clean: false,
        };
        let mut findings: Vec<Finding> = schema_at
            .iter()
            .map(|p| Finding::new(RuleId::Schema, *p, "unknown field").at(Target::Key))
            .collect();
        MisplacedField.check(&cx, &mut findings);
        crate::rules::projected_items_shape::ProjectedItemsShape.check(&cx, &mut findings);
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
    fn dotted_paths() {
        assert_eq!(
            dotted("/spec/containers/0/image"),
            "spec.containers[0].image"
        );
        assert_eq!(dotted("/spec/template/spec"), "spec.template.spec");
        assert_eq!(dotted(""), "");
    }
}
