"""The importers that landed after :mod:`test_importers_fuzz` against files a property-based
search makes (Hypothesis), in its pattern: Word and Excel criteria tables, dossier records
(CSV), and the archive of published figures. Whatever the bytes, an importer returns its
data or raises :class:`Refusal` whose every problem renders in Vietnamese and English; no
other exception, and nothing is written when anything is wrong. (The responsibility map,
imported through the web site's database, is in ``tests/web/test_plans_import_fuzz.py``.)"""

from __future__ import annotations

import csv
import shutil
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from chiso.archive.loading import DATA_DIR, load_archive
from chiso.cli.app import app
from chiso.problems import Refusal
from chiso.records.dossier_import import import_records
from chiso.tables.criteria_tables import import_table
from records_for_tests import COLUMNS, random_records, write_csv
from test_criteria_tables import DOTTED, HEADER, META, ROMAN, write_docx
from test_importers_fuzz import FUZZ, _check, _csv_bytes, _xlsx_safe, cells, mutated


def _table_rows(rows: list[list[str]]) -> list[list[str]]:
    """Rows as Word and Excel can hold them: no control characters, and (Word's table has
    as many columns as the header) a ragged row cut to the header's width."""
    return [[_xlsx_safe(x) for x in r][: len(HEADER)] for r in rows]


def _xlsx_table(path: Path, rows: list[list[str]]) -> Path:
    """A title, then ``rows`` (the header included, so that it is mutated too)."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["BỘ CHỈ SỐ CCHC CÁC SỞ"])
    sheet.append([])
    for row in rows:
        sheet.append([_xlsx_safe(x) for x in row])
    book.save(path)
    return path


@FUZZ
@given(rows=mutated([HEADER, *DOTTED]) | mutated([HEADER, *ROMAN]))
def test_excel_criteria_tables_never_crash_and_the_command_writes_nothing_on_a_problem(
    rows: list[list[str]],
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        table = _xlsx_table(Path(folder) / "bang.xlsx", rows)
        _check(lambda: import_table(table, META))
        out = Path(folder) / "fw.yaml"
        result = CliRunner().invoke(
            app,
            ["frameworks", "import", str(table), "--code", "t", "--subject", "department",
             "--year", "2024", "--out", str(out), "--lang", "en"],
        )  # fmt: skip
        assert result.exit_code in (0, 1), result.output
        assert "Traceback" not in result.output
        if result.exit_code != 0:
            assert not out.exists()


@FUZZ
@given(rows=mutated([HEADER, *ROMAN]) | mutated([HEADER, *DOTTED]))
def test_word_criteria_tables_never_crash(rows: list[list[str]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        table = write_docx(Path(folder) / "bang.docx", _table_rows(rows[1:]))
        _check(lambda: import_table(table, META))


@FUZZ
@given(data=st.binary(max_size=3000), suffix=st.sampled_from(["xlsx", "docx", "xlsm"]))
def test_criteria_tables_of_arbitrary_bytes_never_crash(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"bang.{suffix}"
        path.write_bytes(data)
        _check(lambda: import_table(path, META))


RECORDS = [
    [row[c] for c in COLUMNS] for row in csv.DictReader(open(  # noqa: SIM115
        write_csv(random_records(8, seed=5), Path(tempfile.mkdtemp()) / "r.csv"),
        encoding="utf-8",
    ))
]  # fmt: skip
"""Eight valid dossiers, every column as the records CSV has it."""


@FUZZ
@given(rows=mutated([COLUMNS, *RECORDS]))
def test_dossier_records_never_crash_and_nothing_is_written_on_a_problem(
    rows: list[list[str]],
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source, out = Path(folder) / "ho-so.csv", Path(folder) / "out" / "records"
        source.write_bytes(_csv_bytes(rows))
        written: list[Any] = []
        _check(lambda: written.append(import_records(source, out)))
        if not written:
            assert not out.exists()
            assert not any(p.name.startswith(".chiso-import-") for p in out.parent.glob("*"))


ARCHIVE_ROWS = list(csv.reader(open(DATA_DIR / "par_index.csv", encoding="utf-8")))[:12]  # noqa: SIM115


@FUZZ
@given(rows=mutated(ARCHIVE_ROWS), sources=st.booleans(), extra=cells)
def test_the_archive_loader_never_crashes(rows: list[list[str]], sources: bool, extra: str) -> None:
    """A maintainer's edit of the archive: a mutated table, and maybe a damaged
    ``sources.yaml`` (a line of it replaced)."""
    with tempfile.TemporaryDirectory() as folder:
        directory = Path(folder)
        (directory / "par_index.csv").write_bytes(_csv_bytes(rows))
        shutil.copy(DATA_DIR / "sources.yaml", directory / "sources.yaml")
        if sources:
            lines = (directory / "sources.yaml").read_text(encoding="utf-8").splitlines()
            lines[len(lines) // 2] = extra
            (directory / "sources.yaml").write_text("\n".join(lines), encoding="utf-8")
        _check(lambda: load_archive(directory))


def test_an_input_error_is_what_the_archive_loader_raises_for_an_empty_folder(
    tmp_path: Path,
) -> None:
    try:
        load_archive(tmp_path)
    except Refusal as exc:
        assert {p.rule for p in exc.report} == {"file.not_found"}
    else:
        raise AssertionError("an empty folder is not an archive")
