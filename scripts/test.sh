#!/usr/bin/env bash
# Run the whole suite on a throwaway PostgreSQL cluster, then the smoke tests on SQLite.
# The cluster lives in a temporary folder on a free loopback port and is always stopped.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
# shellcheck source=scripts/pg_cluster.sh
source scripts/pg_cluster.sh

export PORTAL_BROWSER=${PORTAL_BROWSER:-/usr/bin/chromium}

echo "== Whole suite on PostgreSQL =="
PORTAL_TEST_EXPECT_DB=postgresql $PY -m pytest "$@"

echo "== Smoke tests on the embedded default (SQLite) =="
env -u DATABASE_URL PORTAL_TEST_EXPECT_DB=sqlite $PY -m pytest -m smoke "$@"
