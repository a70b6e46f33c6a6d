"""`chiso serve --demo` shows the real published archive beside its simulated cycles."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from chiso.archive import load_archive
from chiso.web.archive.models import Figure, Loaded
from chiso.web.cycles.models import Cycle


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The demo made once for the module (a minute on PostgreSQL), as a first start makes it;
    the tables emptied after."""
    from django.core.management import call_command

    from chiso.web.demo import load_demo

    with django_db_blocker.unblock():
        load_demo()
    yield
    with django_db_blocker.unblock():
        call_command("flush", verbosity=0, interactive=False)


@pytest.mark.django_db
def test_the_demo_loads_the_published_archive_once_and_marks_only_the_cycles_simulated() -> None:
    from chiso.web.demo import load_demo

    load_demo()
    load_demo()  # a second and a third start change nothing
    assert Loaded.objects.count() == 1
    assert Figure.objects.count() == len(load_archive().figures)
    assert Cycle.objects.filter(simulated=True).exists()
    html = Client().get(reverse("archive:province", args=["Quảng Ninh"])).content.decode()
    assert "không phải mô phỏng" in html and "92,18" in html


@pytest.mark.django_db
def test_the_demo_has_three_simulated_months_of_the_service_index_for_the_34_provinces() -> None:
    from chiso.web.service_index.models import ServiceMonth, ServiceValue

    months = ServiceMonth.objects.order_by("period")
    assert [m.period for m in months] == ["2025-07", "2025-08", "2025-09"]
    assert all(m.simulated for m in months)
    units = set(ServiceValue.objects.filter(grouping="unit").values_list("unit", flat=True))
    assert len(units) == 34 and "Quảng Ninh" in units
    html = Client().get(reverse("service_index:month", args=["2025-09"])).content.decode()
    assert "Dữ liệu mô phỏng" in html and "Quảng Ninh" in html
