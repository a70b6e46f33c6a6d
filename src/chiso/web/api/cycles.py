"""Cycles: list, read, open, move through the workflow, publish; their sheets, audit trail,
points imported from a file, and every revision of their published results."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from ninja import File, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import Field

from chiso.frameworks import builtin_frameworks
from chiso.problems import Kind, Refusal
from chiso.scoring.document import from_json
from chiso.scoring.ranking import group_name
from chiso.tables.writing import published_json
from chiso.web.accounts.policy import can_manage
from chiso.web.api.core import PUBLIC, SIGNED_IN, Page, answers, object_id, writer
from chiso.web.core import feedback, limits, pagecache
from chiso.web.core.frameworks import framework_of
from chiso.web.core.kept import site_revision
from chiso.web.core.models import AuditEntry
from chiso.web.core.refusals import forbidden, found_or_404, not_found, too_large
from chiso.web.cycles import policy, workflow
from chiso.web.cycles.central_import import import_points
from chiso.web.cycles.models import Cycle, FrameworkVersion, Publication, ScoreSheet, Unit
from chiso.web.portal.state import State, state

router = Router(tags=["cycles"])


class CycleOut(Schema):
    id: int
    name: str
    year: int
    framework: str
    state: str
    simulated: bool
    units: int
    self_assessment_ends: date | None
    appraisal_ends: date | None
    explanation_ends: date | None


class CycleIn(Schema):
    name: str = limits.NAME.schema()
    year: int = limits.YEAR.schema()
    framework: str = limits.FRAMEWORK_CODE.schema(
        description="a built-in framework's code or an uploaded one's"
    )
    units: list[limits.IdNumber] = Field(min_length=1, max_length=1000)


class StateIn(Schema):
    to: str = Field(max_length=16)
    reason: str = limits.REASON.schema("")


class PublishIn(Schema):
    """A publication names the decision that issues it (a correction: its own decision and why)."""

    reason: str = limits.REASON.schema("")
    decision_number: str = limits.DECISION_NUMBER.schema("")
    decision_date: date | None = None
    decision_body: str = limits.DECISION_BODY.schema("")


class SheetSummaryOut(Schema):
    id: int
    cycle: int
    unit: str
    unit_code: str
    state: str


class AuditOut(Schema):
    id: int
    at: datetime
    actor: str | None
    object: str
    object_id: str
    field: str
    old: str
    new: str
    reason: str


class PublicationOut(Schema):
    cycle: int
    revision: int
    created_at: datetime
    sha256: str
    reason: str
    decision_number: str
    decision_date: date | None
    decision_body: str


class CountOut(Schema):
    saved: int


def _cycle_out(c: Cycle) -> CycleOut:
    return CycleOut(
        id=c.pk,
        name=c.name,
        year=c.year,
        framework=c.framework_code,
        state=c.state,
        simulated=c.simulated,
        units=c.unit_count if hasattr(c, "unit_count") else c.units.count(),
        self_assessment_ends=c.self_assessment_ends,
        appraisal_ends=c.appraisal_ends,
        explanation_ends=c.explanation_ends,
    )


def visible(request: HttpRequest, cycle_id: int) -> Cycle:
    """A cycle the caller may see (published ones for everyone), else 404."""
    cycle: Cycle = found_or_404(
        policy.visible_cycles(request.user, published=True), "cycle_id", pk=cycle_id
    )
    return cycle


@router.get("/cycles", response=answers(list[CycleOut]), auth=PUBLIC)
@paginate(Page)
def cycles(request: HttpRequest) -> Any:
    """Cycles the caller may see; the public sees published cycles."""
    found = policy.visible_cycles(request.user, published=True).annotate(unit_count=Count("units"))
    return [_cycle_out(c) for c in found.order_by("pk")]


@router.get("/cycles/{cycle_id}", response=answers(CycleOut), auth=PUBLIC)
def cycle(request: HttpRequest, cycle_id: int = object_id()) -> CycleOut:
    return _cycle_out(visible(request, cycle_id))


@router.post("/cycles", response=answers(CycleOut, 201), auth=SIGNED_IN)
def cycle_create(request: HttpRequest, body: CycleIn) -> Status:  # type: ignore[type-arg]
    """Open a cycle of a built-in framework, or of an uploaded one at its newest version,
    for some units (administrators)."""
    user = writer(request)
    if not can_manage(user):
        raise forbidden()
    uploaded = FrameworkVersion.objects.filter(code=body.framework).exists()
    if not uploaded and body.framework not in {fw.code for fw in builtin_frameworks()}:
        raise Refusal("framework.unknown", Kind.INVALID, "framework", code=body.framework)
    units = list(Unit.objects.filter(pk__in=body.units))
    if len(units) != len(set(body.units)):
        raise Refusal("cycle.no_units", Kind.INVALID, "units")
    made = workflow.create_cycle(user, body.name, body.year, body.framework, units)
    return Status(201, _cycle_out(made))


@router.post("/cycles/{cycle_id}/advance", response=answers(CycleOut), auth=SIGNED_IN)
def cycle_advance(request: HttpRequest, body: StateIn, cycle_id: int = object_id()) -> CycleOut:
    """Move the cycle to its next state (the workflow says who may)."""
    user = writer(request)
    found = visible(request, cycle_id)
    return _cycle_out(workflow.advance(user, found, body.to, body.reason))


@router.post("/cycles/{cycle_id}/publish", response=answers(PublicationOut), auth=SIGNED_IN)
def cycle_publish(
    request: HttpRequest, body: PublishIn, cycle_id: int = object_id()
) -> PublicationOut:
    """Publish the finalised results, or a corrected revision with its reason (the chair),
    under the decision that issues it (number, date and issuing body, all required)."""
    user = writer(request)
    found = visible(request, cycle_id)
    decision = workflow.Decision(
        number=body.decision_number, date=body.decision_date, body=body.decision_body
    )
    return _publication_out(workflow.publish(user, found, body.reason, decision))


@router.get("/cycles/{cycle_id}/sheets", response=answers(list[SheetSummaryOut]), auth=SIGNED_IN)
@paginate(Page)
def cycle_sheets(request: HttpRequest, cycle_id: int = object_id()) -> Any:
    found = visible(request, cycle_id)
    sheets: QuerySet[ScoreSheet] = (
        policy.visible_sheets(request.user)
        .filter(cycle=found)
        .select_related("unit")
        .order_by("unit__code")
    )
    return [
        SheetSummaryOut(
            id=s.pk, cycle=s.cycle_id, unit=s.unit.name, unit_code=s.unit.code, state=s.state
        )
        for s in sheets
    ]


@router.get("/cycles/{cycle_id}/audit", response=answers(list[AuditOut]), auth=SIGNED_IN)
@paginate(Page)
def cycle_audit(request: HttpRequest, cycle_id: int = object_id()) -> Any:
    """The cycle's audit trail, oldest first (administrators and the chair)."""
    found = visible(request, cycle_id)
    if not policy.can_read_audit(request.user, found):
        raise forbidden()
    entries = AuditEntry.objects.filter(cycle=found).select_related("actor").order_by("pk")
    return [
        AuditOut(
            id=e.pk,
            at=e.at,
            actor=e.actor.username if e.actor else None,
            object=e.object_type,
            object_id=e.object_id,
            field=e.field,
            old=e.old,
            new=e.new,
            reason=e.reason,
        )
        for e in entries
    ]


@router.post("/cycles/{cycle_id}/points", response=answers(CountOut), auth=SIGNED_IN)
def cycle_points(
    request: HttpRequest, file: File[UploadedFile], cycle_id: int = object_id()
) -> CountOut:
    """Survey or centrally assessed points from a CSV or XLSX file (``unit, node, value[,
    se]``, as ``chiso survey estimate --points-out`` writes): all or nothing."""
    user = writer(request)
    found = visible(request, cycle_id)
    if file.size is not None and file.size > 20 * 1024 * 1024:
        raise too_large(20, "file")
    count = import_points(user, found, file.read(), file.name or "points.csv")
    return CountOut(saved=count)


def _publication_out(p: Publication) -> PublicationOut:
    return PublicationOut(
        cycle=p.cycle_id,
        revision=p.revision,
        created_at=p.created_at,
        sha256=p.sha256,
        reason=p.reason,
        decision_number=p.decision_number,
        decision_date=p.decision_date,
        decision_body=p.decision_body,
    )


def _publications(request: HttpRequest, cycle_id: int) -> QuerySet[Publication]:
    found = visible(request, cycle_id)
    return Publication.objects.filter(Q(cycle=found)).order_by("revision")


@router.get("/cycles/{cycle_id}/publications", response=answers(list[PublicationOut]), auth=PUBLIC)
@paginate(Page)
def publications(request: HttpRequest, cycle_id: int = object_id()) -> Any:
    """Every revision of the cycle's published results, first to last."""
    return [_publication_out(p) for p in _publications(request, cycle_id)]


def _document(publication: Publication) -> dict[str, Any]:
    """The snapshot as the API answers with it: the document as published (keys sorted, as
    the snapshot keeps them), its publication as the API describes one, and each group named
    in the caller's language."""
    doc = published_json(from_json(json.loads(publication.content), publication.sha256))
    doc["publication"] = {
        "revision": publication.revision,
        "sha256": publication.sha256,
        "created_at": publication.created_at.isoformat(),
        "reason": publication.reason,
    }
    # a snapshot keeps each group's code; the API names it in the caller's language, for
    # snapshots of every version alike (older ones stored a Vietnamese name)
    framework = framework_of(publication.cycle)
    lang = feedback.lang()
    for unit in doc["units"]:
        unit["group_name"] = group_name(framework, unit["group"], lang) or None
    return doc


@router.get(
    "/cycles/{cycle_id}/publications/{revision}",
    response=answers(dict[str, Any]),
    auth=PUBLIC,
)
def publication(
    request: HttpRequest, cycle_id: int = object_id(), revision: int = object_id()
) -> dict[str, Any]:
    """One revision of the published results, as it was published (with its SHA-256)."""
    return _document(found_or_404(_publications(request, cycle_id), "revision", revision=revision))


@router.get("/cycles/{cycle_id}/results", response=answers(dict[str, Any]), auth=PUBLIC)
def results(request: HttpRequest, cycle_id: int = object_id()) -> HttpResponse:
    """The latest published results of a cycle (public)."""
    # the answer's key is read in one fixed query; the publication itself (and its snapshot)
    # only when the answer is not kept yet
    try:
        found = state(cycle_id)
    except Http404:
        raise not_found("cycle_id") from None
    return _document_answer(request, found)


def _document_answer(request: HttpRequest, found: State) -> HttpResponse:
    """:func:`_document` as the API's JSON answer, rendered once per publication and language
    and kept in the public pages' cache (a publication never changes: its key names its
    SHA-256, and the code that renders it): reading the snapshot, checking it as a results
    document and rendering it again for every request cost 8 ms of CPU for 63 units, the
    cached answer well under 1 ms. The bytes are the ones the API's renderer makes from the
    document, so nothing a client reads changes."""
    from ninja.renderers import JSONRenderer

    lang = feedback.lang()
    key = pagecache.key("api-document", found.publication, found.sha256, lang, site_revision())
    body = pagecache.get_or_make(
        key,
        lambda: pagecache.Made(
            JSONRenderer().render(request, _document(found.read()), response_status=200)
        ),
    )
    return HttpResponse(
        body.value, content_type=f"{JSONRenderer.media_type}; charset={JSONRenderer.charset}"
    )
