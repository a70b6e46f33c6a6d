"""plans:plan-docx and plans:plan-xlsx — the plan in Word (the editable template) and Excel."""

from __future__ import annotations

import datetime
import io

import openpyxl
from django.urls import reverse
from docx import Document

from chiso.web.cycles.models import Unit
from chiso.web.plans import services
from chiso.web.plans.models import ImprovementPlan
from chiso.web.plans.services import TargetWanted
from web.conftest import World
from web.views.helpers import as_


def make(world: World) -> ImprovementPlan:
    return services.create_plan(
        world.admin, world.cycle, world.sheet_a.unit, 2025, [TargetWanted("index", "90")]
    )


def test_the_plan_in_word_names_the_targets_tasks_and_responsible_units(
    scored: World, home_affairs: Unit
) -> None:
    plan = make(scored)
    response = as_(scored, "officer_a").get(reverse("plans:plan-docx", args=[plan.pk]))
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [c.text for t in document.tables for c in t._cells]
    assert "Sở Tư pháp" in text and "KẾ HOẠCH NÂNG CAO CHỈ SỐ 2025" in text
    assert "Chỉ số đạt: 90" in text and "Sở Nội vụ" in cells and "1.2" in cells


def test_the_plan_in_excel_has_every_task(scored: World) -> None:
    plan = make(scored)
    response = as_(scored, "admin").get(reverse("plans:plan-xlsx", args=[plan.pk]))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(book[book.sheetnames[1]].iter_rows(min_row=2, values_only=True))
    assert {r[1] for r in rows} == set(plan.tasks.values_list("node_code", flat=True))


def test_404_to_those_who_do_not_see_the_plan(scored: World) -> None:
    plan = make(scored)
    for name in ("plans:plan-docx", "plans:plan-xlsx"):
        assert as_(scored, "officer_b").get(reverse(name, args=[plan.pk])).status_code == 404


def test_the_plan_in_excel_is_written_by_the_report_module_with_targets_and_evidence(
    scored: World,
) -> None:
    """One writer of a plan in Excel (chiso.reports.plan_document.render_xlsx): the targets as
    people write them (90, not 90,00), the tasks with their evidence, and the points lost."""
    plan = make(scored)
    plan.tasks.update(evidence="Quyết định 12/QĐ", deadline=datetime.date(2026, 6, 30))
    response = as_(scored, "admin").get(reverse("plans:plan-xlsx", args=[plan.pk]))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Mục tiêu", "Nhiệm vụ", "Điểm bị mất"]
    first = [c for row in book["Mục tiêu"].iter_rows(values_only=True) for c in row if c]
    assert "KẾ HOẠCH NÂNG CAO CHỈ SỐ 2025" in first
    assert "Chỉ số đạt: 90 % · tổng điểm cần đạt: 90,00" in first
    tasks = list(book["Nhiệm vụ"].iter_rows(values_only=True))
    assert tasks[0][-1] == "Tài liệu kiểm chứng"
    assert {r[-1] for r in tasks[1:]} == {"Quyết định 12/QĐ"}
    assert {r[4] for r in tasks[1:]} == {"30/06/2026"}  # a deadline as the reader writes it
    lost = list(book["Điểm bị mất"].iter_rows(min_row=2, values_only=True))
    assert {r[0] for r in lost} == set(plan.tasks.values_list("node_code", flat=True))
