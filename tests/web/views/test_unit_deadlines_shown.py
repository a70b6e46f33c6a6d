"""A unit's own extension is the deadline its people read on every page: the home page's
"Kỳ đánh giá của bạn" and "Phiếu chấm điểm", the cycle's list of deadlines and the sheet;
the other units' people, and the administrator, read the cycle's own date."""

from __future__ import annotations

import datetime

import lxml.html
from django.urls import reverse

from chiso.web.cycles import windows
from chiso.web.cycles.models import Cycle
from web.conftest import World
from web.views.helpers import as_


def _dates(world: World) -> tuple[str, str]:
    """The cycle closes in 3 days; Sở Tư pháp (officer_a's unit) was given 10."""
    today = windows.today()
    cycle_ends, unit_ends = today + datetime.timedelta(3), today + datetime.timedelta(10)
    Cycle.objects.filter(pk=world.cycle.pk).update(self_assessment_ends=cycle_ends)
    world.cycle.refresh_from_db()
    unit = world.sheet_a.unit
    windows.extend(world.admin, world.cycle, Cycle.SELF, unit_ends, "mất điện", unit=unit)
    return cycle_ends.strftime("%d/%m/%Y"), unit_ends.strftime("%d/%m/%Y")


def _text(world: World, actor: str, name: str, *args: int) -> str:
    html = as_(world, actor).get(reverse(name, args=args)).content.decode()
    return " ".join(lxml.html.fromstring(html).get_element_by_id("main").text_content().split())


def _list_after(text: str, heading: str, until: str) -> str:
    return text.split(heading, 1)[1].split(until, 1)[0]


def test_the_officer_s_home_page_shows_the_unit_s_extended_deadline(world: World) -> None:
    cycle_ends, unit_ends = _dates(world)
    home = _text(world, "officer_a", "cycles:home")
    cycles = _list_after(home, "Kỳ đánh giá của bạn", "Phiếu chấm điểm")
    sheets = home.split("Phiếu chấm điểm", 1)[1]
    for shown in (cycles, sheets):
        assert f"Hạn tự đánh giá: {unit_ends} (còn 10 ngày)" in shown, shown
        assert "đã gia hạn: mất điện" in shown and cycle_ends not in shown


def test_the_officer_s_cycle_and_sheet_pages_show_it_too(world: World) -> None:
    cycle_ends, unit_ends = _dates(world)
    cycle = _text(world, "officer_a", "cycles:cycle", world.cycle.pk)
    deadlines = _list_after(cycle, "Thời hạn", "Các lần gia hạn")
    assert f"Hạn tự đánh giá: {unit_ends}" in deadlines and cycle_ends not in deadlines
    sheet = _text(world, "officer_a", "cycles:sheet", world.sheet_a.pk)
    assert f"Hạn tự đánh giá: {unit_ends}" in sheet and cycle_ends not in sheet


def test_the_others_read_the_cycle_s_own_date(world: World) -> None:
    cycle_ends, unit_ends = _dates(world)
    home = _text(world, "officer_b", "cycles:home")
    assert f"Hạn tự đánh giá: {cycle_ends} (còn 3 ngày)" in home and unit_ends not in home
    deadlines = _list_after(
        _text(world, "admin", "cycles:cycle", world.cycle.pk), "Thời hạn", "Các lần gia hạn"
    )
    assert f"Hạn tự đánh giá: {cycle_ends}" in deadlines and unit_ends not in deadlines
