#!/usr/bin/env bash
# Runs the keystore on its local default. Extra arguments go to the keystore
# (e.g. --Keystore:Bitcoin:Network=regtest --Urls=http://127.0.0.1:9090).
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/install-deps.sh
exec dotnet run --project src/Keystore -c Release -- "$@"
