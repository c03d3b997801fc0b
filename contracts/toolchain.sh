#!/usr/bin/env bash
# Installs the Debian Rust toolchain the contracts build with, when any part is missing.
# Idempotent and quiet: prints only when it has to install. Sourced by build.sh and test.sh.
set -euo pipefail

contracts_toolchain_missing() {
  [ -x /usr/bin/cargo ] && [ -x /usr/bin/rustc ] || return 0
  [ -d /usr/lib/rustlib/wasm32-unknown-unknown ] || return 0
  command -v wasm-opt >/dev/null && command -v wasm-objdump >/dev/null || return 0
  local crate
  for crate in serde-1 serde_derive-1 serde_json-1 sha2-0.10 sha3-0.10 hex-0.4 bs58-0.4; do
    ls -d /usr/share/cargo/registry/${crate}* >/dev/null 2>&1 || return 0
  done
  return 1
}

if contracts_toolchain_missing; then
  echo "contracts: installing the Debian Rust toolchain (rustc, cargo, wasm32 std, binaryen, wabt, crates)" >&2
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq >/dev/null
  $SUDO apt-get install -y -qq rustc cargo libstd-rust-dev-wasm32 binaryen wabt \
    librust-serde-dev librust-serde-derive-dev librust-serde-json-dev librust-sha2-dev \
    librust-sha3-dev librust-hex-dev librust-bs58-dev >/dev/null
fi
