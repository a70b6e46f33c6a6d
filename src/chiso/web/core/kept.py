"""Whole public pages kept for visitors who are not signed in, served by their key alone.

Every visitor without a session sees the same bytes for a public page of a given publication
(or loaded archive), language and address, so the response is kept whole, headers set by the
view included, under a key naming all of that — read by the view in one cheap query — and the
code that renders it (:func:`site_revision`: a new version of chiso, its templates or its
translations is a new key). Serving it then costs the lookup of the key and the cache's read,
no ORM query built, no template rendered (the unit profile's 2.6 ms of CPU were mostly the two
ORM queries that named its key).

Nobody with a session or a message waiting is served a kept page, nor has one kept for others:
a signed-in person's header carries their name and a token, and a message (kept in a cookie, or
in the session) is shown once, on the page the person asks next. The middleware still runs for
a kept page (security headers, language, Vary), so its headers are those of a page made afresh.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache as once
from pathlib import Path

import django
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

import chiso
from chiso.web.core import pagecache
from chiso.web.core.pagecache import Made

KEPT_SUFFIXES = (".py", ".html", ".mo", ".txt", ".json", ".yaml", ".js", ".css", ".svg")
"""The files of the package whose content can change a page (code, templates, translations,
the frameworks' and archive's data, the static files named by address)."""


@dataclass(frozen=True)
class Kept:
    """A response as the view made it: its body and the headers the view set."""

    content: bytes
    headers: tuple[tuple[str, str], ...]

    def response(self) -> HttpResponse:
        return HttpResponse(self.content, headers=dict(self.headers))


def for_everyone(request: HttpRequest) -> bool:
    """Whether ``request`` may be served, and may leave, a page kept for everyone: a safe
    method from a visitor with neither a session (signed in, or messages kept in it) nor a
    message waiting in its cookie."""
    cookies = request.COOKIES
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in cookies
        and CookieStorage.cookie_name not in cookies
    )


def page(request: HttpRequest, key: str, make: Callable[[], Made[HttpResponse]]) -> HttpResponse:
    """The page under ``key`` (which names all the page is made from but the address, the
    language's and the code's revision; those are added here), made by ``make`` on the first
    request and kept (one thread of the process makes it while the others asking for it wait:
    :func:`.pagecache.single_flight`); made afresh, never kept, for anyone else than
    :func:`for_everyone`. Only a 200 that sets no cookie is kept; a fallback only briefly (see
    :mod:`.pagecache`)."""
    if not for_everyone(request):
        return make().value
    full = pagecache.key("kept", site_revision(), key, request.path)

    def read() -> HttpResponse | None:
        hit = cache.get(full)
        return hit.response() if isinstance(hit, Kept) else None

    def make_and_keep() -> HttpResponse:
        made = make()
        response = made.value
        if response.status_code == 200 and not response.cookies and not response.streaming:
            kept = Kept(response.content, tuple(response.items()))
            timeout = pagecache.FALLBACK_SECONDS if made.fallback else None
            cache.set(full, kept, timeout=timeout)
        return response

    # made by one thread of the process when many visitors ask for it at once
    return pagecache.single_flight(full, read, make_and_keep)


@once
def site_revision() -> str:
    """A digest of the code that renders the pages: chiso's own files (templates, translations,
    Python, data) and the versions of Django and chiso. Computed once per process (a few
    megabytes read, some 20 ms); a shared cache (Redis) outlives an upgrade, and a page kept by
    an older chiso must not be served by a newer one."""
    root = Path(chiso.__file__).parent
    h = hashlib.sha256(f"{django.__version__}\x00{getattr(chiso, '__version__', '')}".encode())
    for path in sorted(root.rglob("*")):
        if path.suffix in KEPT_SUFFIXES and "__pycache__" not in path.parts and path.is_file():
            h.update(str(path.relative_to(root)).encode())
            h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()[:16]
