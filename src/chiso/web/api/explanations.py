"""The explanation loop (giải trình) after appraisal, as its pages run it: a sheet's cut
leaves with the appraiser's reasons and the unit's score before and after; the unit's
explanation of a cut, with an evidence file; the appraiser's answer restoring the points
(wholly or partly) or keeping the cut with a reason. Every step is
:mod:`chiso.web.cycles.explanations`, which asks the policy and writes the audit trail."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import Field

from chiso.web.api.core import SIGNED_IN, Page, answers, object_id, writer
from chiso.web.api.sheets import EvidenceOut, _evidence_out, _leaf, _sheet
from chiso.web.core import limits
from chiso.web.core.frameworks import framework_of
from chiso.web.core.refusals import found_or_404
from chiso.web.cycles import evidence as evidence_files
from chiso.web.cycles import explanations, policy
from chiso.web.cycles.models import Evidence, Explanation

router = Router(tags=["explanations"])


class ExplanationOut(Schema):
    id: int
    leaf: int
    code: str
    text: str
    author: str
    created_at: datetime
    points_before: float
    cut_reason: str
    outcome: str = Field(description="pending, restored, partly or kept")
    points_after: float | None
    review_reason: str
    reviewed_by: str | None
    reviewed_at: datetime | None


class CutOut(Schema):
    """A leaf the appraiser cut (or one already explained, restored or not)."""

    leaf: int
    code: str
    max: float | None
    claimed: float | None
    appraised: float | None = Field(description="the points the unit explained")
    now: float | None
    reason: str
    explanation: ExplanationOut | None
    evidence: list[EvidenceOut]


class ScoresOut(Schema):
    """The unit's total and index before the explanation loop and now (null: incomplete)."""

    sheet: int
    total_before: float | None
    total_after: float | None
    index_before: float | None
    index_after: float | None
    can_explain: bool
    window_open: bool
    can_review: bool


class ExplainIn(Schema):
    text: str = limits.MESSAGE.schema()


class ReviewIn(Schema):
    points: float | None = Field(
        default=None,
        allow_inf_nan=False,
        description="the points restored, up to what the unit claimed; null keeps the cut",
    )
    reason: str = limits.REASON.schema("")


def _finite(value: float | None) -> float | None:
    return None if value is None or math.isnan(value) else value


def _explanation_out(e: Explanation) -> ExplanationOut:
    return ExplanationOut(
        id=e.pk,
        leaf=e.leaf_id,
        code=e.leaf.code,
        text=e.text,
        author=e.author.username,
        created_at=e.created_at,
        points_before=e.points_before,
        cut_reason=e.cut_reason,
        outcome=e.outcome,
        points_after=e.points_after,
        review_reason=e.review_reason,
        reviewed_by=e.reviewed_by.username if e.reviewed_by else None,
        reviewed_at=e.reviewed_at,
    )


def _explanation(request: HttpRequest, explanation_id: int) -> Explanation:
    """An explanation on a sheet the caller may see, else 404 (as the review page)."""
    found: Explanation = found_or_404(
        Explanation.objects.select_related("leaf__sheet__cycle", "author", "reviewed_by").filter(
            leaf__sheet__in=policy.visible_sheets(request.user)
        ),
        "explanation_id",
        pk=explanation_id,
    )
    return found


@router.get("/sheets/{sheet_id}/explanations", response=answers(list[CutOut]), auth=SIGNED_IN)
@paginate(Page)
def sheet_explanations(request: HttpRequest, sheet_id: int = object_id()) -> Any:
    """The sheet's cuts in the framework's order, each with the appraiser's reason, the
    unit's explanation and its answer, and the leaf's evidence files."""
    sheet = _sheet(request, sheet_id)
    fw = framework_of(sheet.cycle)
    files: dict[int, list[EvidenceOut]] = {}
    for e in Evidence.objects.filter(leaf__sheet=sheet).select_related("uploaded_by"):
        files.setdefault(e.leaf_id, []).append(_evidence_out(e))
    out = []
    for leaf in explanations.cut_leaves(sheet):
        explained: Explanation | None = getattr(leaf, "explanation", None)
        out.append(
            CutOut(
                leaf=leaf.pk,
                code=leaf.code,
                max=fw.node(leaf.code).max,
                claimed=leaf.self_points,
                appraised=explained.points_before if explained else leaf.appraised_points,
                now=leaf.appraised_points,
                reason=explained.cut_reason if explained else leaf.appraisal_reason,
                explanation=_explanation_out(explained) if explained else None,
                evidence=files.get(leaf.pk, []),
            )
        )
    return out


@router.get("/sheets/{sheet_id}/explanation-scores", response=answers(ScoresOut), auth=SIGNED_IN)
def explanation_scores(request: HttpRequest, sheet_id: int = object_id()) -> ScoresOut:
    """The unit's score before the explanation loop and now, and what the caller may do."""
    sheet = _sheet(request, sheet_id)
    scores = explanations.before_and_after(sheet)
    return ScoresOut(
        sheet=sheet.pk,
        total_before=_finite(scores.total_before),
        total_after=_finite(scores.total_after),
        index_before=_finite(scores.index_before),
        index_after=_finite(scores.index_after),
        can_explain=policy.may_explain_now(request.user, sheet),
        window_open=policy.window_open(sheet.cycle, sheet.unit_id),
        can_review=policy.can_review_explanation(request.user, sheet),
    )


@router.get("/explanations/{explanation_id}", response=answers(ExplanationOut), auth=SIGNED_IN)
def explanation(request: HttpRequest, explanation_id: int = object_id()) -> ExplanationOut:
    return _explanation_out(_explanation(request, explanation_id))


@router.post("/leaves/{leaf_id}/explanation", response=answers(ExplanationOut, 201), auth=SIGNED_IN)
def explain(
    request: HttpRequest,
    body: Form[ExplainIn],
    file: File[UploadedFile | None] = None,
    leaf_id: int = object_id(),
) -> Status:  # type: ignore[type-arg]
    """The unit's explanation of a cut leaf (written again while it waits for its answer),
    with an evidence file if sent: both are saved, or neither."""
    user = writer(request)
    leaf = _leaf(request, leaf_id)
    with transaction.atomic():
        made = explanations.explain(user, leaf, body.text)
        if file is not None:
            evidence_files.add_evidence(user, leaf, file)
    return Status(201, _explanation_out(_explanation(request, made.pk)))


@router.post(
    "/explanations/{explanation_id}/review", response=answers(ExplanationOut), auth=SIGNED_IN
)
def review(
    request: HttpRequest, body: ReviewIn, explanation_id: int = object_id()
) -> ExplanationOut:
    """The appraiser's answer: ``points`` restores the leaf (up to what the unit claimed),
    null keeps the cut and needs a ``reason``; a partial restoration needs one too."""
    user = writer(request)
    found = _explanation(request, explanation_id)
    explanations.review(user, found, body.points, body.reason)
    return _explanation_out(_explanation(request, explanation_id))
