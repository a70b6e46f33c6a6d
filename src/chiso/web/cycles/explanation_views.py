"""The explanation loop's pages: a unit's cuts with the appraiser's reasons, its answers and
the appraiser's re-examination, and the unit's score before and after."""

from __future__ import annotations

import math

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.http import require_POST, require_safe

from chiso.numbers import format_number
from chiso.web.core import feedback
from chiso.web.core.frameworks import framework_of
from chiso.web.cycles import evidence as evidence_files
from chiso.web.cycles import explanations, forms, policy
from chiso.web.cycles.models import Evidence, Explanation, LeafScore, ScoreSheet

OUTCOMES = {
    Explanation.PENDING: gettext_noop("Chờ xem xét"),
    Explanation.RESTORED: gettext_noop("Khôi phục toàn bộ"),
    Explanation.PARTLY: gettext_noop("Khôi phục một phần"),
    Explanation.KEPT: gettext_noop("Giữ nguyên điểm trừ"),
}


def _number(value: float | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return format_number(value, feedback.lang(), 2)


@login_required
@require_safe
def sheet_explanations(request: HttpRequest, pk: int) -> HttpResponse:
    sheet: ScoreSheet = get_object_or_404(
        policy.visible_sheets(request.user).select_related("cycle", "unit"), pk=pk
    )
    lang = feedback.lang()
    fw = framework_of(sheet.cycle)
    evidence: dict[int, list[Evidence]] = {}
    for e in Evidence.objects.filter(leaf__sheet=sheet).order_by("id"):
        evidence.setdefault(e.leaf_id, []).append(e)
    rows = []
    for leaf in explanations.cut_leaves(sheet):
        node = fw.node(leaf.code)
        explanation: Explanation | None = getattr(leaf, "explanation", None)
        rows.append(
            {
                "leaf": leaf,
                "code": leaf.code,
                "name": node.name_in(lang),
                "max": _number(node.max),
                "claimed": _number(leaf.self_points),
                "appraised": _number(
                    explanation.points_before if explanation else leaf.appraised_points
                ),
                "now": _number(leaf.appraised_points),
                "reason": explanation.cut_reason if explanation else leaf.appraisal_reason,
                "explanation": explanation,
                "outcome": gettext(OUTCOMES[explanation.outcome]) if explanation else "",
                "evidence": evidence.get(leaf.pk, []),
            }
        )
    scores = explanations.before_and_after(sheet)
    user = request.user
    return render(
        request,
        "cycles/explanations.html",
        {
            "sheet": sheet,
            "rows": rows,
            "can_explain": policy.can_explain(user, sheet),
            # the unit's officer after the deadline is told the window has closed
            "explanation_closed": policy.explanation_closed_for(user, sheet),
            "can_review": policy.can_review_explanation(user, sheet),
            "total_before": _number(scores.total_before),
            "total_after": _number(scores.total_after),
            "index_before": _number(scores.index_before),
            "index_after": _number(scores.index_after),
        },
    )


def _back(leaf: LeafScore) -> str:
    return reverse("cycles:sheet-explanations", args=[leaf.sheet_id]) + f"#leaf-{leaf.pk}"


@login_required
@require_POST
def leaf_explain(request: HttpRequest, pk: int) -> HttpResponse:
    leaf = get_object_or_404(
        policy.visible_leaves(request.user).select_related("sheet__cycle", "sheet__unit"), pk=pk
    )
    form = forms.ExplainForm(request.POST)
    files = forms.FileForm(request.POST, request.FILES)
    upload = files.cleaned_data["file"] if files.is_valid() else None

    def action() -> None:
        if not form.is_valid():
            raise form.problem()
        with transaction.atomic():
            explanations.explain(request.user, leaf, form.cleaned_data["text"])
            if upload is not None:
                evidence_files.add_evidence(request.user, leaf, upload)

    return feedback.perform(request, action, _back(leaf))


@login_required
@require_POST
def explanation_review(request: HttpRequest, pk: int) -> HttpResponse:
    explanation = get_object_or_404(
        Explanation.objects.select_related("leaf__sheet__cycle").filter(
            leaf__sheet__in=policy.visible_sheets(request.user)
        ),
        pk=pk,
    )
    form = forms.ReviewForm(request.POST)

    def action() -> None:
        if not form.is_valid():
            raise form.problem()
        explanations.review(
            request.user, explanation, form.cleaned_data["points"], form.cleaned_data["reason"]
        )

    return feedback.perform(request, action, _back(explanation.leaf))
