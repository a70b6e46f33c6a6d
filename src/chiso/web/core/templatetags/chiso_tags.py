"""Template filters: numbers with a decimal comma in Vietnamese, names of states."""

from __future__ import annotations

from typing import Any

from django import template

from chiso.numbers import format_number
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
