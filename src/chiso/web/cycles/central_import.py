"""Survey-sourced and centrally assessed points for a cycle, from a CSV or XLSX table
(``unit, node, value``, as ``chiso survey estimate --points-out`` writes it): all or
nothing, every problem reported."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.db import transaction

from chiso.problems import InputError, ProblemReport
from chiso.tables.sources import open_table
from chiso.web.accounts import policy
from chiso.web.cycles import services
from chiso.web.cycles.models import Cycle, LeafScore


def import_points(actor: Any, cycle: Cycle, data: bytes, name: str) -> int:
    if not policy.can_enter_central_points(actor, cycle):
        raise services.Forbidden()
    suffix = Path(name).suffix.lower() or ".csv"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"points{suffix}"
        path.write_bytes(data)
        table = open_table(path)
        rows = list(table.rows)
    report = ProblemReport()
    header = [h.casefold() for h in table.header]
    need = ("unit", "node", "value")
    if any(k not in header for k in need):
        report.add("file.no_unit_column", name, 1)
        raise InputError(report)
    at = {k: header.index(k) for k in need}
    leaves = {
        (x.sheet.unit.name, x.code): x
        for x in LeafScore.objects.filter(sheet__cycle=cycle).select_related("sheet__unit")
    }
    by_code = {x.sheet.unit.code: x.sheet.unit.name for x in leaves.values()}
    fw = services.framework_of(cycle)
    updates = []
    for row, cells in rows:
        cells = cells + [None] * (len(header) - len(cells))
        unit = str(cells[at["unit"]] or "").strip()
        unit = by_code.get(unit, unit)
        code = str(cells[at["node"]] or "").strip()
        leaf = leaves.get((unit, code))
        if leaf is None:
            report.add(
                "unit.unknown" if code in {n.code for n in fw.walk()} else "node.unknown",
                name,
                row,
                "unit",
                unit=unit,
                node=code,
                framework=cycle.framework_code,
            )
            continue
        node = fw.node(code)
        if node.source not in ("survey", "central", "data"):
            report.add("cycle.not_central", name, row, "node", node=code)
            continue
        value = cells[at["value"]]
        try:
            points = float(str(value).replace(",", ".")) if value is not None else None
        except ValueError:
            points = None
        if points is None or points < 0 or (node.max is not None and points > node.max + 1e-9):
            report.add(
                "value.above_max" if points else "value.not_number",
                name,
                row,
                "value",
                value=value,
                max=node.max,
                node=code,
            )
            continue
        updates.append((leaf, points))
    if report:
        raise InputError(report)
    with transaction.atomic():
        for leaf, points in updates:
            fresh = LeafScore.objects.select_related("sheet__cycle").get(pk=leaf.pk)
            services.enter_central_points(actor, fresh, points, f"nhập từ {name}", fresh.version)
    return len(updates)
