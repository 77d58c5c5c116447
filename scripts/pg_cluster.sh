# Source this file: starts a throwaway PostgreSQL cluster in a temporary folder on a free
# loopback port, exports DATABASE_URL, and stops and removes the cluster when the shell exits.
# Needs PY (the project's Python) to be set.

PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$PG_BIN" ]; then
  echo "PostgreSQL server binaries not found under /usr/lib/postgresql" >&2
  exit 1
fi

pg_workdir=$(mktemp -d -t portal-pg-XXXXXX)
pg_port=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')

as_pg() {
  # initdb and pg_ctl refuse to run as root: use the postgres account then.
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_cleanup() {
  status=$?
  as_pg "$PG_BIN/pg_ctl" -D "$pg_workdir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$pg_workdir"
  exit $status
}
trap pg_cleanup EXIT INT TERM

if [ "$(id -u)" -eq 0 ]; then chown postgres "$pg_workdir"; fi
as_pg "$PG_BIN/initdb" -D "$pg_workdir/data" -E UTF8 --locale=C.UTF-8 -A trust -U postgres >/dev/null
as_pg "$PG_BIN/pg_ctl" -D "$pg_workdir/data" -l "$pg_workdir/server.log" -w \
  -o "-p $pg_port -k $pg_workdir -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off ${PG_SERVER_OPTIONS:-}" \
  start >/dev/null
as_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres portal
export DATABASE_URL="postgres://postgres@127.0.0.1:$pg_port/portal"
echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$pg_port"
