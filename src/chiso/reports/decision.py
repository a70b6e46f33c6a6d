"""The decision that publishes a cycle's results, as a line of text: the portal, the annexes
and open data all print it the same way."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from chiso.i18n import gettext


def decision_of(doc: Mapping[str, Any]) -> dict[str, Any] | None:
    """The decision recorded in a results document's publication, if any."""
    decision = (doc.get("publication") or {}).get("decision")
    return decision if decision and decision.get("number") else None


def decision_line(decision: Mapping[str, Any] | None, lang: str = "vi") -> str:
    """``Quyết định số 1551/QĐ-UBND ngày 20/01/2025 của UBND tỉnh …``; empty without one."""
    if not decision or not decision.get("number"):
        return ""
    text = gettext("Quyết định số {number}", lang).format(number=decision["number"])
    when = decision.get("date")
    if when:
        day = date.fromisoformat(when)
        # the date as the language writes it (its strftime pattern is in the catalogue)
        shown = day.strftime(gettext("%d/%m/%Y", lang))
        text += " " + gettext("ngày {date}", lang).format(date=shown)
    if decision.get("body"):
        text += " " + gettext("của {body}", lang).format(body=decision["body"])
    return text
