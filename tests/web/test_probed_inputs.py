"""Form input found by probing a running demo to give a server error (500) or to be stored
unchecked: each is now a clear message on the page it came from, and nothing is saved."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from chiso.web.accounts.models import Role
from chiso.web.core.models import AuditEntry
from chiso.web.cycles.models import Cycle
from chiso.web.portal.models import BoundaryMap
from web.conftest import World


def _client(user: Any) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _said(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_a_version_that_is_no_number_is_a_conflict_not_a_server_error(world: World) -> None:
    leaf = world.leaf(world.sheet_a)
    response = _client(world.officer_a).post(
        reverse("cycles:leaf-save", args=[leaf.pk]),
        {"action": "self", "value": "2", "version": "abc"},
    )
    assert response.status_code == 302 and _said(response)
    assert world.leaf(world.sheet_a).self_raw == ""


@pytest.mark.parametrize(
    "fields",
    [
        {"username": "moi", "kind": "officer", "unit": "abc"},
        {"username": "moi", "kind": "appraiser", "cycle": "abc"},
        {"username": "moi", "kind": "appraiser", "cycle": "99999999999999999999999"},
    ],
)
def test_a_role_for_a_unit_or_cycle_that_is_no_id_is_refused_with_a_message(
    world: World, fields: dict[str, str]
) -> None:
    before = Role.objects.count()
    response = _client(world.admin).post(reverse("cycles:role-grant"), fields)
    assert response.status_code == 302 and _said(response)
    assert Role.objects.count() == before


@pytest.mark.parametrize(
    "fields",
    [
        {"units": "abc", "year": "2024", "framework": "example-department-2024"},
        {"year": "-1", "framework": "example-department-2024"},
        {"year": "9" * 40, "framework": "example-department-2024"},
        {"year": "2024", "framework": "khong-co"},
        {"year": "2024", "framework": "/etc/passwd"},
        {"year": "2024", "framework": "src/chiso/frameworks/data/papi-2021.yaml"},
    ],
)
def test_a_cycle_with_bad_units_year_or_framework_is_refused_with_a_message(
    world: World, fields: dict[str, str]
) -> None:
    fields = {"units": str(world.sheet_a.unit_id), **fields}
    before = Cycle.objects.count()
    response = _client(world.admin).post(reverse("cycles:cycle-create"), fields)
    assert response.status_code == 302 and _said(response)
    assert Cycle.objects.count() == before


@pytest.mark.parametrize(
    "content",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
        b'{"type":"FeatureCollection","features":[null]}',
        b'{"type":"FeatureCollection","features":[{"properties":{"name":"A"},"geometry":[1]}]}',
        b'{"type":"Topology","arcs":[null],"objects":{"a":{"geometries":[]}}}',
        b'{"type":"Topology","arcs":[],"objects":{"a":null}}',
    ],
)
def test_a_boundary_file_of_a_wrong_shape_is_refused_with_a_message(
    world: World, content: bytes
) -> None:
    response = _client(world.admin).post(
        reverse("portal:map-upload"),
        {"name": "Bản đồ", "file": SimpleUploadedFile("ranh-gioi.json", content)},
    )
    assert response.status_code == 302
    assert any("ranh-gioi.json" in m for m in _said(response))
    assert not BoundaryMap.objects.exists()


@pytest.mark.parametrize("points", ["nan", "NaN", "inf", "-inf", "1e999"])
def test_an_appraisal_that_is_no_finite_number_is_refused_and_not_audited(
    world: World, points: str
) -> None:
    world.move_to(Cycle.APPRAISAL)
    leaf = world.leaf(world.sheet_a)
    response = _client(world.appraiser_a).post(
        reverse("cycles:leaf-save", args=[leaf.pk]),
        {"action": "appraise", "points": points, "reason": "", "version": leaf.version},
    )
    assert response.status_code == 302 and _said(response)
    assert world.leaf(world.sheet_a).appraised_points is None
    assert not AuditEntry.objects.filter(field__contains="apprais").exists()


def test_a_self_value_longer_than_the_field_holds_is_refused(world: World) -> None:
    leaf = world.leaf(world.sheet_a)
    response = _client(world.officer_a).post(
        reverse("cycles:leaf-save", args=[leaf.pk]),
        {"action": "self", "value": "1" * 201, "version": leaf.version},
    )
    assert response.status_code == 302 and _said(response)
    assert world.leaf(world.sheet_a).self_raw == ""
