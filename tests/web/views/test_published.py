"""The public pages and files of a published cycle: GET (and HEAD) only — 405 otherwise; 404
to an unknown cycle, to a cycle not yet published and to a unit not in the results. They are
public: nobody is refused (403) or sent to log in."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from chiso.web.cycles.models import Cycle
from web.conftest import World
from web.views.helpers import MISSING

CYCLE_PAGES = [
    "portal:published",
    "portal:compare",
    "portal:heatmap",
    "portal:intervals",
    "portal:data-csv",
    "portal:data-xlsx",
    "portal:data-json",
    "portal:dictionary",
    "portal:annex-xlsx",
    "portal:annex-docx",
    "portal:report-pdf",
]
REBASED = ["portal:rebased", "portal:rebased-csv", "portal:rebased-xlsx", "portal:rebased-json"]
UNIT_PAGES = ["portal:profile", "portal:unit-report"]
UNIT = "Sở Tư pháp"


@pytest.fixture
def published(world: World) -> Cycle:
    world.move_to(Cycle.PUBLISHED)
    return world.cycle


def _url(name: str, pk: int, unit: str = UNIT) -> str:
    return reverse(name, args=[pk, unit] if name in UNIT_PAGES else [pk])


@pytest.mark.parametrize("name", [*CYCLE_PAGES, *REBASED, *UNIT_PAGES])
@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_405_to_anything_but_reading(published: Cycle, name: str, method: str) -> None:
    assert getattr(Client(), method)(_url(name, published.pk)).status_code == 405


@pytest.mark.parametrize("name", [*CYCLE_PAGES, *UNIT_PAGES])
def test_served_to_anyone(published: Cycle, name: str) -> None:
    assert Client().get(_url(name, published.pk)).status_code == 200
    assert Client().head(_url(name, published.pk)).status_code == 200


@pytest.mark.parametrize("name", [*CYCLE_PAGES, *REBASED, *UNIT_PAGES])
def test_404_to_an_unknown_cycle(db: None, name: str) -> None:
    assert Client().get(_url(name, MISSING)).status_code == 404


@pytest.mark.parametrize("name", [*CYCLE_PAGES, *REBASED, *UNIT_PAGES])
def test_404_to_a_cycle_not_yet_published(world: World, name: str) -> None:
    client = Client()
    client.force_login(world.admin)  # not even the administrator sees it here
    assert client.get(_url(name, world.cycle.pk)).status_code == 404


@pytest.mark.parametrize("name", UNIT_PAGES)
def test_404_to_a_unit_not_in_the_results(published: Cycle, name: str) -> None:
    assert Client().get(_url(name, published.pk, "Không có")).status_code == 404


@pytest.mark.parametrize("name", REBASED)
def test_404_to_re_basing_a_cycle_not_of_the_63_provinces(published: Cycle, name: str) -> None:
    assert Client().get(_url(name, published.pk)).status_code == 404
