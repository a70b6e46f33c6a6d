"""Indicators computed from dossier records: the ``metric`` of a framework leaf with
``source: data``, as plain values, and the loader's reading of it.

A metric is a share: how many records (or distinct procedures) match the numerator's filter
among those matching the denominator's, in a period, over the levels of administration it
names. Filters are data (a mapping of conditions, all of which must hold; ``any`` holds when
one of its filters does) so that a province can change an indicator in its framework file and
the same definition runs on DuckDB or on Spark (:mod:`chiso.records.compile`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from chiso.frameworks.dossier_schema import CHANNELS, COUNTS, FLAGS, LEVELS, OPEN, OUTCOMES, PERIODS

if TYPE_CHECKING:
    from chiso.yamlfiles import LineMap

_METRIC_KEYS = {"count", "numerator", "denominator", "period", "levels"}
_FILTER_KEYS = {*FLAGS, "channel", "outcome", "rating_at_least", "rating_at_most", "any"}


@dataclass(frozen=True)
class Filter:
    """Conditions that must all hold; ``any_of`` holds when one of its filters holds (an empty
    ``any_of`` is no condition)."""

    flags: tuple[tuple[str, bool], ...] = ()
    channels: tuple[str, ...] | None = None
    outcomes: tuple[str, ...] | None = None
    rating_at_least: int | None = None
    rating_at_most: int | None = None
    any_of: tuple[Filter, ...] = ()


@dataclass(frozen=True)
class Metric:
    numerator: Filter
    denominator: Filter
    count: str = "dossiers"
    period: str = "month"
    levels: tuple[str, ...] = LEVELS


class MetricReader:
    """Reads a ``metric`` mapping, reporting each problem through ``problem`` (the framework
    loader's, so that problems name the file, the line and the key)."""

    def __init__(self, problem: Any) -> None:
        self.problem = problem

    def _line(self, m: LineMap, key: str) -> int:
        return int(m.key_lines.get(key, m.line))

    def _words(self, m: LineMap, key: str, allowed: tuple[str, ...]) -> tuple[str, ...] | None:
        raw = m.get(key)
        items = raw if isinstance(raw, list) else [raw]
        out: list[str] = []
        for item in items:
            if item not in allowed:
                self.problem(
                    "framework.bad_choice",
                    self._line(m, key),
                    f"metric.{key}",
                    key=key,
                    value=item,
                    allowed=", ".join(allowed),
                )
                return None
            out.append(str(item))
        return tuple(out)

    def filter(self, raw: Any, line: int, where: str) -> Filter:
        from chiso.yamlfiles import LineMap

        if not isinstance(raw, LineMap):
            self.problem(
                "framework.bad_type",
                line,
                f"metric.{where}",
                key=where,
                expected="a mapping of conditions",
            )
            return Filter()
        flags: list[tuple[str, bool]] = []
        channels = outcomes = None
        at_least = at_most = None
        any_of: list[Filter] = []
        for key, value in raw.items():
            line_k = self._line(raw, key)
            if key not in _FILTER_KEYS:
                self.problem(
                    "framework.metric_unknown_condition",
                    line_k,
                    f"metric.{where}",
                    key=key,
                    allowed=", ".join(sorted(_FILTER_KEYS)),
                )
            elif key in FLAGS:
                if not isinstance(value, bool):
                    self.problem(
                        "framework.bad_type",
                        line_k,
                        f"metric.{where}",
                        key=key,
                        expected="true/false",
                    )
                else:
                    flags.append((key, value))
            elif key == "channel":
                channels = self._words(raw, key, CHANNELS)
            elif key == "outcome":
                outcomes = self._words(raw, key, (*OUTCOMES, OPEN))
            elif key in ("rating_at_least", "rating_at_most"):
                if not isinstance(value, int) or isinstance(value, bool):
                    self.problem(
                        "framework.bad_type",
                        line_k,
                        f"metric.{where}",
                        key=key,
                        expected="1, 2 or 3",
                    )
                elif key == "rating_at_least":
                    at_least = value
                else:
                    at_most = value
            elif key == "any":
                if not isinstance(value, list) or not value:
                    self.problem(
                        "framework.bad_type",
                        line_k,
                        f"metric.{where}",
                        key=key,
                        expected="a list of filters",
                    )
                else:
                    any_of = [self.filter(item, line_k, f"{where}.any") for item in value]
        return Filter(tuple(flags), channels, outcomes, at_least, at_most, tuple(any_of))

    def metric(self, raw: Any, line: int) -> Metric | None:
        from chiso.yamlfiles import LineMap

        if not isinstance(raw, LineMap):
            self.problem("framework.bad_type", line, "metric", key="metric", expected="a mapping")
            return None
        for key in raw:
            if key not in _METRIC_KEYS:
                self.problem("framework.unknown_key", self._line(raw, key), "metric", key=key)
        for key in ("numerator", "denominator"):
            if key not in raw:
                self.problem("framework.missing_key", raw.line, f"metric.{key}", key=key)
        numerator = self.filter(raw.get("numerator"), self._line(raw, "numerator"), "numerator")
        denominator = self.filter(
            raw.get("denominator"), self._line(raw, "denominator"), "denominator"
        )
        count = self._words(raw, "count", COUNTS) if "count" in raw else ("dossiers",)
        period = self._words(raw, "period", PERIODS) if "period" in raw else ("month",)
        levels = self._words(raw, "levels", LEVELS) if "levels" in raw else LEVELS
        if count is None or period is None or levels is None:
            return None
        return Metric(numerator, denominator, count[0], period[0], levels)
