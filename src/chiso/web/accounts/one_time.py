"""One-time passwords: the first password of a person made by an administrator or an import,
which they must change at their next sign-in before they can do anything else.

Both the role form (:mod:`chiso.web.accounts.roles`) and the import of people give a new
account its password here, so the rule is written once: :func:`issue_one_time_password`
sets a random password and raises the flag that :class:`chiso.web.accounts.middleware.
OneTimePassword` checks on every request; choosing a new password (the change form, or a
reset by email) lowers it with :func:`password_chosen`."""

from __future__ import annotations

import secrets
from typing import Any

from chiso.web.accounts.models import Profile

LENGTH = 12
"""Random bytes of a one-time password (16 characters once encoded)."""


def issue_one_time_password(user: Any) -> str:
    """Give ``user`` a new random password that must be changed at the next sign-in; returns
    it (shown once to whoever hands it over, never stored in clear). Saves the user."""
    password = secrets.token_urlsafe(LENGTH)
    user.set_password(password)
    user.save(update_fields=["password"])
    Profile.objects.update_or_create(user=user, defaults={"must_change_password": True})
    return password


def must_change_password(user: Any) -> bool:
    """The person signed in with a one-time password and has not chosen their own yet."""
    if not getattr(user, "is_authenticated", False):
        return False
    return Profile.objects.filter(user=user, must_change_password=True).exists()


def password_chosen(user: Any) -> None:
    """The person chose their own password: the one-time flag is lowered."""
    Profile.objects.filter(user=user, must_change_password=True).update(must_change_password=False)
