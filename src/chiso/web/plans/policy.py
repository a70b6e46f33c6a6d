"""The one place that answers "may this person see or change this plan, task or analysis of
results". Every page and API operation of the plans asks here; people's roles come from
:mod:`chiso.web.accounts.policy`, a cycle's rules from :mod:`chiso.web.cycles.policy`.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from chiso.web.accounts.policy import is_admin, is_officer_of, officer_units
from chiso.web.cycles.models import Cycle, ScoreSheet
from chiso.web.cycles.policy import can_see_results, can_view_sheet
from chiso.web.plans.models import ImprovementPlan, Task


def can_see_gaps(user: Any, sheet: ScoreSheet) -> bool:
    """The gap table of a sheet compares it with every other unit's points: those who see the
    sheet see it once the cycle is published (the others' points are public then); before,
    only those who see the computed results (admins, the chair) once they are final."""
    if not can_view_sheet(user, sheet):
        return False
    state = sheet.cycle.state
    return state == Cycle.PUBLISHED or (
        state == Cycle.FINALISED and can_see_results(user, sheet.cycle)
    )


def can_manage_plans(user: Any) -> bool:
    """The administrator keeps the responsibility map and makes the plans."""
    return is_admin(user)


def visible_plans(user: Any) -> QuerySet[ImprovementPlan]:
    """The plans ``user`` may see (as :func:`can_view_plan`): all for admins; for a unit's
    officers, their unit's plans and the plans with a task their unit answers for."""
    if is_admin(user):
        return ImprovementPlan.objects.all()
    units = officer_units(user)
    return ImprovementPlan.objects.filter(
        pk__in=ImprovementPlan.objects.filter(
            Q(unit_id__in=units) | Q(tasks__responsible_id__in=units)
        ).values("pk")
    )


def can_view_plan(user: Any, plan: ImprovementPlan) -> bool:
    if is_admin(user) or is_officer_of(user, plan.unit_id):
        return True
    return any(is_officer_of(user, t.responsible_id) for t in plan.tasks.all() if t.responsible_id)


def can_update_task(user: Any, task: Task) -> bool:
    """The responsible unit's officers report on their task; the administrator may too."""
    return is_admin(user) or (
        task.responsible_id is not None and is_officer_of(user, task.responsible_id)
    )


def can_see_responsibility_report(user: Any, cycle: Cycle) -> bool:
    """Points lost per responsible unit, with the appraisers' reasons: for those who see the
    computed results (admins, the chair), once they are final."""
    return cycle.state in (Cycle.FINALISED, Cycle.PUBLISHED) and can_see_results(user, cycle)
