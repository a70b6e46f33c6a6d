"""Files showing a task done: stored, checked and served by the rules of the sheets' evidence
(:func:`chiso.web.cycles.evidence.stored_upload`: a generated name outside any web root, a
size cap, the type read from the content, a SHA-256, synced to disk, a full disk reported;
served only as an attachment named with its detected type), under their own folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import FileResponse

from chiso.web.core.audit import audit
from chiso.web.core.refusals import forbidden
from chiso.web.cycles.evidence import named_for_type, stored_upload
from chiso.web.plans import policy
from chiso.web.plans.models import Task, TaskEvidence


def root() -> Path:
    return Path(settings.EVIDENCE_ROOT) / "plans"


def stored_path(evidence: TaskEvidence) -> Path:
    """Where the file of ``evidence`` is kept."""
    return root() / evidence.stored_name


def add_file(actor: Any, task: Task, upload: Any) -> TaskEvidence:
    if not policy.can_update_task(actor, task):
        raise forbidden()
    with stored_upload(root(), upload) as kept, transaction.atomic():
        evidence = TaskEvidence.objects.create(
            task=task,
            stored_name=kept.stored_name,
            original_name=kept.original_name,
            content_type=kept.content_type,
            size=kept.size,
            sha256=kept.sha256,
            uploaded_by=actor,
        )
        audit(actor, task.plan.cycle, task, "file", None, evidence.original_name)
    return evidence


def serve(evidence: TaskEvidence) -> FileResponse:
    return FileResponse(
        stored_path(evidence).open("rb"),
        content_type=evidence.content_type,
        as_attachment=True,
        filename=named_for_type(evidence.original_name, evidence.content_type),
    )
