#!/usr/bin/env bash
# Checks the built contracts: lists the exported methods, fails if any import comes from a
# module other than `env` (the NEAR runtime provides nothing else) or if an expected method is
# missing, and prints the sizes.
set -euo pipefail
cd "$(dirname "$0")"

declare -A expected=(
  [tee_dao]="new propose vote register_worker_key request_master_secret on_master_secret register_binding on_binding_registered worker_heartbeat prune_workers is_registered_worker get_worker_status get_worker list_workers count_workers list_os_measurements list_compose_hashes list_revoked_measurements get_proposal list_proposals get_config anchor_audit_head get_audit_anchor"
  [chain_keys]="new register_tee_key on_worker_checked get_bindings get_binding lookup_address count get_config"
)

status=0
for name in tee_dao chain_keys; do
  wasm="out/${name}.wasm"
  [ -f "$wasm" ] || { echo "missing $wasm (run build.sh)"; exit 1; }
  dump="$(wasm-objdump -x "$wasm")"
  exports="$(printf '%s\n' "$dump" | sed -n 's/.*func\[[0-9]*\] <[^>]*> -> "\([^"]*\)".*/\1/p; s/^ - func\[[0-9]*\] -> "\([^"]*\)".*/\1/p' | sort -u)"
  echo "== ${name}.wasm: $(stat -c %s "$wasm") bytes, sha256 $(sha256sum "$wasm" | cut -d' ' -f1)"
  echo "exports: $(echo $exports)"
  for m in ${expected[$name]}; do
    # A here-string, not `printf | grep -q`: grep -q exits at the first match, and under pipefail the
    # writer's SIGPIPE would make a present export look missing.
    if ! grep -qx "$m" <<< "$exports"; then
      echo "ERROR: ${name} does not export ${m}"; status=1
    fi
  done
  bad_imports="$(printf '%s\n' "$dump" | sed -n '/^Import\[/,/^[A-Z]/p' | grep -- '<- ' | grep -v '<- env\.' || true)"
  if [ -n "$bad_imports" ]; then
    echo "ERROR: ${name} imports from outside module env:"; echo "$bad_imports"; status=1
  fi
  echo "imports: $(printf '%s\n' "$dump" | sed -n '/^Import\[/,/^[A-Z]/p' | grep -c -- '<- env\.') host functions from env"
done
exit $status
