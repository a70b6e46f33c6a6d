#!/usr/bin/env bash
# The whole test suite: installs chiso with its test dependencies into .venv, then lint, types,
# tests. PostgreSQL at 127.0.0.1:5432 (user postgres) is used where present (.ci/run starts it).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check -e '.[test]'
.venv/bin/ruff check src tests benchmarks
.venv/bin/ruff format --check src tests benchmarks
.venv/bin/mypy
.venv/bin/python -m pytest "$@"
