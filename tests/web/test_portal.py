"""The public portal of a published cycle: ranking, unit profile, open data and the annex,
without login.

The addresses here are literal on purpose: /results/<id>/, its data.csv, annex.xlsx… are the
stable public addresses of open data that others link to, and these tests pin them."""

from __future__ import annotations

import csv
import io
import json
import re

import openpyxl
import pytest
from django.test import Client

from chiso.reports.svg import contrast_ratio
from chiso.web.core.frameworks import framework_of
from chiso.web.cycles import workflow
from chiso.web.cycles.models import Cycle, Publication
from web.conftest import World
from web.test_workflow import ANSWERS, _self_assess


@pytest.fixture
def published(world: World) -> Publication:
    _self_assess(world, world.sheet_a)
    _self_assess(world, world.sheet_b, {**ANSWERS, "1.4": "1", "7.1": "70"})
    world.move_to(Cycle.PUBLISHED)
    return Publication.objects.get(cycle=world.cycle)


def test_the_ranking_page_is_public_and_links_every_download(published: Publication) -> None:
    page = Client().get(f"/results/{published.cycle_id}/")
    assert page.status_code == 200
    text = page.content.decode()
    for link in (
        "data.csv",
        "data.xlsx",
        "data.json",
        "dictionary.json",
        "annex.xlsx",
        "annex.docx",
    ):
        assert f'href="/results/{published.cycle_id}/{link}"' in text
    assert "Sở Tư pháp" in text and published.sha256 in text


def test_open_data_downloads_carry_the_published_numbers(published: Publication) -> None:
    doc = json.loads(published.content)
    client = Client()
    base = f"/results/{published.cycle_id}"
    rows = list(
        csv.DictReader(io.StringIO(client.get(f"{base}/data.csv").content.decode("utf-8-sig")))
    )
    by_unit = {r["unit"]: r for r in rows}
    for u in doc["units"]:
        assert float(by_unit[u["unit"]]["total"]) == pytest.approx(u["total"], abs=1e-6)
    data = json.loads(client.get(f"{base}/data.json").content)
    assert data["sha256_of_snapshot"] == published.sha256 and len(data["rows"]) == 2
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"{base}/data.xlsx").content))
    assert book.active.max_row == 3
    names = [
        c["name"] for c in json.loads(client.get(f"{base}/dictionary.json").content)["columns"]
    ]
    assert names[:2] == ["unit", "region"] and "total" in names
    annex = openpyxl.load_workbook(io.BytesIO(client.get(f"{base}/annex.xlsx").content)).active
    assert annex["B4"].value == doc["units"][0]["unit"]
    word = client.get(f"{base}/annex.docx")
    assert word.status_code == 200 and word.content[:2] == b"PK"


def test_a_unit_profile_shows_domains_against_mean_and_best(published: Publication) -> None:
    page = Client().get(f"/results/{published.cycle_id}/units/Sở Tư pháp/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Công tác chỉ đạo, điều hành cải cách hành chính" in text
    assert Client().get(f"/results/{published.cycle_id}/units/Không có/").status_code == 404


def test_unpublished_cycles_have_no_public_pages(world: World) -> None:
    client = Client()
    for path in (
        "",
        "data.csv",
        "annex.xlsx",
        "report.pdf",
        "units/Sở Tư pháp/",
        "units/Sở Tư pháp/report.pdf",
        "compare/",
        "heatmap/",
        "intervals/",
        "rebased/",
        "rebased.csv",
    ):
        assert client.get(f"/results/{world.cycle.pk}/{path}").status_code == 404
    assert workflow.ORDER[0] == Cycle.DRAFT


def test_the_language_link_switches_to_english_and_stays_on_this_site(
    published: Publication,
) -> None:
    client = Client()
    page = f"/results/{published.cycle_id}/"
    response = client.get(f"/lang/en/?next={page}")
    assert response.status_code == 302 and response["Location"] == page
    assert "Rank" in client.get(page).content.decode()
    assert "Xếp hạng" in Client().get(page).content.decode()
    away = client.get("/lang/en/?next=https://example.org/")
    assert away["Location"] == "/"


def test_a_new_publication_replaces_the_cached_public_page(published: Publication) -> None:
    client = Client()
    page = f"/results/{published.cycle_id}/"
    assert published.sha256 in client.get(page).content.decode()
    corrected = Publication.objects.create(
        cycle=published.cycle,
        revision=2,
        created_by=published.created_by,
        content=published.content.replace("Sở Y tế", "Sở Y tế (đính chính)"),
        sha256="f" * 64,
        reason="đính chính tên",
    )
    from django.core.cache import cache

    cache.delete(f"latest-publication:{published.cycle_id}")  # what publish() does on commit
    text = client.get(page).content.decode()
    assert corrected.sha256 in text and "Sở Y tế (đính chính)" in text


def test_public_pages_are_served_from_the_microcache_but_never_to_a_session(
    published: Publication,
) -> None:
    from chiso.web.microcache import PublicPageCache

    calls: list[str] = []

    def app(environ, start_response):  # type: ignore[no-untyped-def]
        calls.append(environ["PATH_INFO"])
        start_response("200 OK", [("Content-Type", "text/html")])
        return [b"page"]

    cached = PublicPageCache(app)

    def get(path: str, cookie: str = "") -> bytes:
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "HTTP_COOKIE": cookie,
        }
        return b"".join(cached(environ, lambda status, headers, exc=None: None))

    path = f"/results/{published.cycle_id}/"
    assert get(path) == get(path) == b"page" and calls == [path]
    get(path, "sessionid=abc")
    get(path, "django_language=vi; messages=waiting")  # a message to show this visitor
    get("/sheets/1/")
    assert calls == [path, path, path, "/sheets/1/"]


def test_units_side_by_side_and_the_heat_map(published: Publication) -> None:
    client = Client()
    base = f"/results/{published.cycle_id}"
    page = client.get(f"{base}/compare/?u=Sở Y tế&u=Sở Tư pháp&u=Không có").content.decode()
    assert page.index("Sở Y tế</th>") < page.index("Sở Tư pháp</th>")
    doc = json.loads(published.content)
    total = next(u for u in doc["units"] if u["unit"] == "Sở Tư pháp")["total"]
    assert f"{total:.2f}".replace(".", ",") in page
    heat = client.get(f"{base}/heatmap/").content.decode()
    assert heat.count("<tr>") == 3
    # every shaded cell's number keeps WCAG AA contrast (4.5:1) with its shade
    cells = re.findall(r'style="background:(#[0-9a-f]{6});color:(#[0-9a-f]{6})"', heat)
    assert cells and all(contrast_ratio(fg, bg) >= 4.5 for bg, fg in cells)


def test_a_snapshot_keeps_group_codes_and_each_language_names_them(
    published: Publication,
) -> None:
    """The English portal showed "Tốt/Khá": a snapshot stored the Vietnamese group names. It
    keeps the codes now, and each page names the group in its reader's language."""
    doc = json.loads(published.content)
    assert all("group_name" not in u for u in doc["units"])
    bands = {b.code: b for b in framework_of(published.cycle).groups.bands}
    grouped = [u for u in doc["units"] if u.get("group")]
    assert grouped, "the fixture's units should fall in groups"
    english, vietnamese = Client(), Client()
    english.get("/lang/en/?next=/")
    for u in grouped:
        band = bands[u["group"]]
        profile = f"/results/{published.cycle_id}/units/{u['unit']}/"
        assert f"· {band.name_en}</p>" in english.get(profile).content.decode()
        assert f"· {band.name_vi}</p>" in vietnamese.get(profile).content.decode()
        ranking = english.get(f"/results/{published.cycle_id}/").content.decode()
        assert f"<option>{band.name_en}</option>" in ranking
        assert f"<option>{band.name_vi}</option>" not in ranking


def test_the_api_names_a_snapshots_groups_in_the_callers_language(
    published: Publication,
) -> None:
    bands = {b.code: b for b in framework_of(published.cycle).groups.bands}
    english = Client()
    english.get("/lang/en/?next=/")
    for client, field in ((Client(), "name_vi"), (english, "name_en")):
        doc = client.get(f"/api/cycles/{published.cycle_id}/results").json()
        for u in doc["units"]:
            expected = getattr(bands[u["group"]], field) if u.get("group") else None
            assert u["group_name"] == expected, u
