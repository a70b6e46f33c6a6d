"""Gaps: for every node of a unit, its points, maximum, points lost, the best unit and the mean,
and the change since the previous cycle, sorted by points lost with leaves first."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis_data import results_file
from chiso.analysis.gaps import Gap, domain_gaps, previous_points, unit_gaps
from chiso.analysis.loaded import Loaded, load_results
from chiso.problems import Refusal
from frameworks_for_tests import small_par

FW = small_par()  # 1 (60) = 1.1 (40: 1.1.1 of 25, 1.1.2 of 15) + 1.2 (20); 2 (40) = 2.1 + 2.2
DATA: dict[str, dict[str, float | str | None]] = {
    "Hà Nội": {"1.1.1": 20, "1.1.2": 15, "1.2": 12, "2.1": 30, "2.2": 4},
    "Huế": {"1.1.1": 25, "1.1.2": 10, "1.2": 20, "2.1": 18, "2.2": 10},
    "Cần Thơ": {"1.1.1": 25, "1.1.2": 15, "1.2": 8, "2.1": 24, "2.2": "NA"},
}


@pytest.fixture
def loaded(tmp_path: Path) -> Loaded:
    return load_results(results_file(tmp_path / "r.json", FW, DATA), FW)


def by_code(rows: list[Gap]) -> dict[str, Gap]:
    return {g.code: g for g in rows}


def test_gaps_give_points_maximum_lost_best_and_mean_for_every_node(loaded: Loaded) -> None:
    gaps = by_code(unit_gaps(loaded, "Hà Nội"))
    g = gaps["1.1.1"]
    assert (g.points, g.max, g.lost) == (20, 25, 5)
    assert g.best == 25 and set(g.best_units) == {"Huế", "Cần Thơ"}
    assert g.mean == pytest.approx((20 + 25 + 25) / 3)
    d1 = gaps["1"]  # 47 of 60: the domain's row adds up its leaves
    assert (d1.points, d1.max, d1.lost) == (47, 60, 13)
    assert d1.best == 55 and d1.best_units == ("Huế",)
    # 2.2 does not apply to Cần Thơ: the mean and the best are over the units it applies to
    assert gaps["2.2"].mean == pytest.approx(7) and gaps["2.2"].best_units == ("Huế",)


def test_gaps_sort_domains_by_points_lost_with_leaves_first(loaded: Loaded) -> None:
    codes = [g.code for g in unit_gaps(loaded, "Hà Nội")]
    # Hà Nội lost 13 in domain 1 and 6 in domain 2; in domain 1 the leaves 1.2 (8 lost),
    # 1.1.1 (5), 1.1.2 (0), then the criterion 1.1, then the domain
    assert codes == ["1.2", "1.1.1", "1.1.2", "1.1", "1", "2.2", "2.1", "2"]


def test_gaps_leave_out_nodes_not_applicable_and_take_them_off_the_maximum(loaded: Loaded) -> None:
    gaps = by_code(unit_gaps(loaded, "Cần Thơ"))
    assert "2.2" not in gaps
    assert (gaps["2"].points, gaps["2"].max, gaps["2"].lost) == (24, 30, 6)


def test_gaps_show_the_change_since_the_previous_cycle(tmp_path: Path, loaded: Loaded) -> None:
    before = dict(DATA)
    before["Hà Nội"] = {"1.1.1": 15, "1.1.2": 15, "1.2": 12, "2.1": 25, "2.2": 4}
    previous = results_file(tmp_path / "before.json", FW, before)
    gaps = by_code(unit_gaps(loaded, "Hà Nội", previous_points(str(previous), "Hà Nội")))
    assert gaps["1.1.1"].previous == 15 and gaps["1.1.1"].change == 5
    assert gaps["2"].change == 5 and gaps["1.2"].change == 0
    assert previous_points(str(previous), "Đà Nẵng") == {}


def test_domain_gaps_are_the_domains_rows(loaded: Loaded) -> None:
    assert [g.code for g in domain_gaps(unit_gaps(loaded, "Hà Nội"))] == ["1", "2"]


def test_an_unknown_unit_is_reported_with_similar_names(loaded: Loaded) -> None:
    with pytest.raises(Refusal) as caught:
        unit_gaps(loaded, "Hà")
    problem = next(iter(caught.value.report))
    assert problem.rule == "unit.unknown_similar" and "Hà Nội" in problem.message("vi")


def test_results_scored_with_another_framework_are_refused(tmp_path: Path) -> None:
    from frameworks_for_tests import branch, framework, leaf

    other = framework(
        branch("1", 60, branch("1.1", 40, leaf("1.1.1", 25), leaf("1.1.2", 15)), leaf("1.2", 20)),
        branch("2", 40, leaf("2.1", 30), leaf("2.2", 10)),
        total_aggregation="mean",
    )
    path = results_file(tmp_path / "r.json", FW, DATA)
    with pytest.raises(Refusal) as caught:
        load_results(path, other)
    assert {p.rule for p in caught.value.report} == {"results.other_framework"}
    assert len(caught.value.report) == 3  # every unit at once


def test_a_file_that_is_not_results_is_reported(tmp_path: Path) -> None:
    bad = tmp_path / "x.json"
    bad.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(Refusal) as caught:
        load_results(bad, FW)
    assert next(iter(caught.value.report)).rule == "results.bad_file"


def test_domains_only_gives_the_domains_rows_of_every_node(loaded: Loaded) -> None:
    for unit in DATA:
        assert unit_gaps(loaded, unit, domains_only=True) == domain_gaps(unit_gaps(loaded, unit))
