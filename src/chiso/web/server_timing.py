"""The server's CPU time for each answer, in a ``Server-Timing`` header, when
``CHISO_SERVER_TIMING`` is on.

A load test on one machine sees latencies that are mostly time queued for a core; what it needs
to know is which kind of page costs the server the most, measured while the load runs (pages
kept in a cache are made afresh when a save moves a revision on, which a quiet measurement does
not see). A profiler would change what it measures; the thread's CPU clock
(:func:`time.thread_time`, the time this request's thread ran, whatever other threads did
meanwhile) costs a microsecond. Browsers' developer tools show the header too.

Off by default: the header tells every visitor how long a page took the server.

The short-lived cache of public pages in front of Django (:mod:`chiso.web.microcache`) answers
without the middleware below: it keeps pages without this header and times its own answers
(a first version kept the header with the page, and for five seconds every visitor of the page
read the CPU of the answer that was kept, as if each had made it again: a soak counted 86
"renders" of the open data in its last six seconds that were answers from memory)."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

HEADER = "Server-Timing"


class ServerTiming:
    """Outermost middleware: the CPU milliseconds of everything below it, the view and the
    other middleware, as ``app;dur=``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        start = time.thread_time()
        response = self.get_response(request)
        response[HEADER] = since(start)
        return response


def since(start: float) -> str:
    """The header's value for the CPU this thread used since ``start`` (its
    :func:`time.thread_time`)."""
    return f"app;dur={1000 * (time.thread_time() - start):.2f}"


def on() -> bool:
    """Whether answers are timed (``CHISO_SERVER_TIMING=1`` put the middleware in)."""
    return f"{__name__}.{ServerTiming.__name__}" in settings.MIDDLEWARE
