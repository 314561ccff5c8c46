#!/usr/bin/env bash
# Runs kubevet over the Pod Security admission controller's own cases and prints, per level
# and policy version, how many pass/ and fail/ cases agree with it.
#
#   bash bench/pss_conformance.sh [DIR]          the engine, through its library test
#   bash bench/pss_conformance.sh --cli [DIR]    the rules, through `kubevet check`
#                                                (KUBEVET_BIN=path runs that binary)
#
# DIR holds <level>/v1.<minor>/{pass,fail}/*.yaml; by default the shared/conformance/
# pod-security folder above the repository. In --cli mode every fail/<check><n>.yaml must
# report the rule of <check> (or, at restricted, of the control that replaces it there; at `--pod-security <level> --kubernetes-version 1.<minor>`) and
# every pass/ file no Pod Security rule. Exits non-zero when a case disagrees (listed).
set -euo pipefail
cd "$(dirname "$0")/.."
cli=0
if [ "${1:-}" = "--cli" ]; then
  cli=1
  shift
fi
if [ $# -gt 0 ]; then
  KUBEVET_PSS_CONFORMANCE="$(cd "$1" && pwd)"
  export KUBEVET_PSS_CONFORMANCE
fi
if [ "$cli" = 0 ]; then
  exec cargo test --lib --quiet pss::conformance::pod_security_admission_cases -- --nocapture
fi

dir="${KUBEVET_PSS_CONFORMANCE:-}"
if [ -z "$dir" ]; then
  for up in .. ../.. ../../..; do
    if [ -d "$up/shared/conformance/pod-security" ]; then
      dir="$(cd "$up/shared/conformance/pod-security" && pwd)"
      break
    fi
  done
fi
[ -d "$dir" ] || { echo "no conformance directory (give DIR)" >&2; exit 2; }
# KUBEVET_BIN: a kubevet binary to run instead of a fresh release build.
bin="${KUBEVET_BIN:-}"
if [ -z "$bin" ]; then
  cargo build --release --quiet
  bin="${CARGO_TARGET_DIR:-target}/release/kubevet"
fi

python3 - "$bin" "$dir" <<'PY'
import json, os, re, subprocess, sys

binary, root = sys.argv[1], sys.argv[2]
# Check file prefix (lower case) -> kubevet rule, as the README of the cases names them.
RULE = {
    "hostnamespaces": "host-namespace", "privileged": "privileged-container",
    "capabilities_baseline": "added-capabilities", "hostpathvolumes": "host-path-volume",
    "hostports": "host-port", "apparmorprofile": "apparmor-profile",
    "selinuxoptions": "selinux-options", "procmount": "proc-mount",
    "procmount_restricted": "proc-mount", "seccompprofile_baseline": "seccomp-profile",
    "seccompprofile_restricted": "seccomp-profile", "sysctls": "unsafe-sysctl",
    "windowshostprocess": "windows-host-process", "hostprobesandhostlifecycle": "probe-host",
    "restrictedvolumes": "restricted-volume-type",
    "allowprivilegeescalation": "allow-privilege-escalation",
    "runasnonroot": "run-as-non-root", "runasuser": "run-as-root-user",
    "capabilities_restricted": "capabilities-not-dropped",
}
PSS = set(RULE.values())
# At restricted, the controller runs the restricted control that replaces a baseline one (from
# the version the replacement begins): the case is rejected by the replacement's rule.
REPLACED = {"capabilities_baseline": ("capabilities-not-dropped", 22),
            "hostpathvolumes": ("restricted-volume-type", 0)}
total_ok = total = 0
bad = []
for level in sorted(os.listdir(root)):
    versions = sorted(os.listdir(os.path.join(root, level)), key=lambda v: int(v.split(".")[1]))
    for version in versions:
        counts = {}
        for verdict in ("fail", "pass"):
            d = os.path.join(root, level, version, verdict)
            if not os.path.isdir(d):
                continue
            files = sorted(f for f in os.listdir(d) if f.endswith(".yaml"))
            out = subprocess.run(
                [binary, "check", d, "--format", "json", "--fail-level", "never",
                 "--pod-security", level, "--kubernetes-version", version[1:]],
                capture_output=True, text=True, check=True).stdout
            fired = {}
            for diag in json.loads(out)["diagnostics"]:
                if diag["rule"] in PSS:
                    fired.setdefault(os.path.basename(diag["path"]), set()).add(diag["rule"])
            ok = 0
            for f in files:
                got = fired.get(f, set())
                if verdict == "fail":
                    check = re.sub(r"\d+$", "", f[:-5].lower())
                    want = RULE[check]
                    by = REPLACED.get(check)
                    if level == "restricted" and by and int(version.split(".")[1]) >= by[1]:
                        want = by[0]
                    good = want in got
                else:
                    want, good = "none", not got
                ok += good
                if not good:
                    bad.append(f"{level}/{version}/{verdict}/{f}: want {want}, got {sorted(got)}")
            counts[verdict] = (ok, len(files))
            total_ok += ok
            total += len(files)
        shown = "  ".join(f"{v} {o}/{n}" for v, (o, n) in counts.items())
        print(f"{level:<10} {version:<6} {shown}")
print(f"total {total_ok}/{total} ({100.0 * total_ok / max(total, 1):.1f}%)")
for b in bad:
    print("DISAGREES", b)
sys.exit(1 if bad else 0)
PY
