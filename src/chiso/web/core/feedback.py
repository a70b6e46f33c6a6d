"""What a page tells the person after a form: the language it speaks, a refused rule or a
bad file as messages, and the page to show again. Shared by the cycle's pages and the
administrator's."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect
from django.utils.translation import get_language

from chiso.messages import render as render_message
from chiso.problems import Refusal
from chiso.web.cycles import services

MAX_PROBLEMS = 50  # a file with thousands of problems: the first fifty, then an ellipsis


def lang() -> str:
    return "en" if (get_language() or "vi").startswith("en") else "vi"


def error(request: HttpRequest, err: services.WorkflowError) -> None:
    messages.error(request, render_message(err.rule, lang(), **err.params))


def report_problems(request: HttpRequest, exc: Refusal) -> None:
    for i, problem in enumerate(exc.report):
        if i == MAX_PROBLEMS:
            messages.error(request, "…")
            break
        messages.error(request, problem.render(lang()))


def perform(request: HttpRequest, action: Callable[[], str | None], back: str) -> HttpResponse:
    """Run a service for a page's form: refused is 403, a broken rule or a bad file becomes
    messages for the person, and the page they came from is shown again. ``action`` may
    return a line to confirm what was done."""
    try:
        done = action()
    except services.Forbidden:
        return HttpResponseForbidden()
    except Refusal as exc:
        report_problems(request, exc)
    except services.WorkflowError as err:
        error(request, err)
    else:
        if done:
            messages.info(request, done)
    return redirect(back)
