"""Every revision of a published cycle stays public: the list with each revision's decision,
reason and SHA-256 (and the SHA-256 of the one it replaces), the changes per unit that each
correction made, and each revision's results as JSON."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.http import require_safe

from chiso.numbers import format_number
from chiso.reports.decision import decision_line, decision_of
from chiso.scoring.document import ResultsDocument
from chiso.scoring.ranking import group_name
from chiso.scoring.revisions import changes
from chiso.tables.writing import published_text
from chiso.web.core import feedback
from chiso.web.core.frameworks import framework_of
from chiso.web.cycles.publications import document, revisions

FIELD_LABELS = {
    "total": gettext_noop("Tổng điểm"),
    "index": gettext_noop("Chỉ số (%)"),
    "rank": gettext_noop("Xếp hạng"),
    "group": gettext_noop("Nhóm"),
    "status": gettext_noop("Trạng thái"),
}


@require_safe
def revision_list(request: HttpRequest, pk: int) -> HttpResponse:
    publications = revisions(pk)
    cycle = publications[0].cycle
    fw = framework_of(cycle)
    lang = feedback.lang()

    def shown(field: str, value: Any) -> str:
        if value is None:
            return "—"
        if field == "group":
            return group_name(fw, value, lang)
        if isinstance(value, float):
            return format_number(value, lang, fw.precision)
        return str(value)

    entries = []
    previous: ResultsDocument | None = None
    for publication in publications:
        doc = document(publication)
        rows = []
        if previous is not None:
            rows = [
                {
                    "unit": c.unit,
                    "field": gettext(FIELD_LABELS[c.field]),
                    "old": shown(c.field, c.old),
                    "new": shown(c.field, c.new),
                }
                for c in changes(previous, doc, fw.precision)
            ]
        entries.append(
            {
                "publication": publication,
                "decision": decision_line(decision_of(doc), lang),
                "changes": rows,
            }
        )
        previous = doc
    return render(
        request,
        "portal/revisions.html",
        {"cycle": cycle, "entries": list(reversed(entries))},
    )


@require_safe
def revision_data(request: HttpRequest, pk: int, revision: int) -> HttpResponse:
    for publication in revisions(pk):
        if publication.revision == revision:
            response = HttpResponse(
                published_text(document(publication)),
                content_type="application/json; charset=utf-8",
            )
            response["Content-Disposition"] = (
                f'attachment; filename="chiso-{pk}-revision-{revision}.json"'
            )
            return response
    raise Http404
