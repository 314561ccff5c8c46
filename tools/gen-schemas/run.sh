#!/usr/bin/env bash
# Regenerates kubevet's embedded schemas: `schemas/v1.30/` ... `schemas/v1.37/` (one build of
# the generator per Kubernetes version, since k8s-openapi describes one version per build),
# then the store `schemas/store.bin` that the binary embeds, then the newest version and the
# configuration schema from kubevet's own build. The versions are `builtin::OLDEST..=NEWEST`
# in src/schema/builtin.rs; a test fails when the store holds others.
#
# The generator builds in $GEN_SCHEMAS_TARGET_DIR (default: target/gen-schemas), one version
# after another in the same directory; kubevet itself builds in $CARGO_TARGET_DIR as usual.
set -euo pipefail
cd "$(dirname "$0")/../.."

manifest=tools/gen-schemas/Cargo.toml
tool_target="${GEN_SCHEMAS_TARGET_DIR:-$PWD/target/gen-schemas}"
gen() {
  CARGO_TARGET_DIR="$tool_target" cargo run --quiet --manifest-path "$manifest" "$@"
}

for minor in 30 31 32 33 34 35 36 37; do
  gen --features "v1_$minor" -- generate
done
gen -- pack
cargo run --quiet --bin gen-schemas
