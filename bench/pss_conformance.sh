#!/usr/bin/env bash
# Runs kubevet's Pod Security engine over the Pod Security admission controller's own cases
# and prints, per level and policy version, how many pass/ and fail/ cases agree with it.
#
#   bash bench/pss_conformance.sh [DIR]
#
# DIR holds <level>/v1.<minor>/{pass,fail}/*.yaml; by default the test looks for
# shared/conformance/pod-security in the folders above the repository. Exits non-zero when a
# case disagrees (the failing cases are listed).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -gt 0 ]; then
  KUBEVET_PSS_CONFORMANCE="$(cd "$1" && pwd)"
  export KUBEVET_PSS_CONFORMANCE
fi
cargo test --lib --quiet pss::conformance::pod_security_admission_cases -- --nocapture
