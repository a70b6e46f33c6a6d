"""The person's account page, where API tokens are made and revoked: signed-in only; a new
token is shown once; a person revokes only their own (404 for another's); GET and POST only."""

from __future__ import annotations

import re

from django.urls import reverse

from chiso.web.accounts import tokens
from chiso.web.accounts.models import ApiToken
from web.conftest import World
from web.views.helpers import MISSING, as_, sent_to_login


def test_the_anonymous_are_sent_to_log_in(world: World) -> None:
    assert sent_to_login(as_(world, "anonymous").get(reverse("accounts:tokens")))


def test_405_to_a_put(world: World) -> None:
    assert as_(world, "officer_a").put(reverse("accounts:tokens")).status_code == 405


def test_a_token_is_shown_once_and_only_its_hash_is_kept(world: World) -> None:
    client = as_(world, "officer_a")
    page = client.post(
        reverse("accounts:tokens"), {"name": "Một cửa", "scope": "write", "days": "30"}
    ).content.decode()
    text = re.search(r'<code id="token-text">(chiso_[^<]+)</code>', page)
    assert text
    token = ApiToken.objects.get(user=world.officer_a)
    assert token.scope == "write" and token.name == "Một cửa"
    secret = text.group(1).split("_", 2)[2]  # chiso_<prefix>_<secret>; a secret may hold "_"
    assert secret not in token.digest and text.group(1) not in str(token.__dict__)
    again = client.get(reverse("accounts:tokens")).content.decode()
    assert text.group(1) not in again and token.prefix in again


def test_a_form_with_a_bad_lifetime_or_no_name_makes_nothing(world: World) -> None:
    client = as_(world, "officer_a")
    for fields in (
        {"name": "x", "scope": "read", "days": "0"},
        {"name": "x", "scope": "read", "days": "abc"},
        {"name": "x", "scope": "admin", "days": "10"},
        {"name": "   ", "scope": "read", "days": "10"},
    ):
        response = client.post(reverse("accounts:tokens"), fields)
        assert response.status_code == 302
    assert not ApiToken.objects.exists()


def test_a_person_revokes_their_own_token_and_not_anothers(world: World) -> None:
    mine, _ = tokens.create_token(world.officer_a, "a", "read", 10)
    theirs, _ = tokens.create_token(world.officer_b, "b", "read", 10)
    client = as_(world, "officer_a")
    assert client.post(reverse("accounts:token-revoke", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("accounts:token-revoke", args=[MISSING])).status_code == 404
    assert client.get(reverse("accounts:token-revoke", args=[mine.pk])).status_code == 405
    assert client.post(reverse("accounts:token-revoke", args=[mine.pk])).status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.revoked_at is not None and theirs.revoked_at is None
