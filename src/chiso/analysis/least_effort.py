"""The least-effort choice of leaf improvements that adds a given number of points to a total.

The problem. Leaf i can rise by d_i points from where it is, for an effort e_i per point; the
total rises by a_i · d_i, where a_i is the leaf's weight in the total (1 under sums; 1/k under a
mean of k children; w/Σw under a weighted mean; max/Σmax under a share: the framework's
aggregation is linear in the leaves once applicability is fixed). Minimise Σ e_i d_i subject to
Σ a_i d_i ≥ G with d_i in D_i, where D_i is the interval [0, max_i − now_i] for a leaf scored in
points (or proportionally) and a finite set of steps for a yes/no, choice, bands or deduction
leaf (a yes/no leaf gives all its points or none).

The algorithm. With interval leaves only this is the continuous knapsack, and the greedy rule
is optimal: take leaves in decreasing gain per effort a_i/e_i, each as far as it goes, the last
one only as far as needed (Dantzig, 1957; an exchange argument: moving effort from a leaf of
better ratio to a worse one never gains). Steps make it a 0–1/bounded knapsack (NP-hard in
general); it is solved exactly by branch and bound on that greedy relaxation (the relaxation's
effort is a lower bound for every plan within its bounds; a leaf the greedy takes to a point
between two of its steps is branched into "at most the lower step" and "at least the upper
step"). The search stops after :data:`NODE_LIMIT` subproblems; the answer then says it is not
proven optimal and gives the lower bound, so the gap is known.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass

NODE_LIMIT = 200_000
EPS = 1e-9


@dataclass(frozen=True)
class Item:
    """A leaf that can rise: ``steps`` are the rises allowed (sorted, from 0), or ``None`` for
    any rise up to ``top``."""

    key: int
    gain: float  # a_i: points of the total per point of the leaf
    effort: float  # e_i: effort per point of the leaf
    top: float  # the largest rise (its maximum less its points)
    steps: tuple[float, ...] | None = None

    @property
    def ratio(self) -> float:
        return math.inf if self.effort <= 0 else self.gain / self.effort


@dataclass(frozen=True)
class Solution:
    rises: dict[int, float]  # key → rise in points (only those > 0)
    effort: float
    gain: float
    optimal: bool
    lower_bound: float
    explored: int


def _relax(
    items: list[Item], lo: list[float], hi: list[float], needed: float
) -> tuple[float, list[float], int | None] | None:
    """The greedy relaxation within bounds: (effort, rises, index of the fractional item or
    None); None when even every item at its upper bound falls short."""
    rises = list(lo)
    effort = sum(it.effort * x for it, x in zip(items, lo, strict=True))
    left = needed - sum(it.gain * x for it, x in zip(items, lo, strict=True))
    if left <= EPS:
        return effort, rises, None
    for i, it in enumerate(items):  # items are sorted by ratio, best first
        room = hi[i] - lo[i]
        if room <= 0:
            continue
        take = min(room, left / it.gain)
        rises[i] += take
        effort += it.effort * take
        left -= it.gain * take
        if left <= EPS:
            fractional = take < room - EPS
            return effort, rises, (i if fractional else None)
    return None


def _between(steps: tuple[float, ...], x: float) -> tuple[float, float] | None:
    """The two steps around ``x``, or None when ``x`` is a step."""
    k = bisect.bisect_left(steps, x - EPS)
    if k < len(steps) and abs(steps[k] - x) <= EPS:
        return None
    return steps[k - 1], steps[k]


def least_effort(items: list[Item], needed: float) -> Solution | None:
    """The plan of least effort adding at least ``needed`` to the total; None when no plan
    can (every item at its top still falls short). ``needed`` ≤ 0 needs nothing."""
    useful = sorted((it for it in items if it.gain > EPS and it.top > EPS), key=lambda i: -i.ratio)
    if needed <= EPS:
        return Solution({}, 0.0, 0.0, True, 0.0, 0)
    lo0 = [0.0] * len(useful)
    hi0 = [it.top for it in useful]
    root = _relax(useful, lo0, hi0, needed)
    if root is None:
        return None
    bound = root[0]
    best: tuple[float, list[float]] | None = None
    stack: list[tuple[list[float], list[float]]] = [(lo0, hi0)]
    explored = 0
    while stack:
        if explored >= NODE_LIMIT:
            break
        lo, hi = stack.pop()
        explored += 1
        relaxed = _relax(useful, lo, hi, needed)
        if relaxed is None:
            continue
        effort, rises, _ = relaxed
        if best is not None and effort >= best[0] - EPS:
            continue
        split = None
        for i, it in enumerate(useful):
            if it.steps is not None and rises[i] > lo[i] + EPS:
                around = _between(it.steps, rises[i])
                if around is not None:
                    split = (i, around)
                    break
        if split is None:
            best = (effort, rises)
            continue
        i, (below, above) = split
        down_hi = list(hi)
        down_hi[i] = below
        up_lo = list(lo)
        up_lo[i] = above
        stack.append((lo, down_hi))
        stack.append((up_lo, hi))  # explored first: the greedy wanted more of this leaf
    if best is None:  # no plan of steps reaches it (or none was found within the limit)
        return None
    effort, rises = best
    proven = not stack
    return Solution(
        rises={it.key: x for it, x in zip(useful, rises, strict=True) if x > EPS},
        effort=effort,
        gain=sum(it.gain * x for it, x in zip(useful, rises, strict=True)),
        optimal=proven,
        lower_bound=effort if proven else bound,
        explored=explored,
    )
