"""The tables of a Word document as rows of text, with their merged cells, read within bounds.

python-docx follows a vertically merged cell up to the row that starts the merge one row at a
time, recursively, and does it again for every cell below: a column merged down 2,500 rows
ran for a minute and ended in ``RecursionError``. Here the document's XML is parsed once by
libxml2 (which itself refuses nesting deeper than 256 levels) and walked with loops only:
each row's cells are placed on the table's grid (``gridBefore``, ``gridSpan``), a cell
continuing a vertical merge (``vMerge``) points at the cell that started it in the row
above, and the rows and grid cells read are counted against the bounds as they come.

Only the body's own tables are read (a table inside a cell is part of that cell's content,
which is its own paragraphs, as in python-docx), each with the first paragraph of text
since the table before it as its title.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from typing import Any

from chiso.office.archive import Source, check_archive, malformed, opened, unreadable
from chiso.office.limits import UPLOAD, Limits
from chiso.problems import ProblemReport, Refusal

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_OFFICE_DOCUMENT = "/officeDocument"
_DEFAULT_PART = "word/document.xml"


@dataclass
class WordTable:
    """A table as read: its label for problems (``bảng 2``: the second table of the body),
    its title, its rows of text on the table's grid (a merged cell's text in its first grid
    cell, empty text in the others) and its vertical merges."""

    label: str
    title: str
    rows: list[list[str]]
    merged: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    """(row, column) from 0 → (first row, last row) from 1, for every grid cell of a cell
    merged over several rows."""


def _refuse(rule: str, shown: str, row: int | None = None, **params: Any) -> Refusal:
    report = ProblemReport()
    report.add(rule, shown, row, **params)
    return Refusal(report)


def _main_part(archive: zipfile.ZipFile) -> str:
    """The document's main part, as the package's relationships name it."""
    from lxml import etree

    try:
        rels = etree.fromstring(archive.read("_rels/.rels"), _parser())
    except KeyError:
        return _DEFAULT_PART
    for rel in rels:
        if str(rel.get("Type", "")).endswith(_OFFICE_DOCUMENT):
            target = str(rel.get("Target", ""))
            return target.lstrip("/") if target else _DEFAULT_PART
    return _DEFAULT_PART


def _parser() -> Any:
    from lxml import etree

    # no entities expanded, no DTD loaded, nothing fetched; libxml2's own bounds on depth
    # and on the size of one text node stay on (huge_tree off)
    return etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False)


def read_word_tables(source: Source, shown: str, limits: Limits = UPLOAD) -> list[WordTable]:
    """Every table of the document's body; :class:`Refusal` naming ``shown`` when the file
    is outside ``limits`` or is not a Word document."""
    check_archive(source, shown, limits, "document")
    from lxml import etree

    try:
        with zipfile.ZipFile(opened(source)) as archive:
            part = _main_part(archive)
            root = etree.fromstring(archive.read(part), _parser())
    except malformed() as exc:
        raise unreadable(shown, exc) from None
    body = root.find(f"{W}body")
    if body is None:
        raise unreadable(shown, f"{part} has no body")
    reader = _Reader(shown, limits)
    tables: list[WordTable] = []
    titles: list[str] = []
    for element in body:
        if element.tag == f"{W}p":
            text = " ".join(_paragraph_text(element).split())
            if text:
                titles.append(text)
        elif element.tag == f"{W}tbl":
            tables.append(reader.table(element, f"bảng {len(tables) + 1}", titles[:1]))
            titles = []
    return tables


class _Reader:
    def __init__(self, shown: str, limits: Limits) -> None:
        self.shown = shown
        self.limits = limits
        self.rows = 0
        self.cells = 0

    def count(self, rows: int, cells: int) -> None:
        self.rows += rows
        self.cells += cells
        if self.rows > self.limits.rows:
            raise _refuse("file.too_many_table_rows", self.shown, limit=self.limits.rows)
        if self.cells > self.limits.cells:
            raise _refuse("file.too_many_cells", self.shown, limit=self.limits.cells)

    def table(self, tbl: Any, label: str, title: list[str]) -> WordTable:
        rows: list[list[str]] = []
        owners: list[list[int]] = []  # per row, per grid cell: the cell it belongs to
        first_row: list[int] = []  # per cell: the row it starts in
        last_row: list[int] = []  # per cell: the last row it covers
        above: list[int] = []  # the previous row's owners
        for tr in tbl.iterchildren(f"{W}tr"):
            self.count(1, 0)
            r = len(rows)
            texts: list[str] = []
            owned: list[int] = []
            before = _int(tr.find(f"{W}trPr/{W}gridBefore"))
            self.count(0, before)
            texts += [""] * before
            owned += [-1] * before
            for tc in tr.iterchildren(f"{W}tc"):
                span = max(1, _int(tc.find(f"{W}tcPr/{W}gridSpan")))
                self.count(0, span)
                column = len(owned)
                merge = tc.find(f"{W}tcPr/{W}vMerge")
                continues = merge is not None and merge.get(f"{W}val", "continue") == "continue"
                owner = above[column] if continues and column < len(above) else -1
                if owner < 0:
                    owner = len(first_row)
                    first_row.append(r)
                    last_row.append(r)
                    text = "\n".join(_paragraph_text(p) for p in tc.iterchildren(f"{W}p"))
                else:
                    last_row[owner] = r
                    text = ""
                texts += [text] + [""] * (span - 1)
                owned += [owner] * span
            rows.append(texts)
            owners.append(owned)
            above = owned
        merged: dict[tuple[int, int], tuple[int, int]] = {}
        for r, owned in enumerate(owners):
            for c, owner in enumerate(owned):
                if owner >= 0 and last_row[owner] > first_row[owner]:
                    merged[(r, c)] = (first_row[owner] + 1, last_row[owner] + 1)
        return WordTable(label, title[0] if title else "", rows, merged)


def _int(element: Any) -> int:
    """The ``w:val`` of an element as a count (0 when absent or not a number)."""
    if element is None:
        return 0
    try:
        return max(0, int(str(element.get(f"{W}val", "0"))))
    except ValueError:
        return 0


_RUN_TEXT = {f"{W}tab": "\t", f"{W}ptab": "\t", f"{W}cr": "\n", f"{W}noBreakHyphen": "-"}


def _paragraph_text(p: Any) -> str:
    """A paragraph's text as python-docx gives it: its runs' and hyperlinks' runs' text, a
    tab as a tab, a line break as a new line (a page or column break as nothing)."""
    parts: list[str] = []
    for child in p.iterchildren(f"{W}r", f"{W}hyperlink"):
        runs = [child] if child.tag == f"{W}r" else list(child.iterchildren(f"{W}r"))
        for run in runs:
            for item in run.iterchildren():
                if item.tag == f"{W}t":
                    parts.append(item.text or "")
                elif item.tag == f"{W}br":
                    if item.get(f"{W}type", "textWrapping") == "textWrapping":
                        parts.append("\n")
                elif item.tag in _RUN_TEXT:
                    parts.append(_RUN_TEXT[item.tag])
    return "".join(parts)
