"""Evidence files: where they are kept, under what name, which types are accepted and how
they are served back.

An upload is written under a random name outside any web root, its type read from its first
bytes (never from its name or the browser's word), and served only as an attachment, so a
file can neither be reached by guessing nor run in the reader's browser."""

from __future__ import annotations

import errno
import hashlib
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import FileResponse

from chiso.office import UPLOAD
from chiso.office.archive import part_names
from chiso.problems import Kind, Refusal
from chiso.web.core.audit import audit
from chiso.web.core.refusals import forbidden
from chiso.web.cycles import policy
from chiso.web.cycles.models import Evidence, LeafScore
from chiso.web.cycles.scores import touch

ALLOWED_TYPES = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
}
EXTENSIONS = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
}
OFFICE = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def sniff_type(head: bytes, path: Any) -> str | None:
    """The file's type by its content, not its name: PDF, PNG, JPEG, DOCX or XLSX."""
    for content_type, magics in ALLOWED_TYPES.items():
        if any(head.startswith(m) for m in magics):
            return content_type
    if head.startswith(b"PK\x03\x04"):
        # through the office layer: a directory of 400,000 entries is refused unread
        names = part_names(path, UPLOAD)
        if names is None:
            return None
        if "[Content_Types].xml" in names:
            for prefix, content_type in OFFICE.items():
                if any(n.startswith(prefix) for n in names):
                    return content_type
    return None


def safe_original_name(name: str) -> str:
    """The name shown to people: no directories, no control characters, at most 200 chars."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '<>:"|?*')
    return (base.strip(" .") or "tep")[:200]


def named_for_type(name: str, content_type: str) -> str:
    """``name`` with the extension of the type its content has (``anh.pdf`` holding a PNG is
    ``anh.png``), so a download opens in the program its content is for, whatever it was
    called when uploaded; ``.jpeg`` stays ``.jpeg``."""
    extension = EXTENSIONS[content_type]
    stem, dot, suffix = name.rpartition(".")
    if dot and stem:
        if "." + suffix.lower() == extension or (extension == ".jpg" and suffix.lower() == "jpeg"):
            return name
        name = stem
    return name[: 200 - len(extension)] + extension


def stored_path(evidence: Evidence) -> Path:
    """Where the file of ``evidence`` is kept: its generated name under the evidence root."""
    return Path(settings.EVIDENCE_ROOT) / evidence.stored_name


@dataclass(frozen=True)
class StoredUpload:
    """An upload kept on disk: its generated name, the name shown to people (with the
    extension of its detected type), that type, its size and its SHA-256."""

    path: Path
    stored_name: str
    original_name: str
    content_type: str
    size: int
    sha256: str


@contextmanager
def stored_upload(folder: Path, upload: Any) -> Iterator[StoredUpload]:
    """Keep ``upload`` in ``folder`` under a generated name, by the one set of rules of every
    file people upload (the sheets' evidence, the plans' task files): refused above
    ``EVIDENCE_MAX_BYTES`` before anything is written, hashed (SHA-256) while written, synced
    to disk, its type read from its content. A full disk is a message (507), not a traceback.

    The caller records the file in the body of the ``with``; if that raises, the file is
    removed, so there is never a file without its row nor a row without its file."""
    if upload.size > settings.EVIDENCE_MAX_BYTES:
        raise Refusal("cycle.file_too_large", limit=settings.EVIDENCE_MAX_BYTES // 2**20)
    folder.mkdir(parents=True, exist_ok=True)
    stored = uuid.uuid4().hex
    target = folder / stored
    digest = hashlib.sha256()
    try:
        with open(target, "wb") as fh:
            for chunk in upload.chunks():
                digest.update(chunk)
                fh.write(chunk)
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as exc:
        # a full disk (or a quota) while writing: nothing of the upload is kept
        target.unlink(missing_ok=True)
        if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
            raise Refusal("cycle.disk_full", Kind.NO_SPACE) from None
        raise
    with open(target, "rb") as fh:
        head = fh.read(16)
    content_type = sniff_type(head, target)
    if content_type is None:
        target.unlink(missing_ok=True)
        raise Refusal("cycle.file_type")
    try:
        yield StoredUpload(
            path=target,
            stored_name=stored,
            original_name=named_for_type(safe_original_name(upload.name), content_type),
            content_type=content_type,
            size=upload.size,
            sha256=digest.hexdigest(),
        )
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def add_evidence(actor: Any, leaf: LeafScore, upload: Any) -> Evidence:
    """Store an uploaded file under a generated name outside any web root, after checking its
    size and its type by content."""
    if not policy.can_add_evidence(actor, leaf):
        raise forbidden()
    with stored_upload(Path(settings.EVIDENCE_ROOT), upload) as kept, transaction.atomic():
        evidence = Evidence.objects.create(
            leaf=leaf,
            stored_name=kept.stored_name,
            original_name=kept.original_name,
            content_type=kept.content_type,
            size=kept.size,
            sha256=kept.sha256,
            uploaded_by=actor,
        )
        audit(actor, leaf.sheet.cycle, evidence, "evidence", None, evidence.original_name)
        touch(leaf.sheet_id)
    return evidence


def serve(evidence: Evidence) -> FileResponse:
    """The file as a download under its cleaned original name and its sniffed type (the
    caller has checked that the person may see the sheet)."""
    return FileResponse(
        stored_path(evidence).open("rb"),
        content_type=evidence.content_type,
        as_attachment=True,
        filename=named_for_type(evidence.original_name, evidence.content_type),
    )
