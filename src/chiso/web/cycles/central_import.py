"""Survey-sourced and centrally assessed points for a cycle, from a CSV or XLSX table in the
long form ``chiso survey estimate --points-out`` writes (``unit, node, value[, se]``): all or
nothing, every problem reported with its row.

The file is read by the same reader as ``chiso score`` (:func:`chiso.tables.reading.read_scores`),
so the rules are the same everywhere: a value given for a node and for its parts must agree,
standard errors go with values. Leaves are stored as points; an inner node or the total
(``total``) contributes its standard error, which only the survey design could compute (the
parts covary), and its value only as a check of its parts."""

from __future__ import annotations

import math
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db import connection, transaction
from django.db.models import F

from chiso.problems import ProblemReport, Refusal
from chiso.scoring.plan import ScoringPlan
from chiso.tables.reading import read_scores
from chiso.web.core.audit import audit, audit_all
from chiso.web.core.audit import entry as audit_entry
from chiso.web.core.frameworks import framework_of, plan_of
from chiso.web.core.refusals import forbidden
from chiso.web.cycles import policy
from chiso.web.cycles.models import Cycle, LeafScore, ScoreSheet

CENTRAL_SOURCES = ("survey", "central", "data")
EXTRA_ROWS = 200
"""Rows a points file may have beyond one per unit and node (repeated values, notes) before
it is refused: the file is read no further than that."""


def import_points(actor: Any, cycle: Cycle, data: bytes, name: str) -> int:
    if not policy.can_enter_central_points(actor, cycle):
        raise forbidden()
    name = Path(name).name or "points.csv"
    fw = framework_of(cycle)
    plan = plan_of(cycle)
    suffix = Path(name).suffix.lower() if Path(name).suffix.lower() in (".xlsx", ".csv") else ".csv"
    sheets = {s.unit.name: s for s in cycle.sheets.select_related("unit")}
    # one row per unit and node (the total included) in the long form, one per unit in the
    # wide form: more rows than that are not this cycle's points
    most = len(sheets) * (len(plan.nodes) + 1) + EXTRA_ROWS
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"points{suffix}"
        path.write_bytes(data)
        try:
            parsed = read_scores(str(path), fw, plan, max_rows=most)
        except Refusal as exc:
            raise Refusal(exc.report.for_file(name)) from None
    by_code = {s.unit.code: s.unit.name for s in sheets.values()}
    leaves = dict(  # (unit, code): id, as plain values (a cycle has thousands of leaves)
        ((unit, code), pk)
        for pk, unit, code in LeafScore.objects.filter(sheet__cycle=cycle).values_list(
            "pk", "sheet__unit__name", "code"
        )
    )
    report = ProblemReport()
    updates: list[tuple[int, float]] = []  # leaf id, points
    errors: dict[str, dict[str, float]] = {}
    given: dict[str, set[str]] = {}  # per unit: the codes the file gives
    for u, raw_unit in enumerate(parsed.units):
        unit = by_code.get(raw_unit, raw_unit)
        for j in np.flatnonzero(~np.isnan(parsed.given[:, u]) | parsed.na[:, u]):
            row, column = parsed.cells.get((int(j), u), (None, "value"))
            pn = plan.nodes[j]
            code = pn.code  # the total's is TOTAL_CODE
            if unit not in sheets:
                report.add("unit.unknown", name, row, "unit", unit=unit)
                break
            if parsed.na[j, u]:
                report.add("value.not_number", name, row, column, value="KAD", node=code)
                continue
            points = float(parsed.given[j, u])
            given.setdefault(unit, set()).add(code)
            if j < plan.n_leaves:
                source = pn.node.source if pn.node is not None else None
                if source not in CENTRAL_SOURCES:
                    report.add("cycle.not_central", name, row, "node", node=code)
                    continue
                if not math.isnan(pn.max) and points > pn.max + 1e-9:
                    report.add(
                        "value.above_max", name, row, column, value=points, max=pn.max, node=code
                    )
                    continue
                updates.append((leaves[(unit, code)], points))
            elif _parts_missing(parsed.given[:, u], plan, int(j)):
                # the web cycle stores leaves: a node's value alone cannot be kept
                report.add("cycle.inner_without_parts", name, row, "node", node=code)
                continue
            se = None if parsed.se is None else float(parsed.se[j, u])
            if se is not None and not math.isnan(se):
                errors.setdefault(unit, {})[code] = se
    if report:
        raise Refusal(report)
    with transaction.atomic():
        _enter(actor, cycle, updates, f"nhập từ {name}")
        for unit, codes in given.items():
            # the file's estimates replace every error they bear on: of what it gives, of
            # the nodes above, and of the total (an older total's would not match new parts)
            stale = codes | {a for c in codes for a in plan.above(c)}
            sheet = ScoreSheet.objects.select_for_update().get(pk=sheets[unit].pk)
            old = dict(sheet.standard_errors)
            new = {c: v for c, v in old.items() if c not in stale} | errors.get(unit, {})
            if new != old:
                sheet.standard_errors = new
                sheet.save(update_fields=["standard_errors"])
                audit(actor, cycle, sheet, "standard_errors", old, new, f"nhập từ {name}")
    return len(updates)


def _enter(actor: Any, cycle: Cycle, updates: list[tuple[int, float]], reason: str) -> None:
    """The file's points, every value checked above: the leaves locked, each one's version
    moved on (a page that read it before will be told of the change), the sheets' pages made
    afresh, and one audit entry per value, written together. (The standard errors the points
    bear on are replaced by the caller.) One statement run for every leaf (executemany, the
    table's and columns' names from the model): Django's bulk_update builds a CASE of every row
    for every field, and an update() per leaf compiles a query each: seconds for 1,500 values
    either way."""
    ids = [pk for pk, _ in updates]
    locked = LeafScore.objects.select_for_update().filter(pk__in=ids)
    found = list(locked.values_list("pk", "appraised_points", "sheet_id"))
    before = {pk: old for pk, old, _ in found}
    meta = LeafScore._meta
    column = {n: meta.get_field(n).column for n in ("appraised_points", "appraisal_reason")}
    version = meta.get_field("version").column
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {meta.db_table} SET {column['appraised_points']} = %s, "
            f"{column['appraisal_reason']} = %s, {version} = {version} + 1 "
            f"WHERE {meta.pk.column} = %s",
            [(points, reason, pk) for pk, points in updates],
        )
    entries = [
        audit_entry(actor, cycle, LeafScore(pk=pk), "central_points", before[pk], points, reason)
        for pk, points in updates
    ]
    sheets = {sheet for _, _, sheet in found}
    ScoreSheet.objects.filter(pk__in=sheets).update(revision=F("revision") + 1)
    audit_all(entries)


def _parts_missing(values: npt.NDArray[np.float64], plan: ScoringPlan, j: int) -> bool:
    """True when an inner node's leaves are not all given beside it in the file."""
    return bool(np.isnan(values[plan.leaves_below(j)]).any())
