"""plans:assign — the administrator names the unit answering for a criterion; audited; a
criterion the framework does not have is refused."""

from __future__ import annotations

from django.contrib.messages import get_messages
from django.urls import reverse

from chiso.web.cycles.models import AuditEntry
from chiso.web.plans.models import Responsibility
from web.conftest import World
from web.views.helpers import as_


def _assign(world: World, actor: str, node: str) -> object:
    data = {
        "framework": world.cycle.framework_code,
        "unit": world.sheet_a.unit.pk,
        "node": node,
        "responsible": world.sheet_b.unit.pk,
    }
    return as_(world, actor).post(reverse("plans:assign"), data)


def test_the_administrator_assigns_and_it_is_audited(world: World) -> None:
    assert _assign(world, "admin", "2.1").status_code == 302
    row = Responsibility.objects.get()
    assert (row.node_code, row.unit, row.responsible) == (
        "2.1",
        world.sheet_a.unit,
        world.sheet_b.unit,
    )
    entry = AuditEntry.objects.get(object_type="Responsibility")
    assert entry.new == "Sở Y tế"
    _assign(world, "admin", "2.1")  # again: still one row
    assert Responsibility.objects.count() == 1


def test_an_unknown_criterion_is_refused(world: World) -> None:
    response = _assign(world, "admin", "9.9")
    assert not Responsibility.objects.exists()
    text = " ".join(str(m) for m in get_messages(response.wsgi_request))  # type: ignore[attr-defined]
    assert "9.9" in text


def test_refused_to_anyone_else(world: World) -> None:
    assert _assign(world, "officer_a", "2.1").status_code == 403
    assert not Responsibility.objects.exists()


def test_posting_only(world: World) -> None:
    assert as_(world, "admin").get(reverse("plans:assign")).status_code == 405
