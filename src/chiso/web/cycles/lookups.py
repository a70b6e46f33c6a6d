"""The lookups by id every signed-in request of a cycle starts with, each in one query.

Every page of a sheet starts by finding it with its cycle and unit, and the sheet's own page
then reads the unit's newest extension of the current stage's deadline
(:func:`.windows.window_of`): two queries, each built afresh by the ORM on every request, the
larger part of an unchanged sheet's cost once the page below the header is kept
(:mod:`.pages`). :func:`sheet_with_window` reads all four rows at once with SQL written once
per database (:mod:`chiso.web.core.rows`); it returns what ``ScoreSheet.objects
.select_related("cycle", "unit")`` and ``window_of(sheet.cycle, sheet.unit_id)`` return.
:func:`leaf_with_sheet` (a leaf with its sheet, cycle and unit: the API's leaf) and
:func:`cycle_by_id` (a cycle's page) do the same for theirs. Everything is read afresh each
time (nothing is kept between requests); whether the reader may see what was found is the
caller's question to :mod:`.policy`.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection
from django.db.models import Model

from chiso.web.core import rows
from chiso.web.cycles import windows
from chiso.web.cycles.models import Cycle, DeadlineExtension, LeafScore, ScoreSheet, Unit

_sql: dict[tuple[str, str], str] = {}


def _query(name: str, write: Callable[[], str]) -> str:
    """Query ``name``'s SQL for this database, written by ``write`` the first time."""
    sql = _sql.get((name, connection.vendor))
    if sql is None:
        sql = _sql[(name, connection.vendor)] = write()
    return sql


def _col(model: type[Model], name: str, alias: str) -> str:
    return rows.column(model, name, alias, connection)


def _sheet_sql() -> str:
    """The sheet, its cycle, its unit and the unit's extension in force for the cycle's
    current stage (the newest, as :data:`.windows.NEWEST` orders them; NULLs when none)."""
    order = ", ".join(
        f"{_col(DeadlineExtension, name.lstrip('-'), 'n')} DESC"
        if name.startswith("-")
        else _col(DeadlineExtension, name, "n")
        for name in windows.NEWEST
    )
    newest = (
        f"SELECT {_col(DeadlineExtension, 'id', 'n')}"
        f" FROM {rows.table(DeadlineExtension, connection)} n"
        f" WHERE {_col(DeadlineExtension, 'cycle_id', 'n')} = {_col(ScoreSheet, 'cycle_id', 's')}"
        f" AND {_col(DeadlineExtension, 'unit_id', 'n')} = {_col(ScoreSheet, 'unit_id', 's')}"
        f" AND {_col(DeadlineExtension, 'stage', 'n')} = {_col(Cycle, 'state', 'c')}"
        f" ORDER BY {order} LIMIT 1"
    )
    return (
        f"SELECT {rows.columns(ScoreSheet, 's', connection)},"
        f" {rows.columns(Cycle, 'c', connection)}, {rows.columns(Unit, 'u', connection)},"
        f" {rows.columns(DeadlineExtension, 'e', connection)}"
        f" FROM {rows.table(ScoreSheet, connection)} s"
        f" INNER JOIN {rows.table(Cycle, connection)} c"
        f" ON {_col(Cycle, 'id', 'c')} = {_col(ScoreSheet, 'cycle_id', 's')}"
        f" INNER JOIN {rows.table(Unit, connection)} u"
        f" ON {_col(Unit, 'id', 'u')} = {_col(ScoreSheet, 'unit_id', 's')}"
        f" LEFT JOIN {rows.table(DeadlineExtension, connection)} e"
        f" ON {_col(DeadlineExtension, 'id', 'e')} = ({newest})"
        f" WHERE {_col(ScoreSheet, 'id', 's')} = %s"
    )


def sheet_with_window(pk: int) -> tuple[ScoreSheet, windows.Window | None] | None:
    """Sheet ``pk`` with its cycle and unit, and its unit's window in the cycle's current
    stage (:func:`.windows.window_of`); None if there is no such sheet."""
    with connection.cursor() as cursor:
        cursor.execute(_query("sheet", _sheet_sql), [pk])
        row = cursor.fetchone()
    if row is None:
        return None
    read = rows.Reader(row, connection)
    sheet, cycle, unit = read.next(ScoreSheet), read.next(Cycle), read.next(Unit)
    extension = read.next(DeadlineExtension)
    assert sheet is not None and cycle is not None and unit is not None
    sheet.cycle, sheet.unit = cycle, unit
    return sheet, windows.window_with(cycle, extension)


def _leaf_sql() -> str:
    """The leaf, its sheet, the sheet's cycle and unit."""
    return (
        f"SELECT {rows.columns(LeafScore, 'l', connection)},"
        f" {rows.columns(ScoreSheet, 's', connection)},"
        f" {rows.columns(Cycle, 'c', connection)}, {rows.columns(Unit, 'u', connection)}"
        f" FROM {rows.table(LeafScore, connection)} l"
        f" INNER JOIN {rows.table(ScoreSheet, connection)} s"
        f" ON {_col(ScoreSheet, 'id', 's')} = {_col(LeafScore, 'sheet_id', 'l')}"
        f" INNER JOIN {rows.table(Cycle, connection)} c"
        f" ON {_col(Cycle, 'id', 'c')} = {_col(ScoreSheet, 'cycle_id', 's')}"
        f" INNER JOIN {rows.table(Unit, connection)} u"
        f" ON {_col(Unit, 'id', 'u')} = {_col(ScoreSheet, 'unit_id', 's')}"
        f" WHERE {_col(LeafScore, 'id', 'l')} = %s"
    )


def leaf_with_sheet(pk: int) -> LeafScore | None:
    """Leaf ``pk`` with its sheet and the sheet's cycle and unit (as ``LeafScore.objects
    .select_related("sheet__cycle", "sheet__unit")``); None if there is no such leaf."""
    with connection.cursor() as cursor:
        cursor.execute(_query("leaf", _leaf_sql), [pk])
        row = cursor.fetchone()
    if row is None:
        return None
    read = rows.Reader(row, connection)
    leaf, sheet, cycle, unit = (
        read.next(LeafScore),
        read.next(ScoreSheet),
        read.next(Cycle),
        read.next(Unit),
    )
    assert leaf is not None and sheet is not None and cycle is not None and unit is not None
    sheet.cycle, sheet.unit = cycle, unit
    leaf.sheet = sheet
    return leaf


def _cycle_sql() -> str:
    return (
        f"SELECT {rows.columns(Cycle, 'c', connection)} FROM {rows.table(Cycle, connection)} c"
        f" WHERE {_col(Cycle, 'id', 'c')} = %s"
    )


def cycle_by_id(pk: int) -> Cycle | None:
    """Cycle ``pk`` (as ``Cycle.objects.filter(pk=pk).first()``), or None."""
    with connection.cursor() as cursor:
        cursor.execute(_query("cycle", _cycle_sql), [pk])
        row = cursor.fetchone()
    return None if row is None else rows.instance(Cycle, row, 0, connection)


def any_unit_in_cycle(cycle_id: int, unit_ids: list[int]) -> bool:
    """Whether any of ``unit_ids`` is one of the cycle's units (as ``cycle.units
    .filter(pk__in=unit_ids).exists()``, in the table that links them)."""
    if not unit_ids:
        return False
    through = Cycle.units.through
    table = rows.table(through, connection)
    cycle_col = rows.column(through, "cycle_id", "m", connection)
    unit_col = rows.column(through, "unit_id", "m", connection)
    marks = ", ".join(["%s"] * len(unit_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {table} m WHERE {cycle_col} = %s AND {unit_col} IN ({marks}) LIMIT 1",
            [cycle_id, *unit_ids],
        )
        return cursor.fetchone() is not None
