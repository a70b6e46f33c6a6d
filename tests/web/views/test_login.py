"""Signing in and out: Django's own views, with the methods they take."""

from __future__ import annotations

from django.urls import reverse

from web.conftest import World
from web.views.helpers import as_


def test_login_answers_405_to_a_delete(world: World) -> None:
    assert as_(world, "anonymous").delete(reverse("accounts:login")).status_code == 405


def test_logout_answers_405_to_a_get(world: World) -> None:
    assert as_(world, "officer_a").get(reverse("accounts:logout")).status_code == 405


def test_logout_by_post_goes_home(world: World) -> None:
    response = as_(world, "officer_a").post(reverse("accounts:logout"))
    assert response.status_code == 302 and response["Location"] == reverse("cycles:home")
