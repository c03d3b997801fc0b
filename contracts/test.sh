#!/usr/bin/env bash
# The contracts' whole check: toolchain (installed when missing), wasm build, wasm checks, the
# wasm end-to-end run, then the native unit tests last so the output closes with cargo test's
# results.
set -euo pipefail
cd "$(dirname "$0")"
source ./toolchain.sh
./build.sh
./check.sh
# The built wasm, run end to end on a node implementation of the NEAR host (e2e/near-host.mjs).
if command -v node >/dev/null; then
  node e2e/run.mjs
else
  echo "node not found: skipping the wasm end-to-end run (e2e/run.mjs)"
fi
/usr/bin/cargo test --offline --locked --workspace 2>&1
