"""Units: the departments, districts or provinces that are assessed."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import Field

from chiso.problems import Kind, Refusal
from chiso.units.kinds import UNIT_KINDS
from chiso.web.accounts.policy import can_manage
from chiso.web.api.core import SIGNED_IN, Page, answers, writer
from chiso.web.core import limits
from chiso.web.core.refusals import forbidden
from chiso.web.cycles import workflow
from chiso.web.cycles.models import Unit

router = Router(tags=["units"])


class UnitOut(Schema):
    id: int
    code: str
    name: str
    kind: str


class UnitIn(Schema):
    code: str = limits.UNIT_CODE.schema()
    name: str = limits.NAME.schema()
    kind: str = Field(description="one of " + ", ".join(UNIT_KINDS))


def _out(u: Unit) -> UnitOut:
    return UnitOut(id=u.pk, code=u.code, name=u.name, kind=u.kind)


@router.get("/units", response=answers(list[UnitOut]), auth=SIGNED_IN)
@paginate(Page)
def units(request: HttpRequest) -> Any:
    return [_out(u) for u in Unit.objects.order_by("code")]


@router.post("/units", response=answers(UnitOut, 201), auth=SIGNED_IN)
def unit_create(request: HttpRequest, body: UnitIn) -> Status:  # type: ignore[type-arg]
    """A new unit (administrators)."""
    user = writer(request)
    if not can_manage(user):
        raise forbidden()
    if body.kind not in UNIT_KINDS:
        raise Refusal("cycle.unit_incomplete", Kind.INVALID, "kind")
    return Status(201, _out(workflow.create_unit(user, body.code, body.name, body.kind)))
