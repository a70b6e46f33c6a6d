"""A month's ranking: every unit with its points and index, best first, ties sharing a rank;
404 for a month not imported."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from web.views.services_helpers import UNITS, two_months

pytestmark = pytest.mark.django_db


def test_the_ranking_lists_the_units_best_first(tmp_path: Path) -> None:
    two_months(tmp_path)
    page = Client().get(reverse("service_index:month", args=["2024-02"]))
    assert page.status_code == 200
    text = page.content.decode()
    ranks = [int(r) for r in re.findall(r'<tr><td class="num">(\d+)</td>', text)]
    assert ranks == sorted(ranks) and ranks[0] == 1 and len(ranks) == len(UNITS)
    indices = re.findall(r'<td class="num">([\d.,]+)</td><td>[^<]*</td></tr>', text)
    values = [float(v.replace(".", "").replace(",", ".")) for v in indices]
    assert values == sorted(values, reverse=True)
    assert all(reverse("service_index:unit", args=["2024-02", unit]) in text for unit in UNITS)


def test_a_month_not_imported_is_not_found() -> None:
    assert Client().get(reverse("service_index:month", args=["1999-01"])).status_code == 404


def test_only_get_and_head_are_answered(tmp_path: Path) -> None:
    """A public page: a POST (or PUT, DELETE) is 405, as on every other public page."""
    two_months(tmp_path)
    url = reverse("service_index:month", args=["2024-02"])
    assert Client().head(url).status_code == 200
    for method in ("post", "put", "delete"):
        assert getattr(Client(), method)(url).status_code == 405
