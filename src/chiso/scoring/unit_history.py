"""A unit's results across the published cycles of one index, and across the reorganisation
of the provinces on 1 July 2025.

The rules, written once and without a web framework so they can be read and tested as the
domain says them:

* a unit's series holds every published cycle of the same index (the frameworks of one index
  share the code before their last dash: ``par-province-2019``, ``par-province-2023``);
* a province of the 34 looking back at a cycle of the 63 gets its former provinces' published
  figures *as they were* and a re-based value that says so — never a silent average;
* a province of the 63 looking forward gets the new province it became part of (that
  province's figures, not its own);
* the change since the last cycle is read against the last earlier value, re-based or not;
  the change of a domain only where the criteria are the same (the same framework).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from chiso.scoring.document import Point, UnitEntry
from chiso.scoring.rebase import rebase_to_34
from chiso.units.provinces import era_of, successor_of

Kind = Literal["same", "parts", "successor"]


def index_of(framework_code: str) -> str:
    """The index a framework belongs to: its code without the last part (the edition)."""
    return framework_code.rsplit("-", 1)[0]


@dataclass(frozen=True)
class Published:
    """A published cycle as the series reads it: its units' rows (rank, index, points) by
    name. ``key`` is the caller's name for the cycle, carried through untouched."""

    key: Any
    year: int
    framework: str
    units: Mapping[str, UnitEntry]
    precision: int = 2

    @property
    def era(self) -> str | None:
        return era_of(self.units, self.year)


@dataclass(frozen=True)
class Part:
    """A former province inside a re-based value, with its figures as published."""

    unit: str
    value: float | None
    rank: int | None


@dataclass(frozen=True)
class Entry:
    """The unit (or what stands for it) in one cycle.

    ``kind``: "same" — the unit's own figures; "parts" — a re-based value from its former
    provinces (``parts``); "successor" — the new province it became part of (``successor``).
    """

    cycle: Published
    kind: Kind
    value: float | None
    rank: int | None
    parts: tuple[Part, ...] = ()
    successor: str | None = None

    @property
    def own_line(self) -> bool:
        """Whether the value belongs on the unit's own line (a successor's figures do not)."""
        return self.kind in ("same", "parts")


def series(unit: str, current: Published, cycles: Sequence[Published]) -> list[Entry]:
    """``unit`` of ``current`` in each of ``cycles`` (the published cycles of the same index,
    in order), as the rules above say; cycles with nothing to show are left out."""
    mine = current.era
    out: list[Entry] = []
    for cycle in cycles:
        entry = _entry(unit, mine, cycle)
        if entry is not None:
            out.append(entry)
    return out


def _entry(unit: str, my_era: str | None, cycle: Published) -> Entry | None:
    units = cycle.units
    era = cycle.era
    if my_era == "34" and era == "63":
        rebased = rebase_to_34({n: u.index for n, u in units.items()}, cycle.precision)
        found = next((r for r in rebased.units if r.unit == unit), None)
        if found is None:
            return None
        parts = tuple(
            Part(name, value, units[name].rank if name in units else None)
            for name, value in found.parts
        )
        return Entry(cycle, "parts", found.value, found.rank, parts=parts)
    if my_era == "63" and era == "34":
        successor = successor_of(unit)
        if successor is None or successor not in units:
            return None
        row = units[successor]
        return Entry(cycle, "successor", row.index, row.rank, successor=successor)
    if unit in units:
        return Entry(cycle, "same", units[unit].index, units[unit].rank)
    return None


@dataclass(frozen=True)
class Previous:
    """The unit's points per node in the last earlier cycle of the same criteria."""

    year: int
    points: Mapping[str, Point]


def previous_points(entries: Sequence[Entry], current: Published, unit: str) -> Previous | None:
    """The unit's own points in the last earlier cycle of the same framework: the change of a
    domain is only read where the criteria are the same."""
    earlier = [
        e
        for e in entries
        if e.kind == "same"
        and e.cycle.year < current.year
        and e.cycle.framework == current.framework
    ]
    if not earlier:
        return None
    last = earlier[-1].cycle
    return Previous(last.year, last.units[unit].points)


def points_change(now: Any, before: Any) -> float | None:
    """The change of a node's points; none where either is not a number (not applicable,
    missing)."""
    if isinstance(now, (int, float)) and isinstance(before, (int, float)):
        return float(now - before)
    return None


@dataclass(frozen=True)
class Change:
    """Since the last earlier cycle: the index's difference, the places gained (positive is
    up) and whether the earlier value was re-based."""

    difference: float
    places: int | None
    year: int
    rebased: bool


def change_since(
    entries: Sequence[Entry], year: int, index: float | None, rank: int | None
) -> Change | None:
    """The change of a unit's ``index`` and ``rank`` in ``year`` since the last earlier cycle
    of its own line: against a re-based value when that is all there is (and then marked)."""
    earlier = [e for e in entries if e.cycle.year < year and e.own_line]
    if not earlier or index is None:
        return None
    before = earlier[-1]
    if before.value is None:
        return None
    places = (before.rank - rank) if before.rank and rank else None
    return Change(index - before.value, places, before.cycle.year, before.kind == "parts")
