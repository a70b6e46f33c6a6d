"""Scoring a cycle: from values given per unit to totals, index, rank, group and status.

:func:`score` is the one entry point the command line, the web application and notebooks use;
:class:`Results` holds everything a results table, a summary or a comparison needs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt

from chiso.frameworks.model import Band, Framework
from chiso.numbers import round_half_up_array
from chiso.scoring.engine import Aggregates, aggregate, missing_codes
from chiso.scoring.plan import ScoringPlan, compile_plan
from chiso.scoring.ranking import assign_groups, competition_ranks, group_bands

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
Status = Literal["complete", "incomplete", "not ranked"]


@dataclass(frozen=True)
class Summary:
    units: int
    complete: int
    ranked: int
    mean: float | None
    highest: float | None
    highest_units: tuple[str, ...]
    lowest: float | None
    lowest_units: tuple[str, ...]
    per_group: dict[str, int] = field(default_factory=dict)
    on: str = "index"


@dataclass(frozen=True)
class Results:
    framework: Framework
    plan: ScoringPlan
    units: tuple[str, ...]
    aggregates: Aggregates
    total: FloatArray
    total_max: FloatArray
    index: FloatArray
    rank: npt.NDArray[np.int64]
    status: tuple[Status, ...]
    groups: tuple[Band | None, ...]
    missing: dict[int, list[str]]
    # [node, unit] in plan order: standard errors carried from survey estimates where the input
    # gave them with a value (NaN elsewhere); the root row is the total's (code "total"). The
    # engine never derives one: a node's error depends on how its parts covary, which only the
    # survey design knows (``chiso survey estimate --points-out`` computes it).
    se: FloatArray | None = None

    @property
    def total_se(self) -> FloatArray:
        """Each unit's standard error of the total, NaN where the input gave none."""
        if self.se is None:
            return np.full(len(self.units), np.nan)
        row: FloatArray = self.se[self.plan.root]
        return row

    @property
    def index_se(self) -> FloatArray:
        """Each unit's standard error of the index: the total's over the applicable maximum ×
        100, as the index is (the maximum is a constant of the framework, not an estimate)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            index_se: FloatArray = np.where(
                self.total_max > 0, self.total_se / self.total_max * 100.0, np.nan
            )
        return index_se

    def value(self, unit: str, code: str) -> float:
        """The points of node ``code`` (or ``"total"``) for ``unit``; NaN if missing."""
        row = self.aggregates.value_row(self.plan.positions.get(code, self.plan.root))
        return float(row[self.units.index(unit)])

    def is_applicable(self, unit: int, code: str) -> bool:
        return bool(self.aggregates.applicable_row(self.plan.positions[code])[unit])

    @property
    def ranking_values(self) -> FloatArray:
        return self.index if self.framework.rank_by == "index" else self.total

    def summary(self) -> Summary:
        """Count, mean, highest and lowest (with their units), count per group, over the ranked
        units, on the value the framework ranks by (the published convention: a ministries'
        mean is the plain mean of the ranked ministries' indices)."""
        ranked = self.rank > 0
        values = self.ranking_values
        per_group = {band.code: 0 for band in group_bands(self.framework)}
        for i, g in enumerate(self.groups):
            if g is not None and ranked[i]:
                per_group[g.code] = per_group.get(g.code, 0) + 1
        complete = sum(1 for s in self.status if s != "incomplete")
        if not ranked.any():
            return Summary(
                len(self.units),
                complete,
                0,
                None,
                None,
                (),
                None,
                (),
                per_group,
                self.framework.rank_by,
            )
        v = values[ranked]
        names = [u for u, r in zip(self.units, ranked, strict=True) if r]
        shown = round_half_up_array(v, self.framework.precision)  # ties as readers see them
        hi, lo = float(v.max()), float(v.min())
        top, bottom = shown.max(), shown.min()
        return Summary(
            units=len(self.units),
            complete=complete,
            ranked=int(ranked.sum()),
            mean=float(v.mean()),
            highest=hi,
            highest_units=tuple(n for n, x in zip(names, shown, strict=True) if x == top),
            lowest=lo,
            lowest_units=tuple(n for n, x in zip(names, shown, strict=True) if x == bottom),
            per_group=per_group,
            on=self.framework.rank_by,
        )


def score(
    framework: Framework,
    units: list[str] | tuple[str, ...],
    given: FloatArray,
    na: BoolArray | None = None,
    ranked: BoolArray | None = None,
    plan: ScoringPlan | None = None,
    se: FloatArray | None = None,
) -> Results:
    """Score every unit.

    ``given[node, unit]`` holds points in the plan's node order (NaN: not given) and ``na``
    marks nodes not applicable; ``ranked[unit]`` is False for units assessed but not ranked.
    ``se`` (same shape as ``given``, the root row for the total), when the values come from
    survey estimates, is kept with the results for uncertainty analysis (``total_se``,
    ``index_se``); it does not change any point.
    Build these from tables with :func:`chiso.tables.reading.read_scores`, or from codes with
    :func:`values_from_mapping`.
    """
    plan = plan or compile_plan(framework)
    n_units = len(units)
    if na is None:
        na = np.zeros(given.shape, dtype=bool)
    if ranked is None:
        ranked = np.ones(n_units, dtype=bool)
    agg = aggregate(plan, given, na)
    root = plan.root
    total = agg.value_row(root)
    total_max = agg.maxima_row(root)
    with np.errstate(invalid="ignore", divide="ignore"):
        index = np.where(total_max > 0, total / total_max * 100.0, np.nan)
    complete = ~agg.missing_row(root)
    values = index if framework.rank_by == "index" else total
    eligible = complete & ranked & ~np.isnan(values)
    ranks = competition_ranks(values, eligible, framework.precision)
    group_on = framework.groups.on if framework.groups else framework.rank_by
    group_values = index if group_on == "index" else total
    graded = complete & ~np.isnan(group_values)
    groups = assign_groups(framework, group_values, graded, eligible)
    status: list[Status] = []
    missing: dict[int, list[str]] = {}
    for u in range(n_units):
        if not complete[u]:
            status.append("incomplete")
            missing[u] = missing_codes(plan, agg, u)
        elif not ranked[u]:
            status.append("not ranked")
        else:
            status.append("complete")
    return Results(
        framework=framework,
        plan=plan,
        units=tuple(units),
        aggregates=agg,
        total=total,
        total_max=total_max,
        index=index,
        rank=ranks,
        status=tuple(status),
        groups=tuple(groups),
        missing=missing,
        se=se,
    )


NOT_APPLICABLE: Literal["NA"] = "NA"


def values_from_mapping(
    plan: ScoringPlan, data: dict[str, dict[str, float | str | None]]
) -> tuple[list[str], FloatArray, BoolArray]:
    """Arrays for :func:`score` from ``{unit: {code: points or "NA"}}`` (for notebooks/tests)."""
    units = list(data)
    given = np.full((plan.size, len(units)), np.nan)
    na = np.zeros((plan.size, len(units)), dtype=bool)
    for u, unit in enumerate(units):
        for code, value in data[unit].items():
            j = plan.positions[code]
            if value == NOT_APPLICABLE:
                na[j, u] = True
            elif value is not None:
                given[j, u] = float(value)
    return units, given, na
