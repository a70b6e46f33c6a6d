"""The short-lived cache in front of Django (:mod:`chiso.web.microcache`): the API's published
results and the archive's comparison (its query string in the key, bounded) are kept for
anonymous visitors, byte for byte and header for header as Django answers them; an API caller
with a token is never served a kept answer nor leaves one."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from chiso.archive import Archive
from chiso.web import microcache
from chiso.web.cycles.models import Publication
from chiso.web.microcache import PublicPageCache
from web.archive_helpers import loaded
from web.test_portal import published

__all__ = ["loaded", "published"]  # the fixtures

COMPARE = "/archive/compare/"


def _environ(path: str, query: str = "", **extra: str) -> dict[str, Any]:
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": io.StringIO(),
        **extra,
    }


class Counted:
    """A WSGI application that counts the requests it is asked to answer."""

    def __init__(self, app: Callable[..., Iterable[bytes]] | None = None) -> None:
        self.app = app
        self.calls: list[str] = []

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        self.calls.append(f"{environ['PATH_INFO']}?{environ['QUERY_STRING']}")
        if self.app is not None:
            return self.app(environ, start_response)
        start_response("200 OK", [("Content-Type", "text/html")])
        return [f"page {environ['QUERY_STRING']}".encode()]


def _get(app: Any, environ: dict[str, Any]) -> tuple[str, list[tuple[str, str]], bytes]:
    answer: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc: Any = None) -> None:
        answer["status"], answer["headers"] = status, list(headers)

    body = b"".join(app(environ, start_response))
    return answer["status"], answer["headers"], body


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    cache.clear()


@pytest.fixture(autouse=True)
def _connection_kept_through_requests() -> Iterator[None]:
    """Django's handler closes the database connection when a request starts and ends (each
    request its own, as a server runs them); a test runs in one transaction on one connection,
    so, as Django's test client does, the handler leaves it open here (on SQLite's in-memory
    database closing does nothing, on PostgreSQL the test's next query would fail)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


class Closed:
    """An answer that says whether it was closed."""

    def __init__(self) -> None:
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        yield b"page"

    def close(self) -> None:
        self.closed = True


def test_the_microcache_closes_the_answer_it_reads_as_a_server_would() -> None:
    """PEP 3333: the server calls the answer's close(), from which Django sends
    request_finished (the request's database connection closed, its files too); the cache
    reads the answer in the server's place, so it closes it."""
    answers: list[Closed] = []

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Closed:
        start_response("200 OK", [("Content-Type", "text/html")])
        answers.append(Closed())
        return answers[-1]

    cached = PublicPageCache(app)
    for path in ("/results/1/", "/accounts/login/"):  # kept, and passed through
        assert _get(cached, _environ(path))[2] == b"page"
    assert answers[0].closed
    # an answer passed through untouched is the server's to close, as without the cache
    assert not answers[1].closed


def test_the_api_results_are_kept_whole_for_anonymous_callers(published: Publication) -> None:
    path = f"/api/cycles/{published.cycle_id}/results"
    fresh = _get(WSGIHandler(), _environ(path))
    django = Counted(WSGIHandler())
    cached = PublicPageCache(django)
    made, served = _get(cached, _environ(path)), _get(cached, _environ(path))
    assert fresh[0] == "200 OK" and fresh[2].startswith(b"{")
    assert made == served == fresh  # the same bytes, the same headers
    assert django.calls == [f"{path}?"]


def test_an_api_caller_with_a_token_is_never_served_a_kept_answer_nor_leaves_one(
    published: Publication,
) -> None:
    path = f"/api/cycles/{published.cycle_id}/results"
    django = Counted(WSGIHandler())
    cached = PublicPageCache(django)
    token = {"HTTP_AUTHORIZATION": "Bearer chiso_wrong_token"}
    refused = _get(cached, _environ(path, **token))
    assert refused[0].startswith("401")
    _get(cached, _environ(path))  # made, and kept
    assert _get(cached, _environ(path, **token))[0].startswith("401")  # not the kept answer
    assert len(django.calls) == 3


@pytest.mark.django_db
def test_a_comparison_is_kept_whole_as_django_makes_it(loaded: Archive) -> None:
    query = urlencode([("p", "Quảng Ninh"), ("p", "Hải Phòng")])
    fresh = _get(WSGIHandler(), _environ(COMPARE, query))
    django = Counted(WSGIHandler())
    cached = PublicPageCache(django)
    made, served = _get(cached, _environ(COMPARE, query)), _get(cached, _environ(COMPARE, query))
    assert fresh[0] == "200 OK" and "Hải Phòng".encode() in fresh[2]
    assert made == served == fresh  # the same bytes, the same headers
    assert django.calls == [f"{COMPARE}?{query}"]


def test_only_the_results_of_the_api_are_kept() -> None:
    app = Counted()
    cached = PublicPageCache(app)
    for path in ("/api/cycles/1", "/api/cycles/1/results/x", "/api/cycles/1/publications"):
        _get(cached, _environ(path))
        _get(cached, _environ(path))
    assert len(app.calls) == 6


def test_a_comparison_is_kept_with_its_query_string_as_part_of_the_key() -> None:
    app = Counted()
    cached = PublicPageCache(app)
    one, other = "p=H%C3%A0+N%E1%BB%99i&p=Hu%E1%BA%BF", "p=Hu%E1%BA%BF&p=Hu%E1%BA%BF"
    assert _get(cached, _environ(COMPARE, one))[2] == f"page {one}".encode()
    assert _get(cached, _environ(COMPARE, other))[2] == f"page {other}".encode()
    assert _get(cached, _environ(COMPARE, one))[2] == f"page {one}".encode()
    assert app.calls == [f"{COMPARE}?{one}", f"{COMPARE}?{other}"]


@pytest.mark.parametrize(
    ("path", "query"),
    [
        (COMPARE, "p=a&p=b&p=c&p=d&p=e"),  # more than four provinces
        (COMPARE, "p=a&x=b"),  # another parameter
        (COMPARE, "x=a"),
        (COMPARE, "p=" + "a" * microcache.MAX_QUERY_LENGTH),
        ("/archive/", "p=a"),  # another address
        ("/results/1/compare/", "u=a&u=b"),
    ],
)
def test_a_page_with_any_other_query_string_is_made_each_time(path: str, query: str) -> None:
    app = Counted()
    cached = PublicPageCache(app)
    _get(cached, _environ(path, query))
    _get(cached, _environ(path, query))
    assert len(app.calls) == 2


def test_the_comparisons_kept_are_capped_until_their_time_runs_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    now = [1000.0]
    monkeypatch.setattr(microcache.time, "monotonic", lambda: now[0])
    app = Counted()
    cached = PublicPageCache(app)
    cached.queried.limit = 2
    for name in ("a", "b", "c", "a", "b", "c"):
        _get(cached, _environ(COMPARE, f"p={name}"))
    # a and b kept; c, past the cap, made each time
    assert app.calls == [f"{COMPARE}?p=a", f"{COMPARE}?p=b", f"{COMPARE}?p=c", f"{COMPARE}?p=c"]
    assert len(cached.queried.until) == 2
    now[0] += microcache.TTL + 1
    cache.clear()  # their pages expired too
    _get(cached, _environ(COMPARE, "p=c"))
    _get(cached, _environ(COMPARE, "p=c"))
    assert app.calls.count(f"{COMPARE}?p=c") == 3  # admitted once the others had expired
