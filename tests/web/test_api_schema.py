"""schemathesis against the OpenAPI schema at /api/openapi.json: requests generated for every
operation, sent anonymously, with the session of each role and with a read-and-write token,
never make the server fail, and every answer matches the schema (status documented, content
type, body)."""

from __future__ import annotations

import pytest
import schemathesis
from django.test import Client
from hypothesis import HealthCheck, settings

from chiso.web.accounts import tokens
from chiso.web.wsgi import django_application
from web.conftest import World

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", django_application)
ROLES = ("admin", "officer_a", "appraiser_a", "chair")
CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
]


@pytest.fixture
def identities(world: World) -> list[dict[str, str]]:
    """Headers of the anonymous, of each role's session, and of an officer's token."""
    out: list[dict[str, str]] = [{}]
    for role in ROLES:
        client = Client()
        client.force_login(getattr(world, role))
        out.append({"Cookie": f"sessionid={client.cookies['sessionid'].value}"})
    _, text = tokens.create_token(world.officer_a, "schemathesis", "write", 1)
    out.append({"Authorization": f"Bearer {text}"})
    return out


def test_every_operation_is_in_the_schema(db: None) -> None:
    paths = Client().get("/api/openapi.json").json()["paths"]
    operations = {(method.upper(), path) for path, ops in paths.items() for method in ops}
    assert len(operations) >= 25, sorted(operations)
    for expected in (
        ("GET", "/api/frameworks"),
        ("POST", "/api/cycles"),
        ("GET", "/api/cycles/{cycle_id}/audit"),
        ("GET", "/api/cycles/{cycle_id}/publications/{revision}"),
        ("POST", "/api/leaves/{leaf_id}/evidence"),
        ("GET", "/api/evidence/{evidence_id}"),
    ):
        assert expected in operations


@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@pytest.mark.django_db(transaction=True)
def test_the_api_never_fails_and_answers_as_its_schema_says(  # type: ignore[no-untyped-def]
    case, identities: list[dict[str, str]]
) -> None:
    for headers in identities:
        response = case.call(headers=headers)
        assert response.status_code < 500, (case.method, case.path, response.status_code)
        case.validate_response(response, checks=CHECKS)
