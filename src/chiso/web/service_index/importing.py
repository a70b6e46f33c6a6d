"""Adding a month to the series: compute it from the records with the library (by unit, by
field and by procedure) and store the counts in one transaction. The months already stored are
not read nor recomputed."""

from __future__ import annotations

import json
from pathlib import Path

from django.db import transaction

from chiso.frameworks.loader import framework_from_text
from chiso.frameworks.registry import framework_text
from chiso.problems import ProblemReport, Refusal
from chiso.records.engines import Run
from chiso.records.index import index_values
from chiso.records.periods import parse_periods
from chiso.records.simulate import MANIFEST
from chiso.web.service_index.models import ServiceMonth, ServiceValue


def add_month(records: str, framework_code: str, period: str) -> ServiceMonth:
    text = framework_text(framework_code)
    framework = framework_from_text(text, framework_code)
    periods = parse_periods(period)
    if len(periods) != 1 or len(periods[0].label) != 7:
        report = ProblemReport()
        report.add("record.bad_period", "--period", value=period)
        raise Refusal(report)
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
                rows.append(
                    ServiceValue(
                        month=month,
                        unit=v.unit,
                        grouping=by,
                        key=v.key or "",
                        node=v.node,
                        numerator=v.numerator,
                        denominator=v.denominator,
                    )
                )
        ServiceValue.objects.bulk_create(rows, batch_size=5000)
    return month
