"""A plan and a responsibility report as Word and Excel files (bytes to serve)."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from django.utils.translation import gettext, pgettext

from chiso.numbers import format_date, format_number, format_short
from chiso.reports.plan_document import WordPlan, render_docx, render_xlsx, title
from chiso.scoring.ranking import group_name
from chiso.tables.formulas import append_row
from chiso.web.core.frameworks import framework_of
from chiso.web.plans.models import ImprovementPlan, Target
from chiso.web.plans.services import LostRow


def target_lines(plan: ImprovementPlan, lang: str) -> list[str]:
    fw = framework_of(plan.cycle)
    out = []
    for t in plan.targets.all():
        value = t.value
        if t.kind in (Target.INDEX, Target.SIPAS):
            value = format_short(float(t.value), lang, fw.precision) + " %"
        elif t.kind == Target.GROUP:
            value = group_name(fw, t.value, lang)
        line = f"{t.get_kind_display()}: {value}"
        if t.needed_total is not None:
            needed = format_number(t.needed_total, lang)
            line += " · " + gettext("tổng điểm cần đạt") + ": " + needed
        if t.probability is not None:
            line += " · " + gettext("xác suất") + " " + format_number(100 * t.probability, lang, 0)
            line += " %"
        out.append(line)
    return out


def task_header() -> list[str]:
    return [
        pgettext("column", "STT"),
        pgettext("column", "Mã"),
        pgettext("column", "Nội dung"),
        pgettext("column", "Đơn vị chủ trì"),
        pgettext("column", "Hạn hoàn thành"),
        pgettext("column", "Điểm mục tiêu"),
        pgettext("column", "Trạng thái"),
    ]


def task_rows(plan: ImprovementPlan, lang: str) -> list[list[str]]:
    fw = framework_of(plan.cycle)
    return [
        [
            str(i),
            t.node_code,
            fw.node(t.node_code).name_in(lang),
            t.responsible.name if t.responsible else "",
            format_date(t.deadline, lang) if t.deadline else "",
            format_number(t.target_points, lang, fw.precision),
            t.get_status_display(),
        ]
        for i, t in enumerate(plan.tasks.select_related("responsible"), start=1)
    ]


def word_plan(plan: ImprovementPlan, lang: str, evidence: bool = False) -> WordPlan:
    """The plan's cells for the report module's Word and Excel writers; ``evidence`` adds the
    column of what shows each task done (the Excel file, where it fits)."""
    fw = framework_of(plan.cycle)
    tasks = list(plan.tasks.select_related("responsible"))
    gaps = [
        [
            t.node_code,
            fw.node(t.node_code).name_in(lang),
            format_number(t.points_now, lang, fw.precision),
            format_number(t.points_max, lang, fw.precision),
            format_number(t.points_max - t.points_now, lang, fw.precision),
            "",
        ]
        for t in tasks
    ]
    header, rows = task_header(), task_rows(plan, lang)
    if evidence:
        header = [*header, gettext("Tài liệu kiểm chứng")]
        rows = [[*row, t.evidence] for row, t in zip(rows, tasks, strict=True)]
    return WordPlan(
        title=f"{title(lang).upper()} {plan.year}",
        unit=plan.unit.name,
        framework=f"{fw.name_in(lang)} — {plan.cycle.name}",
        targets=target_lines(plan, lang),
        task_header=header,
        tasks=rows,
        gaps=gaps,
    )


def plan_docx(plan: ImprovementPlan, lang: str) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.docx"
        render_docx(path, word_plan(plan, lang), lang)
        return path.read_bytes()


def plan_xlsx(plan: ImprovementPlan, lang: str) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.xlsx"
        render_xlsx(path, word_plan(plan, lang, evidence=True), lang)
        return path.read_bytes()


def report_header() -> list[str]:
    return [
        pgettext("column", "Đơn vị chủ trì"),
        pgettext("column", "Đơn vị được đánh giá"),
        pgettext("column", "Mã"),
        pgettext("column", "Nội dung"),
        pgettext("column", "Điểm bị mất"),
        pgettext("column", "Lý do của thẩm định"),
    ]


def report_xlsx(rows: list[LostRow]) -> bytes:
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = gettext("Trách nhiệm")
    append_row(sheet, report_header())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for r in rows:
        append_row(sheet, [r.responsible, r.unit, r.code, r.name, r.lost, r.reason])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
