"""Read a results table back (for ``chiso compare``): the JSON, CSV or XLSX that ``chiso score``
writes, in either language."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from chiso.i18n import LANGUAGES
from chiso.numbers import NotANumber, parse_decimal
from chiso.problems import ProblemReport, Refusal
from chiso.scoring.compare import ResultTable, UnitResult
from chiso.tables.sources import Cell, open_table
from chiso.tables.writing import labels
from chiso.vietnamese import nfc

_CODE = re.compile(r"^[0-9A-Za-z]+(\.[0-9A-Za-z]+)*$")


def _bad(file: str, reason: str, row: int | None = None, column: str | None = None) -> Refusal:
    report = ProblemReport()
    report.add("results.bad_file", file, row, column, reason=reason)
    return Refusal(report)


@cache
def _not_applicable() -> frozenset[str]:
    """How a table in any language writes "not applicable" (KAD, NA)."""
    return frozenset(labels(lg)["na"] for lg in LANGUAGES)


def _number(cell: Cell, lang: str, file: str, row: int, column: str) -> float | None:
    if cell is None or isinstance(cell, float):
        return cell
    text = cell.strip()
    if not text or text in _not_applicable():
        return None
    try:  # a Vietnamese table prints a decimal comma, an English one a point
        return parse_decimal(text, decimal_comma=lang == "vi")
    except NotANumber:
        raise _bad(file, f"'{cell}'", row, column) from None


def read_results(path: str | Path) -> ResultTable:
    file = str(path)
    if Path(path).suffix.lower() == ".json":
        return _read_json(file)
    table = open_table(path)
    # a table written in any language is read back: its first column names the language
    lang = next((lg for lg in LANGUAGES if table.header[:1] == [labels(lg)["unit"]]), None)
    if lang is None:
        names = " or ".join(f"'{labels(lg)['unit']}'" for lg in LANGUAGES)
        raise _bad(file, f"first column must be {names}", 1)
    lab = labels(lang)
    col = {name: i for i, name in enumerate(table.header)}
    for key in ("total", "index", "rank"):
        if lab[key] not in col:
            raise _bad(file, f"no column '{lab[key]}'", 1)
    codes = [h for h in table.header[1 : col[lab["total"]]] if _CODE.match(h)]
    units: dict[str, UnitResult] = {}
    for row, cells in table.rows:
        cells = cells + [None] * (len(table.header) - len(cells))
        name = nfc(str(cells[0] or "")).strip()
        if not name:
            continue
        rank = _number(cells[col[lab["rank"]]], "en", file, row, lab["rank"])
        units[name] = UnitResult(
            unit=name,
            points={c: _number(cells[col[c]], lang, file, row, c) for c in codes},
            total=_number(cells[col[lab["total"]]], lang, file, row, lab["total"]),
            index=_number(cells[col[lab["index"]]], lang, file, row, lab["index"]),
            rank=int(rank) if rank is not None else None,
        )
    return ResultTable(file, units, codes)


def _read_json(file: str) -> ResultTable:
    try:
        doc: Any = json.loads(Path(file).read_text(encoding="utf-8-sig"))
        rows = doc["units"]
        codes = list(rows[0]["points"]) if rows else []
        units = {}
        for r in rows:
            name = nfc(r["unit"])
            points = {c: (None if v in (None, "NA") else float(v)) for c, v in r["points"].items()}
            units[name] = UnitResult(name, points, r["total"], r["index"], r["rank"])
    except FileNotFoundError:
        report = ProblemReport()
        report.add("file.not_found", file)
        raise Refusal(report) from None
    except (ValueError, KeyError, TypeError, IndexError) as exc:
        raise _bad(file, f"{type(exc).__name__}: {exc}") from None
    return ResultTable(file, units, codes)
