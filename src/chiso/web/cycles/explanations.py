"""The explanation loop (giải trình) after appraisal.

The unit sees every cut with the appraiser's reason and answers leaf by leaf, with evidence;
the appraiser re-examines each answer and restores the points (wholly or partly) or keeps the
cut with a reason; the council chair finalises only when every explanation has its answer.
Every step goes through here, asks the policy and writes the audit trail."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone

from chiso.problems import Refusal
from chiso.scoring import score
from chiso.web.accounts.policy import is_officer_of
from chiso.web.core.audit import audit
from chiso.web.core.frameworks import framework_of, plan_of
from chiso.web.core.models import AuditEntry
from chiso.web.core.refusals import forbidden
from chiso.web.cycles import policy
from chiso.web.cycles.models import Explanation, LeafScore, ScoreSheet
from chiso.web.cycles.scores import is_cut, touch, update_leaf
from chiso.web.cycles.windows import shown_day, window_of

_EPS = 1e-9


def cut_leaves(sheet: ScoreSheet) -> list[LeafScore]:
    """The sheet's cut leaves and the leaves already explained (a restored leaf is no longer
    cut but keeps its explanation), in the framework's order."""
    order = {code: i for i, code in enumerate(framework_of(sheet.cycle).codes)}
    leaves = [
        leaf
        for leaf in sheet.leaves.select_related("explanation").all()
        if is_cut(leaf) or hasattr(leaf, "explanation")
    ]
    return sorted(leaves, key=lambda leaf: order.get(leaf.code, len(order)))


@transaction.atomic
def explain(actor: Any, leaf: LeafScore, text: str) -> Explanation:
    """The unit's explanation of a cut (written again while it waits for its answer)."""
    leaf = LeafScore.objects.select_for_update().select_related("sheet__cycle").get(pk=leaf.pk)
    sheet = leaf.sheet
    cycle = sheet.cycle
    if not policy.can_explain(actor, sheet):
        # the policy decides; what follows only picks the message saying why not
        if policy.explanation_closed_for(actor, sheet):
            # the unit's own last day (an extension it was granted counts)
            window = window_of(cycle, sheet.unit_id)
            ends = window.ends if window is not None else cycle.explanation_ends
            raise Refusal("explanation.closed", date=shown_day(ends) if ends else "")
        if is_officer_of(actor, sheet.unit_id):
            raise Refusal("explanation.not_open")
        raise forbidden()
    text = text.strip()
    if not text:
        raise Refusal("cycle.empty_message")
    existing = Explanation.objects.filter(leaf=leaf).first()
    if existing is None:
        if not is_cut(leaf):
            raise Refusal("explanation.not_cut", node=leaf.code)
        assert leaf.appraised_points is not None
        explanation = Explanation.objects.create(
            leaf=leaf,
            text=text,
            author=actor,
            points_before=leaf.appraised_points,
            cut_reason=leaf.appraisal_reason,
        )
        audit(actor, cycle, explanation, "explanation", None, text)
    else:
        if existing.answered:
            raise Refusal("explanation.answered", node=leaf.code)
        old = existing.text
        existing.text = text
        existing.save(update_fields=["text"])
        explanation = existing
        audit(actor, cycle, explanation, "explanation", old, text)
    touch(sheet.pk)
    return explanation


@transaction.atomic
def review(actor: Any, explanation: Explanation, points: float | None, reason: str) -> Explanation:
    """The appraiser's answer: ``points`` restores the leaf to that many points (up to what
    the unit claimed); ``None`` keeps the cut, which needs a reason."""
    explanation = (
        Explanation.objects.select_for_update()
        .select_related("leaf__sheet__cycle")
        .get(pk=explanation.pk)
    )
    leaf = explanation.leaf
    sheet = leaf.sheet
    if not policy.can_review_explanation(actor, sheet):
        raise forbidden()
    if explanation.answered:
        raise Refusal("explanation.answered", node=leaf.code)
    reason = reason.strip()
    claimed = leaf.self_points if leaf.self_points is not None else explanation.points_before
    if points is None or abs(points - explanation.points_before) <= _EPS:
        if not reason:
            raise Refusal("cycle.reason_required")
        outcome, points = Explanation.KEPT, explanation.points_before
    else:
        if points < explanation.points_before - _EPS or points > claimed + _EPS:
            raise Refusal(
                "explanation.bad_points",
                value=f"{points:g}",
                low=f"{explanation.points_before:g}",
                high=f"{claimed:g}",
            )
        outcome = Explanation.RESTORED if points >= claimed - _EPS else Explanation.PARTLY
        if outcome == Explanation.PARTLY and not reason:
            raise Refusal("cycle.reason_required")
        old = leaf.appraised_points
        update_leaf(
            actor,
            leaf,
            leaf.version,
            appraised_points=points,
            # the cut's reason gives way to the answer's (empty when restored in full); the
            # audit trail keeps both
            appraisal_reason=reason,
        )
        audit(actor, sheet.cycle, leaf, "appraised_points", old, points, reason)
    explanation.outcome = outcome
    explanation.points_after = points
    explanation.review_reason = reason
    explanation.reviewed_by = actor
    explanation.reviewed_at = timezone.now()
    explanation.save()
    audit(actor, sheet.cycle, explanation, "review", Explanation.PENDING, outcome, reason)
    touch(sheet.pk)
    return explanation


@dataclass(frozen=True)
class BeforeAfter:
    """The unit's total and index before the explanation loop and now (NaN: incomplete)."""

    total_before: float
    total_after: float
    index_before: float
    index_after: float


def before_and_after(sheet: ScoreSheet) -> BeforeAfter:
    """Scored by the library twice: with the explained leaves at the points they had when
    explained, and as they stand. A leaf corrected after publication that nobody explained
    counts before the loop with the points it had before its first correction: a correction
    is not part of what the unit had before it explained."""
    fw = framework_of(sheet.cycle)
    plan = plan_of(sheet.cycle)
    given = np.full((plan.size, 2), np.nan)
    na = np.zeros((plan.size, 2), dtype=bool)
    leaves = list(sheet.leaves.select_related("explanation").all())
    uncorrected: dict[str, str] = {}
    for entry in AuditEntry.objects.filter(
        object_type="LeafScore",
        field="correction",
        object_id__in=[str(leaf.pk) for leaf in leaves],
    ).order_by("at", "id"):
        uncorrected.setdefault(entry.object_id, entry.old)
    for leaf in leaves:
        j = plan.positions.get(leaf.code)
        if j is None:
            continue
        if leaf.final_na:
            na[j, :] = True
            continue
        now = leaf.final_points
        explained = getattr(leaf, "explanation", None)
        if explained is not None:
            before: float | None = explained.points_before
        elif str(leaf.pk) in uncorrected:
            old = uncorrected[str(leaf.pk)]
            before = float(old) if old else None
        else:
            before = now
        given[j, 0] = np.nan if before is None else before
        given[j, 1] = np.nan if now is None else now
    results = score(fw, ["before", "after"], given, na, np.ones(2, dtype=bool), plan)
    return BeforeAfter(
        float(results.total[0]),
        float(results.total[1]),
        float(results.index[0]),
        float(results.index[1]),
    )
