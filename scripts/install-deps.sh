#!/usr/bin/env bash
# Installs what the keystore and its tests need beyond the .NET SDK, on a fresh Debian machine.
# Idempotent: a machine that already has everything is left alone (and quiet).
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
[ -e /usr/lib/x86_64-linux-gnu/libsecp256k1.so.1 ] || [ -e /usr/lib/aarch64-linux-gnu/libsecp256k1.so.1 ] || need_apt+=(libsecp256k1-1)
command -v node >/dev/null 2>&1 || need_apt+=(nodejs npm)
# age decrypts key exports in the tests (and for users: README "Export").
command -v age >/dev/null 2>&1 || need_apt+=(age)
if [ "${1:-}" = "--with-contracts" ]; then
  for p in rustc cargo libstd-rust-dev-wasm32 binaryen wabt; do
    dpkg -s "$p" >/dev/null 2>&1 || need_apt+=("$p")
  done
fi
# dstack/build-image.sh and dstack/check-reproducible.sh: Debian's image tools.
case " $* " in *" --with-image "*)
  for p in mmdebstrap umoci; do dpkg -s "$p" >/dev/null 2>&1 || need_apt+=("$p"); done ;;
esac
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "install-deps: apt-get install ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
