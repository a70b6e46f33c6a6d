"""``add_service_month``: a month is added once; adding it again is refused with a clear message
and leaves the stored month as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from chiso.records.simulate import Plan, simulate
from chiso.web.service_index.models import ServiceMonth, ServiceValue

pytestmark = pytest.mark.django_db


def test_a_month_is_added_once(tmp_path: Path) -> None:
    simulate(Plan(("Hà Nội", "Huế"), 1000, months=1, start_month=5, seed=1), tmp_path / "r")
    call_command("add_service_month", str(tmp_path / "r"), "--period", "2024-05")
    month = ServiceMonth.objects.get(period="2024-05")
    assert month.simulated
    count = ServiceValue.objects.filter(month=month).count()
    assert count > 2 * 10  # two units × ten indicators, then their fields and procedures
    with pytest.raises(CommandError, match="already imported"):
        call_command("add_service_month", str(tmp_path / "r"), "--period", "2024-05")
    assert ServiceValue.objects.filter(month=month).count() == count


def test_a_bad_period_is_refused_with_its_message(tmp_path: Path) -> None:
    simulate(Plan(("Hà Nội",), 100, months=1, seed=1), tmp_path / "r")
    with pytest.raises(CommandError, match="kỳ '2024' không hợp lệ"):
        call_command("add_service_month", str(tmp_path / "r"), "--period", "2024")
    assert not ServiceMonth.objects.exists()
