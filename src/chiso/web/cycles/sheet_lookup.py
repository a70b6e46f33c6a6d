"""A sheet with its cycle, its unit and its deadline, in one query.

Every page of a sheet starts by finding it with its cycle and unit, and the sheet's own page
then reads the unit's newest extension of the current stage's deadline
(:func:`.windows.window_of`): two queries, each built afresh by the ORM on every request, the
larger part of an unchanged sheet's cost once the page below the header is kept
(:mod:`.pages`). :func:`sheet_with_window` reads all four rows at once with SQL written once
per database (:mod:`chiso.web.core.rows`); it returns what ``ScoreSheet.objects
.select_related("cycle", "unit")`` and ``window_of(sheet.cycle, sheet.unit_id)`` return, read
afresh each time (nothing is kept between requests).
"""

from __future__ import annotations

from django.db import connection

from chiso.web.core import rows
from chiso.web.cycles import windows
from chiso.web.cycles.models import Cycle, DeadlineExtension, ScoreSheet, Unit

_sql: dict[str, str] = {}


def _query() -> str:
    """The sheet, its cycle, its unit and the unit's extension in force for the cycle's
    current stage (the newest, as :data:`.windows.NEWEST` orders them; NULLs when none)."""
    sql = _sql.get(connection.vendor)
    if sql is None:

        def col(model: type, name: str, alias: str) -> str:
            return rows.column(model, name, alias, connection)

        order = ", ".join(
            f"{col(DeadlineExtension, name.lstrip('-'), 'n')} DESC"
            if name.startswith("-")
            else col(DeadlineExtension, name, "n")
            for name in windows.NEWEST
        )
        newest = (
            f"SELECT {col(DeadlineExtension, 'id', 'n')}"
            f" FROM {rows.table(DeadlineExtension, connection)} n"
            f" WHERE {col(DeadlineExtension, 'cycle_id', 'n')} = {col(ScoreSheet, 'cycle_id', 's')}"
            f" AND {col(DeadlineExtension, 'unit_id', 'n')} = {col(ScoreSheet, 'unit_id', 's')}"
            f" AND {col(DeadlineExtension, 'stage', 'n')} = {col(Cycle, 'state', 'c')}"
            f" ORDER BY {order} LIMIT 1"
        )
        sql = (
            f"SELECT {rows.columns(ScoreSheet, 's', connection)},"
            f" {rows.columns(Cycle, 'c', connection)}, {rows.columns(Unit, 'u', connection)},"
            f" {rows.columns(DeadlineExtension, 'e', connection)}"
            f" FROM {rows.table(ScoreSheet, connection)} s"
            f" INNER JOIN {rows.table(Cycle, connection)} c"
            f" ON {col(Cycle, 'id', 'c')} = {col(ScoreSheet, 'cycle_id', 's')}"
            f" INNER JOIN {rows.table(Unit, connection)} u"
            f" ON {col(Unit, 'id', 'u')} = {col(ScoreSheet, 'unit_id', 's')}"
            f" LEFT JOIN {rows.table(DeadlineExtension, connection)} e"
            f" ON {col(DeadlineExtension, 'id', 'e')} = ({newest})"
            f" WHERE {col(ScoreSheet, 'id', 's')} = %s"
        )
        _sql[connection.vendor] = sql
    return sql


def sheet_with_window(pk: int) -> tuple[ScoreSheet, windows.Window | None] | None:
    """Sheet ``pk`` with its cycle and unit, and its unit's window in the cycle's current
    stage (:func:`.windows.window_of`); None if there is no such sheet."""
    with connection.cursor() as cursor:
        cursor.execute(_query(), [pk])
        row = cursor.fetchone()
    if row is None:
        return None
    sheet = rows.instance(ScoreSheet, row, 0, connection)
    at = rows.width(ScoreSheet)
    cycle = rows.instance(Cycle, row, at, connection)
    at += rows.width(Cycle)
    unit = rows.instance(Unit, row, at, connection)
    at += rows.width(Unit)
    extension = rows.instance(DeadlineExtension, row, at, connection)
    assert sheet is not None and cycle is not None and unit is not None
    sheet.cycle, sheet.unit = cycle, unit
    return sheet, windows.window_with(cycle, extension)
