"""Profiles across the reorganisation of 1 July 2025: the old provinces as they were, re-based
figures marked and explained, never a silent average; and the unit's PDF report.

The addresses here are literal on purpose: /results/<id>/… and its files are the stable public
addresses others link to, and these tests pin them."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
from pathlib import Path
from urllib.parse import quote

import openpyxl
import pytest
from django.test import Client

from chiso.units.provinces import MERGED_34, PROVINCES_63
from chiso.web.cycles.models import Cycle
from web.conftest import World
from web.provinces import publish_provinces

OLD = {name: 40.0 + i for i, name in enumerate(PROVINCES_63)}  # Hà Nội 40, Hà Giang 41, …
NEW = {name: 70.0 + i / 2 for i, name in enumerate(MERGED_34)}


@pytest.fixture
def across(world: World, tmp_path: Path) -> tuple[Cycle, Cycle]:
    before = publish_provinces(world, tmp_path, "Chỉ số 2024", 2024, OLD)
    after = publish_provinces(world, tmp_path, "Chỉ số 2025 (34 tỉnh)", 2025, NEW, prefix="N")
    return before, after


def _profile(cycle: Cycle, unit: str) -> str:
    response = Client().get(f"/results/{cycle.pk}/units/{quote(unit)}/")
    assert response.status_code == 200
    return response.content.decode()


def _history_rows(html: str) -> list[str]:
    table = re.search(r'<table id="history">.*?</table>', html, re.S)
    assert table is not None
    return re.findall(r"<tr><td>.*?</tr>", table.group(0), re.S)


def test_a_merged_province_shows_its_former_provinces_as_they_were(
    across: tuple[Cycle, Cycle],
) -> None:
    _before, after = across
    rows = _history_rows(_profile(after, "Phú Thọ"))
    assert len(rows) == 2
    old_row = rows[0]
    # each former province with its own published index and rank among the 63
    for part in ("Phú Thọ", "Vĩnh Phúc", "Hòa Bình"):
        value = f"{OLD[part]:.2f}".replace(".", ",")
        rank = 64 - (PROVINCES_63.index(part) + 1)
        assert f"{part}</a> {value} (hạng {rank})" in old_row
    # the re-based value is their plain mean, marked with an asterisk
    mean = sum(OLD[p] for p in MERGED_34["Phú Thọ"]) / 3
    assert f"{mean:.2f}".replace(".", ",") + "*" in old_row


def test_every_rebased_figure_comes_with_the_sentence_saying_how_it_was_made(
    across: tuple[Cycle, Cycle],
) -> None:
    html = _profile(across[1], "Hải Phòng")
    note = re.search(r'<p id="rebased-note"><small>\* (.*?)</small>', html, re.S)
    assert note is not None
    assert "202/2025/QH15" in note.group(1) and "trung bình cộng" in note.group(1)
    # the change is against a re-based value, and says so
    new = NEW["Hải Phòng"]
    rebased = (OLD["Hải Phòng"] + OLD["Hải Dương"]) / 2
    assert f"So với 2024*: {new - rebased:+.2f} điểm".replace(".", ",") in html
    assert re.search(r"So với 2024\*: [^<]*, (tăng|giảm) \d+ bậc", html)


def test_an_old_province_points_to_the_new_one_without_taking_its_figures_as_its_own(
    across: tuple[Cycle, Cycle],
) -> None:
    before, after = across
    html = _profile(before, "Vĩnh Phúc")
    rows = _history_rows(html)
    assert "Vĩnh Phúc" not in rows[1] or "thuộc" in rows[1]
    assert f'từ 1/7/2025 thuộc <a href="/results/{after.pk}/units/{quote("Phú Thọ")}/">' in rows[1]
    # its "change since last year" is not computed against another province
    assert "So với" not in html


def test_an_old_and_a_new_province_of_the_same_name_are_not_one_series(
    across: tuple[Cycle, Cycle],
) -> None:
    before, _after = across
    rows = _history_rows(_profile(before, "Phú Thọ"))
    assert "thuộc" in rows[1]  # 2025's Phú Thọ is the new province, shown as such


def test_the_unit_report_pdf_carries_the_series_and_its_note(
    across: tuple[Cycle, Cycle], tmp_path: Path
) -> None:
    _before, after = across
    response = Client().get(f"/results/{after.pk}/units/{quote('Phú Thọ')}/report.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "unit.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Phú Thọ" in text and "2024*" in text and "202/2025/QH15" in text
    assert f"{NEW['Phú Thọ']:.2f}".replace(".", ",") in text
    assert Client().get(f"/results/{after.pk}/units/Nowhere/report.pdf").status_code == 404


def test_the_intervals_page_says_when_results_carry_no_standard_errors(
    across: tuple[Cycle, Cycle],
) -> None:
    page = Client().get(f"/results/{across[1].pk}/intervals/").content.decode()
    assert "không kèm sai số chuẩn" in page
    ranking = Client().get(f"/results/{across[1].pk}/").content.decode()
    assert f'href="/results/{across[1].pk}/intervals/"' not in ranking


def test_a_cycle_of_the_63_can_be_read_as_the_34_with_its_method(
    across: tuple[Cycle, Cycle],
) -> None:
    before, after = across
    ranking = Client().get(f"/results/{before.pk}/").content.decode()
    assert f'href="/results/{before.pk}/rebased/"' in ranking
    html = Client().get(f"/results/{before.pk}/rebased/").content.decode()
    rows = re.findall(r"<tr><td class=\"num\">.*?</tr>", html, re.S)
    assert len(rows) == 34
    hai_phong = next(r for r in rows if "<td>Hải Phòng</td>" in r)
    mean = (OLD["Hải Phòng"] + OLD["Hải Dương"]) / 2
    assert f"{mean:.2f}".replace(".", ",") in hai_phong and "Hải Dương" in hai_phong
    assert "202/2025/QH15" in html
    table = Client().get(f"/results/{before.pk}/rebased.csv").content.decode("utf-8-sig")
    lines = list(csv.DictReader(io.StringIO(table)))
    row = next(r for r in lines if r["province_2025"] == "Hải Phòng")
    assert float(row["rebased_index"]) == pytest.approx(mean)
    assert "Resolution 202/2025/QH15" in row["method"]
    data = json.loads(Client().get(f"/results/{before.pk}/rebased.json").content)
    assert "202/2025/QH15" in data["method_vi"] and len(data["rows"]) == 34
    book = openpyxl.load_workbook(
        io.BytesIO(Client().get(f"/results/{before.pk}/rebased.xlsx").content)
    )
    assert book.active.max_row == 35
    # a cycle of the 34 has nothing to re-base
    assert Client().get(f"/results/{after.pk}/rebased/").status_code == 404
    ranking = Client().get(f"/results/{after.pk}/").content.decode()
    assert f'href="/results/{after.pk}/rebased/"' not in ranking


def test_a_profile_shows_what_changed_in_each_domain_since_the_last_cycle(
    world: World, tmp_path: Path
) -> None:
    publish_provinces(world, tmp_path, "Chỉ số 2023", 2023, {"Hà Nội": 60.0, "Huế": 70.0})
    later = publish_provinces(world, tmp_path, "Chỉ số 2024", 2024, {"Hà Nội": 65.5, "Huế": 69.0})
    html = _profile(later, "Hà Nội")
    assert "Thay đổi so với 2023</th>" in html
    domain = re.search(r"<td>1 Lĩnh vực 1</td>(.*?)</tr>", html, re.S)
    assert domain is not None and domain.group(1).endswith('<td class="num">+5,50</td>')
    assert "So với 2023: +5,50 điểm chỉ số, giữ nguyên thứ hạng" in html
    assert '<td class="num">-1,00</td>' in _profile(later, "Huế")


def test_a_cycle_of_the_34_without_hue_is_still_not_one_series_with_the_63(
    world: World, tmp_path: Path
) -> None:
    publish_provinces(world, tmp_path, "Chỉ số 2024", 2024, OLD)
    without_hue = {k: v for k, v in NEW.items() if k != "Huế"}  # every name is also an old one
    after = publish_provinces(world, tmp_path, "2025", 2025, without_hue, prefix="N")
    rows = _history_rows(_profile(after, "Hải Phòng"))
    assert "Hải Dương" in rows[0]  # the former provinces, not the old Hải Phòng as its past
    assert "tăng 27 bậc" not in _profile(after, "Hải Phòng")
