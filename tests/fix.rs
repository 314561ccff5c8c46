//! `--fix` and the fix loop ([`kubevet::check::Engine::fix`]): on every fixture that offers
//! fixes the loop converges, the fixed text parses and no longer reports what was fixed; the
//! binary writes the same text in place; fixes that create mappings give the object meant; and
//! fixtures laid out anew, and generated pods, fix the same way. What each fix writes is
//! reviewed in the `fix@` snapshots (`tests/snapshots.rs`).

mod support;

use kubevet::check::Engine;
use kubevet::diagnostic::Diagnostic;
use std::path::Path;

fn engine_for(text: &str, path: &str) -> Engine {
    support::engine(&support::fixture_args(text), path)
}

/// Fix `text` with the library's fix loop; also returns the findings that offered fixes on
/// the way (each pass's).
fn fix_all(engine: &Engine, path: &str, text: &str) -> (String, Vec<Diagnostic>) {
    let fixed = engine.fix(path, text);
    assert!(fixed.converged, "{path}: fixes do not converge");
    let mut offered = Vec::new();
    let mut current = text.to_string();
    // Re-walk the passes to know what was fixed (the loop itself only returns the text).
    for _ in 0..10 {
        let diags = engine.check_bytes(path, current.as_bytes()).diagnostics;
        let fixes: Vec<_> = diags.iter().filter_map(|d| d.fix.as_ref()).collect();
        if fixes.is_empty() {
            break;
        }
        let (new, n) = kubevet::fix::apply_fixes(&current, &fixes);
        assert!(n > 0, "{path}: fixes offered but none applies");
        offered.extend(diags.iter().filter(|d| d.fix.is_some()).cloned());
        current = new;
    }
    assert_eq!(
        current, fixed.text,
        "{path}: the fix loop and its passes disagree"
    );
    (fixed.text, offered)
}

#[test]
fn fixes_converge_and_the_fixed_text_reports_none_of_them() {
    let mut checked = 0;
    for f in support::fixture_files(Path::new("fixtures")) {
        let text = std::fs::read_to_string(&f).expect("read");
        let path = f.to_string_lossy().into_owned();
        let engine = engine_for(&text, &path);
        let (fixed_text, fixed) = fix_all(&engine, &path, &text);
        if fixed.is_empty() {
            continue;
        }
        checked += 1;
        let after = engine.check_bytes(&path, fixed_text.as_bytes()).diagnostics;
        for d in &after {
            assert!(
                !["yaml-syntax", "duplicate-key"].contains(&d.rule.as_str()),
                "{path}: the fixed file does not parse: {}",
                d.message
            );
            assert!(
                d.fix.is_none(),
                "{path}: still fixable after --fix: {}",
                d.message
            );
            assert!(
                !fixed
                    .iter()
                    .any(|x| x.rule == d.rule && x.message == d.message),
                "{path}: a fixed finding is still reported: {}",
                d.message
            );
        }
        // Every fixed finding's rule reports fewer findings now.
        let before = engine.check_bytes(&path, text.as_bytes()).diagnostics;
        for x in &fixed {
            let count = |ds: &[Diagnostic]| ds.iter().filter(|d| d.rule == x.rule).count();
            assert!(
                count(&after) < count(&before),
                "{path}: {} did not go down",
                x.rule
            );
        }
    }
    assert!(checked >= 2, "no fixture exercised --fix");
}

#[test]
fn the_binary_fixes_in_place() {
    let dir = tempfile::tempdir().expect("tempdir");
    for fixture in [
        "fixtures/rules/misplaced-field/fail.yaml",
        "fixtures/rules/projected-items-shape/fail.yaml",
    ] {
        let path = dir.path().join("manifest.yaml");
        std::fs::copy(fixture, &path).expect("copy");
        let out = assert_cmd::Command::cargo_bin("kubevet")
            .expect("binary")
            .args([
                "check",
                "--fix",
                "--fail-level",
                "never",
                "--format",
                "concise",
            ])
            .args(["--ignore", "missing-liveness-probe,missing-readiness-probe"])
            .arg(&path)
            .output()
            .expect("runs");
        assert!(out.status.success());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("kubevet: applied"), "{stderr}");
        let got = std::fs::read_to_string(&path).expect("read");
        let text = std::fs::read_to_string(fixture).expect("fixture");
        let display = path.to_string_lossy();
        let engine = support::engine(
            &[
                "--ignore".into(),
                "missing-liveness-probe,missing-readiness-probe".into(),
            ],
            &display,
        );
        assert_eq!(got, engine.fix(&display, &text).text, "{fixture}");
    }
}

/// Fixes that create the mapping a key goes into: the fixed text parses to the object meant
/// (compared with the same object written correctly), and no finding of the rule is left.
#[test]
fn created_mappings_give_the_intended_object() {
    let pod =
        |spec: &str| format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n{spec}");
    let cases = [
        (
            // fsGroup in a container's securityContext, no pod securityContext.
            pod("  containers:\n  - name: c\n    image: x:1\n    securityContext:\n      runAsNonRoot: true\n      fsGroup: 2000\n"),
            pod("  containers:\n  - name: c\n    image: x:1\n    securityContext:\n      runAsNonRoot: true\n  securityContext:\n    fsGroup: 2000\n"),
        ),
        (
            // Container security settings directly on the container, four-space indents.
            pod("    containers:\n    -   name: c\n        image: x:1\n        capabilities:\n            add: [NET_ADMIN]\n        allowPrivilegeEscalation: false\n        args: [run]\n"),
            pod("    containers:\n    -   name: c\n        image: x:1\n        args: [run]\n        securityContext:\n            capabilities:\n                add: [NET_ADMIN]\n            allowPrivilegeEscalation: false\n"),
        ),
        (
            // A probe without its handler.
            pod("  containers:\n  - name: c\n    image: x:1\n    livenessProbe:\n      path: /healthz\n      port: 8080\n      periodSeconds: 5\n    readinessProbe:\n      command: [cat, /tmp/ok]\n"),
            pod("  containers:\n  - name: c\n    image: x:1\n    livenessProbe:\n      httpGet:\n        path: /healthz\n        port: 8080\n      periodSeconds: 5\n    readinessProbe:\n      exec:\n        command: [cat, /tmp/ok]\n"),
        ),
        (
            // A projected volume without `sources`, and a preferred term without its term.
            pod("  containers:\n  - name: c\n    image: x:1\n  affinity:\n    podAntiAffinity:\n      preferredDuringSchedulingIgnoredDuringExecution:\n      - labelSelector:\n          matchLabels: {app: a}\n        topologyKey: kubernetes.io/hostname\n        weight: 10\n  volumes:\n  - name: v\n    projected:\n      configMap:\n        name: cm\n"),
            pod("  containers:\n  - name: c\n    image: x:1\n  affinity:\n    podAntiAffinity:\n      preferredDuringSchedulingIgnoredDuringExecution:\n      - podAffinityTerm:\n          labelSelector:\n            matchLabels: {app: a}\n          topologyKey: kubernetes.io/hostname\n        weight: 10\n  volumes:\n  - name: v\n    projected:\n      sources:\n      - configMap:\n          name: cm\n"),
        ),
        (
            // A Job's restartPolicy in its container.
            "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\nspec:\n  template:\n    spec:\n      containers:\n      - name: c\n        image: x:1\n        restartPolicy: Never\n".to_string(),
            "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\nspec:\n  template:\n    spec:\n      containers:\n      - name: c\n        image: x:1\n      restartPolicy: Never\n".to_string(),
        ),
    ];
    let engine = engine_for(
        "# fixture-args: --ignore missing-liveness-probe,missing-readiness-probe,added-capabilities",
        "created.yaml",
    );
    for (before, clean) in cases {
        let (fixed, done) = fix_all(&engine, "created.yaml", &before);
        assert!(!done.is_empty(), "no fix offered:\n{before}");
        let got = kubevet::source::yaml::parse_one(&fixed)
            .unwrap_or_else(|| panic!("fixed text does not parse:\n{fixed}"))
            .to_json();
        let want = kubevet::source::yaml::parse_one(&clean)
            .expect("clean parses")
            .to_json();
        assert_eq!(got, want, "before:\n{before}\nfixed:\n{fixed}");
        let left = engine
            .check_bytes("created.yaml", fixed.as_bytes())
            .diagnostics;
        assert!(
            left.is_empty(),
            "{fixed}\nstill reports: {:?}",
            left.iter().map(|d| &d.message).collect::<Vec<_>>()
        );
    }
}

mod generated {
    //! Pods written in many layouts, with a pod-level key inside one container: `--fix` must
    //! give back the same object with the key in the pod spec, whatever the layout.
    use proptest::prelude::*;

    fn pod(
        indent: usize,
        indented_seq: bool,
        containers: usize,
        at: (usize, usize),
        comment: bool,
    ) -> (String, String) {
        let u = " ".repeat(indent);
        let seq = if indented_seq {
            u.clone()
        } else {
            String::new()
        };
        let mut with =
            format!("apiVersion: v1\nkind: Pod\nmetadata:\n{u}name: p\nspec:\n{u}containers:\n");
        let mut without = with.clone();
        for c in 0..containers {
            // Keys of the container; the misplaced one goes at position `at.1`.
            let mut keys = vec![
                format!("name: c{c}"),
                format!("image: example/c{c}:1.0"),
                format!(
                    "args:\n{u}- --port=80{}",
                    if comment { "  # keep me" } else { "" }
                ),
                "ports:\n- containerPort: 80".to_string(),
            ];
            let clean = keys.clone();
            if c == at.0 {
                keys.insert(1 + at.1 % 4, "hostPID: true".to_string());
            }
            for (out, keys) in [(&mut with, &keys), (&mut without, &clean)] {
                let base = format!("{u}{seq}");
                for (i, k) in keys.iter().enumerate() {
                    for (j, line) in k.lines().enumerate() {
                        let lead = if i == 0 && j == 0 {
                            format!("{u}{seq}- ")
                        } else {
                            format!("{base}  ")
                        };
                        out.push_str(&format!("{lead}{line}\n"));
                    }
                }
            }
        }
        with.push_str(&format!("{u}restartPolicy: Always\n"));
        without.push_str(&format!("{u}restartPolicy: Always\n"));
        (with, without)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn a_misplaced_key_moves_to_the_pod_spec(
            indent in prop::sample::select(vec![2usize, 4]),
            indented_seq in any::<bool>(),
            containers in 1usize..4,
            which in 0usize..3,
            pos in 0usize..4,
            comment in any::<bool>(),
        ) {
            let (text, clean) = pod(indent, indented_seq, containers, (which % containers, pos), comment);
            let engine = super::engine_for("", "gen.yaml");
            let (fixed, done) = super::fix_all(&engine, "gen.yaml", &text);
            prop_assert_eq!(done.len(), 1, "{}", text);
            let root = kubevet::source::yaml::parse_one(&fixed).expect("fixed text parses");
            let mut want = kubevet::source::yaml::parse_one(&clean).expect("clean parses").to_json();
            want["spec"]["hostPID"] = serde_json::Value::Bool(true);
            prop_assert_eq!(root.to_json(), want, "{}\n---\n{}", text, fixed);
            prop_assert_eq!(fixed.contains("# keep me"), comment);
        }
    }
}

mod relaid {
    //! Every fixture that offers fixes, laid out differently (deeper indentation, CRLF line
    //! ends, trailing blanks, comment lines between keys): fixing then re-checking never yields
    //! a fixed finding again, and never breaks parsing.
    use super::{engine_for, fix_all};
    use proptest::prelude::*;
    use std::path::Path;

    fn fixable() -> &'static [(String, String)] {
        static FILES: std::sync::OnceLock<Vec<(String, String)>> = std::sync::OnceLock::new();
        FILES.get_or_init(find_fixable)
    }

    fn find_fixable() -> Vec<(String, String)> {
        super::support::fixture_files(Path::new("fixtures/rules"))
            .into_iter()
            .filter_map(|f| {
                let text = std::fs::read_to_string(&f).ok()?;
                let path = f.to_string_lossy().into_owned();
                let engine = engine_for(&text, &path);
                let (_, fixed) = fix_all(&engine, &path, &text);
                (!fixed.is_empty()).then_some((path, text))
            })
            .collect()
    }

    /// Lay the text out again; every change keeps the YAML's meaning.
    fn relay(text: &str, indent: bool, crlf: bool, blanks: bool, comment_every: usize) -> String {
        let mut out = String::new();
        for (i, line) in text.lines().enumerate() {
            let lead = line.len() - line.trim_start_matches(' ').len();
            let mut l = if indent {
                format!("{}{}", " ".repeat(lead * 2), &line[lead..])
            } else {
                line.to_string()
            };
            if blanks && !l.trim().is_empty() {
                l.push_str("  ");
            }
            // A comment line between keys, at the next line's indentation, outside of any
            // block scalar (only before lines that start a key or an item).
            let next_starts_key = {
                let t = line.trim_start();
                t.starts_with("- ") || t.split_once(':').is_some_and(|(k, _)| !k.contains(' '))
            };
            if comment_every > 0 && i % comment_every == 0 && next_starts_key && i > 0 {
                let lead = l.len() - l.trim_start_matches(' ').len();
                out.push_str(&" ".repeat(lead));
                out.push_str("# relaid");
                out.push_str(if crlf { "\r\n" } else { "\n" });
            }
            out.push_str(&l);
            out.push_str(if crlf { "\r\n" } else { "\n" });
        }
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        #[test]
        fn fixing_a_relaid_fixture_converges_and_parses(
            pick in any::<prop::sample::Index>(),
            indent in any::<bool>(),
            crlf in any::<bool>(),
            blanks in any::<bool>(),
            comment_every in 0usize..6,
        ) {
            let files = fixable();
            prop_assume!(!files.is_empty());
            let (path, text) = &files[pick.index(files.len())];
            let text = relay(text, indent, crlf, blanks, comment_every);
            let engine = engine_for(&text, path);
            let before = engine.check_bytes(path, text.as_bytes()).diagnostics;
            // A layout that does not parse is no test of the fixes.
            prop_assume!(!before.iter().any(|d| d.rule == "yaml-syntax"));
            let (fixed_text, fixed) = fix_all(&engine, path, &text);
            let after = engine.check_bytes(path, fixed_text.as_bytes()).diagnostics;
            prop_assert!(
                !after.iter().any(|d| d.rule == "yaml-syntax" || d.rule == "duplicate-key"),
                "fixing broke parsing:\n{}", fixed_text
            );
            for f in &fixed {
                prop_assert!(
                    !after.iter().any(|d| d.rule == f.rule && d.pointer == f.pointer && d.fix.is_some()),
                    "{} at {:?} is still there after its fix:\n{}", f.rule, f.pointer, fixed_text
                );
            }
            // A moved key lands where it is a field: no new unknown-field errors. (A fix may
            // reveal a missing field the misplacement hid, such as a `configMap:` that had no
            // `name`, so other schema findings may appear.)
            let unknown = |ds: &[kubevet::diagnostic::Diagnostic]| {
                ds.iter().filter(|d| d.rule == "schema" && d.message.starts_with("unknown field")).count()
            };
            prop_assert!(unknown(&after) <= unknown(&before), "new unknown fields:\n{}", fixed_text);
        }
    }
}
