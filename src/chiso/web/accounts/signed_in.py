"""Who sent a request, and their roles, read in one query.

Django's ``AuthenticationMiddleware`` finds the person of a session with a query of its own,
and the first rule a page asks (:func:`chiso.web.accounts.policy.rights_key`, ``is_admin``…)
then reads their roles with another: two queries the ORM builds afresh for every signed-in
request, most of their cost. :class:`Authentication` takes its place and reads the person and
their roles together (:func:`person`), leaving the roles where the policy looks for them.

Nothing is remembered between requests: a deactivated account, a changed password or a role
taken away counts from the very next request, in every server process. What Django checks is
checked here in the same way (:func:`signed_in` follows ``django.contrib.auth.get_user``): the
session names a backend still configured, the person is active (``ModelBackend``'s rule), and
the session's hash matches the password's (or one made with a fallback secret, then renewed);
otherwise the session is ended. Sessions made by any other backend are left to Django.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.auth.models import AnonymousUser, User
from django.db import connection
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

from chiso.web.accounts.models import Role
from chiso.web.core import rows

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"

_sql: dict[str, str] = {}


def _query() -> str:
    """The person and each of their roles (one row per role; one row with no role for a
    person who holds none), written once per database."""
    sql = _sql.get(connection.vendor)
    if sql is None:
        user_id = rows.column(User, "id", "u", connection)
        sql = (
            f"SELECT {rows.columns(User, 'u', connection)}, {rows.columns(Role, 'r', connection)}"
            f" FROM {rows.table(User, connection)} u LEFT JOIN {rows.table(Role, connection)} r"
            f" ON {rows.column(Role, 'user_id', 'r', connection)} = {user_id}"
            f" WHERE {user_id} = %s ORDER BY {rows.column(Role, 'id', 'r', connection)}"
        )
        _sql[connection.vendor] = sql
    return sql


def person(user_id: Any) -> User | None:
    """The person ``user_id`` with their roles (where :mod:`.policy` reads them), or None if
    there is no such person."""
    with connection.cursor() as cursor:
        cursor.execute(_query(), [user_id])
        found = cursor.fetchall()
    if not found:
        return None
    user = rows.instance(User, found[0], 0, connection)
    assert user is not None
    at = rows.width(User)
    roles = [rows.instance(Role, row, at, connection) for row in found]
    user._chiso_roles = [r for r in roles if r is not None]
    return user


def signed_in(request: HttpRequest) -> Any:
    """The person signed in with the request's session, or an anonymous visitor: Django's
    ``get_user`` with the person and their roles read by :func:`person`."""
    session = request.session
    try:
        user_id = User._meta.pk.to_python(session[auth.SESSION_KEY])
        backend = session[auth.BACKEND_SESSION_KEY]
    except KeyError:
        return AnonymousUser()
    if backend != MODEL_BACKEND:
        return auth.get_user(request)
    if backend not in settings.AUTHENTICATION_BACKENDS:
        return AnonymousUser()
    user = person(user_id)
    if user is None or not user.is_active:
        return AnonymousUser()
    session_hash = session.get(auth.HASH_SESSION_KEY)
    if session_hash and constant_time_compare(session_hash, user.get_session_auth_hash()):
        return user
    # the current secret does not verify the session: one of the fallback secrets may
    if session_hash and any(
        constant_time_compare(session_hash, fallback)
        for fallback in user.get_session_auth_fallback_hash()
    ):
        session.cycle_key()
        session[auth.HASH_SESSION_KEY] = user.get_session_auth_hash()
        return user
    session.flush()
    return AnonymousUser()


def _cached(request: HttpRequest) -> Any:
    if not hasattr(request, "_cached_user"):
        request._cached_user = signed_in(request)
    return request._cached_user


class Authentication(AuthenticationMiddleware):
    """Django's authentication middleware, finding the person with :func:`signed_in`."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)  # its checks, and ``auser`` for asynchronous views
        request.user = SimpleLazyObject(partial(_cached, request))
