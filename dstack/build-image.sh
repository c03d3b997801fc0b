#!/usr/bin/env bash
# Builds the keystore's OCI image with Debian's own tools (mmdebstrap, umoci) and no container
# registry, and prints its digest: the sha256 of the image manifest, which the app compose pins as
# `image: <registry>/near-tee-keystore@sha256:<digest>` and which therefore ends up in the compose
# hash the DAO approves. The same commit gives the same digest (dstack/check-reproducible.sh builds
# twice and compares).
#
#   dstack/build-image.sh [--out DIR] [--update-lock] [--rootfs-dir DIR]
#
#   --out DIR         where near-tee-keystore.oci.tar and its digest go (default dstack/out)
#   --update-lock     accept the Debian package versions the mirror serves today and write them
#                     to dstack/rootfs.lock (otherwise a different version stops the build)
#   --rootfs-dir DIR  also unpack the image's file tree into DIR (the Dockerfile copies it)
#
# What pins the bytes:
#   - the app: `dotnet publish -r linux-x64 --self-contained` with the SDK named in dstack/rootfs.lock
#     (the runtime packs come from NuGet at the SDK's version), deterministic, paths mapped to /_/;
#   - the root file system: Debian bookworm, every package at the version in dstack/rootfs.lock
#     (the explicit ones below are pinned on the command line, the rest are checked after the fact);
#     set DEBIAN_SNAPSHOT=20251201T000000Z to build from snapshot.debian.org where it is reachable;
#   - time: SOURCE_DATE_EPOCH (default: the commit time of HEAD) for every mtime, the image's
#     `created` and its history; tar with sorted names, numeric owner 0, no atime/ctime.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="$ROOT/dstack/out"
UPDATE_LOCK=0
ROOTFS_DIR=""
while [ $# -gt 0 ]; do
  case "$1" in
    --out) OUT="$(mkdir -p "$2" && cd "$2" && pwd)"; shift 2 ;;
    --update-lock) UPDATE_LOCK=1; shift ;;
    --rootfs-dir) ROOTFS_DIR="$2"; shift 2 ;;
    *) echo "build-image: unknown argument '$1' (see the head of $0)" >&2; exit 2 ;;
  esac
done

LOCK="$ROOT/dstack/rootfs.lock"
IMAGE_NAME="near-tee-keystore"
APP_UID=10001
# Debian packages the keystore needs besides the essential set: libsecp256k1 (secp256k1 signing,
# P/Invoke), libssl3 + ca-certificates (TLS to NEAR RPC and the PCCS), libstdc++6 (the .NET host).
# libicu is not needed: the keystore runs with InvariantGlobalization. libsodium is the one in NSec's
# NuGet runtime assets (libsodium 1.0.22): NSec 26 refuses bookworm's libsodium23 (1.0.18) with
# "Expected libsodium 1.0.22 but found 1.0.18", so the Debian package would be dead weight.
PINNED_PACKAGES=(libsecp256k1-1 libssl3 ca-certificates libstdc++6)

for tool in dotnet mmdebstrap umoci tar sha256sum python3; do
  command -v "$tool" >/dev/null || { echo "build-image: '$tool' is missing (apt-get install mmdebstrap umoci; the .NET SDK from scripts/install-deps.sh)" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "build-image: run as root (mmdebstrap builds the root file system in root mode)" >&2; exit 1; }

export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git -C "$ROOT" log -1 --format=%ct 2>/dev/null || echo 0)}"
export TZ=UTC LC_ALL=C.UTF-8 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
umask 022
REVISION="${KEYSTORE_REVISION:-$(git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo unknown)}"
CREATED="$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)"

lock_value() { [ -f "$LOCK" ] && sed -n "s/^$1 //p" "$LOCK" | head -1 || true; }

SDK_VERSION="$(dotnet --version)"
LOCKED_SDK="$(lock_value sdk)"
if [ "$UPDATE_LOCK" = 0 ] && [ -n "$LOCKED_SDK" ] && [ "$SDK_VERSION" != "$LOCKED_SDK" ]; then
  echo "build-image: the .NET SDK is $SDK_VERSION but dstack/rootfs.lock pins $LOCKED_SDK (its runtime packs decide the image bytes); install that SDK or run with --update-lock" >&2
  exit 1
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/keystore-image.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

# 1. The app, self-contained: no SDK, runtime or package download when the container starts.
echo "build-image: publishing the keystore (SDK $SDK_VERSION, SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH)" >&2
dotnet publish "$ROOT/src/Keystore/Keystore.csproj" -c Release -r linux-x64 --self-contained \
  -o "$WORK/app" -p:ContinuousIntegrationBuild=true -p:Deterministic=true "-p:PathMap=$ROOT/=/_/" \
  -p:DebugType=embedded -p:UseAppHost=true -p:GenerateDocumentationFile=false -nologo -v:q >&2
# The web SDK's development-time files do not belong in a production image.
rm -f "$WORK/app"/appsettings.Development.json "$WORK/app"/*.staticwebassets.*.json
# libsodium from NSec's NuGet assets is the one NSec is built and tested against; the runtime finds it here.
[ -f "$WORK/app/libsodium.so" ] || { echo "build-image: the publish has no libsodium.so (NSec's runtime asset)" >&2; exit 1; }

# 2. The root file system, with the app in /app owned by root (read-only to the keystore user).
SUITE_URL="http://deb.debian.org/debian"
SECURITY_URL="http://deb.debian.org/debian-security"
APTOPTS=()
if [ -n "${DEBIAN_SNAPSHOT:-}" ]; then
  SUITE_URL="http://snapshot.debian.org/archive/debian/$DEBIAN_SNAPSHOT"
  SECURITY_URL="http://snapshot.debian.org/archive/debian-security/$DEBIAN_SNAPSHOT"
  APTOPTS=(--aptopt='Acquire::Check-Valid-Until "false"')
fi
INCLUDES=()
for p in "${PINNED_PACKAGES[@]}"; do
  v="$(lock_value "pkg $p")"
  if [ "$UPDATE_LOCK" = 0 ] && [ -n "$v" ]; then INCLUDES+=("$p=$v"); else INCLUDES+=("$p"); fi
done
echo "build-image: building the root file system (mmdebstrap --variant=essential: ${INCLUDES[*]})" >&2
mmdebstrap --variant=essential --mode=root --format=tar \
  "${APTOPTS[@]}" \
  --include="$(IFS=,; echo "${INCLUDES[*]}")" \
  --customize-hook='rm -f "$1"/etc/resolv.conf "$1"/etc/hostname' \
  --customize-hook="chroot \"\$1\" dpkg-query -W -f '\${Package} \${Version}\n' > '$WORK/packages.txt'" \
  --customize-hook="mkdir -p \"\$1\"/app && cp -a '$WORK/app/.' \"\$1\"/app/ && chown -R 0:0 \"\$1\"/app && chmod -R u+rwX,go+rX,go-w \"\$1\"/app" \
  --customize-hook="echo 'keystore:x:$APP_UID:$APP_UID:NEAR TEE keystore:/nonexistent:/usr/sbin/nologin' >> \"\$1\"/etc/passwd" \
  --customize-hook="echo 'keystore:x:$APP_UID:' >> \"\$1\"/etc/group" \
  --customize-hook="echo 'keystore:!*:::::::' >> \"\$1\"/etc/shadow" \
  --customize-hook='rm -rf "$1"/var/cache/* "$1"/var/lib/apt/lists/* "$1"/var/log/*' \
  bookworm "$WORK/rootfs.tar" \
  "deb $SUITE_URL bookworm main" "deb $SUITE_URL bookworm-updates main" "deb $SECURITY_URL bookworm-security main" >&2

# 3. Every package at its locked version (the essential set is chosen by the mirror, so check it all).
{ echo "sdk $SDK_VERSION"; sort "$WORK/packages.txt" | sed 's/^/pkg /'; } > "$WORK/rootfs.lock"
if [ "$UPDATE_LOCK" = 1 ] || [ ! -f "$LOCK" ]; then
  { echo "# dstack/build-image.sh: the .NET SDK and every Debian package (bookworm) in the image."
    echo "# Regenerate with dstack/build-image.sh --update-lock; the image digest changes with it."
    cat "$WORK/rootfs.lock"; } > "$LOCK"
  echo "build-image: wrote $LOCK" >&2
elif ! diff -u <(grep -v '^#' "$LOCK") "$WORK/rootfs.lock" >&2; then
  echo "build-image: the mirror's packages differ from dstack/rootfs.lock (above); the image would not be the approved one. Rebuild from the snapshot (DEBIAN_SNAPSHOT) or accept with --update-lock." >&2
  exit 1
fi

# 4. The OCI image: one layer (the root file system tar as mmdebstrap wrote it), config and history
#    dated SOURCE_DATE_EPOCH; umoci gc drops the intermediate blobs of each edit.
OCI="$WORK/oci"
umoci init --layout "$OCI"
umoci new --image "$OCI:$IMAGE_NAME"
umoci raw add-layer --image "$OCI:$IMAGE_NAME" --history.created "$CREATED" \
  --history.created_by "dstack/build-image.sh: mmdebstrap bookworm + dotnet publish" "$WORK/rootfs.tar"
umoci config --image "$OCI:$IMAGE_NAME" --no-history --created "$CREATED" --author "near-tee-keystore" \
  --architecture amd64 --os linux --config.user "$APP_UID:$APP_UID" --config.workingdir /app \
  --config.entrypoint /app/Keystore --config.exposedports 8080/tcp \
  --config.env "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  --config.env "ASPNETCORE_URLS=http://0.0.0.0:8080" --config.env "DOTNET_CLI_TELEMETRY_OPTOUT=1" \
  --config.env "DOTNET_gcServer=0" \
  --config.label "org.opencontainers.image.title=$IMAGE_NAME" \
  --config.label "org.opencontainers.image.revision=$REVISION"
umoci gc --layout "$OCI"

DIGEST="$(python3 -c 'import json,sys; m=json.load(open(sys.argv[1]))["manifests"]; assert len(m)==1, m; print(m[0]["digest"])' "$OCI/index.json")"
mkdir -p "$OUT"
tar --sort=name --mtime="@$SOURCE_DATE_EPOCH" --clamp-mtime --owner=0 --group=0 --numeric-owner --mode=a+rX,u+w,go-w --format=pax \
  --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime -C "$OCI" -cf "$OUT/$IMAGE_NAME.oci.tar" .
echo "$DIGEST" > "$OUT/$IMAGE_NAME.digest"
cp "$LOCK" "$OUT/rootfs.lock"

if [ -n "$ROOTFS_DIR" ]; then
  mkdir -p "$ROOTFS_DIR"
  tar -C "$ROOTFS_DIR" --numeric-owner -xpf "$WORK/rootfs.tar"
fi

echo "build-image: $OUT/$IMAGE_NAME.oci.tar (archive sha256 $(sha256sum "$OUT/$IMAGE_NAME.oci.tar" | cut -d' ' -f1))" >&2
echo "$DIGEST"
