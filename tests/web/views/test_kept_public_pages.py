"""A published cycle's public pages (the ranking, a unit's profile, the open data) and the API's
results are kept whole for visitors who are not signed in (chiso.web.core.kept): served in
one query and no template, byte for byte the page made afresh, headers included; made afresh
by anything that changes them (a new revision, a renamed cycle, a successor link, a boundary
map, another version of chiso); never served to, nor kept from, someone signed in or with a
message waiting."""

from __future__ import annotations

import datetime

import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from chiso.web.core import kept
from chiso.web.cycles.models import Cycle, Publication, ScoreSheet, Unit, UnitSuccession
from chiso.web.portal.models import BoundaryMap
from web.conftest import World
from web.test_portal import published
from web.views.conftest import fill
from web.views.helpers import as_, made_afresh

__all__ = ["published"]  # the fixture

PAGES = {
    "ranking": "/results/{cycle}/",
    "profile": "/results/{cycle}/units/Sở Tư pháp/",
    "data.csv": "/results/{cycle}/data.csv",
    "data.json": "/results/{cycle}/data.json",
    "intervals": "/results/{cycle}/intervals/",
}
HEADERS = ("Content-Type", "Content-Language", "Vary", "Content-Security-Policy", "Cache-Control")


def _address(page: str, publication: Publication) -> str:
    return PAGES[page].format(cycle=publication.cycle_id)


def _answer(client: Client, address: str, **extra: str) -> tuple[bytes, dict[str, str | None]]:
    response = client.get(address, **extra)
    assert response.status_code == 200, address
    return response.content, {h: response.get(h) for h in HEADERS}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_kept_page_is_the_page_made_afresh_byte_for_byte(
    published: Publication, page: str, lang: str
) -> None:
    address = _address(page, published)
    made = _answer(Client(), address, HTTP_ACCEPT_LANGUAGE=lang)
    with CaptureQueriesContext(connection) as queries:
        served = Client().get(address, HTTP_ACCEPT_LANGUAGE=lang)
    assert len(queries) == 1 and not served.templates
    assert (served.content, {h: served.get(h) for h in HEADERS}) == made
    cache.clear()
    assert _answer(Client(), address, HTTP_ACCEPT_LANGUAGE=lang) == made


@pytest.mark.parametrize("page", ["ranking", "profile"])
def test_the_signed_in_get_their_own_header_and_the_visitors_never_see_it(
    world: World, published: Publication, page: str
) -> None:
    address = _address(page, published)
    # a signed-in person first, then a visitor, then the person again
    chair = as_(world, "chair")
    own = chair.get(address).content.decode()
    visitor = Client().get(address).content.decode()
    assert world.chair.username in own and world.chair.username not in visitor
    assert 'name="csrfmiddlewaretoken"' in own and "csrfmiddlewaretoken" not in visitor
    assert Client().get(address).content.decode() == visitor
    again = chair.get(address).content.decode()
    assert world.chair.username in again and "no-store" in chair.get(address)["Cache-Control"]
    # the visitor's page is the person's without their header
    assert own.split("</header>", 1)[1] == visitor.split("</header>", 1)[1]


def _with_message(text: str) -> str:
    """The messages cookie a browser carries with ``text`` waiting to be shown."""
    storage = CookieStorage(RequestFactory().get("/"))
    storage.add(messages.SUCCESS, text)
    response = HttpResponse()
    storage.update(response)
    return response.cookies[CookieStorage.cookie_name].value


def test_a_message_waiting_is_shown_to_its_visitor_and_never_kept_for_others(
    published: Publication,
) -> None:
    address = _address("ranking", published)
    plain = Client().get(address).content.decode()
    client = Client()
    client.cookies[CookieStorage.cookie_name] = _with_message("Đã gửi phản hồi của bạn")
    assert "Đã gửi phản hồi của bạn" in client.get(address).content.decode()
    assert Client().get(address).content.decode() == plain
    assert "Đã gửi phản hồi của bạn" not in plain


def test_a_visitor_with_a_session_has_the_page_made_afresh(published: Publication) -> None:
    address = _address("profile", published)
    Client().get(address)
    client = Client()
    client.cookies["sessionid"] = "expired-or-unknown"
    assert made_afresh(client, address)
    assert not made_afresh(Client(), address)


@pytest.mark.parametrize("page", ["ranking", "profile", "data.csv"])
def test_a_new_revision_is_served_at_once(published: Publication, page: str) -> None:
    address = _address(page, published)
    Client().get(address)
    Publication.objects.create(
        cycle=published.cycle,
        revision=2,
        created_by=published.created_by,
        content=published.content.replace("Sở Y tế", "Sở Y tế (đính chính)"),
        sha256="e" * 64,
        reason="đính chính tên",
    )
    text = Client().get(address).content.decode("utf-8-sig")
    assert "Sở Y tế (đính chính)" in text


@pytest.mark.parametrize("page", ["ranking", "profile", "data.json"])
def test_a_renamed_cycle_is_shown_by_its_new_name_at_once(
    published: Publication, page: str
) -> None:
    address = _address(page, published)
    assert "Kỳ đổi tên" not in Client().get(address).content.decode("utf-8-sig")
    Cycle.objects.filter(pk=published.cycle_id).update(name="Kỳ đổi tên")
    assert "Kỳ đổi tên" in Client().get(address).content.decode("utf-8-sig")


def test_a_publication_of_another_cycle_or_a_successor_link_makes_the_profile_afresh(
    world: World, published: Publication
) -> None:
    address = _address("profile", published)
    Client().get(address)
    assert not made_afresh(Client(), address)
    # a unit's history reads every publication, and a commune's page its successor links
    before, after = (
        Unit.objects.create(code=c, name=n, kind="commune")
        for c, n in (("X1", "Xã Cũ"), ("X2", "Xã Mới"))
    )
    UnitSuccession.objects.create(predecessor=before, successor=after, date=datetime.date.today())
    assert made_afresh(Client(), address)
    assert not made_afresh(Client(), address)
    other = Cycle.objects.create(name="Kỳ khác", year=2030, framework_code="x")
    Publication.objects.create(
        cycle=other, revision=1, created_by=world.chair, content="{}", sha256="d" * 64
    )
    assert made_afresh(Client(), address)


def test_a_boundary_map_added_or_removed_makes_the_ranking_afresh(
    world: World, published: Publication
) -> None:
    address = _address("ranking", published)
    without = Client().get(address).content
    assert not made_afresh(Client(), address)
    boundary = BoundaryMap.objects.create(
        name="Bản đồ",
        uploaded_by=world.admin,
        file_name="b.geojson",
        sha256="0" * 64,
        feature_count=0,
        features="[]",
    )
    assert made_afresh(Client(), address)
    assert not made_afresh(Client(), address)
    boundary.delete()
    # the page without a map again: the one kept before the map was added
    assert Client().get(address).content == without


def test_a_page_kept_by_another_version_of_chiso_is_not_served(
    published: Publication, monkeypatch: pytest.MonkeyPatch
) -> None:
    address = _address("profile", published)
    Client().get(address)
    monkeypatch.setattr(kept, "site_revision", lambda: "another-version")
    assert made_afresh(Client(), address)


def test_the_sites_revision_names_its_code_and_stays_the_same_in_a_process() -> None:
    revision = kept.site_revision()
    assert revision == kept.site_revision() and len(revision) == 16


def test_a_cycle_without_publication_has_no_kept_page(world: World) -> None:
    for page in PAGES:
        assert Client().get(PAGES[page].format(cycle=world.cycle.pk)).status_code == 404
    assert Client().get("/results/999999/").status_code == 404


def test_the_api_s_results_follow_a_new_revision_and_404_for_a_cycle_without_one(
    world: World, published: Publication
) -> None:
    address = f"/api/cycles/{published.cycle_id}/results"
    first = Client().get(address).json()
    assert first["publication"]["sha256"] == published.sha256
    Publication.objects.create(
        cycle=published.cycle,
        revision=2,
        created_by=published.created_by,
        content=published.content,
        sha256="c" * 64,
        reason="đính chính",
    )
    assert Client().get(address).json()["publication"]["revision"] == 2
    missing = Client().get("/api/cycles/999999/results")
    assert missing.status_code == 404 and "cycle_id" in missing.content.decode()


def test_the_rank_intervals_are_simulated_once_per_publication(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The ranking and every unit's profile show the same simulated intervals: 4,000 draws of
    every unit are run for the first of them, not again for each unit and language."""
    from chiso.web.portal import views

    fill(world)
    ScoreSheet.objects.filter(cycle=world.cycle).update(standard_errors={"total": 10.0})
    world.move_to(Cycle.PUBLISHED)
    runs: list[int] = []
    simulate = views.document_uncertainty
    monkeypatch.setattr(
        views, "document_uncertainty", lambda doc, fw: runs.append(1) or simulate(doc, fw)
    )
    shown = {
        f"/results/{world.cycle.pk}/": b"rank-interval-note",
        f"/results/{world.cycle.pk}/units/Sở Tư pháp/": b'id="group-probability"',
        f"/results/{world.cycle.pk}/units/Sở Y tế/": b'id="group-probability"',
    }
    for lang in ("vi", "en"):
        for address, mark in shown.items():
            response = Client().get(address, HTTP_ACCEPT_LANGUAGE=lang)
            assert response.status_code == 200 and mark in response.content
    assert runs == [1]
