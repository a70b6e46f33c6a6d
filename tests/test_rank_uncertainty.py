"""How sure a rank is: Monte Carlo over the standard errors a results file carries.

The independent reference: two units whose totals differ by d, with independent normal errors
s1 and s2, swap places with probability 1 − Φ(d / √(s1² + s2²)) (the difference of two normals);
a unit with index x and error s is in a band from m with probability 1 − Φ((m − x) / s).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from analysis_data import results_file
from chiso.analysis.loaded import load_results
from chiso.analysis.rank_uncertainty import rank_uncertainty, weighted_totals
from chiso.scoring.document import from_json
from frameworks_for_tests import branch, framework, leaf

FW = framework(branch("1", 60, leaf("1.1", 60)), branch("2", 40, leaf("2.1", 40)))


def phi(x: float) -> float:
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


def two_units(tmp_path: Path, d: float, s1: float, s2: float) -> Path:
    data: dict[str, dict[str, float | str | None]] = {
        "Bắc Ninh": {"1.1": 50, "2.1": 30 + d},
        "An Giang": {"1.1": 50, "2.1": 30},
    }
    return results_file(tmp_path / "r.json", FW, data, {"Bắc Ninh": s1, "An Giang": s2})


@pytest.mark.parametrize("d", [0.0, 0.5, 1.5, 3.0, 6.0])
def test_p_first_of_the_leader_equals_the_normal_probability(tmp_path: Path, d: float) -> None:
    s1, s2 = 2.0, 1.5
    draws = 100_000
    result = rank_uncertainty(load_results(two_units(tmp_path, d, s1, s2), FW), draws, seed=7)
    leader = next(u for u in result.units if u.unit == "Bắc Ninh")
    expected = phi(d / math.sqrt(s1**2 + s2**2))
    # four standard errors of a Monte Carlo share; rounding the draws to 2 decimals before
    # ranking adds at most the chance of a tie, well under that here
    assert abs(leader.p_first - expected) < 4 * math.sqrt(0.25 / draws) + 0.002
    # at d = 0 the two are tied and shown by name, An Giang first
    ahead = leader.p_ahead_below if leader.p_ahead_below is not None else leader.p_ahead_above
    assert ahead == pytest.approx(leader.p_first, abs=0.002)
    trailer = next(u for u in result.units if u.unit == "An Giang")
    assert trailer.p_first == pytest.approx(1 - leader.p_first, abs=0.002)


def test_units_without_standard_errors_keep_their_ranks_for_certain(tmp_path: Path) -> None:
    data: dict[str, dict[str, float | str | None]] = {
        "A": {"1.1": 55, "2.1": 35},
        "B": {"1.1": 50, "2.1": 30},
        "C": {"1.1": 40, "2.1": 30},
    }
    result = rank_uncertainty(load_results(results_file(tmp_path / "r.json", FW, data), FW), 500)
    assert [(u.unit, u.rank, u.rank_low, u.rank_high, u.p_first) for u in result.units] == [
        ("A", 1, 1, 1, 1.0),
        ("B", 2, 2, 2, 0.0),
        ("C", 3, 3, 3, 0.0),
    ]
    assert result.units[0].p_group == {"A": 1.0, "B": 0.0, "C": 0.0, "D": 0.0}


def test_three_equal_units_share_the_first_place_and_the_whole_interval(tmp_path: Path) -> None:
    data: dict[str, dict[str, float | str | None]] = {
        name: {"1.1": 50, "2.1": 30} for name in ("A", "B", "C")
    }
    path = results_file(tmp_path / "r.json", FW, data, {"A": 2.0, "B": 2.0, "C": 2.0})
    result = rank_uncertainty(load_results(path, FW), 30_000, seed=1)
    for u in result.units:
        assert (u.rank, u.rank_low, u.rank_high) == (1, 1, 3)
        assert u.p_first == pytest.approx(1 / 3, abs=0.015)


def test_group_probability_is_the_chance_of_crossing_the_band(tmp_path: Path) -> None:
    data: dict[str, dict[str, float | str | None]] = {"A": {"1.1": 55, "2.1": 36}}
    path = results_file(tmp_path / "r.json", FW, data, {"A": 1.0})  # index 91, se 1
    unit = rank_uncertainty(load_results(path, FW), 100_000, seed=3).units[0]
    # group A from 90 on the index rounded to 2 decimals: drawn index ≥ 89.995
    assert unit.p_group["A"] == pytest.approx(1 - phi((89.995 - 91) / 1.0), abs=0.006)
    assert unit.p_group["A"] + unit.p_group["B"] == pytest.approx(1.0)


def test_the_same_seed_gives_the_same_result(tmp_path: Path) -> None:
    loaded = load_results(two_units(tmp_path, 1.0, 2.0, 2.0), FW)
    assert rank_uncertainty(loaded, 2000, 42, 20) == rank_uncertainty(loaded, 2000, 42, 20)


def test_weights_multiplied_by_one_give_back_every_total(tmp_path: Path) -> None:
    data: dict[str, dict[str, float | str | None]] = {
        "A": {"1.1": 55, "2.1": 35},
        "B": {"1.1": 20, "2.1": "NA"},
    }
    loaded = load_results(results_file(tmp_path / "r.json", FW, data), FW)
    columns = np.arange(2)
    totals = weighted_totals(loaded, np.ones((1, 2)), columns)
    assert totals[0] == pytest.approx(loaded.results.total)


def test_weights_vary_shows_which_ranks_depend_on_the_weighting(tmp_path: Path) -> None:
    # A is strong in domain 1, B in domain 2, nearly equal in total; C is far ahead of both
    data: dict[str, dict[str, float | str | None]] = {
        "A": {"1.1": 58, "2.1": 20},
        "B": {"1.1": 40, "2.1": 37.5},
        "C": {"1.1": 60, "2.1": 40},
    }
    loaded = load_results(results_file(tmp_path / "r.json", FW, data), FW)
    result = rank_uncertainty(loaded, 5000, seed=5, weights_vary=20)
    rows = {u.unit: u for u in result.units}
    assert set(result.least_stable) == {"A", "B"}
    assert (rows["A"].weight_rank_low, rows["A"].weight_rank_high) == (2, 3)
    assert (rows["C"].weight_rank_low, rows["C"].weight_rank_high) == (1, 1)
    assert rows["C"].weight_shift == 0.0


def test_quartile_groups_without_errors_are_the_published_groups(tmp_path: Path) -> None:
    from chiso.frameworks.model import Groups

    fw = framework(branch("1", 100, leaf("1.1", 100)), groups=Groups("quartiles", "index"))
    values = [45.0, 52.0, 61.0, 64.0, 70.0, 77.0, 83.0, 90.0]
    data: dict[str, dict[str, float | str | None]] = {
        f"U{i}": {"1.1": v} for i, v in enumerate(values)
    }
    loaded = load_results(results_file(tmp_path / "r.json", fw, data), fw)
    result = rank_uncertainty(loaded, 200, seed=1)
    published = {
        u: g.code for u, g in zip(loaded.results.units, loaded.results.groups, strict=True) if g
    }
    for u in result.units:
        assert u.p_group[published[u.unit]] == 1.0


def test_a_published_documents_rank_interval_and_group_probability_follow_the_normal_model(
    tmp_path: Path,
) -> None:
    """The pages' one computation (chiso.analysis.published_uncertainty) on a results document:
    two units 1 point apart with errors 2 and 1.5 swap with probability 1 − Φ(1 / 2.5) ≈ 0.34,
    so both rank intervals span places 1–2; with errors of 0.01 they never swap."""
    import json

    from chiso.analysis.published_uncertainty import (
        document_uncertainty,
        group_probability,
        rank_range_labels,
    )

    doc = json.loads(two_units(tmp_path, 1.0, 2.0, 1.5).read_text(encoding="utf-8"))
    found = document_uncertainty(from_json(doc), FW, 20_000, 3)
    assert found.problems == ()
    result = found.result
    assert rank_range_labels(result) == {"Bắc Ninh": "1–2", "An Giang": "1–2"}
    leader = next(u for u in result.units if u.unit == "Bắc Ninh") if result else None
    assert leader is not None
    assert leader.p_first == pytest.approx(phi(1.0 / math.sqrt(2.0**2 + 1.5**2)), abs=0.01)
    for code, p in leader.p_group.items():
        assert group_probability(result, "Bắc Ninh", code) == p
    assert group_probability(result, "Bắc Ninh", None) is None
    assert group_probability(result, "Không có", next(iter(leader.p_group), "A")) is None

    sure = json.loads(two_units(tmp_path, 1.0, 0.01, 0.01).read_text(encoding="utf-8"))
    assert rank_range_labels(document_uncertainty(from_json(sure), FW).result) == {
        "Bắc Ninh": "1",
        "An Giang": "2",
    }


def test_a_document_without_standard_errors_has_no_intervals(tmp_path: Path) -> None:
    import json

    from chiso.analysis.published_uncertainty import document_uncertainty, rank_range_labels

    doc = json.loads(two_units(tmp_path, 1.0, 2.0, 1.5).read_text(encoding="utf-8"))
    for unit in doc["units"]:
        unit.pop("total_se", None)
    found = document_uncertainty(from_json(doc), FW)
    assert found.result is None and found.problems == ()
    assert rank_range_labels(None) == {}


def test_a_document_that_does_not_fit_its_framework_says_why_it_has_no_intervals(
    tmp_path: Path,
) -> None:
    """A snapshot whose totals its framework does not give again (made under another version
    of it, say) has no intervals, and says why: a page tells its readers and logs it, rather
    than dropping the intervals without a word."""
    import json

    from chiso.analysis.published_uncertainty import document_uncertainty

    doc = json.loads(two_units(tmp_path, 1.0, 2.0, 1.5).read_text(encoding="utf-8"))
    doc["units"][0]["total"] += 5
    found = document_uncertainty(from_json(doc), FW)
    assert found.result is None
    assert [(p.rule, p.row, p.params["unit"]) for p in found.problems] == [
        ("results.other_framework", 1, doc["units"][0]["unit"])
    ]


def test_a_fault_in_the_simulation_is_raised_not_taken_for_a_missing_interval(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only a document that does not fit is an answer without intervals; anything else that
    goes wrong is a bug, and is raised for the tests and the server's log to show."""
    import json

    from chiso.analysis import published_uncertainty

    def broken(*args: object) -> None:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(published_uncertainty, "rank_uncertainty", broken)
    monkeypatch.setattr(published_uncertainty, "load_document", broken)
    doc = json.loads(two_units(tmp_path, 1.0, 2.0, 1.5).read_text(encoding="utf-8"))
    with pytest.raises(ZeroDivisionError):
        published_uncertainty.document_uncertainty(from_json(doc), FW)
