"""When a stage of a cycle ends for a unit: the one function notices ask.

Today the cycle's own date for the stage (``self_assessment_ends``, ``appraisal_ends``,
``explanation_ends``). A deadline extended for one unit would be answered here, and every
notice (the 3-day and 1-day reminders, the stage's "until") would follow it: the notice's key
carries the date, so an extended deadline is reminded of again."""

from __future__ import annotations

import datetime
from typing import Any

from chiso.web.cycles.models import Cycle

STAGE_ENDS = {
    Cycle.SELF: "self_assessment_ends",
    Cycle.APPRAISAL: "appraisal_ends",
    Cycle.EXPLANATION: "explanation_ends",
}
"""The stages that have a deadline, and the cycle's field holding it."""


def stage_deadline(cycle: Cycle, unit: Any | None = None) -> datetime.date | None:
    """The last day of ``cycle``'s current stage for ``unit`` (for everyone when None); None
    when the stage has no deadline."""
    field = STAGE_ENDS.get(cycle.state)
    if field is None:
        return None
    ends: datetime.date | None = getattr(cycle, field)
    return ends
