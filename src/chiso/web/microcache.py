"""A short-lived cache of public pages in front of Django, for visitors without a session.

Published results are the same for every anonymous reader, and a ranking day brings many of
them at once; serving those pages from memory for a couple of seconds spares the whole
request cycle. Pages are kept for ``TTL`` seconds at most, so a new publication reaches every
reader within that time (the application's own caches are invalidated at publication).

Besides the portal's and the archive's pages, the API's published results
(``/api/cycles/<id>/results``: the same document for every anonymous caller) are kept, and the
archive's comparison with its query string (``/archive/compare/?p=…``, two to four provinces
named in the address): only queries made of ``p=`` alone, at most :data:`MAX_QUERY_VALUES`
of them and :data:`MAX_QUERY_LENGTH` characters, and at most :data:`MAX_QUERIED` such pages
kept by a process within ``TTL``, so a crawler inventing queries cannot fill the memory (its
pages are then made by Django, as before). A request with an ``Authorization`` header (an
API token acting as its person) is never served a kept page nor leaves one."""

from __future__ import annotations

import hashlib
import re
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qsl

from django.core.cache import cache

from chiso.web import server_timing

TTL = 5
PREFIXES = ("/results/", "/archive/")
API_RESULTS = re.compile(r"/api/cycles/[0-9]+/results")
"""The API's published results: the same JSON for every caller without a token or session."""
QUERIED = {"/archive/compare/": "p"}
"""Addresses kept with their query string, and the one parameter such a query may name."""
MAX_QUERY_VALUES = 4
MAX_QUERY_LENGTH = 600  # four long province names, percent-encoded
MAX_QUERIED = 256
"""Pages with a query string a process keeps at most within ``TTL`` (the comparisons)."""
# a session (signed in, or messages kept in it) or a message waiting in its cookie: the page is
# the visitor's own (as chiso.web.core.kept.for_everyone)
_SESSION = re.compile(r"(?:^|;\s*)(?:sessionid|messages)=[^;\s]+")

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class PublicPageCache:
    def __init__(self, app: WSGIApp) -> None:
        self.app = app
        self.timed = server_timing.on()
        self.queried = Admitted()

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        start = time.thread_time()
        path = environ.get("PATH_INFO", "")
        cookie = environ.get("HTTP_COOKIE", "")
        query = environ.get("QUERY_STRING", "")
        if (
            environ.get("REQUEST_METHOD") != "GET"
            or not (path.startswith(PREFIXES) or API_RESULTS.fullmatch(path))
            or (query and not _kept_query(path, query))
            or _SESSION.search(cookie)
            or "HTTP_AUTHORIZATION" in environ
        ):
            return self.app(environ, start_response)
        language = re.search(r"django_language=([a-z-]+)", cookie)
        chosen = language.group(1) if language else ""
        raw = (
            f"{path}?{query}:{chosen}:{environ.get('HTTP_ACCEPT_LANGUAGE', '')}"
            f":{environ.get('HTTP_ACCEPT_ENCODING', '')}"  # a file may be sent compressed
        )
        # paths carry Vietnamese names and spaces: the key is their digest
        key = "micro:" + hashlib.sha256(raw.encode("utf-8")).hexdigest()
        hit = cache.get(key)
        if hit is not None:
            status, headers, body = hit
            if self.timed:  # this answer's own CPU, not that of the answer that was kept
                headers = [*headers, (server_timing.HEADER, server_timing.since(start))]
            start_response(status, headers)
            return [body]
        captured: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            captured["status"], captured["headers"] = status, headers
            return start_response(status, headers, exc_info)

        answer = self.app(environ, capture)
        try:
            body = b"".join(answer)
        finally:
            # the server would call it (PEP 3333): Django's answer sends request_finished from
            # it, which closes the request's database connection and the answer's files
            close = getattr(answer, "close", None)
            if close is not None:
                close()
        headers = captured.get("headers", [])
        cacheable = captured.get("status", "").startswith("200") and not any(
            name.lower() == "set-cookie" for name, _ in headers
        )
        if cacheable and (not query or self.queried.admit(key)):
            kept = [(n, v) for n, v in headers if n.lower() != server_timing.HEADER.lower()]
            cache.set(key, (captured["status"], kept, body), timeout=TTL)
        return [body]


def _kept_query(path: str, query: str) -> bool:
    """Whether a page may be kept with its query string: an address of :data:`QUERIED`, and a
    short query naming its one parameter alone, at most :data:`MAX_QUERY_VALUES` times."""
    name = QUERIED.get(path)
    if name is None or len(query) > MAX_QUERY_LENGTH:
        return False
    pairs = parse_qsl(query, keep_blank_values=True)
    return 0 < len(pairs) <= MAX_QUERY_VALUES and all(n == name for n, _ in pairs)


class Admitted:
    """The keys of pages with a query string this process has kept, each until its ``TTL``
    runs out: a new one is admitted only while fewer than ``limit`` are kept."""

    def __init__(self, limit: int = MAX_QUERIED) -> None:
        self.limit = limit
        self.until: dict[str, float] = {}
        self.lock = threading.Lock()

    def admit(self, key: str) -> bool:
        now = time.monotonic()
        with self.lock:
            if key not in self.until and len(self.until) >= self.limit:
                self.until = {k: t for k, t in self.until.items() if t > now}
                if len(self.until) >= self.limit:
                    return False
            self.until[key] = now + TTL
            return True
