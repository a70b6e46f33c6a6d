"""The full-width and other compatibility forms of ``=``, ``+``, ``-`` and ``@`` start a
formula too (issue #19 item 6: a unit named ``＝HYPERLINK(…)`` reached the CSV and XLSX files
untouched). Spreadsheet applications normalise what is typed (a Japanese or Chinese input
method types ``＝``; Excel and LibreOffice take it as ``=``), so a cell is risky when the NFKC
form of its first visible character is a trigger, also after leading spaces, invisible format
characters (zero-width space, byte-order mark) and control characters."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest

from chiso.frameworks import get_framework
from chiso.reports.annex import write_annex_xlsx
from chiso.scoring import compile_plan, score
from chiso.scoring.document import from_results
from chiso.scoring.results import Results
from chiso.tables.formulas import csv_cell, is_risky
from chiso.tables.reading import read_scores
from chiso.tables.writing import csv_text, write_results
from test_cli_score import CUT, GOOD, LEAVES, write_csv

FW = "example-department-2024"

WIDE = [
    '＝HYPERLINK("http://evil.example","bấm")',  # U+FF1D FULLWIDTH EQUALS SIGN
    "＋1+cmd|' /C calc'!A0",  # U+FF0B FULLWIDTH PLUS SIGN
    "－2+3+cmd|' /C calc'!A0",  # U+FF0D FULLWIDTH HYPHEN-MINUS
    "＠SUM(1+1)*cmd|' /C calc'!A0",  # U+FF20 FULLWIDTH COMMERCIAL AT
    "﹦1+1",  # U+FE66 SMALL EQUALS SIGN
    "﹢1+1",  # U+FE62 SMALL PLUS SIGN
    "﹣1+1",  # U+FE63 SMALL HYPHEN-MINUS
    "﹫SUM(1)",  # U+FE6B SMALL COMMERCIAL AT
    "⁼1+1",  # U+207C SUPERSCRIPT EQUALS SIGN
    "₌1+1",  # U+208C SUBSCRIPT EQUALS SIGN
]
HIDDEN_START = [
    " =1+1",
    "\u3000＝1+1",  # ideographic space, then a full-width equals sign
    "\u00a0=1+1",  # no-break space
    "\u200b=1+1",  # zero-width space
    "\ufeff＝1+1",  # byte-order mark
    "\x01=1+1",
    "\n=1+1",
]


@pytest.mark.parametrize("text", WIDE + HIDDEN_START)
def test_a_compatibility_form_of_a_trigger_starts_a_formula(text: str) -> None:
    assert is_risky(text)
    assert csv_cell(text) == "'" + text


@pytest.mark.parametrize(
    "text",
    ["－１", "＋２,５", "１２３", "Ｓở Tư pháp", "Sở ＝ Tư pháp", " Sở Tư pháp", "\u3000", " -1"],
)
def test_numbers_and_ordinary_text_in_full_width_are_left_as_they_are(text: str) -> None:
    """A signed number typed in full width is a number to a spreadsheet, as in ASCII; a
    trigger inside the text is no trigger."""
    assert not is_risky(text)
    assert csv_cell(text) == text


@pytest.fixture
def results(tmp_path: Path) -> Results:
    framework = get_framework(FW)
    rows = [["unit", *LEAVES]] + [
        [f"{name} {i}", *(GOOD if i % 2 else CUT)] for i, name in enumerate(WIDE + HIDDEN_START)
    ]
    source = write_csv(tmp_path / "in.csv", rows)
    plan = compile_plan(framework)
    data = read_scores(str(source), framework, plan, False, [])
    return score(framework, data.units, data.given, data.na, data.ranked, plan)


def test_the_results_csv_neutralises_full_width_formulas(results: Results) -> None:
    """Every unit here is named with a formula (as the reader kept it: trimmed)."""
    cells = [row[0] for row in csv.reader(io.StringIO(csv_text(results, "vi")))][1:]
    assert len(cells) == len(WIDE + HIDDEN_START)
    assert all(c.startswith("'") and c[1:] in results.units for c in cells)


def test_the_results_and_annex_workbooks_keep_full_width_formulas_as_text(
    results: Results, tmp_path: Path
) -> None:
    write_results(results, tmp_path / "results.xlsx", "vi")
    annex = tmp_path / "annex.xlsx"
    write_annex_xlsx(from_results(results), results.framework, annex, "Phụ lục", "vi")
    # a worksheet cannot hold U+0001: that name is written without it (openpyxl refused it)
    names = {u.replace("\x01", "") for u in results.units}
    for path in (tmp_path / "results.xlsx", annex):
        book = openpyxl.load_workbook(path)
        found = [
            c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value in names
        ]
        assert len(found) >= len(names), path.name
        assert all(c.data_type == "s" and c.quotePrefix for c in found), path.name
