"""What people see when the database cannot be reached (PostgreSQL restarted, the network to
it down): a 503 with a message saying that nothing saved is lost, instead of a server error,
and the broken connection dropped so that the next request opens a new one and chiso recovers
without a restart."""

from __future__ import annotations

import contextlib
import sys

from django.db import InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse
from django.utils.html import escape

from chiso.messages import render as render_message
from chiso.web.core.feedback import lang

UNREACHABLE = (OperationalError, InterfaceError)


def forget_broken_connections() -> None:
    """Close every connection of this thread: Django opens a fresh one on the next query."""
    for connection in connections.all(initialized_only=True):
        with contextlib.suppress(Exception):  # one already gone cannot be closed more
            connection.close()


def unavailable(lang: str) -> HttpResponse:
    text = render_message("server.database_unavailable", lang)
    page = (
        f'<!doctype html><html lang="{lang}"><meta charset="utf-8"><title>503 · chiso</title>'
        f'<main><h1>503</h1><p role="alert">{escape(text)}</p></main></html>'
    )
    response = HttpResponse(page, status=503)
    response["Retry-After"] = "5"
    response["Cache-Control"] = "no-store"
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's handler500: a database that cannot be reached is a 503 with its message; any
    other failure the plain 500 page (no template: rendering one may need the database)."""
    exc = sys.exc_info()[1]
    if isinstance(exc, UNREACHABLE):
        forget_broken_connections()
        return unavailable(lang())
    return HttpResponse(
        '<!doctype html><html><meta charset="utf-8"><title>500 · chiso</title>'
        "<main><h1>500</h1></main></html>",
        status=500,
    )
