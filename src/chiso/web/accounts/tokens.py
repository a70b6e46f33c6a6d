"""API tokens: made and revoked by their person, checked on every API call.

A token reads ``chiso_<prefix>_<secret>``: the prefix finds the row, the secret is compared
by its SHA-256 in constant time. Nothing that could rebuild a token is stored; the person sees
it once, when it is made."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from chiso.problems import Refusal
from chiso.web.accounts import policy
from chiso.web.accounts.models import ApiToken
from chiso.web.core.audit import audit
from chiso.web.core.refusals import forbidden

MAX_DAYS = 366
MAX_ACTIVE = 20  # per person: enough for every system a province runs


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


@transaction.atomic
def create_token(user: Any, name: str, scope: str, days: int) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns it and the text to give the client (shown once)."""
    if not policy.can_make_tokens(user):
        raise forbidden()
    name = " ".join(name.split())[:100]
    if not name:
        raise Refusal("token.name_missing")
    if scope not in (ApiToken.READ, ApiToken.WRITE):
        raise Refusal("token.bad_scope", scope=scope[:20])
    if not 1 <= days <= MAX_DAYS:
        raise Refusal("token.bad_days", most=MAX_DAYS)
    now = timezone.now()
    active = ApiToken.objects.filter(user=user, revoked_at=None, expires_at__gt=now).count()
    if active >= MAX_ACTIVE:
        raise Refusal("token.too_many", most=MAX_ACTIVE)
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=prefix,
        digest=_digest(secret),
        scope=scope,
        expires_at=now + timedelta(days=days),
    )
    audit(user, None, token, "token", None, f"{prefix} {scope} {name}")
    return token, f"chiso_{prefix}_{secret}"


@transaction.atomic
def revoke_token(user: Any, token: ApiToken) -> None:
    if not policy.can_revoke_token(user, token):
        raise forbidden()
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit(user, None, token, "revoked", token.prefix, None)


def find_token(text: str) -> ApiToken | None:
    """The live token ``text`` stands for, or None (unknown, wrong secret, expired, revoked)."""
    parts = text.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != "chiso" or not parts[1].isalnum() or len(parts[1]) > 16:
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=parts[1]).first()
    if token is None or not hmac.compare_digest(token.digest, _digest(parts[2][:100])):
        return None
    now = timezone.now()
    if token.revoked_at is not None or token.expires_at <= now or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)  # not on every call
    return token
