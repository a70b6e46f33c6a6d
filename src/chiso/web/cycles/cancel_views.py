"""The administrator cancels a cycle opened by mistake, from its page: a reason, a
confirmation page (:mod:`.confirmation`), and :func:`.workflow.cancel` audits it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from chiso.web.core.refusals import forbidden
from chiso.web.cycles import policy, workflow
from chiso.web.cycles.confirmation import Question, perform_confirmed


@login_required
@require_POST
def cycle_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_object_or_404(policy.visible_cycles(request.user), pk=pk)
    back = reverse("cycles:cycle", args=[pk])
    reason = request.POST.get("reason", "")

    def action() -> str:
        if not policy.can_cancel(request.user, cycle):
            raise forbidden()
        workflow.cancel(request.user, cycle, reason)
        return gettext("Đã hủy kỳ đánh giá %(cycle)s") % {"cycle": cycle.name}

    def question() -> Question:
        return Question(
            gettext("Hủy kỳ đánh giá %(cycle)s") % {"cycle": cycle.name},
            gettext("Xác nhận hủy kỳ đánh giá"),
            gettext(
                "Kỳ đánh giá đã hủy không còn trong danh sách công việc của ai và không nhập, "
                "thẩm định hay công bố được nữa; quản trị viên vẫn xem được, kèm lý do: %(reason)s"
            )
            % {"reason": reason.strip()},
        )

    return perform_confirmed(request, action, back, question)
