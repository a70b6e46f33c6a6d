"""Criteria tables in Word and Excel: the form in which provinces publish their criteria sets.

A People's Committee decision carries its criteria set as an annex table: an outline number,
the content, the maximum points and often the scoring guidance and the evaluation method.
:func:`import_table` reads such a table (the first one in the file with those headers) into a
framework file; :func:`export_table` writes a framework back in the same layout, so that
``import(export(x)) == x`` for everything a table can say. Reading checks the whole table and
reports every problem at once with its sheet (or table), row and column: sums that do not add
up, repeated or skipped numbers, text where points belong, merged cells that hide a number.
openpyxl and python-docx are imported only when a table is read or written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chiso.frameworks.model import Framework, Node
from chiso.frameworks.outline import Outline, OutlineEntry, OutlineProblem, parse_printed
from chiso.numbers import NotANumber, format_short, parse_decimal
from chiso.problems import ProblemReport, Refusal
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
"""The most cells a criteria table's sheet may span (rows × columns), and the most one merged
range may cover: the largest real table (a province's, some 300 rows of 8 columns) is a few
thousand. openpyxl makes an object for every cell a merge covers when it loads a workbook, so
one ``A1:XFD1048576`` merge would take the server's memory for minutes."""
MAX_UNPACKED = 100 * 2**20
"""The most a Word or Excel table may hold once unzipped (a few MB is already large)."""


def _bounds_problems(path: str | Path, shown: str) -> ProblemReport:
    """What makes a Word or Excel file too large to open, read without opening it: its
    unzipped size, and for Excel each sheet's declared extent and each merged range (openpyxl
    would expand a merge on loading)."""
    import zipfile
    from xml.etree.ElementTree import iterparse

    from openpyxl.utils.cell import range_boundaries

    report = ProblemReport()
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return report  # not a zip: the reader reports the file as unreadable
    with archive:
        unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_UNPACKED:
            report.add("file.unpacked_too_large", shown, limit=MAX_UNPACKED // 2**20)
            return report
        for title, part in _sheet_parts(archive):
            where = f"{shown}, sheet '{title}'"
            try:
                with archive.open(part) as fh:
                    for _, element in iterparse(fh):
                        tag = element.tag.rsplit("}", 1)[-1]
                        if tag in ("dimension", "mergeCell"):
                            ref = element.get("ref") or ""
                            try:
                                low_col, low_row, high_col, high_row = range_boundaries(ref)
                            except (ValueError, TypeError):
                                continue
                            cells = (high_row - low_row + 1) * (high_col - low_col + 1)
                            if cells > MAX_CELLS:
                                rule = (
                                    "table.merge_too_large"
                                    if tag == "mergeCell"
                                    else ("table.too_large")
                                )
                                report.add(rule, where, range=ref, cells=cells, limit=MAX_CELLS)
                        elif tag == "row":
                            element.clear()  # keep memory flat over a long sheet
            except (KeyError, SyntaxError):
                continue  # a damaged part: the reader reports the file as unreadable
    return report


def _sheet_parts(archive: Any) -> list[tuple[str, str]]:
    """(title, part name) of each worksheet of an XLSX archive, from its workbook and its
    relationships; empty for a file that is not one."""
    from xml.etree.ElementTree import fromstring

    try:
        book = fromstring(archive.read("xl/workbook.xml"))
        rels = fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, SyntaxError):
        return []
    targets = {r.get("Id"): r.get("Target") or "" for r in rels}
    parts = []
    for sheet in book.iter():
        if sheet.tag.rsplit("}", 1)[-1] != "sheet":
            continue
        rid = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), None)
        target = targets.get(rid, "")
        if target:
            part = target.lstrip("/") if target.startswith("/") else "xl/" + target
            parts.append((sheet.get("name") or "?", part))
    return parts


def read_xlsx_tables(path: str | Path, shown: str | None = None) -> list[RawTable]:
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    book = load_workbook(path, data_only=True)
    tables = []
    for sheet in book.worksheets:
        cells_spanned = sheet.max_row * sheet.max_column
        if cells_spanned > MAX_CELLS:
            # a cell written far away (a dimension that lies): never walk every empty cell
            report = ProblemReport()
            report.add(
                "table.too_large",
                f"{shown or Path(path).name}, sheet '{sheet.title}'",
                range=sheet.dimensions,
                cells=cells_spanned,
                limit=MAX_CELLS,
            )
            raise Refusal(report)
        rows: list[list[str]] = []
        numeric: set[tuple[int, int]] = set()
        written: dict[tuple[int, int], str | None] = {}
        for r, cells in enumerate(sheet.iter_rows()):
            row = [cell.value for cell in cells]
            rows.append([_cell_text(v) for v in row])
            numeric.update((r, c) for c, v in enumerate(row) if isinstance(v, (int, float)))
            for c, cell in enumerate(cells):
                v = cell.value
                if isinstance(v, float) and not isinstance(v, bool) and not v.is_integer():
                    written[(r, c)] = shown_digits(v, str(cell.number_format or "General"))
        width = max((len(r) for r in rows), default=0)
        merged: dict[tuple[int, int], tuple[int, int]] = {}
        for rng in sheet.merged_cells.ranges:
            if rng.max_row > rng.min_row:
                for r in range(rng.min_row, rng.max_row + 1):
                    for c in range(rng.min_col, rng.max_col + 1):
                        merged[(r - 1, c - 1)] = (rng.min_row, rng.max_row)
        tables.append(
            RawTable(
                f"sheet '{sheet.title}'",
                rows,
                [get_column_letter(c + 1) for c in range(width)],
                merged,
                numeric,
                written=written,
            )
        )
    return tables


def read_docx_tables(path: str | Path) -> list[RawTable]:
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = Document(str(path))
    tables = []
    titles: list[str] = []
    found: list[tuple[Any, str]] = []
    for element in document.element.body.iterchildren():
        if element.tag.endswith("}p"):
            text = " ".join(Paragraph(element, document).text.split())
            if text:
                titles.append(text)
        elif element.tag.endswith("}tbl"):
            found.append((Table(element, document), titles[0] if titles else ""))
            titles = []
    for t, (table, title) in enumerate(found, start=1):
        rows: list[list[str]] = []
        elements: list[list[Any]] = []
        for row in table.rows:
            cells = list(row.cells)
            elements.append([c._tc for c in cells])
            rows.append(
                [
                    "" if i and cells[i]._tc is cells[i - 1]._tc else c.text
                    for i, c in enumerate(cells)
                ]
            )
        merged: dict[tuple[int, int], tuple[int, int]] = {}
        for c in range(max((len(e) for e in elements), default=0)):
            r = 0
            while r < len(elements):
                end = r
                while (
                    end + 1 < len(elements)
                    and c < len(elements[end + 1])
                    and c < len(elements[r])
                    and elements[end + 1][c] is elements[r][c]
                ):
                    end += 1
                if end > r:
                    for k in range(r, end + 1):
                        merged[(k, c)] = (r + 1, end + 1)
                        if k > r:
                            rows[k][c] = ""
                r = end + 1
        width = max((len(r) for r in rows), default=0)
        tables.append(
            RawTable(f"bảng {t}", rows, [str(c + 1) for c in range(width)], merged, title=title)
        )
    return tables


def read_tables(path: str | Path, shown: str | None = None) -> list[RawTable]:
    suffix = Path(path).suffix.lower()
    if suffix == ".docx":
        return read_docx_tables(path)
    return read_xlsx_tables(path, shown)


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


class _TableReader:
    def __init__(self, file: str, table: RawTable, report: ProblemReport) -> None:
        self.file = file
        self.table = table
        self.report = report
        self.roles: dict[str, int] = {}
        self.extra_columns: dict[int, str] = {}

    def where(self) -> str:
        return f"{self.file}, {self.table.label}"

    def problem(self, rule: str, row: int, role: str | None, **params: Any) -> None:
        column = None
        if role is not None and role in self.roles:
            idx = self.roles[role]
            column = (
                self.table.column_names[idx] if idx < len(self.table.column_names) else str(idx)
            )
        self.report.add(rule, self.where(), row, column, **params)

    def find_header(self) -> int | None:
        for r, row in enumerate(self.table.rows[:30]):
            roles: dict[str, int] = {}
            for c, text in enumerate(row):
                role = header_role(text)
                if role is not None and role not in roles:
                    roles[role] = c
            if {"outline", "content", "max"} <= roles.keys():
                self.roles = roles
                self.extra_columns = {
                    c: " ".join(text.split())
                    for c, text in enumerate(row)
                    if text.strip() and c not in roles.values()
                }
                titles = [
                    " ".join(" ".join(x.split()) for x in line if x.strip())
                    for line in self.table.rows[:r]
                ]
                self.table.title = next((t for t in titles if t), self.table.title)
                return r
        return None

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
        self.total: tuple[float, int] | None = None
        max_col = self.roles["max"]
        reported_merges: set[tuple[int, int]] = set()
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
            merge = self.table.merged.get((r, max_col))
            if merge is not None and merge not in reported_merges:
                reported_merges.add(merge)
                self.problem("table.merged_points", shown, "max", first=merge[0], last=merge[1])
            points = self.points(points_text, shown)
            if not number:
                if _key(content).startswith("tổng"):
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
                first = next((n.row for n in nodes if n.entry is placed.other), None)
                if written is None:  # a fraction in a number cell: its trailing zeros are lost
                    self.problem("table.numeric_outline", shown, "outline", number=number)
                else:
                    self.problem(placed.rule, shown, "outline", first_row=first, **placed.params)
                continue
            if not content:
                self.problem("table.no_content", shown, "content", number=number)
            values = {role: self.cell(row, role) for role in ("name_en", "guidance", "method")}
            values["source"] = self.cell(row, "source")
            values["notes"] = self.cell(row, "notes")
            extra = [
                f"{name}: {nfc(row[c].strip())}"
                for c, name in self.extra_columns.items()
                if c < len(row) and row[c].strip()
            ]
            nodes.append(_Row(placed, shown, content, points, not points_text, values, extra))
        return nodes

    def points(self, text: str, row: int) -> float | None:
        if not text:
            return None
        try:
            value = parse_decimal(text, spaces_inside=True)
        except NotANumber:
            self.problem("table.points_not_number", row, "max", value=text[:40])
            return None
        if value is not None and value < 0:
            self.problem("table.points_negative", row, "max", value=text)
            return None
        return value


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

    def maximum(row: _Row) -> float | None:
        children = [by_entry[id(c)] for c in row.entry.children if id(c) in by_entry]
        if not children:
            return row.max
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
        for key in ("guidance", "method"):
            if row.values[key]:
                data[key] = row.values[key]
        notes = [row.values["notes"], *row.extra]
        if any(notes):
            data["notes"] = "\n".join(n for n in notes if n)
        children = [by_entry[id(c)] for c in row.entry.children if id(c) in by_entry]
        if children:
            data["children"] = [node(c) for c in children]
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


def table_document(path: str | Path, meta: TableMeta, name: str | None = None) -> dict[str, Any]:
    """The framework document read from the criteria table at ``path``; :class:`Refusal`
    with every problem of the table (or, once the table is clean, of the framework)."""
    shown = name or Path(path).name
    report = ProblemReport()
    suffix = Path(path).suffix.lower()
    if suffix not in (".docx", ".xlsx", ".xlsm"):
        report.add("file.format", shown, format=suffix or "?")
        raise Refusal(report)
    bounds = _bounds_problems(path, shown)
    if bounds:
        raise Refusal(bounds)
    try:
        tables = read_tables(path, shown)
    except Refusal:
        raise
    except Exception as exc:  # a damaged or mislabelled file: openpyxl and docx raise anything
        report.add("file.unreadable", shown, reason=type(exc).__name__)
        raise Refusal(report) from None
    for table in tables:
        reader = _TableReader(shown, table, report)
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
    import yaml

    text: str = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100)
    return text


def import_table(path: str | Path, meta: TableMeta, name: str | None = None) -> str:
    """The framework file (YAML text) of the criteria table at ``path``, checked as
    ``chiso frameworks validate`` checks a file; :class:`Refusal` with every problem."""
    from chiso.frameworks.loader import framework_from_text

    doc = table_document(path, meta, name)
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

    rows = [values(n) for n in fw.walk()]
    return roles, rows


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

    from chiso.reports.word import xml_text  # python-docx refuses control characters

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
            cells[c].text = format_short(value, "vi", 4) if c == max_col else xml_text(value or "")
    cells = table.add_row().cells
    cells[roles.index("content")].text = TOTAL_LABEL
    cells[max_col].text = format_short(fw.total_max, "vi", 4)
    document.save(path)
