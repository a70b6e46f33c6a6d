"""What deserves a notice today, read from the cycles and the plans: a stage opened, a
stage's deadline 3 days or 1 day away, cuts waiting for an explanation, an explanation
answered, a plan's task due. Each event names its people and a key that is the same every time
it is found again, so recording it once per person is enough to never send it twice.

Whom each concerns is asked of :mod:`chiso.web.accounts.policy` (the officers of a unit, the
appraisers of a cycle), never of the roles directly."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from chiso.web.accounts.policy import appraisers_in_cycle, officers_of_units
from chiso.web.cycles.models import Cycle, Explanation, ScoreSheet
from chiso.web.cycles.scores import is_cut
from chiso.web.notifications import kinds
from chiso.web.notifications.deadlines import stage_deadline, unit_deadlines
from chiso.web.plans.models import Task

REMIND_DAYS = (3, 1)
"""A stage's deadline is reminded of when this many days are left (the 1-day notice alone
when the first run falls within a day)."""
LOOK_BACK = datetime.timedelta(days=30)
"""Answers and overdue tasks older than this are not told (a first run on an old database)."""
OPEN_STATES = (Cycle.SELF, Cycle.APPRAISAL, Cycle.EXPLANATION, Cycle.PUBLISHED)


@dataclass(frozen=True)
class Event:
    kind: str
    key: str
    object_type: str
    object_id: int
    link: str
    params: dict[str, Any]
    people: frozenset[int] = field(default_factory=frozenset)


def _iso(day: datetime.date | None) -> str:
    return day.isoformat() if day else ""


def _concerned(cycle: Cycle, units: list[Any]) -> dict[int, set[int]]:
    """{unit: people} whom the cycle's current stage concerns: the units' officers while they
    assess themselves, explain or read the results; the appraisers while they appraise."""
    if cycle.state == Cycle.APPRAISAL:
        return appraisers_in_cycle(cycle.pk)
    return officers_of_units([u.pk for u in units])


def cycle_events(today: datetime.date) -> Iterator[Event]:
    """Stages opened and deadlines near, for every cycle in a stage people act in."""
    for cycle in Cycle.objects.filter(state__in=OPEN_STATES).prefetch_related("units"):
        units = list(cycle.units.all())
        people = _concerned(cycle, units)
        link = reverse("cycles:cycle", args=[cycle.pk])
        base = {"cycle": cycle.name, "stage": cycle.state}
        deadlines = unit_deadlines(cycle, units)
        # the stage's notice tells each person their own last day (a unit's extension
        # counts; the earliest when they answer for several units): one event per day, all
        # under the stage's key, so each person is told once
        until: dict[int, datetime.date | None] = {}
        for unit in units:
            for person in people.get(unit.pk, ()):
                day, known = deadlines[unit.pk], until.get(person)
                if person not in until or (day is not None and (known is None or day < known)):
                    until[person] = day
        for day in sorted(set(until.values()), key=lambda d: d or datetime.date.min):
            yield Event(
                kinds.STAGE_OPENED,
                f"stage:{cycle.pk}:{cycle.state}",
                "cycle",
                cycle.pk,
                link,
                {**base, "until": _iso(day)},
                frozenset(p for p, d in until.items() if d == day),
            )
        for unit in units:
            ends = deadlines[unit.pk]
            if ends is None:
                continue
            left = (ends - today).days
            for days in REMIND_DAYS:
                if 0 <= left <= days and not any(0 <= left <= d for d in REMIND_DAYS if d < days):
                    yield Event(
                        kinds.DEADLINE,
                        f"deadline:{days}:{cycle.pk}:{cycle.state}:{unit.pk}:{ends.isoformat()}",
                        "cycle",
                        cycle.pk,
                        link,
                        {**base, "unit": unit.name, "date": ends.isoformat(), "days": left},
                        frozenset(people.get(unit.pk, ())),
                    )


def cut_events() -> Iterator[Event]:
    """Per sheet of a cycle in its explanation stage: the cut leaves not yet explained."""
    sheets = ScoreSheet.objects.filter(cycle__state=Cycle.EXPLANATION).select_related(
        "cycle", "unit"
    )
    officers = officers_of_units([s.unit_id for s in sheets])
    for sheet in sheets:
        unexplained = sheet.leaves.filter(explanation__isnull=True, appraised_points__isnull=False)
        waiting = [leaf for leaf in unexplained if is_cut(leaf)]
        if not waiting:
            continue
        yield Event(
            kinds.CUT_WAITING,
            f"cuts:{sheet.pk}",
            "sheet",
            sheet.pk,
            reverse("cycles:sheet-explanations", args=[sheet.pk]),
            {
                "cycle": sheet.cycle.name,
                "unit": sheet.unit.name,
                "count": len(waiting),
                "until": _iso(stage_deadline(sheet.cycle, sheet.unit)),
            },
            frozenset(officers.get(sheet.unit_id, ())),
        )


def answer_events(today: datetime.date) -> Iterator[Event]:
    """Explanations answered lately: to their author and the unit's officers."""
    since = datetime.datetime.combine(today - LOOK_BACK, datetime.time(), datetime.UTC)
    answered = (
        Explanation.objects.exclude(outcome=Explanation.PENDING)
        .filter(reviewed_at__gte=since)
        .select_related("leaf__sheet__cycle", "leaf__sheet__unit")
    )
    officers = officers_of_units([e.leaf.sheet.unit_id for e in answered])
    for explanation in answered:
        sheet = explanation.leaf.sheet
        yield Event(
            kinds.EXPLANATION_ANSWERED,
            f"answered:{explanation.pk}",
            "explanation",
            explanation.pk,
            reverse("cycles:sheet-explanations", args=[sheet.pk]),
            {
                "cycle": sheet.cycle.name,
                "unit": sheet.unit.name,
                "code": explanation.leaf.code,
                "outcome": explanation.outcome,
            },
            frozenset(officers.get(sheet.unit_id, set()) | {explanation.author_id}),
        )


def task_events(today: datetime.date) -> Iterator[Event]:
    """Unfinished plan tasks due within three days (or overdue, lately): to the officers of
    the unit that answers for the task (the plan's unit when none is named)."""
    tasks = (
        Task.objects.exclude(status=Task.DONE)
        .filter(
            deadline__lte=today + datetime.timedelta(days=max(REMIND_DAYS)),
            deadline__gte=today - LOOK_BACK,
        )
        .select_related("plan__unit", "responsible")
    )
    officers = officers_of_units([t.responsible_id or t.plan.unit_id for t in tasks])
    for task in tasks:
        assert task.deadline is not None
        answering = task.responsible_id or task.plan.unit_id
        yield Event(
            kinds.TASK_DUE,
            f"task:{task.pk}:{task.deadline.isoformat()}",
            "task",
            task.pk,
            reverse("plans:plan", args=[task.plan_id]),
            {
                "code": task.node_code,
                "unit": (task.responsible or task.plan.unit).name,
                "year": task.plan.year,
                "date": task.deadline.isoformat(),
            },
            frozenset(officers.get(answering, ())),
        )


def events(today: datetime.date) -> Iterator[Event]:
    yield from cycle_events(today)
    yield from cut_events()
    yield from answer_events(today)
    yield from task_events(today)
