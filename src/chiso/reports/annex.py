"""The ranking annex as the Ministry's tables lay it out: STT, unit, appraised points, survey
points, total, index, rank; then the count per group and the mean."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chiso.frameworks.model import Framework
from chiso.i18n import gettext, gettext_noop, translated
from chiso.reports.decision import decision_line, decision_of
from chiso.scoring.document import ResultsDocument, UnitEntry
from chiso.scoring.ranking import display_key, group_name, groups_counted, ranks_within
from chiso.tables.atomic import atomic_target
from chiso.tables.formulas import append_row
from chiso.units.regions import REGION_OF

HEADERS: tuple[str, ...] = (
    gettext_noop("STT"),
    gettext_noop("Đơn vị"),
    gettext_noop("Điểm thẩm định"),
    gettext_noop("Điểm điều tra xã hội học"),
    gettext_noop("Tổng điểm"),
    gettext_noop("Chỉ số (%)"),
    gettext_noop("Xếp hạng"),
    gettext_noop("Nhóm"),
)
"""The annex's column headings (Vietnamese, translated when written)."""
REGION_RANK_HEADER = gettext_noop("Xếp hạng trong vùng")
"""The column beside the rank when the units are provinces of a region (khu vực)."""

SUMMARY_LABELS: dict[str, str] = {
    "per_group": gettext_noop("Số đơn vị theo nhóm"),
    "mean": gettext_noop("Giá trị trung bình"),
}


def headers(lang: str) -> list[str]:
    """The annex's column headings in ``lang``."""
    return [gettext(h, lang) for h in HEADERS]


@dataclass(frozen=True)
class AnnexRow:
    number: int
    unit: str
    appraised: float | None
    survey: float | None
    total: float | None
    index: float | None
    rank: int | None
    group: str  # the group's name in the annex's language (scoring.ranking.group_name)
    region_rank: int | None = None  # the rank among the provinces of its region


def _split(framework: Framework) -> tuple[list[str], list[str]] | None:
    """Leaves whose points come from the survey, and the others; None where a leaf's source
    is mixed or unknown (the split then cannot be shown, and is not guessed)."""
    survey: list[str] = []
    other: list[str] = []
    for leaf in framework.leaves():
        if leaf.source in (None, "mixed"):
            return None
        (survey if leaf.source == "survey" else other).append(leaf.code)
    return survey, other


def annex_rows(doc: ResultsDocument, framework: Framework, lang: str = "vi") -> list[AnnexRow]:
    """Rows in rank order (ties by Vietnamese name), unranked units after them; each unit's
    group named in ``lang`` from its code and the framework (a stored ``group_name`` is never
    shown: it is in the language the results were written in, if there at all)."""
    split = _split(framework)
    units = sorted(doc.units, key=lambda u: display_key(u.rank, u.unit))
    in_region = ranks_within({u.unit: u.rank for u in units}, REGION_OF)

    def points(unit: UnitEntry, codes: list[str]) -> float | None:
        values = [unit.points.get(c) for c in codes]
        if any(v is None for v in values):
            return None
        return float(sum(v for v in values if isinstance(v, int | float)))

    rows = []
    for n, u in enumerate(units, start=1):
        survey = appraised = None
        if split is not None and u.total is not None:
            survey, appraised = points(u, split[0]), points(u, split[1])
        rows.append(
            AnnexRow(
                n,
                u.unit,
                appraised,
                survey,
                u.total,
                u.index,
                u.rank,
                group_name(framework, u.group, lang),
                in_region.get(u.unit),
            )
        )
    return rows


def _summary(doc: ResultsDocument) -> tuple[dict[str, int], float | None]:
    """The count per group and the mean under the table (none where the document has no
    summary: open data read back)."""
    if doc.summary is None:
        return {}, None
    return dict(doc.summary.per_group), doc.summary.mean


def header_lines(doc: ResultsDocument, framework: Framework, lang: str) -> str:
    """Under the title: the decision that published the results (or the framework's legal
    basis where the results carry no decision)."""
    return decision_line(decision_of(doc), lang) or framework.legal_basis


def write_annex_xlsx(
    doc: ResultsDocument, framework: Framework, path: str | Path, title: str, lang: str = "vi"
) -> None:
    """The annex as an Excel workbook, numbers as numbers shown at the published precision."""
    import openpyxl
    from openpyxl.styles import Alignment, Font

    rows = annex_rows(doc, framework, lang)
    fmt = "0." + "0" * framework.precision
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = gettext("Phụ lục", lang)
    regional = any(r.region_rank for r in rows)
    append_row(ws, [title])
    ws["A1"].font = Font(bold=True, size=13)
    decision = decision_line(decision_of(doc), lang)
    append_row(ws, [decision] if decision else [])
    heads = headers(lang)
    if regional:
        heads.insert(7, gettext(REGION_RANK_HEADER, lang))
    append_row(ws, heads)
    for cell in ws[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, horizontal="center")
    for r in rows:
        values: list[Any] = [r.number, r.unit, r.appraised, r.survey, r.total, r.index, r.rank]
        values += [r.region_rank, r.group] if regional else [r.group]
        append_row(ws, values)
        for col in (3, 4, 5, 6):
            ws.cell(row=ws.max_row, column=col).number_format = fmt
    ws.append([])
    per_group, mean = _summary(doc)
    label = translated(SUMMARY_LABELS, lang)
    for name, count in groups_counted(framework, per_group, lang):
        append_row(ws, ["", f"{label['per_group']}: {name}", None, None, None, None, count])
    if mean is not None:
        append_row(ws, ["", label["mean"], None, None, None, mean])
        ws.cell(row=ws.max_row, column=6).number_format = fmt
    ws.column_dimensions["B"].width = 34
    for letter in "CDEFGH":
        ws.column_dimensions[letter].width = 14
    with atomic_target(path) as tmp:
        book.save(tmp)


DEFAULT_WORD_TEMPLATE = Path(__file__).parent / "templates" / "annex.docx"


def write_annex_docx(
    doc: ResultsDocument,
    framework: Framework,
    path: str | Path,
    title: str,
    lang: str = "vi",
    template: str | Path | None = None,
) -> None:
    """The annex as Word, from a template an office can edit (docxtpl tags: title, subtitle,
    h, rows, summary); numbers printed at the published precision, decimal comma in
    Vietnamese. Unit names and the decision are text, never XML
    (:func:`chiso.reports.word.render_template`)."""
    from chiso.numbers import format_number
    from chiso.reports.word import render_template

    def n(x: float | None) -> str:
        return format_number(x, lang, framework.precision)

    annex = annex_rows(doc, framework, lang)
    region_header = gettext(REGION_RANK_HEADER, lang)
    rows = [
        {
            "number": r.number,
            "unit": r.unit,
            "appraised": n(r.appraised),
            "survey": n(r.survey),
            "total": n(r.total),
            "index": n(r.index),
            "rank": r.rank or "",
            "region_rank": r.region_rank or "",
            "group": r.group,
        }
        for r in annex
    ]
    per_group, mean = _summary(doc)
    label = translated(SUMMARY_LABELS, lang)
    lines = [
        f"{label['per_group']} {name}: {count}"
        for name, count in groups_counted(framework, per_group, lang)
    ]
    if mean is not None:
        lines.append(f"{label['mean']}: {n(mean)}")
    document = render_template(
        template or DEFAULT_WORD_TEMPLATE,
        {
            "title": title,
            "subtitle": header_lines(doc, framework, lang),
            "h": headers(lang),
            "h_region": region_header,
            "rows": rows,
            "summary": lines,
        },
    )
    if not any(r.region_rank for r in annex):
        _drop_column(document.docx, region_header)
    with atomic_target(path) as tmp:
        document.save(tmp)


def _drop_column(document: Any, header: str) -> None:
    """Remove the column headed ``header`` (the rank in region, where the units are not
    provinces of a region) from every table that has it."""
    from docx.oxml.ns import qn

    for table in document.tables:
        if not table.rows:
            continue
        texts = [cell.text.strip() for cell in table.rows[0].cells]
        if header not in texts:
            continue
        k = texts.index(header)
        for row in table.rows:
            cells = row._tr.tc_lst
            if k < len(cells):
                row._tr.remove(cells[k])
        cols = table._tbl.tblGrid.findall(qn("w:gridCol"))
        if k < len(cols):
            table._tbl.tblGrid.remove(cols[k])
