#!/usr/bin/env bash
# Benchmarks on a throwaway PostgreSQL cluster: they print figures; they are not tests.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
# shellcheck source=scripts/pg_cluster.sh
source scripts/pg_cluster.sh
export DJANGO_SETTINGS_MODULE=portal.settings.dev
$PY manage.py migrate --noinput -v0
$PY manage.py bench_register_import "$@"
