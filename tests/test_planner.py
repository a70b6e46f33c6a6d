"""The planner: the least-effort leaf improvements that reach a target.

Its effort is checked against exhaustive search on small cases (every combination of steps,
and for leaves scored in points every vertex of the linear programme: some leaves full, at most
one partly raised), and its actions, applied to the unit's points and scored again by the real
engine, give its ``reached_total``, which reaches the target.
"""

from __future__ import annotations

import itertools
import math
import random
from pathlib import Path

import numpy as np
import pytest

from analysis_data import results_file
from chiso.analysis.least_effort import Item, least_effort
from chiso.analysis.loaded import Loaded, load_results
from chiso.analysis.planner import PlanResult, Target, make_plan
from chiso.frameworks.model import Choice, Framework, Groups, Rule
from chiso.problems import Refusal
from chiso.scoring import score
from chiso.scoring.ranking import assign_groups
from frameworks_for_tests import branch, framework, leaf


def brute_force(items: list[Item], needed: float) -> float:
    """The least effort by enumeration: every combination of steps of the stepped items; for
    the items in points, every choice of some raised fully and at most one partly (the vertices
    of their linear programme, where its optimum lies)."""
    stepped = [it for it in items if it.steps is not None]
    free = [it for it in items if it.steps is None]
    best = math.inf
    for combo in itertools.product(*[it.steps or () for it in stepped]):
        effort = sum(it.effort * x for it, x in zip(stepped, combo, strict=True))
        gain = sum(it.gain * x for it, x in zip(stepped, combo, strict=True))
        for full in itertools.product((False, True), repeat=len(free)):
            e = effort + sum(it.effort * it.top for it, f in zip(free, full, strict=True) if f)
            g = gain + sum(it.gain * it.top for it, f in zip(free, full, strict=True) if f)
            if g >= needed - 1e-9:
                best = min(best, e)
                continue
            for it, f in zip(free, full, strict=True):
                if not f and it.gain > 0 and g + it.gain * it.top >= needed - 1e-9:
                    best = min(best, e + it.effort * (needed - g) / it.gain)
    return best


def random_items(rng: random.Random) -> list[Item]:
    items = []
    for key in range(rng.randint(2, 7)):
        top = rng.choice([1.0, 2.0, 2.5, 4.0])
        steps = None
        if rng.random() < 0.6:
            inner = sorted(rng.sample([0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0], 2))
            steps = (0.0, *[s for s in inner if s < top], top)
        items.append(
            Item(key, rng.choice([1.0, 0.5, 1 / 3, 0.25]), rng.choice([1.0, 2.0, 0.7]), top, steps)
        )
    return items


@pytest.mark.parametrize("case", range(60))
def test_least_effort_equals_exhaustive_search(case: int) -> None:
    rng = random.Random(case)
    items = random_items(rng)
    reachable = sum(it.gain * it.top for it in items)
    needed = reachable * rng.uniform(0.1, 1.0)
    solution = least_effort(items, needed)
    assert solution is not None and solution.optimal
    assert solution.effort == pytest.approx(brute_force(items, needed), abs=1e-9)
    assert solution.gain >= needed - 1e-9
    for key, rise in solution.rises.items():
        item = items[key]
        assert rise <= item.top + 1e-12
        if item.steps is not None:
            assert min(abs(rise - s) for s in item.steps) < 1e-9


def test_least_effort_says_when_nothing_reaches_the_target() -> None:
    assert least_effort([Item(0, 1.0, 1.0, 2.0)], 3.0) is None
    nothing = least_effort([Item(0, 1.0, 1.0, 2.0)], 0.0)
    assert nothing is not None and nothing.rises == {} and nothing.effort == 0.0


# A framework with every kind of aggregation and of leaf rule the planner must respect:
# domain 1 sums points, yes/no and choice leaves; domain 2 is the mean of two leaves (each worth
# half of its points to the total) and holds a survey leaf the unit does not move itself.
FW: Framework = framework(
    branch(
        "1",
        50,
        leaf("1.1", 20, source="appraised"),
        leaf("1.2", 10, source="appraised", rule=Rule(kind="yes_no")),
        leaf(
            "1.3",
            20,
            source="self_assessed",
            rule=Rule(
                kind="choice",
                options=(Choice("none", 0), Choice("late", 10), Choice("on_time", 20)),
            ),
        ),
    ),
    branch(
        "2",
        50,
        leaf("2.1", 50, source="appraised"),
        leaf("2.2", 50, source="survey"),
        aggregation="mean",
    ),
)
DATA: dict[str, dict[str, float | str | None]] = {
    "Sở Tư pháp": {"1.1": 12, "1.2": 0, "1.3": 10, "2.1": 30, "2.2": 40},  # 22 + 35 = 57
    "Sở Y tế": {"1.1": 18, "1.2": 10, "1.3": 20, "2.1": 40, "2.2": 40},  # 48 + 40 = 88
    "Sở Nội vụ": {"1.1": 16, "1.2": 10, "1.3": 10, "2.1": 40, "2.2": 30},  # 36 + 35 = 71
    "Sở Tài chính": {"1.1": 15, "1.2": 0, "1.3": 20, "2.1": 35, "2.2": 35},  # 35 + 35 = 70
}


@pytest.fixture
def loaded(tmp_path: Path) -> Loaded:
    return load_results(results_file(tmp_path / "r.json", FW, DATA), FW)


def rescored(loaded: Loaded, plan: PlanResult) -> float:
    """The unit's total scored again by the engine with every action applied."""
    u = loaded.results.units.index(plan.unit)
    given = loaded.given[:, u : u + 1].copy()
    for action in plan.actions:
        j = loaded.plan.positions[action.node]
        assert given[j, 0] == pytest.approx(action.start)
        given[j, 0] = action.end
    again = score(FW, [plan.unit], given, loaded.na[:, u : u + 1].copy(), plan=loaded.plan)
    return float(again.total[0])


def test_an_index_target_is_reached_with_the_least_effort(loaded: Loaded) -> None:
    plan = make_plan(loaded, "Sở Tư pháp", Target("index", 70))
    assert plan.current_total == 57 and plan.needed_total == 70
    assert rescored(loaded, plan) == pytest.approx(plan.reached_total)
    assert plan.reached_total >= 70 - 1e-9
    # effort 1 per point: 1.1 gives a point per point (8 to its maximum), 2.1 half a point;
    # yes/no 1.2 gives 10 for 10 and 1.3's next step 10 for 10, both as good as 1.1: the
    # least effort for 13 points is 13 (never through 2.1, which costs twice as much)
    assert plan.effort == pytest.approx(13)
    assert "2.1" not in {a.node for a in plan.actions}
    assert plan.probability is None and plan.optimal


def test_the_plan_respects_each_leafs_rule_and_maximum(loaded: Loaded) -> None:
    plan = make_plan(loaded, "Sở Tư pháp", Target("index", 85))
    for a in plan.actions:
        node = FW.node(a.node)
        assert a.end <= float(node.max or 0) + 1e-12
        if node.rule.kind == "yes_no":
            assert a.end in (0.0, node.max) and a.input == "có"
        if node.rule.kind == "choice":
            assert a.end in {o.points for o in node.rule.options} and a.input == "on_time"
    assert rescored(loaded, plan) == pytest.approx(plan.reached_total)


def test_survey_leaves_move_only_with_all_sources(loaded: Loaded) -> None:
    # without 2.2 (survey), Sở Tư pháp reaches at most 57 + 8 + 10 + 10 + 10 = 95
    with pytest.raises(Refusal) as caught:
        make_plan(loaded, "Sở Tư pháp", Target("index", 97))
    assert next(iter(caught.value.report)).rule == "plan.unreachable_leaves"
    plan = make_plan(loaded, "Sở Tư pháp", Target("index", 97), all_sources=True)
    assert "2.2" in {a.node for a in plan.actions}
    assert plan.reached_total == pytest.approx(rescored(loaded, plan))


def test_effort_per_leaf_changes_the_choice(loaded: Loaded) -> None:
    plan = make_plan(loaded, "Sở Tư pháp", Target("index", 62), {"1.1": 5.0})
    # 5 points: 1.1 now costs 5 a point, 2.1 costs 2 a point of the total, yes/no 1.2 and the
    # step of 1.3 cost 10 for 10: the least is 5 points of total from 2.1 (10 points, effort 10)
    # or a whole step of 10 (effort 10); both 10
    assert plan.effort == pytest.approx(10)
    assert "1.1" not in {a.node for a in plan.actions}


def test_a_rank_target_needs_the_total_of_the_unit_at_that_rank(loaded: Loaded) -> None:
    plan = make_plan(loaded, "Sở Tư pháp", Target("rank", 2), seed=1)
    assert plan.current_rank == 4
    assert plan.needed_total == pytest.approx(71)  # Sở Nội vụ's, now second
    assert plan.probability == 1.0  # no standard errors, no history: the others stay
    assert plan.reached_total >= 71 - 1e-9
    up = make_plan(loaded, "Sở Tư pháp", Target("up", 1), seed=1)
    assert up.needed_total == pytest.approx(70)


def test_a_group_of_fixed_bands_needs_its_minimum(loaded: Loaded) -> None:
    plan = make_plan(loaded, "Sở Tư pháp", Target("group", "B"))
    assert plan.needed_total == pytest.approx(80) and plan.probability is None
    with pytest.raises(Refusal) as caught:
        make_plan(loaded, "Sở Tư pháp", Target("group", "Z"))
    assert next(iter(caught.value.report)).rule == "plan.unknown_group"


SIMPLE = framework(branch("1", 100, leaf("1.1", 100, source="appraised")))


def test_a_rival_with_a_standard_error_gives_the_normal_probabilities(tmp_path: Path) -> None:
    data: dict[str, dict[str, float | str | None]] = {"A": {"1.1": 60}, "B": {"1.1": 70}}
    path = results_file(tmp_path / "r.json", SIMPLE, data, {"B": 2.0})
    plan = make_plan(load_results(path, SIMPLE), "A", Target("rank", 1), draws=200_000, seed=4)
    assert plan.needed_total == pytest.approx(70)
    assert plan.probability == pytest.approx(0.5, abs=0.005)
    # P(B's draw ≤ t) = Φ((t − 70) / 2): t = 70 + 2 z
    assert plan.needed_for["0.8"] == pytest.approx(70 + 2 * 0.841621, abs=0.03)
    assert plan.needed_for["0.95"] == pytest.approx(70 + 2 * 1.644854, abs=0.04)
    sure = make_plan(
        load_results(path, SIMPLE), "A", Target("rank", 1), draws=200_000, seed=4, probability=0.95
    )
    assert sure.reached_total == pytest.approx(plan.needed_for["0.95"], abs=1e-6)
    assert sure.probability == pytest.approx(0.95, abs=0.005)


def test_the_others_history_moves_them(tmp_path: Path) -> None:
    now: dict[str, dict[str, float | str | None]] = {"A": {"1.1": 60}, "B": {"1.1": 64}}
    before: dict[str, dict[str, float | str | None]] = {"A": {"1.1": 60}, "B": {"1.1": 61}}
    path = results_file(tmp_path / "r.json", SIMPLE, now)
    history = [str(results_file(tmp_path / "h.json", SIMPLE, before))]
    plan = make_plan(load_results(path, SIMPLE), "A", Target("rank", 1), history=history, seed=2)
    assert plan.needed_total == pytest.approx(67)  # B gained 3 last year and is expected to again
    assert plan.probability == 1.0


def test_a_unit_already_at_its_target_needs_nothing(loaded: Loaded) -> None:
    plan = make_plan(loaded, "Sở Y tế", Target("index", 80))
    assert plan.actions == [] and plan.reached_total == plan.current_total == 88


def test_a_rank_above_the_first_is_refused(loaded: Loaded) -> None:
    with pytest.raises(Refusal) as caught:
        make_plan(loaded, "Sở Tư pháp", Target("up", 4))
    assert next(iter(caught.value.report)).rule == "plan.rank_too_high"


def test_random_plans_on_a_larger_tree_rescore_to_their_total(tmp_path: Path) -> None:
    rng = np.random.default_rng(11)
    leaves = [leaf(f"{d}.{k}", 5, source="appraised") for d in (1, 2, 3) for k in range(1, 6)]
    fw = framework(
        branch("1", 25, *leaves[:5]),
        branch("2", 5, *leaves[5:10], aggregation="mean"),
        branch("3", 25, *leaves[10:]),
        total_max=55,
    )
    data = {f"U{i}": {n.code: float(rng.integers(0, 6)) for n in leaves} for i in range(6)}
    loaded = load_results(results_file(tmp_path / "r.json", fw, data), fw)
    efforts = {n.code: float(rng.uniform(0.5, 3)) for n in leaves}
    for unit in loaded.results.units:
        plan = make_plan(loaded, unit, Target("index", 95), efforts)
        u = loaded.results.units.index(unit)
        given = loaded.given[:, u : u + 1].copy()
        for a in plan.actions:
            given[loaded.plan.positions[a.node], 0] = a.end
        again = score(fw, [unit], given, loaded.na[:, u : u + 1].copy(), plan=loaded.plan)
        assert float(again.total[0]) == pytest.approx(plan.reached_total)
        assert plan.reached_total >= 0.95 * 55 - 1e-9


QUARTILES = framework(
    branch("1", 100, leaf("1.1", 100, source="appraised")),
    groups=Groups("quartiles", "index"),
    precision=6,  # the planner never counts on rounding: compare where rounding is negligible
)


def test_a_quartile_group_target_needs_the_least_total_that_the_groups_put_there(
    tmp_path: Path,
) -> None:
    others = [52.0, 61.0, 64.0, 70.0, 77.0, 83.0, 90.0]
    data: dict[str, dict[str, float | str | None]] = {
        f"U{i}": {"1.1": v} for i, v in enumerate(others)
    }
    data["A"] = {"1.1": 40.0}
    loaded = load_results(results_file(tmp_path / "r.json", QUARTILES, data), QUARTILES)
    plan = make_plan(loaded, "A", Target("group", "1"), seed=1)
    # independently: the least total, on a 0.001 grid, that chiso.scoring.ranking puts in the
    # highest quartile among the eight units
    values = np.asarray([*others, 0.0])
    ranked = np.ones(len(values), dtype=bool)
    least = None
    for t in np.arange(80.0, 90.0, 0.001):
        values[-1] = t
        if assign_groups(QUARTILES, values, ranked, ranked)[-1].code == "1":
            least = t
            break
    assert least is not None
    assert plan.needed_total == pytest.approx(least, abs=0.002)
    assert plan.probability == 1.0 and plan.reached_total >= plan.needed_total - 1e-9


def test_a_rank_below_every_other_unit_needs_nothing(loaded: Loaded) -> None:
    plan = make_plan(loaded, "Sở Y tế", Target("rank", 4), seed=1)
    assert plan.actions == [] and plan.needed_total == 0.0
    assert plan.needed_for == {"0.8": 0.0, "0.95": 0.0} and plan.probability == 1.0


def test_a_capped_domain_still_gets_a_plan_that_reaches_the_target(tmp_path: Path) -> None:
    capped = framework(
        branch(
            "1",
            12,
            leaf("1.1", 10, source="appraised"),
            leaf("1.2", 10, source="appraised"),
            cap=True,
        ),
        branch("2", 10, leaf("2.1", 10, source="appraised")),
        total_max=22,
    )
    data: dict[str, dict[str, float | str | None]] = {"A": {"1.1": 6, "1.2": 4, "2.1": 5}}
    loaded = load_results(results_file(tmp_path / "r.json", capped, data), capped)
    # 15 now; 19 needed. Domain 1 can give only 2 more (its cap, 12), which the weights
    # measured at each leaf's maximum overstate; 2.1 costs ten times as much per point
    plan = make_plan(loaded, "A", Target("index", 19 / 22 * 100), {"2.1": 10.0})
    assert plan.reached_total >= 19 - 1e-9
    u = 0
    given = loaded.given[:, u : u + 1].copy()
    for a in plan.actions:
        given[loaded.plan.positions[a.node], 0] = a.end
    again = score(capped, ["A"], given, loaded.na[:, u : u + 1].copy(), plan=loaded.plan)
    assert float(again.total[0]) == pytest.approx(plan.reached_total)
    assert not plan.optimal  # a re-planned shortfall is not proven least


def test_a_unit_named_with_a_formula_is_text_in_the_plan_in_excel(
    loaded: Loaded, tmp_path: Path
) -> None:
    """OWASP's CSV injection: a name typed by people never becomes a live ``<f>`` formula."""
    import dataclasses
    import zipfile

    import openpyxl

    from chiso.reports.plan_document import write_plan

    formula = '=HYPERLINK("x")'
    plan = dataclasses.replace(make_plan(loaded, "Sở Tư pháp", Target("index", 70)), unit=formula)
    write_plan(plan, [], FW, tmp_path / "plan.xlsx")
    with zipfile.ZipFile(tmp_path / "plan.xlsx") as z:
        assert not any(b"<f>" in z.read(n) for n in z.namelist() if n.startswith("xl/worksheets"))
    cell = openpyxl.load_workbook(tmp_path / "plan.xlsx").worksheets[0]["B1"]
    assert cell.value == formula and cell.data_type == "s" and cell.quotePrefix
