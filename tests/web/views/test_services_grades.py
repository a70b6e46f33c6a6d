"""The grade of a unit's month of the service index, as far as it is known: xuất sắc from 90
and yếu below 50 (the two thresholds found with a source); a complete month between them is
"not graded" (the thresholds of tốt, khá, trung bình were not found), never an invented
grade and never an error; a month without its centrally assessed points is not graded."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from chiso.frameworks.registry import framework_text, get_framework
from chiso.records.compile import data_leaves
from chiso.records.monthly_index import central_leaves
from chiso.web.service_index.models import ServiceCentral, ServiceMonth, ServiceValue

pytestmark = pytest.mark.django_db

CODE = "service-index-2022"


def month_of_shares(shares: dict[str, float | None]) -> ServiceMonth:
    """A month where each unit scores ``share`` of every indicator's maximum (its central
    points given), or — for None — 60 % of the records-based ones and no central points."""
    fw = get_framework(CODE)
    month = ServiceMonth.objects.create(
        framework=CODE, framework_text=framework_text(CODE), period="2024-05"
    )
    for unit, share in shares.items():
        rate = 60 if share is None else round(share * 100)
        for leaf in data_leaves(fw):
            ServiceValue.objects.create(
                month=month, unit=unit, node=leaf.code, numerator=rate, denominator=100
            )
        if share is None:
            continue
        for leaf in central_leaves(fw):
            assert leaf.max is not None
            ServiceCentral.objects.create(
                month=month, unit=unit, node=leaf.code, points=share * leaf.max
            )
    return month


def grades_by_unit(text: str) -> dict[str, str]:
    rows = re.findall(r'<th scope="row"><a [^>]*>([^<]+)</a></th>.*?<td>([^<]*)</td></tr>', text)
    return dict(rows)


def test_the_ranking_grades_only_the_bands_that_have_a_source() -> None:
    month_of_shares({"Hà Nội": 0.95, "Huế": 0.70, "Cà Mau": 0.30, "Sơn La": None})
    page = Client().get(reverse("service_index:month", args=["2024-05"]))
    assert page.status_code == 200
    text = page.content.decode()
    assert grades_by_unit(text) == {
        "Hà Nội": "Xuất sắc",
        "Huế": "Chưa xếp loại",
        "Cà Mau": "Yếu",
        "Sơn La": "Chưa xếp loại: thiếu chỉ tiêu đánh giá tập trung",
    }
    # the thresholds shown are the framework's, with its source, and the gap is said plainly
    assert "Xuất sắc: từ 90; Yếu: dưới 50" in text
    assert "ngưỡng của các loại Tốt, Khá, Trung bình chưa được công bố" in text
    assert "vneconomy" in text
    for invented in ("Tốt<", "Khá<", "Trung bình<"):
        assert invented not in text


def test_the_edges_of_the_bands_follow_the_framework() -> None:
    """90 is xuất sắc, 50 is not yếu (min inclusive, below exclusive)."""
    month_of_shares({"Hà Nội": 0.90, "Huế": 0.50})
    text = Client().get(reverse("service_index:month", args=["2024-05"])).content.decode()
    assert grades_by_unit(text) == {"Hà Nội": "Xuất sắc", "Huế": "Chưa xếp loại"}


def test_the_unit_page_shows_its_grade_in_english() -> None:
    month_of_shares({"Huế": 0.70, "Cà Mau": 0.30})
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    weak = client.get(reverse("service_index:unit", args=["2024-05", "Cà Mau"]))
    middle = client.get(reverse("service_index:unit", args=["2024-05", "Huế"]))
    assert "<strong>Weak</strong>" in weak.content.decode()
    text = middle.content.decode()
    assert "<strong>Not graded</strong>" in text
    assert "Excellent: 90 and above; Weak: below 50" in text
