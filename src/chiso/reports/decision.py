"""The decision that publishes a cycle's results, as a line of text: the portal, the annexes
and open data all print it the same way."""

from __future__ import annotations

from datetime import date

from chiso.i18n import gettext
from chiso.scoring.document import DecisionInfo, ResultsDocument


def decision_of(doc: ResultsDocument) -> DecisionInfo | None:
    """The decision recorded in a results document's publication, if any."""
    return doc.decision


def decision_line(decision: DecisionInfo | None, lang: str = "vi") -> str:
    """``Quyết định số 1551/QĐ-UBND ngày 20/01/2025 của UBND tỉnh …``; empty without one."""
    if decision is None or not decision.number:
        return ""
    text = gettext("Quyết định số {number}", lang).format(number=decision.number)
    if decision.date:
        day = date.fromisoformat(decision.date)
        # the date as the language writes it (its strftime pattern is in the catalogue)
        shown = day.strftime(gettext("%d/%m/%Y", lang))
        text += " " + gettext("ngày {date}", lang).format(date=shown)
    if decision.body:
        text += " " + gettext("của {body}", lang).format(body=decision.body)
    return text
