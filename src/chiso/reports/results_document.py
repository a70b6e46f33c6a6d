"""Questions the reports ask of a results document
(:class:`~chiso.scoring.document.ResultsDocument`: what ``chiso score --out`` writes and a
published snapshot keeps).

The charts, the PDF reports, the command line and the portal all read the same document, so
the questions they ask of it are answered here once: which entry is this unit (names compared
in NFC, the closest names suggested when there is none), which units are ranked, the mean and
the best of a domain over them, a unit's own maximum where parts of a domain do not apply to
it, and the cycle's label and year.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from chiso.frameworks.model import Node
from chiso.scoring.document import Point, ResultsDocument, UnitEntry, finite_number
from chiso.scoring.results import NOT_APPLICABLE
from chiso.vietnamese import fold

__all__ = [
    "DomainStats",
    "UnitNotFound",
    "applicable_maximum",
    "close_unit_names",
    "cycle_label",
    "domain_stats",
    "finite_number",
    "ranked_units",
    "unit_record",
]


class UnitNotFound(LookupError):
    """The unit is not in the results; ``suggestions`` are the closest names in it."""

    def __init__(self, unit: str, suggestions: list[str]) -> None:
        super().__init__(unit)
        self.unit = unit
        self.suggestions = suggestions


def close_unit_names(doc: ResultsDocument, unit: str, limit: int = 5) -> list[str]:
    """Names in the results closest to ``unit`` (accents and case ignored), best first."""
    names = doc.names
    folded: dict[str, list[str]] = {}
    for name in names:
        folded.setdefault(fold(name), []).append(name)
    wanted = fold(unit)
    found: list[str] = []
    for key in folded.get(wanted, []):
        found.append(key)
    for key in difflib.get_close_matches(wanted, list(folded), n=limit, cutoff=0.6):
        found += folded[key]
    if wanted:
        found += [n for n in names if wanted in fold(n)]
    return list(dict.fromkeys(found))[:limit]


def unit_record(doc: ResultsDocument, unit: str) -> UnitEntry:
    """The unit's entry in the results (names compared in NFC); :class:`UnitNotFound` with the
    closest names otherwise."""
    found = doc.find(unit)
    if found is None:
        raise UnitNotFound(unit, close_unit_names(doc, unit))
    return found


def ranked_units(doc: ResultsDocument) -> list[UnitEntry]:
    """The entries of the units that have a rank, in the document's order."""
    return doc.ranked


@dataclass(frozen=True)
class DomainStats:
    """A node's points across the ranked units: their mean, the best, and who has it (in
    the order of the ranking)."""

    mean: float | None
    best: float | None
    leaders: tuple[str, ...]


def domain_stats(ranked: Sequence[UnitEntry], code: str) -> DomainStats:
    """The mean and the best of node ``code`` over the ``ranked`` units (not applicable and
    missing points left out)."""
    numbers = [(v, u.unit) for u in ranked if (v := u.point(code)) is not None]
    best = max((v for v, _ in numbers), default=None)
    return DomainStats(
        sum(v for v, _ in numbers) / len(numbers) if numbers else None,
        best,
        tuple(n for v, n in numbers if v == best),
    )


def _not_applicable(node: Node, points: Mapping[str, Point]) -> float | None:
    """The maximum of the parts of ``node`` that do not apply (None when one is unknown or
    the parts are not summed)."""
    if node.aggregation != "sum":
        return 0.0
    total = 0.0
    for child in node.children:
        part = (
            child.max
            if points.get(child.code) == NOT_APPLICABLE
            else _not_applicable(child, points)
        )
        if part is None:
            return None
        total += part
    return total


def applicable_maximum(node: Node, points: Mapping[str, Point]) -> float | None:
    """The domain's maximum for the unit whose ``points`` these are, when parts that do not
    apply to it lower it (None otherwise)."""
    removed = _not_applicable(node, points)
    if node.max is None or not removed or points.get(node.code) == NOT_APPLICABLE:
        return None
    return max(node.max - removed, 0.0)


def cycle_label(doc: ResultsDocument, fallback: str = "") -> tuple[str, int | None]:
    """A cycle's label and year from a results document: a published snapshot carries
    ``cycle: {year, name}`` (open data its name); otherwise the fallback (a file name, say),
    whose first four-digit year (19xx or 20xx) is taken as the year."""
    cycle = doc.cycle
    if cycle is not None:
        if cycle.year is not None:
            return str(cycle.year), cycle.year
        if cycle.name:
            return cycle.name, _year_in(cycle.name)
    return fallback, _year_in(fallback)


def _year_in(text: str) -> int | None:
    found = re.search(r"(?<!\d)(19\d\d|20\d\d)(?!\d)", text)
    return int(found.group(1)) if found else None
