"""Results tables in CSV, XLSX or JSON, in Vietnamese or English, written atomically.

A results file is written to a temporary file beside its destination and moved into place
only when complete, so a failure never leaves half a file under the user's chosen name.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from chiso.frameworks.model import Framework
from chiso.i18n import gettext_noop, pgettext_noop, translated
from chiso.numbers import format_number
from chiso.scoring.document import ResultsDocument, UnitEntry, from_results
from chiso.scoring.ranking import group_name, groups_counted
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


def result_rows(results: Results) -> list[UnitEntry]:
    """The units' entries in the display order (see
    :func:`chiso.scoring.document.from_results`), numbers unrounded."""
    return list(from_results(results).units)


def _headers(codes: Sequence[str], lang: str) -> list[str]:
    lab = labels(lang)
    return [
        lab["unit"],
        *codes,
        lab["total"],
        lab["max"],
        lab["index"],
        lab["rank"],
        lab["group"],
        lab["status"],
        lab["missing"],
    ]


def _cells(
    row: UnitEntry,
    codes: Sequence[str],
    framework: Framework,
    lang: str,
    fmt: Callable[[float | None], Any],
) -> list[Any]:
    lab = labels(lang)
    points = [lab["na"] if (v := row.points.get(c)) == "NA" else fmt(v) for c in codes]
    # a document read from a table for people has the group's name only
    group = group_name(framework, row.group, lang) if row.group else row.group_name or ""
    return [
        row.unit,
        *points,
        fmt(row.total),
        fmt(row.max),
        fmt(row.index),
        row.rank or "",
        group,
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
    """The results table as CSV text (what ``chiso score`` prints without ``--out``)."""
    return document_csv(from_results(results), results.framework, lang)


def document_csv(doc: ResultsDocument, framework: Framework, lang: str) -> str:
    """The document as a table for people, in ``lang``: numbers to the framework's precision
    with the language's decimal mark, groups and statuses named in it."""
    precision = framework.precision
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(csv_row(_headers(doc.codes, lang)))
    for row in doc.units:
        writer.writerow(
            csv_row(
                _cells(row, doc.codes, framework, lang, lambda x: format_number(x, lang, precision))
            )
        )
    return out.getvalue()


def json_document(results: Results, lang: str | None) -> dict[str, Any]:
    """The results as a document's JSON data (what ``--format json`` writes): each unit's
    group as its code (``group``) and, when ``lang`` is given, its name in that language
    (``group_name``, for people reading the file). ``lang=None`` keeps codes only: a reader
    shows a group with :func:`chiso.scoring.ranking.group_name`, in its own language."""
    doc = from_results(results)
    if lang is not None:
        doc = doc.with_group_names(results.framework, lang)
    return doc.to_json()


def document_text(doc: ResultsDocument) -> str:
    """The document as the JSON text ``chiso score --out x.json`` writes."""
    return json.dumps(doc.to_json(), ensure_ascii=False, indent=2) + "\n"


def published_json(doc: ResultsDocument) -> dict[str, Any]:
    """The document's JSON data as a publication keeps it: every key sorted (the SHA-256 of
    a snapshot is that of its canonical text), so a revision's JSON and the API's answer
    list them in that order."""
    data: dict[str, Any] = _sorted(doc.to_json())
    return data


def _sorted(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _sorted(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [_sorted(v) for v in value]
    return value


def canonical_text(doc: ResultsDocument) -> str:
    """The snapshot's text, whose SHA-256 a publication records: sorted keys, no spaces."""
    return json.dumps(doc.to_json(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def published_text(doc: ResultsDocument) -> str:
    """A revision's JSON as the portal serves it (``revisions/<n>.json``)."""
    return json.dumps(published_json(doc), ensure_ascii=False, indent=2)


def _write_xlsx(doc: ResultsDocument, framework: Framework, lang: str, target: str) -> None:
    import openpyxl
    from openpyxl.styles import Font

    lab = labels(lang)
    precision = framework.precision
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = lab["results"]
    append_row(sheet, _headers(doc.codes, lang))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    number_format = "0." + "0" * precision if precision else "0"
    for row in doc.units:
        append_row(sheet, _cells(row, doc.codes, framework, lang, lambda x: x))
    for col in sheet.iter_cols(min_row=2, min_col=2):
        for cell in col:
            if isinstance(cell.value, float):
                cell.number_format = number_format
    sheet.freeze_panes = "B2"
    summary = book.create_sheet(lab["summary"])
    append_row(summary, [lab["item"], lab["value_col"]])
    if doc.summary is not None:
        for item in summary_items(doc.summary, framework, lang):
            append_row(summary, list(item))
    book.save(target)


def write_results(results: Results, path: str | Path, lang: str = "vi") -> None:
    """Write ``results`` to ``path`` as CSV, XLSX or JSON (by its extension), atomically."""
    write_document(from_results(results), results.framework, path, lang)


def write_document(
    doc: ResultsDocument, framework: Framework, path: str | Path, lang: str = "vi"
) -> None:
    """Write the document to ``path`` as CSV, XLSX or JSON (by its extension), atomically:
    the one writer of each format (JSON names the groups in ``lang`` too; CSV and XLSX are
    tables for people in ``lang``)."""
    suffix = Path(path).suffix.lower()
    with atomic_target(path) as tmp:
        if suffix == ".xlsx":
            _write_xlsx(doc, framework, lang, tmp)
        elif suffix == ".json":
            text = document_text(doc.with_group_names(framework, lang))
            Path(tmp).write_text(text, encoding="utf-8")
        else:
            # a BOM, so that Excel opens the Vietnamese text as UTF-8
            Path(tmp).write_text(document_csv(doc, framework, lang), encoding="utf-8-sig")
