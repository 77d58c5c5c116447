#!/usr/bin/env bash
# Run the whole suite on a throwaway PostgreSQL cluster, then the smoke tests on SQLite.
# The cluster lives in a temporary folder on a free loopback port and is always stopped.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$PG_BIN" ]; then
  echo "PostgreSQL server binaries not found under /usr/lib/postgresql" >&2
  exit 1
fi

workdir=$(mktemp -d -t portal-pg-XXXXXX)
port=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')

as_pg() {
  # initdb and pg_ctl refuse to run as root: use the postgres account then.
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

cleanup() {
  status=$?
  as_pg "$PG_BIN/pg_ctl" -D "$workdir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$workdir"
  exit $status
}
trap cleanup EXIT INT TERM

if [ "$(id -u)" -eq 0 ]; then chown postgres "$workdir"; fi
as_pg "$PG_BIN/initdb" -D "$workdir/data" -E UTF8 --locale=C.UTF-8 -A trust -U postgres >/dev/null
as_pg "$PG_BIN/pg_ctl" -D "$workdir/data" -l "$workdir/server.log" -w \
  -o "-p $port -k $workdir -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" \
  start >/dev/null
"$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres portal 2>/dev/null \
  || as_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres portal
echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"

export PORTAL_BROWSER=/usr/bin/chromium

echo "== Whole suite on PostgreSQL =="
DATABASE_URL="postgres://postgres@127.0.0.1:$port/portal" PORTAL_TEST_EXPECT_DB=postgresql \
  $PY -m pytest "$@"

echo "== Smoke tests on the embedded default (SQLite) =="
env -u DATABASE_URL PORTAL_TEST_EXPECT_DB=sqlite $PY -m pytest -m smoke "$@"
