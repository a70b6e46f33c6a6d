"""The kinds of assessed unit. One list, because a framework names the kinds it is written
for (its ``subjects``) and the administrator picks a kind when adding a unit: both must agree,
or a framework could be written for units nobody can create."""

from __future__ import annotations

UNIT_KINDS: tuple[str, ...] = ("province", "ministry", "department", "district", "commune")

UNIT_KIND_NAMES: dict[str, str] = {
    "province": "Tỉnh, thành phố",
    "ministry": "Bộ, ngành",
    "department": "Sở, ban, ngành",
    "district": "Huyện, thị xã, thành phố thuộc tỉnh",
    "commune": "Xã, phường, đặc khu",
}
"""The name a reader sees for each kind: Vietnamese msgids of the library's catalogue,
translated where they are shown (this rung imports nothing)."""
