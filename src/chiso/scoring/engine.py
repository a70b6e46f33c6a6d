"""Aggregation up the criteria tree, for all units at once.

Three states of a value are kept apart, as the process demands:

* **not applicable** (``na``): the node leaves the unit's maximum and adds nothing;
* **missing** (NaN in ``given`` with no ancestor given): the unit is incomplete, gets no total
  and no rank, and the missing nodes are listed;
* **zero**: a score like any other.

Arrays are laid out node-major (``[node, unit]``) so that a node's children are contiguous rows;
each node costs a handful of NumPy operations over all units, whatever their number.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from chiso.scoring.plan import Plan

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Aggregates:
    """Per node and unit: value, applicable maximum, and the applicability/missing flags."""

    values: FloatArray  # [node, unit]; NaN where missing; 0 where not applicable
    maxima: FloatArray  # [node, unit]; the applicable maximum; NaN where unknown
    applicable: BoolArray  # [node, unit]
    missing: BoolArray  # [node, unit]: some applicable leaf below has no value
    wholly_missing: BoolArray  # [node, unit]: every applicable leaf below has no value


def aggregate(plan: Plan, given: FloatArray, na: BoolArray) -> Aggregates:
    """Compute every node of every unit from the values ``given`` at any level of the tree.

    ``given[node, unit]`` holds points (NaN: not given); ``na[node, unit]`` marks a node not
    applicable to the unit. A value given for an inner node (a PAPI sub-dimension without its
    indicators, say) stands for its whole subtree.
    """
    n_nodes, n_units = given.shape
    values = np.empty((n_nodes, n_units))
    maxima = np.empty((n_nodes, n_units))
    applicable = np.empty((n_nodes, n_units), dtype=bool)
    missing = np.empty((n_nodes, n_units), dtype=bool)
    wholly = np.empty((n_nodes, n_units), dtype=bool)
    na_below = np.empty((n_nodes, n_units), dtype=bool)

    for pn in plan.nodes:
        j = pn.position
        g = given[j]
        has = ~np.isnan(g)
        if not len(pn.children):
            app = ~na[j]
            miss = ~has & app
            values[j] = np.where(app, g, 0.0)
            maxima[j] = np.where(app, pn.max, 0.0)
            applicable[j] = app
            missing[j] = miss
            wholly[j] = miss
            na_below[j] = ~app
            continue
        ch = pn.children
        v_ch = values[ch]
        a_ch = applicable[ch]
        m_ch = maxima[ch]
        app = a_ch.any(axis=0)
        nab = na_below[ch].any(axis=0)
        if pn.aggregation == "sum":
            v = v_ch.sum(axis=0)
            am = m_ch.sum(axis=0)
            am = np.where(np.isnan(am) & ~nab, pn.max, am)
            if pn.cap:
                am = np.fmin(am, pn.max)
        else:
            am = np.where(app, pn.max, 0.0)
            if pn.aggregation == "share":
                child_max = m_ch.sum(axis=0)
                with np.errstate(invalid="ignore", divide="ignore"):
                    v = pn.max * v_ch.sum(axis=0) / child_max
            else:
                w = (
                    pn.weights[:, None] * a_ch
                    if pn.aggregation == "weighted_mean"
                    else a_ch.astype(np.float64)
                )
                with np.errstate(invalid="ignore", divide="ignore"):
                    # a missing applicable child is NaN and keeps the mean NaN
                    v = np.where(a_ch, v_ch * w, 0.0).sum(axis=0) / w.sum(axis=0)
        if pn.cap:
            v = np.fmin(v, am)
        miss = missing[ch].any(axis=0)
        whole = (wholly[ch] | ~a_ch).all(axis=0) & app
        v = np.where(app, v, 0.0)
        am = np.where(app, am, 0.0)
        # a value given at this level stands for the subtree
        v = np.where(has, g, v)
        am = np.where(has, pn.max if not np.isnan(pn.max) else am, am)
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
        values[j] = np.where(miss, np.nan, v)
        maxima[j] = am
        applicable[j] = app
        missing[j] = miss
        wholly[j] = whole
        na_below[j] = nab | not_app
    return Aggregates(values, maxima, applicable, missing, wholly)


def missing_codes(plan: Plan, agg: Aggregates, unit: int) -> list[str]:
    """The topmost nodes of ``unit`` with no value at all below them, in official order.

    A domain with nothing entered is reported as the domain, not as its dozens of leaves.
    """
    out: list[str] = []
    whole = agg.wholly_missing[:, unit]
    for pn in plan.nodes:
        if pn.node is None or not whole[pn.position]:
            continue
        parent = pn.parent
        if parent == plan.root or not whole[parent]:
            out.append(pn.code)
    return sorted(out, key=plan.preorder.__getitem__)
