"""A second step before an action that is hard to take back (advancing a stage, submitting,
publishing, correcting): the form posts once, the action is rehearsed (run and undone, so a
refusal is told at once, before anything is asked), and the page shows what will happen and
what is not ready, with a button that posts the same fields again with ``confirm``. No script
is needed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from chiso.problems import Refusal
from chiso.web.core import feedback

SKIPPED = {"csrfmiddlewaretoken", "confirm"}


class _Rehearsed(Exception):
    """Raised inside the rehearsal's transaction so that everything it wrote is undone."""


@dataclass
class Question:
    """What the confirmation page asks: its title, the button, a warning, what is not ready."""

    title: str
    button: str
    warning: str = ""
    lines: list[str] = field(default_factory=list)


def confirmed(request: HttpRequest) -> bool:
    return request.POST.get("confirm") == "1"


def rehearse(action: Callable[[], object]) -> None:
    """Run ``action`` and undo whatever it wrote; its refusal, if any, is raised."""
    try:
        with transaction.atomic():
            action()
            raise _Rehearsed
    except _Rehearsed:
        pass


def perform_confirmed(
    request: HttpRequest,
    action: Callable[[], str | None],
    back: str,
    question: Callable[[], Question],
) -> HttpResponse:
    """:func:`chiso.web.core.feedback.perform`, asked first: without ``confirm`` the action
    is rehearsed (a refusal answered as ever) and the question shown; with it, done."""
    if confirmed(request):
        return feedback.perform(request, action, back)
    try:
        rehearse(action)
    except Refusal as refusal:
        return feedback.answer(request, refusal, back)
    asked = question()
    fields = [(k, v) for k in request.POST for v in request.POST.getlist(k) if k not in SKIPPED]
    return render(
        request,
        "cycles/confirm.html",
        {
            "title": asked.title,
            "lines": asked.lines,
            "warning": asked.warning,
            "fields": fields,
            "action": request.path,
            "back": back,
            "button": asked.button,
        },
    )
