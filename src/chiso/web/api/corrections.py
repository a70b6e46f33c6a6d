"""After publication: a correction (đính chính) of a leaf's points with its reason, "assessed,
not ranked", and every published revision with its decision and the changes per unit it
made, as the cycle's page and the portal's revisions page show them. The changes come from
:func:`chiso.scoring.revisions.changes`, the revisions from
:func:`chiso.web.cycles.publications.revisions` (published cycles only, for everyone)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from chiso.problems import Kind, Refusal
from chiso.reports.decision import decision_line, decision_of
from chiso.scoring.document import ResultsDocument
from chiso.scoring.revisions import changes
from chiso.web.api.core import PUBLIC, SIGNED_IN, Page, answers, object_id, writer
from chiso.web.api.sheets import LeafOut, _leaf_out, _sheet
from chiso.web.core import feedback, limits
from chiso.web.core.frameworks import framework_of
from chiso.web.core.refusals import forbidden, found_or_404
from chiso.web.cycles import policy, workflow
from chiso.web.cycles.models import LeafScore
from chiso.web.cycles.publications import document
from chiso.web.cycles.publications import revisions as published_revisions

router = Router(tags=["corrections"])


class CorrectionIn(Schema):
    sheet: int = limits.ID.schema(description="the unit's sheet in this cycle")
    code: str = limits.NODE_CODE.schema(description="the leaf's code")
    points: float = Field(allow_inf_nan=False)
    reason: str = limits.REASON.schema()


class RankedIn(Schema):
    ranked: bool
    reason: str = limits.REASON.schema("", description="needed once published")


class RankedOut(Schema):
    sheet: int
    cycle: int
    unit: str
    ranked: bool


class DecisionOut(Schema):
    number: str
    date: date | None
    body: str


class ChangeOut(Schema):
    """A published figure a correction changed (``old`` null: the unit was not in the
    revision before); groups by their code."""

    unit: str
    field: str = Field(description="total, index, rank, group or status")
    old: Any
    new: Any


class RevisionOut(Schema):
    cycle: int
    revision: int
    created_at: datetime
    sha256: str
    replaces_sha256: str | None
    reason: str
    decision: DecisionOut | None
    decision_line: str = Field(description="the decision as the portal prints it")
    changes: list[ChangeOut] = Field(description="against the revision before (none for 1)")


@router.post("/cycles/{cycle_id}/corrections", response=answers(LeafOut), auth=SIGNED_IN)
def correction(request: HttpRequest, body: CorrectionIn, cycle_id: int = object_id()) -> LeafOut:
    """Correct a leaf of a published cycle with a reason (the chair); the public sees it once
    a new revision is published (``POST /cycles/{cycle_id}/publish`` with its reason)."""
    user = writer(request)
    cycle = found_or_404(policy.visible_cycles(user), "cycle_id", pk=cycle_id)
    if not policy.can_correct(user, cycle):
        raise forbidden()
    code = body.code.strip()
    leaf = (
        LeafScore.objects.select_related("sheet__cycle")
        .filter(sheet__cycle=cycle, sheet_id=body.sheet, code=code)
        .first()
    )
    if leaf is None:
        raise Refusal("cycle.unknown_node", Kind.INVALID, "code", node=code)
    return _leaf_out(workflow.correct_leaf(user, leaf, body.points, body.reason))


@router.post("/sheets/{sheet_id}/ranked", response=answers(RankedOut), auth=SIGNED_IN)
def ranked(request: HttpRequest, body: RankedIn, sheet_id: int = object_id()) -> RankedOut:
    """Mark the unit "assessed, not ranked" in its cycle (``ranked`` false), or ranked again:
    it keeps its scores and group but takes no rank (administrators and the chair)."""
    user = writer(request)
    sheet = workflow.set_ranked(user, _sheet(request, sheet_id), body.ranked, body.reason)
    return RankedOut(
        sheet=sheet.pk, cycle=sheet.cycle_id, unit=sheet.unit.name, ranked=sheet.ranked
    )


@router.get("/cycles/{cycle_id}/revisions", response=answers(list[RevisionOut]), auth=PUBLIC)
@paginate(Page)
def revisions(request: HttpRequest, cycle_id: int = object_id()) -> Any:
    """Every revision of a published cycle, newest first, each with its decision, reason,
    SHA-256 (and that of the revision it replaces) and the changes per unit it made."""
    found = published_revisions(cycle_id)
    precision = framework_of(found[0].cycle).precision
    lang = feedback.lang()
    out: list[RevisionOut] = []
    previous: ResultsDocument | None = None
    for publication in found:
        doc = document(publication)
        decision = decision_of(doc)
        out.append(
            RevisionOut(
                cycle=publication.cycle_id,
                revision=publication.revision,
                created_at=publication.created_at,
                sha256=publication.sha256,
                replaces_sha256=publication.replaces_sha256 or None,
                reason=publication.reason,
                decision=DecisionOut(
                    number=decision.number,
                    date=date.fromisoformat(decision.date) if decision.date else None,
                    body=decision.body or "",
                )
                if decision
                else None,
                decision_line=decision_line(decision, lang),
                changes=[
                    ChangeOut(unit=c.unit, field=c.field, old=c.old, new=c.new)
                    for c in (changes(previous, doc, precision) if previous is not None else [])
                ],
            )
        )
        previous = doc
    return list(reversed(out))
