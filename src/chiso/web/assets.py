"""The site's few static files (its scripts, the API's Swagger UI) served by the application
itself, from the installed packages: chiso runs as one process on granian with no web server
in front that would serve a collected folder, and the API's documentation must not load
Swagger UI from a CDN. Only files that Django's static-file finders know are served."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_safe


@require_safe
def static_file(request: HttpRequest, path: str) -> FileResponse:
    try:
        found = finders.find(path)
    except SuspiciousFileOperation:
        raise Http404() from None
    if not found or isinstance(found, list) or not Path(found).is_file():
        raise Http404()
    content_type, _ = mimetypes.guess_type(found)
    response = FileResponse(
        open(found, "rb"),  # noqa: SIM115  (FileResponse closes it)
        content_type=content_type or "application/octet-stream",
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response
