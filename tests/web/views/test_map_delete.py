"""Removing a boundary map: POST only; 403 to all but the administrator whether or not the map
exists; 404 to the administrator for a map that does not."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from chiso.web.portal.models import BoundaryMap
from web.conftest import World
from web.views.helpers import MISSING, as_, sent_to_login


@pytest.fixture
def boundary(world: World) -> BoundaryMap:
    return BoundaryMap.objects.create(
        name="thử",
        file_name="thu.json",
        features=json.dumps([]),
        feature_count=0,
        sha256="0" * 64,
        uploaded_by=world.admin,
    )


def test_405_to_a_get(world: World, boundary: BoundaryMap) -> None:
    response = as_(world, "admin").get(reverse("portal:map-delete", args=[boundary.pk]))
    assert response.status_code == 405 and BoundaryMap.objects.exists()


def test_404_to_the_administrator_for_an_unknown_map(world: World) -> None:
    response = as_(world, "admin").post(reverse("portal:map-delete", args=[MISSING]))
    assert response.status_code == 404


@pytest.mark.parametrize("pk", ["existing", "missing"])
def test_403_to_others_whether_or_not_it_exists(
    world: World, boundary: BoundaryMap, pk: str
) -> None:
    target = boundary.pk if pk == "existing" else MISSING
    response = as_(world, "chair").post(reverse("portal:map-delete", args=[target]))
    assert response.status_code == 403 and BoundaryMap.objects.exists()


def test_the_anonymous_are_sent_to_log_in(world: World, boundary: BoundaryMap) -> None:
    assert sent_to_login(as_(world, "anonymous").post(reverse("portal:map-delete", args=[1])))
