"""The kinds of assessed unit. One list, because a framework names the kinds it is written
for (its ``subjects``) and the administrator picks a kind when adding a unit: both must agree,
or a framework could be written for units nobody can create."""

from __future__ import annotations

UNIT_KINDS: tuple[str, ...] = ("province", "ministry", "department", "district", "commune")
