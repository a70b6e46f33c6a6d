"""plans:assign — the administrator names the unit answering for a criterion; audited; a
criterion the framework does not have is refused."""

from __future__ import annotations

from django.contrib.messages import get_messages
from django.urls import reverse

from chiso.web.core.models import AuditEntry
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


def test_an_uploaded_framework_is_known_to_the_map_and_its_drop_down(world: World) -> None:
    """One rule for "the framework of a code": a province's uploaded framework, opened by no
    cycle yet, is offered, accepted and named by its newest version."""
    from chiso.frameworks.registry import framework_text
    from chiso.web.cycles.models import FrameworkVersion

    text = framework_text("example-department-2024").replace(
        "code: example-department-2024", "code: tinh-rieng-2024"
    )
    for version, name in ((1, "Chỉ đạo (bản cũ)"), (2, "Chỉ đạo, điều hành của tỉnh")):
        FrameworkVersion.objects.create(
            code="tinh-rieng-2024",
            version=version,
            yaml=text.replace("Công tác chỉ đạo", name, 1),
            sha256=str(version) * 64,
            file_name="tinh.yaml",
            name="Bộ tiêu chí của tỉnh",
            nodes=1,
            complete=True,
            uploaded_by=world.admin,
        )
    data = {
        "framework": "tinh-rieng-2024",
        "unit": world.sheet_a.unit.pk,
        "node": "1",
        "responsible": world.sheet_b.unit.pk,
    }
    assert as_(world, "admin").post(reverse("plans:assign"), data).status_code == 302
    assert Responsibility.objects.filter(framework_code="tinh-rieng-2024").exists()
    page = as_(world, "admin").get(reverse("plans:map")).content.decode()
    assert '<option value="tinh-rieng-2024">' in page
    assert "Chỉ đạo, điều hành của tỉnh" in page and "bản cũ" not in page
