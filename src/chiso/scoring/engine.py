"""Aggregation up the criteria tree, for all units at once.

Three states of a value are kept apart, as the process demands:

* **not applicable** (``na``): the node leaves the unit's maximum and adds nothing;
* **missing** (NaN in ``given`` with no ancestor given): the unit is incomplete, gets no total
  and no rank, and the missing nodes are listed;
* **zero**: a score like any other.

Arrays are node-major (``[node, unit]``). Leaves are the first rows of the plan and are not
copied: their values, maxima and flags are read from the caller's ``given`` and ``na`` when
needed. Only inner nodes get arrays of their own, so scoring 10,000 units of a 200-leaf tree
keeps a few MB per cycle instead of a copy of the whole input.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from chiso.scoring.plan import ScoringPlan

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Aggregates:
    """Per node and unit: value, applicable maximum, and the applicability/missing flags.

    ``given`` and ``na`` are the caller's arrays (leaves are read from them, not copied); the
    ``inner_*`` arrays hold rows ``n_leaves:`` of the plan.
    """

    plan: ScoringPlan
    given: FloatArray
    na: BoolArray
    inner_values: FloatArray  # NaN where missing; 0 where not applicable
    inner_maxima: FloatArray  # the applicable maximum; NaN where unknown
    inner_applicable: BoolArray
    inner_missing: BoolArray  # some applicable leaf below has no value
    inner_wholly: BoolArray  # every applicable leaf below has no value

    # -- one row (all units) of one node ----------------------------------------------------
    def value_row(self, j: int) -> FloatArray:
        n = self.plan.n_leaves
        row: FloatArray = (
            self.inner_values[j - n] if j >= n else np.where(self.na[j], 0.0, self.given[j])
        )
        return row

    def maxima_row(self, j: int) -> FloatArray:
        n = self.plan.n_leaves
        row: FloatArray = (
            self.inner_maxima[j - n] if j >= n else np.where(self.na[j], 0.0, self.plan.maxima[j])
        )
        return row

    def applicable_row(self, j: int) -> BoolArray:
        n = self.plan.n_leaves
        row: BoolArray = self.inner_applicable[j - n] if j >= n else ~self.na[j]
        return row

    def missing_row(self, j: int) -> BoolArray:
        n = self.plan.n_leaves
        row: BoolArray = (
            self.inner_missing[j - n] if j >= n else np.isnan(self.given[j]) & ~self.na[j]
        )
        return row

    # -- whole matrices, for output and inspection -----------------------------------------
    @property
    def values(self) -> FloatArray:
        return np.vstack(
            [self.value_row(j) for j in range(self.plan.n_leaves)] + [self.inner_values]
        )

    @property
    def maxima(self) -> FloatArray:
        return np.vstack(
            [self.maxima_row(j) for j in range(self.plan.n_leaves)] + [self.inner_maxima]
        )

    @property
    def applicable(self) -> BoolArray:
        return np.vstack([~self.na[: self.plan.n_leaves], self.inner_applicable])


def aggregate(plan: ScoringPlan, given: FloatArray, na: BoolArray) -> Aggregates:
    """Compute every node of every unit from the values ``given`` at any level of the tree.

    ``given[node, unit]`` holds points (NaN: not given); ``na[node, unit]`` marks a node not
    applicable to the unit. A value given for an inner node (a PAPI sub-dimension without its
    indicators, say) stands for its whole subtree.
    """
    n_leaves = plan.n_leaves
    n_inner = plan.size - n_leaves
    n_units = given.shape[1]
    values = np.empty((n_inner, n_units))
    maxima = np.empty((n_inner, n_units))
    applicable = np.empty((n_inner, n_units), dtype=bool)
    missing = np.empty((n_inner, n_units), dtype=bool)
    wholly = np.empty((n_inner, n_units), dtype=bool)
    na_below = np.empty((n_inner, n_units), dtype=bool)

    for pn in plan.inner:
        j = pn.position
        i = j - n_leaves
        # the children's rows: leaves read from the input, inner nodes from the arrays above
        lk, ik = pn.leaf_children, pn.inner_children - n_leaves
        a_leaf = ~na[lk]
        v_leaf = given[lk]
        m_leaf = np.isnan(v_leaf) & a_leaf
        v_ch = np.concatenate([np.where(a_leaf, v_leaf, 0.0), values[ik]])
        a_ch = np.concatenate([a_leaf, applicable[ik]])
        m_ch = np.concatenate([np.where(a_leaf, plan.maxima[lk, None], 0.0), maxima[ik]])
        miss_ch = np.concatenate([m_leaf, missing[ik]])
        whole_ch = np.concatenate([m_leaf, wholly[ik]])
        nab = (~a_leaf).any(axis=0) | na_below[ik].any(axis=0)

        app = a_ch.any(axis=0)
        if pn.aggregation == "sum":
            v = v_ch.sum(axis=0)
            am = m_ch.sum(axis=0)
            am = np.where(np.isnan(am) & ~nab, pn.max, am)
            if pn.cap:
                am = np.fmin(am, pn.max)
        else:
            am = np.where(app, pn.max, 0.0)
            with np.errstate(invalid="ignore", divide="ignore"):
                if pn.aggregation == "share":
                    v = pn.max * v_ch.sum(axis=0) / m_ch.sum(axis=0)
                else:
                    w = (
                        pn.weights[:, None] * a_ch
                        if pn.aggregation == "weighted_mean"
                        else a_ch.astype(np.float64)
                    )
                    # a missing applicable child is NaN and keeps the mean NaN
                    v = np.where(a_ch, v_ch * w, 0.0).sum(axis=0) / w.sum(axis=0)
        if pn.cap:
            v = np.fmin(v, am)
        miss = miss_ch.any(axis=0)
        whole = (whole_ch | ~a_ch).all(axis=0) & app
        v = np.where(app, v, 0.0)
        am = np.where(app, am, 0.0)
        # a value given at this level stands for the subtree
        g = given[j]
        has = ~np.isnan(g)
        if has.any():
            v = np.where(has, g, v)
            if not np.isnan(pn.max):
                am = np.where(has, pn.max, am)
            app = app | has
            miss = miss & ~has
            whole = whole & ~has
        # not applicable at this level removes the subtree
        not_app = na[j]
        if not_app.any():
            v = np.where(not_app, 0.0, v)
            am = np.where(not_app, 0.0, am)
            app = app & ~not_app
            miss = miss & ~not_app
            whole = whole & ~not_app
        values[i] = np.where(miss, np.nan, v)
        maxima[i] = am
        applicable[i] = app
        missing[i] = miss
        wholly[i] = whole
        na_below[i] = nab | not_app
    return Aggregates(plan, given, na, values, maxima, applicable, missing, wholly)


def missing_codes(plan: ScoringPlan, agg: Aggregates, unit: int) -> list[str]:
    """The topmost nodes of ``unit`` with no value at all below them, in official order.

    A domain with nothing entered is reported as the domain, not as its dozens of leaves.
    """
    n = plan.n_leaves
    leaf_missing = np.isnan(agg.given[:n, unit]) & ~agg.na[:n, unit]
    whole = np.concatenate([leaf_missing, agg.inner_wholly[:, unit]])
    out = [
        pn.code
        for pn in plan.nodes
        if pn.node is not None
        and whole[pn.position]
        and (pn.parent == plan.root or not whole[pn.parent])
    ]
    return sorted(out, key=plan.preorder.__getitem__)
