"""The JSON API under /api/ (OpenAPI at /api/openapi.json, documentation at /api/docs), with
the same permissions as the pages: every operation asks :mod:`chiso.web.accounts.policy` and
calls the same services.

One router per kind of object (``frameworks``, ``framework_versions``, ``units``, ``cycles``,
``sheets``, ``explanations``, ``corrections``, ``plans``); a new app
adds its own router here with one line (``api.add_router("", plans.router)``). Every refusal
answers with the one error body of :class:`chiso.web.api.core.ErrorOut`: a
:class:`chiso.problems.Refusal` (raised by the services, the library or an operation) with the
status of its kind, the framework's own errors (a body that does not validate, a missing
session, too many requests) each with its rule."""

from __future__ import annotations

from typing import Any

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from chiso.problems import Refusal
from chiso.web.api import (
    corrections,
    cycles,
    explanations,
    framework_versions,
    frameworks,
    plans,
    sheets,
    units,
)
from chiso.web.api.core import STATUS, error_body, refusal_body, throttles
from chiso.web.core.faults import forget_broken_connections

api = NinjaAPI(
    title="chiso API",
    version="2",
    urls_namespace="api",
    throttle=throttles(),
    description=(
        "Frameworks and a province's framework versions, units, cycles, sheets and leaves, "
        "self-scores, appraisals, explanation messages, evidence, explanations and the "
        "appraiser's answers, corrections, every revision of published results with its "
        "decision and changes, the audit trail, the responsibility map, improvement plans, "
        "their targets and tasks. "
        "Authenticate with a session (browsers; CSRF token on changes) or with "
        "`Authorization: Bearer chiso_…` (a token made on your account page, read or "
        "read-and-write, with an expiry). Every error answers "
        '`{"rule", "message", "field"}`.'
    ),
)
for module in (
    frameworks,
    framework_versions,
    units,
    cycles,
    sheets,
    explanations,
    corrections,
    plans,
):
    api.add_router("", module.router)


def _error(
    request: HttpRequest, status: int, rule: str, field: str | None = None, **params: Any
) -> HttpResponse:
    return api.create_response(request, error_body(rule, field, **params), status=status)


@api.exception_handler(Refusal)
def _refused(request: HttpRequest, exc: Refusal) -> HttpResponse:
    """Every refusal, from an operation, a service or the library: the status of its kind."""
    return api.create_response(request, refusal_body(exc), status=STATUS[exc.kind])


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    first = exc.errors[0] if exc.errors else {}
    location = [
        str(x) for x in first.get("loc", ()) if x not in ("body", "path", "query", "file", "form")
    ]
    field = ".".join(location) or None
    reason = str(first.get("msg", ""))[:200]
    return _error(request, 422, "api.invalid", field, reason=reason)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "api.auth_required")


@api.exception_handler(Throttled)
def _throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    seconds = max(1, int(getattr(exc, "wait", None) or 60))
    response = _error(request, 429, "api.throttled", seconds=seconds)
    response["Retry-After"] = str(seconds)
    return response


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "api.not_found")


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    rule = {401: "api.auth_required", 403: "cycle.forbidden", 404: "api.not_found"}.get(
        exc.status_code, "api.invalid"
    )
    return _error(request, exc.status_code, rule, reason=str(exc)[:200])


@api.exception_handler(OperationalError)
@api.exception_handler(InterfaceError)
def _database_down(request: HttpRequest, exc: DatabaseError) -> HttpResponse:
    """The database cannot be reached (restarted, overloaded): 503 with a message, and the
    connection is dropped so the next request opens a new one."""
    forget_broken_connections()
    response = _error(request, 503, "server.database_unavailable")
    response["Retry-After"] = "5"
    return response
