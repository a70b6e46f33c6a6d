"""An improvement plan (kế hoạch nâng cao chỉ số) as JSON, Excel or Word.

The JSON is the plan as computed (stable English keys; ``chiso score`` with every action
applied gives its ``reached_total``). Excel and Word are for the office that writes the plan:
the targets in words, the tasks (one per leaf to raise) and the gaps they come from; Word is
filled from a template an office can edit (docxtpl, as the annex).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chiso.analysis.gaps import Gap
from chiso.analysis.planner import PlanResult
from chiso.frameworks.model import Framework
from chiso.i18n import gettext, ngettext, pgettext
from chiso.numbers import format_number
from chiso.scoring.ranking import group_name
from chiso.tables.atomic import atomic_target

DEFAULT_WORD_TEMPLATE = Path(__file__).parent / "templates" / "plan.docx"


PROBABILITY_DECIMALS = 4
"""A probability in the JSON: a share to 4 decimals (a Monte Carlo share of 10,000 draws)."""
POINT_KEYS = frozenset(
    {
        "current_total",
        "needed_total",
        "reached_total",
        "total_max",
        "current_index",
        "reached_index",
        "from",
        "to",
        "gain",
    }
)


def plan_document(plan: PlanResult, framework: Framework) -> dict[str, Any]:
    """The JSON document of a plan: points, totals and indices rounded to the framework's
    precision (no ``88.54999999999987``), probabilities to 4 decimals, efforts and an
    action's input to 6 significant decimals (a measure, not points)."""
    doc = {"framework": framework.code, **plan.as_dict()}
    rounded: dict[str, Any] = _rounded(doc, framework.precision)
    return rounded


def _rounded(value: Any, precision: int, key: str = "") -> Any:
    if isinstance(value, dict):
        if key == "needed_for":
            return {k: _rounded(v, precision, "total") for k, v in value.items()}
        return {k: _rounded(v, precision, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v, precision, key) for v in value]
    if isinstance(value, float) and not isinstance(value, bool):
        if key in POINT_KEYS or key == "total":
            return round(value, precision)
        if key.startswith("probability"):
            return round(value, PROBABILITY_DECIMALS)
        return round(value, 6)
    return value


def probability_text(p: float, plan: PlanResult, lang: str) -> str:
    """A probability as a reader sees it: never "100,00 %" or "0,00 %" as if certain: such a
    figure says it holds only under the plan's assumptions."""
    shown = format_number(100 * p, lang, 2) + " %"
    if p >= 0.99995 or p <= 0.00005:
        return (
            shown + " " + gettext("(theo giả định của mô phỏng, không phải điều chắc chắn)", lang)
        )
    return shown


def assumption_lines(plan: PlanResult, lang: str) -> list[str]:
    """What a plan takes for granted, said wherever its probability is."""
    if not plan.others_fixed:
        return []
    return [
        gettext(
            "Không có kết quả các kỳ trước (--history): các đơn vị khác được giả định giữ "
            "nguyên kết quả hiện nay (chỉ dao động theo sai số chuẩn nếu tệp có).",
            lang,
        )
    ]


def target_text(plan: PlanResult, framework: Framework, lang: str) -> str:
    """The target in words, as a plan states it."""
    value = plan.target.value
    if plan.target.kind == "index":
        number = format_number(float(value), lang, framework.precision)
        return gettext("Chỉ số đạt {value} %", lang).format(value=number)
    if plan.target.kind == "rank":
        return gettext("Xếp hạng {rank}", lang).format(rank=value)
    if plan.target.kind == "up":
        places = int(float(value))
        return ngettext(
            "Tăng {places} bậc so với hạng {rank}",
            "Tăng {places} bậc so với hạng {rank}",
            places,
            lang,
        ).format(places=value, rank=plan.current_rank)
    return gettext("Thuộc nhóm {group}", lang).format(group=group_name(framework, str(value), lang))


def target_lines(plan: PlanResult, framework: Framework, lang: str) -> list[str]:
    def n(x: float) -> str:
        return format_number(x, lang, framework.precision)

    lines = [
        gettext("Mục tiêu: {target}", lang).format(target=target_text(plan, framework, lang)),
        gettext("Tổng điểm hiện nay: {total} (chỉ số {index} %)", lang).format(
            total=n(plan.current_total), index=n(plan.current_index)
        ),
        gettext("Tổng điểm cần đạt: {total}", lang).format(total=n(plan.needed_total)),
        gettext("Tổng điểm theo kế hoạch: {total} (chỉ số {index} %)", lang).format(
            total=n(plan.reached_total), index=n(plan.reached_index)
        ),
    ]
    if plan.probability is not None:
        lines.append(
            gettext("Xác suất đạt mục tiêu ở tổng điểm này: {p}", lang).format(
                p=probability_text(plan.probability, plan, lang)
            )
        )
    lines += assumption_lines(plan, lang)
    for level, total in plan.needed_for.items():
        lines.append(
            gettext("Tổng điểm cần để đạt mục tiêu với xác suất {p} %: {total}", lang).format(
                p=format_number(100 * float(level), lang, 0), total=n(total)
            )
        )
    return lines


def method_text(plan: PlanResult, lang: str) -> str:
    if plan.optimal:
        return gettext(
            "Các việc được chọn để đạt mục tiêu với tổng công sức nhỏ nhất (đã chứng minh tối ưu).",
            lang,
        )
    return gettext(
        "Các việc được chọn bằng tìm kiếm nhánh cận dừng ở giới hạn; "
        "công sức tối thiểu không thấp hơn {bound}.",
        lang,
    ).format(bound=format_number(plan.lower_bound, lang, 2))


def _task_header(lang: str) -> list[str]:
    return [
        pgettext("column", "STT", lang),
        pgettext("column", "Mã", lang),
        pgettext("column", "Nội dung", lang),
        pgettext("column", "Điểm hiện nay", lang),
        pgettext("column", "Điểm mục tiêu", lang),
        pgettext("column", "Tổng điểm tăng", lang),
        pgettext("column", "Công sức", lang),
    ]


def _gap_header(lang: str) -> list[str]:
    return [
        pgettext("column", "Mã", lang),
        pgettext("column", "Nội dung", lang),
        pgettext("column", "Điểm đạt", lang),
        pgettext("column", "Điểm tối đa", lang),
        pgettext("column", "Điểm bị mất", lang),
        pgettext("column", "Điểm cao nhất", lang),
    ]


def title(lang: str) -> str:
    return gettext("Kế hoạch nâng cao chỉ số", lang)


def write_plan(
    plan: PlanResult,
    gaps: list[Gap],
    framework: Framework,
    path: str | Path,
    lang: str = "vi",
    template: str | Path | None = None,
) -> None:
    """The plan as JSON, XLSX or DOCX by the path's extension, written whole or not at all."""
    suffix = Path(path).suffix.lower()
    leaves_lost = [g for g in gaps if g.is_leaf and (g.lost or 0) > 0]
    with atomic_target(path) as tmp:
        if suffix == ".json":
            text = json.dumps(plan_document(plan, framework), ensure_ascii=False, indent=2)
            Path(tmp).write_text(text + "\n", encoding="utf-8")
        elif suffix == ".xlsx":
            _xlsx(plan, leaves_lost, framework, tmp, lang)
        else:
            _docx(plan, leaves_lost, framework, tmp, lang, template)


def _xlsx(plan: PlanResult, gaps: list[Gap], fw: Framework, tmp: str, lang: str) -> None:
    tasks = [
        [i, a.node, fw.node(a.node).name_in(lang), a.start, a.end, a.gain, a.effort]
        for i, a in enumerate(plan.actions, start=1)
    ]
    gap_rows = [
        [g.code, fw.node(g.code).name_in(lang), g.points, g.max, g.lost, g.best] for g in gaps
    ]
    render_xlsx(
        tmp,
        WordPlan(
            title=title(lang),
            unit=plan.unit,
            framework=fw.name_in(lang),
            targets=target_lines(plan, fw, lang),
            task_header=_task_header(lang),
            tasks=tasks,
            gaps=gap_rows,
            method=method_text(plan, lang),
        ),
        lang,
    )


def render_xlsx(path: str | Path, plan: WordPlan, lang: str) -> None:
    """The plan as an Excel workbook: its title, unit and targets, its tasks, and the points
    lost they come from, one sheet each. The one writer of a plan in Excel (the command's plan
    and a plan kept on the web site), every text cell through :mod:`chiso.tables.formulas`."""
    import openpyxl
    from openpyxl.styles import Font

    from chiso.tables.formulas import append_row

    bold = Font(bold=True)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = gettext("Mục tiêu", lang)
    append_row(sheet, [plan.title, plan.unit])
    sheet["A1"].font = bold
    append_row(sheet, [plan.framework])
    for line in plan.targets:
        append_row(sheet, [line])
    if plan.method:
        append_row(sheet, [plan.method])
    tasks = book.create_sheet(gettext("Nhiệm vụ", lang))
    append_row(tasks, plan.task_header)
    for row in plan.tasks:
        append_row(tasks, row)
    lost = book.create_sheet(gettext("Điểm bị mất", lang))
    append_row(lost, _gap_header(lang))
    for row in plan.gaps:
        append_row(lost, row)
    for ws in (tasks, lost):
        for cell in ws[1]:
            cell.font = bold
    book.save(str(path))


def _docx(
    plan: PlanResult,
    gaps: list[Gap],
    fw: Framework,
    tmp: str,
    lang: str,
    template: str | Path | None,
) -> None:
    def n(x: float | None) -> str:
        return format_number(x, lang, fw.precision)

    tasks = [
        [i, a.node, fw.node(a.node).name_in(lang), n(a.start), n(a.end), n(a.gain), n(a.effort)]
        for i, a in enumerate(plan.actions, start=1)
    ]
    render_docx(
        tmp,
        WordPlan(
            title=title(lang).upper(),
            unit=plan.unit,
            framework=fw.name_in(lang),
            targets=target_lines(plan, fw, lang),
            task_header=_task_header(lang),
            tasks=tasks,
            gaps=[gap_cells(g, fw, lang) for g in gaps],
            method=method_text(plan, lang),
        ),
        lang,
        template,
    )


def gap_cells(g: Gap, fw: Framework, lang: str) -> list[str]:
    """A gap as the Word plan's six cells (:func:`gap_header`)."""

    def n(x: float | None) -> str:
        return format_number(x, lang, fw.precision)

    return [g.code, fw.node(g.code).name_in(lang), n(g.points), n(g.max), n(g.lost), n(g.best)]


def gap_header(lang: str) -> list[str]:
    return _gap_header(lang)


@dataclass(frozen=True)
class WordPlan:
    """What the Word template (:func:`render_docx`) and the Excel workbook
    (:func:`render_xlsx`) are filled with: a cell per column of ``task_header`` for each task,
    six per gap (:func:`gap_header`)."""

    title: str
    unit: str
    framework: str
    targets: list[str]
    task_header: list[str]
    tasks: list[list[Any]]
    gaps: list[list[Any]]
    method: str = ""


def render_docx(
    path: str | Path, plan: WordPlan, lang: str, template: str | Path | None = None
) -> None:
    """Fill the plan's Word template (``template`` or :data:`DEFAULT_WORD_TEMPLATE`); every
    value is text, never XML (:func:`chiso.reports.word.render_template`)."""
    from chiso.reports.word import render_template

    document = render_template(
        template or DEFAULT_WORD_TEMPLATE,
        {
            "title": plan.title,
            "unit": plan.unit,
            "framework": plan.framework,
            "targets_heading": gettext("I. Mục tiêu", lang),
            "targets": plan.targets,
            "tasks_heading": gettext("II. Nhiệm vụ", lang),
            "task_header": plan.task_header,
            "tasks": plan.tasks,
            "gaps_heading": gettext("III. Điểm bị mất", lang),
            "gap_header": _gap_header(lang),
            "gaps": plan.gaps,
            "method": plan.method,
        },
    )
    document.save(str(path))
