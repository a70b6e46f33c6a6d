"""The JSON API: 405 to a wrong method; 404 to an unknown or unpublished cycle and to a sheet
or leaf the caller may not see; 401 to the anonymous where a login is needed; 403 to a caller
who sees the sheet but may not act."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from web.conftest import World
from web.views.helpers import MISSING, as_


def _post(client, url: str, body: dict[str, object]):  # type: ignore[no-untyped-def]
    return client.post(url, json.dumps(body), content_type="application/json")


def test_the_cycle_list_answers_405_to_a_delete(world: World) -> None:
    assert as_(world, "admin").delete(reverse("api:cycles")).status_code == 405


def test_results_answer_405_to_a_post_and_404_unless_published(world: World) -> None:
    client = as_(world, "admin")
    assert client.post(reverse("api:results", args=[world.cycle.pk])).status_code == 405
    assert client.get(reverse("api:results", args=[world.cycle.pk])).status_code == 404
    assert client.get(reverse("api:results", args=[MISSING])).status_code == 404


def test_a_sheet_answers_405_404_and_401(world: World) -> None:
    url = reverse("api:sheet", kwargs={"sheet_id": world.sheet_a.pk})
    assert as_(world, "officer_a").post(url).status_code == 405
    assert as_(world, "officer_b").get(url).status_code == 404
    missing = reverse("api:sheet", kwargs={"sheet_id": MISSING})
    assert as_(world, "admin").get(missing).status_code == 404
    assert as_(world, "anonymous").get(url).status_code == 401


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("api:self_score", {"value": "1", "version": 0}),
        ("api:appraisal", {"points": 0.5, "reason": "thiếu", "version": 0}),
    ],
)
def test_leaf_actions_answer_405_404_403_and_401(
    world: World, name: str, body: dict[str, object]
) -> None:
    leaf = world.leaf(world.sheet_a)
    url = reverse(name, kwargs={"leaf_id": leaf.pk})
    assert as_(world, "officer_a").get(url).status_code == 405
    assert _post(as_(world, "officer_b"), url, body).status_code == 404
    missing = reverse(name, kwargs={"leaf_id": MISSING})
    assert _post(as_(world, "admin"), missing, body).status_code == 404
    assert _post(as_(world, "chair"), url, body).status_code == 403
    assert _post(as_(world, "anonymous"), url, body).status_code == 401
