"""The home page (public) and the language link: GET only."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from web.conftest import World
from web.views.helpers import as_


def test_home_answers_405_to_a_post(world: World) -> None:
    assert as_(world, "officer_a").post(reverse("cycles:home")).status_code == 405


def test_home_lists_only_what_the_person_may_see(world: World) -> None:
    page = as_(world, "officer_b").get(reverse("cycles:home")).content.decode()
    assert "Sở Y tế" in page and reverse("cycles:sheet", args=[world.sheet_a.pk]) not in page


def test_home_is_public(world: World) -> None:
    assert Client().get(reverse("cycles:home")).status_code == 200


def test_the_language_link_answers_405_to_a_post() -> None:
    assert Client().post(reverse("portal:language", args=["en"])).status_code == 405


def test_an_unknown_language_changes_nothing_and_goes_home() -> None:
    response = Client().get(reverse("portal:language", args=["xx"]))
    assert response.status_code == 302 and response["Location"] == reverse("cycles:home")
    assert "django_language" not in response.cookies
