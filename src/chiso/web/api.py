"""The JSON API under /api/ (OpenAPI at /api/openapi.json), with the same permissions as
the pages: it calls the same policy and services."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import NinjaAPI, Path, Schema
from ninja.errors import HttpError
from ninja.responses import Status
from ninja.security import django_auth
from pydantic import Field

from chiso.messages import render as render_message
from chiso.scoring.ranking import group_name
from chiso.web.accounts import policy
from chiso.web.cycles import feedback, services
from chiso.web.cycles.models import Cycle, LeafScore, Publication, ScoreSheet

MAX_ID = 2**62  # ids beyond what the databases store are not found, not a server error

api = NinjaAPI(title="chiso API", version="1", urls_namespace="api")  # session auth checks CSRF


class CycleOut(Schema):
    id: int
    name: str
    year: int
    framework: str
    state: str
    simulated: bool


class LeafOut(Schema):
    id: int
    code: str
    self_value: str
    self_points: float | None
    not_applicable: bool
    appraised_points: float | None
    appraisal_reason: str
    version: int


class SheetOut(Schema):
    id: int
    cycle: int
    unit: str
    state: str
    leaves: list[LeafOut]


class SelfScoreIn(Schema):
    value: str = Field(max_length=200)
    version: int = Field(ge=0, le=MAX_ID)


class AppraisalIn(Schema):
    points: float | None = Field(default=None, allow_inf_nan=False)
    reason: str = Field(default="", max_length=5000)
    version: int = Field(ge=0, le=MAX_ID)


class ErrorOut(Schema):
    rule: str
    message: str


def _cycle_out(c: Cycle) -> CycleOut:
    return CycleOut(
        id=c.pk,
        name=c.name,
        year=c.year,
        framework=c.framework_code,
        state=c.state,
        simulated=c.simulated,
    )


@api.get("/cycles", response=list[CycleOut])
def cycles(request: HttpRequest) -> list[CycleOut]:
    """Cycles the caller may see; the public sees published cycles."""
    return [_cycle_out(c) for c in policy.visible_cycles(request.user, published=True)]


@api.get("/cycles/{cycle_id}/results", response={200: dict[str, Any], 404: ErrorOut})
def results(request: HttpRequest, cycle_id: int = Path(..., ge=1, le=MAX_ID)) -> Any:  # type: ignore[type-arg]
    """The latest published results of a cycle (public)."""
    publication = Publication.objects.filter(cycle_id=cycle_id).order_by("-revision").first()
    if publication is None:
        return Status(404, ErrorOut(rule="not_found", message="not published"))
    doc: dict[str, Any] = json.loads(publication.content)
    doc["publication"] = {"revision": publication.revision, "sha256": publication.sha256}
    # a snapshot keeps each group's code; the API names it in the caller's language, for
    # snapshots of every version alike (older ones stored a Vietnamese name)
    framework = services.framework_of(publication.cycle)
    lang = feedback.lang()
    for unit in doc.get("units", []):
        unit["group_name"] = group_name(framework, unit.get("group"), lang) or None
    return doc


def _leaf_out(x: LeafScore) -> LeafOut:
    return LeafOut(
        id=x.pk,
        code=x.code,
        self_value=x.self_raw,
        self_points=x.self_points,
        not_applicable=x.self_na,
        appraised_points=x.appraised_points,
        appraisal_reason=x.appraisal_reason,
        version=x.version,
    )


def _sheet_out(sheet: ScoreSheet) -> SheetOut:
    return SheetOut(
        id=sheet.pk,
        cycle=sheet.cycle_id,
        unit=sheet.unit.name,
        state=sheet.state,
        leaves=[_leaf_out(x) for x in sheet.leaves.order_by("id")],
    )


@api.get("/sheets/{sheet_id}", response=SheetOut, auth=django_auth)
def sheet(request: HttpRequest, sheet_id: int = Path(..., ge=1, le=MAX_ID)) -> SheetOut:  # type: ignore[type-arg]
    obj = get_object_or_404(
        policy.visible_sheets(request.user).select_related("unit", "cycle"), pk=sheet_id
    )
    return _sheet_out(obj)


def _leaf(request: HttpRequest, leaf_id: int) -> LeafScore:
    return get_object_or_404(
        policy.visible_leaves(request.user).select_related("sheet__cycle", "sheet__unit"),
        pk=leaf_id,
    )


def _fail(err: services.WorkflowError) -> HttpError:
    return HttpError(err.status, render_message(err.rule, "en", **err.params))


@api.post("/leaves/{leaf_id}/self-score", response=LeafOut, auth=django_auth)
def self_score(
    request: HttpRequest,
    body: SelfScoreIn,
    leaf_id: int = Path(..., ge=1, le=MAX_ID),  # type: ignore[type-arg]
) -> LeafOut:
    try:
        x = services.save_self_score(
            request.user, _leaf(request, leaf_id), body.value, body.version
        )
    except services.WorkflowError as err:
        raise _fail(err) from None
    return _leaf_out(x)


@api.post("/leaves/{leaf_id}/appraisal", response=LeafOut, auth=django_auth)
def appraisal(
    request: HttpRequest,
    body: AppraisalIn,
    leaf_id: int = Path(..., ge=1, le=MAX_ID),  # type: ignore[type-arg]
) -> LeafOut:
    try:
        x = services.appraise(
            request.user, _leaf(request, leaf_id), body.points, body.reason, body.version
        )
    except services.WorkflowError as err:
        raise _fail(err) from None
    return _leaf_out(x)
