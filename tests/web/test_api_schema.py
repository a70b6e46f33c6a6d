"""schemathesis against the OpenAPI schema at /api/openapi.json: requests generated for every
operation, sent anonymously, with the session of each role and with a read-and-write token,
never make the server fail, and every answer matches the schema (status documented, content
type, body). The operations on the objects that come later in a cycle (framework versions,
explanations and answers, corrections and revisions, plans, targets and tasks) run again
against a province that has them, with ids counted from 1, so that the small ids Hypothesis
tries first reach real objects."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core.cache import cache
from django.test import Client
from hypothesis import HealthCheck, settings

from chiso.web.accounts import tokens
from chiso.web.wsgi import django_application
from web.conftest import World
from web.later_objects import LATER_PATHS, with_later_objects

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", django_application)
later = schema.include(path_regex=LATER_PATHS)
ROLES = ("admin", "officer_a", "appraiser_a", "chair")
CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
]


@pytest.fixture
def identities(world: World) -> list[dict[str, str]]:
    """Headers of the anonymous, of each role's session, and of an officer's token with write
    scope and an administrator's with read scope."""
    out: list[dict[str, str]] = [{}]
    for role in ROLES:
        client = Client()
        client.force_login(getattr(world, role))
        out.append({"Cookie": f"sessionid={client.cookies['sessionid'].value}"})
    _, text = tokens.create_token(world.officer_a, "schemathesis", "write", 1)
    out.append({"Authorization": f"Bearer {text}"})
    _, text = tokens.create_token(world.admin, "schemathesis", "read", 1)
    out.append({"Authorization": f"Bearer {text}"})
    return out


def _call(case: Any, headers: dict[str, str]) -> Any:
    """The case sent as one identity. A session is sent without the bearer token the schema
    lets schemathesis make up (a wrong token is refused before the session is read), and the
    lock-out that wrong tokens earn an address is forgotten before each call, so that every
    identity reaches the operation itself."""
    cache.clear()  # sessions are kept in the database too (cached_db)
    generated = case.headers
    if "Cookie" in headers and generated:
        case.headers = {k: v for k, v in generated.items() if k.lower() != "authorization"}
    try:
        return case.call(headers=headers)
    finally:
        case.headers = generated


@pytest.fixture
def later_world(world: World) -> World:
    with_later_objects(world)
    return world


@pytest.fixture
def writers(world: World) -> list[dict[str, str]]:
    """Write tokens of the people who change the later objects: sessions without a CSRF
    token are refused every change, so these reach the changes themselves."""
    out = []
    for role in ("admin", "appraiser_a", "chair"):
        _, text = tokens.create_token(getattr(world, role), "schemathesis", "write", 1)
        out.append({"Authorization": f"Bearer {text}"})
    return out


def test_every_operation_is_in_the_schema(db: None) -> None:
    paths = Client().get("/api/openapi.json").json()["paths"]
    operations = {(method.upper(), path) for path, ops in paths.items() for method in ops}
    assert len(operations) >= 50, sorted(operations)
    for expected in (
        ("GET", "/api/frameworks"),
        ("POST", "/api/cycles"),
        ("GET", "/api/cycles/{cycle_id}/audit"),
        ("GET", "/api/cycles/{cycle_id}/publications/{revision}"),
        ("POST", "/api/leaves/{leaf_id}/evidence"),
        ("GET", "/api/evidence/{evidence_id}"),
        ("POST", "/api/framework-versions"),
        ("GET", "/api/framework-versions/{version_id}/{fmt}"),
        ("GET", "/api/sheets/{sheet_id}/explanations"),
        ("POST", "/api/leaves/{leaf_id}/explanation"),
        ("POST", "/api/explanations/{explanation_id}/review"),
        ("POST", "/api/cycles/{cycle_id}/corrections"),
        ("POST", "/api/sheets/{sheet_id}/ranked"),
        ("GET", "/api/cycles/{cycle_id}/revisions"),
        ("POST", "/api/responsibilities"),
        ("POST", "/api/responsibilities/import"),
        ("DELETE", "/api/responsibilities/{responsibility_id}"),
        ("POST", "/api/cycles/{cycle_id}/plans"),
        ("GET", "/api/plans/{plan_id}"),
        ("POST", "/api/tasks/{task_id}"),
        ("POST", "/api/tasks/{task_id}/files"),
        ("GET", "/api/task-files/{file_id}"),
        ("GET", "/api/cycles/{cycle_id}/responsibility-report"),
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
        response = _call(case, headers)
        assert response.status_code < 500, (case.method, case.path, response.status_code)
        case.validate_response(response, checks=CHECKS)


@later.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@pytest.mark.django_db(transaction=True, reset_sequences=True)
def test_the_later_objects_never_fail_and_answer_as_the_schema_says(  # type: ignore[no-untyped-def]
    case, later_world: World, identities: list[dict[str, str]], writers: list[dict[str, str]]
) -> None:
    for headers in identities + writers:
        response = _call(case, headers)
        assert response.status_code < 500, (case.method, case.path, response.status_code)
        case.validate_response(response, checks=CHECKS)
