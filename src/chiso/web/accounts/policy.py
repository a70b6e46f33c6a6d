"""Who a person is to chiso: their roles, and the rules that need nothing but them.

Access is decided in policy modules only, one per app, each for its own objects:
this one (people, roles, API tokens, the administrator's pages), :mod:`chiso.web.cycles.policy`
(cycles, sheets, leaves, evidence, results) and :mod:`chiso.web.plans.policy` (plans, tasks, the
analysis of results). Every view, service and API operation asks them; nothing else decides
(tests/web/test_layers.py checks both). Only this module names the roles: the others ask it
what a person's roles are for (:func:`officer_units`, :func:`role_cycles`…), so a role's
meaning is written once.
"""

from __future__ import annotations

from typing import Any

from chiso.web.accounts.models import Role


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


ROLE_SCOPES: dict[str, tuple[bool, bool]] = {
    Role.OFFICER: (True, False),
    Role.APPRAISER: (True, True),
    Role.CHAIR: (False, True),
    Role.ADMIN: (False, False),
    Role.LEADER: (False, False),
}
"""What each role is held for: (a unit, a cycle). An officer answers for a unit in every
cycle; an appraiser for a unit in one cycle; the council's chair for a cycle; the
administrator for everything; the province's leader reads every cycle's progress (and
writes nothing: no rule of any policy module grants a leader a change)."""


ROLE_WORDS: dict[str, str] = {
    Role.OFFICER: Role.OFFICER,
    "cán bộ": Role.OFFICER,
    "cán bộ đơn vị": Role.OFFICER,
    Role.ADMIN: Role.ADMIN,
    "quản trị": Role.ADMIN,
    Role.APPRAISER: Role.APPRAISER,
    "thẩm định": Role.APPRAISER,
    "thành viên hội đồng thẩm định": Role.APPRAISER,
    Role.CHAIR: Role.CHAIR,
    "chủ tịch hội đồng": Role.CHAIR,
}
"""What a people file may write for a role (any case): the role's code or its Vietnamese
name."""


def role_named(word: str) -> str | None:
    """The role a people file means by ``word``, or None."""
    return ROLE_WORDS.get(" ".join(word.casefold().split()))


def role_scope(kind: str) -> tuple[bool, bool] | None:
    """(held for a unit, held for a cycle) of the role ``kind``; None for no such role."""
    return ROLE_SCOPES.get(kind)


def rights_key(user: Any) -> str:
    """A name for everything ``user`` may see and do: the same for two people exactly when they
    hold the same roles ("-" for none, or for a visitor not signed in). Every rule of the
    policy modules reads nothing of a person but their roles, so a page rendered for one
    person may be served to another with the same name, and to nobody else."""
    held = sorted((r.kind, r.unit_id or 0, r.cycle_id or 0) for r in _roles(user))
    return ";".join(f"{kind}:{unit}:{cycle}" for kind, unit, cycle in held) or "-"


def is_admin(user: Any) -> bool:
    return any(r.kind == Role.ADMIN for r in _roles(user))


def is_leader(user: Any) -> bool:
    """One of the province's leaders: reads the leader's view of every cycle, changes nothing."""
    return any(r.kind == Role.LEADER for r in _roles(user))


def is_officer_of(user: Any, unit_id: int) -> bool:
    return any(r.kind == Role.OFFICER and r.unit_id == unit_id for r in _roles(user))


def is_appraiser_of(user: Any, sheet: Any) -> bool:
    """An appraiser of ``sheet``'s unit in ``sheet``'s cycle."""
    return any(
        r.kind == Role.APPRAISER and r.cycle_id == sheet.cycle_id and r.unit_id == sheet.unit_id
        for r in _roles(user)
    )


def is_chair_of(user: Any, cycle: Any) -> bool:
    return any(r.kind == Role.CHAIR and r.cycle_id == cycle.pk for r in _roles(user))


def officer_units(user: Any) -> list[int]:
    """The units ``user`` is an officer of."""
    return [r.unit_id for r in _roles(user) if r.kind == Role.OFFICER]


def role_cycles(user: Any) -> list[int]:
    """The cycles any of ``user``'s roles is held for (a chair's, an appraiser's)."""
    return [r.cycle_id for r in _roles(user) if r.cycle_id is not None]


def chaired_cycles(user: Any) -> list[int]:
    """The cycles whose council ``user`` chairs."""
    return [r.cycle_id for r in _roles(user) if r.kind == Role.CHAIR]


def appraised_units(user: Any) -> list[tuple[int, int]]:
    """(cycle, unit) of every appraisal ``user`` is a member of the council for."""
    return [(r.cycle_id, r.unit_id) for r in _roles(user) if r.kind == Role.APPRAISER]


def can_manage(user: Any) -> bool:
    """Units, cycles, people and their roles, uploaded frameworks and maps: administrators."""
    return is_admin(user)


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


def can_see_archive(user: Any) -> bool:
    """The archive of published results (PAR INDEX, SIPAS, PAPI as their publishers printed
    them) is public: published figures are facts, read by anyone, signed in or not. Loading it
    is done on the server (``chiso archive load``), not through the web."""
    return True


def can_see_service_index(user: Any) -> bool:
    """The monthly service index is public, as the National Public Service Portal publishes it:
    everyone, signed in or not."""
    return True


def officers_of_units(unit_ids: list[int]) -> dict[int, set[int]]:
    """{unit: the people who are its officers}: whom a unit's deadlines, cuts and plan tasks
    concern (notifications ask this, never the roles themselves)."""
    found: dict[int, set[int]] = {}
    for user_id, unit_id in Role.objects.filter(
        kind=Role.OFFICER, unit_id__in=unit_ids, user__is_active=True
    ).values_list("user_id", "unit_id"):
        found.setdefault(unit_id, set()).add(user_id)
    return found


def appraisers_in_cycle(cycle_id: int) -> dict[int, set[int]]:
    """{unit: the people appraising it in the cycle}: whom the appraisal's stage concerns."""
    found: dict[int, set[int]] = {}
    for user_id, unit_id in Role.objects.filter(
        kind=Role.APPRAISER, cycle_id=cycle_id, user__is_active=True
    ).values_list("user_id", "unit_id"):
        found.setdefault(unit_id, set()).add(user_id)
    return found


def can_change_own_email(user: Any) -> bool:
    """Anyone signed in sets their own address (confirmed with their password)."""
    return bool(getattr(user, "is_authenticated", False))
