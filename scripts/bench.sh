#!/usr/bin/env bash
# Benchmarks on a throwaway PostgreSQL cluster: they print figures; they are not tests.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
# Memory for a database server of its own (PostgreSQL's defaults are 128 MB and 4 MB, sized for a
# shared machine): the search benchmark's 100,000 documents make a GIN index of ~300 MB.
export PG_SERVER_OPTIONS=${PG_SERVER_OPTIONS:-"-c shared_buffers=512MB -c work_mem=16MB -c maintenance_work_mem=256MB"}
# shellcheck source=scripts/pg_cluster.sh
source scripts/pg_cluster.sh
# Test settings: DEBUG off from start-up (as in production), mail kept in memory.
export DJANGO_SETTINGS_MODULE=portal.settings.test
$PY manage.py migrate --noinput -v0
$PY manage.py seed_demo > /dev/null
echo "== Register import =="
[ -n "${SKIP_IMPORT_BENCH:-}" ] || $PY manage.py bench_register_import
echo "== Directory and partners =="
$PY manage.py bench_directory "$@"
echo "== Questionnaire submissions =="
$PY manage.py bench_questionnaire --seconds "${QUESTIONNAIRE_BENCH_SECONDS:-60}"
echo "== Activity dashboard =="
# Its own database (demo data plus the generated register), apart from the directory's 10,000.
as_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres dashboard
dashboard_db="postgres://postgres@127.0.0.1:$pg_port/dashboard"
DATABASE_URL="$dashboard_db" $PY manage.py migrate --noinput -v0
DATABASE_URL="$dashboard_db" $PY manage.py seed_demo > /dev/null
DATABASE_URL="$dashboard_db" $PY manage.py bench_dashboard \
  --coordinators "${DASHBOARD_BENCH_COORDINATORS:-10000}" --cases "${DASHBOARD_BENCH_CASES:-5000}" \
  --answers "${DASHBOARD_BENCH_ANSWERS:-50000}" --prefecture JP-13
echo "== Search (PostgreSQL) =="
$PY manage.py bench_search --documents "${SEARCH_BENCH_DOCUMENTS:-100000}"
echo "== Search (SQLite) =="
sqlite_db=$(mktemp -d)/bench.sqlite3
DATABASE_URL="sqlite:///$sqlite_db" $PY manage.py migrate --noinput -v0
DATABASE_URL="sqlite:///$sqlite_db" $PY manage.py bench_search --documents "${SEARCH_BENCH_DOCUMENTS:-100000}"
rm -rf "$(dirname "$sqlite_db")"
