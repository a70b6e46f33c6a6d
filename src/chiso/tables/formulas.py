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

Spreadsheet applications normalise what is typed into them: a Japanese or Chinese input
method types the full-width ``＝``, ``＋``, ``－`` and ``＠`` (and there are small, superscript
and subscript forms), which they take as the ASCII ones, and they skip leading spaces. So a
text is risky when the first character that is not a space, an invisible format character
(zero-width space, byte-order mark) or a control character is, in its NFKC form, one of the
four triggers (issue #19: a unit named ``＝HYPERLINK(…)`` reached the files untouched).

A signed number written as text (``-1``, ``+2,5``, ``-0.75``, full-width ``－１``) is a number
to a spreadsheet, not a formula, and is left as it is, so survey answers and Vietnamese
decimals keep their meaning.

Characters that a worksheet cannot hold at all (the C0 control characters other than tab,
line feed and carriage return) are left out of the text of an XLSX cell: openpyxl refuses
them, and a unit name holding one stopped the whole workbook."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_STARTS = frozenset("=+-@")
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?(?:[eE][+-]?[0-9]+)?")
_ORDINARY_ASCII = frozenset(chr(c) for c in range(0x21, 0x7F)) - _STARTS
"""A first character that settles it at once: most cells begin with one."""
_NOT_IN_WORKSHEETS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _skipped(char: str) -> bool:
    """A character a spreadsheet passes over before it looks for a formula."""
    return char.isspace() or unicodedata.category(char) in ("Cc", "Cf")


def is_risky(text: str) -> bool:
    """True when a spreadsheet would read ``text`` as a formula."""
    if not text or text[0] in _ORDINARY_ASCII:
        return False
    if text.startswith(TRIGGERS) and _PLAIN_NUMBER.fullmatch(text) is None:
        return True
    start = next((i for i, c in enumerate(text) if not _skipped(c)), len(text))
    if start == len(text) or unicodedata.normalize("NFKC", text[start])[:1] not in _STARTS:
        return False
    return _PLAIN_NUMBER.fullmatch(unicodedata.normalize("NFKC", text[start:])) is None


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
            cell = Cell(sheet, value=_NOT_IN_WORKSHEETS.sub("", value))
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
