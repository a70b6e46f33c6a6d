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


def test_a_month_with_its_central_points_is_complete_and_ranked_on_its_page(
    tmp_path: Path,
) -> None:
    from django.test import Client
    from django.urls import reverse

    from chiso.frameworks import get_framework
    from chiso.records.monthly_index import central_leaves

    simulate(Plan(("Hà Nội", "Huế"), 1000, months=1, start_month=5, seed=1), tmp_path / "r")
    points = tmp_path / "central.csv"
    codes = [leaf.code for leaf in central_leaves(get_framework("service-index-2022"))]
    points.write_text(
        "unit,node,value\n" + "".join(f"{u},{c},100\n" for u in ("Hà Nội", "Huế") for c in codes),
        encoding="utf-8",
    )
    call_command(
        "add_service_month", str(tmp_path / "r"), "--period", "2024-05", "--central", str(points)
    )
    month = ServiceMonth.objects.get(period="2024-05")
    assert month.central.count() == 2 * 5 and not month.provisional
    html = Client().get(reverse("service_index:unit", args=["2024-05", "Huế"])).content.decode()
    assert "Các chỉ tiêu đánh giá tập trung" in html and "Tỷ lệ phản ánh, kiến nghị" in html


def test_the_current_month_is_provisional_moves_as_files_land_and_closes_on_its_day(
    tmp_path: Path,
) -> None:
    import datetime as dt

    from django.test import Client
    from django.urls import reverse

    from chiso.frameworks import get_framework
    from chiso.records.engines import Run
    from chiso.records.index import index_values
    from chiso.records.periods import parse_periods
    from records_for_tests import random_records, write_csv

    records = [r for r in random_records(300, 4) if r["received"].month == 6]
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    write_csv(records[:50], inbox / "day-01.csv")
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    args = [str(inbox), "--state", str(tmp_path / "s.duckdb"), "--period", "2024-06"]
    call_command("watch_service_month", *args, "--closes-on", tomorrow, "--once")
    month = ServiceMonth.objects.get(period="2024-06")
    assert month.provisional and month.closes_on.isoformat() == tomorrow
    fw = get_framework("service-index-2022")
    june = parse_periods("2024-06")

    def stored() -> set[tuple[str, str, int, int]]:
        return set(
            month.values.filter(grouping="unit").values_list(
                "unit", "node", "numerator", "denominator"
            )
        )

    def batch(rows: list[dict[str, object]], name: str) -> set[tuple[str, str, int, int]]:
        values = index_values(fw, june, Run(write_csv(rows, tmp_path / name)))
        return {(v.unit, v.node, v.numerator, v.denominator) for v in values}

    assert stored() == batch(records[:50], "a.csv")
    write_csv(records[50:], inbox / "day-02.csv")
    call_command("watch_service_month", *args, "--closes-on", tomorrow, "--once")
    assert stored() == batch(records, "b.csv")
    html = Client().get(reverse("service_index:month", args=["2024-06"])).content.decode()
    assert "số liệu tạm tính" in html
    today = dt.date.today().isoformat()
    write_csv(records[:10], inbox / "day-03.csv")
    call_command("watch_service_month", *args, "--closes-on", today, "--once")
    assert stored() == batch(records, "c.csv")  # closed: the late file is not counted
    month.refresh_from_db()
    assert not month.provisional
    html = Client().get(reverse("service_index:month", args=["2024-06"])).content.decode()
    assert "số liệu tạm tính" not in html
