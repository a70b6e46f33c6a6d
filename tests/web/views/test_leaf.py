"""A leaf's row: saving a score, a message in its thread, its history: 405 to a wrong method;
404 to an unknown leaf and to people who may not see its sheet; 403 to those who see it but
may not act now; the login page for the anonymous. Numbers are read with a decimal comma."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from chiso.web.cycles.models import Cycle, LeafScore, Message
from web.conftest import World
from web.views.helpers import MISSING, as_, sent_to_login

WRITE = {
    "cycles:leaf-save": lambda leaf: {"action": "self", "value": "1", "version": leaf.version},
    "cycles:leaf-message": lambda leaf: {"text": "Đề nghị giải trình"},
}


def test_history_answers_405_to_a_post(world: World) -> None:
    url = reverse("cycles:leaf-history", args=[world.leaf(world.sheet_a).pk])
    assert as_(world, "officer_a").post(url).status_code == 405


@pytest.mark.parametrize("name", WRITE)
def test_writing_answers_405_to_a_get(world: World, name: str) -> None:
    url = reverse(name, args=[world.leaf(world.sheet_a).pk])
    assert as_(world, "officer_a").get(url).status_code == 405


@pytest.mark.parametrize("name", ["cycles:leaf-history", *WRITE])
def test_404_to_an_unknown_leaf(world: World, name: str) -> None:
    client, url = as_(world, "admin"), reverse(name, args=[MISSING])
    leaf = world.leaf(world.sheet_a)
    response = client.get(url) if name not in WRITE else client.post(url, WRITE[name](leaf))
    assert response.status_code == 404


@pytest.mark.parametrize("name", ["cycles:leaf-history", *WRITE])
def test_404_to_another_unit_s_officer(world: World, name: str) -> None:
    leaf = world.leaf(world.sheet_a)
    client, url = as_(world, "officer_b"), reverse(name, args=[leaf.pk])
    response = client.get(url) if name not in WRITE else client.post(url, WRITE[name](leaf))
    assert response.status_code == 404
    assert LeafScore.objects.get(pk=leaf.pk).version == leaf.version


@pytest.mark.parametrize("name", WRITE)
def test_403_to_those_who_see_it_but_may_not_act_now(world: World, name: str) -> None:
    """In self-assessment the appraiser may neither score for the unit nor open a thread."""
    leaf = world.leaf(world.sheet_a)
    url = reverse(name, args=[leaf.pk])
    assert as_(world, "appraiser_a").post(url, WRITE[name](leaf)).status_code == 403
    assert LeafScore.objects.get(pk=leaf.pk).version == leaf.version
    assert not Message.objects.exists()


def test_an_unknown_action_is_403(world: World) -> None:
    leaf = world.leaf(world.sheet_a)
    url = reverse("cycles:leaf-save", args=[leaf.pk])
    response = as_(world, "officer_a").post(url, {"action": "delete", "version": leaf.version})
    assert response.status_code == 403


@pytest.mark.parametrize("name", ["cycles:leaf-history", *WRITE])
def test_the_anonymous_are_sent_to_log_in(world: World, name: str) -> None:
    leaf = world.leaf(world.sheet_a)
    client, url = as_(world, "anonymous"), reverse(name, args=[leaf.pk])
    assert sent_to_login(client.get(url) if name not in WRITE else client.post(url, {}))


def _told(response: object) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]  # type: ignore[attr-defined]


def test_an_appraisal_is_read_with_a_decimal_comma(world: World) -> None:
    leaf = world.leaf(world.sheet_a)
    world.move_to(Cycle.APPRAISAL)
    response = as_(world, "appraiser_a").post(
        reverse("cycles:leaf-save", args=[leaf.pk]),
        {"action": "appraise", "points": "0,5", "reason": "thiếu", "version": leaf.version},
    )
    assert (
        response["Location"] == reverse("cycles:sheet", args=[leaf.sheet_id]) + f"#leaf-{leaf.pk}"
    )
    assert LeafScore.objects.get(pk=leaf.pk).appraised_points == 0.5


@pytest.mark.parametrize("points", ["abc", "1,2,3", "nan"])
def test_an_appraisal_that_is_not_a_number_is_told(world: World, points: str) -> None:
    leaf = world.leaf(world.sheet_a)
    world.move_to(Cycle.APPRAISAL)
    response = as_(world, "appraiser_a").post(
        reverse("cycles:leaf-save", args=[leaf.pk]),
        {"action": "appraise", "points": points, "reason": "x", "version": leaf.version},
    )
    assert f"'{points}' không phải là số" in _told(response)
    assert LeafScore.objects.get(pk=leaf.pk).appraised_points is None


def test_central_points_must_be_given(world: World) -> None:
    leaf = world.leaf(world.sheet_a, "7.1")
    response = as_(world, "admin").post(
        reverse("cycles:leaf-save", args=[leaf.pk]),
        {"action": "central", "points": " ", "version": leaf.version},
    )
    assert "'' không phải là số" in _told(response)


@pytest.mark.parametrize("version", ["x", "9" * 5000, "-3", "١٢"])
def test_a_version_nobody_holds_is_a_conflict_naming_the_current_one(
    world: World, version: str
) -> None:
    leaf = world.leaf(world.sheet_a)
    response = as_(world, "officer_a").post(
        reverse("cycles:leaf-save", args=[leaf.pk]),
        {"action": "self", "value": "1", "version": version},
    )
    assert f"phiên bản {leaf.version}" in " ".join(_told(response))
    assert LeafScore.objects.get(pk=leaf.pk).version == leaf.version


def test_an_overlong_value_is_told_not_stored(world: World) -> None:
    leaf = world.leaf(world.sheet_a)
    response = as_(world, "officer_a").post(
        reverse("cycles:leaf-save", args=[leaf.pk]),
        {"action": "self", "value": "1" * 201, "version": leaf.version},
    )
    assert "nội dung dài 201 ký tự, quá mức tối đa 200 ký tự" in _told(response)
    assert LeafScore.objects.get(pk=leaf.pk).self_raw == ""
