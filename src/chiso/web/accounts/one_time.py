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

from django.contrib.auth.hashers import make_password

from chiso.web.accounts.models import Profile

LENGTH = 12
"""Random bytes of a one-time password (16 characters once encoded): 96 bits from the
operating system's CSPRNG, enough that its hash need not be slow (see
:mod:`chiso.web.accounts.hashers`)."""

ENTROPY_BITS = LENGTH * 8
HASHER = "chiso_one_time"
"""The algorithm of :class:`chiso.web.accounts.hashers.OneTimePasswordHasher`."""


def issue_one_time_password(user: Any) -> str:
    """Give ``user`` a new random password that must be changed at the next sign-in; returns
    it (shown once to whoever hands it over, never stored in clear). Saves the user.

    Hashed with the fast salted one-time hasher rather than Argon2: the secret is random with
    :data:`ENTROPY_BITS` bits, used once and replaced at the first sign-in, so a slow hash
    protects nothing and made a province's import of 150 people take over a minute."""
    password = secrets.token_urlsafe(LENGTH)
    user.password = make_password(password, hasher=HASHER)
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
