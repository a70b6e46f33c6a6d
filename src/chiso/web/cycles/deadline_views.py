"""The administrator extends a deadline from the cycle's page: for the whole cycle or for one
unit, with a reason (:func:`.windows.extend` checks and audits it)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from chiso.web.core import feedback
from chiso.web.core.refusals import forbidden
from chiso.web.cycles import forms, policy, windows


@login_required
@require_POST
def cycle_extend(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_object_or_404(policy.visible_cycles(request.user), pk=pk)
    form = forms.ExtensionForm(request.POST)

    def action() -> str:
        if not policy.can_extend(request.user, cycle):
            raise forbidden()
        if not form.is_valid():
            raise form.problem()
        data = form.cleaned_data
        extension = windows.extend(
            request.user, cycle, data["stage"], data["ends"], data["reason"], data["unit"]
        )
        window = windows.Window(extension.stage, extension.ends)
        whom = extension.unit.name if extension.unit else cycle.name
        return gettext("Đã gia hạn cho %(whom)s. %(window)s") % {
            "whom": whom,
            "window": window.describe(),
        }

    return feedback.perform(request, action, reverse("cycles:cycle", args=[pk]))
