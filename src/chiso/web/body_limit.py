"""The largest request body the server takes, refused before anything reads it.

Django reads a multipart body whole before a view can look at it: the CSRF check reads the
form, the API reads the file parameter, and a file above ``FILE_UPLOAD_MAX_MEMORY_SIZE`` is
streamed into a temporary file on the way. A view's own size check therefore came after a
100 MB "evidence file" had been received and written to disk. This middleware decides from the
request's declared ``Content-Length`` alone, before any of that: a body larger than the largest
legitimate one (an evidence or task file at ``EVIDENCE_MAX_BYTES`` and the form around it) is
refused with 413, and one sent without a length (``Transfer-Encoding: chunked``, which Django
would silently read as empty) with 411. granian hands the body to the application as a stream
read on demand, so an unread body is never held in memory.

The response is the API's error body under ``/api/``, a short page elsewhere, in the caller's
language."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.html import escape

from chiso.messages import render as render_message
from chiso.web.core.feedback import lang

FORM_OVERHEAD = 2**20
"""Room for the form around the largest file: the multipart headers, the CSRF token, a
version number, a comment."""


def largest_body() -> int:
    """The largest request body accepted, in bytes (read at each request: tests and
    installations change ``EVIDENCE_MAX_BYTES``)."""
    return int(settings.EVIDENCE_MAX_BYTES) + FORM_OVERHEAD


class BodyLimit:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        declared = request.META.get("CONTENT_LENGTH") or ""
        chunked = "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()
        if chunked and not declared:
            return _refuse(request, 411, "request.length_required")
        try:
            length = int(declared or 0)
        except ValueError:
            return _refuse(request, 400, "request.bad_length")
        limit = largest_body()
        if length > limit:
            return _refuse(request, 413, "request.too_large", limit=f"{limit / 2**20:g}")
        return self.get_response(request)


def _refuse(request: HttpRequest, status: int, rule: str, **params: object) -> HttpResponse:
    message = render_message(rule, lang(), **params)
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {"rule": rule, "message": message, "field": None}, status=status
        )
    else:
        page = f'<!doctype html><meta charset="utf-8"><title>{status}</title><p>{escape(message)}'
        response = HttpResponse(page, status=status)
    # the unread body stays on the connection: the client must open a new one
    response["Connection"] = "close"
    return response
