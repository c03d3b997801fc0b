#!/usr/bin/env bash
# The contracts' whole check: toolchain (installed when missing), wasm build, wasm checks, the
# wasm end-to-end run, then the native unit tests last so the output closes with cargo test's
# results.
set -euo pipefail
# First, before any build: a suite that cannot run fails the run instead of being skipped.
if ! command -v node >/dev/null; then
  echo "FAILED: node not found: the wasm end-to-end run (e2e/run.mjs) cannot run; install Node.js (>= 20)" >&2
  exit 1
fi
cd "$(dirname "$0")"
source ./toolchain.sh
bash ./build.sh
bash ./check.sh
# The built wasm, run end to end on a node implementation of the NEAR host (e2e/near-host.mjs).
node e2e/run.mjs
/usr/bin/cargo test --offline --locked --workspace 2>&1
