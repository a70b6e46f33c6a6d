"""One unit's month: its indicators, then the same rates by field and by procedure; 404 for a
unit with no records that month."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from chiso.web.service_index.models import ServiceValue
from web.views.services_helpers import UNITS, two_months

pytestmark = pytest.mark.django_db


def test_the_unit_page_drills_down_to_fields_and_procedures(tmp_path: Path) -> None:
    _, february = two_months(tmp_path)
    page = Client().get(reverse("service_index:unit", args=["2024-02", "Huế"]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn" in text
    fields = set(
        ServiceValue.objects.filter(month=february, unit="Huế", grouping="field").values_list(
            "key", flat=True
        )
    )
    procedures = set(
        ServiceValue.objects.filter(month=february, unit="Huế", grouping="procedure").values_list(
            "key", flat=True
        )
    )
    assert fields and procedures
    assert all(f'<th scope="row">{key}</th>' in text for key in fields | procedures)


def test_an_unknown_unit_is_not_found(tmp_path: Path) -> None:
    two_months(tmp_path)
    url = reverse("service_index:unit", args=["2024-02", "Atlantis"])
    assert Client().get(url).status_code == 404


def test_only_get_and_head_are_answered(tmp_path: Path) -> None:
    """A public page: a POST (or PUT, DELETE) is 405, as on every other public page."""
    two_months(tmp_path)
    url = reverse("service_index:unit", args=["2024-02", UNITS[0]])
    assert Client().head(url).status_code == 200
    for method in ("post", "put", "delete"):
        assert getattr(Client(), method)(url).status_code == 405
