"""The person's own page: their roles, their password, their API tokens (made and revoked
here), and what other apps add (the inbox of notices).

A new token is shown once, in the answer to the form that made it (never put in a message or
the session, which would keep it), and the page is never cached (no-store, as every signed-in
page)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from chiso.problems import Refusal
from chiso.web.accounts import addresses, tokens
from chiso.web.accounts.forms import TokenForm
from chiso.web.accounts.models import ApiToken, Role
from chiso.web.core import feedback, panels


def _page(request: HttpRequest, **extra: Any) -> HttpResponse:
    now = timezone.now()
    return render(
        request,
        "accounts/tokens.html",
        {
            "tokens": ApiToken.objects.filter(user=request.user),
            "roles": Role.objects.filter(user=request.user).select_related("unit", "cycle"),
            "now": now,
            "max_days": tokens.MAX_DAYS,
            "panels": panels.render("accounts.page", request=request),
            **extra,
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def token_page(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request)
    form = TokenForm(request.POST)
    try:
        if not form.is_valid():
            raise form.problem()
        data = form.cleaned_data
        made, text = tokens.create_token(request.user, data["name"], data["scope"], data["days"])
    except Refusal as refusal:
        return feedback.answer(request, refusal, reverse("accounts:tokens"))
    return _page(request, new_token=text, new=made)


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)

    def action() -> None:
        tokens.revoke_token(request.user, token)

    return feedback.perform(request, action, reverse("accounts:tokens"))


@login_required
@require_POST
def email_update(request: HttpRequest) -> HttpResponse:
    """The person's own address, confirmed with their password."""

    def action() -> str:
        addresses.set_own_email(
            request.user, request.POST.get("email", ""), request.POST.get("password", "")
        )
        return _("Đã lưu địa chỉ thư điện tử.")

    return feedback.perform(request, action, reverse("accounts:tokens"))
