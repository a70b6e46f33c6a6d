"""What a correction (đính chính) changed: the units whose published figures differ between
two revisions of a cycle's results, field by field. Every revision stays public; the portal
shows these changes beside it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chiso.scoring.document import ResultsDocument

FIELDS: tuple[str, ...] = ("total", "index", "rank", "group", "status")
"""The published figures of a unit that a correction may change."""


@dataclass(frozen=True)
class Change:
    unit: str
    field: str
    old: Any
    new: Any


def _rounded(value: Any, precision: int) -> Any:
    return round(value, precision) if isinstance(value, float) else value


def changes(old: ResultsDocument, new: ResultsDocument, precision: int = 2) -> list[Change]:
    """Every published figure that differs between the ``old`` and ``new`` results documents,
    in the new document's unit order (values compared as published, at ``precision``); a unit
    present in one revision only shows as changed from or to nothing."""
    before = old.by_name()
    after = new.by_name()
    order = [u.unit for u in new.units] + [u for u in before if u not in after]
    out: list[Change] = []
    for unit in order:
        a, b = before.get(unit), after.get(unit)
        for name in FIELDS:
            was = None if a is None else getattr(a, name)
            now = None if b is None else getattr(b, name)
            if _rounded(was, precision) != _rounded(now, precision):
                out.append(Change(unit, name, was, now))
    return out
