"""The administrator's page: units are created with names that can be their public address."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from chiso.web.cycles.models import Unit
from web.conftest import World


def test_a_unit_name_that_cannot_be_an_address_is_refused_and_nothing_is_created(
    world: World,
) -> None:
    client = Client()
    client.force_login(world.admin)
    for name in ("Sở A/B", "..", "."):
        client.post(
            reverse("cycles:unit-create"), {"code": "X1", "name": name, "kind": "department"}
        )
        page = client.get(reverse("cycles:manage")).content.decode()
        assert f"tên đơn vị &#x27;{name}&#x27; không được chứa dấu" in page
    assert not Unit.objects.filter(code="X1").exists()
    client.post(
        reverse("cycles:unit-create"), {"code": "X1", "name": "Sở A và B", "kind": "department"}
    )
    assert Unit.objects.get(code="X1").name == "Sở A và B"
