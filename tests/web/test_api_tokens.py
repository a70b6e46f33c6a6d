"""Token authentication for machine clients: a token acts with its person's roles, a read
token cannot change anything, an expired or revoked or wrong one is refused (never read as
anonymous), guessing is locked out, and each token's requests are rate-limited."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from chiso.web.accounts import tokens
from chiso.web.accounts.models import ApiToken
from chiso.web.api.core import FAILED_TOKENS, TOKEN_LOCK
from chiso.web.core.models import AuditEntry
from web.conftest import World


def _bearer(text: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {text}"}


def _self_score(client: Client, world: World, text: str, value: str = "2") -> object:
    leaf = world.leaf(world.sheet_a)
    return client.post(
        reverse("api:self_score", kwargs={"leaf_id": leaf.pk}),
        json.dumps({"value": value, "version": leaf.version}),
        content_type="application/json",
        **_bearer(text),
    )


def test_a_write_token_acts_with_its_persons_roles_without_csrf(world: World) -> None:
    _, text = tokens.create_token(world.officer_a, "một cửa", "write", 30)
    client = Client(enforce_csrf_checks=True)
    response = _self_score(client, world, text)
    assert response.status_code == 200, response.content  # type: ignore[attr-defined]
    assert world.leaf(world.sheet_a).self_raw == "2"
    entry = AuditEntry.objects.filter(field="self_raw").get()
    assert entry.actor == world.officer_a


def test_a_read_token_reads_but_changes_nothing(world: World) -> None:
    _, text = tokens.create_token(world.officer_a, "bộ", "read", 30)
    client = Client()
    sheet = client.get(reverse("api:sheet", kwargs={"sheet_id": world.sheet_a.pk}), **_bearer(text))
    assert sheet.status_code == 200
    refused = _self_score(client, world, text)
    assert refused.status_code == 403  # type: ignore[attr-defined]
    assert refused.json()["rule"] == "api.read_only"  # type: ignore[attr-defined]
    assert world.leaf(world.sheet_a).self_raw == ""


def test_a_token_sees_no_more_than_its_person(world: World) -> None:
    _, text = tokens.create_token(world.officer_b, "b", "write", 30)
    client = Client()
    url = reverse("api:sheet", kwargs={"sheet_id": world.sheet_a.pk})
    assert client.get(url, **_bearer(text)).status_code == 404
    assert _self_score(client, world, text).status_code == 404  # type: ignore[attr-defined]


@pytest.mark.parametrize("how", ["revoked", "expired", "wrong secret", "unknown", "garbage"])
def test_a_token_that_is_not_live_is_refused(world: World, how: str) -> None:
    token, text = tokens.create_token(world.officer_a, "a", "write", 30)
    if how == "revoked":
        tokens.revoke_token(world.officer_a, token)
    elif how == "expired":
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(1))
    elif how == "wrong secret":
        text = text[:-3] + ("aaa" if not text.endswith("aaa") else "bbb")
    elif how == "unknown":
        text = "chiso_000000000000_" + "x" * 43
    else:
        text = "x" * 5000
    response = Client().get(reverse("api:cycles"), **_bearer(text))
    assert response.status_code == 401
    assert response.json()["rule"] == "api.bad_token"


def test_an_address_that_sends_many_wrong_tokens_is_locked_out_and_told_when_to_retry(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    cache.clear()
    client = Client()
    for _ in range(FAILED_TOKENS):
        assert client.get(reverse("api:cycles"), **_bearer("chiso_bad_bad")).status_code == 401
    locked = client.get(reverse("api:cycles"), **_bearer("chiso_bad_other"))
    assert locked.status_code == 429 and locked.json()["rule"] == "api.throttled"
    wait = int(locked["Retry-After"])
    assert 0 < wait <= TOKEN_LOCK
    assert str(wait) in locked.json()["message"]
    later = time.time() + wait + 1
    monkeypatch.setattr(time, "time", lambda: later)  # the cache's clock too
    again = client.get(reverse("api:cycles"), **_bearer("chiso_bad_bad"))
    assert again.status_code == 401  # counted afresh, not locked for ever


def test_a_valid_token_passes_while_its_address_is_locked_out(world: World) -> None:
    """Clients behind one address (an office's NAT) are not shut out by one that sends wrong
    tokens: the wrong ones stay locked out, a valid one is served."""
    cache.clear()
    _, good = tokens.create_token(world.officer_a, "a", "read", 30)
    client = Client()
    for _ in range(FAILED_TOKENS):
        client.get(reverse("api:cycles"), **_bearer("chiso_bad_bad"))
    assert client.get(reverse("api:cycles"), **_bearer("chiso_bad_bad")).status_code == 429
    assert client.get(reverse("api:cycles"), **_bearer(good)).status_code == 200
    assert client.get(reverse("api:cycles"), **_bearer("chiso_bad_bad")).status_code == 429


@override_settings(CHISO_API_RATE="5/h")
def test_each_tokens_requests_are_rate_limited(world: World) -> None:
    cache.clear()
    _, text = tokens.create_token(world.officer_a, "a", "read", 30)
    _, other = tokens.create_token(world.officer_b, "b", "read", 30)
    client = Client()
    answers = [client.get(reverse("api:cycles"), **_bearer(text)).status_code for _ in range(7)]
    assert answers == [200] * 5 + [429] * 2
    refused = client.get(reverse("api:cycles"), **_bearer(text))
    assert refused.json()["rule"] == "api.throttled" and int(refused["Retry-After"]) > 0
    assert client.get(reverse("api:cycles"), **_bearer(other)).status_code == 200
    session = Client()
    session.force_login(world.officer_a)
    assert all(session.get(reverse("api:cycles")).status_code == 200 for _ in range(7))


def test_tokens_are_stored_as_sha256_only(world: World) -> None:
    import hashlib

    token, text = tokens.create_token(world.officer_a, "a", "read", 30)
    secret = text.split("_", 2)[2]
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in json.dumps(list(ApiToken.objects.values()), default=str)
