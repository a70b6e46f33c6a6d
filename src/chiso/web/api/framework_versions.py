"""A province's own frameworks: the versions an administrator uploaded (list, read, download
as YAML, Excel or Word) and the upload of a new version, as the administrator's page does it:
:func:`chiso.web.cycles.framework_uploads.upload_framework` checks the file by every rule and
reports every problem at once, and nothing is saved until the file is clean."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Path, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import Field

from chiso.tables.criteria_tables import TableMeta
from chiso.web.accounts.policy import can_manage
from chiso.web.api.core import SIGNED_IN, Page, answers, object_id, writer
from chiso.web.core import limits
from chiso.web.core.refusals import forbidden, found_or_404, too_large
from chiso.web.cycles import framework_uploads
from chiso.web.cycles.models import FrameworkVersion

router = Router(tags=["framework versions"])

FORMAT_PATTERN = "^(yaml|xlsx|docx)$"
DOWNLOAD_SCHEMAS: dict[str, dict[str, str]] = {
    "yaml": {"type": "object"},
    "xlsx": {"type": "string", "format": "binary"},
    "docx": {"type": "string", "format": "binary"},
}


class FrameworkVersionOut(Schema):
    id: int
    code: str
    version: int
    name: str
    nodes: int
    complete: bool
    sha256: str
    file_name: str
    uploaded_by: str
    uploaded_at: datetime


class FrameworkVersionDetailOut(FrameworkVersionOut):
    yaml: str


class TableIn(Schema):
    """What a Word or Excel criteria table does not say (ignored for a YAML file)."""

    code: str = limits.FRAMEWORK_CODE.schema("")
    subject: list[str] = Field(default_factory=list, max_length=20)
    year: int | None = limits.YEAR.schema(None)
    legal_basis: str = limits.LEGAL_BASIS.schema("")


def _out(v: FrameworkVersion) -> dict[str, Any]:
    return {
        "id": v.pk,
        "code": v.code,
        "version": v.version,
        "name": v.name,
        "nodes": v.nodes,
        "complete": v.complete,
        "sha256": v.sha256,
        "file_name": v.file_name,
        "uploaded_by": v.uploaded_by.username,
        "uploaded_at": v.uploaded_at,
    }


def _manager(request: HttpRequest) -> Any:
    """The framework pages are the administrators'; so are these operations."""
    if not can_manage(request.user):
        raise forbidden()
    return request.user


def _version(request: HttpRequest, version_id: int) -> FrameworkVersion:
    _manager(request)
    found: FrameworkVersion = found_or_404(
        FrameworkVersion.objects.select_related("uploaded_by"), "version_id", pk=version_id
    )
    return found


@router.get("/framework-versions", response=answers(list[FrameworkVersionOut]), auth=SIGNED_IN)
@paginate(Page)
def framework_versions(request: HttpRequest) -> Any:
    """Every uploaded version of every code, by code and version (administrators)."""
    _manager(request)
    found = FrameworkVersion.objects.select_related("uploaded_by").order_by("code", "version")
    return [_out(v) for v in found]


@router.post("/framework-versions", response=answers(FrameworkVersionOut, 201), auth=SIGNED_IN)
def framework_version_upload(
    request: HttpRequest, file: File[UploadedFile], table: Form[TableIn]
) -> Status:  # type: ignore[type-arg]
    """A new version of a province's framework from a YAML file, or from the Word (.docx) or
    Excel (.xlsx) criteria table of its decision with ``code``, ``subject``, ``year`` and
    ``legal_basis``. A file with problems answers 400 with every problem in ``problems``;
    the same file again is refused (``framework.unchanged``)."""
    user = writer(request)
    _manager(request)
    limit = settings.EVIDENCE_MAX_BYTES
    if file.size is not None and file.size > limit:
        raise too_large(limit // 2**20, "file")
    meta = None
    if table.code.strip() and table.subject and table.year:
        meta = TableMeta(
            code=table.code.strip(),
            subjects=tuple(table.subject),
            year=table.year,
            legal_basis=table.legal_basis.strip(),
        )
    name = (file.name or "framework.yaml").replace("\\", "/").rsplit("/", 1)[-1][:200]
    made = framework_uploads.upload_framework(user, name, file.read(limit + 1), meta)
    return Status(201, _out(made))


@router.get(
    "/framework-versions/{version_id}",
    response=answers(FrameworkVersionDetailOut),
    auth=SIGNED_IN,
)
def framework_version(request: HttpRequest, version_id: int = object_id()) -> Any:
    """One version with its checked YAML text."""
    found = _version(request, version_id)
    return {**_out(found), "yaml": found.yaml}


@router.get(
    "/framework-versions/{version_id}/{fmt}",
    response={200: None, **answers(None)},
    auth=SIGNED_IN,
    openapi_extra={
        "responses": {
            200: {
                "description": "the version as YAML, or as a criteria table in Excel or Word",
                "content": {
                    # the framework file (a YAML mapping), or a criteria table's file
                    ct.split(";")[0]: {"schema": DOWNLOAD_SCHEMAS[fmt]}
                    for fmt, ct in framework_uploads.FORMATS.items()
                },
            }
        }
    },
)
def framework_version_download(
    request: HttpRequest,
    version_id: int = object_id(),
    fmt: str = Path(..., pattern=FORMAT_PATTERN),  # type: ignore[type-arg]
) -> HttpResponse:
    """The version as ``yaml``, ``xlsx`` or ``docx``, as the administrator's page gives it."""
    found = _version(request, version_id)
    response = HttpResponse(
        framework_uploads.download(found, fmt), content_type=framework_uploads.FORMATS[fmt]
    )
    name = f"{found.code}-v{found.version}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
