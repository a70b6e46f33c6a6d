"""Units' lineage across the 1 July 2025 reform: successor links (old unit → new unit, date)
loaded from a CSV/XLSX file, all or nothing, every problem at once.

A commune formed in 2025 is a unit of its own: its series starts with its first cycle. Its
predecessors' results belong to them; the portal lists them beside the commune's series, each
with its unit's name, and never draws them as the commune's values."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Count, Max

from chiso.problems import ProblemReport, Refusal
from chiso.web.accounts import policy
from chiso.web.core.audit import audit
from chiso.web.core.refusals import forbidden
from chiso.web.cycles.models import Unit, UnitSuccession
from chiso.web.cycles.province_units import Upload, table_rows

COLUMNS = {
    "predecessor": {"old", "old code", "predecessor", "mã cũ", "đơn vị cũ", "mã đơn vị cũ"},
    "successor": {"new", "new code", "successor", "mã mới", "đơn vị mới", "mã đơn vị mới"},
    "date": {"date", "ngày", "ngày hiệu lực"},
}
REFORM_DAY = datetime.date(2025, 7, 1)


def _date(text: str) -> datetime.date | None:
    """A date as 01/07/2025 (Vietnamese order) or 2025-07-01."""
    for form in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text.strip(), form).date()
        except ValueError:
            continue
    return None


@dataclass(frozen=True)
class _Link:
    row: int
    predecessor: str
    successor: str
    date: datetime.date


def load_successions(actor: Any, upload: Upload) -> int:
    """Save the links of ``upload`` (new ones; a link already there is kept), or none; the
    number of links added."""
    if not policy.can_manage(actor):
        raise forbidden()
    file = Path(upload.name).name
    report = ProblemReport()
    links: list[_Link] = []
    seen: dict[tuple[str, str], int] = {}
    rows = list(table_rows(upload, COLUMNS, report))
    codes = {v[k] for _, v in rows for k in ("predecessor", "successor") if v[k]}
    units = {u.code: u for u in Unit.objects.filter(code__in=codes)}
    for row, v in rows:
        for key in ("predecessor", "successor"):
            if not v[key]:
                report.add("units.missing_value", file, row, key)
            elif v[key] not in units:
                report.add("lineage.unknown_unit", file, row, key, code=v[key])
        day = _date(v["date"])
        if day is None:
            report.add("lineage.bad_date", file, row, "date", value=v["date"])
        pair = (v["predecessor"], v["successor"])
        if pair[0] and pair[0] == pair[1]:
            report.add("lineage.same_unit", file, row, "successor", code=pair[0])
        elif pair in seen:
            report.add("lineage.duplicate", file, row, None, first=seen[pair])
        else:
            seen[pair] = row
        if day is not None and all(pair):
            links.append(_Link(row, pair[0], pair[1], day))
    if report:
        raise Refusal(report)
    added = 0
    with transaction.atomic():
        for link in links:
            made, created = UnitSuccession.objects.get_or_create(
                predecessor=units[link.predecessor],
                successor=units[link.successor],
                defaults={"date": link.date},
            )
            if created:
                added += 1
                audit(actor, None, made, "succession", None, str(made))
    return added


@dataclass(frozen=True)
class Predecessor:
    unit: Unit
    date: datetime.date


def predecessors(unit: Unit) -> list[Predecessor]:
    """The units ``unit`` was formed from, with the date, by name."""
    links = UnitSuccession.objects.filter(successor=unit).select_related("predecessor")
    return sorted(
        (Predecessor(link.predecessor, link.date) for link in links), key=lambda p: p.unit.name
    )


def stamp() -> str:
    """Changes whenever a link is added or removed: part of the key of cached pages that show
    the lineage."""
    found = UnitSuccession.objects.aggregate(count=Count("pk"), last=Max("pk"))
    return f"{found['count']}-{found['last'] or 0}"


def series_starts_at_reform(unit: Unit | None, year: int) -> bool:
    """Whether ``unit``'s series in a cycle of ``year`` starts with the reform: a commune of
    the two-level local government has no results of its own before 2025, whatever its name
    (a same-named commune of before July 2025 is another unit)."""
    return unit is not None and unit.kind == "commune" and year >= REFORM_DAY.year
