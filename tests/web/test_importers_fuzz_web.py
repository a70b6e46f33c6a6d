"""The web's importers against files a property-based search makes (Hypothesis): the filled
sheet, survey and central points for a cycle, and boundary files. Each either saves, or
refuses with problems people can read; never another exception (a 500), and nothing is saved
when it refuses."""

from __future__ import annotations

import io
import json
from typing import Any

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chiso.problems import Refusal
from chiso.web.core.models import AuditEntry
from chiso.web.cycles import central_import, sheets_excel
from chiso.web.cycles.models import Cycle, LeafScore
from chiso.web.portal import maps
from chiso.web.portal.models import BoundaryMap
from test_importers_fuzz import NASTY, _csv_bytes, _xlsx_safe, cells, json_values, mutated
from web.conftest import World

FUZZ = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _state() -> tuple[int, list[tuple[str, str, float | None]]]:
    leaves = LeafScore.objects.order_by("pk").values_list("code", "self_raw", "appraised_points")
    return AuditEntry.objects.count(), list(leaves)


def _all_or_nothing(run: Any) -> None:
    before = _state()
    try:
        run()
    except Refusal as exc:
        assert exc.rule and list(exc.report)
        assert _state() == before


def _template(world: World) -> list[list[Any]]:
    book = openpyxl.load_workbook(io.BytesIO(sheets_excel.template(world.sheet_a)))
    return [[c.value for c in row] for row in book.active.iter_rows()]


@FUZZ
@given(data=st.data())
def test_a_filled_sheet_is_saved_whole_or_not_at_all(world: World, data: st.DataObject) -> None:
    rows = _template(world)
    for _ in range(data.draw(st.integers(1, 6))):
        r = data.draw(st.integers(0, len(rows) - 1))
        c = data.draw(st.integers(0, 4))
        while len(rows[r]) <= c:
            rows[r].append(None)
        rows[r][c] = data.draw(cells)
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append([_xlsx_safe(x) for x in row])
    out = io.BytesIO()
    book.save(out)
    _all_or_nothing(
        lambda: sheets_excel.upload(world.officer_a, world.sheet_a, out.getvalue(), "phieu.xlsx")
    )


POINTS = [["unit", "node", "value", "se"]] + [
    [unit, code, "1", "0.1"] for unit in ("Sở Tư pháp", "Sở Y tế") for code in ("2.1", "2.2")
]


@FUZZ
@given(rows=mutated(POINTS), raw=st.binary(max_size=300), use_raw=st.booleans())
def test_points_for_a_cycle_are_imported_whole_or_not_at_all(
    world: World, rows: list[list[str]], raw: bytes, use_raw: bool
) -> None:
    if world.cycle.state != Cycle.APPRAISAL:
        world.move_to(Cycle.APPRAISAL)
    data = raw if use_raw else _csv_bytes(rows)
    _all_or_nothing(
        lambda: central_import.import_points(world.admin, world.cycle, data, "points.csv")
    )


@FUZZ
@given(doc=json_values, raw=st.sampled_from([None, *NASTY]))
def test_a_boundary_file_is_kept_or_refused_with_a_message(
    world: World, doc: Any, raw: str | None
) -> None:
    content = (json.dumps(doc) if raw is None else raw).encode("utf-8", errors="replace")
    before = BoundaryMap.objects.count()
    try:
        maps.upload_map(world.admin, "Bản đồ", SimpleUploadedFile("b.json", content))
    except Refusal as exc:
        assert exc.rule.startswith("map.")
        assert BoundaryMap.objects.count() == before
