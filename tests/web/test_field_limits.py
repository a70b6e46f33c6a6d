"""One validation for the pages and the API: every field that takes an id, a year, a reason, a
message, a name or a code has the same bounds on both paths, read from one table
(:mod:`chiso.web.core.limits`). Found by probing: an id of twenty digits was a server error on the
cycle-creation and correction pages, years 0, 1 and 9999 opened cycles from the page while the
API took 1990–2100, and reasons and messages of 100,000 characters were stored by the pages
while the API stopped at 5,000 and 10,000."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms as django_forms
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from ninja import Schema

from chiso.web.accounts.models import Role
from chiso.web.api.corrections import CorrectionIn, RankedIn
from chiso.web.api.cycles import CycleIn, PublishIn, StateIn
from chiso.web.api.explanations import ExplainIn, ReviewIn
from chiso.web.api.framework_versions import TableIn
from chiso.web.api.plans import PlanIn, ResponsibilityIn, TaskIn
from chiso.web.api.sheets import AppraisalIn, CentralIn, MessageIn, SelfScoreIn
from chiso.web.api.units import UnitIn
from chiso.web.core import limits
from chiso.web.core.models import AuditEntry
from chiso.web.cycles import forms as cycle_forms
from chiso.web.cycles.models import Cycle, Message, Publication
from chiso.web.plans import forms as plan_forms
from chiso.web.plans.models import ImprovementPlan, Responsibility
from web.conftest import World

HUGE = "99999999999999999999"  # twenty digits: more than any database integer holds
FormField = tuple[type[django_forms.Form], str]
SchemaField = tuple[type[Schema], str]

TEXTS: list[tuple[limits.Text, list[FormField], list[SchemaField]]] = [
    (
        limits.REASON,
        [
            (cycle_forms.AdvanceForm, "reason"),
            (cycle_forms.PublishForm, "reason"),
            (cycle_forms.LeafSaveForm, "reason"),
            (cycle_forms.ReviewForm, "reason"),
            (cycle_forms.CorrectionForm, "reason"),
            (cycle_forms.RankedForm, "reason"),
        ],
        [
            (StateIn, "reason"),
            (PublishIn, "reason"),
            (AppraisalIn, "reason"),
            (CentralIn, "reason"),
            (ReviewIn, "reason"),
            (CorrectionIn, "reason"),
            (RankedIn, "reason"),
        ],
    ),
    (
        limits.MESSAGE,
        [(cycle_forms.MessageForm, "text"), (cycle_forms.ExplainForm, "text")],
        [(MessageIn, "text"), (ExplainIn, "text")],
    ),
    (limits.NOTE, [(plan_forms.TaskForm, "evidence")], [(TaskIn, "evidence")]),
    (
        limits.NAME,
        [
            (cycle_forms.CycleForm, "name"),
            (cycle_forms.UnitForm, "name"),
            (cycle_forms.FileForm, "name"),
        ],
        [(CycleIn, "name"), (UnitIn, "name")],
    ),
    (limits.USERNAME, [(cycle_forms.RoleForm, "username")], []),
    (limits.UNIT_CODE, [(cycle_forms.UnitForm, "code")], [(UnitIn, "code")]),
    (
        limits.NODE_CODE,
        [(cycle_forms.CorrectionForm, "code"), (plan_forms.AssignForm, "node")],
        [(CorrectionIn, "code"), (ResponsibilityIn, "node")],
    ),
    (
        limits.FRAMEWORK_CODE,
        [
            (cycle_forms.CycleForm, "framework"),
            (cycle_forms.FrameworkUploadForm, "code"),
            (plan_forms.AssignForm, "framework"),
        ],
        [(CycleIn, "framework"), (TableIn, "code"), (ResponsibilityIn, "framework")],
    ),
    (
        limits.DECISION_NUMBER,
        [(cycle_forms.PublishForm, "decision_number")],
        [(PublishIn, "decision_number")],
    ),
    (
        limits.DECISION_BODY,
        [(cycle_forms.PublishForm, "decision_body")],
        [(PublishIn, "decision_body")],
    ),
    (
        limits.LEGAL_BASIS,
        [(cycle_forms.FrameworkUploadForm, "legal_basis")],
        [(TableIn, "legal_basis")],
    ),
    (limits.VALUE, [(cycle_forms.LeafSaveForm, "value")], [(SelfScoreIn, "value")]),
    (limits.GROUP, [(plan_forms.PlanForm, "group")], [(PlanIn, "group")]),
]

WHOLES: list[tuple[limits.Whole, list[FormField], list[SchemaField]]] = [
    (
        limits.YEAR,
        [
            (cycle_forms.CycleForm, "year"),
            (cycle_forms.FrameworkUploadForm, "year"),
            (plan_forms.PlanForm, "year"),
        ],
        [(CycleIn, "year"), (TableIn, "year"), (PlanIn, "year")],
    ),
    (
        limits.RANK,
        [(plan_forms.PlanForm, "rank"), (plan_forms.PlanForm, "up")],
        [(PlanIn, "rank"), (PlanIn, "up")],
    ),
    (
        limits.VERSION,
        [(plan_forms.TaskForm, "version")],
        [(TaskIn, "version"), (SelfScoreIn, "version"), (AppraisalIn, "version")],
    ),
]

IDS: tuple[list[FormField], list[SchemaField]] = (
    [
        (cycle_forms.CycleForm, "units"),
        (cycle_forms.CorrectionForm, "sheet"),
        (cycle_forms.RoleForm, "unit"),
        (cycle_forms.RoleForm, "cycle"),
        (plan_forms.AssignForm, "unit"),
        (plan_forms.AssignForm, "responsible"),
        (plan_forms.PlanForm, "unit"),
        (plan_forms.TaskForm, "responsible"),
    ],
    [
        (CycleIn, "units"),
        (CorrectionIn, "sheet"),
        (ResponsibilityIn, "unit"),
        (ResponsibilityIn, "responsible"),
        (PlanIn, "unit"),
        (TaskIn, "responsible"),
    ],
)


def _form_codes(form_class: type[django_forms.Form], name: str, value: Any) -> set[str]:
    """The error codes of one field when the form is sent with ``value`` in it alone."""
    form = form_class(data={name: value})
    form.is_valid()
    return {e.code or "" for e in form.errors.as_data().get(name, [])}


def _schema(schema: type[Schema], name: str) -> dict[str, Any]:
    """The field's JSON schema as the API documents it (nullable fields: the non-null type)."""
    prop: dict[str, Any] = schema.model_json_schema()["properties"][name]
    for option in prop.get("anyOf", []):
        if option.get("type") != "null":
            prop = {**option, **{k: v for k, v in prop.items() if k != "anyOf"}}
    return prop


def _texts() -> list[Any]:
    return [pytest.param(t, f, s, id=f"{f[0][0].__name__}.{f[0][1]}") for t, f, s in TEXTS]


@pytest.mark.django_db
@pytest.mark.parametrize(("bound", "form_fields", "schema_fields"), _texts())
def test_a_text_field_has_the_same_bound_on_the_pages_and_the_api(
    bound: limits.Text, form_fields: list[FormField], schema_fields: list[SchemaField]
) -> None:
    too_long, longest = "x" * (bound.most + 1), "x" * bound.most
    for form_class, name in form_fields:
        assert "input.too_long" in _form_codes(form_class, name, too_long), (form_class, name)
        assert not {"input.too_long", "max_length"} & _form_codes(form_class, name, longest)
    for schema, name in schema_fields:
        assert _schema(schema, name)["maxLength"] == bound.most, (schema, name)


@pytest.mark.django_db
@pytest.mark.parametrize(("bound", "form_fields", "schema_fields"), WHOLES)
def test_a_number_field_has_the_same_bounds_on_the_pages_and_the_api(
    bound: limits.Whole, form_fields: list[FormField], schema_fields: list[SchemaField]
) -> None:
    for form_class, name in form_fields:
        for outside in (bound.least - 1, bound.most + 1):
            assert _form_codes(form_class, name, str(outside)), (form_class, name, outside)
        for inside in (bound.least, bound.most):
            assert not _form_codes(form_class, name, str(inside)), (form_class, name, inside)
    for schema, name in schema_fields:
        prop = _schema(schema, name)
        assert (prop["minimum"], prop["maximum"]) == (bound.least, bound.most), (schema, name)


@pytest.mark.django_db
def test_every_id_field_refuses_an_id_no_database_holds_and_documents_the_same_bound() -> None:
    form_fields, schema_fields = IDS
    for form_class, name in form_fields:
        for value in (HUGE, str(limits.MAX_ID + 1), "0", "-1", "1e3", "١"):
            assert _form_codes(form_class, name, value), (form_class, name, value)
    for schema, name in schema_fields:
        prop = _schema(schema, name)
        prop = prop.get("items", prop)
        assert (prop["minimum"], prop["maximum"]) == (1, limits.MAX_ID), (schema, name)


# --- the cases found by probing, end to end --------------------------------------------


def _client(user: Any) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _said(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _api(user: Any, url: str, body: dict[str, Any]) -> Any:
    import json

    return _client(user).post(url, json.dumps(body), content_type="application/json")


CYCLE = {"framework": "example-department-2024", "name": "Kỳ mới"}


def test_a_cycle_for_units_of_an_id_no_database_holds_is_refused_with_a_message(
    world: World,
) -> None:
    before = Cycle.objects.count()
    page = _client(world.admin).post(
        reverse("cycles:cycle-create"), {**CYCLE, "year": "2024", "units": HUGE}
    )
    assert page.status_code == 302 and _said(page) == ["chọn ít nhất một đơn vị"]
    api = _api(world.admin, "/api/cycles", {**CYCLE, "year": 2024, "units": [int(HUGE)]})
    assert api.status_code == 422 and api.json()["field"] == "units.0"
    assert Cycle.objects.count() == before


@pytest.mark.parametrize("year", [0, 1, 1989, 2101, 9999])
def test_a_cycle_of_a_year_outside_1990_to_2100_is_refused_on_the_page_and_the_api(
    world: World, year: int
) -> None:
    before = Cycle.objects.count()
    unit = world.sheet_a.unit_id
    page = _client(world.admin).post(
        reverse("cycles:cycle-create"), {**CYCLE, "year": str(year), "units": str(unit)}
    )
    assert page.status_code == 302
    assert _said(page) == [f"năm {year} nằm ngoài khoảng từ 1990 đến 2100"]
    api = _api(world.admin, "/api/cycles", {**CYCLE, "year": year, "units": [unit]})
    assert api.status_code == 422 and api.json()["field"] == "year"
    assert Cycle.objects.count() == before


@pytest.mark.parametrize("year", [1990, 2100])
def test_a_cycle_of_the_first_or_last_year_allowed_opens_on_both_paths(
    world: World, year: int
) -> None:
    unit = world.sheet_a.unit_id
    page = _client(world.admin).post(
        reverse("cycles:cycle-create"), {**CYCLE, "year": str(year), "units": str(unit)}
    )
    assert page.status_code == 302 and Cycle.objects.filter(year=year).count() == 1
    api = _api(world.admin, "/api/cycles", {**CYCLE, "year": year, "units": [unit]})
    assert api.status_code == 201 and Cycle.objects.filter(year=year).count() == 2


def test_a_correction_of_a_sheet_of_an_id_no_database_holds_is_refused_with_a_message(
    world: World,
) -> None:
    world.move_to(Cycle.PUBLISHED)
    before = AuditEntry.objects.count()
    page = _client(world.chair).post(
        reverse("cycles:cycle-correct", args=[world.cycle.pk]),
        {"sheet": HUGE, "code": "1.4", "points": "1", "reason": "sai sót"},
    )
    assert page.status_code == 302 and _said(page)
    api = _api(
        world.chair,
        f"/api/cycles/{world.cycle.pk}/corrections",
        {"sheet": int(HUGE), "code": "1.4", "points": 1, "reason": "sai sót"},
    )
    assert api.status_code == 422 and api.json()["field"] == "sheet"
    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize(
    ("route", "fields"),
    [
        ("cycles:role-grant", {"username": "moi", "kind": "officer", "unit": HUGE}),
        ("cycles:role-grant", {"username": "moi", "kind": "appraiser", "cycle": HUGE}),
        (
            "plans:assign",
            {"framework": "example-department-2024", "unit": HUGE, "node": "1.4"},
        ),
    ],
)
def test_other_page_forms_refuse_an_id_no_database_holds_with_a_message(
    world: World, route: str, fields: dict[str, str]
) -> None:
    fields.setdefault("responsible", str(world.sheet_a.unit_id))
    before = (Role.objects.count(), Responsibility.objects.count())
    response = _client(world.admin).post(reverse(route), fields)
    assert response.status_code == 302 and _said(response)
    assert (Role.objects.count(), Responsibility.objects.count()) == before


def test_a_plan_for_a_unit_of_an_id_no_database_holds_is_refused_with_a_message(
    world: World,
) -> None:
    world.move_to(Cycle.PUBLISHED)
    response = _client(world.admin).post(
        reverse("plans:new", args=[world.cycle.pk]), {"unit": HUGE, "year": "2025"}
    )
    assert response.status_code == 200 and _said(response)
    assert not ImprovementPlan.objects.exists()


LONG = "x" * 100_000


def test_a_reason_of_100000_characters_is_refused_by_the_pages_as_by_the_api(
    world: World,
) -> None:
    advance = _client(world.admin).post(
        reverse("cycles:cycle-advance", args=[world.cycle.pk]),
        {"to": Cycle.APPRAISAL, "reason": LONG},
    )
    assert advance.status_code == 302
    assert _said(advance) == ["nội dung dài 100000 ký tự, quá mức tối đa 5000 ký tự"]
    world.cycle.refresh_from_db()
    assert world.cycle.state == Cycle.SELF
    api = _api(world.admin, f"/api/cycles/{world.cycle.pk}/advance", {"to": "x", "reason": LONG})
    assert api.status_code == 422 and api.json()["field"] == "reason"

    world.move_to(Cycle.APPRAISAL)
    leaf = world.leaf(world.sheet_a)
    cut = _client(world.appraiser_a).post(
        reverse("cycles:leaf-save", args=[leaf.pk]),
        {"action": "appraise", "points": "0", "reason": LONG, "version": leaf.version},
    )
    assert cut.status_code == 302 and _said(cut)
    assert world.leaf(world.sheet_a).appraisal_reason == ""

    world.move_to(Cycle.FINALISED)
    publish = _client(world.chair).post(
        reverse("cycles:cycle-publish", args=[world.cycle.pk]),
        {
            "reason": LONG,
            "decision_number": "1/QĐ-UBND",
            "decision_date": "2025-01-20",
            "decision_body": "UBND tỉnh",
        },
    )
    assert publish.status_code == 302 and _said(publish)
    assert not Publication.objects.exists()


def test_a_message_of_100000_characters_is_refused_by_the_page_as_by_the_api(
    world: World,
) -> None:
    leaf = world.leaf(world.sheet_a)
    page = _client(world.officer_a).post(
        reverse("cycles:leaf-message", args=[leaf.pk]), {"text": LONG}
    )
    assert page.status_code == 302
    assert _said(page) == ["nội dung dài 100000 ký tự, quá mức tối đa 10000 ký tự"]
    api = _api(world.officer_a, f"/api/leaves/{leaf.pk}/messages", {"text": LONG})
    assert api.status_code == 422 and api.json()["field"] == "text"
    assert not Message.objects.exists()


def test_a_cycle_name_longer_than_its_column_is_refused_not_cut(world: World) -> None:
    before = Cycle.objects.count()
    unit = str(world.sheet_a.unit_id)
    page = _client(world.admin).post(
        reverse("cycles:cycle-create"), {**CYCLE, "year": "2025", "units": unit, "name": LONG}
    )
    assert page.status_code == 302
    assert _said(page) == ["nội dung dài 100000 ký tự, quá mức tối đa 200 ký tự"]
    assert Cycle.objects.count() == before
