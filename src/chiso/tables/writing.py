"""Results tables in CSV, XLSX or JSON, in Vietnamese or English, written atomically.

A results file is written to a temporary file beside its destination and moved into place
only when complete, so a failure never leaves half a file under the user's chosen name.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chiso.frameworks.model import Framework
from chiso.i18n import gettext_noop, pgettext_noop, translated
from chiso.numbers import format_number
from chiso.scoring.ranking import display_key, group_name, groups_counted
from chiso.scoring.results import Results, Summary
from chiso.tables.atomic import atomic_target
from chiso.tables.formulas import append_row, csv_row

# The context "column" marks the names in a results file (its columns and its summary's rows):
# short and lowercase in English, where the same Vietnamese words are capitalised labels in a
# report ("Đơn vị" is "unit" here and "Unit" in the annex). Files are read back by their column
# names (chiso.tables.results_reading), so the English ones must not change. The context is
# written out in each call: gettext's extractors (Babel, makemessages) read only literals.
TABLE_LABELS: dict[str, str] = {
    "unit": pgettext_noop("column", "Đơn vị"),
    "total": pgettext_noop("column", "Tổng điểm"),
    "max": pgettext_noop("column", "Điểm tối đa"),
    "index": pgettext_noop("column", "Chỉ số (%)"),
    "rank": pgettext_noop("column", "Xếp hạng"),
    "group": pgettext_noop("column", "Nhóm"),
    "status": pgettext_noop("column", "Trạng thái"),
    "missing": pgettext_noop("column", "Còn thiếu"),
    "complete": gettext_noop("đầy đủ"),
    "incomplete": gettext_noop("chưa đủ"),
    "not ranked": gettext_noop("không xếp hạng"),
    "na": gettext_noop("KAD"),
    "summary": gettext_noop("Tổng hợp"),
    "results": gettext_noop("Kết quả"),
    "count": pgettext_noop("column", "Số đơn vị"),
    "ranked": pgettext_noop("column", "Số đơn vị được xếp hạng"),
    "mean": pgettext_noop("column", "Trung bình"),
    "highest": pgettext_noop("column", "Cao nhất"),
    "lowest": pgettext_noop("column", "Thấp nhất"),
    "item": pgettext_noop("column", "Chỉ tiêu"),
    "value_col": pgettext_noop("column", "Giá trị"),
}
"""The words of a results table (key → Vietnamese text, translated by the catalogue)."""


def labels(lang: str) -> dict[str, str]:
    """The words of a results table in ``lang``: its column names, statuses and summary."""
    return translated(TABLE_LABELS, lang)


STATUS_CODES = ("complete", "incomplete", "not ranked")


@dataclass(frozen=True)
class Row:
    """One unit's line of a results table, with numbers unrounded."""

    unit: str
    points: dict[str, float | str | None]  # code -> value, "NA", or None (missing)
    total: float | None
    max: float | None
    index: float | None
    rank: int | None
    group: str | None  # the group's code: shown with scoring.ranking.group_name
    status: str
    missing: list[str]


def _num(x: float) -> float | None:
    return None if math.isnan(x) else float(x)


def result_rows(results: Results) -> list[Row]:
    """Rows in the display order (:func:`~chiso.scoring.ranking.display_key`): ranked units by
    rank (ties by Vietnamese name), then units without a rank, by name: complete ones (whose
    index could not be computed), then units assessed but not ranked, then incomplete ones."""
    plan = results.plan
    agg = results.aggregates
    codes = results.framework.codes
    values, applicable = agg.values, agg.applicable
    rows: list[Row] = []
    for u, unit in enumerate(results.units):
        points: dict[str, float | str | None] = {}
        for code in codes:
            j = plan.positions[code]
            if not applicable[j, u]:
                points[code] = "NA"
            else:
                points[code] = _num(values[j, u])
        band = results.groups[u]
        rank = int(results.rank[u])
        rows.append(
            Row(
                unit=unit,
                points=points,
                total=_num(results.total[u]),
                max=_num(results.total_max[u]),
                index=_num(results.index[u]),
                rank=rank or None,
                group=band.code if band else None,
                status=results.status[u],
                missing=results.missing.get(u, []),
            )
        )
    # the display order, the unranked tail grouped by status: units not ranked, then incomplete
    order = {"complete": 0, "not ranked": 1, "incomplete": 2}
    rows.sort(key=lambda r: (order[r.status], display_key(r.rank, r.unit)))
    return rows


def _headers(results: Results, lang: str) -> list[str]:
    lab = labels(lang)
    return [
        lab["unit"],
        *results.framework.codes,
        lab["total"],
        lab["max"],
        lab["index"],
        lab["rank"],
        lab["group"],
        lab["status"],
        lab["missing"],
    ]


def _cells(
    row: Row, framework: Framework, lang: str, fmt: Callable[[float | None], Any]
) -> list[Any]:
    lab = labels(lang)
    points = [lab["na"] if v == "NA" else fmt(v) for v in row.points.values()]  # type: ignore[arg-type]
    return [
        row.unit,
        *points,
        fmt(row.total),
        fmt(row.max),
        fmt(row.index),
        row.rank or "",
        group_name(framework, row.group, lang),
        lab[row.status],
        "; ".join(row.missing),
    ]


def summary_items(summary: Summary, framework: Framework, lang: str) -> list[tuple[str, str]]:
    precision = framework.precision
    lab = labels(lang)

    def n(x: float | None) -> str:
        return format_number(x, lang, precision)

    items = [
        (lab["count"], str(summary.units)),
        (lab["ranked"], str(summary.ranked)),
        (lab["mean"], n(summary.mean)),
        (lab["highest"], f"{n(summary.highest)} ({', '.join(summary.highest_units)})"),
        (lab["lowest"], f"{n(summary.lowest)} ({', '.join(summary.lowest_units)})"),
    ]
    for name, count in groups_counted(framework, summary.per_group, lang):
        items.append((f"{lab['group']} {name}", str(count)))
    return items


def csv_text(results: Results, lang: str) -> str:
    precision = results.framework.precision
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(csv_row(_headers(results, lang)))
    for row in result_rows(results):
        writer.writerow(
            csv_row(
                _cells(row, results.framework, lang, lambda x: format_number(x, lang, precision))
            )
        )
    return out.getvalue()


def _standard_errors(results: Results) -> dict[str, dict[str, Any]]:
    """Standard errors carried from survey estimates, per unit: ``se`` per node, and
    ``total_se`` and ``index_se`` where the total's is known (never pieced together from the
    parts, whose covariance only the survey design knows)."""
    if results.se is None:
        return {}
    out: dict[str, dict[str, Any]] = {}
    total_se, index_se = results.total_se, results.index_se
    for u, unit in enumerate(results.units):
        keys: dict[str, Any] = {}
        for code, j in results.plan.positions.items():
            value = results.se[j, u]
            if not math.isnan(value):
                keys.setdefault("se", {})[code] = float(value)
        if not math.isnan(total_se[u]):
            keys["total_se"] = float(total_se[u])
            if not math.isnan(index_se[u]):
                keys["index_se"] = float(index_se[u])
        if keys:
            out[unit] = keys
    return out


def json_document(results: Results, lang: str | None) -> dict[str, Any]:
    """The results as a document (what ``--format json`` writes and a snapshot keeps): each
    unit's group as its code (``group``) and, when ``lang`` is given, its name in that language
    (``group_name``, for people reading the file). ``lang=None`` keeps codes only: a reader
    shows a group with :func:`chiso.scoring.ranking.group_name`, in its own language."""
    fw = results.framework
    s = results.summary()
    errors = _standard_errors(results)
    return {
        "framework": {
            "code": fw.code,
            "index": fw.index,
            "name_vi": fw.name_vi,
            "name_en": fw.name_en,
            "legal_basis": fw.legal_basis,
            "precision": fw.precision,
            "rank_by": fw.rank_by,
        },
        "units": [
            {
                "unit": r.unit,
                "points": r.points,
                "total": r.total,
                "max": r.max,
                "index": r.index,
                "rank": r.rank,
                "group": r.group,
                **({} if lang is None else {"group_name": group_name(fw, r.group, lang) or None}),
                "status": r.status,
                "missing": r.missing,
                **errors.get(r.unit, {}),
            }
            for r in result_rows(results)
        ],
        "summary": {
            "units": s.units,
            "complete": s.complete,
            "ranked": s.ranked,
            "on": s.on,
            "mean": s.mean,
            "highest": s.highest,
            "highest_units": list(s.highest_units),
            "lowest": s.lowest,
            "lowest_units": list(s.lowest_units),
            "per_group": s.per_group,
        },
    }


def _write_xlsx(results: Results, lang: str, target: str) -> None:
    import openpyxl
    from openpyxl.styles import Font

    lab = labels(lang)
    precision = results.framework.precision
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = lab["results"]
    append_row(sheet, _headers(results, lang))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    number_format = "0." + "0" * precision if precision else "0"
    for row in result_rows(results):
        append_row(sheet, _cells(row, results.framework, lang, lambda x: x))
    for col in sheet.iter_cols(min_row=2, min_col=2):
        for cell in col:
            if isinstance(cell.value, float):
                cell.number_format = number_format
    sheet.freeze_panes = "B2"
    summary = book.create_sheet(lab["summary"])
    append_row(summary, [lab["item"], lab["value_col"]])
    for item in summary_items(results.summary(), results.framework, lang):
        append_row(summary, list(item))
    book.save(target)


def write_results(results: Results, path: str | Path, lang: str = "vi") -> None:
    """Write ``results`` to ``path`` as CSV, XLSX or JSON (by its extension), atomically."""
    suffix = Path(path).suffix.lower()
    with atomic_target(path) as tmp:
        if suffix == ".xlsx":
            _write_xlsx(results, lang, tmp)
        elif suffix == ".json":
            text = json.dumps(json_document(results, lang), ensure_ascii=False, indent=2)
            Path(tmp).write_text(text + "\n", encoding="utf-8")
        else:
            # a BOM, so that Excel opens the Vietnamese text as UTF-8
            Path(tmp).write_text(csv_text(results, lang), encoding="utf-8-sig")
