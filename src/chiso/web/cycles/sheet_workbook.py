"""One layout for the Excel sheets filled offline (the officer's self-assessment, the
appraiser's appraisal): a line naming the unit and the cycle, a line saying what to fill, a
bold header, then the framework's nodes in order with the cells to fill shaded.

Why one home: the two sheets were written twice and had drifted (widths, where the title went).
Why through gettext: the sheet is read by people, in the language they read the site in; the
upload reads cells by their column, never by the header's text, so a sheet downloaded in
English is read back exactly as one downloaded in Vietnamese.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from chiso.tables.formulas import append_row

FILL_COLOUR = "FFF3CD"  # the pale yellow of the cells to fill
HEADER_ROW = 3  # the rows before the nodes: the title line, the instruction, the header


@dataclass(frozen=True)
class Layout:
    """What differs between the two sheets: names, header, and which columns are filled."""

    worksheet: str
    title: Sequence[Any]  # row 1: what names the file (the appraiser's starts with the unit code)
    instruction: str
    header: Sequence[str]
    inputs: tuple[int, ...]  # the columns (counted from 1) a leaf's row asks to be filled
    widths: dict[str, float]


def workbook(layout: Layout, rows: Iterable[tuple[bool, Sequence[Any]]]) -> bytes:
    """The sheet as .xlsx bytes; ``rows`` gives each node as (is a leaf, its cells)."""
    import openpyxl
    from openpyxl.styles import Font, PatternFill

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = layout.worksheet[:31]  # Excel's limit on a worksheet's name
    append_row(ws, layout.title)
    append_row(ws, [layout.instruction])
    append_row(ws, layout.header)
    for cell in ws[HEADER_ROW]:
        cell.font = Font(bold=True)
    fill = PatternFill("solid", fgColor=FILL_COLOUR)
    row_number = HEADER_ROW
    for is_leaf, cells in rows:
        append_row(ws, cells)
        row_number += 1
        if is_leaf:
            for column in layout.inputs:
                ws.cell(row=row_number, column=column).fill = fill
    for letter, width in layout.widths.items():
        ws.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def node_rows(
    framework: Any,
    leaves: Mapping[str, Any],
    lang: str,
    leaf_cells: Callable[[Any, Any], list[Any]],
) -> Iterator[tuple[bool, list[Any]]]:
    """The framework's nodes in order as rows for :func:`workbook`: code, name in ``lang`` and
    maximum, and for a leaf the cells ``leaf_cells(node, its LeafScore)`` adds."""
    for node in framework.walk():
        head = [node.code, node.name_in(lang), node.max]
        if node.is_leaf:
            yield True, head + leaf_cells(node, leaves[node.code])
        else:
            yield False, head
