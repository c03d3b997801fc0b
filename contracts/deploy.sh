#!/usr/bin/env bash
# Deploys and initialises tee-dao and chain-keys on any NEAR network with NEAR CLI, idempotently:
# a contract already deployed with the same code and configuration is left alone, so a second run
# sends no transaction at all. It never upgrades or re-initialises a contract: different code or a
# different configuration on an account stops the run with what differs.
#
#   contracts/deploy.sh --profile dstack/testnet.env [--council a.testnet,b.testnet,c.testnet] [...]
#
# Settings (a profile's DEPLOY_* and Keystore__Near__* lines, overridden by the options):
#   --network NAME        testnet | mainnet | custom (near-cli 4's name for any other RPC; set --rpc)   DEPLOY_NETWORK
#   --rpc URL             the JSON-RPC the checks read (default: the network's own)                       Keystore__Near__RpcUrls__0
#   --dao ACCOUNT         the tee-dao account (its full-access key in ~/.near-credentials/<network>/)    Keystore__Near__DaoContractId
#   --chain-keys ACCOUNT  the chain-keys account (same)                                                   DEPLOY_CHAIN_KEYS_ACCOUNT
#   --mpc ACCOUNT         the MPC contract (v1.signer-prod.testnet, v1.signer)                            DEPLOY_MPC_CONTRACT
#   --council LIST        comma-separated council accounts                                                DEPLOY_COUNCIL
#   --threshold N         council votes a proposal needs                                                  DEPLOY_THRESHOLD
#   --ckd-path TEXT       the CKD derivation path (default keystore)                                      DEPLOY_CKD_PATH
#   --ckd-domain N        the MPC CKD domain (default: read from the MPC contract's state view)           DEPLOY_CKD_DOMAIN
#   --root-ca-der-hex HEX a local DCAP root (the TDX simulator's; never on testnet/mainnet)               DEPLOY_ROOT_CA_DER_HEX
#   --wasm-dir DIR        where tee_dao.wasm and chain_keys.wasm are (default contracts/out)
#   --near PATH           the NEAR CLI (default: tests/oracles/node_modules/.bin/near, the npm near-cli 4)
#
# It prints every NEAR CLI command it runs. The near-cli-rs equivalents are in dstack/README.md.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PROFILE=""
declare -A OPT=()
while [ $# -gt 0 ]; do
  case "$1" in
    --profile) PROFILE="$2"; shift 2 ;;
    --network|--rpc|--dao|--chain-keys|--mpc|--council|--threshold|--ckd-path|--ckd-domain|--root-ca-der-hex|--wasm-dir|--near)
      [ $# -ge 2 ] || { echo "deploy: $1 needs a value" >&2; exit 2; }
      OPT["${1#--}"]="$2"; shift 2 ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    *) echo "deploy: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

# A profile is an env file: KEY=value lines, no shell code is run from it.
declare -A P=()
if [ -n "$PROFILE" ]; then
  [ -f "$PROFILE" ] || { echo "deploy: no profile $PROFILE" >&2; exit 2; }
  while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in ''|'#'*) continue ;; esac
    P["${line%%=*}"]="${line#*=}"
  done < "$PROFILE"
fi
setting() { # option name, profile key, default
  if [ -n "${OPT[$1]:-}" ]; then echo "${OPT[$1]}"; elif [ -n "${P[$2]:-}" ]; then echo "${P[$2]}"; else echo "${3:-}"; fi
}

NETWORK="$(setting network DEPLOY_NETWORK "${NEAR_ENV:-}")"
case "$NETWORK" in
  testnet) DEFAULT_RPC=https://rpc.testnet.near.org ;;
  mainnet) DEFAULT_RPC=https://rpc.mainnet.near.org ;;
  custom) DEFAULT_RPC="${NEAR_CUSTOM_RPC:-}" ;;
  *) echo "deploy: --network must be testnet, mainnet or custom (got '$NETWORK')" >&2; exit 2 ;;
esac
RPC="$(setting rpc Keystore__Near__RpcUrls__0 "$DEFAULT_RPC")"
DAO="$(setting dao Keystore__Near__DaoContractId)"
CHAIN_KEYS="$(setting chain-keys DEPLOY_CHAIN_KEYS_ACCOUNT)"
MPC="$(setting mpc DEPLOY_MPC_CONTRACT)"
COUNCIL="$(setting council DEPLOY_COUNCIL)"
THRESHOLD="$(setting threshold DEPLOY_THRESHOLD)"
CKD_PATH="$(setting ckd-path DEPLOY_CKD_PATH keystore)"
CKD_DOMAIN="$(setting ckd-domain DEPLOY_CKD_DOMAIN)"
ROOT_CA="$(setting root-ca-der-hex DEPLOY_ROOT_CA_DER_HEX)"
WASM_DIR="$(setting wasm-dir DEPLOY_WASM_DIR "$ROOT/contracts/out")"
NEAR="$(setting near DEPLOY_NEAR_CLI "$ROOT/tests/oracles/node_modules/.bin/near")"

for v in RPC DAO CHAIN_KEYS MPC COUNCIL THRESHOLD; do
  [ -n "${!v}" ] || { echo "deploy: $v is not set (see --help)" >&2; exit 2; }
done
[[ "$THRESHOLD" =~ ^[1-9][0-9]*$ ]] || { echo "deploy: --threshold must be a positive number" >&2; exit 2; }
[ -z "$CKD_DOMAIN" ] || [[ "$CKD_DOMAIN" =~ ^[0-9]+$ ]] || { echo "deploy: --ckd-domain must be a number" >&2; exit 2; }
if [ -n "$ROOT_CA" ] && [ "$NETWORK" != custom ]; then
  echo "deploy: --root-ca-der-hex replaces Intel's root: only for a local chain (network custom)" >&2; exit 2
fi
[ -x "$NEAR" ] || [ -x "$(command -v "$NEAR" 2>/dev/null)" ] || { echo "deploy: no NEAR CLI at $NEAR (npm ci --prefix tests/oracles)" >&2; exit 1; }
for f in tee_dao.wasm chain_keys.wasm; do
  [ -f "$WASM_DIR/$f" ] || { echo "deploy: $WASM_DIR/$f is missing: run contracts/build.sh" >&2; exit 1; }
done
command -v curl >/dev/null && command -v python3 >/dev/null || { echo "deploy: needs curl and python3" >&2; exit 1; }

export NEAR_ENV="$NETWORK" NEAR_CUSTOM_RPC="$RPC" NO_UPDATE_NOTIFIER=1 CI=1

# Reads go straight to JSON-RPC (final blocks), so the checks do not depend on a CLI's output format.
rpc_query() { # params JSON → result JSON, or "ERROR <message>"
  curl -sS --max-time 60 -H 'Content-Type: application/json' \
    --data "{\"jsonrpc\":\"2.0\",\"id\":\"deploy\",\"method\":\"query\",\"params\":$1}" "$RPC" \
    | python3 -c '
import json, sys
r = json.load(sys.stdin)
if "error" in r:
    e = r["error"]; print("ERROR", (e.get("cause") or {}).get("name") or e.get("data") or e.get("message")); sys.exit(0)
res = r["result"]
if "error" in res: print("ERROR", res["error"]); sys.exit(0)
if "result" in res:  # call_function: bytes of the returned JSON
    print(bytes(res["result"]).decode() or "null")
else:
    print(json.dumps(res))'
}
view() { # contract, method, args JSON
  local args; args="$(printf '%s' "$3" | base64 -w0)"
  rpc_query "{\"request_type\":\"call_function\",\"finality\":\"final\",\"account_id\":\"$1\",\"method_name\":\"$2\",\"args_base64\":\"$args\"}"
}
code_hash() {
  rpc_query "{\"request_type\":\"view_account\",\"finality\":\"final\",\"account_id\":\"$1\"}" \
    | python3 -c 'import json,sys; t=sys.stdin.read(); print(t.strip() if t.startswith("ERROR") else json.loads(t)["code_hash"])'
}
wasm_hash() { # NEAR's code hash: base58 of sha256 of the wasm
  python3 -c '
import hashlib, sys
h = hashlib.sha256(open(sys.argv[1], "rb").read()).digest()
a = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
n = int.from_bytes(h, "big"); s = ""
while n: n, r = divmod(n, 58); s = a[r] + s
print("1" * (len(h) - len(h.lstrip(b"\0"))) + s)' "$1"
}
run() { echo "+ near $* --networkId $NETWORK" >&2; "$NEAR" "$@" --networkId "$NETWORK"; }

# 1. The CKD domain: whatever the MPC network numbered it, read from the MPC contract itself.
if [ -z "$CKD_DOMAIN" ]; then
  STATE="$(view "$MPC" state '{}')"
  case "$STATE" in ERROR*) echo "deploy: cannot read $MPC.state: $STATE" >&2; exit 1 ;; esac
  CKD_DOMAIN="$(printf '%s' "$STATE" | python3 -c '
import json, sys
s = json.load(sys.stdin)
run = s.get("Running") or (s.get("Resharing") or {}).get("previous_running_state") if isinstance(s, dict) else None
if not run: sys.exit("the MPC contract is not running: " + json.dumps(s)[:200])
def ckd(d):
    if "purpose" in d: return d["purpose"] == "CKD"
    return "Bls12381" in (d.get("scheme"), d.get("curve")) or d.get("protocol") == "ConfidentialKeyDerivation"
ids = sorted(d["id"] for d in run["domains"]["domains"] if ckd(d))
if not ids: sys.exit("the MPC contract has no CKD domain")
if len(ids) > 1: sys.exit("the MPC contract has several CKD domains %s: choose one with --ckd-domain" % ids)
print(ids[0])')" || { echo "deploy: $MPC: domain discovery failed" >&2; exit 1; }
  echo "deploy: $MPC serves CKD on domain $CKD_DOMAIN" >&2
fi

DAO_INIT="$(python3 -c '
import json, sys
council, threshold, mpc, domain, path, chain_keys, root = sys.argv[1:8]
a = {"council": council.split(","), "threshold": int(threshold), "mpc_contract_id": mpc,
     "ckd_domain_id": int(domain), "ckd_path": path, "chain_keys_contract_id": chain_keys}
if root: a["root_ca_der_hex"] = root
print(json.dumps(a, separators=(",", ":")))' "$COUNCIL" "$THRESHOLD" "$MPC" "$CKD_DOMAIN" "$CKD_PATH" "$CHAIN_KEYS" "$ROOT_CA")"
CHAIN_KEYS_INIT="{\"dao_contract_id\":\"$DAO\"}"

# Compares a contract's configuration view with what this run would initialise it with.
config_differs() { # view JSON, wanted init JSON, keys to compare
  python3 -c '
import json, sys
have, want = json.loads(sys.argv[1]), json.loads(sys.argv[2])
diff = [f"{k}: deployed {have.get(k)!r}, asked {want.get(k)!r}" for k in sys.argv[3].split(",") if k in want and have.get(k) != want[k]]
print("; ".join(diff))' "$1" "$2" "$3"
}

changed=0
deploy() { # account, wasm file, init JSON, config view, keys to compare
  local account="$1" wasm="$WASM_DIR/$2" init="$3" view_method="$4" keys="$5" have want config
  have="$(code_hash "$account")"
  want="$(wasm_hash "$wasm")"
  case "$have" in ERROR*) echo "deploy: cannot read account $account: $have (create and fund it first)" >&2; exit 1 ;; esac
  if [ "$have" = 11111111111111111111111111111111 ]; then
    run deploy "$account" "$wasm" --initFunction new --initArgs "$init" --initGas 100000000000000 >&2
    changed=1
  elif [ "$have" != "$want" ]; then
    echo "deploy: $account holds other code ($have, this build is $want): upgrading a live contract is the council's decision, not this script's" >&2
    exit 1
  fi
  config="$(view "$account" "$view_method" '{}')"
  case "$config" in
    ERROR*not\ initialized*|ERROR*NotInitialized*)
      run call "$account" new "$init" --accountId "$account" --gas 100000000000000 >&2
      changed=1
      config="$(view "$account" "$view_method" '{}')" ;;
  esac
  case "$config" in ERROR*) echo "deploy: $account.$view_method failed: $config" >&2; exit 1 ;; esac
  local differs; differs="$(config_differs "$config" "$init" "$keys")"
  if [ -n "$differs" ]; then
    echo "deploy: $account is already initialised differently ($differs): change it through council proposals" >&2
    exit 1
  fi
  echo "deploy: $account runs $2 ($want) with the asked configuration" >&2
}

deploy "$DAO" tee_dao.wasm "$DAO_INIT" get_config council,threshold,mpc_contract_id,ckd_domain_id,ckd_path,chain_keys_contract_id
deploy "$CHAIN_KEYS" chain_keys.wasm "$CHAIN_KEYS_INIT" get_config dao_contract_id

if [ "$changed" = 0 ]; then echo "deploy: nothing to change"; else echo "deploy: done"; fi

# 3. The MPC public key the keystore checks CKD answers against. Unpinned, a keystore reads it through its own RPC, the
# same one that carries the CKD answer, and an RPC that lies about both picks the master secret; pinned in the profile,
# it is written into the compose and measured into the compose hash the council approves. Read here through $RPC:
# compare it with a second, independent endpoint (or the MPC network's announcement) before pinning it.
MPC_KEY="$(view "$MPC" public_key "{\"domain_id\":$CKD_DOMAIN}")"
case "$MPC_KEY" in
  ERROR*) echo "deploy: cannot read $MPC.public_key for domain $CKD_DOMAIN: $MPC_KEY (pin it by hand, see dstack/README.md)" >&2 ;;
  *) MPC_KEY="$(printf '%s' "$MPC_KEY" | python3 -c 'import json, sys; k = json.load(sys.stdin); print(k if isinstance(k, str) else "")' || true)"
     echo "deploy: $MPC CKD domain $CKD_DOMAIN public key (as $RPC reports it): $MPC_KEY" >&2
     echo "deploy: pin it in the profile, after checking it with another RPC: Keystore__Near__MpcPublicKey=$MPC_KEY" >&2 ;;
esac
echo "deploy: next, the council approves the image (dstack/README.md): near view $DAO get_config '{}'" >&2
