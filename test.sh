#!/usr/bin/env bash
# Runs every test of the project: the C# suites (with the npm oracles they compare against) and the
# Rust contract tests. Installs what it needs first. Prints one summary line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"

bash scripts/install-deps.sh --with-contracts || { echo "dependency install failed"; exit 1; }
(cd tests/oracles && npm ci --no-audit --no-fund --loglevel=error >/dev/null) || { echo "npm ci in tests/oracles failed"; exit 1; }

log=$(mktemp)
status=0
# The contract wasm first: the local-chain and end-to-end suites deploy contracts/out/*.wasm.
bash contracts/build.sh 2>&1 | tee "$log" || status=1
# Build everything (benchmarks and tools too: `dotnet test` only builds test projects).
dotnet build Keystore.sln -c Release --nologo -clp:ErrorsOnly 2>&1 | tee -a "$log" || status=1
dotnet test Keystore.sln -c Release --no-build --nologo 2>&1 | tee -a "$log" || status=1
if [ -x contracts/test.sh ]; then
  bash contracts/test.sh 2>&1 | tee -a "$log" || status=1
fi

# Sum the per-suite lines of dotnet test ("Failed!  - Failed: 0, Passed: 12, …") and cargo test
# ("test result: ok. 12 passed; 0 failed").
read -r passed failed < <(awk '
  /(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+/ {
    match($0, /Failed: +[0-9]+/); f += substr($0, RSTART + 7, RLENGTH - 7) + 0
    match($0, /Passed: +[0-9]+/); p += substr($0, RSTART + 7, RLENGTH - 7) + 0
  }
  /test result: [a-zA-Z]+\. [0-9]+ passed; [0-9]+ failed/ {
    match($0, /[0-9]+ passed/); p += substr($0, RSTART, RLENGTH - 7) + 0
    match($0, /[0-9]+ failed/); f += substr($0, RSTART, RLENGTH - 7) + 0
  }
  END { print p + 0, f + 0 }' "$log")
rm -f "$log"
echo "${passed} passed, ${failed} failed"
[ "${failed}" -eq 0 ] || status=1
exit $status
