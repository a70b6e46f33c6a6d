"""What every operation of the API shares: the one error body (``rule``, ``message``,
``field``), authentication by session or token, the write scope, rate limits, pagination and
the ids that exist.

A machine client sends ``Authorization: Bearer chiso_…`` (a token made on the person's page)
and acts with its person's roles; a browser uses its session, with CSRF on every change; the
public reads published results without either. Every refusal is a
:class:`chiso.problems.Refusal` (the services' and the library's alike), answered here in one
place: the status of its kind (:data:`STATUS`), its ``rule`` (one of :mod:`chiso.messages`)
told in the caller's language, and a file's problems each in ``problems``."""

from __future__ import annotations

import math
import time
from typing import Any, ClassVar

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, JsonResponse
from ninja import Field, Path, Schema
from ninja.errors import Throttled
from ninja.pagination import LimitOffsetPagination
from ninja.security import HttpBearer, SessionAuth
from ninja.throttling import BaseThrottle

from chiso.messages import render as render_message
from chiso.problems import Kind, Refusal
from chiso.web.accounts import policy
from chiso.web.accounts.tokens import find_token
from chiso.web.core import feedback
from chiso.web.core.limits import ID, MAX_ID
from chiso.web.cycles.evidence import EXTENSIONS

FAILED_TOKENS = 20  # wrong tokens from one address within TOKEN_LOCK seconds before a lock
TOKEN_LOCK = 600


class ErrorOut(Schema):
    """Every refusal: the rule (stable, for programs), its message in the caller's language
    and the field it concerns, if any; a file's problems each in ``problems``."""

    rule: str
    message: str
    field: str | None = None
    problems: list[dict[str, Any]] | None = None


STATUS: dict[Kind, int] = {
    Kind.INVALID: 400,
    Kind.UNAUTHENTICATED: 401,
    Kind.FORBIDDEN: 403,
    Kind.NOT_FOUND: 404,
    Kind.CONFLICT: 409,
    Kind.TOO_LARGE: 413,
    Kind.NO_SPACE: 507,
}
"""The HTTP status of each kind of refusal."""


def error_body(
    rule: str, field: str | None = None, problems: list[dict[str, Any]] | None = None, **params: Any
) -> dict[str, Any]:
    """The one body of every error answer, in the caller's language."""
    return {
        "rule": rule,
        "message": render_message(rule, feedback.lang(), **params),
        "field": field,
        **({"problems": problems} if problems is not None else {}),
    }


def refusal_body(refusal: Refusal) -> dict[str, Any]:
    """A refusal's body: its first reason, and a file's problems each in ``problems``."""
    # a file's problems: the first 200, then one saying how many more
    problems = refusal.report.as_dicts(feedback.lang()) if refusal.listed else None
    return error_body(refusal.rule, refusal.field, problems, **refusal.params)


ERRORS: dict[int, Any] = {
    code: ErrorOut for code in (400, 401, 403, 404, 409, 413, 422, 429, 503, 507)
}


def answers(ok: Any, status: int = 200) -> dict[int, Any]:
    """An operation's documented answers: ``ok`` and every error, all with the one body."""
    return {status: ok, **ERRORS}


def file_answer(description: str) -> dict[str, Any]:
    """``openapi_extra`` of an operation answering an evidence file: served with the type read
    from its content (:data:`chiso.web.cycles.evidence.EXTENSIONS` lists them), each
    documented so a client, and schemathesis, knows what may come."""
    binary = {"schema": {"type": "string", "format": "binary"}}
    return {
        "responses": {
            200: {"description": description, "content": dict.fromkeys(EXTENSIONS, binary)}
        }
    }


def _address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))


class TokenAuth(HttpBearer):
    """``Authorization: Bearer chiso_<prefix>_<secret>``. A wrong, expired or revoked token is
    refused (never read as anonymous). An address that sends ``FAILED_TOKENS`` wrong ones
    within ``TOKEN_LOCK`` seconds gets 429, with ``Retry-After``, to every wrong token for
    ``TOKEN_LOCK`` seconds; a valid token is still served, so the other clients behind that
    address (an office's NAT) keep working. Guessing gains nothing from this: a secret is 256
    random bits, and a locked-out guesser is told nothing a 401 would not tell."""

    openapi_scheme = "bearer"

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = find_token(token)
        if found is None:
            _count_wrong_token(_address(request))
            raise Refusal("api.bad_token", Kind.UNAUTHENTICATED)
        request.user = found.user
        request.api_token = found
        return found


def _count_wrong_token(address: str) -> None:
    """Count a wrong token from ``address``; once locked out, answer 429 saying when to retry
    (the lock is not lengthened by the wrong tokens sent during it)."""
    now = time.time()
    until = cache.get(f"api-token-locked:{address}")
    if until is not None and until > now:
        raise Throttled(wait=math.ceil(until - now))
    key = f"api-token-failures:{address}"
    if cache.add(key, 1, TOKEN_LOCK):
        return
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, TOKEN_LOCK)
        return
    if count >= FAILED_TOKENS:
        cache.set(f"api-token-locked:{address}", now + TOKEN_LOCK, TOKEN_LOCK)
        cache.delete(key)


class Anyone:
    """The public: reading published results needs no session and no token."""

    def __call__(self, request: HttpRequest) -> Any:
        return request.user if request.user.is_authenticated else f"anonymous {_address(request)}"


token_auth = TokenAuth()
session_auth = SessionAuth()  # checks CSRF on changes
SIGNED_IN = [token_auth, session_auth]
PUBLIC = [token_auth, session_auth, Anyone()]


class TokenRateThrottle(BaseThrottle):
    """Requests per token (``CHISO_API_RATE``, default ``600/m``; ``/s``, ``/m``, ``/h``): one
    client cannot take the server from the others. Sessions are people at a page, limited by
    their own speed. A fixed window per token in the cache (shared by the server's processes
    when CHISO_REDIS_URL is set)."""

    SPANS: ClassVar[dict[str, int]] = {"s": 1, "m": 60, "h": 3600}

    def __init__(self) -> None:
        self.remaining = 0.0

    def allow_request(self, request: HttpRequest) -> bool:
        token = getattr(request, "api_token", None)
        if token is None:
            return True
        count, _, unit = str(settings.CHISO_API_RATE).partition("/")
        limit, span = int(count), self.SPANS.get(unit[:1] or "m", 60)
        now = time.time()
        key = f"api-rate:{token.pk}:{int(now // span)}"
        cache.add(key, 0, span + 1)
        try:
            used = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, span + 1)
            used = 1
        self.remaining = span - now % span
        return bool(used <= limit)

    def wait(self) -> float | None:
        return self.remaining


def throttles() -> list[Any]:
    return [TokenRateThrottle()]


def writer(request: HttpRequest) -> Any:
    """The person acting, when a change is allowed at all: a token made for reading only is
    refused whatever its person's roles."""
    if not policy.token_may_write(getattr(request, "api_token", None)):
        raise Refusal("api.read_only", Kind.FORBIDDEN)
    return request.user


class Page(LimitOffsetPagination):
    """``?limit=&offset=``; answers ``{"items": […], "count": n}``."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=500)
        offset: int = Field(0, ge=0, le=MAX_ID)


def object_id(**extra: Any) -> Any:
    """A path id: a positive integer the databases can hold (others are 404/422, never 500)."""
    return Path(..., ge=ID.least, le=ID.most, **extra)  # type: ignore[type-arg]


class JsonErrors:
    """Middleware: answers that Django or the router make before an operation runs (405 to a
    method the address does not take, 404 to an address the API does not have) get the API's
    one error body too, so a client reads every refusal the same way."""

    RULES: ClassVar[dict[int, str]] = {404: "api.not_found", 405: "api.method"}

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        response = self.get_response(request)
        if (
            request.path.startswith("/api/")
            and response.status_code in self.RULES
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            rule = self.RULES[response.status_code]
            body = error_body(rule, method=request.method)
            answer = JsonResponse(body, status=response.status_code)
            if response.has_header("Allow"):
                answer["Allow"] = response["Allow"]
            return answer
        return response
