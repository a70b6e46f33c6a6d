"""Corrections after publication and "assessed, not ranked": the forms on a cycle's page.
A correction changes a leaf's points with a reason; the chair then publishes a new revision
with its own decision (``cycles:cycle-publish``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_POST

from chiso.problems import Refusal
from chiso.web.core import feedback
from chiso.web.core.refusals import forbidden
from chiso.web.cycles import forms, policy, workflow
from chiso.web.cycles.models import LeafScore, ScoreSheet


@login_required
@require_POST
def cycle_correct(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_object_or_404(policy.visible_cycles(request.user), pk=pk)
    form = forms.CorrectionForm(request.POST)

    def action() -> None:
        if not policy.can_correct(request.user, cycle):
            raise forbidden()
        if not form.is_valid():
            raise form.problem()
        data = form.cleaned_data
        leaf = LeafScore.objects.filter(
            sheet__cycle=cycle, sheet_id=data["sheet"], code=data["code"].strip()
        ).first()
        if leaf is None:
            raise Refusal("cycle.unknown_node", node=data["code"].strip())
        workflow.correct_leaf(request.user, leaf, data["points"], data["reason"])

    return feedback.perform(request, action, reverse("cycles:cycle", args=[pk]))


@login_required
@require_POST
def sheet_ranked(request: HttpRequest, pk: int) -> HttpResponse:
    sheet: ScoreSheet = get_object_or_404(
        policy.visible_sheets(request.user).select_related("cycle"), pk=pk
    )
    form = forms.RankedForm(request.POST)

    def action() -> None:
        if not form.is_valid():
            raise form.problem()
        workflow.set_ranked(
            request.user, sheet, form.cleaned_data["ranked"], form.cleaned_data["reason"]
        )

    return feedback.perform(request, action, reverse("cycles:cycle", args=[sheet.cycle_id]))
