"""Units to choose from, grouped as a reform office thinks of them: the departments first, then
ministries, provinces and districts, then the communes by their type (phường, xã, đặc khu, the
word their official name starts with: :data:`chiso.units.communes.COMMUNE_TYPES`); inside a
group, names in Vietnamese order (:func:`chiso.vietnamese.sort_key`).

The forms that choose many units at once (opening a cycle, granting a role) show one fieldset
per group with its name as the legend (``cycles/unit_choices.html``); every group's name comes
from the catalogue, never a code, and each unit is labelled by its name (its code beside it
only when two units share the name)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext, pgettext

from chiso.units.kinds import UNIT_KIND_NAMES
from chiso.vietnamese import sort_key
from chiso.web.cycles.models import Unit

KIND_ORDER = ("department", "ministry", "province", "district", "commune")
"""The order of the kinds' groups: the departments first (what most forms choose)."""

COMMUNE_GROUPS = (("phường", "wards"), ("xã", "communes"), ("đặc khu", "special-zones"))
"""The types of commune-level unit, each its own group, in this order, with the group's key
(part of the page's ids, never shown)."""


def _commune_type_names() -> dict[str, str]:
    return {
        "phường": pgettext("unit group", "Phường"),
        "xã": pgettext("unit group", "Xã"),
        "đặc khu": pgettext("unit group", "Đặc khu"),
    }


@dataclass(frozen=True)
class UnitChoice:
    """A unit as a checkbox shows it: its name, and its code beside it when another unit has
    the same name (a department of the old structure and of the new one), so the two can be
    told apart."""

    pk: int
    name: str
    code: str
    twin: bool


@dataclass
class UnitGroup:
    """A group of units: ``key`` names it in the page's ids, ``name`` is its legend."""

    key: str
    name: str
    units: list[UnitChoice] = field(default_factory=list)


def _commune_type(name: str) -> str | None:
    folded = name.casefold()
    for word, _ in COMMUNE_GROUPS:
        if folded.startswith(word + " "):
            return word
    return None


def unit_groups(units: Iterable[Unit]) -> list[UnitGroup]:
    """``units`` in their groups (only the groups that have some), each in Vietnamese order."""
    keys: dict[str, tuple[int, str]] = {}
    for n, kind in enumerate(KIND_ORDER):
        keys[kind] = (2 * n, kind)
    commune_rank = 2 * KIND_ORDER.index("commune") - 1  # the typed communes before the rest
    for word, key in COMMUNE_GROUPS:
        keys[word] = (commune_rank, key)
    units = list(units)
    names = Counter(unit.name for unit in units)
    found: dict[str, list[Unit]] = {}
    for unit in units:
        group = _commune_type(unit.name) if unit.kind == "commune" else None
        found.setdefault(group or unit.kind, []).append(unit)
    typed = _commune_type_names()
    groups: list[tuple[tuple[int, int, str], UnitGroup]] = []
    for group, members in found.items():
        if group in typed:
            rank, key = keys[group]
            order = (rank, [w for w, _ in COMMUNE_GROUPS].index(group), key)
            name = typed[group]
        else:
            rank, key = keys.get(group, (2 * len(KIND_ORDER), group))
            order = (rank, 0, key)
            kind_name = UNIT_KIND_NAMES.get(group)
            name = gettext(kind_name) if kind_name else gettext("Đơn vị khác")
        members.sort(key=lambda u: (sort_key(u.name), u.code))
        choices = [UnitChoice(u.pk, u.name, u.code, names[u.name] > 1) for u in members]
        groups.append((order, UnitGroup(f"kind-{key}", name, choices)))
    return [g for _, g in sorted(groups, key=lambda item: item[0])]
