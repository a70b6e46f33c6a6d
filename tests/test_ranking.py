"""Ranks with ties, units not ranked, groups by bands and by quartiles, the summary."""

from __future__ import annotations

import numpy as np
import pytest

from chiso.frameworks import builtin_frameworks, get_framework
from chiso.frameworks.model import QUARTILE_GROUPS, Framework
from chiso.scoring import compile_plan, score, values_from_mapping
from chiso.scoring.ranking import assign_groups, competition_ranks, group_bands, group_name
from frameworks_for_tests import framework, leaf


def flat(values: dict[str, float], ranked: list[bool] | None = None, **kw: object):  # type: ignore[no-untyped-def]
    fw = framework(leaf("1", 100), **kw)
    plan = compile_plan(fw)
    units, given, na = values_from_mapping(plan, {u: {"1": v} for u, v in values.items()})
    return score(fw, units, given, na, None if ranked is None else np.array(ranked))


def group_of(index: float, fw: Framework) -> str | None:
    """The group a complete unit with this index is given when a cycle is scored."""
    graded = np.array([True])
    band = assign_groups(fw, np.array([index]), graded, graded)[0]
    return None if band is None else band.code


def test_ranking_gives_equal_ranks_to_ties_and_skips_the_next() -> None:
    r = flat({"a": 91.0, "b": 88.5, "c": 88.5, "d": 70.0})
    assert list(r.rank) == [1, 2, 2, 4]


def test_ties_are_decided_at_the_published_precision() -> None:
    r = flat({"a": 91.874, "b": 91.8701, "c": 91.866})
    assert list(r.rank) == [1, 1, 1]  # all print as 91,87
    r = flat({"a": 91.874, "b": 91.8649})
    assert list(r.rank) == [1, 2]


def test_units_assessed_but_not_ranked_get_no_rank_and_others_close_up() -> None:
    r = flat(
        {"Ngân hàng Nhà nước": 95.88, "Thanh tra Chính phủ": 96.0, "Bộ Giáo dục": 83.24},
        ranked=[True, False, True],
    )
    assert list(r.rank) == [1, 0, 2]
    assert r.status == ("complete", "not ranked", "complete")
    assert r.groups[1] is not None and r.groups[1].code == "A"  # still graded


@pytest.mark.parametrize(
    ("unit", "index", "group"),
    [
        ("Quảng Ninh 2023", 92.18, "A"),
        ("Hải Phòng 2023", 91.87, "A"),
        ("Bắc Giang 2023", 91.16, "A"),
        ("Hải Phòng 2024", 96.17, "A"),
        ("Phú Thọ 2020", 85.74, "B"),
        ("Phú Thọ 2019", 82.01, "B"),
        ("Quảng Ngãi 2020", 73.25, "C"),
    ],
)
def test_published_par_indices_fall_in_their_published_groups(
    unit: str, index: float, group: str
) -> None:
    assert group_of(index, get_framework("par-province-2019")) == group


@pytest.mark.parametrize(
    ("index", "group"),
    [
        (83.05, "tốt"),
        (71.06, "khá"),
        (69.13, "trung bình"),
        (62.89, "trung bình"),
        (51.48, "trung bình"),
    ],
)
def test_thai_nguyen_2020_published_indices_fall_in_the_example_bands(
    index: float, group: str
) -> None:
    assert group_of(index, get_framework("example-department-2024")) == group


@pytest.mark.parametrize(("index", "group"), [(89.996, "A"), (89.994, "B"), (79.995, "B")])
def test_a_value_is_grouped_as_it_is_published_rounded_to_the_frameworks_precision(
    index: float, group: str
) -> None:
    """89.996 prints as 90,00 and is in group A, as a reader of the table expects."""
    assert group_of(index, get_framework("par-province-2019")) == group
    band = flat({"x": index}).groups[0]  # scored, with PAR INDEX's bands
    assert band is not None and band.code == group


def test_the_groups_of_a_framework_are_its_bands_else_papis_quartile_groups() -> None:
    par = get_framework("par-province-2019")
    assert par.groups is not None
    assert group_bands(par) == par.groups.bands
    assert [b.code for b in group_bands(par)] == ["A", "B", "C", "D"]
    papi = next(f for f in builtin_frameworks() if f.groups and f.groups.method == "quartiles")
    assert group_bands(papi) == QUARTILE_GROUPS
    assert group_bands(framework(leaf("1", 100), groups=None)) == ()


def test_a_group_is_shown_by_the_name_its_framework_gives_its_code_in_each_language() -> None:
    department = get_framework("example-department-2024")
    assert group_name(department, "trung bình", "vi") == "Trung bình"
    assert group_name(department, "trung bình", "en") == "Average"
    papi = next(f for f in builtin_frameworks() if f.groups and f.groups.method == "quartiles")
    assert group_name(papi, "1", "en") == "Best performers"
    assert group_name(papi, "1", "vi") == "Nhóm cao nhất"
    # bands without names, a code the framework does not know, and no group at all
    unnamed = framework(leaf("1", 100))
    assert group_name(unnamed, "A", "en") == group_name(unnamed, "A", "vi") == "A"
    assert group_name(department, "Z", "en") == "Z"
    assert group_name(department, None, "en") == group_name(department, "", "vi") == ""


def test_summary_gives_count_mean_extremes_with_units_and_group_counts() -> None:
    r = flat({"a": 92.18, "b": 91.87, "c": 85.0, "d": 72.5, "e": 91.87})
    s = r.summary()
    assert s.units == 5 and s.ranked == 5
    assert s.mean == pytest.approx((92.18 + 91.87 + 85.0 + 72.5 + 91.87) / 5)
    assert s.highest == 92.18 and s.highest_units == ("a",)
    assert s.lowest == 72.5 and s.lowest_units == ("d",)
    assert s.per_group == {"A": 3, "B": 1, "C": 1, "D": 0}


def test_ministries_mean_is_the_plain_mean_of_the_ranked_ministries() -> None:
    r = flat({"x": 90.0, "y": 80.0, "z": 50.0}, ranked=[True, True, False])
    assert r.summary().mean == 85.0


def test_competition_ranks_leave_ineligible_units_at_zero() -> None:
    v = np.array([3.0, np.nan, 3.0, 1.0])
    assert list(competition_ranks(v, ~np.isnan(v), 2)) == [1, 0, 1, 3]
