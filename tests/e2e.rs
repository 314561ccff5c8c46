//! End-to-end tests of the built binary: every output format, exit codes, standard input,
//! colours, the rule listing, completions and the man page.

use assert_cmd::Command;

const BAD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  restartPolicy: Never\n  containers:\n  - name: web\n    image: nginx:latest\n    resources: {requests: {cpu: 10m, memory: 64Mi}, limits: {memory: 64Mi}}\n";
const GOOD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  restartPolicy: Never\n  containers:\n  - name: web\n    image: nginx:1.27.2\n    resources: {requests: {cpu: 10m, memory: 64Mi}, limits: {memory: 64Mi}}\n";

fn kubevet() -> Command {
    let mut c = Command::cargo_bin("kubevet").expect("binary");
    c.env_remove("NO_COLOR");
    c
}

fn run_stdin(text: &str, args: &[&str]) -> (i32, String, String) {
    let out = kubevet()
        .args(["check", "-", "--stdin-filename", "deploy/web.yaml"])
        .args(args)
        .write_stdin(text)
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn exit_codes_follow_the_fail_level() {
    assert_eq!(run_stdin(BAD, &[]).0, 1);
    assert_eq!(run_stdin(GOOD, &[]).0, 0);
    assert_eq!(run_stdin(BAD, &["--fail-level", "error"]).0, 0);
    assert_eq!(run_stdin(BAD, &["--fail-level", "never"]).0, 0);
    assert_eq!(run_stdin(BAD, &["--fail-level", "bogus"]).0, 2);
    let out = kubevet()
        .args(["check", "no/such/path.yaml"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no such file or directory"));
}

#[test]
fn concise_format() {
    let (_, out, _) = run_stdin(BAD, &["--format", "concise"]);
    assert_eq!(
        out.trim(),
        "deploy/web.yaml:9:12: warning[latest-tag-pull-policy] image `nginx:latest` uses the `latest` tag; with no imagePullPolicy Kubernetes pulls it on every container start"
    );
}

#[test]
fn concise_format_is_one_finding_per_line() {
    // A quoted key with control characters in it: the message quotes it.
    let text = GOOD.replace(
        "  name: web\n",
        "  name: web\n  \"bad\\nkey\\t\\u0007\": 1\n",
    );
    let (_, out, _) = run_stdin(&text, &["--format", "concise"]);
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.contains("bad\\nkey\\t\\u{7}"), "{out}");
}

#[test]
fn human_format_and_colours() {
    let (_, out, _) = run_stdin(BAD, &["--color", "never"]);
    assert!(
        out.contains("warning[latest-tag-pull-policy]: image `nginx:latest`"),
        "{out}"
    );
    assert!(out.contains("--> deploy/web.yaml:9:12"), "{out}");
    assert!(out.contains("= help: pin a version"), "{out}");
    assert!(
        out.contains("0 errors, 1 warning, 0 infos in 1 file"),
        "{out}"
    );
    assert!(!out.contains('\u{1b}'));
    let (_, coloured, _) = run_stdin(BAD, &["--color", "always"]);
    assert!(coloured.contains('\u{1b}'));
    let out = kubevet()
        .env("NO_COLOR", "1")
        .args(["check", "-", "--color", "auto"])
        .write_stdin(BAD)
        .output()
        .expect("runs");
    assert!(!String::from_utf8_lossy(&out.stdout).contains('\u{1b}'));
}

#[test]
fn json_format_has_the_contract_shape() {
    let (_, out, _) = run_stdin(BAD, &["--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["version"], 1);
    let d = &v["diagnostics"][0];
    for key in [
        "rule",
        "severity",
        "message",
        "help",
        "path",
        "line",
        "column",
        "end_line",
        "end_column",
        "document",
        "pointer",
        "object",
        "fix",
    ] {
        assert!(d.get(key).is_some(), "missing {key}");
    }
    assert_eq!(d["path"], "deploy/web.yaml");
    assert_eq!(d["pointer"], "/spec/containers/0/image");
    assert_eq!(d["object"]["kind"], "Pod");
    assert_eq!(d["object"]["namespace"], serde_json::Value::Null);
    assert_eq!(
        (
            d["line"].as_u64(),
            d["column"].as_u64(),
            d["end_column"].as_u64()
        ),
        (Some(9), Some(12), Some(24))
    );
    assert_eq!(v["summary"]["warnings"], 1);
    assert_eq!(v["summary"]["files"], 1);
}

#[test]
fn sarif_format() {
    let (_, out, _) = run_stdin(BAD, &["--format", "sarif"]);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["version"], "2.1.0");
    let run = &v["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), kubevet::rules::all().len());
    assert!(rules.iter().all(|r| r["fullDescription"]["text"]
        .as_str()
        .is_some_and(|t| !t.is_empty())));
    let r = &run["results"][0];
    assert_eq!(r["ruleId"], "latest-tag-pull-policy");
    assert_eq!(r["level"], "warning");
    let region = &r["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (region["startLine"].as_u64(), region["startColumn"].as_u64()),
        (Some(9), Some(12))
    );
    let artifact = &r["locations"][0]["physicalLocation"]["artifactLocation"];
    assert_eq!(artifact["uri"], "deploy/web.yaml");
    assert_eq!(artifact["uriBaseId"], "%SRCROOT%");
    let idx = r["ruleIndex"].as_u64().expect("index") as usize;
    let rule = &rules[idx];
    assert_eq!(rule["id"], "latest-tag-pull-policy");
    assert_eq!(rule["name"], "LatestTagPullPolicy");
    // One documentation link, the same as the language server's.
    assert_eq!(
        rule["helpUri"],
        "https://github.com/kubevet/kubevet/blob/main/rules/latest-tag-pull-policy.md"
    );
    let text = rule["help"]["text"].as_str().expect("help text");
    let markdown = rule["help"]["markdown"].as_str().expect("help markdown");
    assert!(markdown.contains("## Why it matters") && markdown.contains("```"));
    assert!(
        text.contains("Why it matters") && !text.contains("##") && !text.contains("```"),
        "{text}"
    );
    assert_eq!(run["invocations"][0]["executionSuccessful"], true);
    let fp = r["partialFingerprints"]["kubevetFingerprint/v1"]
        .as_str()
        .expect("fingerprint");
    assert!(fp.len() > 32 && fp.ends_with(":1"), "{fp}");
}

/// The official SARIF 2.1.0 schema (errata 01), kept in tests/data (see its README).
fn sarif_validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string("tests/data/sarif-schema-2.1.0.json").expect("schema file");
    // The `language` pattern ends in a lone `]`: a literal in ECMA-262 regular expressions
    // (what JSON Schema patterns are), which the Rust validator's meta-schema check refuses.
    // Escaping it changes nothing it matches; no other byte of the schema is touched.
    let lone = r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#;
    assert!(text.contains(lone), "the schema's language pattern changed");
    let text = text.replace(lone, r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$""#);
    let schema: serde_json::Value = serde_json::from_str(&text).expect("schema json");
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(true)
        .build(&schema)
        .expect("schema compiles")
}

fn assert_valid_sarif(validator: &jsonschema::Validator, doc: &serde_json::Value) {
    let errors: Vec<String> = validator
        .iter_errors(doc)
        .take(10)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "invalid SARIF: {errors:#?}");
}

#[test]
fn sarif_is_valid_against_the_official_schema() {
    let validator = sarif_validator();
    // Every fixture: all rules, fixes, related locations, syntax errors, odd file names.
    let out = kubevet()
        .args(["check", "fixtures", "--format", "sarif"])
        .output()
        .expect("runs");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let results = doc["runs"][0]["results"].as_array().expect("results").len();
    assert!(results > 50, "only {results} results");
    assert_valid_sarif(&validator, &doc);
    // The validator does look: a wrong level is rejected.
    let mut broken = doc.clone();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&broken));
    // ... and so is a URI that is not one (formats are checked).
    let mut broken = doc.clone();
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        ["uri"] = "a b\\c".into();
    assert!(!validator.is_valid(&broken));
    // Standard input, with and without a name.
    for args in [
        &["check", "-", "--format", "sarif"][..],
        &[
            "check",
            "-",
            "--format",
            "sarif",
            "--stdin-filename",
            "a b/c#d.yaml",
        ],
    ] {
        let out = kubevet()
            .args(args)
            .write_stdin(BAD)
            .output()
            .expect("runs");
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        assert_valid_sarif(&validator, &doc);
    }
}

#[test]
fn sarif_uris_are_relative_to_the_working_directory() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().canonicalize().expect("canonical");
    std::fs::create_dir_all(root.join("work/deploy dir")).expect("mkdir");
    std::fs::create_dir_all(root.join("outside")).expect("mkdir");
    std::fs::write(root.join("work/deploy dir/wéb.yaml"), BAD).expect("write");
    std::fs::write(root.join("outside/x.yaml"), BAD).expect("write");
    let out = kubevet()
        .current_dir(root.join("work"))
        .args(["check", "--format", "sarif"])
        .arg(root.join("work"))
        .arg(root.join("outside/x.yaml"))
        .output()
        .expect("runs");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_valid_sarif(&sarif_validator(), &doc);
    let run = &doc["runs"][0];
    let base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .expect("base uri");
    assert!(
        base.starts_with("file:///") && base.ends_with("/work/"),
        "{base}"
    );
    let locations: Vec<&serde_json::Value> = run["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| &r["locations"][0]["physicalLocation"]["artifactLocation"])
        .collect();
    assert!(
        locations
            .iter()
            .any(|a| a["uri"] == "deploy%20dir/w%C3%A9b.yaml" && a["uriBaseId"] == "%SRCROOT%"),
        "{locations:?}"
    );
    let outside = locations
        .iter()
        .find(|a| {
            a["uri"]
                .as_str()
                .is_some_and(|u| u.ends_with("/outside/x.yaml"))
        })
        .expect("the file outside the working directory");
    assert!(outside["uri"]
        .as_str()
        .is_some_and(|u| u.starts_with("file:///")));
    assert!(outside.get("uriBaseId").is_none());
}

#[test]
fn sarif_fingerprints_survive_moved_lines() {
    let fingerprints = |text: &str| -> Vec<String> {
        let (_, out, _) = run_stdin(text, &["--format", "sarif"]);
        let v: serde_json::Value = serde_json::from_str(&out).expect("json");
        v["runs"][0]["results"]
            .as_array()
            .expect("results")
            .iter()
            .map(|r| r["partialFingerprints"]["kubevetFingerprint/v1"].to_string())
            .collect()
    };
    let before = fingerprints(BAD);
    let moved = fingerprints(&format!("# a comment\n# another\n{BAD}"));
    assert_eq!(before.len(), 1);
    assert_eq!(before, moved);
    let other = fingerprints(&BAD.replace("name: web\n", "name: api\n"));
    assert_ne!(before, other, "another object is another finding");
}

#[test]
fn github_format_escapes() {
    let (_, out, _) = run_stdin(BAD, &["--format", "github"]);
    let line = out.lines().next().expect("a line");
    assert!(
        line.starts_with("::warning file=deploy/web.yaml,line=9,col=12,endLine=9,endColumn=24,title=kubevet(latest-tag-pull-policy)::image `nginx:latest`"),
        "{line}"
    );
    assert!(
        line.contains("%0Ahelp: pin a version"),
        "newlines escaped: {line}"
    );
    assert_eq!(out.lines().count(), 1);
}

#[test]
fn rules_listing_rule_docs_completions_and_man_page() {
    let out = kubevet()
        .args(["rules", "--format", "json"])
        .output()
        .expect("runs");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let arr = v.as_array().expect("array");
    assert_eq!(arr.len(), kubevet::rules::all().len());
    assert!(arr
        .iter()
        .any(|r| r["id"] == "misplaced-field" && r["fixable"] == true));
    let table = kubevet().arg("rules").output().expect("runs");
    let table = String::from_utf8_lossy(&table.stdout);
    assert!(table
        .lines()
        .next()
        .is_some_and(|h| h.contains("SEVERITY") && h.contains("FIXABLE")));
    let doc = kubevet()
        .args(["rule", "selector-mismatch"])
        .output()
        .expect("runs");
    assert!(String::from_utf8_lossy(&doc.stdout).contains("## Why it matters"));
    assert_eq!(
        kubevet()
            .args(["rule", "nope"])
            .output()
            .expect("runs")
            .status
            .code(),
        Some(2)
    );
    for shell in ["bash", "zsh", "fish"] {
        let out = kubevet()
            .args(["completions", shell])
            .output()
            .expect("runs");
        assert!(out.status.success());
        assert!(String::from_utf8_lossy(&out.stdout).contains("kubevet"));
    }
    // One page with every command and all of `check`'s options.
    let man = kubevet().arg("man").output().expect("runs");
    assert!(man.status.success());
    let man = String::from_utf8_lossy(&man.stdout);
    assert!(man.contains(".TH kubevet"), "{man}");
    for section in [
        ".SH \"KUBEVET CHECK\"",
        ".SH \"KUBEVET LSP\"",
        ".SH \"KUBEVET MAN\"",
    ] {
        assert!(man.contains(section), "{section} missing");
    }
    for option in [
        "fail\\-level",
        "stdin\\-filename",
        "report\\-unused\\-ignores",
    ] {
        assert!(man.contains(option), "{option} missing");
    }
    // Or one page per command.
    let dir = tempfile::tempdir().expect("tempdir");
    let out = kubevet()
        .args(["man", "--dir"])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert!(out.status.success());
    let check = std::fs::read_to_string(dir.path().join("kubevet-check.1")).expect("page");
    assert!(check.contains("fail\\-level"));
    assert!(dir.path().join("kubevet.1").exists());
    // And `--help` lists it.
    let help = kubevet().arg("--help").output().expect("runs");
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(
        help.lines().any(|l| l.trim_start().starts_with("man ")),
        "{help}"
    );
}

#[test]
fn explicit_files_do_not_walk_their_directory() {
    let dir = tempfile::tempdir().expect("tempdir");
    let good = dir.path().join("good.yaml");
    std::fs::write(&good, GOOD).expect("write");
    // A sibling that would be a finding if the directory were walked.
    std::fs::write(dir.path().join("bad.yaml"), BAD).expect("write");
    let out = kubevet()
        .args(["check", "--format", "concise"])
        .arg(&good)
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // Walking the directory finds the sibling.
    let out = kubevet()
        .args(["check", "--format", "concise"])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
}

/// Runs `kubevet check --format concise` on stdin bytes; returns the output lines.
fn concise_lines(bytes: &[u8]) -> Vec<String> {
    let out = kubevet()
        .args([
            "check",
            "-",
            "--stdin-filename",
            "f.yaml",
            "--format",
            "concise",
        ])
        .write_stdin(bytes.to_vec())
        .output()
        .expect("runs");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn positions_ignore_a_byte_order_mark_and_follow_every_line_break() {
    // The BOM is not a column: `Deployment` starts at column 7.
    let lines =
        concise_lines(b"\xef\xbb\xbfkind: Deployment\napiVersion: apps/v1\nmetadata: {name: x}\n");
    assert!(
        lines[0].starts_with("f.yaml:1:7: error[schema] missing required field `spec`"),
        "{lines:?}"
    );
    // Lone CR line endings: the image is on line 7.
    let lines = concise_lines(b"apiVersion: v1\rkind: Pod\rmetadata: {name: x}\rspec:\r  restartPolicy: Never\r  containers:\r  - {name: a, image: nginx}\r");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("f.yaml:7:") && l.contains("latest-tag-pull-policy")),
        "{lines:?}"
    );
    // Invalid UTF-8: at the line and column of the first bad byte.
    let lines = concise_lines(b"apiVersion: v1\nkind: ConfigMap\ndata:\n  a: \"\xff\"\n");
    assert!(
        lines[0].starts_with("f.yaml:4:7: error[io] not valid UTF-8"),
        "{lines:?}"
    );
}

#[test]
fn duplicate_key_json_names_the_pointer_and_the_object() {
    let (_, out, _) = run_stdin(
        "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n  data:\n    k: x\n    k: y\n",
        &["--format", "json"],
    );
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    let d = &v["diagnostics"][0];
    assert_eq!(d["rule"], "duplicate-key");
    assert_eq!(d["pointer"], "/items/0/data/k");
    assert_eq!(d["object"]["kind"], "ConfigMap");
    assert_eq!(d["object"]["name"], "a");
}

/// A repository: `app/` (three manifests, extensions in several cases) and `vendor/x/`.
fn repo_with_vendor() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for p in ["app/a.yaml", "app/b.YML", "app/c.Yaml", "vendor/x/v.yaml"] {
        let path = dir.path().join(p);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, BAD).expect("write");
    }
    dir
}

fn concise_in(dir: &std::path::Path, args: &[&str]) -> (i32, Vec<String>, String) {
    let out = kubevet()
        .current_dir(dir)
        .args(["check", "--format", "concise"])
        .args(args)
        .output()
        .expect("runs");
    let files: std::collections::BTreeSet<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split(':').next().map(str::to_string))
        .collect();
    (
        out.status.code().unwrap_or(-1),
        files.into_iter().collect(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_missing_path_is_a_finding_and_the_others_are_checked() {
    let repo = repo_with_vendor();
    let (code, files, _) = concise_in(repo.path(), &["app/a.yaml", "no-such.yaml"]);
    assert_eq!(code, 1);
    assert_eq!(files, vec!["app/a.yaml", "no-such.yaml"]);
    let out = kubevet()
        .current_dir(repo.path())
        .args(["check", "--format", "concise", "no-such.yaml"])
        .output()
        .expect("runs");
    assert!(String::from_utf8_lossy(&out.stdout).is_empty());
    // Nothing at all could be checked: a usage error.
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn excludes_apply_to_named_files_and_mean_what_users_write() {
    let repo = repo_with_vendor();
    let root = repo.path();
    // No path: `.` is walked, paths have no `./`, every extension case is found.
    let (_, files, _) = concise_in(root, &[]);
    assert_eq!(
        files,
        vec!["app/a.yaml", "app/b.YML", "app/c.Yaml", "vendor/x/v.yaml"]
    );
    for glob in ["vendor/**", "./vendor", "vendor/", "vendor"] {
        let (_, files, _) = concise_in(root, &["--exclude", glob]);
        assert_eq!(files.len(), 3, "{glob}: {files:?}");
        // Relative to the directory walked, as well as to the working directory.
        let parent = root.parent().expect("parent");
        let name = root
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let (_, files, _) = concise_in(parent, &[name.as_str(), "--exclude", glob]);
        assert_eq!(files.len(), 3, "{glob} from the parent: {files:?}");
    }
    // A named file that is excluded is not checked; if that is all, the run is clean.
    let (code, files, stderr) = concise_in(root, &["vendor/x/v.yaml", "--exclude", "vendor"]);
    assert_eq!((code, files.len()), (0, 0));
    assert!(stderr.contains("nothing was checked"), "{stderr}");
    // The configuration file's excludes too (a pre-commit hook names each changed file).
    std::fs::write(root.join("kubevet.toml"), "exclude = [\"vendor/**\"]\n").expect("write");
    let (code, files, _) = concise_in(root, &["vendor/x/v.yaml", "app/a.yaml"]);
    assert_eq!((code, files), (1, vec!["app/a.yaml".to_string()]));
}

#[test]
fn helm_output_names_the_template_of_each_finding() {
    let text = std::fs::read_to_string("fixtures/helm/rendered.yaml").expect("fixture");
    let (_, out, _) = run_stdin(&text, &["--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    let diags = v["diagnostics"].as_array().expect("diagnostics");
    assert!(!diags.is_empty());
    for d in diags {
        assert_eq!(d["template"], "web/templates/deployment.yaml", "{d}");
    }
    let (_, out, _) = run_stdin(&text, &["--format", "concise"]);
    assert!(
        out.lines()
            .all(|l| l.ends_with("(Helm template web/templates/deployment.yaml)")),
        "{out}"
    );
    // Without `# Source:` comments nothing names a template.
    let (_, out, _) = run_stdin(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n  - {name: a, image: nginx}\n",
        &["--format", "json"],
    );
    assert!(!out.contains("\"template\""), "{out}");
}
