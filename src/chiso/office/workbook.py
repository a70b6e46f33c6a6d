"""An Excel workbook opened within bounds: read-only, rows streamed, merges summed unexpanded.

openpyxl's ordinary mode makes an object for every cell and every cell a merge covers when it
loads a workbook, so one ``A1:XFD1048576`` merge (or five of 199,000 cells) costs minutes and
gigabytes before any check can run. Here a workbook is always opened read-only, after
:func:`~chiso.office.archive.check_archive`; rows come one at a time, counted against the
bounds on rows and cells (the empty rows and cells openpyxl fills in included); the sheet's
declared extent is not trusted to pad rows; and merged ranges, which read-only mode ignores,
are read from the sheet's XML and summed by arithmetic, never expanded, when asked for.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from chiso.office.archive import Source, check_archive, malformed, opened, unreadable
from chiso.office.limits import UPLOAD, Limits
from chiso.problems import ProblemReport, Refusal

Range = tuple[int, int, int, int]
"""A rectangle of cells: first column, first row, last column, last row (from 1)."""

_MERGE = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?mergeCell\b[^<>]{0,512}?\bref\s*=\s*[\"']([^\"'<>]{1,64})[\"']"
)
"""A ``mergeCell`` element's range. The attribute is looked for before the element's end (or
the next element), so the search stays linear whatever the part holds."""


def _refuse(rule: str, shown: str, row: int | None = None, **params: Any) -> Refusal:
    report = ProblemReport()
    report.add(rule, shown, row, **params)
    return Refusal(report)


def column_letters(number: int) -> str:
    """The letters of column ``number`` (from 1): A … Z, AA … XFD, and on past Excel's last
    column, since a file may hold cells beyond it (openpyxl's own function refuses those)."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def range_text(area: Range) -> str:
    low_col, low_row, high_col, high_row = area
    return f"{column_letters(low_col)}{low_row}:{column_letters(high_col)}{high_row}"


def cells_in(area: Range) -> int:
    low_col, low_row, high_col, high_row = area
    return (high_row - low_row + 1) * (high_col - low_col + 1)


@dataclass
class Sheet:
    """One worksheet. ``shown`` names it in problems: ``file, sheet 'title'``."""

    title: str
    shown: str
    declared: Range | None
    """The extent the sheet's ``dimension`` declares (a claim, checked as rows are read)."""
    _worksheet: Any
    _book: Workbook

    def rows(self, max_col: int | None = None) -> Iterator[tuple[int, tuple[Any, ...]]]:
        """(row number from 1, the values of its cells up to its last one, or up to
        ``max_col`` padded with None); empty rows between included."""
        for number, cells in self._rows(max_col, values_only=True):
            yield number, tuple(cells)

    def cells(
        self, max_col: int | None = None
    ) -> Iterator[tuple[int, tuple[Any, ...], tuple[str, ...]]]:
        """As :meth:`rows`, with each cell's number format (``General`` for an empty cell):
        where a number's written digits matter (an outline number typed 1.10)."""
        bad = malformed()
        for number, cells in self._rows(max_col, values_only=False):
            try:
                values = tuple(cell.value for cell in cells)
                formats = tuple(str(cell.number_format or "General") for cell in cells)
            except bad as exc:  # a style index past the end of the file's styles
                raise unreadable(self._book.shown, exc) from None
            yield number, values, formats

    def _rows(self, max_col: int | None, values_only: bool) -> Iterator[tuple[int, Any]]:
        limits = self._book.limits
        bad = malformed()
        try:
            found = self._worksheet.iter_rows(max_col=max_col, values_only=values_only)
        except bad as exc:
            raise unreadable(self._book.shown, exc) from None
        number = cells = 0
        while True:
            try:
                row = next(found)
            except StopIteration:
                return
            except bad as exc:  # parsed lazily: a damaged sheet shows here
                raise unreadable(self._book.shown, exc) from None
            number += 1
            cells += len(row)
            if number > limits.rows:
                raise _refuse("file.too_many_table_rows", self.shown, number, limit=limits.rows)
            if cells > limits.cells:
                raise _refuse("file.too_many_cells", self.shown, number, limit=limits.cells)
            yield number, row

    def merged(self) -> list[Range]:
        """The sheet's merged ranges, from its XML; :class:`Refusal`
        (``table.merge_too_large``) as soon as the cells they cover, summed, pass the bound.
        A ``ref`` that is not a range is no merge (openpyxl would refuse the file; read-only,
        it does not look)."""
        from openpyxl.utils.cell import range_boundaries

        path = getattr(self._worksheet, "_worksheet_path", None)
        if not path:
            return []
        limit = self._book.limits.merged_cells
        found: list[Range] = []
        covered = 0
        for match in _MERGE.finditer(self._book.part(path)):
            ref = match.group(1).decode("ascii", "replace")
            try:
                bounds = range_boundaries(ref)
            except (ValueError, TypeError):
                continue
            if any(b is None for b in bounds):
                continue
            area: Range = (int(bounds[0]), int(bounds[1]), int(bounds[2]), int(bounds[3]))
            covered += cells_in(area)
            if covered > limit:
                raise _refuse(
                    "table.merge_too_large", self.shown, range=ref, cells=covered, limit=limit
                )
            found.append(area)
        return found


class Workbook:
    """An open workbook: its sheets in order. Close it, or use it in a ``with`` block."""

    def __init__(self, book: Any, source: Source, shown: str, limits: Limits) -> None:
        self._openpyxl = book
        self.shown = shown
        self.limits = limits
        self._source = source
        self.sheets: list[Sheet] = []
        for worksheet in book.worksheets:
            declared = None
            if worksheet.max_row is not None and worksheet.max_column is not None:
                declared = (
                    int(worksheet.min_column),
                    int(worksheet.min_row),
                    int(worksheet.max_column),
                    int(worksheet.max_row),
                )
            # rows are padded to their own last cell, never to a declared extent
            worksheet.reset_dimensions()
            title = str(worksheet.title)
            self.sheets.append(Sheet(title, f"{shown}, sheet '{title}'", declared, worksheet, self))

    def close(self) -> None:
        self._openpyxl.close()

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def part(self, name: str) -> bytes:
        """The bytes of one part (already checked to be within the bounds)."""
        try:
            with zipfile.ZipFile(opened(self._source)) as archive:
                return archive.read(name)
        except malformed() as exc:
            raise unreadable(self.shown, exc) from None


def open_workbook(source: Source, shown: str, limits: Limits = UPLOAD) -> Workbook:
    """The workbook in ``source``, checked (:func:`check_archive`) then opened read-only;
    :class:`Refusal` naming ``shown`` when it is outside ``limits`` or not a workbook.
    The caller closes it (``with open_workbook(…) as book:``)."""
    check_archive(source, shown, limits, "workbook")
    import openpyxl

    try:
        book = openpyxl.load_workbook(opened(source), read_only=True, data_only=True)
    except malformed() as exc:
        raise unreadable(shown, exc) from None
    try:
        return Workbook(book, source, shown, limits)
    except BaseException:
        book.close()
        raise
