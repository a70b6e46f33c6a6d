"""The official list of the 34 provinces and their 3,321 commune-level units (from 1 July
2025), held to the published totals, to the published đặc khu and to the counts per province
and type recorded in tests/fixtures/communes-per-province-2025.csv; and ``chiso units list``."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chiso.cli.app import app
from chiso.units.communes import (
    COMMUNE_TYPES,
    PUBLISHED_TOTALS,
    find_province,
    official_commune,
    official_communes,
    official_provinces,
)
from chiso.units.provinces import MERGED_34

FIXTURE = Path(__file__).parent / "fixtures" / "communes-per-province-2025.csv"


def recorded_counts() -> list[dict[str, str]]:
    lines = [line for line in FIXTURE.read_text("utf-8").splitlines() if not line.startswith("#")]
    return list(csv.DictReader(lines))


PUBLISHED_SPECIAL_ZONES = {  # dientuungdung.vn's list of the 13 đặc khu, by province
    "An Giang": {"Kiên Hải", "Phú Quốc", "Thổ Châu"},
    "Hải Phòng": {"Cát Hải", "Bạch Long Vĩ"},
    "Quảng Ninh": {"Vân Đồn", "Cô Tô"},
    "Hồ Chí Minh": {"Côn Đảo"},
    "Đà Nẵng": {"Hoàng Sa"},
    "Khánh Hòa": {"Trường Sa"},
    "Lâm Đồng": {"Phú Quý"},
    "Quảng Ngãi": {"Lý Sơn"},
    "Quảng Trị": {"Cồn Cỏ"},
}


def test_the_list_has_the_published_totals_of_provinces_communes_and_types() -> None:
    communes = official_communes()
    assert len(official_provinces()) == PUBLISHED_TOTALS["provinces"] == 34
    assert len(communes) == PUBLISHED_TOTALS["communes"] == 3321
    assert Counter(c.type for c in communes) == {t: PUBLISHED_TOTALS[t] for t in COMMUNE_TYPES}
    assert (PUBLISHED_TOTALS["xã"], PUBLISHED_TOTALS["phường"]) == (2621, 687)


def test_the_provinces_are_the_34_of_resolution_202_by_name() -> None:
    assert sorted(p.short_name for p in official_provinces()) == sorted(MERGED_34)


def test_codes_are_unique_and_written_as_the_statistics_office_writes_them() -> None:
    codes = [c.code for c in official_communes()]
    assert len(set(codes)) == len(codes)
    assert all(len(c) == 5 and c.isdigit() for c in codes)
    assert all(len(p.code) == 2 and p.code.isdigit() for p in official_provinces())


def test_every_name_starts_with_its_type() -> None:
    for commune in official_communes():
        assert commune.name.casefold().startswith(commune.type + " "), commune
        assert commune.short_name[:1].isupper() or commune.short_name[:1].isdigit(), commune


@pytest.mark.parametrize("row", recorded_counts(), ids=lambda r: r["province"])
def test_each_province_has_its_recorded_number_of_communes_of_each_type(
    row: dict[str, str],
) -> None:
    province = find_province(row["code"])
    assert province is not None and province.name == row["province"]
    by_type = Counter(c.type for c in official_communes(province))
    assert {t: by_type[t] for t in COMMUNE_TYPES} == {t: int(row[t]) for t in COMMUNE_TYPES}
    assert len(official_communes(province)) == int(row["total"])


def test_the_recorded_counts_cover_every_province_and_add_up_to_the_published_totals() -> None:
    rows = recorded_counts()
    assert len(rows) == 34
    for kind in COMMUNE_TYPES:
        assert sum(int(r[kind]) for r in rows) == PUBLISHED_TOTALS[kind]
    assert sum(int(r["total"]) for r in rows) == 3321


def test_published_single_counts_most_fewest_and_thai_nguyen() -> None:
    sizes = {p.short_name: len(official_communes(p)) for p in official_provinces()}
    assert sizes["Hồ Chí Minh"] == 168 == max(sizes.values())
    assert sizes["Lai Châu"] == 38 == min(sizes.values())
    assert (sizes["Hà Nội"], sizes["Hải Phòng"], sizes["Quảng Ninh"]) == (126, 114, 54)
    assert sizes["Thái Nguyên"] == 92


def test_the_13_special_zones_are_the_published_ones_in_their_provinces() -> None:
    found: dict[str, set[str]] = {}
    for commune in official_communes(commune_type="đặc khu"):
        province = next(p for p in official_provinces() if p.code == commune.province_code)
        found.setdefault(province.short_name, set()).add(commune.short_name)
    assert found == PUBLISHED_SPECIAL_ZONES


def test_a_province_is_found_by_code_or_name_in_any_case_and_nothing_else() -> None:
    thai_nguyen = find_province("19")
    assert thai_nguyen is not None and thai_nguyen.name == "Thái Nguyên"
    assert find_province("thái  nguyên") == thai_nguyen
    assert find_province("Huế") == find_province("Thành phố Huế") == find_province("46")
    assert find_province("Bắc Kạn") is None  # merged into Thái Nguyên
    assert find_province("99") is None


def test_a_commune_is_found_by_its_code_with_or_without_leading_zeros() -> None:
    dai_tu = next(c for c in official_communes() if c.name == "Xã Đại Từ")
    assert official_commune(dai_tu.code.lstrip("0")) == dai_tu
    assert official_commune("abc") is None and official_commune("99999") is None


runner = CliRunner()


def test_chiso_units_list_gives_a_provinces_communes_of_one_kind_as_csv() -> None:
    done = runner.invoke(
        app, ["units", "list", "--province", "Thái Nguyên", "--kind", "phường", "--format", "csv"]
    )
    assert done.exit_code == 0, done.output
    rows = list(csv.reader(done.stdout.splitlines()))
    assert rows[0] == ["Mã", "Tên", "Loại", "Mã tỉnh", "Tỉnh, thành phố"]
    assert len(rows) == 1 + 15
    assert {r[2] for r in rows[1:]} == {"phường"}
    assert "Phường Phan Đình Phùng" in {r[1] for r in rows[1:]}


def test_chiso_units_list_as_json_gives_every_commune_with_its_province() -> None:
    done = runner.invoke(app, ["units", "list", "--format", "json"])
    assert done.exit_code == 0, done.output
    communes = json.loads(done.stdout)
    assert len(communes) == 3321
    assert Counter(c["type"] for c in communes)["đặc khu"] == 13
    assert "vietnam-provinces" in done.stderr


def test_chiso_units_list_as_a_table_in_english_headers() -> None:
    done = runner.invoke(
        app, ["units", "list", "--province", "01", "--kind", "đặc khu", "--lang", "en"]
    )
    assert done.exit_code == 0
    assert "Code" in done.stdout
    assert "0 commune-level units" in done.stderr


@pytest.mark.parametrize(
    "args",
    [["--province", "Bắc Kạn"], ["--kind", "thị trấn"], ["--format", "xml"]],
    ids=["merged-province", "old-type", "format"],
)
def test_chiso_units_list_refuses_what_is_not_in_the_list_with_a_clear_message(
    args: list[str],
) -> None:
    done = runner.invoke(app, ["units", "list", *args])
    assert done.exit_code == 2
    assert "Traceback" not in done.output
    assert args[1] in done.stderr
