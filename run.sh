#!/usr/bin/env bash
# Runs the keystore for real on this machine: a local NEAR chain running the real contract wasm
# (tee-dao, chain-keys) and a simulated NEAR MPC network, the local TDX simulator, and the keystore
# booting through quote → register_worker_key → request_master_secret (CKD) → ready.
# Extra arguments go to the keystore (e.g. --Keystore:Bitcoin:Network=regtest).
# Environment: KEYSTORE_PORT (8080), LOCAL_NEAR_PORT (3030), RUN_DIR (.local-run: keys, logs, NEAR CLI home),
# KEYSTORE_BITCOIN_NETWORK (regtest).
set -euo pipefail
cd "$(dirname "$0")"
KEYSTORE_PORT="${KEYSTORE_PORT:-8080}"
LOCAL_NEAR_PORT="${LOCAL_NEAR_PORT:-3030}"
RUN_DIR="$(mkdir -p "${RUN_DIR:-.local-run}" && cd "${RUN_DIR:-.local-run}" && pwd)"
RPC="http://127.0.0.1:${LOCAL_NEAR_PORT}"
KEYSTORE="http://127.0.0.1:${KEYSTORE_PORT}"
started=$(date +%s)

echo "run: installing what is missing (Debian packages for libsecp256k1 and the contract toolchain)"
bash scripts/install-deps.sh --with-contracts
# What the printed commands and examples need: the NEAR CLI (npm near-cli 4, in tests/oracles) and the TypeScript client.
if [ ! -x tests/oracles/node_modules/.bin/near ]; then
  echo "run: installing the NEAR CLI and the npm libraries (npm ci in tests/oracles)"
  (cd tests/oracles && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
if [ ! -f clients/typescript/dist/index.js ]; then
  echo "run: building the TypeScript client (clients/typescript)"
  (cd clients/typescript && npm ci --no-audit --no-fund --loglevel=error >/dev/null && npm run --silent build)
fi
if [ ! -f contracts/out/tee_dao.wasm ] || [ ! -f contracts/out/chain_keys.wasm ]; then
  echo "run: building the contracts (contracts/build.sh)"
  bash contracts/build.sh
fi
echo "run: building the local chain, its keystore-network bootstrapper and the keystore"
dotnet build src/LocalNear/LocalNear.csproj -c Release -nologo -v quiet -clp:ErrorsOnly
dotnet build src/LocalNetwork/LocalNetwork.csproj -c Release -nologo -v quiet -clp:ErrorsOnly
dotnet build src/Keystore/Keystore.csproj -c Release -nologo -v quiet -clp:ErrorsOnly

pids=()
cleanup() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "run: stopped"
}
trap cleanup INT TERM EXIT

echo "run: starting the local NEAR chain on ${RPC} (log: ${RUN_DIR}/local-near.log)"
dotnet src/LocalNear/bin/Release/net10.0/Keystore.LocalNear.dll \
  --LocalNear:RpcUrl="${RPC}" \
  --LocalNear:DataDir="${RUN_DIR}/near" \
  --LocalNear:CredentialsDir="${RUN_DIR}/near-credentials" > "${RUN_DIR}/local-near.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 240); do
  grep -q "Local NEAR chain '.*' is running" "${RUN_DIR}/local-near.log" 2>/dev/null && break
  if ! kill -0 "${pids[0]}" 2>/dev/null; then cat "${RUN_DIR}/local-near.log"; echo "run: the local chain stopped" >&2; exit 1; fi
  sleep 0.5
done
grep -q "Local NEAR chain '.*' is running" "${RUN_DIR}/local-near.log" || { cat "${RUN_DIR}/local-near.log"; echo "run: the local chain did not start" >&2; exit 1; }

# The chain is a plain NEAR node; src/LocalNetwork deploys the keystore's contracts to it over its RPC, signing
# with the NEAR CLI credentials the chain wrote (running it again on the same chain changes nothing).
echo "run: deploying the keystore network (log: ${RUN_DIR}/local-network.log)"
dotnet src/LocalNetwork/bin/Release/net10.0/Keystore.LocalNetwork.dll \
  --LocalNetwork:RpcUrl="${RPC}" \
  --LocalNetwork:CredentialsDir="${RUN_DIR}/near-credentials" \
  --LocalNetwork:WasmDir="$(pwd)/contracts/out" > "${RUN_DIR}/local-network.log" 2>&1 \
  || { cat "${RUN_DIR}/local-network.log"; echo "run: deploying the keystore network failed" >&2; exit 1; }
grep -q "Keystore network ready" "${RUN_DIR}/local-network.log" || { cat "${RUN_DIR}/local-network.log"; echo "run: the keystore network did not get ready" >&2; exit 1; }
echo "run: tee-dao and chain-keys deployed, the simulator's measurements approved by the local council"
# near-cli 4 reads ~/.near-credentials/<network>, and calls a local chain "custom": give it a home inside RUN_DIR,
# so no credential of this local chain lands in the user's real ~/.near-credentials.
mkdir -p "${RUN_DIR}/home/.near-credentials/custom"
cp "${RUN_DIR}"/near-credentials/localnet/*.json "${RUN_DIR}/home/.near-credentials/custom/"

echo "run: starting the keystore on ${KEYSTORE} (simulated TDX, master secret from NEAR MPC via CKD)"
Keystore__Tee__Provider=simulator \
Keystore__MasterSecret__Source=ckd \
Keystore__Near__NetworkId=localnet \
Keystore__Near__RpcUrls__0="${RPC}" \
Keystore__Near__DaoContractId=dao.test.near \
Keystore__Near__RegistrarAccountId=test.near \
Keystore__Near__RegistrarCredentialsFile="${RUN_DIR}/near-credentials/localnet/test.near.json" \
Keystore__Auth__OwnerKeySource=near \
Keystore__State__SqlitePath="${RUN_DIR}/state.db" \
Keystore__Webhooks__AllowInsecureLoopback=true \
Keystore__Bitcoin__Network="${KEYSTORE_BITCOIN_NETWORK:-regtest}" \
  dotnet src/Keystore/bin/Release/net10.0/Keystore.dll --contentRoot="$(pwd)/src/Keystore" --Urls="${KEYSTORE}" "$@" &
pids+=($!)

for _ in $(seq 1 240); do
  if curl -fsS "${KEYSTORE}/v1/ready" >/dev/null 2>&1; then break; fi
  if ! kill -0 "${pids[1]}" 2>/dev/null; then echo "run: the keystore stopped" >&2; exit 1; fi
  sleep 0.5
done
curl -fsS "${KEYSTORE}/v1/ready" >/dev/null || { curl -sS "${KEYSTORE}/v1/ready"; echo; echo "run: the keystore did not get ready" >&2; exit 1; }

cat <<INFO

  Ready after $(( $(date +%s) - started )) s.
    keystore     ${KEYSTORE}        (worker registered with dao.test.near, master secret from CKD)
    local NEAR   ${RPC}        (chain id localnet; log ${RUN_DIR}/local-near.log, deployment ${RUN_DIR}/local-network.log)
    credentials  ${RUN_DIR}/near-credentials/localnet/   (test.near, alice/bob/carol.test.near: the council)

  Try:
    curl -s ${KEYSTORE}/v1/ready
    curl -s ${KEYSTORE}/v1/attestation | head -c 400; echo
    curl -s ${KEYSTORE}/v1/accounts/alice.test.near/keys/ethereum
    curl -s -X POST ${RPC} -H 'content-type: application/json' -d '{"jsonrpc":"2.0","id":1,"method":"query","params":{"request_type":"call_function","finality":"final","account_id":"chain-keys.test.near","method_name":"get_bindings","args_base64":"'"\$(printf '{"account_id":"alice.test.near"}' | base64 -w0)"'"}}'
  Sign as alice.test.near (an EIP-1559 transfer, a Solana transfer, a PSBT on Bitcoin ${KEYSTORE_BITCOIN_NETWORK:-regtest}):
    (cd examples/typescript && npm ci --no-audit --no-fund && node agent.mjs)
    dotnet run examples/dotnet/agent.cs
  NEAR CLI (npm near-cli 4; credentials copied to ${RUN_DIR}/home, it calls a local chain "custom"):
    HOME=${RUN_DIR}/home NEAR_ENV=custom NEAR_CUSTOM_RPC=${RPC} tests/oracles/node_modules/.bin/near view dao.test.near list_workers '{}'
    HOME=${RUN_DIR}/home NEAR_ENV=custom NEAR_CUSTOM_RPC=${RPC} tests/oracles/node_modules/.bin/near view chain-keys.test.near get_bindings '{"account_id":"alice.test.near"}'
    OpenAPI: ${KEYSTORE}/openapi/v1.json   metrics: ${KEYSTORE}/metrics

  Ctrl-C stops everything.
INFO
wait
