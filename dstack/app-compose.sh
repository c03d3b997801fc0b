#!/usr/bin/env bash
# Writes the dstack app compose for one deployment: the image pinned by digest and the profile's
# Keystore settings written literally into the compose file, so that all of them are part of the
# compose hash the DAO approves. (Values given through dstack's encrypted environment are not
# measured: an operator could point a measured image at another RPC or DAO. allowed_envs stays empty.)
#
#   dstack/app-compose.sh --profile dstack/testnet.env --image <registry>/near-tee-keystore@sha256:<digest> > app-compose.json
#
# Then: `Keystore measure --compose app-compose.json` prints its compose hash and the DAO proposal.
set -euo pipefail
PROFILE="" IMAGE="" NAME="near-tee-keystore"
while [ $# -gt 0 ]; do
  case "$1" in
    --profile) PROFILE="$2"; shift 2 ;;
    --image) IMAGE="$2"; shift 2 ;;
    --name) NAME="$2"; shift 2 ;;
    *) echo "app-compose: unknown argument '$1' (see the head of $0)" >&2; exit 2 ;;
  esac
done
[ -f "$PROFILE" ] || { echo "app-compose: --profile FILE is required (dstack/testnet.env, dstack/mainnet.env)" >&2; exit 2; }
[[ "$IMAGE" =~ @sha256:[0-9a-f]{64}$ ]] || { echo "app-compose: --image must be pinned by digest (<name>@sha256:<64 hex>), never by tag" >&2; exit 2; }

exec python3 - "$PROFILE" "$IMAGE" "$NAME" <<'PY'
import json, re, sys
profile, image, name = sys.argv[1:4]
settings = []
for line in open(profile, encoding="utf-8"):
    line = line.rstrip("\n")
    if not line or line.startswith("#") or "=" not in line:
        continue
    key, value = line.split("=", 1)
    if key.startswith("Keystore__") or key == "ASPNETCORE_URLS":
        if not re.fullmatch(r"[A-Za-z0-9_]+", key) or re.search(r"[\s\"'\\$]", value):
            sys.exit(f"app-compose: {key} has a value this script will not quote: {value!r}")
        settings.append((key, value))
# Quoted: YAML 1.1 readers would take 00:00:20 for a base-60 number.
env = "".join(f"      {k}: {json.dumps(v)}\n" for k, v in settings)
compose = (
    "services:\n"
    "  keystore:\n"
    f"    image: {image}\n"
    "    restart: always\n"
    "    ports:\n"
    "      - \"8080:8080\"\n"
    "    volumes:\n"
    "      - /var/run/dstack.sock:/var/run/dstack.sock\n"
    "    environment:\n" + env)
app = {
    "manifest_version": 2,
    "name": name,
    "runner": "docker-compose",
    "docker_compose_file": compose,
    "kms_enabled": False,
    "gateway_enabled": False,
    "local_key_provider_enabled": False,
    "key_provider_id": "",
    "public_logs": True,
    "public_sysinfo": True,
    "public_tcbinfo": True,
    "allowed_envs": [],
    "no_instance_id": False,
    "secure_time": True,
}
sys.stdout.write(json.dumps(app, indent=2) + "\n")
PY
