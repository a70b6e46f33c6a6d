"""After publication, what the results mean for each unit's head: the classification of the
head's task completion and the proposals for commendation or review, by the province's rule
in the framework (``head_classification``); a page and its Word and Excel annex for the
emulation and commendation council. Public like the ranking it follows from."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from chiso.numbers import format_number
from chiso.reports.heads import summary_lines, write_heads_docx, write_heads_xlsx
from chiso.scoring.heads import head_results
from chiso.scoring.ranking import group_name
from chiso.web.core import feedback
from chiso.web.core.frameworks import framework_of
from chiso.web.cycles.publications import document, latest

KINDS = {
    "xlsx": (write_heads_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "docx": (
        write_heads_docx,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
}


@require_safe
def heads(request: HttpRequest, pk: int) -> HttpResponse:
    publication = latest(pk)
    fw = framework_of(publication.cycle)
    lang = feedback.lang()
    rule = fw.head_classification
    results = head_results(fw, document(publication)) if rule else []
    rows: list[dict[str, Any]] = [
        {
            "unit": r.unit,
            "index": format_number(r.index, lang, fw.precision),
            "rank": r.rank,
            "group": group_name(fw, r.group, lang) if r.group else "",
            "head": r.head_class.name_in(lang) if r.head_class else "",
            "proposal": r.proposal.name_in(lang) if r.proposal else "",
        }
        for r in results
    ]
    return render(
        request,
        "portal/heads.html",
        {
            "cycle": publication.cycle,
            "rule": rule,
            "rows": rows,
            "summary": summary_lines(fw, results, lang) if rule else [],
        },
    )


@require_safe
def heads_download(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    publication = latest(pk)
    fw = framework_of(publication.cycle)
    if fw.head_classification is None:
        raise Http404()
    write, content_type = KINDS[kind]
    lang = feedback.lang()
    title = gettext("Xếp loại người đứng đầu") + " — " + publication.cycle.name
    with tempfile.TemporaryDirectory(prefix="chiso-heads-") as folder:
        path = Path(folder) / f"heads.{kind}"
        write(fw, document(publication), path, title, lang)
        body = path.read_bytes()
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="heads-{publication.cycle.pk}.{kind}"'
    return response
