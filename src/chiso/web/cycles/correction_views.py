"""Corrections after publication and "assessed, not ranked": the forms on a cycle's page.
A correction changes a leaf's points with a reason; the chair then publishes a new revision
with its own decision (``cycles:cycle-publish``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from chiso.numbers import format_number
from chiso.problems import Refusal
from chiso.web.core import feedback
from chiso.web.core.refusals import forbidden
from chiso.web.cycles import forms, policy, workflow
from chiso.web.cycles.confirmation import Question, perform_confirmed
from chiso.web.cycles.models import LeafScore, ScoreSheet


@login_required
@require_POST
def cycle_correct(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_object_or_404(policy.visible_cycles(request.user), pk=pk)
    form = forms.CorrectionForm(request.POST)
    back = reverse("cycles:cycle", args=[pk])

    def leaf_named() -> LeafScore:
        data = form.cleaned_data
        leaf = (
            LeafScore.objects.filter(
                sheet__cycle=cycle, sheet_id=data["sheet"], code=data["code"].strip()
            )
            .select_related("sheet__unit")
            .first()
        )
        if leaf is None:
            raise Refusal("cycle.unknown_node", node=data["code"].strip())
        return leaf

    def change(leaf: LeafScore) -> dict[str, str]:
        lang = feedback.lang()
        return {
            "code": leaf.code,
            "unit": leaf.sheet.unit.name,
            "old": format_number(leaf.final_points, lang, 2)
            if leaf.final_points is not None
            else "—",
            "new": format_number(form.cleaned_data["points"], lang, 2),
        }

    def action() -> str:
        if not policy.can_correct(request.user, cycle):
            raise forbidden()
        if not form.is_valid():
            raise form.problem()
        leaf = leaf_named()
        done = change(leaf)
        workflow.correct_leaf(
            request.user, leaf, form.cleaned_data["points"], form.cleaned_data["reason"]
        )
        return (
            gettext(
                "Đã đính chính tiêu chí %(code)s của %(unit)s: %(old)s → %(new)s. Công bố bản "
                "đính chính để công khai kết quả mới."
            )
            % done
        )

    def question() -> Question:
        return Question(
            gettext("Đính chính tiêu chí %(code)s của %(unit)s: %(old)s → %(new)s")
            % change(leaf_named()),
            gettext("Xác nhận đính chính"),
            gettext("Lý do: %(reason)s") % {"reason": form.cleaned_data["reason"]},
        )

    return perform_confirmed(request, action, back, question)


@login_required
@require_POST
def sheet_ranked(request: HttpRequest, pk: int) -> HttpResponse:
    sheet: ScoreSheet = get_object_or_404(
        policy.visible_sheets(request.user).select_related("cycle", "unit"), pk=pk
    )
    form = forms.RankedForm(request.POST)

    def action() -> str:
        if not form.is_valid():
            raise form.problem()
        workflow.set_ranked(
            request.user, sheet, form.cleaned_data["ranked"], form.cleaned_data["reason"]
        )
        if form.cleaned_data["ranked"]:
            return gettext("%(unit)s được xếp hạng lại") % {"unit": sheet.unit.name}
        return gettext("%(unit)s: đánh giá, không xếp hạng") % {"unit": sheet.unit.name}

    return feedback.perform(request, action, reverse("cycles:cycle", args=[sheet.cycle_id]))
