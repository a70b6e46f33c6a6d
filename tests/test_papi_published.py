"""chiso reproduces the published PAPI tables (tests/fixtures/published/papi).

Dimension scores are sums of sub-dimensions, totals are sums of dimensions, ranks are the
competition ranks the published totals imply, and province-years without data are incomplete,
not zero.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from chiso.frameworks import get_framework
from chiso.scoring import Results, compile_plan, score
from chiso.tables.reading import read_scores
from papi_tables import (
    EDITION_OF_YEAR,
    derived_dimensions,
    official_sheet,
    subdimension_scores,
    write_wide,
)

TOLERANCE = 1e-5  # the sheets store float32-expanded values; sums differ in the 6th decimal


def _score(path: Path, code: str) -> Results:
    fw = get_framework(code)
    plan = compile_plan(fw)
    data = read_scores(str(path), fw, plan)
    return score(fw, data.units, data.given, data.na, data.ranked, plan)


def _implied_ranks(totals: dict[str, float], decimals: int) -> dict[str, int]:
    """Competition ranks of the published totals, computed plainly from the published numbers."""
    rounded = {u: round(t, decimals) for u, t in totals.items()}
    return {u: 1 + sum(1 for x in rounded.values() if x > v) for u, v in rounded.items()}


@pytest.mark.parametrize("year", [2011, 2012, 2013, 2014, 2015, 2016])
def test_official_sheet_dimensions_totals_and_ranks_are_reproduced_from_subdimensions(
    tmp_path: Path, year: int
) -> None:
    codes, rows, _ = official_sheet(year)
    fw = get_framework(EDITION_OF_YEAR[year])
    leaves = [n.code for n in fw.leaves()]
    results = _score(write_wide(tmp_path / "in.csv", leaves, rows), fw.code)
    # the official sheet stores 0 as the total of a province it did not publish
    published = [r for r in rows if any(r[c] for c in codes)]
    published_totals = {r["unit"]: float(r["total"]) for r in published}
    for r in rows:
        unit = r["unit"]
        if r not in published:
            assert results.status[results.units.index(unit)] == "incomplete"
            continue
        for dimension in fw.nodes:
            assert results.value(unit, dimension.code) == pytest.approx(
                float(r[dimension.code]), abs=TOLERANCE
            ), (unit, dimension.code)
        assert results.value(unit, "total") == pytest.approx(float(r["total"]), abs=TOLERANCE)
    implied = _implied_ranks(published_totals, fw.precision)
    ours = {u: int(k) for u, k in zip(results.units, results.rank, strict=True) if k}
    assert ours == implied


def test_provinces_without_2014_data_are_incomplete_and_ranks_run_over_the_rest(
    tmp_path: Path,
) -> None:
    _, rows, _ = official_sheet(2014)
    fw = get_framework("papi-2011")
    results = _score(write_wide(tmp_path / "in.csv", [n.code for n in fw.leaves()], rows), fw.code)
    unranked = {u for u, s in zip(results.units, results.status, strict=True) if s != "complete"}
    assert unranked == {"Bắc Giang", "Đồng Tháp"}
    for unit in unranked:
        i = results.units.index(unit)
        assert results.rank[i] == 0
        assert results.missing[i] == ["1", "2", "3", "4", "5", "6"]
    assert sorted(int(k) for k in results.rank if k) == list(range(1, 62))


@pytest.mark.parametrize("year", [2011, 2016])
def test_a_sheet_giving_dimensions_and_subdimensions_together_is_consistent(
    tmp_path: Path, year: int
) -> None:
    codes, rows, _ = official_sheet(year)
    results = _score(write_wide(tmp_path / "in.csv", codes, rows), EDITION_OF_YEAR[year])
    assert results.status.count("complete") == 63


def test_a_dimension_that_disagrees_with_its_subdimensions_is_reported(tmp_path: Path) -> None:
    from chiso.problems import Refusal

    codes, rows, _ = official_sheet(2012)
    rows[4]["3"] = str(float(rows[4]["3"]) + 0.01)
    with pytest.raises(Refusal) as caught:
        _score(write_wide(tmp_path / "in.csv", codes, rows), "papi-2011")
    [problem] = list(caught.value.report)
    assert (problem.rule, problem.row, problem.column) == ("node.inconsistent", 6, "3")


@pytest.mark.parametrize("year", list(range(2011, 2025)))
def test_derived_dimension_sums_and_totals_2011_to_2024(tmp_path: Path, year: int) -> None:
    leaves, rows = subdimension_scores(year)
    fw = get_framework(EDITION_OF_YEAR[year])
    results = _score(write_wide(tmp_path / "in.csv", leaves, rows), fw.code)
    derived = derived_dimensions(year)
    totals = {}
    for unit, d in derived.items():
        i = results.units.index(unit)
        for dimension in fw.nodes:
            published = d[f"D{dimension.code}"]
            ours = results.value(unit, dimension.code)
            if published:
                assert ours == pytest.approx(float(published), abs=TOLERANCE), (unit, dimension)
            else:
                assert dimension.code in results.missing[i]
        if d["total_unweighted_derived"]:
            totals[unit] = float(d["total_unweighted_derived"])
            assert results.total[i] == pytest.approx(totals[unit], abs=TOLERANCE)
        else:
            assert results.status[i] == "incomplete" and results.rank[i] == 0
    ours = {u: int(k) for u, k in zip(results.units, results.rank, strict=True) if k}
    assert ours == _implied_ranks(totals, fw.precision)


def test_2024_quang_ninh_first_with_47_82_then_tay_ninh_and_binh_thuan(tmp_path: Path) -> None:
    leaves, rows = subdimension_scores(2024)
    results = _score(write_wide(tmp_path / "in.csv", leaves, rows), "papi-2021")
    order = sorted((int(k), u) for u, k in zip(results.units, results.rank, strict=True) if k)
    assert [u for _, u in order[:3]] == ["Quang Ninh", "Tay Ninh", "Binh Thuan"]
    assert round(results.value("Quang Ninh", "total"), 2) == 47.82
    assert results.status[results.units.index("Vinh Phuc")] == "incomplete"


def test_2018_provinces_missing_two_dimensions_list_exactly_those(tmp_path: Path) -> None:
    leaves, rows = subdimension_scores(2018)
    results = _score(write_wide(tmp_path / "in.csv", leaves, rows), "papi-2018")
    for unit in ("Quang Ninh", "Dong Thap"):
        assert results.missing[results.units.index(unit)] == ["2", "4"]


def test_quartile_groups_split_the_ranked_provinces_by_total(tmp_path: Path) -> None:
    _, rows, _ = official_sheet(2013)
    fw = get_framework("papi-2011")
    results = _score(write_wide(tmp_path / "in.csv", [n.code for n in fw.leaves()], rows), fw.code)
    by_group: dict[str, list[float]] = {}
    for g, t in zip(results.groups, results.total, strict=True):
        assert g is not None
        by_group.setdefault(g.code, []).append(float(t))
    assert sorted(by_group) == ["1", "2", "3", "4"]
    assert min(by_group["1"]) > max(by_group["2"])
    assert min(by_group["2"]) > max(by_group["3"])
    assert min(by_group["3"]) > max(by_group["4"])
    assert [len(by_group[k]) for k in "1234"] == [16, 16, 15, 16]
