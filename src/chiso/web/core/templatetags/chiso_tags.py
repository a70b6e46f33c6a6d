"""Template filters: numbers with a decimal comma in Vietnamese, names of states."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext, pgettext_lazy

from chiso.numbers import format_date, format_number
from chiso.units.kinds import UNIT_KIND_NAMES
from chiso.web.core import field_errors, header, limits
from chiso.web.core.feedback import lang

register = template.Library()


@register.filter
def num(value: Any, decimals: int = 2) -> str:
    if value is None or value == "" or value == "NA":
        return "" if value != "NA" else "KAD"
    return format_number(float(value), lang(), int(decimals))


@register.filter
def indent(depth: int) -> str:
    return f"{1.2 * int(depth):.1f}em"


@register.filter
def get(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def day(value: Any) -> str:
    """A date or a month (``date`` or ISO text) as the reader writes it: ``30/06/2026`` and
    ``07/2025`` in Vietnamese."""
    return format_date(value, lang())


@register.filter
def unit_kind(kind: str) -> str:
    """The name of a kind of unit (``province`` → *Tỉnh, thành phố*)."""
    name = UNIT_KIND_NAMES.get(str(kind))
    return str(kind) if name is None else gettext(name)


COVERAGE_NAMES = {
    "whole": pgettext_lazy("coverage", "Đầy đủ"),
    "partial": pgettext_lazy("coverage", "Một phần"),
    "none": pgettext_lazy("coverage", "Không tìm thấy"),
}
"""How much of a published table the archive holds (the archive's coverage codes)."""


@register.filter
def coverage(code: str) -> str:
    return str(COVERAGE_NAMES.get(str(code), code))


TAG_COLOURS = {
    "draft": "grey",
    "self_assessment": "blue",
    "appraisal": "yellow",
    "explanation": "yellow",
    "finalised": "green",
    "published": "green",
    "submitted": "green",
    "late": "red",
    "todo": "grey",
    "doing": "blue",
    "done": "green",
}
"""The colour of a state's tag (a CSS class, never shown as text)."""


@register.filter
def tag_colour(state: str) -> str:
    return TAG_COLOURS.get(str(state), "grey")


@register.filter
def errors_only(messages: Any) -> list[Any]:
    """The error messages of a request: shown together in the error summary at the top."""
    return [m for m in messages if "error" in m.tags.split()]


@register.filter
def notes_only(messages: Any) -> list[Any]:
    """The other messages (what was done, what to know): each a notification banner."""
    return [m for m in messages if "error" not in m.tags.split()]


@register.inclusion_tag("error_summary.html", takes_context=True)
def error_summary(context: Any) -> dict[str, Any]:
    """The error summary at the top of a page (:mod:`chiso.web.core.field_errors`)."""
    return {"problems": field_errors.problems(context)}


class _MarkedFields(template.Node):
    def __init__(self, nodelist: template.NodeList) -> None:
        self.nodelist = nodelist

    def render(self, context: template.Context) -> str:
        html = self.nodelist.render(context)
        request = context.get("request")
        return field_errors.mark(html, request) if request is not None else html


@register.tag
def marked_fields(parser: Any, token: Any) -> _MarkedFields:
    """``{% marked_fields %}…{% endmarked_fields %}``: the refused fields in what it encloses
    marked invalid, with their messages beside them (:func:`field_errors.mark`)."""
    nodelist = parser.parse(("endmarked_fields",))
    parser.delete_first_token()
    return _MarkedFields(nodelist)


@register.simple_tag
def longest(name: str) -> int:
    """The most characters a text of :mod:`chiso.web.core.limits` takes (``{% longest
    "REASON" %}``): a page's ``maxlength`` is the bound of the form that reads the field."""
    bound = getattr(limits, name)
    return int(bound.most)


@register.simple_tag(takes_context=True)
def site_header(context: Any) -> str:
    """The site's header, its fixed parts rendered once per language (:mod:`..header`)."""
    return header.render(context)
