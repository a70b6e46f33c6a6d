"""Where every cycle stands, for the province's leaders: each unit's stage, who is late
against the stage's deadline, the cuts not yet explained and the explanations waiting for
review; the published cycles with their results. Read-only: it changes nothing."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from chiso.web.cycles.models import Cycle, Explanation, LeafScore, ScoreSheet
from chiso.web.cycles.publications import document, latest

DEADLINE_OF = {
    Cycle.SELF: "self_assessment_ends",
    Cycle.APPRAISAL: "appraisal_ends",
    Cycle.EXPLANATION: "explanation_ends",
}
"""Which of a cycle's dates ends its current stage."""


@dataclass
class UnitProgress:
    unit: str
    sheet_id: int
    submitted: bool
    cuts: int = 0
    unanswered: int = 0
    waiting: int = 0
    late: bool = False


@dataclass
class CycleProgress:
    cycle: Cycle
    deadline: datetime.date | None
    overdue: bool
    units: list[UnitProgress] = field(default_factory=list)

    @property
    def submitted(self) -> int:
        return sum(u.submitted for u in self.units)

    @property
    def late(self) -> list[UnitProgress]:
        return [u for u in self.units if u.late]

    @property
    def unanswered(self) -> int:
        return sum(u.unanswered for u in self.units)

    @property
    def waiting(self) -> int:
        return sum(u.waiting for u in self.units)


def cycle_progress(cycle: Cycle, today: datetime.date | None = None) -> CycleProgress:
    """One open cycle's progress by unit. A unit is late when the stage's deadline has passed
    and its part is not done: its sheet not submitted in the self-assessment, a cut not
    explained in the explanation stage."""
    today = today or timezone.localdate()
    field_name = DEADLINE_OF.get(cycle.state)
    deadline = getattr(cycle, field_name) if field_name else None
    overdue = deadline is not None and today > deadline
    progress = CycleProgress(cycle, deadline, overdue)
    sheets = ScoreSheet.objects.filter(cycle=cycle).select_related("unit").order_by("unit__name")
    by_sheet: dict[int, UnitProgress] = {}
    for sheet in sheets:
        row = UnitProgress(sheet.unit.name, sheet.pk, sheet.state == ScoreSheet.SUBMITTED)
        by_sheet[sheet.pk] = row
        progress.units.append(row)
    explained = dict(
        Explanation.objects.filter(leaf__sheet__cycle=cycle).values_list("leaf_id", "outcome")
    )
    leaves = LeafScore.objects.filter(sheet__cycle=cycle).values_list(
        "pk", "sheet_id", "self_points", "appraised_points"
    )
    for pk, sheet_id, own, appraised in leaves:
        row = by_sheet[sheet_id]
        if explained.get(pk) == Explanation.PENDING:
            row.waiting += 1
        if own is not None and appraised is not None and appraised < own - 1e-9:
            row.cuts += 1
            if pk not in explained:
                row.unanswered += 1
    for row in progress.units:
        if cycle.state == Cycle.SELF:
            row.late = overdue and not row.submitted
        elif cycle.state == Cycle.EXPLANATION:
            row.late = overdue and row.unanswered > 0
    return progress


def province_progress(
    today: datetime.date | None = None,
) -> tuple[list[CycleProgress], list[Cycle]]:
    """Every cycle still open (newest first) with its progress, and the published ones."""
    open_cycles = Cycle.objects.exclude(
        state__in=(Cycle.DRAFT, Cycle.PUBLISHED, Cycle.CANCELLED)
    ).order_by("-year", "name")
    published = list(Cycle.objects.filter(state=Cycle.PUBLISHED).order_by("-year", "name"))
    return [cycle_progress(c, today) for c in open_cycles], published


@dataclass
class PublishedResults:
    """A published cycle's results in a line: its units, the mean index, who leads and who
    is last (ties named together), from its newest snapshot."""

    cycle: Cycle
    units: int
    mean_index: float | None
    first: list[str]
    last: list[str]


def published_results(cycle: Cycle) -> PublishedResults:
    doc = document(latest(cycle.pk))
    ranked = [u for u in doc.units if u.rank is not None]
    indices = [u.index for u in doc.units if u.index is not None]
    first = [u.unit for u in ranked if u.rank == 1]
    bottom = max((u.rank or 0 for u in ranked), default=0)
    last = [u.unit for u in ranked if u.rank == bottom] if bottom > 1 else []
    mean = sum(indices) / len(indices) if indices else None
    return PublishedResults(cycle, len(doc.units), mean, first, last)
