"""The leader's view: one page with where every cycle stands (by unit and stage, who is late,
cuts and explanations waiting) and the published results, and the same as a one-page Word
brief. For the province's leaders and the administrator; it changes nothing."""

from __future__ import annotations

import io
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from chiso.numbers import format_date
from chiso.office.text import xml_text
from chiso.web.core import feedback
from chiso.web.core.frameworks import framework_of
from chiso.web.cycles import policy
from chiso.web.cycles.progress import CycleProgress, province_progress

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
@require_safe
def leader(request: HttpRequest) -> HttpResponse:
    if not policy.can_see_leader_view(request.user):
        return HttpResponseForbidden()
    open_cycles, published = province_progress()
    return render(
        request,
        "cycles/leader.html",
        {
            "open_cycles": open_cycles,
            "published": published,
            "with_heads": {c.pk for c in published if framework_of(c).head_classification},
            "today": timezone.localdate(),
        },
    )


def _brief_lines(progress: CycleProgress, lang: str) -> list[str]:
    """A cycle's progress in a few sentences for the brief."""
    lines = [
        gettext("Giai đoạn: {stage}").format(stage=progress.cycle.get_state_display())
        + (
            "; " + gettext("hạn {date}").format(date=format_date(progress.deadline, lang))
            if progress.deadline
            else ""
        ),
        gettext("Đã nộp phiếu: {done}/{all} đơn vị").format(
            done=progress.submitted, all=len(progress.units)
        ),
    ]
    late = progress.late
    if late:
        lines.append(
            gettext("Chậm so với hạn ({count}): {units}").format(
                count=len(late), units=", ".join(u.unit for u in late)
            )
        )
    lines.append(
        gettext(
            "Tiêu chí bị trừ điểm chưa giải trình: {cuts}; giải trình chờ xem xét: {waiting}"
        ).format(cuts=progress.unanswered, waiting=progress.waiting)
    )
    return lines


@login_required
@require_safe
def leader_brief(request: HttpRequest) -> HttpResponse:
    """The leader's view as a one-page Word brief (python-docx escapes; xml_text removes what
    XML cannot hold)."""
    if not policy.can_see_leader_view(request.user):
        return HttpResponseForbidden()
    from docx import Document
    from docx.shared import Pt

    lang = feedback.lang()
    open_cycles, published = province_progress()
    document = Document()
    style: Any = document.styles["Normal"]
    style.font.size = Pt(10)
    document.add_heading(gettext("Tình hình đánh giá chỉ số cải cách hành chính"), level=1)
    today = format_date(timezone.localdate(), lang)
    document.add_paragraph(gettext("Ngày {date}").format(date=today))
    for progress in open_cycles:
        document.add_heading(xml_text(progress.cycle.name), level=2)
        for line in _brief_lines(progress, lang):
            document.add_paragraph(xml_text(line), style="List Bullet")
    if published:
        document.add_heading(gettext("Kết quả đã công bố"), level=2)
        for cycle in published[:8]:
            document.add_paragraph(xml_text(cycle.name), style="List Bullet")
    out = io.BytesIO()
    document.save(out)
    response = HttpResponse(out.getvalue(), content_type=DOCX)
    response["Content-Disposition"] = 'attachment; filename="leader-brief.docx"'
    return response
