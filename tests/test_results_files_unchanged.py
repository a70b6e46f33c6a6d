"""What ``chiso score --out`` writes, byte for byte (JSON and CSV) and cell for cell (XLSX,
whose zip carries the time it was made): scripts and spreadsheets read these files, and a
refactoring of the results document must not move a byte of them. The golden files were
written by the code before the document had a class (regenerate with
``CHISO_REGENERATE_GOLDEN=1`` only for a change that is meant)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from chiso.tables.writing import write_results
from results_sample import sample_results

GOLDEN = Path(__file__).parent / "golden" / "results"
TEXT_FORMATS = [("json", "vi"), ("json", "en"), ("csv", "vi"), ("csv", "en")]


def _check(name: str, data: bytes) -> None:
    path = GOLDEN / name
    if os.environ.get("CHISO_REGENERATE_GOLDEN"):
        path.write_bytes(data)
    assert data == path.read_bytes(), name


@pytest.mark.parametrize(("suffix", "lang"), TEXT_FORMATS)
def test_score_out_writes_the_same_bytes(tmp_path: Path, suffix: str, lang: str) -> None:
    target = tmp_path / f"results.{suffix}"
    write_results(sample_results(), target, lang)
    _check(f"score-{lang}.{suffix}", target.read_bytes())


def _cells(path: Path) -> str:
    book = openpyxl.load_workbook(path)
    lines: list[Any] = []
    for sheet in book.worksheets:
        lines.append(f"[{sheet.title}] freeze={sheet.freeze_panes}")
        for row in sheet.iter_rows():
            lines.append(
                " | ".join(
                    f"{c.value!r}{'' if c.number_format == 'General' else ' ' + c.number_format}"
                    f"{' bold' if c.font and c.font.b else ''}"
                    for c in row
                )
            )
    return "\n".join(str(x) for x in lines) + "\n"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_score_out_writes_the_same_workbook(tmp_path: Path, lang: str) -> None:
    target = tmp_path / "results.xlsx"
    write_results(sample_results(), target, lang)
    _check(f"score-{lang}.xlsx.txt", _cells(target).encode("utf-8"))
