"""When a stage of a cycle ends for a unit: the one function notices ask.

The unit's window as its sheet shows it (:func:`chiso.web.cycles.windows.window_of`): the
cycle's own date for the stage, or the later date of an extension an administrator granted to
the unit. Every notice (the 3-day and 1-day reminders, the stage's "until", the cuts'
"until") follows it; the reminder's key carries the date, so an extended deadline is
reminded of again."""

from __future__ import annotations

import datetime
from typing import Any

from chiso.web.cycles.models import Cycle
from chiso.web.cycles.windows import extended_ends, window_of


def stage_deadline(cycle: Cycle, unit: Any | None = None) -> datetime.date | None:
    """The last day of ``cycle``'s current stage for ``unit`` (its own extension counts; for
    everyone when None); None when the stage has no deadline."""
    window = window_of(cycle, None if unit is None else unit.pk)
    return None if window is None else window.ends


def unit_deadlines(cycle: Cycle, units: list[Any]) -> dict[int, datetime.date | None]:
    """:func:`stage_deadline` of each of ``units`` ({unit id: last day}), in one query."""
    everyone = stage_deadline(cycle)
    own = extended_ends(cycle)
    return {unit.pk: own.get(unit.pk, everyone) for unit in units}
