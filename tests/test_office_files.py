"""Word and Excel files are opened within bounds (issue #19): a file that costs far more to
open than its size says is refused before it is opened, in the one place that opens office
files, with a problem naming the file and the rule; one within the bounds is read in a time
and memory proportional to what it holds.

Each attack is built here (:mod:`office_bombs`) and run through the reader a user reaches
(the score and points table, the criteria table), in a forked copy of the test process whose
processor time and peak memory are measured: the budget is the issue's, 2 s and 200 MB for a
file under 2 MB. Before the office layer these cost 17–90 s and up to 600 MB."""

from __future__ import annotations

from pathlib import Path

import pytest

from chiso.tables.criteria_tables import import_table
from chiso.tables.sources import open_table
from office_bombs import (
    cost,
    merged_ranges_bomb,
    shared_strings_bomb,
    sheet_cells_bomb,
    word_table,
    workbook,
    write,
)
from test_criteria_tables import DOTTED, HEADER, META

LIMIT = 15.0
"""Seconds after which a measured reading is stopped (the attacks took 17 s and more)."""

SCORES = workbook([["unit", "node", "value"], ["Sở Tư pháp", "1.1", 1]])
CRITERIA = workbook([["BỘ CHỈ SỐ"], [], HEADER, *DOTTED], merges=("E6:E7",))


def _rows(path: Path) -> int:
    return sum(1 for _ in open_table(path).rows)


def test_shared_strings_that_unzip_to_20_mb_are_refused_before_the_workbook_is_opened(
    tmp_path: Path,
) -> None:
    """The sheet upload's attack: 56 KB whose shared strings unzip to 20 MB of one-letter
    strings took 17–25 s and 112 MB to open, by the score reader and the criteria tables
    alike; the compression ratio (about 380) gives it away in the zip's directory."""
    path = write(tmp_path / "bom.xlsx", shared_strings_bomb(SCORES, 20))
    assert path.stat().st_size < 100_000
    for read in (lambda: _rows(path), lambda: import_table(path, META)):
        spent = cost(read, LIMIT)
        assert spent.outcome == "InputError: file.compression_ratio", spent
        assert spent.within(), spent


def test_a_sheet_of_300000_cells_under_the_ratio_cap_is_refused_by_its_element_count(
    tmp_path: Path,
) -> None:
    """One row of number cells: 20 MB of them unzipped took 23 s and 630 MB, as openpyxl
    parses every cell of a row however few are wanted. Here 6 MB of numbers that do not
    repeat (about 300,000 cells) keep the ratio near 3 and the file under 2 MB, so the count
    of XML elements is what refuses it."""
    path = write(tmp_path / "rong.xlsx", sheet_cells_bomb(SCORES, 6, varied=True))
    assert path.stat().st_size < 2 * 2**20
    spent = cost(lambda: _rows(path), LIMIT)
    assert spent.outcome == "InputError: file.too_many_elements", spent
    assert spent.within(), spent


def test_merged_ranges_are_summed_before_any_is_expanded(tmp_path: Path) -> None:
    """Five merges of 199,000 cells each, every one under the old per-range limit of
    200,000, in a 5 KB criteria table: 24–28 s and 330–660 MB before the refusal, since
    openpyxl expanded the merges when it loaded the workbook."""
    ranges = tuple(f"{column}20:{column}199019" for column in "FGHIJ")
    path = write(tmp_path / "gop.xlsx", merged_ranges_bomb(CRITERIA, ranges))
    spent = cost(lambda: import_table(path, META, "gop.xlsx"), LIMIT)
    assert spent.outcome == "InputError: table.merge_too_large", spent
    assert spent.within(), spent


def test_a_word_column_merged_down_2500_rows_is_read_without_recursion(tmp_path: Path) -> None:
    """python-docx followed a vertical merge cell by cell, recursively: RecursionError after
    56–90 s (reported as an unreadable file). The table itself is sound and is read."""
    rows = [HEADER] + [[str(i), f"Tiêu chí {i}", "1", "", ""] for i in range(1, 2501)]
    path = write(tmp_path / "gop.docx", word_table(rows, merged_column=3))
    spent = cost(lambda: import_table(path, META, "gop.docx"), LIMIT)
    assert spent.outcome == "ok", spent
    assert spent.within(), spent


def test_a_fault_in_the_criteria_table_reader_is_raised_not_called_an_unreadable_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A damaged file is the user's problem and is reported as such; a fault of chiso's own
    code is not a damaged file, and must reach the logs and the tests as itself."""
    import chiso.tables.criteria_tables as criteria_tables

    def broken(value: float, number_format: str) -> str | None:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(criteria_tables, "shown_digits", broken)
    table = workbook([["BỘ CHỈ SỐ"], [], HEADER, ["1", "Chỉ đạo", 2.5, "", ""]])
    path = write(tmp_path / "so.xlsx", table)
    with pytest.raises(ZeroDivisionError):
        import_table(path, META, "so.xlsx")
