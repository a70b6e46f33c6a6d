"""What a correction (đính chính) changed: the units whose published figures differ between
two revisions of a cycle's results, field by field. Every revision stays public; the portal
shows these changes beside it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

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


def changes(old: dict[str, Any], new: dict[str, Any], precision: int = 2) -> list[Change]:
    """Every published figure that differs between the ``old`` and ``new`` results documents,
    in the new document's unit order (values compared as published, at ``precision``); a unit
    present in one revision only shows as changed from or to nothing."""
    before = {u["unit"]: u for u in old.get("units", [])}
    after = {u["unit"]: u for u in new.get("units", [])}
    order = [u["unit"] for u in new.get("units", [])] + [u for u in before if u not in after]
    out: list[Change] = []
    for unit in order:
        a, b = before.get(unit, {}), after.get(unit, {})
        for name in FIELDS:
            x, y = _rounded(a.get(name), precision), _rounded(b.get(name), precision)
            if x != y:
                out.append(Change(unit, name, a.get(name), b.get(name)))
    return out
