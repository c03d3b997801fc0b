#!/usr/bin/env bash
# Two clean builds of the image must give the same digest. Each build runs from its own fresh copy
# of the checkout (the files git tracks, with their working-tree contents) in a different folder, so
# a build path, a leftover obj/ or a timestamp that leaks into the image shows up as a mismatch.
#
#   dstack/check-reproducible.sh                 # prints the digest, exits 1 if the two builds differ
#   dstack/check-reproducible.sh --update-lock   # both builds take today's Debian packages (CI: a Debian
#                                                # security update must not fail the check of *our* determinism)
#
# It takes a few minutes (two self-contained publishes and two root file systems); .ci/run calls it
# once after the tests. Needs root, mmdebstrap, umoci and the mirror (see dstack/build-image.sh).
set -euo pipefail
case "${1:-}" in ''|--update-lock) ;; *) echo "check-reproducible: unknown argument '$1'" >&2; exit 2 ;; esac
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/keystore-repro.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git -C "$ROOT" log -1 --format=%ct)}"
export KEYSTORE_REVISION="${KEYSTORE_REVISION:-$(git -C "$ROOT" rev-parse HEAD)}"
start=$(date +%s)

build() {
  local name="$1" src="$WORK/$1/src-$RANDOM"
  shift
  mkdir -p "$src"
  # The same tree a fresh clone has, plus uncommitted edits: nothing else from this checkout.
  (cd "$ROOT" && git ls-files -z --cached --others --exclude-standard | tar --null -T - --ignore-failed-read -cf - 2>/dev/null) \
    | tar -C "$src" -xf -
  bash "$src/dstack/build-image.sh" --out "$WORK/$name/out" "$@" > "$WORK/$name/digest" 2> "$WORK/$name/log" \
    || { echo "check-reproducible: build $name failed:" >&2; tail -30 "$WORK/$name/log" >&2; exit 1; }
}

build first "$@"
build second "$@"
a="$(cat "$WORK/first/digest")"
b="$(cat "$WORK/second/digest")"
elapsed=$(( $(date +%s) - start ))
if [ "$a" != "$b" ]; then
  echo "check-reproducible: the two builds differ: $a vs $b (${elapsed} s)" >&2
  for f in near-tee-keystore.oci.tar; do
    cmp "$WORK/first/out/$f" "$WORK/second/out/$f" >&2 || true
  done
  exit 1
fi
cmp -s "$WORK/first/out/near-tee-keystore.oci.tar" "$WORK/second/out/near-tee-keystore.oci.tar" \
  || { echo "check-reproducible: same manifest digest but different archive bytes" >&2; exit 1; }
echo "check-reproducible: two clean builds gave image $a (${elapsed} s)"
