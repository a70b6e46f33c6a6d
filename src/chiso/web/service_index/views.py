"""The public pages of the monthly service index: the series (units × months), one month's
ranking, and one unit's month with its drill-down by field and procedure. Every number comes
from :mod:`chiso.records.monthly_index`; access is asked of the policy."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from chiso.frameworks.grades import grade_of
from chiso.frameworks.loader import framework_from_text
from chiso.numbers import format_number
from chiso.records.compile import data_leaves
from chiso.records.monthly_index import central_leaves, ranked, unit_month
from chiso.vietnamese import sort_key
from chiso.web.accounts import policy
from chiso.web.core.feedback import lang as current_lang
from chiso.web.service_index.models import ServiceMonth, ServiceValue


def _framework(month: ServiceMonth) -> Any:
    return framework_from_text(month.framework_text, month.framework)


def _central(month: ServiceMonth) -> dict[str, dict[str, float | None]]:
    central: dict[str, dict[str, float | None]] = {}
    for unit, node, points in month.central.values_list("unit", "node", "points"):
        central.setdefault(unit, {})[node] = points
    return central


def _unit_months(month: ServiceMonth) -> list[Any]:
    counts: dict[str, dict[str, tuple[int, int]]] = {}
    for unit, node, num, den in month.values.filter(grouping="unit").values_list(
        "unit", "node", "numerator", "denominator"
    ):
        counts.setdefault(unit, {})[node] = (num, den)
    fw = _framework(month)
    central = _central(month)
    return [unit_month(fw, unit, c, central.get(unit)) for unit, c in counts.items()]


def _grade(fw: Any, um: Any, lang: str) -> str:
    """How a unit's month is graded: its band's name; "not graded" when its index falls
    between the bands the framework has sources for (the thresholds of the middle grades
    were not found); "incomplete" when the centrally assessed indicators are missing, the
    index then being the records-based share only, not the portal's whole index."""
    if fw.groups is None:
        return ""
    value = um.index if fw.groups.on == "index" else um.points
    grade = grade_of(fw, value, um.complete)
    if grade.state == "graded" and grade.band is not None:
        return str(grade.band.name_in(lang) or grade.band.code)
    if grade.state == "ungraded":
        return gettext("Chưa xếp loại")
    if grade.state == "incomplete":
        return gettext("Chưa xếp loại: thiếu chỉ tiêu đánh giá tập trung")
    return ""


def _grading_note(fw: Any, lang: str) -> dict[str, str]:
    """What the grades are, said once under the table: each band with its threshold, what
    the values between them are, and the source."""
    if fw.groups is None or fw.groups.method != "bands":
        return {}
    parts = []
    for band in fw.groups.bands:
        name = band.name_in(lang) or band.code
        if band.min is not None and band.below is not None:
            parts.append(
                gettext("%(name)s: từ %(min)s đến dưới %(below)s")
                % {
                    "name": name,
                    "min": format_number(band.min, lang, 0),
                    "below": format_number(band.below, lang, 0),
                }
            )
        elif band.min is not None:
            parts.append(
                gettext("%(name)s: từ %(min)s")
                % {"name": name, "min": format_number(band.min, lang, 0)}
            )
        elif band.below is not None:
            parts.append(
                gettext("%(name)s: dưới %(below)s")
                % {"name": name, "below": format_number(band.below, lang, 0)}
            )
    ungraded = fw.groups.ungraded
    return {
        "bands": "; ".join(parts),
        "ungraded": ungraded.name_in(lang) if ungraded is not None else "",
        "source": fw.groups.source,
    }


@require_safe
def series(request: HttpRequest) -> HttpResponse:
    if not policy.can_see_service_index(request.user):
        raise Http404
    months = list(ServiceMonth.objects.order_by("period"))
    table: dict[str, dict[str, float | None]] = {}
    for month in months:
        for um in _unit_months(month):
            table.setdefault(um.unit, {})[month.period] = um.index
    rows = [
        (unit, [table[unit].get(m.period) for m in months]) for unit in sorted(table, key=sort_key)
    ]
    return render(
        request,
        "service_index/series.html",
        {"months": months, "rows": rows, "simulated": any(m.simulated for m in months)},
    )


@require_safe
def month_ranking(request: HttpRequest, period: str) -> HttpResponse:
    if not policy.can_see_service_index(request.user):
        raise Http404
    month = get_object_or_404(ServiceMonth, period=period)
    fw = _framework(month)
    lang = current_lang()
    ranking = [(rank, um, _grade(fw, um, lang)) for rank, um in ranked(fw, _unit_months(month))]
    return render(
        request,
        "service_index/month.html",
        {
            "month": month,
            "ranking": ranking,
            "framework": fw,
            "graded": fw.groups is not None,
            "grading": _grading_note(fw, lang),
        },
    )


@require_safe
def unit_month_page(request: HttpRequest, period: str, unit: str) -> HttpResponse:
    if not policy.can_see_service_index(request.user):
        raise Http404
    month = get_object_or_404(ServiceMonth, period=period)
    values = month.values.filter(unit=unit)
    if not values.exists():
        raise Http404
    fw = _framework(month)
    lang = current_lang()
    leaves = data_leaves(fw)
    by_group: dict[str, dict[str, dict[str, tuple[int, int]]]] = {}
    for v in values:
        by_group.setdefault(v.grouping, {}).setdefault(v.key, {})[v.node] = (
            v.numerator,
            v.denominator,
        )
    own = unit_month(fw, unit, by_group.get("unit", {}).get("", {}), _central(month).get(unit))
    indicators = [
        (leaf.code, leaf.name_in(lang), own.rates.get(leaf.code), leaf.max) for leaf in leaves
    ]
    given = _central(month).get(unit, {})
    central = [
        (leaf.code, leaf.name_in(lang), given.get(leaf.code), leaf.max)
        for leaf in central_leaves(fw)
        if leaf.code in given
    ]

    def drill(grouping: str) -> list[tuple[str, list[float | None]]]:
        groups = by_group.get(grouping, {})
        return [
            (key, [unit_month(fw, unit, groups[key]).rates.get(leaf.code) for leaf in leaves])
            for key in sorted(groups, key=sort_key)
        ]

    return render(
        request,
        "service_index/unit.html",
        {
            "month": month,
            "unit": unit,
            "own": own,
            "grade": _grade(fw, own, lang),
            "grading": _grading_note(fw, lang),
            "indicators": indicators,
            "central": central,
            "leaves": leaves,
            "fields": drill("field"),
            "procedures": drill("procedure"),
        },
    )


__all__ = ["ServiceValue", "month_ranking", "series", "unit_month_page"]
