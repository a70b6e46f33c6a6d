"""A short-lived cache of public pages in front of Django, for visitors without a session.

Published results are the same for every anonymous reader, and a ranking day brings many of
them at once; serving those pages from memory for a couple of seconds spares the whole
request cycle. Pages are kept for ``TTL`` seconds at most, so a new publication reaches every
reader within that time (the application's own caches are invalidated at publication)."""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache import cache

from chiso.web import server_timing

TTL = 5
PREFIXES = ("/results/", "/archive/")
# a session (signed in, or messages kept in it) or a message waiting in its cookie: the page is
# the visitor's own (as chiso.web.core.kept.for_everyone)
_SESSION = re.compile(r"(?:^|;\s*)(?:sessionid|messages)=[^;\s]+")

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class PublicPageCache:
    def __init__(self, app: WSGIApp) -> None:
        self.app = app
        self.timed = server_timing.on()

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        start = time.thread_time()
        path = environ.get("PATH_INFO", "")
        cookie = environ.get("HTTP_COOKIE", "")
        if (
            environ.get("REQUEST_METHOD") != "GET"
            or environ.get("QUERY_STRING")
            or not path.startswith(PREFIXES)
            or _SESSION.search(cookie)
        ):
            return self.app(environ, start_response)
        language = re.search(r"django_language=([a-z-]+)", cookie)
        chosen = language.group(1) if language else ""
        raw = (
            f"{path}:{chosen}:{environ.get('HTTP_ACCEPT_LANGUAGE', '')}"
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

        chunks = list(self.app(environ, capture))
        body = b"".join(chunks)
        headers = captured.get("headers", [])
        cacheable = captured.get("status", "").startswith("200") and not any(
            name.lower() == "set-cookie" for name, _ in headers
        )
        if cacheable:
            kept = [(n, v) for n, v in headers if n.lower() != server_timing.HEADER.lower()]
            cache.set(key, (captured["status"], kept, body), timeout=TTL)
        return [body]
