"""What a page tells the person after a form: the language it speaks, and a refusal answered
the one way pages answer it (a 403 or 404 page for those kinds; otherwise its reasons as
messages and the page to show again). Shared by every app's pages."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect
from django.utils.translation import get_language

from chiso.messages import render as render_message
from chiso.problems import Kind, Refusal
from chiso.web.core import field_errors

MAX_PROBLEMS = 50  # a file with thousands of problems: the first fifty, then how many more


def lang() -> str:
    return "en" if (get_language() or "vi").startswith("en") else "vi"


def tell(request: HttpRequest, refusal: Refusal) -> None:
    """The refusal's reasons as messages: a file's problems each with where it is, one rule
    as its sentence."""
    if not refusal.listed:
        # each refused field named, with the form it was sent from: the page that answers
        # links its error summary to the field (chiso.web.core.field_errors)
        for one in (refusal, *getattr(refusal, "others", ())):
            messages.error(request, one.message(lang()), field_errors.tags(one.field, request.path))
        return
    form = field_errors.tags(None, request.path)  # a file's problems: linked to its form
    for i, problem in enumerate(refusal.report):
        if i == MAX_PROBLEMS:
            break
        messages.error(request, problem.render(lang()), form)
    if len(refusal.report) > MAX_PROBLEMS:  # every problem found, kept in the report or counted
        more = len(refusal.report) - MAX_PROBLEMS
        messages.error(request, render_message("file.too_many_problems", lang(), count=more), form)


def refused(request: HttpRequest, refusal: Refusal) -> HttpResponse | None:
    """A page's answer to ``refusal``: a 403 page when the person may not, a 404 when there is
    no such object; otherwise its reasons become messages and None is returned, for the
    caller to show the page again."""
    if refusal.kind is Kind.FORBIDDEN:
        return HttpResponseForbidden()
    if refusal.kind is Kind.NOT_FOUND:
        raise Http404
    tell(request, refusal)
    return None


def answer(request: HttpRequest, refusal: Refusal, back: str) -> HttpResponse:
    """:func:`refused`, then back to the page the person came from."""
    return refused(request, refusal) or redirect(back)


def perform(request: HttpRequest, action: Callable[[], str | None], back: str) -> HttpResponse:
    """Run a service for a page's form; a refusal is answered by :func:`answer`, and the page
    the person came from is shown again. ``action`` may return a line to confirm what was
    done."""
    try:
        done = action()
    except Refusal as refusal:
        return answer(request, refusal, back)
    if done:
        messages.info(request, done)
    return redirect(back)
