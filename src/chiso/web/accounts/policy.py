"""The one place that answers "may this person do this to this object".

Every view and API endpoint asks here; nothing else decides. Objects a person may not even
see are answered with 404 by the callers, so their existence does not leak: they look objects
up in the scoped querysets below (``visible_cycles``, ``visible_sheets``…), which hold exactly
what the ``can_see_*`` / ``can_view_*`` answers allow (tests/web/test_policy.py checks both
agree), so lists and single objects follow the same rule.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from chiso.web.accounts.models import Role
from chiso.web.cycles.models import Cycle, Evidence, LeafScore, ScoreSheet


def _roles(user: Any) -> list[Role]:
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_chiso_roles", None)
    if cached is None:
        cached = list(Role.objects.filter(user=user))
        user._chiso_roles = cached
    return cached


def forget(user: Any) -> None:
    """Drop the roles remembered on this user object (after roles change in the same request)."""
    if hasattr(user, "_chiso_roles"):
        del user._chiso_roles


def is_admin(user: Any) -> bool:
    return any(r.kind == Role.ADMIN for r in _roles(user))


def is_officer_of(user: Any, unit_id: int) -> bool:
    return any(r.kind == Role.OFFICER and r.unit_id == unit_id for r in _roles(user))


def is_appraiser_of(user: Any, sheet: ScoreSheet) -> bool:
    return any(
        r.kind == Role.APPRAISER and r.cycle_id == sheet.cycle_id and r.unit_id == sheet.unit_id
        for r in _roles(user)
    )


def is_chair_of(user: Any, cycle: Cycle) -> bool:
    return any(r.kind == Role.CHAIR and r.cycle_id == cycle.pk for r in _roles(user))


def can_see_cycle(user: Any, cycle: Cycle) -> bool:
    if is_admin(user) or is_chair_of(user, cycle):
        return True
    return any(
        r.cycle_id == cycle.pk
        or (r.kind == Role.OFFICER and cycle.units.filter(pk=r.unit_id).exists())
        for r in _roles(user)
    )


def can_view_sheet(user: Any, sheet: ScoreSheet) -> bool:
    """Admins, the cycle's chair, the sheet's appraisers and the unit's officers."""
    return (
        is_admin(user)
        or is_chair_of(user, sheet.cycle)
        or is_appraiser_of(user, sheet)
        or is_officer_of(user, sheet.unit_id)
    )


def can_see_results(user: Any, cycle: Cycle) -> bool:
    """The computed results before publication, and the audit trail: admins and the chair."""
    return is_admin(user) or is_chair_of(user, cycle)


def can_read_audit(user: Any, cycle: Cycle) -> bool:
    return can_see_results(user, cycle)


def can_make_tokens(user: Any) -> bool:
    """Anyone signed in may make API tokens: a token acts with its person's own roles."""
    return bool(getattr(user, "is_authenticated", False))


def can_revoke_token(user: Any, token: Any) -> bool:
    """A person revokes their own tokens; an administrator anyone's (a leaked key)."""
    return bool(getattr(user, "is_authenticated", False)) and (
        token.user_id == user.pk or is_admin(user)
    )


def token_may_write(token: Any) -> bool:
    """A machine client changes data only with a token made for reading and writing."""
    return token is None or token.scope == "write"


def can_publish(user: Any, cycle: Cycle) -> bool:
    """The council's chair publishes (whether the cycle is ready is the workflow's rule)."""
    return is_chair_of(user, cycle)


def can_see_archive(user: Any) -> bool:
    """The archive of published results (PAR INDEX, SIPAS, PAPI as their publishers printed
    them) is public: published figures are facts, read by anyone, signed in or not. Loading it
    is done on the server (``chiso archive load``), not through the web."""
    return True


def published_cycles() -> QuerySet[Cycle]:
    """What everyone, signed in or not, may read: the published cycles."""
    return Cycle.objects.filter(state=Cycle.PUBLISHED)


def visible_cycles(user: Any, *, published: bool = False) -> QuerySet[Cycle]:
    """The cycles ``user`` may see (as :func:`can_see_cycle`); with ``published``, every
    published cycle as well, as the public sees them."""
    if is_admin(user):
        return Cycle.objects.all()
    roles = _roles(user)
    rule = Q(pk__in=[r.cycle_id for r in roles if r.cycle_id is not None]) | Q(
        units__in=[r.unit_id for r in roles if r.kind == Role.OFFICER]
    )
    if published:
        rule |= Q(state=Cycle.PUBLISHED)
    return Cycle.objects.filter(pk__in=Cycle.objects.filter(rule).values("pk"))


def visible_sheets(user: Any) -> QuerySet[ScoreSheet]:
    """The score sheets ``user`` may see (as :func:`can_view_sheet`)."""
    if is_admin(user):
        return ScoreSheet.objects.all()
    rule = Q(pk__in=[])
    for r in _roles(user):
        if r.kind == Role.CHAIR:
            rule |= Q(cycle_id=r.cycle_id)
        elif r.kind == Role.APPRAISER:
            rule |= Q(cycle_id=r.cycle_id, unit_id=r.unit_id)
        elif r.kind == Role.OFFICER:
            rule |= Q(unit_id=r.unit_id)
    return ScoreSheet.objects.filter(rule)


def visible_leaves(user: Any) -> QuerySet[LeafScore]:
    return LeafScore.objects.filter(sheet__in=visible_sheets(user))


def visible_evidence(user: Any) -> QuerySet[Evidence]:
    return Evidence.objects.filter(leaf__sheet__in=visible_sheets(user))


def window_open(cycle: Cycle) -> bool:
    """The current window has not passed its closing date (the day itself still counts)."""
    closing = {
        Cycle.SELF: cycle.self_assessment_ends,
        Cycle.APPRAISAL: cycle.appraisal_ends,
        Cycle.EXPLANATION: cycle.explanation_ends,
    }.get(cycle.state)
    return closing is None or timezone.localdate() <= closing


def can_self_assess(user: Any, sheet: ScoreSheet) -> bool:
    return (
        is_officer_of(user, sheet.unit_id)
        and sheet.cycle.state == Cycle.SELF
        and sheet.state == ScoreSheet.DRAFT
        and window_open(sheet.cycle)
    )


def can_appraise(user: Any, sheet: ScoreSheet) -> bool:
    return (
        is_appraiser_of(user, sheet)
        and sheet.cycle.state == Cycle.APPRAISAL
        and window_open(sheet.cycle)
    )


def can_request_explanation(user: Any, sheet: ScoreSheet) -> bool:
    return can_appraise(user, sheet)


def can_explain(user: Any, sheet: ScoreSheet) -> bool:
    return (
        is_officer_of(user, sheet.unit_id)
        and sheet.cycle.state == Cycle.EXPLANATION
        and window_open(sheet.cycle)
    )


def explanation_closed_for(user: Any, sheet: ScoreSheet) -> bool:
    """The unit's officer in the explanation stage after its deadline: refused, and told that
    the window has closed rather than that they may not explain."""
    return (
        is_officer_of(user, sheet.unit_id)
        and sheet.cycle.state == Cycle.EXPLANATION
        and not window_open(sheet.cycle)
    )


def can_add_evidence(user: Any, leaf: LeafScore) -> bool:
    sheet = leaf.sheet
    return can_self_assess(user, sheet) or can_explain(user, sheet)


def can_enter_central_points(user: Any, cycle: Cycle) -> bool:
    """Survey-sourced and centrally assessed points: the administrator, until finalised."""
    return is_admin(user) and cycle.state in (Cycle.SELF, Cycle.APPRAISAL, Cycle.EXPLANATION)


def can_manage(user: Any) -> bool:
    return is_admin(user)


def can_advance(user: Any, cycle: Cycle, to_state: str) -> bool:
    """Admins open and move the windows; the chair finalises and publishes."""
    if to_state in (Cycle.FINALISED, Cycle.PUBLISHED):
        return is_chair_of(user, cycle)
    return is_admin(user)


def can_review_explanation(user: Any, sheet: ScoreSheet) -> bool:
    """The sheet's appraiser re-examines the explained cuts while the cycle is in its
    explanation stage (the unit's window may have closed: answers come after it)."""
    return is_appraiser_of(user, sheet) and sheet.cycle.state == Cycle.EXPLANATION


def can_correct(user: Any, cycle: Cycle) -> bool:
    """A correction after publication: the council's chair, who publishes it as a revision."""
    return is_chair_of(user, cycle) and cycle.state == Cycle.PUBLISHED


def can_set_ranked(user: Any, cycle: Cycle) -> bool:
    """Whether a unit is ranked: the administrator until the results are finalised; after
    publication, the chair, as part of a correction."""
    if cycle.state == Cycle.PUBLISHED:
        return is_chair_of(user, cycle)
    return is_admin(user) and cycle.state != Cycle.FINALISED


# --- improvement plans and the analysis of results (chiso.web.plans) ---------------------------


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


def visible_plans(user: Any) -> QuerySet[Any]:
    """The plans ``user`` may see (as :func:`can_view_plan`): all for admins; for a unit's
    officers, their unit's plans and the plans with a task their unit answers for."""
    from chiso.web.plans.models import ImprovementPlan

    if is_admin(user):
        return ImprovementPlan.objects.all()
    units = [r.unit_id for r in _roles(user) if r.kind == Role.OFFICER]
    return ImprovementPlan.objects.filter(
        pk__in=ImprovementPlan.objects.filter(
            Q(unit_id__in=units) | Q(tasks__responsible_id__in=units)
        ).values("pk")
    )


def can_view_plan(user: Any, plan: Any) -> bool:
    if is_admin(user) or is_officer_of(user, plan.unit_id):
        return True
    return any(is_officer_of(user, t.responsible_id) for t in plan.tasks.all() if t.responsible_id)


def can_update_task(user: Any, task: Any) -> bool:
    """The responsible unit's officers report on their task; the administrator may too."""
    return is_admin(user) or (
        task.responsible_id is not None and is_officer_of(user, task.responsible_id)
    )


def can_see_responsibility_report(user: Any, cycle: Cycle) -> bool:
    """Points lost per responsible unit, with the appraisers' reasons: for those who see the
    computed results (admins, the chair), once they are final."""
    return cycle.state in (Cycle.FINALISED, Cycle.PUBLISHED) and can_see_results(user, cycle)


def can_see_service_index(user: Any) -> bool:
    """The monthly service index is public, as the National Public Service Portal publishes it:
    everyone, signed in or not."""
    return True
