#!/usr/bin/env bash
# Counts the wasm instructions that one on-chain DCAP verification (bench_dcap_verify) and one
# P-256 signature check (bench_p256_verify) execute, with wabt's tracing interpreter on
# gas-bench (built with the contracts' release profile), and converts them to gas at
# nearcore's wasm_regular_op_cost (822756 gas per instruction). Slow: several minutes.
set -euo pipefail
cd "$(dirname "$0")"
source ./toolchain.sh
here="$(pwd -P)"
# Argument "p256": trace only one P-256 verification (about a minute instead of several).
features=""
[ "${1:-}" = "p256" ] && features="--features p256-only"
RUSTFLAGS="--remap-path-prefix=${here}=/contracts -C link-arg=-s" \
  /usr/bin/cargo build --quiet --offline --locked --release --target wasm32-unknown-unknown -p gas-bench $features
wasm="target/wasm32-unknown-unknown/release/gas_bench.wasm"
wasm-interp "$wasm" --run-all-exports
wasm-interp "$wasm" --run-all-exports --trace | awk '
  /^>>> running export/ { name = $4; gsub(/[":]/, "", name); next }
  /^#/ { n[name]++ }
  END { for (k in n) printf "%s: %d wasm instructions = %.1f Tgas at 822756 gas each\n", k, n[k], n[k] * 822756 / 1e12 }'
