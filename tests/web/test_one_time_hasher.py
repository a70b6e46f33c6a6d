"""A one-time password is hashed with the fast salted one-time hasher, and only it: the secret
is random enough (at least 80 bits) that a slow hash protects nothing, while every password a
person chooses stays Argon2, and the one-time hash is replaced by Argon2 at the first sign-in."""

from __future__ import annotations

import math
import string

from django.contrib.auth.hashers import check_password, identify_hasher, make_password
from django.contrib.auth.models import User
from django.test import Client, override_settings
from django.urls import reverse

from chiso.web import settings as production
from chiso.web.accounts import one_time
from chiso.web.accounts.one_time import issue_one_time_password

URLSAFE = string.ascii_letters + string.digits + "-_"


def test_the_one_time_secret_carries_at_least_80_bits_of_entropy() -> None:
    assert one_time.ENTROPY_BITS >= 80
    # what is handed over is the token of that many random bytes, in the url-safe alphabet
    # (64 symbols, 6 bits each): its length shows no byte was dropped
    assert math.ceil(one_time.ENTROPY_BITS / 6) == 16


def test_one_time_passwords_differ_and_use_the_whole_alphabet(db: None) -> None:
    users = [User.objects.create_user(f"ot-{i}") for i in range(40)]
    passwords = [issue_one_time_password(u) for u in users]
    assert len(set(passwords)) == len(passwords)
    assert all(len(p) == 16 and set(p) <= set(URLSAFE) for p in passwords)
    # 640 characters drawn from 64 symbols: nearly all of them appear (a constant or a
    # narrow alphabet would not)
    assert len(set("".join(passwords))) > 50


@override_settings(PASSWORD_HASHERS=production.PASSWORD_HASHERS)
def test_the_fast_hasher_is_for_one_time_passwords_only_and_argon2_replaces_it(db: None) -> None:
    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert production.PASSWORD_HASHERS[-1].endswith("OneTimePasswordHasher")
    chosen = User.objects.create_user("chosen", password="mat-khau-rieng-dai")
    assert chosen.password.startswith("argon2")
    newcomer = User.objects.create_user("newcomer")
    secret = issue_one_time_password(newcomer)
    newcomer.refresh_from_db()
    assert identify_hasher(newcomer.password).algorithm == one_time.HASHER
    assert check_password(secret, newcomer.password) and not check_password("x", newcomer.password)
    # the same secret twice gives two hashes (salted)
    assert make_password(secret, hasher=one_time.HASHER) != newcomer.password
    # signing in with it upgrades the stored hash to the preferred (Argon2)
    Client().post(reverse("accounts:login"), {"username": "newcomer", "password": secret})
    newcomer.refresh_from_db()
    assert newcomer.password.startswith("argon2")
