#!/usr/bin/env bash
# Prints "N passed, N failed" for a test.sh log: the per-suite lines of dotnet test
# ("Failed!  - Failed: 0, Passed: 12, …"), cargo test ("test result: ok. 12 passed; 0 failed") and the
# contracts' wasm end-to-end run ("wasm e2e: 26 passed, 0 failed"), summed.
set -euo pipefail
awk '
  /(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+/ {
    match($0, /Failed: +[0-9]+/); f += substr($0, RSTART + 7, RLENGTH - 7) + 0
    match($0, /Passed: +[0-9]+/); p += substr($0, RSTART + 7, RLENGTH - 7) + 0
  }
  /test result: [a-zA-Z]+\. [0-9]+ passed; [0-9]+ failed/ ||
  /^wasm e2e: [0-9]+ passed, [0-9]+ failed$/ {
    match($0, /[0-9]+ passed/); p += substr($0, RSTART, RLENGTH - 7) + 0
    match($0, /[0-9]+ failed/); f += substr($0, RSTART, RLENGTH - 7) + 0
  }
  END { print p + 0 " passed, " f + 0 " failed" }' "$1"
