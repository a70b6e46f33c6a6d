"""Sheets and their leaves: read, self-assess, submit, appraise, enter central points; the
leaves' explanation messages and evidence files (upload, list, download)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import FileResponse, HttpRequest
from ninja import File, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import Field

from chiso.web.api.core import (
    SIGNED_IN,
    Page,
    answers,
    file_answer,
    object_id,
    writer,
)
from chiso.web.core import limits
from chiso.web.core.refusals import found_or_404, not_found
from chiso.web.cycles import evidence as evidence_files
from chiso.web.cycles import lookups, policy, scores
from chiso.web.cycles.models import Evidence, LeafScore, Message, ScoreSheet

router = Router(tags=["sheets"])


class LeafOut(Schema):
    id: int
    sheet: int
    code: str
    self_value: str
    self_points: float | None
    not_applicable: bool
    appraised_points: float | None
    appraised_not_applicable: bool
    appraisal_reason: str
    version: int


class SheetOut(Schema):
    id: int
    cycle: int
    unit: str
    unit_code: str
    state: str
    revision: int
    leaves: list[LeafOut]


class SelfScoreIn(Schema):
    value: str = limits.VALUE.schema()
    version: int = limits.VERSION.schema()


class AppraisalIn(Schema):
    points: float | None = Field(default=None, allow_inf_nan=False)
    # the appraiser finds (or confirms) the criterion not applicable: points are then ignored
    not_applicable: bool = False
    reason: str = limits.REASON.schema("")
    version: int = limits.VERSION.schema()


class CentralIn(Schema):
    points: float = Field(allow_inf_nan=False)
    reason: str = limits.REASON.schema("")
    version: int = limits.VERSION.schema()


class MessageIn(Schema):
    text: str = limits.MESSAGE.schema()


class MessageOut(Schema):
    id: int
    leaf: int
    kind: str
    author: str
    text: str
    created_at: datetime


class EvidenceOut(Schema):
    id: int
    leaf: int
    name: str
    content_type: str
    size: int
    uploaded_by: str
    uploaded_at: datetime


def _leaf_out(x: LeafScore) -> LeafOut:
    return LeafOut(
        id=x.pk,
        sheet=x.sheet_id,
        code=x.code,
        self_value=x.self_raw,
        self_points=x.self_points,
        not_applicable=x.self_na,
        appraised_points=x.appraised_points,
        appraised_not_applicable=x.appraised_na,
        appraisal_reason=x.appraisal_reason,
        version=x.version,
    )


def _sheet_out(sheet: ScoreSheet) -> SheetOut:
    return SheetOut(
        id=sheet.pk,
        cycle=sheet.cycle_id,
        unit=sheet.unit.name,
        unit_code=sheet.unit.code,
        state=sheet.state,
        revision=sheet.revision,
        leaves=[_leaf_out(x) for x in sheet.leaves.order_by("id")],
    )


def _sheet(request: HttpRequest, sheet_id: int) -> ScoreSheet:
    return found_or_404(
        policy.visible_sheets(request.user).select_related("unit", "cycle"),
        "sheet_id",
        pk=sheet_id,
    )


def _leaf(request: HttpRequest, leaf_id: int) -> LeafScore:
    """The leaf, with its sheet, cycle and unit, if the reader may see its sheet (404
    otherwise): looked up by its id in one query (:func:`chiso.web.cycles.lookups
    .leaf_with_sheet`) and asked of the policy (``can_view_sheet``, which agrees with
    ``visible_sheets`` and so with ``visible_leaves``) rather than found in the scoped query
    built from every role."""
    found = lookups.leaf_with_sheet(leaf_id)
    if found is None or not policy.can_view_sheet(request.user, found.sheet):
        raise not_found("leaf_id")
    return found


@router.get("/sheets/{sheet_id}", response=answers(SheetOut), auth=SIGNED_IN)
def sheet(request: HttpRequest, sheet_id: int = object_id()) -> SheetOut:
    return _sheet_out(_sheet(request, sheet_id))


@router.post("/sheets/{sheet_id}/submit", response=answers(SheetOut), auth=SIGNED_IN)
def sheet_submit(request: HttpRequest, sheet_id: int = object_id()) -> SheetOut:
    """Submit (lock) the unit's sheet."""
    user = writer(request)
    found = _sheet(request, sheet_id)
    scores.submit_sheet(user, found)
    return _sheet_out(_sheet(request, sheet_id))


@router.get("/leaves/{leaf_id}", response=answers(LeafOut), auth=SIGNED_IN)
def leaf(request: HttpRequest, leaf_id: int = object_id()) -> LeafOut:
    return _leaf_out(_leaf(request, leaf_id))


@router.post("/leaves/{leaf_id}/self-score", response=answers(LeafOut), auth=SIGNED_IN)
def self_score(request: HttpRequest, body: SelfScoreIn, leaf_id: int = object_id()) -> LeafOut:
    """The unit's own value for a leaf, checked by the leaf's rule (``version`` as read)."""
    user = writer(request)
    x = scores.save_self_score(user, _leaf(request, leaf_id), body.value, body.version)
    return _leaf_out(x)


@router.post("/leaves/{leaf_id}/appraisal", response=answers(LeafOut), auth=SIGNED_IN)
def appraisal(request: HttpRequest, body: AppraisalIn, leaf_id: int = object_id()) -> LeafOut:
    """The appraiser's points, with a reason for every cut (``points`` null accepts)."""
    user = writer(request)
    leaf = _leaf(request, leaf_id)
    x = scores.appraise(user, leaf, body.points, body.reason, body.version, na=body.not_applicable)
    return _leaf_out(x)


@router.post("/leaves/{leaf_id}/central-points", response=answers(LeafOut), auth=SIGNED_IN)
def central_points(request: HttpRequest, body: CentralIn, leaf_id: int = object_id()) -> LeafOut:
    """Points of a centrally assessed or survey-sourced leaf (administrators)."""
    user = writer(request)
    x = scores.enter_central_points(
        user, _leaf(request, leaf_id), body.points, body.reason, body.version
    )
    return _leaf_out(x)


def _message_out(m: Message) -> MessageOut:
    return MessageOut(
        id=m.pk,
        leaf=m.leaf_id,
        kind=m.kind,
        author=m.author.username,
        text=m.text,
        created_at=m.created_at,
    )


@router.get("/leaves/{leaf_id}/messages", response=answers(list[MessageOut]), auth=SIGNED_IN)
@paginate(Page)
def messages(request: HttpRequest, leaf_id: int = object_id()) -> Any:
    """The leaf's explanation thread: requests and answers, oldest first."""
    found = _leaf(request, leaf_id)
    return [
        _message_out(m)
        for m in Message.objects.filter(leaf=found).select_related("author").order_by("pk")
    ]


@router.post("/leaves/{leaf_id}/messages", response=answers(MessageOut, 201), auth=SIGNED_IN)
def message_add(request: HttpRequest, body: MessageIn, leaf_id: int = object_id()) -> Status:  # type: ignore[type-arg]
    """A request for an explanation (appraisers) or an answer (the unit's officers)."""
    user = writer(request)
    made = scores.add_message(user, _leaf(request, leaf_id), body.text)
    return Status(201, _message_out(made))


def _evidence_out(e: Evidence) -> EvidenceOut:
    return EvidenceOut(
        id=e.pk,
        leaf=e.leaf_id,
        name=e.original_name,
        content_type=e.content_type,
        size=e.size,
        uploaded_by=e.uploaded_by.username,
        uploaded_at=e.uploaded_at,
    )


@router.get("/leaves/{leaf_id}/evidence", response=answers(list[EvidenceOut]), auth=SIGNED_IN)
@paginate(Page)
def evidence_list(request: HttpRequest, leaf_id: int = object_id()) -> Any:
    found = _leaf(request, leaf_id)
    return [
        _evidence_out(e)
        for e in Evidence.objects.filter(leaf=found).select_related("uploaded_by").order_by("pk")
    ]


@router.post("/leaves/{leaf_id}/evidence", response=answers(EvidenceOut, 201), auth=SIGNED_IN)
def evidence_upload(
    request: HttpRequest, file: File[UploadedFile], leaf_id: int = object_id()
) -> Status:  # type: ignore[type-arg]
    """A PDF, PNG, JPEG, DOCX or XLSX file (checked by its content) for a leaf."""
    user = writer(request)
    made = evidence_files.add_evidence(user, _leaf(request, leaf_id), file)
    return Status(201, _evidence_out(made))


@router.get(
    "/evidence/{evidence_id}",
    response={200: None, **answers(None)},
    auth=SIGNED_IN,
    openapi_extra=file_answer("the file, as the type its content has"),
)
def evidence_download(request: HttpRequest, evidence_id: int = object_id()) -> FileResponse:
    return evidence_files.serve(
        found_or_404(policy.visible_evidence(request.user), "evidence_id", pk=evidence_id)
    )
