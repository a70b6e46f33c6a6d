"""plans:map-audit — every change of the responsibility map as CSV, for the administrator."""

from __future__ import annotations

import re

from django.urls import reverse

from chiso.web.plans import services
from chiso.web.plans.models import Responsibility
from web.conftest import World
from web.views.helpers import as_


def test_every_change_of_the_map_is_listed(world: World) -> None:
    code = world.cycle.framework_code
    services.assign(world.admin, code, world.sheet_a.unit, "2", world.sheet_b.unit)
    services.assign(world.admin, code, world.sheet_a.unit, "2", world.sheet_a.unit)
    row = Responsibility.objects.get()
    response = as_(world, "admin").get(reverse("plans:map-audit"))
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Thời điểm,Người thực hiện,Đối tượng,Nội dung,Trước,Sau,Lý do"
    named = f"Phân công: {row.unit.name}"
    assert lines[1].endswith(f",admin,{named},Phân công 2,,Sở Y tế,")
    assert lines[2].endswith(f",admin,{named},Phân công 2,Sở Y tế,Sở Tư pháp,")
    assert re.match(r"\d\d/\d\d/\d{4} \d\d:\d\d:\d\d,", lines[1])  # local time, dd/mm/yyyy


def test_the_map_audit_speaks_the_readers_language(world: World) -> None:
    code = world.cycle.framework_code
    services.assign(world.admin, code, world.sheet_a.unit, "2", world.sheet_b.unit)
    url = reverse("plans:map-audit")
    text = as_(world, "admin").get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode("utf-8-sig")
    header = text.splitlines()[0]
    assert "Thời điểm" not in header and header.count(",") == 6


def test_refused_to_anyone_else(world: World) -> None:
    assert as_(world, "chair").get(reverse("plans:map-audit")).status_code == 403
