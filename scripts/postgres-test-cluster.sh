#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: Debian's postgresql, a temporary directory, the unprivileged
# `postgres` user (or `nobody`), trust auth on 127.0.0.1 only, a free port. Nothing outside the directory is touched.
#
#   eval "$(bash scripts/postgres-test-cluster.sh start)"   # exports KEYSTORE_TEST_POSTGRES and KEYSTORE_TEST_POSTGRES_DIR
#   bash scripts/postgres-test-cluster.sh stop "$KEYSTORE_TEST_POSTGRES_DIR"
set -euo pipefail

bin_dir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$d" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return; }
  return 1
}

as_user() { # run as the unprivileged cluster owner when we are root
  if [ "$(id -u)" -eq 0 ]; then runuser -u "$PG_USER" -- "$@"; else "$@"; fi
}

case "${1:-}" in
  start)
    if ! bin=$(bin_dir); then
      echo "postgres-test-cluster: apt-get install postgresql" >&2
      SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
      $SUDO apt-get update -qq >&2
      DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends postgresql >/dev/null
      bin=$(bin_dir)
    fi
    PG_USER=$(id -un)
    if [ "$(id -u)" -eq 0 ]; then PG_USER=postgres; id postgres >/dev/null 2>&1 || PG_USER=nobody; fi
    dir=$(mktemp -d /tmp/keystore-pg.XXXXXX)
    chmod 0755 "$dir"
    [ "$(id -u)" -eq 0 ] && chown "$PG_USER" "$dir"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
    as_user "$bin/initdb" -D "$dir/data" -A trust -U keystore -E UTF8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    as_user "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off" start >/dev/null \
      || { cat "$dir/server.log" >&2; exit 1; }
    echo "export KEYSTORE_TEST_POSTGRES='Host=127.0.0.1;Port=$port;Username=keystore;Database=postgres;Maximum Pool Size=50'"
    echo "export KEYSTORE_TEST_POSTGRES_DIR='$dir'"
    ;;
  stop)
    dir="${2:-${KEYSTORE_TEST_POSTGRES_DIR:-}}"
    [ -n "$dir" ] && [ -d "$dir/data" ] || { echo "postgres-test-cluster: no cluster directory given" >&2; exit 1; }
    bin=$(bin_dir)
    PG_USER=$(stat -c %U "$dir/data")
    as_user "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start | stop DIR" >&2
    exit 2
    ;;
esac
