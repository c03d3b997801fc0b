#!/usr/bin/env bash
# Runs every test of the project: the C# suites (with the npm oracles they compare against) and the
# Rust contract tests. Installs what it needs first. Prints one summary line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"

bash scripts/install-deps.sh --with-contracts || { echo "dependency install failed"; exit 1; }
(cd tests/oracles && npm ci --no-audit --no-fund --loglevel=error >/dev/null) || { echo "npm ci in tests/oracles failed"; exit 1; }
# A throwaway PostgreSQL for the state-store tests (KEYSTORE_TEST_POSTGRES), stopped however the run ends.
pg_env=$(bash scripts/postgres-test-cluster.sh start) || { echo "FAILED: the PostgreSQL test cluster did not start"; exit 1; }
eval "$pg_env"
trap 'bash scripts/postgres-test-cluster.sh stop "$KEYSTORE_TEST_POSTGRES_DIR"' EXIT
# The TypeScript client: Keystore.Tests runs its node:test suite against a real keystore.
(cd clients/typescript && npm ci --no-audit --no-fund --loglevel=error >/dev/null && npm run --silent build) || { echo "building clients/typescript failed"; exit 1; }

log=$(mktemp)
status=0
# The contract wasm first: the local-chain and end-to-end suites deploy contracts/out/*.wasm.
bash contracts/build.sh 2>&1 | tee "$log" || status=1
# Build everything (benchmarks and tools too: `dotnet test` only builds test projects).
dotnet build Keystore.sln -c Release --nologo -clp:ErrorsOnly 2>&1 | tee -a "$log" || status=1
dotnet test Keystore.sln -c Release --no-build --nologo 2>&1 | tee -a "$log" || status=1
# The code style of .editorconfig (formatting, usings with System first): a drift fails the run.
if ! dotnet format Keystore.sln --verify-no-changes --severity warn --no-restore 2>&1 | tail -n 20; then
  echo "FAILED: the code does not follow .editorconfig; run 'dotnet format Keystore.sln --severity warn'"
  status=1
fi
# Run by bash, so a lost run bit cannot turn the contract suites into a silent skip; a missing script fails.
if [ -f contracts/test.sh ]; then
  bash contracts/test.sh 2>&1 | tee -a "$log" || status=1
else
  echo "FAILED: contracts/test.sh is missing: the contract tests cannot run"
  status=1
fi

# dotnet test, cargo test and the wasm end-to-end run, summed (scripts/test-summary.sh).
summary=$(bash scripts/test-summary.sh "$log") || { summary="test summary failed"; status=1; }
rm -f "$log"
echo "${summary}"
[[ "${summary}" =~ ^[0-9]+\ passed,\ 0\ failed$ ]] || status=1
exit $status
