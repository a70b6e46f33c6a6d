"""A score sheet's page, its Excel template, submitting and uploading it: 405 to a wrong
method; 404 to an unknown sheet and to people who may not see it; 403 to those who see it but
may not fill it in; the login page for the anonymous."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chiso.web.cycles.models import ScoreSheet
from web.conftest import World
from web.views.helpers import CONFIRM, MISSING, as_, sent_to_login

READ = ["cycles:sheet", "cycles:sheet-template"]
WRITE = {
    "cycles:sheet-submit": lambda: {},
    "cycles:sheet-upload": lambda: {"file": SimpleUploadedFile("phieu.xlsx", b"PK\x03\x04")},
}


@pytest.mark.parametrize("name", READ)
def test_reading_answers_405_to_a_post(world: World, name: str) -> None:
    url = reverse(name, args=[world.sheet_a.pk])
    assert as_(world, "officer_a").post(url).status_code == 405


@pytest.mark.parametrize("name", WRITE)
def test_writing_answers_405_to_a_get(world: World, name: str) -> None:
    url = reverse(name, args=[world.sheet_a.pk])
    assert as_(world, "officer_a").get(url).status_code == 405


@pytest.mark.parametrize("name", [*READ, *WRITE])
def test_404_to_an_unknown_sheet(world: World, name: str) -> None:
    client = as_(world, "admin")
    response = (
        client.get(reverse(name, args=[MISSING]))
        if name in READ
        else client.post(reverse(name, args=[MISSING]), WRITE[name]())
    )
    assert response.status_code == 404


@pytest.mark.parametrize("name", [*READ, *WRITE])
def test_404_to_another_unit_s_officer(world: World, name: str) -> None:
    client = as_(world, "officer_b")
    url = reverse(name, args=[world.sheet_a.pk])
    response = client.get(url) if name in READ else client.post(url, WRITE[name]())
    assert response.status_code == 404


@pytest.mark.parametrize("name", WRITE)
@pytest.mark.parametrize("actor", ["appraiser_a", "chair", "admin"])
def test_403_to_those_who_see_it_but_may_not_fill_it_in(
    world: World, name: str, actor: str
) -> None:
    url = reverse(name, args=[world.sheet_a.pk])
    assert as_(world, actor).post(url, WRITE[name]()).status_code == 403
    world.sheet_a.refresh_from_db()
    assert world.sheet_a.state == ScoreSheet.DRAFT


@pytest.mark.parametrize("name", [*READ, *WRITE])
def test_the_anonymous_are_sent_to_log_in(world: World, name: str) -> None:
    client = as_(world, "anonymous")
    url = reverse(name, args=[world.sheet_a.pk])
    assert sent_to_login(client.get(url) if name in READ else client.post(url, WRITE[name]()))


def test_the_officer_submits_and_comes_back_to_the_sheet(world: World) -> None:
    response = as_(world, "officer_a").post(
        reverse("cycles:sheet-submit", args=[world.sheet_a.pk]), CONFIRM
    )
    assert response["Location"] == reverse("cycles:sheet", args=[world.sheet_a.pk])
    world.sheet_a.refresh_from_db()
    assert world.sheet_a.state == ScoreSheet.SUBMITTED
