"""``chiso archive``: export the open data, print a province's long-run facts, and load the
archive into a real installation's database (a separate process on its own SQLite file, as an
administrator runs it); a bad archive is reported and nothing is loaded."""

from __future__ import annotations

import csv
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from chiso.archive import load_archive
from chiso.cli.app import app

runner = CliRunner(env={"COLUMNS": "250"})


def test_export_writes_the_data_its_dictionary_and_its_sources(tmp_path: Path) -> None:
    result = runner.invoke(app, ["archive", "export", "--out", str(tmp_path / "kho.csv")])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "kho.csv",
        "kho.dictionary.csv",
        "kho.sources.csv",
    ]
    with open(tmp_path / "kho.csv", encoding="utf-8-sig") as fh:
        assert sum(1 for _ in csv.reader(fh)) == len(load_archive().figures) + 1


def test_export_takes_the_format_from_the_option(tmp_path: Path) -> None:
    out = tmp_path / "kho"
    result = runner.invoke(app, ["archive", "export", "--out", str(out), "--format", "parquet"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "kho.parquet").exists()


def test_export_refuses_an_unknown_format(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["archive", "export", "--out", str(tmp_path / "a.ods"), "--lang", "en"]
    )
    assert result.exit_code == 2 and "choose one of csv, xlsx, parquet" in result.output
    assert list(tmp_path.iterdir()) == []


def test_facts_of_quang_ninh(tmp_path: Path) -> None:
    result = runner.invoke(app, ["archive", "facts", "Quảng Ninh", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "Times ranked first: 6 (2017, 2018, 2019, 2020, 2022, 2023)" in result.output
    assert "Times ranked first: 5 (2019, 2020, 2021, 2022, 2023)" in result.output  # SIPAS


def test_facts_of_a_name_that_is_no_province() -> None:
    result = runner.invoke(app, ["archive", "facts", "Hà Tây", "--lang", "en"])
    assert result.exit_code == 2 and "'Hà Tây' is not one of the 63 provinces" in result.output


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        CHISO_SECRET_KEY="archive-cli-test-Kd5tR8wQz3NvC7mHp2LbX9fYs6JgA1eUo4Gi",
        CHISO_DATA_DIR=str(tmp_path / "data"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'chiso.sqlite3'}",
        COLUMNS="250",
    )
    return env


def _chiso(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "chiso.cli.app", "archive", *args]
    return subprocess.run(command, env=_env(tmp_path), capture_output=True, text=True, timeout=300)


def test_load_puts_the_archive_and_its_files_into_an_installation(tmp_path: Path) -> None:
    done = _chiso(tmp_path, "load", "--lang", "en")
    assert done.returncode == 0, done.stderr
    count = len(load_archive().figures)
    assert f"Loaded {count} published figures" in done.stderr.replace("\n", " ")
    with sqlite3.connect(tmp_path / "chiso.sqlite3") as db:
        (count,) = db.execute("select count(*) from archive_figure").fetchone()
        (sha,) = db.execute("select sha256 from archive_loaded").fetchone()
    assert count == len(load_archive().figures)
    files = sorted(p.name for p in (tmp_path / "data" / "archive" / sha).iterdir())
    assert files == [
        "chiso-archive.csv",
        "chiso-archive.dictionary.csv",
        "chiso-archive.parquet",
        "chiso-archive.sources.csv",
        "chiso-archive.xlsx",
    ]
    again = _chiso(tmp_path, "load")  # the same archive again changes nothing
    assert again.returncode == 0, again.stderr
    with sqlite3.connect(tmp_path / "chiso.sqlite3") as db:
        assert db.execute("select count(*) from archive_loaded").fetchone() == (1,)


def test_a_bad_archive_is_reported_and_nothing_is_loaded(tmp_path: Path) -> None:
    folder = tmp_path / "kho"
    folder.mkdir()
    (folder / "sources.yaml").write_text("format: 1\nsources: []\n", encoding="utf-8")
    (folder / "a.csv").write_text(
        "index,year,unit_kind,unit,node,value,rank,group,basis,rank_basis,source\n"
        "SIPAS,2023,province,Hà Tây,total,80,,,published,,x\n",
        encoding="utf-8",
    )
    done = _chiso(tmp_path, "load", "--data", str(folder), "--lang", "en")
    assert done.returncode == 1
    assert "'Hà Tây' is not one of the 63 provinces of 2023" in done.stderr
    assert "source 'x' is not in sources.yaml" in done.stderr
    assert not (tmp_path / "chiso.sqlite3").exists()
