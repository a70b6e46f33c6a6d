"""Who may read a notice or change what they receive: its recipient, and nobody else (not an
administrator either: a notice may speak of a unit's cuts)."""

from __future__ import annotations

from typing import Any


def can_read_notice(user: Any, notice: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and notice.recipient_id == user.pk


def can_choose_kinds(user: Any) -> bool:
    """Anyone signed in chooses the kinds of notice they receive."""
    return bool(getattr(user, "is_authenticated", False))
