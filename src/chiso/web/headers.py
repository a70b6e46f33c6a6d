"""Response headers every page gets: a Content-Security-Policy without inline scripts, and
``Cache-Control: no-store`` on whatever a signed-in person is shown (their sheets, the audit
trail, evidence downloads), so a shared computer's browser or a proxy keeps none of it.

Scripts are static files (``web/static/chiso``), so ``script-src 'self'`` holds on every page;
styles stay inline (``style-src 'unsafe-inline'``: a style cannot run code)."""

from __future__ import annotations

from collections.abc import Callable

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class SecurityHeaders:
    """Adds the policy to every response, and no-store to every response for a signed-in
    person or carrying a session cookie."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        user = getattr(request, "user", None)
        try:
            signed_in = user is not None and user.is_authenticated
        except DatabaseError:  # the session could not be read: assume the most private
            signed_in = True
        token = getattr(request, "api_token", None) is not None
        if signed_in or token:
            patch_cache_control(response, no_store=True, private=True)
            if "max-age" in response.get("Cache-Control", ""):
                response["Cache-Control"] = "no-store, private"
        return response
