"""How sure a rank is: Monte Carlo over the standard errors a results file carries.

Each ranked unit's total is drawn from a normal distribution centred on its published total
with the standard error of the total (``total_se``: survey-based indices such as SIPAS carry
one from ``chiso survey estimate --points-out``; a unit without one is taken as exact). In every
draw the units are ranked and grouped by the framework's own rules (:mod:`chiso.scoring.ranking`:
competition ranks on values rounded to the published precision, bands or PAPI's quartiles), and
the shares over draws give each unit's rank interval (5th–95th percentile), its probability of
being first, of each group, and of being ahead of the units ranked just above and below it.

For two units whose totals differ by d with errors s1 and s2 the difference of two independent
normals gives P(leader ahead) = Φ(d / √(s1² + s2²)); the tests check the simulation against it.
Draws are independent between units: estimates from separate provincial samples are.

``weights_vary`` adds the sensitivity of the ranks to the weighting of the top-level nodes, in
the spirit of COINr's sensitivity analysis (JRC): each top-level node's weight is multiplied by
a factor drawn uniformly within ±PCT %, the total is re-aggregated with those weights (the
framework's own aggregation with its maximum kept: a sum becomes a share of the weighted
maximum, a mean a weighted mean), and the units whose ranks move most are the least stable.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from chiso.analysis.loaded import Loaded
from chiso.frameworks.model import Band
from chiso.numbers import round_half_up_array
from chiso.scoring.ranking import group_bands

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
CHUNK = 2_000  # draws ranked at a time: a [draws, units, units] comparison stays a few MB


@dataclass(frozen=True)
class UnitUncertainty:
    unit: str
    rank: int
    rank_low: int
    rank_high: int
    p_first: float
    p_group: dict[str, float]
    p_ahead_above: float | None
    p_ahead_below: float | None
    se: float | None
    weight_rank_low: int | None = None
    weight_rank_high: int | None = None
    weight_shift: float | None = None  # mean absolute change of rank under varied weights


@dataclass(frozen=True)
class RankUncertainty:
    draws: int
    seed: int | None
    groups: tuple[Band, ...]
    units: list[UnitUncertainty]
    weights_vary: float | None = None
    least_stable: list[str] = field(default_factory=list)
    has_errors: bool = True  # False: no unit had a standard error, every total was exact


def draw_ranks(values: FloatArray, precision: int) -> IntArray:
    """Competition ranks (1 + the number of units strictly ahead) of each row of ``values``
    [draws, units], on values rounded to the published precision, as
    :func:`chiso.scoring.ranking.competition_ranks` ranks one set of values."""
    rounded = round_half_up_array(values, precision)
    out = np.empty(values.shape, dtype=np.int64)
    for start in range(0, len(values), CHUNK):
        block = rounded[start : start + CHUNK]
        out[start : start + CHUNK] = (block[:, None, :] > block[:, :, None]).sum(axis=2) + 1
    return out


def draw_groups(loaded: Loaded, values: FloatArray) -> tuple[tuple[Band, ...], IntArray]:
    """The group (index into the framework's bands, -1 for none) of every unit in every draw
    of ``values`` [draws, units] on the value the framework groups on."""
    fw = loaded.framework
    bands = group_bands(fw)
    which = np.full(values.shape, -1, dtype=np.int64)
    if fw.groups is None:
        return bands, which
    rounded = round_half_up_array(values, fw.precision)
    if fw.groups.method == "bands":
        for k in reversed(range(len(bands))):
            band = bands[k]
            holds = np.ones(values.shape, dtype=bool)
            if band.min is not None:
                holds &= rounded >= band.min
            if band.below is not None:
                holds &= rounded < band.below
            which[holds] = k
        return bands, which
    # quartile_cuts (linear interpolation) for every draw at once
    p25, p50, p75 = (c[:, None] for c in np.percentile(rounded, [25, 50, 75], axis=1))
    which = np.select([rounded >= p75, rounded >= p50, rounded >= p25], [0, 1, 2], default=3)
    return bands, which.astype(np.int64)


def _on(loaded: Loaded, totals: FloatArray, columns: IntArray, what: str) -> FloatArray:
    """Totals turned into the value ranked or grouped on (index or total)."""
    if what == "total":
        return totals
    out: FloatArray = totals / loaded.results.total_max[columns] * 100.0
    return out


def weighted_totals(loaded: Loaded, factors: FloatArray, columns: IntArray) -> FloatArray:
    """Each unit's total [draws, units] with the top-level weights multiplied by ``factors``
    [draws, top-level nodes]; factors of 1 give the framework's own total."""
    results = loaded.results
    plan = results.plan
    agg = results.aggregates
    root = plan.nodes[plan.root]
    tops = np.asarray(root.children)
    v = agg.values[tops][:, columns]
    m = agg.maxima[tops][:, columns]
    a = agg.applicable[tops][:, columns].astype(np.float64)
    base = root.weights if root.aggregation == "weighted_mean" else np.ones(len(tops))
    lam = factors * base[None, :]  # [draws, nodes]
    if root.aggregation in ("mean", "weighted_mean"):
        num = lam @ (a * v)
        den = lam @ a
        out: FloatArray = num / den
        return out
    scale = (a * m).sum(axis=0)
    share: FloatArray = (lam @ (a * v)) / (lam @ (a * m)) * scale
    return share


def rank_uncertainty(
    loaded: Loaded,
    draws: int = 10_000,
    seed: int | None = None,
    weights_vary: float | None = None,
    total_se: FloatArray | None = None,
) -> RankUncertainty:
    """The simulation described in the module's docstring, over the ranked units; ``total_se``
    (per unit, NaN for none) replaces the file's totals' standard errors where it has one
    (:func:`chiso.analysis.leaf_errors.total_se_from_leaves` derives them)."""
    results = loaded.results
    fw = results.framework
    columns = np.flatnonzero(results.rank > 0).astype(np.int64)
    rng = np.random.default_rng(seed)
    total = results.total[columns]
    errors = (
        results.total_se
        if total_se is None
        else np.where(np.isnan(results.total_se), total_se, results.total_se)
    )
    se = np.nan_to_num(errors[columns], nan=0.0)
    n = len(columns)
    totals = total[None, :] + se[None, :] * rng.standard_normal((draws, n))
    ranks = draw_ranks(_on(loaded, totals, columns, fw.rank_by), fw.precision)
    group_on = fw.groups.on if fw.groups else fw.rank_by
    bands, which = draw_groups(loaded, _on(loaded, totals, columns, group_on))
    low = np.percentile(ranks, 5, axis=0, method="lower")
    high = np.percentile(ranks, 95, axis=0, method="higher")
    p_first = (ranks == 1).mean(axis=0)
    ranked_now = results.rank[columns]
    order = sorted(range(n), key=lambda i: (ranked_now[i], results.units[columns[i]]))
    values = _on(loaded, totals, columns, fw.rank_by)
    above: dict[int, float] = {}
    below: dict[int, float] = {}
    for pos, i in enumerate(order):
        if pos > 0:
            above[i] = float((values[:, i] > values[:, order[pos - 1]]).mean())
        if pos + 1 < n:
            below[i] = float((values[:, i] > values[:, order[pos + 1]]).mean())
    w_low = w_high = w_shift = None
    least: list[str] = []
    if weights_vary is not None and n:
        k = len(results.plan.nodes[results.plan.root].children)
        spread = weights_vary / 100.0
        factors = rng.uniform(1.0 - spread, 1.0 + spread, size=(draws, k))
        w_totals = weighted_totals(loaded, factors, columns)
        w_ranks = draw_ranks(_on(loaded, w_totals, columns, fw.rank_by), fw.precision)
        w_low = np.percentile(w_ranks, 5, axis=0, method="lower")
        w_high = np.percentile(w_ranks, 95, axis=0, method="higher")
        w_shift = np.abs(w_ranks - ranked_now[None, :]).mean(axis=0)
        worst = sorted(range(n), key=lambda i: (-w_shift[i], ranked_now[i]))
        least = [results.units[columns[i]] for i in worst[:5] if w_shift[i] > 0]
    units = []
    for i in order:
        units.append(
            UnitUncertainty(
                unit=results.units[columns[i]],
                rank=int(ranked_now[i]),
                rank_low=int(low[i]),
                rank_high=int(high[i]),
                p_first=float(p_first[i]),
                p_group={b.code: float((which[:, i] == k).mean()) for k, b in enumerate(bands)},
                p_ahead_above=above.get(i),
                p_ahead_below=below.get(i),
                se=float(se[i]) if se[i] > 0 else None,
                weight_rank_low=None if w_low is None else int(w_low[i]),
                weight_rank_high=None if w_high is None else int(w_high[i]),
                weight_shift=None if w_shift is None else float(w_shift[i]),
            )
        )
    return RankUncertainty(draws, seed, bands, units, weights_vary, least, bool((se > 0).any()))
