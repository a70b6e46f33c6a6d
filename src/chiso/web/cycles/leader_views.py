"""The leader's view: one page with where every cycle stands (by unit and stage, who is late,
cuts and explanations waiting), the published results and what other apps add after them (the
improvement plans, through the ``cycles.leader`` panels), and the same as a one-page brief in
Word and PDF (:mod:`chiso.reports.brief`). For the province's leaders and the administrator;
it changes nothing."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from chiso.numbers import format_date, format_number
from chiso.reports.brief import Brief, Section, brief_docx, brief_pdf
from chiso.web.core import feedback, panels
from chiso.web.core.frameworks import framework_of
from chiso.web.cycles import policy
from chiso.web.cycles.progress import (
    CycleProgress,
    PublishedResults,
    province_progress,
    published_results,
)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
NAMED = 3
"""Units named as first or last in a line of the brief (ties beyond are counted)."""


@login_required
@require_safe
def leader(request: HttpRequest) -> HttpResponse:
    if not policy.can_see_leader_view(request.user):
        return HttpResponseForbidden()
    lang = feedback.lang()
    today = timezone.localdate()
    open_cycles, published = province_progress()
    return render(
        request,
        "cycles/leader.html",
        {
            "open_cycles": open_cycles,
            "published": [published_results(c) for c in published],
            "with_heads": {c.pk for c in published if framework_of(c).head_classification},
            "today": today,
            # what other apps show after the results (the plans' progress)
            "panels": panels.render("cycles.leader", published=published, today=today, lang=lang),
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


def _named(units: list[str]) -> str:
    shown = ", ".join(units[:NAMED])
    if len(units) > NAMED:
        shown += " " + gettext("và %(count)s đơn vị khác") % {"count": len(units) - NAMED}
    return shown


def _results_line(results: PublishedResults, lang: str) -> str:
    line = gettext("%(cycle)s: %(units)s đơn vị") % {
        "cycle": results.cycle.name,
        "units": results.units,
    }
    if results.mean_index is not None:
        line += "; " + gettext("chỉ số trung bình %(mean)s") % {
            "mean": format_number(results.mean_index, lang, 2)
        }
    if results.first:
        line += "; " + gettext("dẫn đầu: %(units)s") % {"units": _named(results.first)}
    if results.last:
        line += "; " + gettext("cuối bảng: %(units)s") % {"units": _named(results.last)}
    return line


def brief(lang: str) -> Brief:
    """The leader's view in a few lines: every open cycle, the published results, and what
    other apps add (the plans)."""
    today = timezone.localdate()
    open_cycles, published = province_progress()
    sections = [
        Section(progress.cycle.name, tuple(_brief_lines(progress, lang)))
        for progress in open_cycles
    ]
    if published:
        lines = tuple(_results_line(published_results(c), lang) for c in published)
        sections.append(Section(gettext("Kết quả đã công bố"), lines))
    sections += panels.collect("cycles.leader_brief", published=published, today=today, lang=lang)
    return Brief(
        gettext("Tình hình đánh giá chỉ số cải cách hành chính"),
        gettext("Ngày {date}").format(date=format_date(today, lang)),
        tuple(sections),
    )


@login_required
@require_safe
def leader_brief(request: HttpRequest) -> HttpResponse:
    """The leader's view as a one-page Word brief."""
    if not policy.can_see_leader_view(request.user):
        return HttpResponseForbidden()
    lang = feedback.lang()
    response = HttpResponse(brief_docx(brief(lang), lang), content_type=DOCX)
    response["Content-Disposition"] = 'attachment; filename="leader-brief.docx"'
    return response


@login_required
@require_safe
def leader_brief_pdf(request: HttpRequest) -> HttpResponse:
    """The leader's view as a one-page PDF brief (Noto Sans embedded)."""
    if not policy.can_see_leader_view(request.user):
        return HttpResponseForbidden()
    lang = feedback.lang()
    response = HttpResponse(brief_pdf(brief(lang), lang), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="leader-brief.pdf"'
    return response
