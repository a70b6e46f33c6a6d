"""The one place that answers "may this person do this to this cycle, sheet, leaf or file".

Every page and API operation of a cycle asks here (people's roles come from
:mod:`chiso.web.accounts.policy`, which alone names them). Objects a person may not even see
are answered with 404 by the callers, so their existence does not leak: they look objects up in
the scoped querysets below (``visible_cycles``, ``visible_sheets``…), which hold exactly what
the ``can_see_*`` / ``can_view_*`` answers allow (tests/web/test_policy.py checks both agree),
so lists and single objects follow the same rule.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from chiso.web.accounts.policy import (
    appraised_units,
    chaired_cycles,
    is_admin,
    is_appraiser_of,
    is_chair_of,
    is_leader,
    is_officer_of,
    officer_units,
    role_cycles,
)
from chiso.web.cycles.lookups import any_unit_in_cycle
from chiso.web.cycles.models import Cycle, Evidence, LeafScore, ScoreSheet
from chiso.web.cycles.windows import window_of


def can_see_cycle(user: Any, cycle: Cycle) -> bool:
    """A cancelled cycle is the administrator's alone to read."""
    if is_admin(user):
        return True
    if cycle.state == Cycle.CANCELLED:
        return False
    if is_chair_of(user, cycle) or cycle.pk in role_cycles(user):
        return True
    return any_unit_in_cycle(cycle.pk, officer_units(user))


def can_view_sheet(user: Any, sheet: ScoreSheet) -> bool:
    """Admins, the cycle's chair, the sheet's appraisers and the unit's officers (a cancelled
    cycle's sheets: admins only)."""
    if is_admin(user):
        return True
    return sheet.cycle.state != Cycle.CANCELLED and (
        is_chair_of(user, sheet.cycle)
        or is_appraiser_of(user, sheet)
        or is_officer_of(user, sheet.unit_id)
    )


def can_see_results(user: Any, cycle: Cycle) -> bool:
    """The computed results before publication, and the audit trail: admins and the chair."""
    return is_admin(user) or is_chair_of(user, cycle)


def can_read_audit(user: Any, cycle: Cycle) -> bool:
    return can_see_results(user, cycle)


def can_publish(user: Any, cycle: Cycle) -> bool:
    """The council's chair publishes (whether the cycle is ready is the workflow's rule)."""
    return is_chair_of(user, cycle)


def published_cycles() -> QuerySet[Cycle]:
    """What everyone, signed in or not, may read: the published cycles."""
    return Cycle.objects.filter(state=Cycle.PUBLISHED)


def visible_cycles(user: Any, *, published: bool = False) -> QuerySet[Cycle]:
    """The cycles ``user`` may see (as :func:`can_see_cycle`); with ``published``, every
    published cycle as well, as the public sees them."""
    if is_admin(user):
        return Cycle.objects.all()
    rule = Q(pk__in=role_cycles(user)) | Q(units__in=officer_units(user))
    if published:
        rule |= Q(state=Cycle.PUBLISHED)
    return Cycle.objects.filter(
        pk__in=Cycle.objects.filter(rule).exclude(state=Cycle.CANCELLED).values("pk")
    )


def visible_sheets(user: Any) -> QuerySet[ScoreSheet]:
    """The score sheets ``user`` may see (as :func:`can_view_sheet`)."""
    if is_admin(user):
        return ScoreSheet.objects.all()
    rule = Q(pk__in=[])
    for cycle_id in chaired_cycles(user):
        rule |= Q(cycle_id=cycle_id)
    for cycle_id, unit_id in appraised_units(user):
        rule |= Q(cycle_id=cycle_id, unit_id=unit_id)
    for unit_id in officer_units(user):
        rule |= Q(unit_id=unit_id)
    return ScoreSheet.objects.filter(rule).exclude(cycle__state=Cycle.CANCELLED)


def working_cycles(cycles: QuerySet[Cycle]) -> QuerySet[Cycle]:
    """The cycles of working lists (home, administration, the leader's view): not cancelled."""
    return cycles.exclude(state=Cycle.CANCELLED)


def can_cancel(user: Any, cycle: Cycle) -> bool:
    """The administrator cancels a cycle opened by mistake (the workflow refuses a published
    one, saying why)."""
    return is_admin(user)


def visible_leaves(user: Any) -> QuerySet[LeafScore]:
    return LeafScore.objects.filter(sheet__in=visible_sheets(user))


def visible_evidence(user: Any) -> QuerySet[Evidence]:
    return Evidence.objects.filter(leaf__sheet__in=visible_sheets(user))


def window_open(cycle: Cycle, unit_id: int | None = None) -> bool:
    """The current window has not passed its closing date for the unit (the day itself still
    counts; an extension granted to the unit moves it): :func:`.windows.window_of`."""
    window = window_of(cycle, unit_id)
    return window is None or window.open


def can_self_assess(user: Any, sheet: ScoreSheet) -> bool:
    return (
        is_officer_of(user, sheet.unit_id)
        and sheet.cycle.state == Cycle.SELF
        and sheet.state == ScoreSheet.DRAFT
        and window_open(sheet.cycle, sheet.unit_id)
    )


def can_withdraw(user: Any, sheet: ScoreSheet) -> bool:
    """The unit's officer takes back a submitted sheet while self-assessment is still open."""
    return (
        is_officer_of(user, sheet.unit_id)
        and sheet.cycle.state == Cycle.SELF
        and sheet.state == ScoreSheet.SUBMITTED
        and window_open(sheet.cycle, sheet.unit_id)
    )


def can_extend(user: Any, cycle: Cycle) -> bool:
    """Deadlines are the administrator's, until the stages with a window are over."""
    return is_admin(user) and cycle.state in (
        Cycle.DRAFT,
        Cycle.SELF,
        Cycle.APPRAISAL,
        Cycle.EXPLANATION,
    )


def can_appraise(user: Any, sheet: ScoreSheet) -> bool:
    return (
        is_appraiser_of(user, sheet)
        and sheet.cycle.state == Cycle.APPRAISAL
        and window_open(sheet.cycle, sheet.unit_id)
    )


def can_request_explanation(user: Any, sheet: ScoreSheet) -> bool:
    return can_appraise(user, sheet)


def can_explain(user: Any, sheet: ScoreSheet) -> bool:
    return (
        is_officer_of(user, sheet.unit_id)
        and sheet.cycle.state == Cycle.EXPLANATION
        and window_open(sheet.cycle, sheet.unit_id)
    )


def explanation_closed_for(user: Any, sheet: ScoreSheet) -> bool:
    """The unit's officer in the explanation stage after its deadline: refused, and told that
    the window has closed rather than that they may not explain."""
    return (
        is_officer_of(user, sheet.unit_id)
        and sheet.cycle.state == Cycle.EXPLANATION
        and not window_open(sheet.cycle, sheet.unit_id)
    )


def may_explain_now(user: Any, sheet: ScoreSheet) -> bool:
    """Whether the explanations page offers ``user`` to explain: the unit's officer while the
    cycle is in its explanation stage (whether its window is still open is told apart)."""
    return is_officer_of(user, sheet.unit_id) and sheet.cycle.state == Cycle.EXPLANATION


def can_add_evidence(user: Any, leaf: LeafScore) -> bool:
    sheet = leaf.sheet
    return can_self_assess(user, sheet) or can_explain(user, sheet)


def can_enter_central_points(user: Any, cycle: Cycle) -> bool:
    """Survey-sourced and centrally assessed points: the administrator, until finalised."""
    return is_admin(user) and cycle.state in (Cycle.SELF, Cycle.APPRAISAL, Cycle.EXPLANATION)


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
    return is_admin(user) and cycle.state not in (Cycle.FINALISED, Cycle.CANCELLED)


def can_see_leader_view(user: Any) -> bool:
    """The leader's view of every cycle's progress: the province's leaders and the
    administrator (it shows who is late, not anyone's scores before publication)."""
    return is_admin(user) or is_leader(user)
