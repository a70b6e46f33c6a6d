"""Files chiso writes appear whole or not at all, and with the permissions any other program's
files get: the user's umask decides who may read them (a results table made for colleagues is
not private to its maker), except where chiso says otherwise (a backup, which holds every
account)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from chiso.tables.atomic import atomic_target


@pytest.fixture
def umask() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_written_file_gets_the_mode_the_umask_gives(tmp_path: Path, umask: None) -> None:
    target = tmp_path / "values.csv"
    with atomic_target(target) as tmp, open(tmp, "w", encoding="utf-8") as fh:
        fh.write("unit,node,value\n")
    assert _mode(target) == 0o644
    os.umask(0o077)
    with atomic_target(target) as tmp, open(tmp, "w", encoding="utf-8") as fh:
        fh.write("unit,node,value\n")
    assert _mode(target) == 0o600


def test_a_private_file_stays_private_whatever_the_umask(tmp_path: Path, umask: None) -> None:
    target = tmp_path / "backup.tar.gz"
    with atomic_target(target, mode=0o600) as tmp:
        Path(tmp).write_bytes(b"x")
    assert _mode(target) == 0o600


def test_a_failed_write_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "values.csv"
    with pytest.raises(RuntimeError), atomic_target(target) as tmp:
        Path(tmp).write_text("half")
        raise RuntimeError
    assert list(tmp_path.iterdir()) == []


def test_a_command_writes_its_table_with_the_umasks_mode(tmp_path: Path, umask: None) -> None:
    from typer.testing import CliRunner

    from chiso.cli.app import app

    out = tmp_path / "demo"
    result = CliRunner().invoke(app, ["demo", "--out", str(out)])
    assert result.exit_code == 0, result.output
    written = [p for p in out.rglob("*") if p.is_file()]
    assert written and {_mode(p) for p in written} == {0o644}
