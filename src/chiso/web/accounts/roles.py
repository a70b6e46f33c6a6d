"""Granting a role: the administrator names a person (an account is made for a new one) and
what the role is held for, as :func:`chiso.web.accounts.policy.role_scope` says each role
needs (a unit, a cycle, both or neither)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from chiso.problems import Refusal
from chiso.web.accounts import policy
from chiso.web.accounts.models import Role
from chiso.web.accounts.one_time import issue_one_time_password
from chiso.web.core.audit import audit
from chiso.web.core.refusals import forbidden


@transaction.atomic
def grant_role(
    actor: Any, username: str, kind: str, unit: Any | None, cycle: Any | None
) -> tuple[User, str | None]:
    """Give ``username`` a role of ``kind`` for ``unit`` and ``cycle`` (those its kind is held
    for); a new account gets a one-time password, returned once, to be changed at the first
    sign-in."""
    if not policy.can_manage(actor):
        raise forbidden()
    username = username.strip()
    needs = policy.role_scope(kind)
    if not username or needs is None:
        raise Refusal("cycle.role_incomplete")
    for_unit, for_cycle = needs
    if (for_unit and unit is None) or (for_cycle and cycle is None):
        raise Refusal("cycle.role_incomplete")
    password = None
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(username)
        password = issue_one_time_password(user)
    role, _ = Role.objects.get_or_create(
        user=user, kind=kind, unit=unit if for_unit else None, cycle=cycle if for_cycle else None
    )
    audit(actor, cycle, role, "role", None, f"{username}: {kind} {unit or ''}".strip())
    return user, password
