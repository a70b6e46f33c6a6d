"""Writing the audit trail: every change of state any app makes is one entry, in the same
transaction as the change."""

from __future__ import annotations

from typing import Any

from chiso.web.core.models import AuditEntry


def audit(
    actor: Any, cycle: Any | None, obj: Any, field: str, old: Any, new: Any, reason: str = ""
) -> None:
    """``actor`` changed ``field`` of ``obj`` (in ``cycle``, if any) from ``old`` to ``new``,
    for ``reason``; an anonymous actor is recorded as nobody."""
    AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        cycle=cycle,
        object_type=type(obj).__name__,
        object_id=str(obj.pk),
        field=field,
        old="" if old is None else str(old),
        new="" if new is None else str(new),
        reason=reason,
    )
