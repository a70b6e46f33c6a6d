"""Leaf scoring rules: how the value a unit reports becomes points.

A rule is data in the framework file (see docs/framework-format.md); this module is its one
interpreter. It raises :class:`RuleError` with a message rule id, so the reader of a file can
report the row and column the value came from.
"""

from __future__ import annotations

import math
from typing import Any

from chiso.frameworks.model import Node

YES = {"1", "yes", "y", "true", "có", "co", "x", "đạt", "dat"}
NO = {"0", "no", "n", "false", "không", "khong", "không đạt", "khong dat"}


class RuleError(ValueError):
    def __init__(self, rule: str, **params: Any) -> None:
        super().__init__(rule)
        self.rule = rule
        self.params: dict[str, Any] = params


def points_for(node: Node, raw: str | float) -> float:
    """Points of leaf ``node`` for the reported value ``raw`` (already trimmed, not empty).

    Numbers come as floats; text answers (a choice, yes/no) as strings.
    """
    rule = node.rule
    kind = rule.kind
    if kind == "choice":
        key = str(raw).strip() if not isinstance(raw, float) else _plain(raw)
        for option in rule.options:
            if option.value == key or option.value.casefold() == key.casefold():
                return option.points
        raise RuleError(
            "value.bad_choice",
            value=raw,
            node=node.code,
            options=", ".join(o.value for o in rule.options),
        )
    if kind == "yes_no":
        key = _plain(raw) if isinstance(raw, float) else str(raw).strip().casefold()
        if key in YES:
            return float(node.max or 0.0)
        if key in NO:
            return 0.0
        raise RuleError("value.bad_yes_no", value=raw, node=node.code)
    if isinstance(raw, str):
        raise RuleError("value.not_number", value=raw)
    value = float(raw)
    if kind == "points":
        return value
    if value < 0:
        raise RuleError("value.negative", value=_plain(value))
    if kind == "bands":
        for band in rule.bands:
            if band.holds(value):
                return float(band.points or 0.0)
        raise RuleError("value.outside_bands", value=_plain(value), node=node.code)
    maximum = float(node.max or 0.0)
    if kind == "proportional":
        if value > rule.full:
            raise RuleError(
                "value.above_max", value=_plain(value), max=_plain(rule.full), node=node.code
            )
        return maximum * value / rule.full
    if kind == "deduction":
        return max(0.0, maximum - rule.per_item * value)
    raise RuleError("framework.rule_unknown", kind=kind, allowed="")


def _plain(x: float) -> str:
    return str(int(x)) if math.isfinite(x) and x == int(x) else repr(x)
