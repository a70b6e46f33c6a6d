"""The one cache of what the public pages make from a publication.

A publication never changes, so what is rendered from it is kept under a key that names it
(its SHA-256) and everything else the rendering read: the language, the boundary maps, for a
unit's page the newest publication (its history reads every cycle). A new publication is a new
key, so nothing stale is ever served, and entries are kept without a time limit — except what
was made *in place of* something that failed (a map that could not be drawn, say): that is kept
for :data:`FALLBACK_SECONDS` only, so the failure is retried rather than served for ever."""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

T = TypeVar("T")

FALLBACK_SECONDS = 60
WAIT_SECONDS = 5.0
"""How long a request waits for another thread of its process making the same page
(:func:`single_flight`) before making its own: a page takes milliseconds to make, up to a few
hundred under load; a make stuck for longer must not hold the others with it."""
FORMAT = "pc2"
"""Leads every key: raise it when what is kept changes shape or content (2: values are
:class:`Made`, groups named from codes), since kept entries have no time limit and a shared
cache (Redis) outlives an upgrade."""
_PLAIN = re.compile(r"[A-Za-z0-9._-]{1,64}")


@dataclass(frozen=True)
class Made(Generic[T]):
    """Something rendered, and whether it stands in for what failed to render."""

    value: T
    fallback: bool = False


def key(kind: str, *parts: object) -> str:
    """The cache key of ``kind`` made from ``parts``. Parts that are not plain ASCII words
    (unit names carry spaces and Vietnamese letters) enter as a digest, so every key is valid
    for every cache backend."""
    words = [text if _PLAIN.fullmatch(text) else digest(text) for text in (str(p) for p in parts)]
    return ":".join([FORMAT, kind, *words])


def digest(text: str) -> str:
    """A short, stable name for a text (32 hex digits of its SHA-256)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def get_or_make(cache_key: str, make: Callable[[], Made[T]]) -> Made[T]:
    """What is kept under ``cache_key``, made and kept on first use."""
    kept = cache.get(cache_key)
    if isinstance(kept, Made):  # anything else was kept by an older chiso: made afresh
        return kept
    made = make()
    cache.set(cache_key, made, timeout=FALLBACK_SECONDS if made.fallback else None)
    return made


def public_page(
    request: HttpRequest, cache_key: str, make: Callable[[], Made[HttpResponse]]
) -> HttpResponse:
    """Visitors who are not logged in all see the same page: it is rendered once per key.
    Logged-in people get their own (their name and a token are on it)."""
    if request.user.is_authenticated:
        return make().value

    def page() -> Made[bytes]:
        made = make()
        return Made(made.value.content, made.fallback)

    return HttpResponse(get_or_make("page:" + cache_key, page).value)


@dataclass
class _Flight:
    """The lock of one key being made, and how many threads hold or wait for it (the entry
    leaves the table with the last of them)."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    users: int = 0


_flights: dict[str, _Flight] = {}
_flights_lock = threading.Lock()


def single_flight(
    cache_key: str,
    read: Callable[[], T | None],
    make: Callable[[], T],
    wait: float = WAIT_SECONDS,
) -> T:
    """What ``read`` finds kept under ``cache_key``; on a miss, made by ``make`` (which keeps
    it) in one thread of this process at a time: the others wait for it (``wait`` seconds at
    most) and read what it kept.

    Why: when a page is not kept yet (the site's start, a new publication, a culled entry),
    every visitor asks for it at once, and each of a process's threads made the same page in
    parallel, each at a fraction of a core, so all of them answered late. Waiting threads read
    the cache again rather than share the maker's result: only what was kept is served to
    others (a page not fit to keep, a 404 say, is made by each in turn), and a value in the
    cache is never an object another thread is changing. A make that fails or takes longer
    than ``wait`` leaves the others to make their own, so no request waits on another for
    ever. Per process: another worker makes its own copy (its cache is its own, or Redis's
    ``set`` makes the last one win)."""
    found = read()
    if found is not None:
        return found
    with _flights_lock:
        flight = _flights.setdefault(cache_key, _Flight())
        flight.users += 1
    acquired = flight.lock.acquire(timeout=wait)
    try:
        if acquired:  # made meanwhile by the thread that held the lock?
            found = read()
            if found is not None:
                return found
        return make()
    finally:
        if acquired:
            flight.lock.release()
        with _flights_lock:
            flight.users -= 1
            if not flight.users:
                del _flights[cache_key]
