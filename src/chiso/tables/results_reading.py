"""Reading a results document back, whatever form chiso wrote it in: one reader for
``chiso compare``, ``chiso ranks``, ``chiso plan``, ``chiso gaps`` and ``chiso report``.

Every form holds the same :class:`~chiso.scoring.document.ResultsDocument`:

* the document as JSON: what ``chiso score --out x.json`` writes, a revision's JSON from the
  portal (``revisions/<n>.json``) and the API's answer;
* the portal's open data: ``data.json`` (``{"rows": [...], "cycle": …, "decision": …}``),
  ``data.csv`` and ``data.xlsx``, and what ``chiso report data`` writes (English column names:
  ``unit, region, <codes>, total, max, index, rank, group, status``…);
* the table ``chiso score --out`` writes as CSV or XLSX, in either language (its first column
  names the language).

Open data and the tables do not name their framework; a CSV rounds its numbers (the document
says to how many decimals, so that scoring them again allows for it). Anything else is an
:class:`~chiso.problems.Refusal` naming the file, the row and the column.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

from chiso.i18n import LANGUAGES
from chiso.numbers import NotANumber, parse_decimal
from chiso.problems import ProblemReport, Refusal
from chiso.scoring.compare import ResultTable, UnitResult
from chiso.scoring.document import (
    STATUSES,
    CycleInfo,
    DecisionInfo,
    Point,
    PublicationInfo,
    ResultsDocument,
    UnitEntry,
    check_schema,
    from_json,
)
from chiso.scoring.results import NOT_APPLICABLE, Status
from chiso.tables.sources import Cell, open_table
from chiso.tables.writing import labels
from chiso.vietnamese import nfc

_CODE = re.compile(r"^[0-9A-Za-z]+(\.[0-9A-Za-z]+)*$")
OPEN_DATA_DECIMALS = 6
"""How many decimals open data's CSV keeps (reports.open_data writes them so)."""
OPEN_DATA_EXTRA = ("region",)
"""Columns of open data between the unit and the points, not read back."""
PUBLICATION_COLUMNS = ("revision", "decision_number", "decision_date", "decision_body")


def _bad(file: str, reason: str, row: int | None = None, column: str | None = None) -> Refusal:
    report = ProblemReport()
    report.add("results.bad_file", file, row, column, reason=reason)
    return Refusal(report)


def read_document(path: str | Path) -> ResultsDocument:
    """The results document in ``path`` (JSON, CSV or XLSX, in any form chiso writes)."""
    file = str(path)
    if Path(path).suffix.lower() == ".json":
        data = _json(file)
        if isinstance(data, Mapping) and "units" not in data and isinstance(data.get("rows"), list):
            return _open_data_json(data, file)
        return from_json(data, file)
    table = open_table(path)
    return _from_table(file, table.header, list(table.rows))


def _json(file: str) -> Any:
    try:
        return json.loads(Path(file).read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        report = ProblemReport()
        report.add("file.not_found", file)
        raise Refusal(report) from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise _bad(file, f"{type(exc).__name__}: {exc}") from None


def read_results(path: str | Path) -> ResultTable:
    """The document as ``chiso compare`` reads it: each unit's points (not applicable read as
    none), total, index and rank, names in NFC."""
    doc = read_document(path)
    units: dict[str, UnitResult] = {}
    for u in doc.units:
        name = nfc(u.unit).strip()
        points = {c: u.point(c) for c in doc.codes}
        units[name] = UnitResult(name, points, u.value("total"), u.value("index"), u.rank)
    return ResultTable(str(path), units, list(doc.codes))


# --- tables (CSV, XLSX) ------------------------------------------------------------------


@cache
def _not_applicable() -> frozenset[str]:
    """How a table in any language writes "not applicable" (KAD, NA)."""
    return frozenset(labels(lg)["na"] for lg in LANGUAGES)


class _Cells:
    """Reads a table's cells as numbers, text and statuses in the table's language, noting
    each that is not what its column holds."""

    def __init__(self, file: str, lang: str) -> None:
        self.file = file
        # a Vietnamese table prints a decimal comma, an English one a point
        self.decimal_comma = lang == "vi"
        self.report = ProblemReport()
        self.decimals = 0

    def number(self, cell: Cell, row: int, column: str) -> float | None:
        if cell is None or isinstance(cell, float):
            return cell
        text = cell.strip()
        if not text or text in _not_applicable():
            return None
        try:
            value = parse_decimal(text, decimal_comma=self.decimal_comma)
        except NotANumber:
            self.report.add("results.bad_file", self.file, row, column, reason=f"'{cell}'")
            return None
        if match := re.search(r"[.,](\d+)$", text):
            self.decimals = max(self.decimals, len(match.group(1)))
        return value

    def point(self, cell: Cell, row: int, column: str) -> Point:
        if isinstance(cell, str) and cell.strip() in _not_applicable():
            return NOT_APPLICABLE
        return self.number(cell, row, column)

    def rank(self, cell: Cell, row: int, column: str) -> int | None:
        value = self.number(cell, row, column)
        if value is None:
            return None
        if not value.is_integer() or value < 1:
            self.report.add("results.bad_file", self.file, row, column, reason=f"'{cell}'")
            return None
        return int(value)


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float):
        return f"{cell:g}"
    return nfc(cell).strip()


def _table_language(header: Sequence[str]) -> tuple[str, bool] | None:
    """The table's language and whether it is open data (English keys, a region column)."""
    if header[1:2] == ["region"] and header[:1] == ["unit"]:
        return "en", True
    for lang in LANGUAGES:
        if header[:1] == [labels(lang)["unit"]]:
            return lang, False
    return None


def _from_table(
    file: str, header: list[str], rows: list[tuple[int, list[Cell]]]
) -> ResultsDocument:
    found = _table_language(header)
    if found is None:
        names = " or ".join(f"'{labels(lg)['unit']}'" for lg in LANGUAGES)
        raise _bad(file, f"first column must be {names}", 1)
    lang, open_data = found
    lab = (
        {k: k for k in ("unit", "total", "max", "index", "rank", "group", "status", "missing")}
        if open_data
        else labels(lang)
    )
    col = {name: i for i, name in enumerate(header)}
    for key in ("total", "index", "rank"):
        if lab[key] not in col:
            raise _bad(file, f"no column '{lab[key]}'", 1)
    first = 1 + sum(1 for h in header[1:] if h in OPEN_DATA_EXTRA) if open_data else 1
    codes = [h for h in header[first : col[lab["total"]]] if _CODE.match(h)]
    statuses = {labels(lang)[s]: s for s in STATUSES} | {s: s for s in STATUSES}
    cells = _Cells(file, lang)
    units: list[UnitEntry] = []
    publication: PublicationInfo | None = None

    def get(values: list[Cell], key: str) -> Cell:
        return values[col[key]] if key in col else None

    for row, values in rows:
        values = values + [None] * (len(header) - len(values))
        name = _text(values[0])
        if not name:
            continue
        status_text = _text(get(values, lab["status"]))
        status: Status = statuses.get(status_text, "complete")
        if status_text and status_text not in statuses:
            cells.report.add(
                "results.bad_file", file, row, lab["status"], reason=f"'{status_text}'"
            )
        group = _text(get(values, lab["group"])) or None
        missing = _text(get(values, lab["missing"]))
        units.append(
            UnitEntry(
                unit=name,
                points={c: cells.point(values[col[c]], row, c) for c in codes},
                total=cells.number(values[col[lab["total"]]], row, lab["total"]),
                max=cells.number(get(values, lab["max"]), row, lab["max"]),
                index=cells.number(values[col[lab["index"]]], row, lab["index"]),
                rank=cells.rank(values[col[lab["rank"]]], row, lab["rank"]),
                # open data holds the group's code; the table for people its name
                group=group if open_data else None,
                group_name=None if open_data else group,
                status=status,
                missing=tuple(m.strip() for m in missing.split(";") if m.strip()),
                total_se=cells.number(get(values, "total_se"), row, "total_se")
                if open_data
                else None,
                index_se=cells.number(get(values, "index_se"), row, "index_se")
                if open_data
                else None,
            )
        )
        if open_data and publication is None and "decision_number" in col:
            revision = cells.rank(get(values, "revision"), row, "revision")
            publication = _publication_of(
                revision,
                _text(get(values, "decision_number")),
                _text(get(values, "decision_date")) or None,
                _text(get(values, "decision_body")),
            )
    if cells.report:
        raise Refusal(cells.report)
    _unique(file, units)
    # a workbook keeps numbers whole; a CSV rounds them (chiso score to the framework's
    # precision, open data to six decimals)
    decimals = cells.decimals if file.lower().endswith(".csv") else None
    return ResultsDocument(
        None,
        tuple(units),
        publication=publication,
        named_groups=not open_data,
        decimals=decimals,
        codes=tuple(codes),
    )


def _unique(file: str, units: Sequence[UnitEntry]) -> None:
    seen: set[str] = set()
    for row, u in enumerate(units, start=1):
        if u.unit in seen:
            raise _bad(file, f"unit: '{u.unit}'", row, "unit")
        seen.add(u.unit)


def _publication_of(
    revision: int | None, number: str, date: str | None, body: str
) -> PublicationInfo | None:
    if revision is None and not number:
        return None
    decision = DecisionInfo(number, date, body) if number else None
    return PublicationInfo(revision, decision=decision)


# --- open data as JSON -------------------------------------------------------------------


def _open_data_json(data: Mapping[str, Any], file: str) -> ResultsDocument:
    """The portal's ``data.json`` (and ``chiso report data``'s): the open-data rows, with the
    cycle, the revision and the snapshot's SHA-256 beside them."""
    check_schema(data, file)
    rows: list[Any] = data["rows"]
    header = list(rows[0]) if rows and isinstance(rows[0], Mapping) else []
    if header[:2] != ["unit", "region"]:
        raise _bad(file, "rows: unit, region", 1)
    table: list[tuple[int, list[Cell]]] = []
    report = ProblemReport()
    for row, values in enumerate(rows, start=1):
        if not isinstance(values, Mapping):
            report.add("results.bad_file", file, row, reason="rows")
            continue
        table.append((row, [_json_cell(values.get(k)) for k in header]))
    if report:
        raise Refusal(report)
    doc = _from_table(file, header, table)
    # JSON keeps numbers whole and their types (rank 1, points 9.0): the cells were read as
    # text only for the column names; take the values themselves
    written = {_text(_json_cell(r.get("unit"))): r for r in rows}
    units = tuple(_exact(u, written[u.unit]) for u in doc.units)
    cycle = None
    name = data.get("cycle")
    if isinstance(name, str):
        # its name only: a reader takes the year from it where it needs one (cycle_label)
        cycle = CycleInfo(None, name, None, bool(data.get("simulated")))
    publication = doc.publication
    sha256 = data.get("sha256_of_snapshot")
    if publication is not None or isinstance(data.get("revision"), int):
        revision = publication.revision if publication else data.get("revision")
        publication = PublicationInfo(
            revision if isinstance(revision, int) else None,
            decision=publication.decision if publication else None,
            sha256=sha256 if isinstance(sha256, str) else None,
        )
    return ResultsDocument(None, units, cycle=cycle, publication=publication, codes=doc.codes)


def _json_cell(value: Any) -> Cell:
    """A JSON value as a table's cell (numbers as floats, the rest as text) for checking."""
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return float(value)
    return str(value)


def _exact(u: UnitEntry, values: Mapping[str, Any]) -> UnitEntry:
    def number(key: str) -> Any:
        value = values.get(key)
        return value if isinstance(value, int | float) and not isinstance(value, bool) else None

    points: dict[str, Point] = {
        c: (NOT_APPLICABLE if v == NOT_APPLICABLE else number(c)) for c, v in u.points.items()
    }
    return replace(
        u,
        points=points,
        total=number("total"),
        max=number("max"),
        index=number("index"),
        total_se=number("total_se"),
        index_se=number("index_se"),
    )
