"""Properties that must hold for any framework and any values (hypothesis)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from chiso.frameworks.model import Node
from chiso.scoring import compile_plan, score
from frameworks_for_tests import framework

maxima = st.sampled_from([0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 10.0])


@st.composite
def trees(draw: st.DrawFn) -> list[Node]:
    """A random criteria tree of sum nodes whose maxima add up."""

    def node(code: str, depth: int) -> Node:
        if depth >= 2 or draw(st.booleans()):
            return Node(code=code, name_vi=code, name_en=code, max=draw(maxima))
        kids = [node(f"{code}.{i}", depth + 1) for i in range(1, draw(st.integers(1, 4)) + 1)]
        return Node(
            code=code,
            name_vi=code,
            name_en=code,
            max=sum(k.max or 0 for k in kids),
            children=tuple(kids),
        )

    return [node(str(i), 0) for i in range(1, draw(st.integers(1, 4)) + 1)]


@st.composite
def cycles(draw: st.DrawFn):  # type: ignore[no-untyped-def]
    nodes = draw(trees())
    fw = framework(*nodes, total_max=sum(n.max or 0 for n in nodes))
    plan = compile_plan(fw)
    n_units = draw(st.integers(1, 12))
    given = np.full((plan.size, n_units), np.nan)
    na = np.zeros((plan.size, n_units), dtype=bool)
    for j in plan.leaves:
        top = plan.maxima[j]
        for u in range(n_units):
            kind = draw(st.sampled_from(["score", "score", "score", "zero", "na"]))
            if kind == "na":
                na[j, u] = True
            elif kind == "zero":
                given[j, u] = 0.0
            else:
                given[j, u] = draw(st.integers(0, 8)) * top / 8
    return fw, plan, given, na


@settings(max_examples=150, deadline=None)
@given(cycles())
def test_a_unit_never_ranks_below_one_with_a_strictly_lower_value(case) -> None:  # type: ignore[no-untyped-def]
    fw, plan, given_, na = case
    r = score(fw, [f"u{i}" for i in range(given_.shape[1])], given_, na, plan=plan)
    v = np.round(r.index, 2)
    for a in range(len(v)):
        for b in range(len(v)):
            if r.rank[a] and r.rank[b] and v[a] > v[b]:
                assert r.rank[a] < r.rank[b]


@settings(max_examples=150, deadline=None)
@given(cycles())
def test_ranks_are_complete_with_ties(case) -> None:  # type: ignore[no-untyped-def]
    fw, plan, given_, na = case
    r = score(fw, [f"u{i}" for i in range(given_.shape[1])], given_, na, plan=plan)
    ranks = sorted(int(k) for k in r.rank if k)
    # standard competition ranking: each rank equals 1 + the number of units ranked above
    for position, k in enumerate(ranks):
        assert k == 1 + sum(1 for x in ranks[:position] if x < k)
    assert not ranks or ranks[0] == 1


@settings(max_examples=150, deadline=None)
@given(cycles(), st.data())
def test_marking_a_leaf_not_applicable_never_changes_another_units_index(case, data) -> None:  # type: ignore[no-untyped-def]
    fw, plan, given_, na = case
    units = [f"u{i}" for i in range(given_.shape[1])]
    before = score(fw, units, given_, na, plan=plan)
    u = data.draw(st.integers(0, len(units) - 1))
    j = data.draw(st.sampled_from(list(plan.leaves)))
    na2 = na.copy()
    na2[j, u] = True
    after = score(fw, units, given_, na2, plan=plan)
    others = [i for i in range(len(units)) if i != u]
    np.testing.assert_array_equal(before.index[others], after.index[others])


@settings(max_examples=150, deadline=None)
@given(cycles())
def test_no_total_exceeds_its_maximum(case) -> None:  # type: ignore[no-untyped-def]
    fw, plan, given_, na = case
    r = score(fw, [f"u{i}" for i in range(given_.shape[1])], given_, na, plan=plan)
    values, maxima = r.aggregates.values, r.aggregates.maxima
    ok = ~np.isnan(values)
    assert np.all(values[ok] <= maxima[ok] + 1e-9)
    assert np.all(r.index[~np.isnan(r.index)] <= 100 + 1e-9)
