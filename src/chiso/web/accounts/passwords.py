"""Changing and resetting a password: Django's own views, forms and signed tokens, with
chiso's pages, the one-time flag lowered once a person has chosen a password, and a limit on
reset requests.

A reset request answers the same page whether or not the address belongs to anyone (Django
sends mail only to an active person with that address and says nothing either way). Requests
are counted per address of the visitor and per e-mail address asked for: past the first
limit the visitor is told to wait (which says nothing about any account), past the second
the request is answered as usual but no mail leaves, so nobody's mailbox is flooded."""

from __future__ import annotations

import hashlib
import logging
import threading
from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template import loader
from django.urls import reverse_lazy

from chiso.web.accounts.middleware import SESSION_KEY
from chiso.web.accounts.one_time import password_chosen

log = logging.getLogger(__name__)

RESETS_PER_VISITOR = 10
RESETS_PER_ADDRESS = 3
WINDOW_SECONDS = 3600


def _count(key: str) -> int:
    """One more request under ``key`` in the current window; returns how many so far."""
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
        return 1


def _hashed(text: str) -> str:
    return hashlib.sha256(text.strip().lower().encode("utf-8")).hexdigest()[:32]


class ResetForm(PasswordResetForm):
    """Django's form, whose mail leaves in a thread of its own: the answer then takes as long
    for an address with an account as for one without (waiting for the SMTP server would
    tell them apart by the time). The mail is written here, in the request's language."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        message = EmailMessage(subject, body, from_email, [to_email])
        user_id = context["user"].pk
        threading.Thread(target=_send, args=(message, user_id), name="chiso-reset-mail").start()


def _send(message: EmailMessage, user_id: int) -> None:
    try:
        message.send()
    except Exception:  # the person asks again; the server's log says why
        log.exception("the password-reset mail to person %s could not be sent", user_id)


class ChangePassword(auth_views.PasswordChangeView):
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("accounts:password-change-done")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        password_chosen(form.user)
        self.request.session.pop(SESSION_KEY, None)
        return response


class ChangePasswordDone(auth_views.PasswordChangeDoneView):
    template_name = "registration/password_change_done.html"


class ResetPassword(auth_views.PasswordResetView):
    form_class = ResetForm
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-done")

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        visitor = self.request.META.get("REMOTE_ADDR", "")
        if _count(f"chiso-reset-visitor-{_hashed(visitor)}") > RESETS_PER_VISITOR:
            return render(self.request, "registration/password_reset_wait.html", status=429)
        if _count(f"chiso-reset-address-{_hashed(form.cleaned_data['email'])}") > (
            RESETS_PER_ADDRESS
        ):
            return HttpResponseRedirect(self.get_success_url())  # the same answer, no mail
        return super().form_valid(form)


class ResetPasswordDone(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class ResetPasswordConfirm(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        password_chosen(form.user)
        return response


class ResetPasswordComplete(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"
