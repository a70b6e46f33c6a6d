"""Who a request comes from is read afresh on every request, with the person's roles, in one
query (chiso.web.accounts.signed_in): an account switched off, a password changed or a role
taken away or given counts from the very next request; signing out still ends the session;
what Django checks of a session is still checked; forms still need their token."""

from __future__ import annotations

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chiso.web.accounts import policy
from chiso.web.accounts.models import Role
from chiso.web.accounts.signed_in import person
from web.conftest import PASSWORD, World
from web.views.helpers import as_, sent_to_login


def _sheet(world: World) -> str:
    return reverse("cycles:sheet", args=[world.sheet_a.pk])


def test_an_account_switched_off_is_signed_out_at_its_next_request(world: World) -> None:
    client = as_(world, "officer_a")
    assert client.get(_sheet(world)).status_code == 200
    User.objects.filter(pk=world.officer_a.pk).update(is_active=False)  # no signal, no save()
    assert sent_to_login(client.get(_sheet(world)))


def test_a_role_taken_away_counts_at_the_next_request(world: World) -> None:
    client = as_(world, "officer_a")
    assert client.get(_sheet(world)).status_code == 200
    Role.objects.filter(user=world.officer_a).delete()
    assert client.get(_sheet(world)).status_code == 404


def test_a_role_given_counts_at_the_next_request(world: World) -> None:
    client = as_(world, "officer_b")
    assert client.get(_sheet(world)).status_code == 404
    Role.objects.create(user=world.officer_b, kind=Role.OFFICER, unit=world.sheet_a.unit)
    assert client.get(_sheet(world)).status_code == 200


def test_a_changed_password_ends_the_other_sessions(world: World) -> None:
    client = as_(world, "officer_a")
    assert client.get(_sheet(world)).status_code == 200
    officer = User.objects.get(pk=world.officer_a.pk)
    officer.set_password("mot-mat-khau-moi-dai")
    officer.save()
    assert sent_to_login(client.get(_sheet(world)))
    assert SESSION_KEY not in client.session  # the session was ended, not only ignored


def test_signing_out_ends_the_session(world: World) -> None:
    client = Client()
    form = {"username": "can-bo-a", "password": PASSWORD}
    assert client.post(reverse("accounts:login"), form).status_code == 302
    assert client.get(_sheet(world)).status_code == 200
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert sent_to_login(client.get(_sheet(world)))


def test_a_session_without_the_password_hash_is_ended(world: World) -> None:
    client = as_(world, "officer_a")
    session = client.session
    del session[HASH_SESSION_KEY]
    session.save()
    assert sent_to_login(client.get(_sheet(world)))
    assert SESSION_KEY not in client.session


def test_a_session_of_a_backend_no_longer_configured_is_anonymous(world: World) -> None:
    client = as_(world, "officer_a")
    session = client.session
    session[BACKEND_SESSION_KEY] = "somewhere.else.Backend"
    session.save()
    assert sent_to_login(client.get(_sheet(world)))


def test_a_session_signed_with_a_retired_secret_is_kept_and_renewed(world: World) -> None:
    with override_settings(SECRET_KEY="an-older-secret-key-long-enough-for-the-test-0123456789"):
        client = as_(world, "officer_a")
        old_hash = client.session[HASH_SESSION_KEY]
    with override_settings(
        SECRET_KEY_FALLBACKS=["an-older-secret-key-long-enough-for-the-test-0123456789"]
    ):
        assert client.get(_sheet(world)).status_code == 200
        assert client.session[HASH_SESSION_KEY] != old_hash
        assert client.get(_sheet(world)).status_code == 200


def test_a_form_without_its_token_is_still_refused(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.officer_a)
    leaf = world.leaf(world.sheet_a)
    answer = client.post(
        f"/api/leaves/{leaf.pk}/self-score",
        {"value": "1", "version": leaf.version},
        content_type="application/json",
    )
    assert answer.status_code == 403
    assert client.post(reverse("accounts:logout")).status_code == 403


@pytest.mark.parametrize("who", ["admin", "chair", "appraiser_a", "officer_a", "officer_b"])
def test_the_roles_read_with_the_person_are_the_roles_they_hold(world: World, who: str) -> None:
    user = getattr(world, who)
    found = person(user.pk)
    assert found is not None and found.username == user.username
    held = User.objects.get(pk=user.pk)
    assert policy.rights_key(found) == policy.rights_key(held) != "-"
    assert sorted(r.pk for r in found._chiso_roles) == sorted(  # type: ignore[attr-defined]
        Role.objects.filter(user=user).values_list("pk", flat=True)
    )
    assert [getattr(found, f.attname) for f in User._meta.concrete_fields] == [
        getattr(held, f.attname) for f in User._meta.concrete_fields
    ]


def test_a_person_with_no_role_has_none_and_nobody_is_none(world: World) -> None:
    loner = User.objects.create_user("khong-vai-tro", password=PASSWORD)
    found = person(loner.pk)
    assert found is not None and found._chiso_roles == []  # type: ignore[attr-defined]
    assert policy.rights_key(found) == "-"
    assert person(999_999) is None


def test_a_signed_in_page_asks_once_for_the_person_and_their_roles(world: World) -> None:
    client = as_(world, "officer_a")
    client.get(_sheet(world))
    with CaptureQueriesContext(connection) as asked:
        assert client.get(_sheet(world)).status_code == 200
    tables = " ".join(q["sql"] for q in asked.captured_queries)
    assert tables.count('"auth_user"') == 1
    assert tables.count('"accounts_role"') == 1
