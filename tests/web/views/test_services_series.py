"""The series page: every unit's index for every month imported, public, marked simulated; a
month added later leaves the months before it as they were."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from chiso.frameworks import get_framework
from chiso.records.monthly_index import unit_month
from chiso.web.service_index.models import ServiceValue
from web.views.services_helpers import UNITS, two_months

pytestmark = pytest.mark.django_db


def test_the_series_shows_every_unit_and_month_to_anyone(tmp_path: Path) -> None:
    two_months(tmp_path)
    page = Client().get(reverse("service_index:series"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "2024-01" in text and "2024-02" in text
    assert all(unit in text for unit in UNITS)
    assert "Dữ liệu mô phỏng" in text


def test_adding_a_month_does_not_touch_the_months_before(tmp_path: Path) -> None:
    january, _ = two_months(tmp_path)
    before = list(
        ServiceValue.objects.filter(month=january)
        .order_by("pk")
        .values_list("pk", "numerator", "denominator")
    )
    from chiso.records.simulate import Plan, simulate
    from chiso.web.service_index.importing import add_month

    simulate(Plan(UNITS, 500, months=1, start_month=3, seed=9), tmp_path / "march")
    add_month(str(tmp_path / "march"), "service-index-2022", "2024-03")
    after = list(
        ServiceValue.objects.filter(month=january)
        .order_by("pk")
        .values_list("pk", "numerator", "denominator")
    )
    assert after == before


def test_a_unit_index_is_the_points_of_its_applicable_leaves_over_their_maximum() -> None:
    # every rate 100 except 2.1 (max 20) at 50: points 86 - 10 of 86 (the data leaves' maxima)
    fw = get_framework("service-index-2022")
    counts = {leaf: (1, 1) for leaf in ("1.4", "3.1", "3.2", "3.3", "3.4", "4.1", "4.2", "4.3")}
    counts["2.1"] = (1, 2)
    counts["5.3"] = (0, 0)  # nothing finished: does not apply (max 6 leaves the total)
    um = unit_month(fw, "X", counts)
    assert um.applicable_max == 6 + 20 + 22 + 22
    assert um.index == pytest.approx(100 * (70 - 10) / 70)


def test_the_series_is_in_english_when_asked() -> None:
    client = Client()
    client.get(reverse("portal:language", args=["en"]))
    page = client.get(reverse("service_index:series"))
    assert "Index of service to citizens and businesses by month" in page.content.decode()


def test_only_get_and_head_are_answered(tmp_path: Path) -> None:
    """A public page: a POST (or PUT, DELETE) is 405, as on every other public page."""
    two_months(tmp_path)
    url = reverse("service_index:series")
    assert Client().head(url).status_code == 200
    for method in ("post", "put", "delete"):
        assert getattr(Client(), method)(url).status_code == 405
