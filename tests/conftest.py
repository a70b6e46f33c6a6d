"""Shared test fixtures: where the published data lives, and the real PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# the published tables and boundaries the tests compare with, carried in the project with their
# sources and licences (tests/fixtures/published/README.md)
PUBLISHED = ROOT / "tests" / "fixtures" / "published"


def published_file(*parts: str) -> Path:
    """A published data file carried in tests/fixtures/published (papi/, geo/)."""
    path = PUBLISHED.joinpath(*parts)
    if not path.exists():
        pytest.fail(f"published test data not found: {path}")
    return path


def require_tool(command: str, package: str) -> str:
    """The path of ``command``, which .ci/run installs: missing in CI is a failure, elsewhere a
    skip (the golden outputs or the other tests stand in for it)."""
    import shutil

    path = shutil.which(command)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{package} is required in CI: .ci/run installs it ({command} missing)")
        pytest.skip(f"{package} ({command}) is not installed here")
    return path


@pytest.fixture(scope="session")
def pg() -> Iterator[object]:
    """A connection to the real PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth).

    CI (.ci/run) makes sure the server runs; outside CI a missing server skips these tests.
    """
    psycopg = pytest.importorskip("psycopg")
    dsn = os.environ.get("CHISO_TEST_PG", "host=127.0.0.1 port=5432 user=postgres dbname=postgres")
    try:
        conn = psycopg.connect(dsn, connect_timeout=5)
    except psycopg.OperationalError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI: {exc}")
        pytest.skip(f"no PostgreSQL at {dsn}: {exc}")
    yield conn
    conn.close()
