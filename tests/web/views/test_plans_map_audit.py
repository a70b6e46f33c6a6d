"""plans:map-audit — every change of the responsibility map as CSV, for the administrator."""

from __future__ import annotations

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
    assert lines[0] == "at,actor,id,field,old,new"
    assert lines[1].endswith(f",admin,{row.pk},responsible 2,,Sở Y tế")
    assert lines[2].endswith(f",admin,{row.pk},responsible 2,Sở Y tế,Sở Tư pháp")


def test_refused_to_anyone_else(world: World) -> None:
    assert as_(world, "chair").get(reverse("plans:map-audit")).status_code == 403
