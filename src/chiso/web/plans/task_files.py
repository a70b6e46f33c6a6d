"""Files showing a task done: stored, checked and served by the rules of the sheets' evidence
(:mod:`chiso.web.cycles.evidence`: a generated name outside any web root, the type read from
the content, served only as an attachment), under their own folder."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import FileResponse

from chiso.web.accounts import policy
from chiso.web.cycles.evidence import safe_original_name, sniff_type
from chiso.web.cycles.services import Forbidden, WorkflowError, audit
from chiso.web.plans.models import Task, TaskEvidence


def root() -> Path:
    return Path(settings.EVIDENCE_ROOT) / "plans"


def add_file(actor: Any, task: Task, upload: Any) -> TaskEvidence:
    if not policy.can_update_task(actor, task):
        raise Forbidden()
    if upload.size > settings.EVIDENCE_MAX_BYTES:
        raise WorkflowError("cycle.file_too_large", limit=settings.EVIDENCE_MAX_BYTES // 2**20)
    folder = root()
    folder.mkdir(parents=True, exist_ok=True)
    stored = uuid.uuid4().hex
    target = folder / stored
    with open(target, "wb") as fh:
        for chunk in upload.chunks():
            fh.write(chunk)
    with open(target, "rb") as fh:
        head = fh.read(16)
    content_type = sniff_type(head, target)
    if content_type is None:
        target.unlink(missing_ok=True)
        raise WorkflowError("cycle.file_type")
    try:
        with transaction.atomic():
            evidence = TaskEvidence.objects.create(
                task=task,
                stored_name=stored,
                original_name=safe_original_name(upload.name),
                content_type=content_type,
                size=upload.size,
                uploaded_by=actor,
            )
            audit(actor, task.plan.cycle, task, "file", None, evidence.original_name)
    except Exception:
        target.unlink(missing_ok=True)
        raise
    return evidence


def serve(evidence: TaskEvidence) -> FileResponse:
    return FileResponse(
        (root() / evidence.stored_name).open("rb"),
        content_type=evidence.content_type,
        as_attachment=True,
        filename=evidence.original_name,
    )
