"""The monthly service index shown on the portal: from one month's stored indicator values
(numerator and denominator per data leaf) to the points and the index of the records-based
part of the framework, and the units' ranks.

Only leaves computed from records are in it (the central ones — procedures published on time,
feedback handled — come from other systems), so the index is the records-based share:
Σ points ÷ Σ maximum of the leaves that apply × 100, where a leaf's points follow its rule
(:func:`chiso.scoring.rules.points_for`, the one interpreter of rules; ``proportional``:
max × rate ÷ 100) and a leaf with nothing to count does not apply.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from chiso.frameworks.model import Framework
from chiso.records.compile import data_leaves


@dataclass(frozen=True)
class UnitMonth:
    unit: str
    points: float
    applicable_max: float
    rates: dict[str, float | None]

    @property
    def index(self) -> float | None:
        if self.applicable_max == 0:
            return None
        return 100.0 * self.points / self.applicable_max


def unit_month(framework: Framework, unit: str, counts: Mapping[str, tuple[int, int]]) -> UnitMonth:
    """``counts``: node → (numerator, denominator) of one unit in one month. A rate its leaf's
    rule cannot score (outside the rule's bands) leaves the leaf out, as not applicable."""
    from chiso.scoring.rules import RuleError, points_for

    points = 0.0
    applicable = 0.0
    rates: dict[str, float | None] = {}
    for leaf in data_leaves(framework):
        num, den = counts.get(leaf.code, (0, 0))
        rate = None if den == 0 else 100.0 * num / den
        rates[leaf.code] = rate
        if rate is None or leaf.max is None:
            continue
        try:
            points += points_for(leaf, rate)
        except RuleError:
            continue
        applicable += leaf.max
    return UnitMonth(unit, points, applicable, rates)


def ranked(framework: Framework, months: list[UnitMonth]) -> list[tuple[int | None, UnitMonth]]:
    """The units with their ranks (ties share a rank, at the framework's precision), best
    first, then the units without an index."""
    import numpy as np

    from chiso.scoring.ranking import competition_ranks, display_key

    values = np.array([m.index if m.index is not None else np.nan for m in months], dtype=float)
    eligible = ~np.isnan(values)
    ranks = competition_ranks(np.nan_to_num(values), eligible, framework.precision)
    out = [(int(r) if ok else None, m) for r, ok, m in zip(ranks, eligible, months, strict=True)]
    out.sort(key=lambda pair: display_key(pair[0], pair[1].unit))
    return out
