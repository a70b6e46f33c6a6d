"""A cycle's page and its audit trail: GET only; 404 to an unknown cycle and to people with
no part in it; the audit trail 403 to those who see the cycle but not its trail; the login
page for the anonymous."""

from __future__ import annotations

import pytest
from django.urls import reverse

from chiso.web.cycles.models import Cycle
from web.conftest import World
from web.views.helpers import MISSING, as_, sent_to_login

PAGES = ["cycles:cycle", "cycles:cycle-audit"]


@pytest.mark.parametrize("name", PAGES)
def test_405_to_a_post(world: World, name: str) -> None:
    assert as_(world, "admin").post(reverse(name, args=[world.cycle.pk])).status_code == 405


@pytest.mark.parametrize("name", PAGES)
def test_404_to_an_unknown_cycle(world: World, name: str) -> None:
    assert as_(world, "admin").get(reverse(name, args=[MISSING])).status_code == 404


@pytest.mark.parametrize("name", PAGES)
def test_404_to_someone_with_no_part_in_it(world: World, name: str) -> None:
    other = Cycle.objects.create(name="khác", year=2023, framework_code="x", framework_yaml="")
    assert as_(world, "officer_a").get(reverse(name, args=[other.pk])).status_code == 404


@pytest.mark.parametrize("name", PAGES)
def test_the_anonymous_are_sent_to_log_in(world: World, name: str) -> None:
    assert sent_to_login(as_(world, "anonymous").get(reverse(name, args=[world.cycle.pk])))


@pytest.mark.parametrize("actor", ["officer_a", "appraiser_a"])
def test_the_audit_trail_is_403_to_officers_and_appraisers(world: World, actor: str) -> None:
    url = reverse("cycles:cycle-audit", args=[world.cycle.pk])
    assert as_(world, actor).get(url).status_code == 403


@pytest.mark.parametrize("actor", ["admin", "chair"])
def test_the_audit_trail_is_served_to_admin_and_chair(world: World, actor: str) -> None:
    response = as_(world, actor).get(reverse("cycles:cycle-audit", args=[world.cycle.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")


def test_the_page_lists_only_the_sheets_one_may_see(world: World) -> None:
    page = as_(world, "officer_a").get(reverse("cycles:cycle", args=[world.cycle.pk]))
    text = page.content.decode()
    assert reverse("cycles:sheet", args=[world.sheet_a.pk]) in text
    assert reverse("cycles:sheet", args=[world.sheet_b.pk]) not in text


def test_an_english_page_names_the_cycle_and_sheet_states_in_english(world: World) -> None:
    world.move_to(Cycle.EXPLANATION)
    client = as_(world, "admin")
    client.cookies["django_language"] = "en"
    html = client.get(reverse("cycles:cycle", args=[world.cycle.pk])).content.decode()
    assert "<strong>Explanation</strong>" in html and "Giải trình</strong>" not in html
    assert "<td>Being entered</td>" in html and "Đang nhập" not in html
    client.cookies["django_language"] = "vi"
    html = client.get(reverse("cycles:cycle", args=[world.cycle.pk])).content.decode()
    assert "<strong>Giải trình</strong>" in html and "<td>Đang nhập</td>" in html


def test_the_english_home_page_names_each_cycle_s_state_in_english(world: World) -> None:
    world.move_to(Cycle.FINALISED)
    client = as_(world, "chair")
    client.cookies["django_language"] = "en"
    html = client.get(reverse("cycles:home")).content.decode()
    assert f"{world.cycle.name}</a>" in html
    assert '<strong class="tag tag--green">Finalised</strong>' in html  # its state as a tag


def test_each_publication_names_its_decision_as_the_decision_formatter_writes_it(
    world: World,
) -> None:
    """The cycle page writes a publication's decision with reports.decision.decision_line
    (number, date and issuing body, in the page's language), not a hand-made line."""
    world.move_to(Cycle.PUBLISHED)
    url = reverse("cycles:cycle", args=[world.cycle.pk])
    vi = as_(world, "chair").get(url, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Quyết định số 1551/QĐ-UBND ngày 20/01/2025 của UBND tỉnh" in vi
    en = as_(world, "chair").get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Decision No. 1551/QĐ-UBND of 2025-01-20 by UBND tỉnh" in en
