"""plans:map — the responsibility map, for the administrator only; 403 to anyone else."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from chiso.web.cycles.models import Unit
from web.conftest import World
from web.views.helpers import as_, sent_to_login


def test_the_administrator_sees_who_answers_for_what(world: World, home_affairs: Unit) -> None:
    response = as_(world, "admin").get(reverse("plans:map"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Sở Nội vụ" in page and "Công tác chỉ đạo" in page  # domain 1's name


@pytest.mark.parametrize("actor", ["officer_a", "appraiser_a", "chair"])
def test_refused_to_anyone_else(world: World, actor: str) -> None:
    assert as_(world, actor).get(reverse("plans:map")).status_code == 403


def test_anonymous_is_sent_to_log_in(db: None) -> None:
    assert sent_to_login(Client().get(reverse("plans:map")))


def test_reading_only(world: World) -> None:
    assert as_(world, "admin").post(reverse("plans:map")).status_code == 405
