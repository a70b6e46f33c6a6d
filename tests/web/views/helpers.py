"""What the per-view tests share: a client signed in as one of the world's people, an id no
object has, and a small PDF."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from web.conftest import World

MISSING = 999_999  # no object has this id
CONFIRM = {"confirm": "1"}  # the second step of an action that asks first (submit, publish…)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def as_(world: World, actor: str) -> Client:
    """A browser of ``actor`` (a World attribute), or of nobody for "anonymous"."""
    client = Client()
    if actor != "anonymous":
        client.force_login(getattr(world, actor))
    return client


def sent_to_login(response: object) -> bool:
    from django.urls import reverse

    return response.status_code == 302 and response["Location"].startswith(  # type: ignore[attr-defined]
        reverse("accounts:login")
    )


def made_afresh(client: Client, address: str) -> bool:
    """Whether the page at ``address`` was made for this request (a template rendered or more
    than the one query of a kept page), rather than served as kept."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200, address
    return bool(response.templates) or len(queries) > 1
