"""A person's own e-mail address, where password resets and notices go: changed by the
person, who confirms it with their current password (a session left open on a shared
computer must not let someone redirect the next reset to themselves)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import transaction

from chiso.problems import Refusal
from chiso.web.accounts import policy
from chiso.web.core.audit import audit
from chiso.web.core.refusals import forbidden

MAX_LENGTH = 254  # RFC 5321's longest forward path, as Django's EmailField


@transaction.atomic
def set_own_email(user: Any, address: str, password: str) -> None:
    """``user``'s address becomes ``address`` (empty: none), if ``password`` is theirs."""
    if not policy.can_change_own_email(user):
        raise forbidden()
    address = address.strip()
    if address:
        try:
            if len(address) > MAX_LENGTH:
                raise ValidationError("too long")
            EmailValidator()(address)
        except ValidationError:
            raise Refusal("account.bad_email", value=address[:60]) from None
    if not user.check_password(password[:4096]):
        raise Refusal("account.wrong_password")
    old = user.email
    if old != address:
        user.email = address
        user.save(update_fields=["email"])
        audit(user, None, user, "email", old, address)
