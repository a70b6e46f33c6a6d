"""plans:plan-xlsx, plans:report-xlsx and plans:map-audit write text typed by people (task
evidence, unit names, reasons) as text, never as a live spreadsheet formula (OWASP's CSV
injection; the writers landed after :mod:`chiso.tables.formulas` and bypassed it)."""

from __future__ import annotations

import csv
import io
import zipfile

import openpyxl
from django.urls import reverse

from chiso.tables.formulas import is_risky
from chiso.web.cycles.models import Unit
from chiso.web.plans import services
from chiso.web.plans.services import TargetWanted
from web.conftest import World
from web.views.helpers import as_

FORMULA = '=HYPERLINK("x")'


def _no_formula_and_quoted(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(name) and b"<f " not in z.read(name), name
    book = openpyxl.load_workbook(io.BytesIO(data))
    found = [c for ws in book.worksheets for r in ws.iter_rows() for c in r if c.value == FORMULA]
    assert found, "the text reads back unchanged"
    assert all(c.data_type == "s" and c.quotePrefix for c in found)


def test_task_evidence_is_text_in_the_plan_in_excel(scored: World) -> None:
    plan = services.create_plan(
        scored.admin, scored.cycle, scored.sheet_a.unit, 2025, [TargetWanted("index", "90")]
    )
    plan.tasks.update(evidence=FORMULA)
    response = as_(scored, "admin").get(reverse("plans:plan-xlsx", args=[plan.pk]))
    _no_formula_and_quoted(response.content)


def test_a_unit_name_is_text_in_the_responsibility_report(
    scored: World, home_affairs: Unit
) -> None:
    Unit.objects.filter(pk=home_affairs.pk).update(name=FORMULA)
    response = as_(scored, "admin").get(reverse("plans:report-xlsx", args=[scored.cycle.pk]))
    _no_formula_and_quoted(response.content)


def test_a_unit_name_is_quoted_in_the_map_audit_csv(world: World) -> None:
    Unit.objects.filter(pk=world.sheet_b.unit_id).update(name=FORMULA)
    code = world.cycle.framework_code
    services.assign(world.admin, code, world.sheet_a.unit, "2", world.sheet_b.unit)
    text = as_(world, "admin").get(reverse("plans:map-audit")).content.decode("utf-8-sig")
    cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
    assert "'" + FORMULA in cells
    assert not any(is_risky(c) for c in cells)
