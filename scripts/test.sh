#!/usr/bin/env bash
# The whole test suite: installs chiso with its test dependencies into .venv, then lint, types,
# tests on SQLite, and beside them the web application's tests again on PostgreSQL at 127.0.0.1:5432
# (user postgres; .ci/run starts it, and CI fails without it).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check -e '.[test]'
.venv/bin/ruff check src tests benchmarks
.venv/bin/ruff format --check src tests benchmarks
.venv/bin/mypy
# The two passes run side by side (one per core): the suite is single-threaded Python, so on a
# two-core machine this halves the wall time of the second pass without sharing any state (each
# pass has its own database, data folder and live-server ports; screenshots are only written).
postgres_log=""
postgres_pid=""
if command -v pg_isready >/dev/null 2>&1 && pg_isready -h 127.0.0.1 -p 5432 -q; then
  postgres_log=$(mktemp)
  DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres \
    .venv/bin/python -m pytest tests/web -p no:cacheprovider "$@" >"$postgres_log" 2>&1 &
  postgres_pid=$!
  # stopped with the script (Ctrl+C, a failed step): no pass left running behind it
  trap 'kill "$postgres_pid" 2>/dev/null || true' EXIT
elif [ -n "${CI:-}" ]; then
  echo "PostgreSQL at 127.0.0.1:5432 is required in CI" >&2
  exit 1
fi
echo "--- the whole suite on SQLite"
sqlite_status=0
.venv/bin/python -m pytest "$@" || sqlite_status=$?
postgres_status=0
if [ -n "$postgres_pid" ]; then
  wait "$postgres_pid" || postgres_status=$?
  echo "--- the web application's tests on PostgreSQL"
  cat "$postgres_log"
  rm -f "$postgres_log"
fi
[ "$sqlite_status" -eq 0 ] && [ "$postgres_status" -eq 0 ]
