"""A notice's words in a language, from its kind and parameters: the stage's name, the
outcome of an explanation and the dates each in the reader's language (dd/mm/yyyy in
Vietnamese)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import translation
from django.utils.translation import gettext

from chiso.web.cycles.explanation_views import OUTCOMES
from chiso.web.cycles.models import Cycle
from chiso.web.notifications import kinds


def _date(text: str) -> str:
    if not text:
        return ""
    return datetime.date.fromisoformat(text).strftime(gettext("%d/%m/%Y"))


def _values(params: dict[str, Any]) -> dict[str, Any]:
    shown = dict(params)
    if "stage" in shown:
        shown["stage"] = str(dict(Cycle.STATES).get(shown["stage"], shown["stage"]))
    if "outcome" in shown:
        shown["outcome"] = gettext(OUTCOMES.get(shown["outcome"], shown["outcome"]))
    if "date" in shown:
        shown["date"] = _date(shown["date"])
    until = shown.get("until")
    shown["until"] = gettext(kinds.UNTIL).format(date=_date(until)) if until else ""
    return shown


def subject(kind: str, params: dict[str, Any]) -> str:
    """The one line of the notice, in the active language."""
    return gettext(kinds.SUBJECTS[kind]).format(**_values(params))


def body(kind: str, params: dict[str, Any]) -> str:
    """The notice's sentence(s), in the active language."""
    return gettext(kinds.BODIES[kind]).format(**_values(params)).strip()


def in_language(lang: str, kind: str, params: dict[str, Any]) -> tuple[str, str]:
    """(subject, body) in ``lang``."""
    with translation.override(lang):
        return subject(kind, params), body(kind, params)
