#!/usr/bin/env bash
# Builds contracts/out/tee_dao.wasm and contracts/out/chain_keys.wasm, reproducibly:
# Debian's pinned rustc 1.63, the committed Cargo.lock, offline crates from Debian's registry,
# source paths remapped so the checkout location does not leak into the binary, then
# `wasm-opt -Oz`. Prints the sha256 of each output.
set -euo pipefail
cd "$(dirname "$0")"
source ./toolchain.sh

here="$(pwd -P)"
export RUSTFLAGS="--remap-path-prefix=${here}=/contracts --remap-path-prefix=${CARGO_HOME:-${HOME:-/root}/.cargo}=/cargo -C link-arg=-s"
export CARGO_INCREMENTAL=0
export SOURCE_DATE_EPOCH=0

/usr/bin/cargo build --quiet --offline --locked --release --target wasm32-unknown-unknown -p tee-dao -p chain-keys

mkdir -p out
for name in tee_dao chain_keys; do
  # MVP features only: the NEAR runtime rejects post-MVP opcodes it does not know.
  wasm-opt -Oz --mvp-features --strip-debug --strip-producers \
    "target/wasm32-unknown-unknown/release/${name}.wasm" -o "out/${name}.wasm"
done
(cd out && sha256sum tee_dao.wasm chain_keys.wasm)
