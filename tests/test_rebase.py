"""Re-basing the 63 provinces to the 34 of 1 July 2025, on PAPI 2024's published totals."""

from __future__ import annotations

import re

import pytest

from chiso.scoring.rebase import describe_parts, rebase_to_34
from chiso.units.provinces import MERGED_34, PROVINCES_63
from chiso.vietnamese import fold
from papi_tables import derived_dimensions


def _ascii(name: str) -> str:
    text = fold(name).replace("city", "").replace("hanoi", "ha noi")
    return re.sub(r"[^a-z]", "", text)


def _papi_2024_totals() -> dict[str, float | None]:
    """The published unweighted PAPI 2024 totals under the provinces' Vietnamese names."""
    by_ascii = {_ascii(p): p for p in PROVINCES_63}
    out: dict[str, float | None] = {}
    for name, row in derived_dimensions(2024).items():
        total = row["total_unweighted_derived"]
        out[by_ascii[_ascii(name)]] = float(total) if total else None
    assert len(out) == 63
    return out


def test_rebased_provinces_are_the_34_with_the_parts_they_were_formed_from() -> None:
    rebased = rebase_to_34(_papi_2024_totals())
    assert len(rebased.units) == 34
    assert sorted(p for u in rebased.units for p, _ in u.parts) == sorted(PROVINCES_63)
    phu_tho = next(u for u in rebased.units if u.unit == "Phú Thọ")
    assert [p for p, _ in phu_tho.parts] == list(MERGED_34["Phú Thọ"])


def test_an_unchanged_province_keeps_its_published_value() -> None:
    rebased = {u.unit: u for u in rebase_to_34(_papi_2024_totals()).units}
    assert rebased["Quảng Ninh"].value == pytest.approx(47.821236)
    assert not rebased["Quảng Ninh"].merged
    assert rebased["Quảng Ninh"].rank == 1


def test_a_merged_province_is_the_plain_mean_of_its_parts_published_values() -> None:
    rebased = {u.unit: u for u in rebase_to_34(_papi_2024_totals()).units}
    # Tuyên Quang 42.546778 and Hà Giang 43.728906 (PAPI 2024, unweighted totals)
    assert rebased["Tuyên Quang"].value == pytest.approx((42.546778 + 43.728906) / 2)
    # Hải Phòng 42.70365 and Hải Dương 42.594784
    assert rebased["Hải Phòng"].value == pytest.approx((42.70365 + 42.594784) / 2)
    assert describe_parts(rebased["Hải Phòng"]) == "Hải Phòng 42,70 + Hải Dương 42,59"


def test_a_merged_province_missing_a_part_gets_no_value_rather_than_the_mean_of_the_rest() -> None:
    # Vĩnh Phúc and Tiền Giang have no PAPI 2024 data
    rebased = {u.unit: u for u in rebase_to_34(_papi_2024_totals()).units}
    assert rebased["Phú Thọ"].value is None and rebased["Phú Thọ"].rank is None
    assert rebased["Đồng Tháp"].value is None
    ranked = [u.rank for u in rebased.values() if u.rank is not None]
    assert len(ranked) == 32 and max(ranked) <= 32


def test_weights_change_the_mean_and_the_note_names_them() -> None:
    totals = _papi_2024_totals()
    weights = dict.fromkeys(PROVINCES_63, 1.0) | {"Hà Giang": 3.0}
    rebased = rebase_to_34(totals, weights=weights, weights_name="dân số 2024")
    tq = next(u for u in rebased.units if u.unit == "Tuyên Quang")
    assert tq.value == pytest.approx((42.546778 + 3 * 43.728906) / 4)
    assert "dân số 2024" in rebased.note("vi")
    assert "weighted by dân số 2024" in rebased.note("en")


def test_every_rebased_figure_says_how_it_was_made() -> None:
    note = rebase_to_34(_papi_2024_totals()).note("vi")
    assert "202/2025/QH15" in note and "trung bình cộng" in note and "không phải" in note


def test_weights_must_cover_every_old_province() -> None:
    with pytest.raises(ValueError, match="Bạc Liêu"):
        rebase_to_34({}, weights={"Cà Mau": 1.0}, weights_name="dân số")
