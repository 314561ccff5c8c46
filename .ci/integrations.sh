#!/usr/bin/env bash
# Integration checks that need tools from package registries: the SARIF output against the
# official SARIF 2.1.0 schema with an independent validator (Python's jsonschema; cargo test
# checks it with the Rust one), action.yml against the GitHub Action metadata schema, the
# action's own steps run as the runner would run them, and the pre-commit hook run for real
# by pre-commit. Expects CARGO_TARGET_DIR and a release build.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
kubevet="$CARGO_TARGET_DIR/release/kubevet"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 -m pip install --quiet --disable-pip-version-check 'jsonschema[format-nongpl]' check-jsonschema pre-commit pyyaml

# Validate SARIF files against the official schema (tests/data, see its README); each
# argument is FILE:MIN_RESULTS.
validate_sarif() {
  python3 - "$repo/tests/data/sarif-schema-2.1.0.json" "$@" <<'PY'
import json, os, sys, jsonschema
schema = json.load(open(sys.argv[1]))
validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
for arg in sys.argv[2:]:
    path, _, least = arg.rpartition(":")
    assert os.path.getsize(path) > 0, f"{path} is empty"
    doc = json.load(open(path))
    errors = list(validator.iter_errors(doc))
    for e in errors[:10]:
        print("SARIF invalid at", list(e.path), e.message[:200])
    assert not errors, f"{path}: {len(errors)} schema errors"
    results = doc["runs"][0]["results"]
    assert len(results) >= int(least), f"{path}: only {len(results)} results"
    for r in results:
        loc = r["locations"][0]["physicalLocation"]["artifactLocation"]
        assert loc.get("uriBaseId") == "%SRCROOT%" or loc["uri"].startswith("file:///"), loc
    print(f"{path}: valid SARIF 2.1.0 with {len(results)} results")
PY
}

echo "== SARIF output against the official SARIF 2.1.0 schema"
"$kubevet" check fixtures --format sarif --fail-level never > "$work/fixtures.sarif"
# An absolute path on the command line still gives URIs relative to the working directory.
"$kubevet" check "$repo/fixtures" --format sarif --fail-level never > "$work/fixtures-abs.sarif"
validate_sarif "$work/fixtures.sarif:50" "$work/fixtures-abs.sarif:50"
cmp <(python3 -c 'import json,sys; print([r["locations"] for r in json.load(open(sys.argv[1]))["runs"][0]["results"]])' "$work/fixtures.sarif") \
    <(python3 -c 'import json,sys; print([r["locations"] for r in json.load(open(sys.argv[1]))["runs"][0]["results"]])' "$work/fixtures-abs.sarif") \
  || { echo "SARIF locations depend on how the path was given" >&2; exit 1; }

echo "== action.yml against the GitHub Action metadata schema"
check-jsonschema --builtin-schema vendor.github-actions action.yml

echo "== the action's steps, run as the runner runs them"
# `cargo install` is replaced by a stand-in that records its arguments and installs the
# release binary CI has already built.
mkdir -p "$work/shim" "$work/ws/deploy" "$work/ws/charts/app"
cat > "$work/shim/cargo" <<'SH'
#!/usr/bin/env bash
printf '%s\n' "$*" >> "$SHIM_LOG"
root=""
while [ $# -gt 0 ]; do
  if [ "$1" = --root ]; then root=$2; fi
  shift
done
mkdir -p "$root/bin" && cp "$KUBEVET_BIN" "$root/bin/kubevet"
SH
chmod +x "$work/shim/cargo"
export SHIM_LOG="$work/cargo-install.log" KUBEVET_BIN="$kubevet"
cat > "$work/ws/deploy/web.yaml" <<'YAML'
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  restartPolicy: Never
  containers:
  - name: web
    image: nginx:latest
YAML
cat > "$work/ws/charts/app/rendered.yaml" <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
      - name: api
        image: example/api:1.4
        hostNetwork: true
YAML
# The runner keeps actions at .../_actions/OWNER/REPO/REF, as a tarball without .git.
mkdir -p "$work/_actions/acme/kubevet"
ln -s "$repo" "$work/_actions/acme/kubevet/v1"
action_path="$work/_actions/acme/kubevet/v1"
run_action() { # LOGS CACHE INPUT...
  local logs=$1 cache=$2
  shift 2
  local inputs=()
  for i in "$@"; do inputs+=(--input "$i"); done
  python3 .ci/run_action.py action.yml --workspace "$work/ws" --action-path "$action_path" \
    --home "$work/home" --cache "$cache" --extra-path "$work/shim" --logs "$work/$logs" "${inputs[@]}" \
    > "$work/$logs.log"
}
fail() { echo "action: $*" >&2; for f in "$work"/run*.log "$work"/run*/*; do echo "--- $f"; cat "$f"; done >&2; exit 1; }

# 1. The README's use: two paths on separate lines, annotations and a SARIF file, a cache miss.
status=0
run_action run1 miss $'paths=deploy/\ncharts/app/rendered.yaml' fail-level=warning sarif-file=kubevet.sarif || status=$?
[ "$status" -eq 1 ] || fail "expected exit 1 (findings), got $status"
grep -q -- "--path $action_path " "$SHIM_LOG" || fail "did not build the action's own source: $(cat "$SHIM_LOG")"
grep -q '^::warning file=deploy/web.yaml,line=9,.*title=kubevet(latest-tag-pull-policy)::' "$work/run1/run.out" || fail "no annotation for deploy/web.yaml"
grep -q '^::error file=charts/app/rendered.yaml,.*title=kubevet(misplaced-field)::' "$work/run1/run.out" || fail "no annotation for the second path"
validate_sarif "$work/ws/kubevet.sarif:2"
grep -q '"uri": "charts/app/rendered.yaml"' "$work/ws/kubevet.sarif" || fail "SARIF lacks the second path"
grep -q "cache miss for key kubevet-Linux-X64-source-[0-9a-f]\{64\}$" "$work/run1.log" || fail "unexpected cache key: $(cat "$work/run1.log")"
echo "action: exit 1 on findings, annotations for both paths, valid SARIF"

# 2. A cache hit for a tagged version: nothing is built, findings below the fail level pass.
rm -f "$SHIM_LOG" "$work/ws/kubevet.sarif"
status=0
run_action run2 hit paths=deploy version=v0.1.0 fail-level=error || status=$?
[ "$status" -eq 0 ] || fail "expected exit 0 at fail-level error, got $status"
[ ! -e "$SHIM_LOG" ] || fail "built on a cache hit: $(cat "$SHIM_LOG")"
[ ! -e "$work/ws/kubevet.sarif" ] || fail "wrote SARIF without sarif-file"
grep -q '^::warning file=deploy/web.yaml' "$work/run2/run.out" || fail "no annotation on the second run"
echo "action: cache hit skips the build; fail-level error passes on warnings"

# 3. A tagged version on a cache miss is built from the action's repository at that tag.
status=0
run_action run3 miss paths=deploy version=v0.1.0 fail-level=never || status=$?
[ "$status" -eq 0 ] || fail "expected exit 0 at fail-level never, got $status"
grep -q -- "--git https://github.com/acme/kubevet --tag v0.1.0 " "$SHIM_LOG" || fail "wrong install: $(cat "$SHIM_LOG")"
echo "action: version builds the tag from the action's repository"

# 4. A usage error fails the step and leaves no empty SARIF file behind.
status=0
run_action run4 hit paths=deploy config=missing.toml sarif-file=kubevet.sarif || status=$?
[ "$status" -eq 2 ] || fail "expected exit 2 on a usage error, got $status"
[ ! -e "$work/ws/kubevet.sarif" ] || fail "left a SARIF file after a failed run"
echo "action: a usage error fails the step without an empty SARIF file"

echo "== the pre-commit hook, run by pre-commit"
# The hook is installed once from the committed HEAD (pre-commit builds it with cargo) and run
# three times: on a bad file, on a good one, and on files that conflict only together.
git init --quiet "$work/project"
cat > "$work/project/bad.yaml" <<'YAML'
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  restartPolicy: Never
  containers:
  - name: web
    image: nginx:latest
    resources:
      requests: {cpu: 100m, memory: 64Mi}
      limits: {memory: 128Mi}
YAML
sed 's/nginx:latest/nginx:1.27.2/' "$work/project/bad.yaml" > "$work/project/good.yaml"
cat > "$work/project/preset.yaml" <<'YAML'
apiVersion: settings.k8s.io/v1alpha1
kind: PodPreset
metadata:
  name: db
spec:
  selector:
    matchLabels: {app: web}
  env:
  - {name: DB_PORT, value: "6379"}
YAML
cat > "$work/project/pod.yaml" <<'YAML'
apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app: web}
spec:
  restartPolicy: Never
  containers:
  - name: web
    image: nginx:1.27.2
    resources:
      requests: {cpu: 100m, memory: 64Mi}
      limits: {memory: 128Mi}
    env:
    - {name: DB_PORT, value: "5432"}
YAML
# Enough other files that pre-commit would split the list between processes (it does for
# more than 4 files per core) if the hook did not ask for one process.
for i in $(seq -w 1 20); do
  sed "s/name: web/name: web-$i/" "$work/project/good.yaml" > "$work/project/good-$i.yaml"
done
cat > "$work/project/.pre-commit-config.yaml" <<YAML
repos:
  - repo: $repo
    rev: $(git -C "$repo" rev-parse HEAD)
    hooks:
      - id: kubevet
        args: [--ignore, removed-api-version]
YAML
(
  cd "$work/project"
  git add . && git -c user.name=ci -c user.email=ci@localhost commit --quiet -m manifests
  export PRE_COMMIT_HOME="$work/pre-commit-home"
  if pre-commit run kubevet --files bad.yaml > "$work/bad.log" 2>&1; then
    cat "$work/bad.log"; echo "the hook passed on a bad manifest" >&2; exit 1
  fi
  grep -q "latest-tag-pull-policy" "$work/bad.log" || { cat "$work/bad.log"; echo "finding not shown" >&2; exit 1; }
  if ! pre-commit run kubevet --files good.yaml > "$work/good.log" 2>&1; then
    cat "$work/good.log"; echo "the hook failed on a good manifest" >&2; exit 1
  fi
  # require_serial: one process gets every file, so the conflict between two files is seen.
  if pre-commit run kubevet --files preset.yaml good-*.yaml pod.yaml > "$work/pair.log" 2>&1; then
    cat "$work/pair.log"; echo "the hook missed a conflict across files" >&2; exit 1
  fi
  grep -q "podpreset-conflict" "$work/pair.log" || { cat "$work/pair.log"; echo "conflict not shown" >&2; exit 1; }
)
echo "pre-commit hook: fails on the bad manifest, passes on the good one, sees conflicts across files"
