"""Adding a month to the series: compute it from the records with the library (by unit, by
field and by procedure) and store the counts, with the points of the centrally assessed
leaves, in one transaction. The months already stored are not read nor recomputed.

The current month is provisional: :func:`refresh_provisional` replaces its counts by unit
with those of the running index (:mod:`chiso.records.running`) as record files land, until
the day the administrator set to close it; from that day on it is kept like any other."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from chiso.frameworks.loader import framework_from_text
from chiso.frameworks.registry import framework_text
from chiso.problems import ProblemReport, Refusal
from chiso.records.compile import IndicatorValue
from chiso.records.engines import Run
from chiso.records.index import index_values
from chiso.records.periods import Period, parse_periods
from chiso.records.simulate import MANIFEST
from chiso.web.service_index.models import ServiceCentral, ServiceMonth, ServiceValue

Central = Mapping[str, Mapping[str, float | None]]
"""unit → centrally assessed leaf → points (None: not applicable)."""


def _one_month(period: str) -> Period:
    periods = parse_periods(period)
    if len(periods) != 1 or len(periods[0].label) != 7:
        report = ProblemReport()
        report.add("record.bad_period", "--period", value=period)
        raise Refusal(report)
    return periods[0]


def add_month(
    records: str,
    framework_code: str,
    period: str,
    central: Central | None = None,
) -> ServiceMonth:
    text = framework_text(framework_code)
    framework = framework_from_text(text, framework_code)
    periods = [_one_month(period)]
    manifest = Path(records) / MANIFEST
    simulated = manifest.is_file() and bool(
        json.loads(manifest.read_text("utf-8")).get("simulated")
    )
    rows: list[ServiceValue] = []
    with transaction.atomic():
        month = ServiceMonth.objects.create(
            framework=framework.code,
            framework_text=text,
            period=periods[0].label,
            simulated=simulated,
        )
        for by in ("unit", "field", "procedure"):
            for v in index_values(framework, periods, Run(records, by=by)):
                rows.append(_row(month, by, v))
        ServiceValue.objects.bulk_create(rows, batch_size=5000)
        store_central(month, central or {})
    return month


def _row(month: ServiceMonth, by: str, v: IndicatorValue) -> ServiceValue:
    return ServiceValue(
        month=month,
        unit=v.unit,
        grouping=by,
        key=v.key or "",
        node=v.node,
        numerator=v.numerator,
        denominator=v.denominator,
    )


def store_central(month: ServiceMonth, central: Central) -> None:
    """The month's central points, replacing those it had."""
    month.central.all().delete()
    ServiceCentral.objects.bulk_create(
        [
            ServiceCentral(month=month, unit=unit, node=node, points=points)
            for unit, nodes in central.items()
            for node, points in nodes.items()
        ]
    )


def is_closed(month: ServiceMonth, today: dt.date) -> bool:
    """A provisional month is closed from the day its administrator set; a month added in
    one go was never provisional."""
    return not month.provisional or (month.closes_on is not None and today >= month.closes_on)


def refresh_provisional(
    framework_code: str,
    period: str,
    closes_on: dt.date,
    values: Iterable[IndicatorValue],
    today: dt.date,
    simulated: bool = False,
) -> ServiceMonth:
    """Create or update the provisional month ``period`` with the running index's values by
    unit (its other months are ignored). Refused once the month is closed, or when the month
    was added whole."""
    label = _one_month(period).label
    text = framework_text(framework_code)
    framework = framework_from_text(text, framework_code)
    with transaction.atomic():
        month = ServiceMonth.objects.select_for_update().filter(period=label).first()
        if month is None:
            month = ServiceMonth.objects.create(
                framework=framework.code,
                framework_text=text,
                period=label,
                simulated=simulated,
                provisional=True,
                closes_on=closes_on,
            )
        elif is_closed(month, today):
            report = ProblemReport()
            report.add("service.month_closed", label, period=label)
            raise Refusal(report)
        month.closes_on = closes_on
        month.updated_at = timezone.now()
        month.save(update_fields=["closes_on", "updated_at"])
        month.values.filter(grouping="unit").delete()
        ServiceValue.objects.bulk_create(
            [_row(month, "unit", v) for v in values if v.period == label], batch_size=5000
        )
    return month


def close_month(period: str, closes_on: dt.date) -> None:
    """From its closing day on, the provisional month is kept like any other."""
    ServiceMonth.objects.filter(period=_one_month(period).label, provisional=True).update(
        provisional=False, closes_on=closes_on
    )
