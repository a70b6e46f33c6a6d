"""A sheet with its cycle, unit and deadline, a leaf with its sheet, and a cycle, each read in
one query (chiso.web.cycles.lookups), and a unit's extension in force
(windows.newest_extension), are what the ORM reads with ``select_related`` and
``order_by(...).first()``: every field, as the ORM converts it on this database, and the
window of the extension in force."""

from __future__ import annotations

import datetime

from django.db import connection
from django.db.models import Model
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chiso.web.cycles import windows
from chiso.web.cycles.lookups import (
    any_unit_in_cycle,
    cycle_by_id,
    leaf_with_sheet,
    sheet_with_window,
)
from chiso.web.cycles.models import Cycle, DeadlineExtension, LeafScore, ScoreSheet, Unit
from web.conftest import World
from web.views.helpers import as_


def _fields(obj: Model) -> list[object]:
    return [getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields]


def _same_as_the_orm(pk: int) -> None:
    found = sheet_with_window(pk)
    assert found is not None
    sheet, window = found
    orm = ScoreSheet.objects.select_related("cycle", "unit").get(pk=pk)
    assert _fields(sheet) == _fields(orm)
    assert _fields(sheet.cycle) == _fields(orm.cycle)
    assert _fields(sheet.unit) == _fields(orm.unit)
    newest = (
        DeadlineExtension.objects.filter(cycle=orm.cycle, stage=orm.cycle.state, unit=orm.unit)
        .order_by("-granted_at", "-id")
        .first()
    )
    expected = windows.window_with(orm.cycle, newest)
    assert windows.window_of(orm.cycle, orm.unit_id) == expected
    assert window == expected
    if expected is not None and expected.extension is not None:
        assert window is not None and window.extension is not None
        assert _fields(window.extension) == _fields(expected.extension)


def test_a_sheet_is_read_as_the_orm_reads_it(world: World) -> None:
    ScoreSheet.objects.filter(pk=world.sheet_a.pk).update(standard_errors={"1.4": 0.25})
    _same_as_the_orm(world.sheet_a.pk)
    _same_as_the_orm(world.sheet_b.pk)


def test_the_newest_extension_of_the_unit_in_the_current_stage_is_in_force(
    world: World,
) -> None:
    soon = windows.today() + datetime.timedelta(days=30)
    windows.extend(world.admin, world.cycle, Cycle.SELF, soon, "lần đầu", world.sheet_a.unit)
    windows.extend(
        world.admin,
        world.cycle,
        Cycle.SELF,
        soon + datetime.timedelta(days=5),
        "lần hai",
        world.sheet_a.unit,
    )
    _, window = sheet_with_window(world.sheet_a.pk) or (None, None)
    assert window is not None and window.extension is not None
    assert window.extension.reason == "lần hai"
    assert window.ends == soon + datetime.timedelta(days=5)
    _same_as_the_orm(world.sheet_a.pk)
    _same_as_the_orm(world.sheet_b.pk)  # another unit's extension is not its own


def test_an_extension_of_a_stage_gone_by_counts_no_more(world: World) -> None:
    soon = windows.today() + datetime.timedelta(days=30)
    windows.extend(world.admin, world.cycle, Cycle.SELF, soon, "tự đánh giá", world.sheet_a.unit)
    world.move_to(Cycle.APPRAISAL)
    _, window = sheet_with_window(world.sheet_a.pk) or (None, None)
    assert window is not None and window.stage == Cycle.APPRAISAL and window.extension is None
    _same_as_the_orm(world.sheet_a.pk)


def test_a_stage_without_a_window_has_none(world: World) -> None:
    world.move_to(Cycle.FINALISED)
    assert sheet_with_window(world.sheet_a.pk) == (
        ScoreSheet.objects.get(pk=world.sheet_a.pk),
        None,
    )
    _same_as_the_orm(world.sheet_a.pk)


def test_no_such_sheet_is_none(world: World) -> None:
    assert sheet_with_window(999_999) is None


def test_a_leaf_is_read_with_its_sheet_as_the_orm_reads_it(world: World) -> None:
    leaf = world.leaf(world.sheet_a)
    LeafScore.objects.filter(pk=leaf.pk).update(self_raw="1", self_points=0.75, self_na=True)
    found = leaf_with_sheet(leaf.pk)
    orm = LeafScore.objects.select_related("sheet__cycle", "sheet__unit").get(pk=leaf.pk)
    assert found is not None
    assert _fields(found) == _fields(orm)
    assert _fields(found.sheet) == _fields(orm.sheet)
    assert _fields(found.sheet.cycle) == _fields(orm.sheet.cycle)
    assert _fields(found.sheet.unit) == _fields(orm.sheet.unit)
    assert leaf_with_sheet(999_999) is None


def test_a_cycle_is_read_as_the_orm_reads_it(world: World) -> None:
    found = cycle_by_id(world.cycle.pk)
    assert found is not None and _fields(found) == _fields(Cycle.objects.get(pk=world.cycle.pk))
    assert cycle_by_id(999_999) is None


def test_whether_a_unit_is_in_a_cycle_is_what_the_orm_answers(world: World) -> None:
    other = Unit.objects.create(code="S99", name="Sở khác", kind="department")
    a, b = world.sheet_a.unit_id, world.sheet_b.unit_id
    for units in ([], [a], [b], [other.pk], [other.pk, b], [999_999]):
        expected = world.cycle.units.filter(pk__in=units).exists()
        assert any_unit_in_cycle(world.cycle.pk, units) == expected
    assert any_unit_in_cycle(999_999, [a]) is False


def test_an_unchanged_sheets_page_asks_for_the_person_and_the_sheet_only(world: World) -> None:
    client = as_(world, "officer_a")
    url = reverse("cycles:sheet", args=[world.sheet_a.pk])
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as asked:
        assert client.get(url).status_code == 200
    assert len(asked.captured_queries) == 2, [q["sql"][:80] for q in asked.captured_queries]
