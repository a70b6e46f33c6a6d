"""Criteria tables in Word and Excel: the form in which provinces publish their criteria sets.

A People's Committee decision carries its criteria set as an annex table: an outline number,
the content, the maximum points and often the scoring guidance and the evaluation method.
:func:`import_table` reads such a table (the first one in the file with those headers) into a
framework file; :func:`export_table` writes a framework back in the same layout, so that
``import(export(x)) == x`` for everything a table can say. Reading checks the whole table and
reports every problem at once with its sheet (or table), row and column: sums that do not add
up, repeated or skipped numbers, text where points belong, merged cells that hide a number.

It is read as decisions print it: a header of two rows with merged cells, the (1) (2) (3) row,
the header repeated after a page break, a Word table continued in the next one, the TỔNG ĐIỂM
row as the check of the sum; and under a sub-criterion, its scoring levels (lines starting
with "-" or "+", :mod:`chiso.tables.levels`), which become the leaf's rule, never criteria,
and whose points never enter a sum. The file is opened by the office layer
(:mod:`chiso.office`), within its bounds; openpyxl and python-docx are imported only when a
table is read or written.

Criteria tables live with the other tables, above the frameworks: they make a framework from
a table, and the frameworks never import them.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chiso.frameworks.model import Framework, Node
from chiso.numbers import NotANumber, format_short, parse_decimal
from chiso.office import UPLOAD, Limits, open_workbook, read_word_tables
from chiso.office.archive import Source
from chiso.office.workbook import cells_in, column_letters, range_text
from chiso.problems import ProblemReport, Refusal
from chiso.tables.levels import (
    RATE_RANGE,
    LevelLine,
    Levels,
    levels_rule,
    marker_of,
    rate_range,
    read_line,
)
from chiso.tables.outline import Outline, OutlineEntry, OutlineProblem, parse_printed
from chiso.vietnamese import nfc

ROLES = ("outline", "content", "name_en", "max", "guidance", "method", "source", "notes")
HEADERS = {
    "outline": "STT",
    "content": "Nội dung",
    "name_en": "Tên tiếng Anh",
    "max": "Điểm tối đa",
    "guidance": "Hướng dẫn chấm điểm",
    "method": "Phương pháp đánh giá",
    "source": "Nguồn điểm",
    "notes": "Ghi chú",
}
"""The headers :func:`export_table` writes (the importer also knows the usual variants)."""
SOURCE_LABELS = {
    "self_assessed": "Tự đánh giá",
    "appraised": "Tự chấm, thẩm định",
    "survey": "Điều tra xã hội học",
    "central": "Cơ quan cấp trên đánh giá",
    "data": "Số liệu",
    "mixed": "Kết hợp",
}
TOTAL_LABEL = "Tổng điểm"
_EPS = 1e-6


def _key(text: str) -> str:
    return " ".join(nfc(text).casefold().replace("\n", " ").split()).strip(" :.")


def header_role(text: str) -> str | None:
    """The role of a header cell, from the wording provinces use."""
    h = _key(text)
    if not h:
        return None
    if h in {"stt", "tt", "số tt", "số thứ tự", "mã", "mã số", "thứ tự"}:
        return "outline"
    if "tiếng anh" in h or h == "english":
        return "name_en"
    if "nguồn điểm" in h:
        return "source"
    if "tối đa" in h or "điểm chuẩn" in h or "thang điểm" in h or h in {"điểm", "số điểm"}:
        return "max"
    if "hướng dẫn" in h or "cách chấm" in h or "cách tính" in h or "cách thức chấm" in h:
        return "guidance"
    if "phương pháp" in h:
        return "method"
    if h == "ghi chú":
        return "notes"
    if ("nội dung" in h or "lĩnh vực" in h or "tiêu chí" in h) and "điểm" not in h:
        return "content"
    return None


@dataclass
class RawTable:
    """A table as read from the file: cell texts, and which cells a merge covers."""

    label: str  # "sheet 'Phụ lục'" or "bảng 2", for problem reports
    rows: list[list[str]]
    column_names: list[str]  # A, B, C… in Excel; 1, 2, 3… in Word
    merged: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    """(row, column) → (first row, last row) of a merge spanning several rows."""
    numeric: set[tuple[int, int]] = field(default_factory=set)
    title: str = ""
    written: dict[tuple[int, int], str | None] = field(default_factory=dict)
    """(row, column) of a number cell holding a fraction → the digits its number format shows
    (``1.10`` for 1.1 shown as ``0.00``), or None where the format does not say them
    (``General`` drops the trailing zeros a person typed: 1.10 is stored and shown as 1.1)."""
    origins: list[tuple[str, int]] | None = None
    """For a table continued in the tables after it (Word): per row, the table it came from
    and its row there, so that a problem names the row a person sees."""


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return repr(value)[:-2] if value.is_integer() else repr(value)
    return str(value)


_DECIMALS_FORMAT = re.compile(r"^[#0,]*0?\.(0*)(#*)$")


def shown_digits(value: float, number_format: str) -> str | None:
    """The digits a number cell shows under its number format, where the format fixes them
    (``0.00``, ``#,##0.0#``): an outline number typed as 1.10 and stored as 1.1 is read back
    as ``1.10``. None where the format does not say (``General``, text, a percentage) or
    shows a rounded value: the written digits are then unknown."""
    section = number_format.split(";")[0]
    # literal text, escapes, colours and conditions, padding and fill are not digits
    section = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.', "", section).strip()
    match = _DECIMALS_FORMAT.match(section)
    if match is None:
        return None
    zeros, optional = len(match.group(1)), len(match.group(2))
    text = f"{value:.{zeros + optional}f}"
    if optional:
        head, _, tail = text.partition(".")
        tail = tail[:zeros] + tail[zeros:].rstrip("0")
        text = f"{head}.{tail}" if tail else head
    return text if abs(float(text) - value) < 1e-9 else None


MAX_CELLS = 200_000
"""The most cells a criteria table's sheet may span (rows × columns, declared or found), and
the most the tables of a Word file may hold on their grids: the largest real table (a
province's, some 300 rows of 8 columns) is a few thousand."""


MAX_NODES = 3_000
"""The most numbered rows (criteria, at every level) a table may have: a province's set has a
few hundred. Each becomes a node of a framework that is written as YAML and read back to be
checked, about 0.3 ms a node, so the bound keeps a table under a second."""


def _too_large(shown: str, extent: str, cells: int) -> Refusal:
    report = ProblemReport()
    report.add("table.too_large", shown, range=extent, cells=cells, limit=MAX_CELLS)
    return Refusal(report)


def read_xlsx_tables(path: Source, shown: str, limits: Limits = UPLOAD) -> list[RawTable]:
    """Every sheet of the workbook as a :class:`RawTable`, through the office layer: a sheet
    declaring or reaching more than :data:`MAX_CELLS` is refused (its empty cells are never
    walked), and its merged ranges are summed before any is expanded."""
    tables = []
    with open_workbook(path, shown, limits) as book:
        for sheet in book.sheets:
            if sheet.declared is not None and cells_in(sheet.declared) > MAX_CELLS:
                raise _too_large(sheet.shown, range_text(sheet.declared), cells_in(sheet.declared))
            merges = sheet.merged()
            rows: list[list[str]] = []
            numeric: set[tuple[int, int]] = set()
            written: dict[tuple[int, int], str | None] = {}
            width = 0
            for number, values, formats in sheet.cells():
                width = max(width, len(values))
                if number * width > MAX_CELLS:
                    # a cell written far away (a dimension that lies)
                    extent = f"A1:{column_letters(width)}{number}"
                    raise _too_large(sheet.shown, extent, number * width)
                r = number - 1
                rows.append([_cell_text(v) for v in values])
                for c, v in enumerate(values):
                    if isinstance(v, (int, float)):
                        numeric.add((r, c))
                    if isinstance(v, float) and not isinstance(v, bool) and not v.is_integer():
                        written[(r, c)] = shown_digits(v, formats[c])
            merged: dict[tuple[int, int], tuple[int, int]] = {}
            for low_col, low_row, high_col, high_row in merges:
                if high_row > low_row:
                    for r in range(low_row, high_row + 1):
                        for c in range(low_col, high_col + 1):
                            merged[(r - 1, c - 1)] = (low_row, high_row)
            tables.append(
                RawTable(
                    f"sheet '{sheet.title}'",
                    rows,
                    [column_letters(c + 1) for c in range(width)],
                    merged,
                    numeric,
                    written=written,
                )
            )
    return tables


def read_docx_tables(path: Source, shown: str, limits: Limits = UPLOAD) -> list[RawTable]:
    """Every table of the Word file's body as a :class:`RawTable`, through the office layer
    (no recursion over merged cells; at most :data:`MAX_CELLS` grid cells in all)."""
    bounded = dataclasses.replace(limits, cells=min(limits.cells, MAX_CELLS))
    tables = []
    for table in read_word_tables(path, shown, bounded):
        width = max((len(r) for r in table.rows), default=0)
        tables.append(
            RawTable(
                table.label,
                table.rows,
                [str(c + 1) for c in range(width)],
                table.merged,
                title=table.title,
            )
        )
    return tables


def read_tables(path: Source, shown: str, suffix: str, limits: Limits = UPLOAD) -> list[RawTable]:
    if suffix == ".docx":
        return read_docx_tables(path, shown, limits)
    return read_xlsx_tables(path, shown, limits)


_COLUMN_NUMBERS = re.compile(r"^\(?\s*\d+\s*\)?$")


@dataclass
class _Row:
    """A node's row of the table."""

    entry: OutlineEntry
    row: int
    content: str
    max: float | None
    max_blank: bool
    values: dict[str, str]
    extra: list[str] = field(default_factory=list)
    levels: list[LevelLine] = field(default_factory=list)
    """Its scoring levels: lines starting with "-" or "+" in its content cell or in the
    unnumbered rows below it."""
    guidance_levels: list[LevelLine] = field(default_factory=list)
    """The same in its guidance cell, used where the content gives no level with points."""


class _TableReader:
    def __init__(self, file: str, table: RawTable, report: ProblemReport) -> None:
        self.file = file
        self.table = table
        self.report = report
        self.roles: dict[str, int] = {}
        self.extra_columns: dict[int, str] = {}
        self.header_rows: set[tuple[str, ...]] = set()
        """The header's rows as keys: a page break repeats them inside the table."""
        self.total: tuple[float, int] | None = None

    def where(self) -> str:
        return f"{self.file}, {self.table.label}"

    def origin(self, row: int) -> tuple[str, int]:
        """The table and row a person sees for row ``row`` (from 1) of the table read."""
        origins = self.table.origins
        if origins is not None and 0 < row <= len(origins):
            return origins[row - 1]
        return self.table.label, row

    def problem(self, rule: str, row: int, role: str | None, **params: Any) -> None:
        column = None
        if role is not None and role in self.roles:
            idx = self.roles[role]
            column = (
                self.table.column_names[idx] if idx < len(self.table.column_names) else str(idx)
            )
        label, shown = self.origin(row)
        if "first_row" in params and isinstance(params["first_row"], int):
            params["first_row"] = self.origin(params["first_row"])[1]
        self.report.add(rule, f"{self.file}, {label}", shown, column, **params)

    def find_header(self) -> int | None:
        """The header's (last) row: one row naming the outline, content and points columns,
        or two where a merged cell heads several (``Điểm`` over ``Tối đa`` and ``Tự chấm``):
        a column's role is then its lower cell's, or its upper cell's where the lower has
        none."""
        rows = self.table.rows
        required = {"outline", "content", "max"}
        for r, row in enumerate(rows[:30]):
            roles = _roles(row)
            names = list(row)
            last = r
            lower = rows[r + 1] if r + 1 < len(rows) else []
            complete = required <= roles.keys()
            if lower and (not complete or _sub_header(lower, roles)):
                roles, names = _combined(row, lower)
                last = r + 1
            if {"outline", "content", "max"} <= roles.keys():
                self.roles = roles
                self.header_rows = {_row_key(rows[k]) for k in range(r, last + 1)}
                below = rows[last + 1] if last + 1 < len(rows) else []
                if (
                    any(x.strip() for x in below)
                    and not self.cell(below, "outline")
                    and not self.cell(below, "content")
                    and not any(_COLUMN_NUMBERS.match(x.strip()) for x in below)
                ):  # the lower row of a header whose upper row names every role
                    self.header_rows.add(_row_key(below))
                self.extra_columns = {
                    c: " ".join(text.split())
                    for c, text in enumerate(names)
                    if text.strip() and c not in roles.values()
                }
                titles = [
                    " ".join(" ".join(x.split()) for x in line if x.strip())
                    for line in self.table.rows[:r]
                ]
                self.table.title = next((t for t in titles if t), self.table.title)
                return last
        return None

    def repeated_header(self, row: list[str]) -> bool:
        """A header row again (a page break in the decision), or the (1) (2) (3) row under
        it: neither is a criterion wherever it stands."""
        if _row_key(row) in self.header_rows:
            return True
        if header_role(self.cell(row, "outline")) == "outline" and (
            header_role(self.cell(row, "content")) == "content"
        ):
            return True
        filled = [x.strip() for x in row if x.strip()]
        return len(filled) >= 3 and all(_COLUMN_NUMBERS.match(x) for x in filled)

    def cell(self, row: list[str], role: str) -> str:
        idx = self.roles.get(role)
        if idx is None or idx >= len(row):
            return ""
        return nfc(row[idx].strip())

    def read(self) -> list[_Row] | None:
        header = self.find_header()
        if header is None:
            return None
        hierarchical = any(
            (p := parse_printed(self.cell(row, "outline"))) is not None and p.kind == "roman"
            for row in self.table.rows[header + 1 :]
        )
        outline = Outline(hierarchical)
        nodes: list[_Row] = []
        self.total = None
        max_col = self.roles["max"]
        reported_merges: set[tuple[int, int]] = set()
        row_of: dict[int, int] = {}  # id of a placed entry → its row
        for r in range(header + 1, len(self.table.rows)):
            row = self.table.rows[r]
            shown = r + 1
            number = self.cell(row, "outline")
            written = self.table.written.get((r, self.roles["outline"]), "")
            number = written or number  # a number cell: the digits its format shows
            content = self.cell(row, "content")
            points_text = self.cell(row, "max")
            if not any(x.strip() for x in row):
                continue
            numbering = all(_COLUMN_NUMBERS.match(x.strip()) for x in row if x.strip())
            if not nodes and (not number or numbering):
                continue  # under the header: its second row, or the (1) (2) (3) row
            if self.repeated_header(row):
                continue
            if _is_total(number) and not content:
                content, number = number, ""  # TỔNG ĐIỂM across the number and content cells
            lines = [line for line in content.split("\n") if line.strip()]
            if not number and nodes and lines and marker_of(lines[0]) is not None:
                self.level_rows(nodes[-1], lines, points_text, shown)
                continue
            merge = self.table.merged.get((r, max_col))
            if merge is not None and self.over_levels(merge, r):
                merge = None  # a leaf's points cell merged down over its own level rows
            if merge is not None and merge not in reported_merges:
                reported_merges.add(merge)
                top, bottom = self.origin(merge[0])[1], self.origin(merge[1])[1]
                self.problem("table.merged_points", shown, "max", first=top, last=bottom)
            points = self.points(points_text, shown)
            if not number:
                if _is_total(content):
                    if points is not None:
                        self.total = (points, shown)
                    continue
                if points is not None:
                    self.problem("table.no_outline", shown, "outline", content=content[:60])
                elif nodes and content:
                    nodes[-1].extra.append(content)
                continue
            printed = parse_printed(number)
            if printed is None:
                self.problem("outline.bad", shown, "outline", number=number)
                continue
            placed = outline.add(printed)
            if isinstance(placed, OutlineProblem):
                first = row_of.get(id(placed.other))
                if written is None:  # a fraction in a number cell: its trailing zeros are lost
                    self.problem("table.numeric_outline", shown, "outline", number=number)
                else:
                    self.problem(placed.rule, shown, "outline", first_row=first, **placed.params)
                continue
            if not content:
                self.problem("table.no_content", shown, "content", number=number)
            content, levels, rest = _split_levels(content, shown)
            values = {role: self.cell(row, role) for role in ("name_en", "guidance", "method")}
            _, guidance_levels, _ = _split_levels(values["guidance"], shown, all_lines=True)
            values["source"] = self.cell(row, "source")
            values["notes"] = self.cell(row, "notes")
            extra = [
                f"{name}: {nfc(row[c].strip())}"
                for c, name in self.extra_columns.items()
                if c < len(row) and row[c].strip()
            ]
            node = _Row(placed, shown, content, points, not points_text, values, extra)
            node.levels = levels
            node.guidance_levels = guidance_levels
            node.values["guidance"] = "\n".join(x for x in [values["guidance"], *rest] if x)
            nodes.append(node)
            row_of[id(placed)] = shown
            if len(nodes) > MAX_NODES:
                self.problem("table.too_many_nodes", shown, "outline", limit=MAX_NODES)
                raise Refusal(self.report)
        return nodes

    def over_levels(self, merge: tuple[int, int], r: int) -> bool:
        """Whether a points cell merged over rows ``merge`` (from 1) starts at row ``r``
        (from 0) and covers only level lines below it, which have no points of their own."""
        first, last = merge
        if first != r + 1:
            return False
        for k in range(first, min(last, len(self.table.rows))):
            below = self.table.rows[k]
            lines = [x for x in self.cell(below, "content").split("\n") if x.strip()]
            if self.cell(below, "outline") or not lines or marker_of(lines[0]) is None:
                return False
        return True

    def level_rows(self, node: _Row, lines: list[str], points_text: str, shown: int) -> None:
        """The level lines of an unnumbered row under ``node``: the points in its points
        column belong to its one level line (never to a sum); in a cell of several lines each
        line carries its own."""
        column = self.points(points_text, shown) if points_text else None
        for line in lines:
            level = read_line(line, shown, None)
            if level is None:  # an explanation below the levels: guidance
                guidance = node.values["guidance"]
                node.values["guidance"] = (
                    f"{guidance}\n{line.strip()}" if guidance else line.strip()
                )
                continue
            if column is not None and len(lines) == 1 and level.penalty is None:
                if level.points is not None and abs(level.points - column) > _EPS:
                    self.problem(
                        "table.level_points_conflict",
                        shown,
                        "max",
                        line=line.strip()[:80],
                        in_text=_fmt(level.points),
                        in_column=_fmt(column),
                    )
                elif level.points is None:
                    level.points = column
            node.levels.append(level)

    def points(self, text: str, row: int) -> float | None:
        if not text:
            return None
        if len(text) <= 40:  # a points cell is short; the pattern is not run on a long one
            text = _POINTS_WORD.sub("", text)
        try:
            value = parse_decimal(text, spaces_inside=True)
        except NotANumber:
            self.problem("table.points_not_number", row, "max", value=text[:40])
            return None
        if value is not None and value < 0:
            self.problem("table.points_negative", row, "max", value=text)
            return None
        return value


_POINTS_WORD = re.compile(r"\s*(điểm|đ)\s*\.?\s*$", re.IGNORECASE)


def _is_total(text: str) -> bool:
    """The label of the total row: *Tổng điểm*, *Tổng cộng*, *TỔNG*, or *Cộng* alone (not
    *Cộng đồng…*, a criterion's text)."""
    key = _key(text)
    return key.startswith("tổng") or key == "cộng"


def _sub_header(lower: list[str], roles: dict[str, int]) -> bool:
    """Whether ``lower`` is the second row of a header whose first row already names every
    role: nothing under the number and content headers, no number anywhere, and a header of
    its own (``Tự chấm``, ``Tối đa`` under a merged ``Điểm``)."""

    def at(role: str) -> str:
        c = roles[role]
        return lower[c].strip() if c < len(lower) else ""

    return (
        not at("outline")
        and not at("content")
        and not any(_COLUMN_NUMBERS.match(x.strip()) for x in lower)
        and bool(_roles(lower))
    )


def _combined(upper: list[str], lower: list[str]) -> tuple[dict[str, int], list[str]]:
    """The roles and names of a two-row header: a column's lower cell names it where it
    can (``Tối đa`` under ``Điểm`` spanning ``Tự chấm`` and ``Tối đa``), its upper cell
    where the lower is silent."""
    width = max(len(upper), len(lower))
    upper_roles = {c: role for role, c in _roles(upper).items()}
    lower_roles = {c: role for role, c in _roles(lower).items()}
    roles: dict[str, int] = {}
    for c in range(width):
        role = lower_roles.get(c)
        if role is not None and role not in roles:
            roles[role] = c
    for c in range(width):
        role = upper_roles.get(c)
        if c not in lower_roles and role is not None and role not in roles:
            roles[role] = c
    names = []
    for c in range(width):
        up = upper[c] if c < len(upper) else ""
        down = lower[c] if c < len(lower) else ""
        names.append(down if down.strip() else up)
    return roles, names


def _roles(row: list[str]) -> dict[str, int]:
    roles: dict[str, int] = {}
    for c, text in enumerate(row):
        role = header_role(text)
        if role is not None and role not in roles:
            roles[role] = c
    return roles


def _row_key(row: list[str]) -> tuple[str, ...]:
    return tuple(_key(x) for x in row if x.strip())


def _split_levels(
    text: str, row: int, all_lines: bool = False
) -> tuple[str, list[LevelLine], list[str]]:
    """A cell's text split into (its own text, its level lines, the lines after the first
    level that are not levels). In a content cell the name is the text before the first
    level line; in a guidance cell (``all_lines``) the whole text stays guidance and the
    level lines are read besides."""
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if marker_of(line) is not None), None)
    if first is None or (first == 0 and not all_lines):
        return text, [], []
    levels: list[LevelLine] = []
    rest: list[str] = []
    for line in lines[first:]:
        level = read_line(line, row)
        if level is not None:
            levels.append(level)
        elif line.strip():
            rest.append(line.strip())
    if all_lines:
        return text, levels, rest
    return "\n".join(lines[:first]).strip(), levels, rest


def _source_code(text: str) -> str | None:
    key = _key(text)
    if not key:
        return None
    for code, label in SOURCE_LABELS.items():
        if key in (code, _key(label)):
            return code
    return ""


@dataclass(frozen=True)
class TableMeta:
    """What a table does not say and the command line does."""

    code: str
    subjects: tuple[str, ...]
    year: int
    legal_basis: str = ""
    name: str = ""
    index: str = "Chỉ số cải cách hành chính"
    year_to: int | None = None
    name_en: str = ""


def _plain(value: float | None) -> float | int | None:
    """A maximum as the YAML file writes it: 2 rather than 2.0."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else float(value)


def _fmt(value: float) -> str:
    return f"{value:g}"


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= _EPS


def _build(
    reader: _TableReader, rows: list[_Row], meta: TableMeta
) -> tuple[dict[str, Any] | None, float | None]:
    """The framework document from the table's rows; sums checked on the way."""
    by_entry = {id(r.entry): r for r in rows}
    rules = {id(r): _levels(reader, r, bool(r.entry.children)) for r in rows}

    def maximum(row: _Row) -> float | None:
        children = [by_entry[id(c)] for c in row.entry.children if id(c) in by_entry]
        if not children:
            best = rules[id(row)].best
            return best if row.max is None else row.max
        maxima = [maximum(c) for c in children]
        known = all(m is not None for m in maxima)
        total = sum(m for m in maxima if m is not None)
        if row.max is None:
            # a parent row without points is the sum of its children's (blank, not hidden:
            # a merge over the points column is reported by the reader)
            return total if known else None
        if known and not _close(total, row.max):
            reader.problem(
                "table.sum_mismatch",
                row.row,
                "max",
                number=row.entry.printed.text,
                children=_fmt(total),
                max=_fmt(row.max),
            )
        return row.max

    def node(row: _Row) -> dict[str, Any]:
        data: dict[str, Any] = {"code": row.entry.code, "name_vi": " ".join(row.content.split())}
        if row.values["name_en"]:
            data["name_en"] = row.values["name_en"]
        value = maximum(row)
        data["max"] = _plain(value)
        source = _source_code(row.values["source"])
        if source == "":
            reader.problem("table.bad_source", row.row, "source", value=row.values["source"])
        elif source is not None and source != "appraised":  # appraised: the file's default
            data["source"] = source
        levels = rules[id(row)]
        guidance = "\n".join(x for x in [row.values["guidance"], *levels.guidance] if x)
        if guidance:
            data["guidance"] = guidance
        if row.values["method"]:
            data["method"] = row.values["method"]
        notes = [row.values["notes"], *row.extra]
        if any(notes):
            data["notes"] = "\n".join(n for n in notes if n)
        children = [by_entry[id(c)] for c in row.entry.children if id(c) in by_entry]
        if children:
            data["children"] = [node(c) for c in children]
        elif levels.rule is not None:
            data["rule"] = levels.rule
        return data

    top = [r for r in rows if r.entry.parent is None]
    nodes = [node(r) for r in top]
    maxima = [n["max"] for n in nodes]
    total = float(sum(maxima)) if nodes and all(m is not None for m in maxima) else None
    declared = getattr(reader, "total", None)
    if declared is not None:
        if total is not None and not _close(total, declared[0]):
            reader.problem(
                "table.total_mismatch",
                declared[1],
                "max",
                children=_fmt(total),
                max=_fmt(declared[0]),
            )
        total = declared[0] if total is None else total
    if not nodes:
        return None, None
    name = meta.name or reader.table.title or meta.code
    doc: dict[str, Any] = {
        "format": 1,
        "code": meta.code,
        "index": meta.index,
        "subject": list(meta.subjects) if len(meta.subjects) > 1 else meta.subjects[0],
        "name_vi": nfc(" ".join(name.split())),
        "name_en": meta.name_en,
        "years": {"from": meta.year, "to": meta.year_to},
        "legal_basis": meta.legal_basis,
        "sources": [],
        "scoring": {
            "precision": 2,
            "rank_by": "index",
            "total": {
                "aggregation": "sum",
                "max": _plain(total),
            },
            "defaults": {"aggregation": "sum", "children_add_up": True, "source": "appraised"},
        },
        "nodes": nodes,
    }
    return doc, total


def _levels(reader: _TableReader, row: _Row, parent: bool) -> Levels:
    """The rule a row's level lines give, its problems reported on their rows: levels with
    points under a row that has criteria below it (they would be neither), or a best level
    other than the maximum the row gives."""
    lines = row.levels
    if not any(x.points is not None or x.penalty is not None for x in lines):
        guidance = row.guidance_levels
        if any(x.points is not None or x.penalty is not None for x in guidance):
            # the guidance cell's level lines are the rule; its other lines stay guidance
            kept = {x.raw.strip() for x in lines}
            # (the content's own lines, none with points, stay guidance before them)
            text = [x.raw.strip() for x in lines] + row.values["guidance"].split("\n")
            lines = guidance
            row.values["guidance"] = "\n".join(
                x.strip() for x in text if x.strip() and (marker_of(x) is None or x in kept)
            )
    if parent:
        scored = [x for x in lines if x.points is not None or x.penalty is not None]
        if scored:
            reader.problem(
                "table.level_on_parent",
                scored[0].row,
                "content",
                number=row.entry.printed.text,
                line=scored[0].raw.strip()[:80],
            )
        return Levels(guidance=[x.raw.strip() for x in lines if x not in scored])
    levels = levels_rule(lines, row.max)
    for rule, at, params in levels.problems:
        reader.problem(rule, at, "content", number=row.entry.printed.text, **params)
    if levels.best is not None and row.max is not None and not _close(levels.best, row.max):
        reader.problem(
            "table.level_max",
            row.row,
            "max",
            number=row.entry.printed.text,
            max=_fmt(row.max),
            best=_fmt(levels.best),
        )
    return levels


def _continued(reader: _TableReader, table: RawTable, after: list[RawTable]) -> RawTable:
    """``table`` with the Word tables after it that continue it: a decision's table split in
    two at a page break (or pasted in parts) goes on, with no text between, in a table of the
    same columns that starts with the header again or with a numbered row, a level line or
    the total. Each row keeps its own table and row for problem reports."""
    width = len(table.column_names)
    rows = list(table.rows)
    origins = [(table.label, r + 1) for r in range(len(table.rows))]
    merged = dict(table.merged)
    for other in after:
        if len(other.column_names) != width or other.title:
            break  # other columns, or text between: another table (Phụ lục II…), not a sequel
        first = next((row for row in other.rows if any(x.strip() for x in row)), None)
        if first is None:
            continue
        number = reader.cell(first, "outline")
        content = reader.cell(first, "content")
        if not (
            reader.repeated_header(first)
            or parse_printed(number) is not None
            or _is_total(number or content)
            or marker_of(content.split("\n")[0]) is not None
        ):
            break
        offset = len(rows)
        rows += other.rows
        origins += [(other.label, r + 1) for r in range(len(other.rows))]
        for (r, c), (low, high) in other.merged.items():
            merged[(r + offset, c)] = (low + offset, high + offset)
    if len(rows) == len(table.rows):
        return table
    return dataclasses.replace(table, rows=rows, merged=merged, origins=origins)


def table_document(
    path: Source, meta: TableMeta, name: str | None = None, limits: Limits = UPLOAD
) -> dict[str, Any]:
    """The framework document read from the criteria table at ``path`` (a path, or the bytes
    or stream of an upload named ``name``); :class:`Refusal` with every problem of the
    table (or, once the table is clean, of the framework). A file the office layer refuses
    (too large unzipped, not a Word or Excel file) is reported by it; any other exception is
    a fault of chiso and is raised as itself."""
    shown = name or (Path(path).name if isinstance(path, (str, Path)) else "table")
    report = ProblemReport()
    suffix = Path(path if isinstance(path, (str, Path)) else (name or "")).suffix.lower()
    if suffix not in (".docx", ".xlsx", ".xlsm"):
        report.add("file.format", shown, format=suffix or "?")
        raise Refusal(report)
    tables = read_tables(path, shown, suffix, limits)
    for index, table in enumerate(tables):
        reader = _TableReader(shown, table, report)
        if suffix == ".docx" and reader.find_header() is not None:
            reader.table = _continued(reader, table, tables[index + 1 :])
        rows = reader.read()
        if rows is None:
            continue
        doc, _ = _build(reader, rows, meta)
        if doc is None:
            report.add("table.no_rows", f"{shown}, {table.label}")
        if report:
            raise Refusal(report)
        assert doc is not None
        return doc
    report.add("table.no_header", shown)
    raise Refusal(report)


def dump_yaml(doc: dict[str, Any]) -> str:
    """The framework file's text. libyaml's dumper where PyYAML was built with it: the same text
    (checked on every framework and fixture chiso ships) 3.7 times sooner for a large annex."""
    import yaml

    dumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    text: str = yaml.dump(doc, Dumper=dumper, allow_unicode=True, sort_keys=False, width=100)
    return text


def import_table(
    path: Source, meta: TableMeta, name: str | None = None, limits: Limits = UPLOAD
) -> str:
    """The framework file (YAML text) of the criteria table at ``path``, checked as
    ``chiso frameworks validate`` checks a file; :class:`Refusal` with every problem."""
    from chiso.frameworks.loader import framework_from_text

    doc = table_document(path, meta, name, limits)
    text = dump_yaml(doc)
    framework_from_text(text, f"{meta.code}.yaml")  # raises with the framework's problems
    return text


# -- writing -------------------------------------------------------------------------------
def _table_rows(fw: Framework) -> tuple[list[str], list[list[Any]]]:
    with_english = any(n.name_en for n in fw.walk())
    roles = [r for r in ROLES if r != "name_en" or with_english]
    rows: list[list[Any]] = []

    def values(node: Node) -> list[Any]:
        cells: dict[str, Any] = {
            "outline": node.code,
            "content": node.name_vi,
            "name_en": node.name_en,
            "max": node.max,
            "guidance": node.guidance,
            "method": node.method,
            "source": SOURCE_LABELS.get(node.source or "", ""),
            "notes": node.notes,
        }
        return [cells[r] for r in roles]

    rows = []
    for node in fw.walk():
        rows.append(values(node))
        for line in level_lines(node):
            rows.append(["" if r != "content" else line for r in roles])
    return roles, rows


def level_lines(node: Node) -> list[str]:
    """A leaf's rule as the level lines an annex prints under it, which the reader turns back
    into the same rule: ``choice`` options and ``bands`` (over a rate, their ranges written
    out so that they read back exactly) with their points, a ``deduction`` per fault. None
    where the rule is not one of those, or its best level is not the leaf's maximum (the
    reader would report it): the rule then stays in the framework file alone."""
    rule = node.rule
    if node.children or node.max is None:
        return []
    if rule.kind == "deduction":
        said = [read_line(x, 0) for x in node.guidance.split("\n")]
        if any(x is not None and x.penalty == (rule.per_item, True) for x in said):
            return []  # the guidance has the decision's own line, which reads back the same
        return [f"- Mỗi lỗi trừ {format_short(rule.per_item, 'vi', 4)} điểm"]
    named: list[tuple[str | None, float]]
    if rule.kind == "choice" and rule.options:
        best = max(o.points for o in rule.options)
        named = [(" ".join((o.name_vi or o.value).split()), o.points) for o in rule.options]
        if any(rate_range(text or "") is not None for text, _ in named):
            return []  # an option named by a rate would read back as a band
    elif rule.kind == "bands" and rule.bands:
        best = max(b.points or 0.0 for b in rule.bands)
        named = [(_band_text(b), b.points or 0.0) for b in rule.bands]
    else:
        return []
    if not _close(best, node.max) or any(text is None for text, _ in named):
        return []
    return [f"- {text}: {format_short(points, 'vi', 4)}" for text, points in named]


def _band_text(band: Any) -> str | None:
    """A band's own name where it reads back as its range, else the range written out; None
    for a band that is no range of a rate in [0, 100]."""
    low = RATE_RANGE[0] if band.min is None else band.min
    below = band.below
    if low < RATE_RANGE[0] or (below is not None and below > RATE_RANGE[1]):
        return None
    for text in (band.name_vi, band.code):
        found = rate_range(text) if text else None
        if found is not None and not found.reason and (found.low, found.below) == (low, below):
            return str(text)
    rate = "{}%".format
    if below is None:
        return f"Từ {rate(format_short(low, 'vi', 4))} trở lên"
    if low == RATE_RANGE[0]:
        return f"Dưới {rate(format_short(below, 'vi', 4))}"
    return f"Từ {rate(format_short(low, 'vi', 4))} đến dưới {rate(format_short(below, 'vi', 4))}"


def export_table(fw: Framework, path: str | Path) -> None:
    """Write ``fw`` as a criteria table, Word for a ``.docx`` path, else Excel."""
    from chiso.tables.atomic import atomic_target

    with atomic_target(path) as tmp:
        if Path(path).suffix.lower() == ".docx":
            _write_docx(fw, tmp)
        else:
            _write_xlsx(fw, tmp)


def _title_lines(fw: Framework) -> list[str]:
    return [fw.name_vi, fw.legal_basis] if fw.legal_basis else [fw.name_vi]


def _write_xlsx(fw: Framework, path: str) -> None:
    """Every cell is made (text as text, a formula-like text quote-prefixed, styles set) before
    its row is appended, so writing stays linear: finding a row again through ``max_row`` scans
    the whole sheet."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import Cell
    from openpyxl.styles import Alignment, Font

    from chiso.tables.formulas import text_cell

    roles, rows = _table_rows(fw)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Bộ tiêu chí"
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")

    def cell(value: Any, font: Font | None = None, text: bool = False, title: bool = False) -> Cell:
        made = Cell(sheet, value=value)
        text_cell(made)
        if font is not None:
            made.font = font
        if not title:
            made.alignment = wrap
        if text:
            made.number_format = "@"
        return made

    for line in _title_lines(fw):
        sheet.append([cell(line, bold, title=True)])
    sheet.append([])
    sheet.append([cell(HEADERS[r], bold) for r in roles])
    max_col = roles.index("max") + 1
    for values in rows:
        sheet.append([cell(v, text=(c == 0)) for c, v in enumerate(values)])
    total: list[Any] = [""] * len(roles)
    total[roles.index("content")] = TOTAL_LABEL
    total[max_col - 1] = fw.total_max
    sheet.append([cell(v) for v in total])
    widths = {"outline": 10, "content": 60, "name_en": 40, "max": 12}
    for c, role in enumerate(roles, start=1):
        letter = sheet.cell(1, c).column_letter
        sheet.column_dimensions[letter].width = widths.get(role, 30)
    book.save(path)


def _write_docx(fw: Framework, path: str) -> None:
    from docx import Document

    from chiso.office.text import xml_text  # python-docx refuses control characters

    roles, rows = _table_rows(fw)
    document = Document()
    for line in _title_lines(fw):
        document.add_paragraph(xml_text(line))
    table = document.add_table(rows=1, cols=len(roles))
    table.style = "Table Grid"
    for c, role in enumerate(roles):
        table.rows[0].cells[c].text = HEADERS[role]
    max_col = roles.index("max")
    for values in rows:
        cells = table.add_row().cells
        for c, value in enumerate(values):
            if c == max_col and value != "":
                cells[c].text = format_short(value, "vi", 4)
            else:
                cells[c].text = xml_text(value or "")
    cells = table.add_row().cells
    cells[roles.index("content")].text = TOTAL_LABEL
    cells[max_col].text = format_short(fw.total_max, "vi", 4)
    document.save(path)
