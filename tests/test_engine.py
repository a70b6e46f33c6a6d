"""The scoring engine: aggregation, not applicable vs missing vs zero, values at any level."""

from __future__ import annotations

import math

import pytest

from chiso.frameworks import framework_from_text
from chiso.frameworks.registry import framework_text
from chiso.problems import Refusal
from chiso.scoring import compile_plan, score, values_from_mapping
from frameworks_for_tests import branch, framework, leaf, small_par

FULL = {"1.1.1": 20, "1.1.2": 15, "1.2": 18, "2.1": 27, "2.2": 10}


def run(fw, data, ranked=None):  # type: ignore[no-untyped-def]
    plan = compile_plan(fw)
    units, given, na = values_from_mapping(plan, data)
    return score(fw, units, given, na, ranked)


def test_points_add_up_the_tree_to_the_total_and_index() -> None:
    r = run(small_par(), {"Hà Nội": FULL})
    assert r.value("Hà Nội", "1.1") == 35
    assert r.value("Hà Nội", "1") == 53
    assert r.value("Hà Nội", "total") == 90
    assert r.index[0] == 90
    assert r.status == ("complete",)


def test_not_applicable_leaf_leaves_the_maximum_and_the_index_is_over_the_rest() -> None:
    r = run(small_par(), {"Huế": {**FULL, "2.2": "NA"}})
    assert r.total_max[0] == 90
    assert r.value("Huế", "total") == 80
    assert r.index[0] == pytest.approx(80 / 90 * 100)
    assert r.status == ("complete",)
    assert not r.is_applicable(0, "2.2")


def test_missing_leaf_makes_the_unit_incomplete_with_no_total_and_no_rank() -> None:
    data = {k: v for k, v in FULL.items() if k != "1.1.2"}
    r = run(small_par(), {"Lai Châu": data, "Sơn La": FULL})
    assert r.status == ("incomplete", "complete")
    assert math.isnan(r.total[0]) and r.rank[0] == 0
    assert r.missing[0] == ["1.1.2"]
    assert r.rank[1] == 1


def test_zero_is_a_score_not_a_missing_value() -> None:
    r = run(small_par(), {"Cà Mau": {**FULL, "2.2": 0}})
    assert r.status == ("complete",)
    assert r.value("Cà Mau", "total") == 80
    assert r.total_max[0] == 100


def test_a_domain_with_nothing_entered_is_reported_as_the_domain() -> None:
    data = {"1.1.1": 20, "1.1.2": 15, "1.2": 18}
    r = run(small_par(), {"Điện Biên": data})
    assert r.missing[0] == ["2"]


def test_values_given_at_an_inner_level_stand_for_their_subtree() -> None:
    r = run(small_par(), {"Bắc Ninh": {"1": 50, "2.1": 30, "2.2": 5}})
    assert r.status == ("complete",)
    assert r.value("Bắc Ninh", "total") == 85
    assert r.total_max[0] == 100


def test_an_inner_node_can_be_not_applicable_as_a_whole() -> None:
    r = run(small_par(), {"Ninh Bình": {"1": "NA", "2.1": 30, "2.2": 5}})
    assert r.total_max[0] == 40
    assert r.index[0] == pytest.approx(87.5)


def test_mean_aggregation_averages_the_applicable_children() -> None:
    fw = framework(
        branch("1", 100, leaf("1.1", 100), leaf("1.2", 100), leaf("1.3", 100), aggregation="mean"),
        branch("2", 100, leaf("2.1", 100), leaf("2.2", 100), aggregation="mean"),
        total_aggregation="mean",
    )
    r = run(fw, {"u": {"1.1": 90, "1.2": 80, "1.3": "NA", "2.1": 70, "2.2": 60}})
    assert r.value("u", "1") == 85
    assert r.value("u", "2") == 65
    assert r.value("u", "total") == 75
    assert r.index[0] == 75


def test_weighted_mean_uses_the_children_weights() -> None:
    fw = framework(
        branch(
            "1",
            100,
            leaf("1.1", 100, weight=3),
            leaf("1.2", 100, weight=1),
            aggregation="weighted_mean",
        ),
        total_aggregation="mean",
    )
    r = run(fw, {"u": {"1.1": 80, "1.2": 40}})
    assert r.value("u", "1") == 70


def test_share_scales_the_children_to_the_node_maximum() -> None:
    fw = framework(
        branch("1", 10, leaf("1.1", 4), leaf("1.2", 4), aggregation="share"),
        total_max=10,
    )
    r = run(fw, {"u": {"1.1": 4, "1.2": "NA"}})
    assert r.value("u", "1") == 10
    r = run(fw, {"u": {"1.1": 2, "1.2": 4}})
    assert r.value("u", "1") == 7.5


def test_cap_cuts_bonus_points_at_the_node_maximum() -> None:
    fw = framework(
        branch("1", 10, leaf("1.1", 8), leaf("1.2", 5), cap=True),
        total_max=10,
    )
    r = run(fw, {"u": {"1.1": 8, "1.2": 4}})
    assert r.value("u", "1") == 10
    assert r.index[0] == 100


def test_unknown_maxima_give_totals_and_the_published_total_maximum_gives_the_index() -> None:
    fw = framework(leaf("1", None), leaf("2", None), total_max=100)
    r = run(fw, {"u": {"1": 40.5, "2": 45.24}})
    assert r.value("u", "total") == pytest.approx(85.74)
    assert r.index[0] == pytest.approx(85.74)
    r = run(fw, {"u": {"1": 40.5, "2": "NA"}})
    assert math.isnan(r.index[0])  # the applicable maximum is unknown: no index is invented


def test_a_framework_is_compiled_once_and_equal_frameworks_share_the_plan() -> None:
    assert compile_plan(small_par()) is compile_plan(small_par())
    text = framework_text("example-department-2024")
    fw = framework_from_text(text, "example-department-2024")
    assert framework_from_text(text, "example-department-2024") is fw
    assert compile_plan(fw) is compile_plan(framework_from_text(text, "example-department-2024"))


def test_a_shared_plan_cannot_be_changed_by_one_of_its_users() -> None:
    plan = compile_plan(small_par())
    with pytest.raises(ValueError, match="read-only"):
        plan.maxima[0] = 0.0
    for pn in plan.nodes:
        for array in (pn.children, pn.weights, pn.leaf_children, pn.inner_children):
            assert not array.flags.writeable


def test_an_invalid_framework_text_is_reported_every_time_it_is_read() -> None:
    for _ in range(2):
        with pytest.raises(Refusal) as caught:
            framework_from_text("code: [", "broken.yaml")
        assert len(caught.value.report) >= 1


def test_a_nodes_domain_is_found_up_the_tree_not_from_its_codes_prefix() -> None:

    fw = framework(
        branch("A", 60, branch("A-x", 60, leaf("KH-1", 30), leaf("KH-2", 30))),
        branch("B", 40, leaf("B.1", 40)),
    )
    plan = compile_plan(fw)
    assert plan.domain_of("KH-1") == "A" and plan.domain_of("A-x") == "A"
    assert plan.domain_of("B.1") == "B" and plan.domain_of("B") == "B"
