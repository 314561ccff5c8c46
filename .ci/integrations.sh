#!/usr/bin/env bash
# Integration checks that need tools from package registries: the SARIF output against the
# official SARIF 2.1.0 schema, action.yml against the GitHub Action metadata schema, and the
# pre-commit hook run for real by pre-commit. Expects CARGO_TARGET_DIR and a release build.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
kubevet="$CARGO_TARGET_DIR/release/kubevet"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 -m pip install --quiet --disable-pip-version-check jsonschema check-jsonschema pre-commit

echo "== SARIF output against the official SARIF 2.1.0 schema"
(cd "$work" && npm pack --silent @microsoft/jest-sarif@1.0.0-beta.0 >/dev/null && tar xzf microsoft-jest-sarif-*.tgz)
"$kubevet" check fixtures --format sarif > "$work/kubevet.sarif" || true
python3 - "$work/package/lib/schemas/sarif-2.1.0-rtm.5.json" "$work/kubevet.sarif" <<'PY'
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
doc = json.load(open(sys.argv[2]))
errors = list(jsonschema.Draft4Validator(schema).iter_errors(doc))
for e in errors[:10]:
    print("SARIF invalid at", list(e.path), e.message[:200])
results = len(doc["runs"][0]["results"])
assert not errors, f"{len(errors)} schema errors"
assert results > 50, f"only {results} results"
print(f"valid SARIF 2.1.0 with {results} results")
PY

echo "== action.yml against the GitHub Action metadata schema"
check-jsonschema --builtin-schema vendor.github-actions action.yml

echo "== the pre-commit hook, run by pre-commit"
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
YAML
sed 's/nginx:latest/nginx:1.27.2/' "$work/project/bad.yaml" > "$work/project/good.yaml"
(
  cd "$work/project"
  git add . && git -c user.name=ci -c user.email=ci@localhost commit --quiet -m manifests
  export PRE_COMMIT_HOME="$work/pre-commit-home"
  if pre-commit try-repo "$repo" kubevet --files bad.yaml > "$work/bad.log" 2>&1; then
    cat "$work/bad.log"; echo "the hook passed on a bad manifest" >&2; exit 1
  fi
  grep -q "latest-tag-pull-policy" "$work/bad.log" || { cat "$work/bad.log"; echo "finding not shown" >&2; exit 1; }
  if ! pre-commit try-repo "$repo" kubevet --files good.yaml > "$work/good.log" 2>&1; then
    cat "$work/good.log"; echo "the hook failed on a good manifest" >&2; exit 1
  fi
)
echo "pre-commit hook: fails on the bad manifest, passes on the good one"
