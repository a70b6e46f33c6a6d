"""The audit trail: append-only, every app writes it (through :func:`.audit.audit`), and a
cycle's page reads the entries of that cycle.

It lived in the cycles app, whose table it keeps (``cycles_auditentry``): an existing database
only learns that the model moved (migrations ``cycles.0008`` and ``core.0001`` change Django's
state, not the tables). An entry names its cycle, if any, by the cycles app's label: a
reference Django resolves once every app is loaded, so no Python import goes up a layer."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


class AuditEntry(models.Model):
    """Append-only: who changed what, when, from what to what, and why."""

    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT)
    cycle = models.ForeignKey("cycles.Cycle", null=True, on_delete=models.PROTECT)
    object_type = models.CharField(max_length=32)
    object_id = models.CharField(max_length=64)
    field = models.CharField(max_length=64)
    old = models.TextField(blank=True)
    new = models.TextField(blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        db_table = "cycles_auditentry"
        ordering = ["at", "id"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("the audit trail is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("the audit trail is append-only")
