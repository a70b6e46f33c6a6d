"""Year-on-year comparison of two results tables.

Works on results as published (a results file from ``chiso score`` or any table with the same
columns), not on the inputs: last year's results may come from last year's framework.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from chiso.scoring.ranking import display_key
from chiso.vietnamese import sort_key


@dataclass(frozen=True)
class UnitResult:
    unit: str
    points: dict[str, float | None]
    total: float | None
    index: float | None
    rank: int | None


@dataclass(frozen=True)
class ResultTable:
    file: str
    units: dict[str, UnitResult]
    codes: list[str] = field(default_factory=list)

    @property
    def domains(self) -> list[str]:
        return [c for c in self.codes if "." not in c]


@dataclass(frozen=True)
class Change:
    unit: str
    domains: dict[str, float | None]  # change in points per domain
    total: float | None
    index: float | None
    rank_before: int | None
    rank_after: int | None

    @property
    def places(self) -> int | None:
        """Places gained (positive) or lost (negative)."""
        if self.rank_before is None or self.rank_after is None:
            return None
        return self.rank_before - self.rank_after


@dataclass(frozen=True)
class Comparison:
    domains: list[str]
    changes: list[Change]
    appeared: list[str]
    disappeared: list[str]


def _diff(after: float | None, before: float | None) -> float | None:
    if after is None or before is None:
        return None
    return after - before


def compare(previous: ResultTable, current: ResultTable) -> Comparison:
    """Changes for the units in both tables, domain by domain (domains in both), in the current
    table's rank order; and the units that appeared or disappeared."""
    domains = [c for c in current.domains if c in set(previous.domains)]
    changes: list[Change] = []
    for name, after in current.units.items():
        before = previous.units.get(name)
        if before is None:
            continue
        changes.append(
            Change(
                unit=name,
                domains={d: _diff(after.points.get(d), before.points.get(d)) for d in domains},
                total=_diff(after.total, before.total),
                index=_diff(after.index, before.index),
                rank_before=before.rank,
                rank_after=after.rank,
            )
        )
    changes.sort(key=lambda c: display_key(c.rank_after, c.unit))
    appeared = sorted((u for u in current.units if u not in previous.units), key=sort_key)
    disappeared = sorted((u for u in previous.units if u not in current.units), key=sort_key)
    return Comparison(domains, changes, appeared, disappeared)
