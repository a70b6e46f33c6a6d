"""schemathesis against the OpenAPI schema at /api/openapi.json: generated requests, with and
without a session, never make the server fail."""

from __future__ import annotations

import pytest
import schemathesis
from django.test import Client
from hypothesis import HealthCheck, settings

from chiso.web.wsgi import application
from web.conftest import World

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@pytest.fixture
def session_cookie(world: World) -> str:
    client = Client()
    client.force_login(world.officer_a)
    return f"sessionid={client.cookies['sessionid'].value}"


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@pytest.mark.django_db(transaction=True)
def test_the_api_never_answers_with_a_server_error(case, session_cookie: str) -> None:  # type: ignore[no-untyped-def]
    for headers in ({}, {"Cookie": session_cookie}):
        response = case.call(headers=headers)
        assert response.status_code < 500, (case.method, case.path, response.status_code)
        case.validate_response(response, checks=[schemathesis.checks.not_a_server_error])
