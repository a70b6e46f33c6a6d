"""Moving a cycle on, publishing it, importing central points: POST only; 404 to an unknown
cycle or one the person has no part in; 403 to those who see it but may not act; the login
page for the anonymous."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chiso.web.cycles.models import Cycle
from web.conftest import World
from web.views.helpers import CONFIRM, MISSING, as_, sent_to_login

ACTIONS = {
    "cycles:cycle-advance": lambda: {"to": Cycle.APPRAISAL},
    "cycles:cycle-publish": lambda: {
        "reason": "đính chính",
        "decision_number": "1551/QĐ-UBND",
        "decision_date": "2025-01-20",
        "decision_body": "UBND tỉnh",
    },
    "cycles:cycle-central": lambda: {"file": SimpleUploadedFile("diem.csv", b"unit,node,value\n")},
}


@pytest.mark.parametrize("name", ACTIONS)
def test_405_to_a_get(world: World, name: str) -> None:
    assert as_(world, "admin").get(reverse(name, args=[world.cycle.pk])).status_code == 405


@pytest.mark.parametrize("name", ACTIONS)
def test_404_to_an_unknown_cycle(world: World, name: str) -> None:
    url = reverse(name, args=[MISSING])
    assert as_(world, "admin").post(url, ACTIONS[name]()).status_code == 404


@pytest.mark.parametrize("name", ACTIONS)
def test_404_to_someone_with_no_part_in_it(world: World, name: str) -> None:
    other = Cycle.objects.create(name="khác", year=2023, framework_code="x", framework_yaml="")
    url = reverse(name, args=[other.pk])
    assert as_(world, "officer_a").post(url, ACTIONS[name]()).status_code == 404


@pytest.mark.parametrize("name", ACTIONS)
@pytest.mark.parametrize("actor", ["officer_a", "appraiser_a"])
def test_403_to_those_who_see_it_but_may_not_act(world: World, name: str, actor: str) -> None:
    url = reverse(name, args=[world.cycle.pk])
    assert as_(world, actor).post(url, ACTIONS[name]()).status_code == 403
    world.cycle.refresh_from_db()
    assert world.cycle.state == Cycle.SELF and not world.cycle.publications.exists()


@pytest.mark.parametrize("name", ACTIONS)
def test_the_anonymous_are_sent_to_log_in(world: World, name: str) -> None:
    url = reverse(name, args=[world.cycle.pk])
    assert sent_to_login(as_(world, "anonymous").post(url, ACTIONS[name]()))


def test_the_administrator_moves_the_cycle_on(world: World) -> None:
    url = reverse("cycles:cycle-advance", args=[world.cycle.pk])
    response = as_(world, "admin").post(url, {"to": Cycle.APPRAISAL, "reason": "", **CONFIRM})
    assert response["Location"] == reverse("cycles:cycle", args=[world.cycle.pk])
    world.cycle.refresh_from_db()
    assert world.cycle.state == Cycle.APPRAISAL
