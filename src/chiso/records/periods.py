"""Periods of the indicators: a month (``2024-06``), a range of months (``2024-01:2024-06``,
one period per month), a quarter (``2024-Q2``) or a year (``2024``). Each is half-open,
[start, end), in local time (records carry Vietnam's local time, without a zone)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from chiso.problems import ProblemReport, Refusal

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")


@dataclass(frozen=True)
class Period:
    label: str
    start: dt.datetime
    end: dt.datetime


def _month_start(year: int, month: int) -> dt.datetime:
    return dt.datetime(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def month(year: int, month_: int) -> Period:
    return Period(
        f"{year:04d}-{month_:02d}", _month_start(year, month_), _month_start(year, month_ + 1)
    )


def parse_periods(spec: str) -> list[Period]:
    """The periods ``spec`` names; :class:`Refusal` naming the rule when it names none."""
    text = spec.strip()
    try:
        if ":" in text:
            first, last = (p.strip() for p in text.split(":", 1))
            a, b = _MONTH.match(first), _MONTH.match(last)
            if a and b and 1 <= int(a[2]) <= 12 and 1 <= int(b[2]) <= 12:
                y, m = int(a[1]), int(a[2])
                end = (int(b[1]), int(b[2]))
                out: list[Period] = []
                while (y, m) <= end:
                    out.append(month(y, m))
                    y, m = (y + 1, 1) if m == 12 else (y, m + 1)
                if out:
                    return out
        elif found := _MONTH.match(text):
            if 1 <= int(found[2]) <= 12:
                return [month(int(found[1]), int(found[2]))]
        elif found := _QUARTER.match(text):
            y, q = int(found[1]), int(found[2])
            return [Period(f"{y}-Q{q}", _month_start(y, 3 * q - 2), _month_start(y, 3 * q + 1))]
        elif found := _YEAR.match(text):
            y = int(found[1])
            return [Period(str(y), dt.datetime(y, 1, 1), dt.datetime(y + 1, 1, 1))]
    except ValueError:
        pass
    report = ProblemReport()
    report.add("record.bad_period", "--period", value=spec)
    raise Refusal(report)
