"""Cells that a spreadsheet would run as formulas, made harmless (OWASP's "CSV injection").

Text typed by officers, appraisers and administrators (reasons, messages, evidence and unit
names) reaches the CSV and XLSX files chiso writes. A cell that begins with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return is read by Excel and LibreOffice as a formula
(``=HYPERLINK(…)``, ``=2+5+cmd|' calc'!A0``). Every writer of a CSV or XLSX file passes its
cells through this module:

- in CSV, such a text gets a leading apostrophe (what OWASP recommends; the apostrophe is what
  a spreadsheet itself shows for text typed after ``'``);
- in XLSX, every text cell is written as text (never as a ``<f>`` formula) and a risky one is
  marked with Excel's quote prefix, so it stays text when someone edits it, and reads back
  unchanged.

A signed number written as text (``-1``, ``+2,5``, ``-0.75``) is a number to a spreadsheet,
not a formula, and is left as it is, so survey answers and Vietnamese decimals keep their
meaning."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?(?:[eE][+-]?[0-9]+)?")


def is_risky(text: str) -> bool:
    """True when a spreadsheet would read ``text`` as a formula."""
    return text.startswith(TRIGGERS) and _PLAIN_NUMBER.fullmatch(text) is None


def csv_cell(value: Any) -> Any:
    """A CSV cell: a risky text with a leading apostrophe, anything else unchanged."""
    if isinstance(value, str) and is_risky(value):
        return "'" + value
    return value


def csv_row(row: Iterable[Any]) -> list[Any]:
    """Every cell of a CSV row through :func:`csv_cell`."""
    return [csv_cell(x) for x in row]


def append_row(sheet: Any, row: Iterable[Any]) -> None:
    """Append ``row`` to an openpyxl worksheet with every text cell written as text (openpyxl
    would store a text that begins with ``=`` as a live formula) and a risky one quote-prefixed.

    The text cells are made before they are appended (``append`` takes cells as they are), so
    appending stays constant-time: finding the row again through ``max_row`` scans every cell
    of the sheet and made a 30,000-row workbook quadratic."""
    from openpyxl.cell.cell import Cell

    cells: list[Any] = []
    for value in row:
        if isinstance(value, str):
            cell = Cell(sheet, value=value)
            text_cell(cell)
            cells.append(cell)
        else:
            cells.append(value)
    sheet.append(cells)


def text_cell(cell: Any) -> None:
    """Make one openpyxl cell that holds text a text cell (for cells set one by one)."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
        if is_risky(cell.value):
            cell.quotePrefix = True
