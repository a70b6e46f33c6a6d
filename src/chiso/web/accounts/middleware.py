"""A person who signed in with a one-time password goes to the password change page, and
nowhere else, until they have chosen their own.

The flag is read once, at sign-in (:func:`remember_at_sign_in`, connected to Django's
``user_logged_in``), and kept in the session, so a request asks no database. Choosing a
password changes the session's hash, so a one-time password issued again later ends every
session of that person and the next sign-in reads the flag afresh."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from chiso.web.accounts.one_time import must_change_password

SESSION_KEY = "chiso_one_time_password"
ALLOWED = {
    "accounts:password-change",
    "accounts:password-change-done",
    "accounts:logout",
    "static",
    "portal:language",
}
"""What a person with a one-time password may still reach: the change itself, signing out,
the style sheets and scripts the change page needs."""


def remember_at_sign_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if must_change_password(user):
        request.session[SESSION_KEY] = True
    else:
        request.session.pop(SESSION_KEY, None)


class OneTimePassword:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if not request.session.get(SESSION_KEY) or not request.user.is_authenticated:
            return None
        match = request.resolver_match
        if match is not None and match.view_name in ALLOWED:
            return None
        messages.info(request, _("Hãy đặt mật khẩu của riêng bạn trước khi tiếp tục."))
        return redirect("accounts:password-change")
