"""The authorisation matrix: every role × every page and endpoint × own or other unit ×
cycle state. Each case is run, its effect observed, and rolled back. The expectations are
written from the issue's rules, not computed by the policy module under test."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse

from chiso.web.cycles import evidence as evidence_files
from chiso.web.cycles import scores, workflow
from chiso.web.cycles.models import (
    Cycle,
    Evidence,
    Explanation,
    FrameworkVersion,
    LeafScore,
    Message,
    Publication,
)
from chiso.web.plans import task_files
from chiso.web.plans.models import ImprovementPlan, Responsibility, Task, TaskEvidence
from web.conftest import World
from web.views.helpers import CONFIRM

ACTORS = ["anonymous", "admin", "officer_a", "officer_b", "appraiser_a", "chair"]
STATES = [Cycle.SELF, Cycle.APPRAISAL, Cycle.EXPLANATION, Cycle.FINALISED, Cycle.PUBLISHED]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class Case:
    name: str
    run: Callable[[Client, World, str], object]  # returns the response
    effect: Callable[[World, str], bool]  # did it take effect (POST) / serve content (GET)


def _sheet(world: World, which: str):  # type: ignore[no-untyped-def]
    return world.sheet_a if which == "own" else world.sheet_b


def _leaf(world: World, which: str) -> LeafScore:
    return world.leaf(_sheet(world, which), "1.4")


def _cases() -> list[Case]:
    def get_sheet(c: Client, w: World, which: str) -> object:
        return c.get(reverse("cycles:sheet", args=[_sheet(w, which).pk]))

    def self_save(c: Client, w: World, which: str) -> object:
        leaf = _leaf(w, which)
        return c.post(
            reverse("cycles:leaf-save", args=[leaf.pk]),
            {"action": "self", "value": "1.5", "version": leaf.version},
        )

    def appraise(c: Client, w: World, which: str) -> object:
        leaf = _leaf(w, which)
        return c.post(
            reverse("cycles:leaf-save", args=[leaf.pk]),
            {"action": "appraise", "points": "0.5", "reason": "thiếu", "version": leaf.version},
        )

    def submit(c: Client, w: World, which: str) -> object:
        return c.post(reverse("cycles:sheet-submit", args=[_sheet(w, which).pk]), CONFIRM)

    def evidence(c: Client, w: World, which: str) -> object:
        return c.get(
            reverse("cycles:evidence", args=[Evidence.objects.get(leaf=_leaf(w, which)).pk])
        )

    def message(c: Client, w: World, which: str) -> object:
        # 1.1 was not cut: a message there stays a message in every stage
        return c.post(
            reverse("cycles:leaf-message", args=[w.leaf(_sheet(w, which), "1.1").pk]),
            {"text": "Đề nghị giải trình"},
        )

    def message_on_cut(c: Client, w: World, which: str) -> object:
        return c.post(
            reverse("cycles:leaf-message", args=[_leaf(w, which).pk]), {"text": "Đã bổ sung"}
        )

    def api_sheet(c: Client, w: World, which: str) -> object:
        return c.get(reverse("api:sheet", kwargs={"sheet_id": _sheet(w, which).pk}))

    def api_self(c: Client, w: World, which: str) -> object:
        leaf = _leaf(w, which)
        return c.post(
            reverse("api:self_score", kwargs={"leaf_id": leaf.pk}),
            json.dumps({"value": "1.5", "version": leaf.version}),
            content_type="application/json",
        )

    def audit(c: Client, w: World, which: str) -> object:
        return c.get(reverse("cycles:cycle-audit", args=[w.cycle.pk]))

    def advance(c: Client, w: World, which: str) -> object:
        order = workflow.ORDER
        target = order[min(order.index(w.cycle.state) + 1, len(order) - 1)]
        return c.post(reverse("cycles:cycle-advance", args=[w.cycle.pk]), {"to": target, **CONFIRM})

    def publish(c: Client, w: World, which: str) -> object:
        return c.post(
            reverse("cycles:cycle-publish", args=[w.cycle.pk]),
            {
                "reason": "đính chính",
                "decision_number": "1600/QĐ-UBND",
                "decision_date": "2025-02-03",
                "decision_body": "UBND tỉnh",
                **CONFIRM,
            },
        )

    def explanations_page(c: Client, w: World, which: str) -> object:
        return c.get(reverse("cycles:sheet-explanations", args=[_sheet(w, which).pk]))

    def explain(c: Client, w: World, which: str) -> object:
        return c.post(
            reverse("cycles:leaf-explain", args=[_leaf(w, which).pk]), {"text": "Giải trình"}
        )

    def review(c: Client, w: World, which: str) -> object:
        leaf = _leaf(w, which)
        explanation = Explanation.objects.create(
            leaf=leaf, text="Giải trình", author=w.admin, points_before=leaf.appraised_points or 0
        )
        return c.post(reverse("cycles:explanation-review", args=[explanation.pk]), {"points": "2"})

    def correct(c: Client, w: World, which: str) -> object:
        return c.post(
            reverse("cycles:cycle-correct", args=[w.cycle.pk]),
            {
                "sheet": _sheet(w, which).pk,
                "code": "1.4",
                "points": "0",
                "reason": "nhầm",
                **CONFIRM,
            },
        )

    def not_ranked(c: Client, w: World, which: str) -> object:
        return c.post(
            reverse("cycles:sheet-ranked", args=[_sheet(w, which).pk]),
            {"ranked": "", "reason": "sáp nhập"},
        )

    def upload_framework(c: Client, w: World, which: str) -> object:
        from django.core.files.uploadedfile import SimpleUploadedFile

        from chiso.frameworks.registry import framework_text

        text = framework_text("example-department-2024").replace(
            "code: example-department-2024", "code: tinh-rieng-2024"
        )
        upload = SimpleUploadedFile("tinh.yaml", text.encode("utf-8"))
        return c.post(reverse("cycles:framework-upload"), {"file": upload})

    def download_framework(c: Client, w: World, which: str) -> object:
        version = FrameworkVersion.objects.create(
            code="tinh-rieng-2024",
            version=1,
            yaml=w.cycle.framework_yaml,
            sha256="0" * 64,
            file_name="tinh.yaml",
            name="Bộ tiêu chí của tỉnh",
            nodes=1,
            complete=True,
            uploaded_by=w.admin,
        )
        return c.get(reverse("cycles:framework-download", args=[version.pk, "yaml"]))

    leaf_value = lambda w, which: _leaf(w, which).self_raw == "1.5"  # noqa: E731
    return [
        Case("view sheet", get_sheet, lambda w, which: True),
        Case("self-score", self_save, leaf_value),
        Case("appraise", appraise, lambda w, which: _leaf(w, which).appraised_points == 0.5),
        Case(
            "submit",
            submit,
            lambda w, which: (
                _sheet(w, which).__class__.objects.get(pk=_sheet(w, which).pk).state == "submitted"
            ),
        ),
        Case("download evidence", evidence, lambda w, which: True),
        Case(
            "message",
            message,
            lambda w, which: Message.objects.filter(leaf__sheet=_sheet(w, which)).exists(),
        ),
        Case(
            "message on a cut",
            message_on_cut,
            lambda w, which: Message.objects.filter(
                leaf=_leaf(w, which), kind=Message.ANSWER
            ).exists(),
        ),
        Case("api sheet", api_sheet, lambda w, which: True),
        Case("api self-score", api_self, leaf_value),
        Case("audit export", audit, lambda w, which: True),
        Case(
            "advance cycle",
            advance,
            lambda w, which: Cycle.objects.get(pk=w.cycle.pk).state != w.cycle.state,
        ),
        Case("view explanations", explanations_page, lambda w, which: True),
        Case(
            "explain",
            explain,
            lambda w, which: Explanation.objects.filter(leaf=_leaf(w, which)).exists(),
        ),
        Case(
            "review explanation",
            review,
            lambda w, which: Explanation.objects.filter(
                leaf=_leaf(w, which), outcome=Explanation.RESTORED
            ).exists(),
        ),
        Case("correct", correct, lambda w, which: _leaf(w, which).appraised_points == 0),
        Case(
            "not ranked",
            not_ranked,
            lambda w, which: (
                not _sheet(w, which).__class__.objects.get(pk=_sheet(w, which).pk).ranked
            ),
        ),
        Case(
            "upload framework",
            upload_framework,
            lambda w, which: FrameworkVersion.objects.exists(),
        ),
        Case("download framework", download_framework, lambda w, which: True),
        Case(
            "publish",
            publish,
            lambda w, which: (
                Publication.objects.filter(cycle=w.cycle).count()
                > (1 if w.cycle.state == Cycle.PUBLISHED else 0)
            ),
        ),
    ]


def expected(actor: str, case: str, which: str, state: str) -> bool:
    """The rules, as the issue states them."""
    own = which == "own"
    sees = {
        "admin": True,
        "chair": True,
        "officer_a": own,
        "appraiser_a": own,
        "officer_b": not own,
        "anonymous": False,
    }[actor]
    if case in ("view sheet", "download evidence", "api sheet", "view explanations"):
        return sees
    if case == "explain":  # an officer answers the cuts of their own unit's sheet
        return state == Cycle.EXPLANATION and (
            (actor == "officer_a" and own) or (actor == "officer_b" and not own)
        )
    if case == "review explanation":  # the sheet's appraiser answers the explanation
        return state == Cycle.EXPLANATION and actor == "appraiser_a" and own
    if case in ("self-score", "api self-score", "submit"):
        return state == Cycle.SELF and (
            (actor == "officer_a" and own) or (actor == "officer_b" and not own)
        )
    if case == "appraise":
        return state == Cycle.APPRAISAL and actor == "appraiser_a" and own
    if case == "message":
        return (state == Cycle.APPRAISAL and actor == "appraiser_a" and own) or (
            state == Cycle.EXPLANATION
            and ((actor == "officer_a" and own) or (actor == "officer_b" and not own))
        )
    if case == "message on a cut":  # the answer to a cut is an explanation, never a message
        return False
    if case == "correct":  # after publication, the chair corrects any unit
        return state == Cycle.PUBLISHED and actor == "chair"
    if case == "not ranked":  # the administrator before finalising, the chair after publication
        if state == Cycle.FINALISED:
            return False
        return actor == ("chair" if state == Cycle.PUBLISHED else "admin")
    if case in ("upload framework", "download framework"):
        return actor == "admin"
    if case == "audit export":
        return actor in ("admin", "chair")
    if case == "advance cycle":
        if state in (Cycle.SELF, Cycle.APPRAISAL):
            return actor == "admin"
        return state == Cycle.EXPLANATION and actor == "chair"  # finalising is the chair's
    if case == "publish":  # the first publication, or a correction with its reason
        return state in (Cycle.FINALISED, Cycle.PUBLISHED) and actor == "chair"
    raise AssertionError(case)


def _prepare(world: World, state: str) -> None:
    for sheet, officer in ((world.sheet_a, world.officer_a), (world.sheet_b, world.officer_b)):
        leaf = world.leaf(sheet, "1.4")
        scores.save_self_score(officer, leaf, "2", leaf.version)
        from django.core.files.uploadedfile import SimpleUploadedFile

        evidence_files.add_evidence(
            officer, world.leaf(sheet, "1.4"), SimpleUploadedFile("bien-ban.pdf", PDF)
        )
        if state != Cycle.SELF:  # the appraisal cut 1.4, which the explanation cases answer
            LeafScore.objects.filter(pk=leaf.pk).update(
                appraised_points=1, appraisal_reason="thiếu"
            )
    world.move_to(state)


def _wrong(
    world: World,
    state: str,
    cases: list[Case],
    allowed_by: Callable[[str, str, str, str], bool],
    reads: tuple[str, ...],
) -> list[str]:
    """Every case × actor × own/other, run and rolled back; the cases allowed or refused
    otherwise than ``allowed_by`` says, and the ``reads`` that served content when refused."""
    users = {
        "admin": world.admin,
        "officer_a": world.officer_a,
        "officer_b": world.officer_b,
        "appraiser_a": world.appraiser_a,
        "chair": world.chair,
    }
    wrong = []
    for case in cases:
        for actor in ACTORS:
            for which in ("own", "other"):
                client = Client()
                with transaction.atomic():
                    if actor != "anonymous":
                        client.force_login(users[actor])
                    response = case.run(client, world, which)
                    status = response.status_code  # type: ignore[attr-defined]
                    took = (
                        status in (200, 302)
                        and case.effect(world, which)
                        and not (
                            status == 302 and reverse("accounts:login") in response["Location"]
                        )
                    )  # type: ignore[index]
                    refused = status in (401, 403, 404) or (
                        status == 302 and reverse("accounts:login") in response["Location"]
                    )  # type: ignore[index]
                    transaction.set_rollback(True)
                world.cycle.refresh_from_db()
                allowed = allowed_by(actor, case.name, which, state)
                if status >= 500 or (allowed and not took) or (not allowed and took):
                    wrong.append(f"{state} {actor} {case.name} {which}: {status}")
                if not allowed and case.name in reads and not refused:
                    wrong.append(f"{state} {actor} {case.name} {which}: served {status}")
    return wrong


def _unit(world: World, which: str):  # type: ignore[no-untyped-def]
    return _sheet(world, which).unit


def _task(world: World, which: str) -> Task:
    """A plan for the unit (own: A, other: B) with one task its own unit answers for; made
    inside the case's rolled-back transaction (a plan needs the cycle's publication)."""
    found = Task.objects.filter(plan__unit=_unit(world, which)).first()
    if found is not None:
        return found
    plan = ImprovementPlan.objects.create(
        cycle=world.cycle,
        publication=Publication.objects.filter(cycle=world.cycle).latest("pk"),
        unit=_unit(world, which),
        year=world.cycle.year + 1,
        created_by=world.admin,
    )
    return Task.objects.create(
        plan=plan, node_code="1.4", responsible=_unit(world, which), points_now=1, points_max=2
    )


def _plan_cases(state: str) -> list[Case]:
    """The ``plans:*`` routes; those on a plan only once the cycle is published."""

    def get(name: str) -> Callable[[Client, World, str], object]:
        return lambda c, w, which: c.get(reverse(f"plans:{name}"))

    def assign(c: Client, w: World, which: str) -> object:
        unit = _unit(w, which)
        return c.post(
            reverse("plans:assign"),
            {
                "framework": w.cycle.framework_code,
                "unit": unit.pk,
                "node": "1.4",
                "responsible": unit.pk,
            },
        )

    def unassign(c: Client, w: World, which: str) -> object:
        row = Responsibility.objects.create(
            framework_code=w.cycle.framework_code,
            unit=_unit(w, which),
            node_code="1.1",
            responsible=_unit(w, which),
        )
        return c.post(reverse("plans:unassign", args=[row.pk]))

    def import_map(c: Client, w: World, which: str) -> object:
        return c.post(reverse("plans:import"))

    def report(name: str) -> Callable[[Client, World, str], object]:
        return lambda c, w, which: c.get(reverse(f"plans:{name}", args=[w.cycle.pk]))

    def new_plan(c: Client, w: World, which: str) -> object:
        return c.get(reverse("plans:new", args=[w.cycle.pk]))

    def on_plan(name: str) -> Callable[[Client, World, str], object]:
        return lambda c, w, which: c.get(reverse(f"plans:{name}", args=[_task(w, which).plan_id]))

    def update_task(c: Client, w: World, which: str) -> object:
        task = _task(w, which)
        return c.post(
            reverse("plans:task", args=[task.pk]),
            {"version": task.version, "status": Task.DONE, "evidence": "Đã ban hành quy chế"},
        )

    def upload(c: Client, w: World, which: str) -> object:
        task = _task(w, which)
        return c.post(
            reverse("plans:task-file-upload", args=[task.pk]),
            {"file": SimpleUploadedFile("quy-che.pdf", PDF)},
        )

    def download(c: Client, w: World, which: str) -> object:
        task = _task(w, which)
        made = task_files.add_file(w.admin, task, SimpleUploadedFile("quy-che.pdf", PDF))
        return c.get(reverse("plans:task-file", args=[made.pk]))

    served = lambda w, which: True  # noqa: E731
    cases = [
        Case("plans index", get("index"), served),
        Case("responsibility map", get("map"), served),
        Case("map audit", get("map-audit"), served),
        Case(
            "assign",
            assign,
            lambda w, which: Responsibility.objects.filter(unit=_unit(w, which)).exists(),
        ),
        Case(
            "unassign",
            unassign,
            lambda w, which: not Responsibility.objects.filter(unit=_unit(w, which)).exists(),
        ),
        Case("import map", import_map, served),
        Case("responsibility report", report("report"), served),
        Case("report xlsx", report("report-xlsx"), served),
        Case("new plan", new_plan, served),
    ]
    if state == Cycle.PUBLISHED:
        cases += [
            Case("view plan", on_plan("plan"), served),
            Case("plan docx", on_plan("plan-docx"), served),
            Case("plan xlsx", on_plan("plan-xlsx"), served),
            Case(
                "update task",
                update_task,
                lambda w, which: _task(w, which).status == Task.DONE,
            ),
            Case(
                "upload task file",
                upload,
                lambda w, which: TaskEvidence.objects.filter(task=_task(w, which)).exists(),
            ),
            Case("download task file", download, served),
        ]
    return cases


PLAN_READS = (
    "responsibility map",
    "map audit",
    "responsibility report",
    "report xlsx",
    "new plan",
    "view plan",
    "plan docx",
    "plan xlsx",
    "download task file",
)


def plans_expected(actor: str, case: str, which: str, state: str) -> bool:
    """The plans' rules as the issue states them: the administrator keeps the map and makes
    plans; a plan is seen, and its tasks reported on, by the administrator and the officers
    of the unit answering for them; the responsibility report is for those who see the
    computed results (administrator, chair) once the results are final."""
    own_officer = (actor == "officer_a" and which == "own") or (
        actor == "officer_b" and which == "other"
    )
    if case == "plans index":
        return actor != "anonymous"
    if case in ("responsibility map", "map audit", "assign", "unassign", "import map"):
        return actor == "admin"
    if case in ("responsibility report", "report xlsx"):
        return state in (Cycle.FINALISED, Cycle.PUBLISHED) and actor in ("admin", "chair")
    if case == "new plan":
        return state == Cycle.PUBLISHED and actor == "admin"
    if case in (
        "view plan",
        "plan docx",
        "plan xlsx",
        "update task",
        "upload task file",
        "download task file",
    ):
        return actor == "admin" or own_officer
    raise AssertionError(case)


@pytest.mark.parametrize("state", STATES)
def test_every_role_and_plans_route_is_allowed_or_refused_as_the_rules_say(
    world: World, state: str
) -> None:
    _prepare(world, state)
    assert _wrong(world, state, _plan_cases(state), plans_expected, PLAN_READS) == []


@pytest.mark.parametrize("state", STATES)
def test_every_role_page_and_endpoint_is_allowed_or_refused_as_the_rules_say(
    world: World, state: str
) -> None:
    _prepare(world, state)
    wrong = _wrong(
        world,
        state,
        _cases(),
        expected,
        (
            "view sheet",
            "download evidence",
            "api sheet",
            "view explanations",
            "download framework",
        ),
    )
    assert wrong == []
