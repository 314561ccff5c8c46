//! Conformance with the Pod Security admission controller's own cases
//! (`shared/conformance/pod-security/<level>/v1.<minor>/{pass,fail}/*.yaml`, found above the
//! crate or at `$KUBEVET_PSS_CONFORMANCE`; skipped with a message when absent, since the data
//! is not part of the project).
//!
//! Every file is read with kubevet's own parser and model and evaluated at its level and
//! version: a `pass/` case must give no violation; a `fail/<check><n>.yaml` case exactly the
//! control its name names — or, at the restricted level, the restricted control that replaces
//! it at that version (the controller's own test accepts that control's message for those
//! cases) — plus, for the few cases listed in [`ALSO`], the second control that the case trips
//! in the controller too. Each case is also evaluated as the pod template of a Deployment, which must
//! give the same verdict with pointers under the template. The v1.37 cases are evaluated at
//! `latest` and at a future version too. `bench/pss_conformance.sh` runs this and prints the
//! per-version table.

use super::{evaluate, Control, Level, Version, Violation};
use crate::model::{objects_of, PodView};
use crate::pointer::AtPointer;
use crate::source::{parse_stream, Limits};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn data_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("KUBEVET_PSS_CONFORMANCE") {
        return Some(PathBuf::from(dir));
    }
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|a| a.join("shared/conformance/pod-security"))
        .find(|p| p.is_dir())
}

/// The control a failing case must report: named by the file (lower-cased check id and a
/// number), replaced at the restricted level by the control that replaces it there.
fn expected(level: Level, version: Version, stem: &str) -> Option<Control> {
    let prefix = stem.trim_end_matches(|c: char| c.is_ascii_digit());
    let named = Control::ALL
        .into_iter()
        .find(|c| c.id().to_ascii_lowercase() == prefix)?;
    if named.applies(level, version) {
        return Some(named);
    }
    named.replaced_by().filter(|by| by.applies(level, version))
}

/// Cases whose fixture, as upstream generates it, also trips a second control (which the
/// controller reports too): the case (a file-name prefix, or a whole file stem), the level
/// where it does (`None`: every level), and the control.
const ALSO: &[(&str, Option<Level>, Control)] = &[
    // A Windows hostProcess pod must use the host network (API validation), so the fixture
    // sets `hostNetwork: true`.
    ("windowshostprocess", None, Control::HostNamespaces),
    // `privileged: true` with `allowPrivilegeEscalation: false` does not validate, so the
    // fixture clears `allowPrivilegeEscalation`.
    (
        "privileged",
        Some(Level::Restricted),
        Control::AllowPrivilegeEscalation,
    ),
    // The fixture removes the container's whole securityContext, its `drop: [ALL]` included.
    (
        "allowprivilegeescalation3",
        Some(Level::Restricted),
        Control::CapabilitiesRestricted,
    ),
];

/// The second controls [`ALSO`] lists for this case.
fn also(level: Level, version: Version, stem: &str) -> impl Iterator<Item = Control> + '_ {
    let prefix = stem.trim_end_matches(|c: char| c.is_ascii_digit());
    ALSO.iter()
        .filter(move |(case, at, control)| {
            (*case == stem || *case == prefix)
                && at.is_none_or(|l| l == level)
                && control.applies(level, version)
        })
        .map(|(_, _, control)| *control)
}

/// The same pod as the template of a Deployment, as JSON text (which is YAML).
fn as_deployment(pod: &Value) -> String {
    json!({
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "wrapped"},
        "spec": {
            "selector": {"matchLabels": {"app": "x"}},
            "template": {
                "metadata": pod.get("metadata").cloned().unwrap_or(json!({})),
                "spec": pod.get("spec").cloned().unwrap_or(json!({})),
            }
        }
    })
    .to_string()
}

/// Evaluate the single object of `text`; also returns the object's JSON.
fn run(text: &str, level: Level, version: Version) -> Result<(Vec<Violation>, Value), String> {
    let parsed = parse_stream(text, &Limits::default());
    if !parsed.problems.is_empty() {
        return Err(format!("parse problems: {:?}", parsed.problems));
    }
    let mut found = None;
    for doc in &parsed.documents {
        let Some(root) = &doc.root else { continue };
        for object in objects_of(doc.index, root) {
            let pod = PodView::of(&object).ok_or("no pod view")?;
            if !pod.pruned.is_empty() {
                return Err(format!("left out of the view: {:?}", pod.pruned.removed));
            }
            found = Some((
                evaluate(&object, &pod, level, version),
                object.value().clone(),
            ));
        }
    }
    found.ok_or_else(|| "no object".to_string())
}

/// Check one case at one version; `Err` says what is wrong.
fn check_case(
    text: &str,
    level: Level,
    version: Version,
    want: &BTreeSet<Control>,
) -> Result<(), String> {
    let (violations, pod) = run(text, level, version)?;
    let got: BTreeSet<Control> = violations.iter().map(|v| v.control).collect();
    let want_set = want;
    if got != *want_set {
        let messages: Vec<String> = violations.iter().map(Violation::message).collect();
        return Err(format!("want {want_set:?}, got {messages:?}"));
    }
    for v in &violations {
        if v.sites.is_empty() {
            return Err(format!("{} has no site", v.control));
        }
        for site in &v.sites {
            if pod.at_pointer(&site.pointer).is_none() {
                return Err(format!(
                    "{}: pointer {} is not in the pod",
                    v.control, site.pointer
                ));
            }
        }
    }
    // The same pod as a template: the same controls, with the messages unchanged and every
    // pointer under the template's spec or metadata.
    let (wrapped, _) = run(&as_deployment(&pod), level, version)?;
    let same = wrapped.len() == violations.len()
        && wrapped.iter().zip(&violations).all(|(w, v)| {
            w.control == v.control
                && w.message() == v.message()
                && w.sites.len() == v.sites.len()
                && w.sites.iter().zip(&v.sites).all(|(ws, vs)| {
                    ws.value == vs.value && ws.pointer == format!("/spec/template{}", vs.pointer)
                })
        });
    if !same {
        return Err(format!("as a template: {wrapped:?} vs {violations:?}"));
    }
    Ok(())
}

#[derive(Default)]
struct Tally {
    pass_ok: usize,
    pass_all: usize,
    fail_ok: usize,
    fail_all: usize,
}

#[test]
fn pod_security_admission_cases() {
    let Some(root) = data_dir() else {
        eprintln!(
            "skipped: no shared/conformance/pod-security above {} and KUBEVET_PSS_CONFORMANCE unset",
            env!("CARGO_MANIFEST_DIR")
        );
        return;
    };
    let mut failures = Vec::new();
    let mut table = String::new();
    let mut versions_seen = 0;
    for level in [Level::Baseline, Level::Restricted] {
        let level_dir = root.join(level.as_str());
        let Ok(entries) = std::fs::read_dir(&level_dir) else {
            continue;
        };
        let mut minors: Vec<u64> = entries
            .filter_map(|e| {
                let name = e.ok()?.file_name().into_string().ok()?;
                name.strip_prefix("v1.")?.parse().ok()
            })
            .collect();
        minors.sort();
        for minor in minors {
            versions_seen += 1;
            let dir = level_dir.join(format!("v1.{minor}"));
            let mut versions = vec![Version::V1(minor)];
            if minor == super::policy::NEWEST_MINOR {
                versions.extend([Version::Latest, Version::V1(minor + 5)]);
            }
            let mut tally = Tally::default();
            for outcome in ["pass", "fail"] {
                let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join(outcome))
                    .map(|rd| rd.filter_map(|e| Some(e.ok()?.path())).collect())
                    .unwrap_or_default();
                files.sort();
                for file in files {
                    let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("");
                    let text = std::fs::read_to_string(&file).expect("readable case");
                    let mut ok = true;
                    for &version in &versions {
                        let want: BTreeSet<Control> = if outcome == "pass" {
                            BTreeSet::new()
                        } else {
                            match expected(level, version, stem) {
                                Some(c) => std::iter::once(c)
                                    .chain(also(level, version, stem))
                                    .collect(),
                                None => {
                                    failures.push(format!(
                                        "{}: names no control at {level} {version}",
                                        file.display()
                                    ));
                                    ok = false;
                                    continue;
                                }
                            }
                        };
                        if let Err(e) = check_case(&text, level, version, &want) {
                            failures.push(format!("{} at {version}: {e}", file.display()));
                            ok = false;
                        }
                    }
                    let (good, all) = if outcome == "pass" {
                        (&mut tally.pass_ok, &mut tally.pass_all)
                    } else {
                        (&mut tally.fail_ok, &mut tally.fail_all)
                    };
                    *all += 1;
                    *good += usize::from(ok);
                }
            }
            let _ = writeln!(
                table,
                "{:<10} v1.{minor:<3} pass {:>3}/{:<3} fail {:>3}/{:<3}",
                level.as_str(),
                tally.pass_ok,
                tally.pass_all,
                tally.fail_ok,
                tally.fail_all
            );
        }
    }
    println!(
        "Pod Security admission cases ({}):\n{table}",
        root.display()
    );
    assert!(
        versions_seen > 0,
        "no v1.* directories under {}",
        root.display()
    );
    assert!(
        failures.is_empty(),
        "{} case(s) disagree with the admission controller:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn case_names_map_to_controls() {
    let v34 = Version::V1(34);
    let v35 = Version::V1(35);
    let table: &[(Level, Version, &str, Option<Control>)] = &[
        (
            Level::Baseline,
            v35,
            "privileged0",
            Some(Control::Privileged),
        ),
        (Level::Baseline, v35, "procmount1", Some(Control::ProcMount)),
        (
            Level::Restricted,
            v34,
            "procmount1",
            Some(Control::ProcMount),
        ),
        (
            Level::Restricted,
            v35,
            "procmount1",
            Some(Control::ProcMountRestricted),
        ),
        (
            Level::Restricted,
            v35,
            "procmount_restricted0",
            Some(Control::ProcMountRestricted),
        ),
        (
            Level::Restricted,
            v35,
            "hostpathvolumes0",
            Some(Control::RestrictedVolumes),
        ),
        (
            Level::Restricted,
            v35,
            "capabilities_baseline3",
            Some(Control::CapabilitiesRestricted),
        ),
        (
            Level::Restricted,
            v35,
            "seccompprofile_baseline12",
            Some(Control::SeccompProfileRestricted),
        ),
        (
            Level::Baseline,
            v35,
            "seccompprofile_baseline0",
            Some(Control::SeccompProfileBaseline),
        ),
        (Level::Baseline, v35, "runasnonroot0", None),
        (
            Level::Baseline,
            Version::V1(33),
            "hostprobesandhostlifecycle0",
            None,
        ),
        (Level::Baseline, v35, "nosuchcheck0", None),
    ];
    for (level, version, stem, want) in table {
        assert_eq!(
            expected(*level, *version, stem),
            *want,
            "{level} {version} {stem}"
        );
    }
}

#[test]
fn second_controls_are_listed_per_case() {
    let v = Version::V1(35);
    let got = |level, stem| also(level, v, stem).collect::<Vec<_>>();
    assert_eq!(
        got(Level::Baseline, "windowshostprocess1"),
        [Control::HostNamespaces]
    );
    assert_eq!(got(Level::Baseline, "privileged0"), []);
    assert_eq!(
        got(Level::Restricted, "privileged1"),
        [Control::AllowPrivilegeEscalation]
    );
    assert_eq!(
        got(Level::Restricted, "allowprivilegeescalation3"),
        [Control::CapabilitiesRestricted]
    );
    assert_eq!(got(Level::Restricted, "allowprivilegeescalation2"), []);
    assert_eq!(got(Level::Restricted, "allowprivilegeescalation31"), []);
}
