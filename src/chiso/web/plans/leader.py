"""The improvement plans on the leader's view and in its one-page brief (places
``cycles.leader`` and ``cycles.leader_brief`` of :mod:`chiso.web.core.panels`, registered by
:class:`chiso.web.plans.apps.PlansConfig`): the leader's page lives in the cycles app, below
this one, and knows nothing of plans.

For each published cycle with plans: how many units have one, their tasks by status, those
past their deadline and not done, and the responsible units with the most tasks still open."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils.translation import gettext

from chiso.reports.brief import Section
from chiso.web.cycles.models import Cycle
from chiso.web.plans.models import ImprovementPlan, Task

TOP_UNITS = 5
"""Responsible units named in the brief, those with the most open tasks first."""


@dataclass
class UnitTasks:
    unit: str
    open: int = 0
    overdue: int = 0


@dataclass
class PlansProgress:
    cycle: Cycle
    plans: int = 0
    tasks: int = 0
    done: int = 0
    doing: int = 0
    todo: int = 0
    overdue: int = 0
    by_unit: list[UnitTasks] = field(default_factory=list)


def plans_progress(published: list[Cycle], today: datetime.date) -> list[PlansProgress]:
    """The plans of the published cycles that have any, in the order of ``published``."""
    by_cycle = {c.pk: PlansProgress(c) for c in published}
    counted = ImprovementPlan.objects.filter(cycle__in=by_cycle).values_list("cycle_id", flat=True)
    for cycle_id in counted:
        by_cycle[cycle_id].plans += 1
    units: dict[tuple[int, str], UnitTasks] = {}
    tasks = Task.objects.filter(plan__cycle__in=by_cycle).values_list(
        "plan__cycle_id", "status", "deadline", "responsible__name"
    )
    for cycle_id, status, deadline, responsible in tasks:
        row = by_cycle[cycle_id]
        row.tasks += 1
        setattr(row, status, getattr(row, status) + 1)
        if status == Task.DONE:
            continue
        late = deadline is not None and deadline < today
        row.overdue += late
        if responsible:
            unit = units.setdefault((cycle_id, responsible), UnitTasks(responsible))
            if not unit.open:
                row.by_unit.append(unit)
            unit.open += 1
            unit.overdue += late
    found = [p for p in by_cycle.values() if p.plans]
    for p in found:
        p.by_unit.sort(key=lambda u: (-u.overdue, -u.open, u.unit))
    return found


def leader_panel(published: list[Cycle], today: datetime.date, lang: str) -> str:
    """The plans' part of the leader's page."""
    return render_to_string(
        "plans/leader_panel.html", {"progress": plans_progress(published, today)}
    )


def leader_brief(published: list[Cycle], today: datetime.date, lang: str) -> list[Section]:
    """The plans' section of the leader's brief."""
    lines = []
    for p in plans_progress(published, today):
        lines.append(
            gettext(
                "%(cycle)s: %(plans)s kế hoạch, %(tasks)s nhiệm vụ (%(done)s hoàn thành, "
                "%(doing)s đang thực hiện, %(todo)s chưa thực hiện; %(overdue)s quá hạn)"
            )
            % {
                "cycle": p.cycle.name,
                "plans": p.plans,
                "tasks": p.tasks,
                "done": p.done,
                "doing": p.doing,
                "todo": p.todo,
                "overdue": p.overdue,
            }
        )
        if p.by_unit:
            named = ", ".join(
                gettext("%(unit)s (%(open)s, quá hạn %(overdue)s)")
                % {"unit": u.unit, "open": u.open, "overdue": u.overdue}
                for u in p.by_unit[:TOP_UNITS]
            )
            lines.append(gettext("Đơn vị còn nhiều nhiệm vụ: %(units)s") % {"units": named})
    if not lines:
        return []
    return [Section(gettext("Kế hoạch nâng cao chỉ số"), tuple(lines))]
