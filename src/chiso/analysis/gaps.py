"""Where a unit lost its points: every node's points against its maximum, the best unit's and
the mean, and the change since the previous cycle.

Hà Nội's plan 192/KH-UBND asks the Department of Home Affairs, "for every criterion below its
maximum", to analyse the loss and plan the remedy: this table is that analysis's first page.
Rows are grouped by domain (the domains that lost most first); inside a domain the leaves come
first, the most points lost first, then the criteria above them, then the domain itself, so the
things a unit can act on lead.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from chiso.analysis.loaded import Loaded
from chiso.tables.results_reading import read_document

TOLERANCE = 1e-9


@dataclass(frozen=True)
class Gap:
    """One node of one unit. ``points`` and ``max`` are None where the node does not apply to
    the unit (it is then not in the table) or has no value."""

    code: str
    domain: str
    is_leaf: bool
    depth: int
    points: float | None
    max: float | None
    lost: float | None
    best: float | None
    best_units: tuple[str, ...]
    mean: float | None
    previous: float | None
    change: float | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "node": self.code,
            "domain": self.domain,
            "leaf": self.is_leaf,
            "points": self.points,
            "max": self.max,
            "lost": self.lost,
            "best": self.best,
            "best_units": list(self.best_units),
            "mean": self.mean,
            "previous": self.previous,
            "change": self.change,
        }


def _num(x: float) -> float | None:
    return None if math.isnan(x) else float(x)


def previous_points(path: str, unit: str) -> dict[str, float | None]:
    """The unit's points per node code in an earlier results file (empty if it is not there:
    a unit formed since has no change to show)."""
    found = read_document(path).find(unit)
    if found is None:
        return {}
    return {c: found.point(c) for c in found.points}


def unit_gaps(
    loaded: Loaded,
    unit: str,
    previous: dict[str, float | None] | None = None,
    *,
    domains_only: bool = False,
) -> list[Gap]:
    """Every applicable node of ``unit``, in the order described in the module's docstring;
    with ``domains_only``, the domains' rows alone (:func:`domain_gaps` of all of them, for a
    tenth of the work: the public profile shows only these, for every unit).

    The best and the mean are over the units for which the node applies and has a value; the
    best units are all those equal to the best (ties)."""
    results = loaded.results
    plan = results.plan
    u = loaded.unit_index(unit)
    agg = results.aggregates
    values, maxima, applicable = agg.values, agg.maxima, agg.applicable
    fw = results.framework
    domain_of: dict[str, str] = {}
    depth_of: dict[str, int] = {}
    for top in fw.nodes:
        for node in top.walk():
            domain_of[node.code] = top.code
            depth_of[node.code] = len(plan.above(node.code)) - 1
    rows: list[Gap] = []
    for node in fw.nodes if domains_only else fw.walk():
        j = plan.positions[node.code]
        if not applicable[j, u]:
            continue
        others = applicable[j] & ~np.isnan(values[j])
        row_values = values[j, others]
        names = [results.units[k] for k in np.flatnonzero(others)]
        best = float(row_values.max()) if len(row_values) else math.nan
        best_units = tuple(
            n for n, v in zip(names, row_values, strict=True) if abs(v - best) <= TOLERANCE
        )
        points = _num(values[j, u])
        highest = _num(maxima[j, u])
        lost = None if points is None or highest is None else max(0.0, highest - points)
        before = (previous or {}).get(node.code)
        rows.append(
            Gap(
                code=node.code,
                domain=domain_of[node.code],
                is_leaf=node.is_leaf,
                depth=depth_of[node.code],
                points=points,
                max=highest,
                lost=lost,
                best=_num(best),
                best_units=best_units,
                mean=float(row_values.mean()) if len(row_values) else None,
                previous=before,
                change=None if points is None or before is None else points - before,
            )
        )
    return sort_gaps(rows, plan.preorder)


def sort_gaps(rows: list[Gap], preorder: dict[str, int]) -> list[Gap]:
    """Domains by points lost (most first); inside one, leaves by points lost, then the
    criteria between, then the domain's own row; ties in the official order."""

    def lost(g: Gap) -> float:
        return -(g.lost or 0.0)

    domain_lost = {g.code: lost(g) for g in rows if g.code == g.domain}
    return sorted(
        rows,
        key=lambda g: (
            domain_lost.get(g.domain, 0.0),
            preorder[g.domain],
            0 if g.is_leaf else (2 if g.code == g.domain else 1),
            lost(g),
            preorder[g.code],
        ),
    )


def domain_gaps(rows: list[Gap]) -> list[Gap]:
    """The domains' rows only (the public profile's table)."""
    return [g for g in rows if g.code == g.domain]
