#!/usr/bin/env bash
# The whole test suite: installs chiso with its test dependencies into .venv, then lint, types,
# tests on SQLite, and the web application's tests again on PostgreSQL at 127.0.0.1:5432
# (user postgres; .ci/run starts it, and CI fails without it).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check -e '.[test]'
.venv/bin/ruff check src tests benchmarks
.venv/bin/ruff format --check src tests benchmarks
.venv/bin/mypy
.venv/bin/python -m pytest "$@"
if command -v pg_isready >/dev/null 2>&1 && pg_isready -h 127.0.0.1 -p 5432 -q; then
  echo "--- the web application's tests on PostgreSQL"
  DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres \
    .venv/bin/python -m pytest tests/web "$@"
elif [ -n "${CI:-}" ]; then
  echo "PostgreSQL at 127.0.0.1:5432 is required in CI" >&2
  exit 1
fi
