"""The published archive's pages (its index, a province's page, a comparison) are kept whole
for visitors who are not signed in (chiso.web.core.kept): served in one query and no
template, byte for byte the page made afresh; made afresh when another archive is loaded; a
comparison kept by the names it was asked for."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from chiso.archive import Archive
from chiso.web.archive import models
from web.archive_helpers import loaded
from web.conftest import World
from web.views.helpers import as_, made_afresh

pytestmark = pytest.mark.django_db
__all__ = ["loaded"]  # the fixture

PAGES = {
    "index": "/archive/",
    "province": f"/archive/provinces/{quote('Quảng Ninh')}/",
    "comparison": "/archive/compare/?p=" + "&p=".join(quote(n) for n in ("Hà Nội", "Huế")),
}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_kept_archive_page_is_the_page_made_afresh(loaded: Archive, page: str, lang: str) -> None:
    address = PAGES[page]
    made = Client().get(address, HTTP_ACCEPT_LANGUAGE=lang)
    with CaptureQueriesContext(connection) as queries:
        served = Client().get(address, HTTP_ACCEPT_LANGUAGE=lang)
    assert len(queries) == 1 and not served.templates
    assert served.content == made.content
    assert served.items() == made.items()
    cache.clear()
    assert Client().get(address, HTTP_ACCEPT_LANGUAGE=lang).content == made.content


def test_another_archive_loaded_makes_every_page_afresh(loaded: Archive) -> None:
    for address in PAGES.values():
        Client().get(address)
        assert not made_afresh(Client(), address)
    models.Loaded.objects.create(sha256="a" * 64, figures=len(loaded.figures))
    for address in PAGES.values():
        assert made_afresh(Client(), address)


def test_the_form_filled_from_a_province_s_page_is_not_the_empty_form(loaded: Archive) -> None:
    """One name fills the form without comparing (a province's page links so): the page is
    kept by the names asked for, not only by the provinces compared."""
    one = Client().get(f"/archive/compare/?p={quote('Hà Nội')}").content.decode()
    empty = Client().get("/archive/compare/").content.decode()
    chosen = '<option value="Hà Nội" selected>'
    assert chosen in one and chosen not in empty
    assert Client().get(f"/archive/compare/?p={quote('Hà Nội')}").content.decode() == one


def test_the_signed_in_get_their_own_header_on_the_archive(world: World, loaded: Archive) -> None:
    address = PAGES["province"]
    visitor = Client().get(address).content.decode()
    own = as_(world, "chair").get(address).content.decode()
    assert world.chair.username in own and world.chair.username not in visitor
    assert own.split("</header>", 1)[1] == visitor.split("</header>", 1)[1]
