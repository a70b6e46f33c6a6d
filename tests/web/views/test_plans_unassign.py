"""plans:unassign — the administrator removes a line of the map; audited."""

from __future__ import annotations

from django.urls import reverse

from chiso.web.core.models import AuditEntry
from chiso.web.cycles.models import Unit
from chiso.web.plans.models import Responsibility
from web.conftest import World
from web.views.helpers import MISSING, as_


def test_the_administrator_removes_a_line(world: World, home_affairs: Unit) -> None:
    row = Responsibility.objects.get()
    assert as_(world, "admin").post(reverse("plans:unassign", args=[row.pk])).status_code == 302
    assert not Responsibility.objects.exists()
    assert AuditEntry.objects.get(object_type="Responsibility").old == "Sở Nội vụ"


def test_refused_to_anyone_else(world: World, home_affairs: Unit) -> None:
    row = Responsibility.objects.get()
    assert as_(world, "officer_a").post(reverse("plans:unassign", args=[row.pk])).status_code == 403
    assert Responsibility.objects.exists()


def test_404_to_an_unknown_line(world: World) -> None:
    assert as_(world, "admin").post(reverse("plans:unassign", args=[MISSING])).status_code == 404


def test_posting_only(world: World, home_affairs: Unit) -> None:
    row = Responsibility.objects.get()
    assert as_(world, "admin").get(reverse("plans:unassign", args=[row.pk])).status_code == 405
