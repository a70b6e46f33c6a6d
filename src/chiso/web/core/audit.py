"""Writing the audit trail: every change of state any app makes is one entry, in the same
transaction as the change.

Since every change in a cycle comes here, this is also where a cycle learns that it changed:
after writing, :data:`written` is sent with the cycles whose trail grew and the entries (the
cycles app counts them in ``Cycle.revision``, and those its page shows in
``Cycle.page_revision``, under which its pages are cached), still inside the change's
transaction."""

from __future__ import annotations

from typing import Any

from django.dispatch import Signal

from chiso.web.core.models import AuditEntry

written = Signal()
"""Sent after entries are written, with ``cycle_ids``: the cycles (sorted, each once) whose
audit trail they join, and ``entries``: the entries themselves (what changed, in which cycle).
Receivers run in the writer's transaction."""


def entry(
    actor: Any, cycle: Any | None, obj: Any, field: str, old: Any, new: Any, reason: str = ""
) -> AuditEntry:
    """The entry :func:`audit` writes, not yet saved."""
    return AuditEntry(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        cycle=cycle,
        object_type=type(obj).__name__,
        object_id=str(obj.pk),
        field=field,
        old="" if old is None else str(old),
        new="" if new is None else str(new),
        reason=reason,
    )


def audit(
    actor: Any, cycle: Any | None, obj: Any, field: str, old: Any, new: Any, reason: str = ""
) -> None:
    """``actor`` changed ``field`` of ``obj`` (in ``cycle``, if any) from ``old`` to ``new``,
    for ``reason``; an anonymous actor is recorded as nobody."""
    made = entry(actor, cycle, obj, field, old, new, reason)
    made.save()
    if made.cycle_id is not None:
        written.send(AuditEntry, cycle_ids=[made.cycle_id], entries=[made])


def audit_all(entries: list[AuditEntry]) -> None:
    """Many changes made in one step (a file of a province's units, of a cycle's points): one
    entry each, written in one statement."""
    AuditEntry.objects.bulk_create(entries, batch_size=500)
    cycles = sorted({e.cycle_id for e in entries if e.cycle_id is not None})
    if cycles:
        written.send(AuditEntry, cycle_ids=cycles, entries=entries)
