"""The heads' classification as an annex for the emulation and commendation council (Hội
đồng thi đua, khen thưởng): one row per unit (STT, unit, index, rank, group, the head's
classification, the proposal), then the units proposed under each proposal. Excel through the
formula-safe row writer; Word through python-docx, which escapes, with the text cleaned of
what XML cannot hold (:func:`chiso.office.text.xml_text`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from chiso.frameworks.model import Framework
from chiso.i18n import gettext, gettext_noop
from chiso.numbers import format_number
from chiso.office.text import xml_text
from chiso.scoring.document import ResultsDocument
from chiso.scoring.heads import HeadResult, head_results, proposals_counted
from chiso.scoring.ranking import group_name
from chiso.tables.atomic import atomic_target
from chiso.tables.formulas import append_row

HEADERS: tuple[str, ...] = (
    gettext_noop("STT"),
    gettext_noop("Đơn vị"),
    gettext_noop("Chỉ số (%)"),
    gettext_noop("Xếp hạng"),
    gettext_noop("Nhóm"),
    gettext_noop("Xếp loại người đứng đầu"),
    gettext_noop("Đề nghị"),
)
BASIS = gettext_noop("Căn cứ xếp loại")
PROPOSED = gettext_noop("{proposal}: {count} đơn vị")


def head_rows(framework: Framework, doc: ResultsDocument, lang: str) -> list[list[Any]]:
    """The annex's rows in ``lang``: numbers as numbers (the writers format them)."""
    rows: list[list[Any]] = []
    for number, r in enumerate(head_results(framework, doc), 1):
        rows.append(
            [
                number,
                r.unit,
                r.index,
                r.rank,
                group_name(framework, r.group, lang) if r.group else "",
                r.head_class.name_in(lang) if r.head_class else "",
                r.proposal.name_in(lang) if r.proposal else "",
            ]
        )
    return rows


def summary_lines(framework: Framework, results: list[HeadResult], lang: str) -> list[str]:
    """``Đề nghị khen thưởng: 2 đơn vị (A, B)`` for each proposal, then the rule's basis."""
    rule = framework.head_classification
    lines: list[str] = []
    if rule is None:
        return lines
    for code, units in proposals_counted(results).items():
        proposal = rule.proposal(code)
        name = proposal.name_in(lang) if proposal else code
        text = gettext(PROPOSED, lang).format(proposal=name, count=len(units))
        lines.append(text + " (" + ", ".join(units) + ")")
    if rule.basis:
        lines.append(gettext(BASIS, lang) + ": " + rule.basis)
    return lines


def write_heads_xlsx(
    framework: Framework, doc: ResultsDocument, path: str | Path, title: str, lang: str = "vi"
) -> None:
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = gettext("Xếp loại người đứng đầu", lang)[:31]
    append_row(ws, [title])
    ws["A1"].font = Font(bold=True, size=13)
    append_row(ws, [gettext(h, lang) for h in HEADERS])
    for cell in ws[2]:
        cell.font = Font(bold=True)
    fmt = "0." + "0" * framework.precision
    for row in head_rows(framework, doc, lang):
        append_row(ws, row)
        ws.cell(row=ws.max_row, column=3).number_format = fmt
    ws.append([])
    for line in summary_lines(framework, head_results(framework, doc), lang):
        append_row(ws, ["", line])
    ws.column_dimensions["B"].width = 34
    for letter in "FG":
        ws.column_dimensions[letter].width = 32
    with atomic_target(path) as tmp:
        book.save(tmp)


def write_heads_docx(
    framework: Framework, doc: ResultsDocument, path: str | Path, title: str, lang: str = "vi"
) -> None:
    from docx import Document

    document = Document()
    document.add_heading(xml_text(title), level=1)
    rows = head_rows(framework, doc, lang)
    table = document.add_table(rows=1, cols=len(HEADERS))
    table.style = "Table Grid"
    for cell, heading in zip(table.rows[0].cells, HEADERS, strict=True):
        cell.text = gettext(heading, lang)
    for row in rows:
        cells = table.add_row().cells
        shown = [
            str(row[0]),
            row[1],
            format_number(row[2], lang, framework.precision),
            "" if row[3] is None else str(row[3]),
            *row[4:],
        ]
        for cell, text in zip(cells, shown, strict=True):
            cell.text = xml_text(str(text))
    for line in summary_lines(framework, head_results(framework, doc), lang):
        document.add_paragraph(xml_text(line))
    with atomic_target(path) as tmp:
        document.save(tmp)
