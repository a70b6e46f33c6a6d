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


def test_the_published_results_list_the_real_archive_first_and_simulated_cycles_apart(
    world: World,
) -> None:
    """Issue #22: the heading of published results starts with the archive of real figures;
    simulated cycles have their own heading, each marked."""
    from chiso.web.cycles.models import Cycle

    world.cycle.state = Cycle.PUBLISHED
    world.cycle.simulated = True
    world.cycle.save()
    page = Client().get(reverse("cycles:home")).content.decode()
    published = page.index("<h2>Kết quả đã công bố</h2>")
    simulated = page.index("<h2>Kỳ đánh giá mô phỏng</h2>")
    archive = page.index(f'href="{reverse("archive:index")}"', published)  # the header has one
    cycle = page.index(f'href="{reverse("portal:published", args=[world.cycle.pk])}"')
    assert published < archive < simulated < cycle
