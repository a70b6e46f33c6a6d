"""Improvement plans, as their pages run them: the responsibility map (who answers for which
criterion), the plans made from a published cycle with their targets and tasks, a task's
updates and its files, and the points lost per responsible unit. Every change is
:mod:`chiso.web.plans.services` (or :mod:`chiso.web.plans.task_files`), which asks the policy
and writes the cycle's audit trail; a plan's targets are checked by the page's own form."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.http import FileResponse, HttpRequest
from ninja import File, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import Field

from chiso.problems import Kind, Refusal
from chiso.web.api.core import (
    SIGNED_IN,
    Page,
    answers,
    file_answer,
    object_id,
    writer,
)
from chiso.web.core import feedback, limits
from chiso.web.core.frameworks import framework_of
from chiso.web.core.refusals import forbidden, found_or_404, too_large
from chiso.web.cycles.frameworks import framework_by_code
from chiso.web.cycles.models import Cycle, Unit
from chiso.web.cycles.policy import published_cycles, visible_cycles
from chiso.web.plans import policy, services, task_files
from chiso.web.plans.forms import PlanForm
from chiso.web.plans.models import ImprovementPlan, Responsibility, Task, TaskEvidence

router = Router(tags=["plans"])

STATUS_PATTERN = "^(todo|doing|done)$"


class ResponsibilityOut(Schema):
    id: int
    framework: str
    unit: int
    unit_name: str
    node: str
    node_name: str
    responsible: int
    responsible_name: str


class ResponsibilityIn(Schema):
    framework: str = limits.FRAMEWORK_CODE.schema()
    unit: int = limits.ID.schema(description="the assessed unit")
    node: str = limits.NODE_CODE.schema(description="the criterion's code")
    responsible: int = limits.ID.schema(description="the unit that answers for it")


class TargetOut(Schema):
    id: int
    kind: str = Field(description="index, rank, up, group or sipas")
    value: str
    needed_total: float | None
    probability: float | None


class TaskFileOut(Schema):
    id: int
    task: int
    name: str
    content_type: str
    size: int
    uploaded_by: str
    uploaded_at: datetime


class TaskOut(Schema):
    id: int
    plan: int
    node: str
    name: str
    responsible: int | None
    responsible_name: str | None
    points_now: float
    points_max: float
    target_points: float | None
    planned: bool
    deadline: date | None
    status: str = Field(description="todo, doing or done")
    evidence: str
    version: int
    files: list[TaskFileOut]


class PlanOut(Schema):
    id: int
    cycle: int
    publication_revision: int
    unit: int
    unit_name: str
    year: int
    created_by: str
    created_at: datetime


class PlanDetailOut(PlanOut):
    targets: list[TargetOut]
    tasks: list[TaskOut]


class PlanIn(Schema):
    """The unit, the year and any of the targets (at least none: tasks are made anyway)."""

    unit: int = limits.ID.schema()
    year: int = limits.YEAR.schema()
    index: float | None = Field(default=None, allow_inf_nan=False, description="index reached")
    rank: int | None = limits.RANK.schema(None)
    up: int | None = limits.RANK.schema(None, description="ranks to climb")
    group: str | None = limits.GROUP.schema(None, description="a group's code")
    sipas: float | None = Field(default=None, allow_inf_nan=False, description="SIPAS above (%)")


class TaskIn(Schema):
    """A report on a task (its responsible unit's officers or the administrator); the
    administrator may also set ``deadline`` and ``responsible`` (null: nobody)."""

    version: int = limits.VERSION.schema(description="the task's version as read")
    status: str = Field(pattern=STATUS_PATTERN)
    evidence: str = limits.NOTE.schema("")
    deadline: date | None = None
    responsible: int | None = limits.ID.schema(None)


class LostOut(Schema):
    responsible: str
    unit: str
    code: str
    name: str
    lost: float
    reason: str


def _responsibility_out(row: Responsibility, names: dict[str, str]) -> ResponsibilityOut:
    return ResponsibilityOut(
        id=row.pk,
        framework=row.framework_code,
        unit=row.unit_id,
        unit_name=row.unit.name,
        node=row.node_code,
        node_name=names.get(f"{row.framework_code} {row.node_code}", ""),
        responsible=row.responsible_id,
        responsible_name=row.responsible.name,
    )


def _node_name(framework_code: str, node_code: str, lang: str) -> str:
    try:
        return framework_by_code(framework_code).node(node_code).name_in(lang)
    except (Refusal, KeyError):
        return ""


def _manager(request: HttpRequest) -> Any:
    if not policy.can_manage_plans(request.user):
        raise forbidden()
    return request.user


def _file_out(f: TaskEvidence) -> TaskFileOut:
    return TaskFileOut(
        id=f.pk,
        task=f.task_id,
        name=f.original_name,
        content_type=f.content_type,
        size=f.size,
        uploaded_by=f.uploaded_by.username,
        uploaded_at=f.uploaded_at,
    )


def _task_out(t: Task, lang: str) -> TaskOut:
    fw = framework_of(t.plan.cycle)
    return TaskOut(
        id=t.pk,
        plan=t.plan_id,
        node=t.node_code,
        name=fw.node(t.node_code).name_in(lang) if t.node_code in fw.codes else "",
        responsible=t.responsible_id,
        responsible_name=t.responsible.name if t.responsible else None,
        points_now=t.points_now,
        points_max=t.points_max,
        target_points=t.target_points,
        planned=t.planned,
        deadline=t.deadline,
        status=t.status,
        evidence=t.evidence,
        version=t.version,
        files=[_file_out(f) for f in t.files.select_related("uploaded_by").order_by("pk")],
    )


def _plan_out(p: ImprovementPlan) -> dict[str, Any]:
    return {
        "id": p.pk,
        "cycle": p.cycle_id,
        "publication_revision": p.publication.revision,
        "unit": p.unit_id,
        "unit_name": p.unit.name,
        "year": p.year,
        "created_by": p.created_by.username,
        "created_at": p.created_at,
    }


def _plan_detail(p: ImprovementPlan) -> PlanDetailOut:
    lang = feedback.lang()
    tasks = p.tasks.select_related("responsible", "plan__cycle")
    return PlanDetailOut(
        **_plan_out(p),
        targets=[
            TargetOut(
                id=t.pk,
                kind=t.kind,
                value=t.value,
                needed_total=t.needed_total,
                probability=t.probability,
            )
            for t in p.targets.all()
        ],
        tasks=[_task_out(t, lang) for t in tasks],
    )


def _plan(request: HttpRequest, plan_id: int) -> ImprovementPlan:
    return found_or_404(
        policy.visible_plans(request.user).select_related(
            "unit", "cycle", "publication", "created_by"
        ),
        "plan_id",
        pk=plan_id,
    )


def _task(request: HttpRequest, task_id: int) -> Task:
    return found_or_404(
        Task.objects.filter(plan__in=policy.visible_plans(request.user)).select_related(
            "plan__cycle", "responsible"
        ),
        "task_id",
        pk=task_id,
    )


def _unit(unit_id: int, field: str) -> Unit:
    found = Unit.objects.filter(pk=unit_id).first()
    if found is None:  # a unit named in a body: the body is wrong, not the address
        raise Refusal("unit.unknown", Kind.INVALID, field, unit=str(unit_id))
    return found


# the responsibility map


@router.get("/responsibilities", response=answers(list[ResponsibilityOut]), auth=SIGNED_IN)
@paginate(Page)
def responsibilities(request: HttpRequest) -> Any:
    """Who answers for which criterion of which unit's assessment (administrators)."""
    _manager(request)
    lang = feedback.lang()
    rows = Responsibility.objects.select_related("unit", "responsible").order_by("pk")
    names: dict[str, str] = {}
    for row in rows:
        key = f"{row.framework_code} {row.node_code}"
        if key not in names:
            names[key] = _node_name(row.framework_code, row.node_code, lang)
    return [_responsibility_out(row, names) for row in rows]


@router.post("/responsibilities", response=answers(ResponsibilityOut, 201), auth=SIGNED_IN)
def responsibility_assign(request: HttpRequest, body: ResponsibilityIn) -> Status:  # type: ignore[type-arg]
    """Name the unit that answers for a criterion (and everything below it) of a unit's
    assessment under a framework; naming another replaces it."""
    user = writer(request)
    _manager(request)
    unit, responsible = _unit(body.unit, "unit"), _unit(body.responsible, "responsible")
    node = body.node.strip()
    services.assign(user, body.framework.strip(), unit, node, responsible)
    row = Responsibility.objects.select_related("unit", "responsible").get(
        framework_code=body.framework.strip(), unit=unit, node_code=node
    )
    names = {
        f"{row.framework_code} {row.node_code}": _node_name(
            row.framework_code, row.node_code, feedback.lang()
        )
    }
    return Status(201, _responsibility_out(row, names))


class ImportedOut(Schema):
    saved: int


@router.post("/responsibilities/import", response=answers(ImportedOut), auth=SIGNED_IN)
def responsibility_import(request: HttpRequest, file: File[UploadedFile]) -> ImportedOut:
    """A responsibility map from an Excel or CSV file (columns framework, unit, node,
    responsible; units by code or name): every row checked, every problem in ``problems``,
    all or nothing (administrators)."""
    user = writer(request)
    _manager(request)
    limit = settings.EVIDENCE_MAX_BYTES
    if file.size is not None and file.size > limit:
        raise too_large(limit // 2**20, "file")
    name = (file.name or "map.csv").replace("\\", "/").rsplit("/", 1)[-1][:200]
    saved = services.import_map(user, file.read(limit + 1), name)
    return ImportedOut(saved=saved)


@router.delete("/responsibilities/{responsibility_id}", response=answers(None, 204), auth=SIGNED_IN)
def responsibility_unassign(request: HttpRequest, responsibility_id: int = object_id()) -> Status:  # type: ignore[type-arg]
    user = writer(request)
    _manager(request)
    row = found_or_404(
        Responsibility.objects.select_related("responsible"),
        "responsibility_id",
        pk=responsibility_id,
    )
    services.unassign(user, row)
    return Status(204, None)


# plans, targets and tasks


@router.get("/plans", response=answers(list[PlanOut]), auth=SIGNED_IN)
@paginate(Page)
def plans(request: HttpRequest) -> Any:
    """The plans the caller may see: all for administrators; for a unit's officers, their
    unit's plans and those with a task their unit answers for."""
    found = policy.visible_plans(request.user).select_related("unit", "publication", "created_by")
    return [_plan_out(p) for p in found.order_by("pk")]


@router.post("/cycles/{cycle_id}/plans", response=answers(PlanDetailOut, 201), auth=SIGNED_IN)
def plan_create(request: HttpRequest, body: PlanIn, cycle_id: int = object_id()) -> Status:  # type: ignore[type-arg]
    """Next year's plan of a unit from a published cycle's newest revision: its targets (the
    total needed and the probability) and one task per criterion it lost points on, for the
    unit the map names (administrators). The targets are checked as on the page."""
    user = writer(request)
    cycle: Cycle = found_or_404(published_cycles(), "cycle_id", pk=cycle_id)
    _manager(request)
    data = {k: v for k, v in body.dict().items() if v is not None}
    form = PlanForm(data, units=cycle.units.all())
    if not form.is_valid():
        raise form.problem()
    made = services.create_plan(
        user, cycle, form.cleaned_data["unit"], form.cleaned_data["year"], form.targets()
    )
    return Status(201, _plan_detail(_plan(request, made.pk)))


@router.get("/plans/{plan_id}", response=answers(PlanDetailOut), auth=SIGNED_IN)
def plan(request: HttpRequest, plan_id: int = object_id()) -> PlanDetailOut:
    """A plan with its targets and its tasks (each with its files)."""
    return _plan_detail(_plan(request, plan_id))


@router.get("/tasks/{task_id}", response=answers(TaskOut), auth=SIGNED_IN)
def task(request: HttpRequest, task_id: int = object_id()) -> TaskOut:
    return _task_out(_task(request, task_id), feedback.lang())


@router.post("/tasks/{task_id}", response=answers(TaskOut), auth=SIGNED_IN)
def task_update(request: HttpRequest, body: TaskIn, task_id: int = object_id()) -> TaskOut:
    """Report on a task: its status and evidence (done needs evidence or a file). Sending
    ``deadline`` or ``responsible`` sets them too, which only the administrator may; a report
    made from an old ``version`` is a conflict (409), never a lost update."""
    user = writer(request)
    found = _task(request, task_id)
    sent = body.model_fields_set
    manage = "deadline" in sent or "responsible" in sent
    deadline = body.deadline if "deadline" in sent else found.deadline
    responsible = found.responsible
    if "responsible" in sent:
        responsible = None if body.responsible is None else _unit(body.responsible, "responsible")
    services.update_task(
        user,
        found,
        body.version,
        body.status,
        body.evidence,
        deadline,
        responsible,
        manage=manage,
    )
    return _task_out(_task(request, task_id), feedback.lang())


@router.post("/tasks/{task_id}/files", response=answers(TaskFileOut, 201), auth=SIGNED_IN)
def task_file_upload(
    request: HttpRequest, file: File[UploadedFile], task_id: int = object_id()
) -> Status:  # type: ignore[type-arg]
    """A file showing the task done (PDF, PNG, JPEG, DOCX or XLSX, checked by its content),
    from its responsible unit or the administrator."""
    user = writer(request)
    made = task_files.add_file(user, _task(request, task_id), file)
    return Status(201, _file_out(made))


@router.get(
    "/task-files/{file_id}",
    response={200: None, **answers(None)},
    auth=SIGNED_IN,
    openapi_extra=file_answer("the file, as the type its content has"),
)
def task_file(request: HttpRequest, file_id: int = object_id()) -> FileResponse:
    """A task's file, to those who see its plan."""
    return task_files.serve(
        found_or_404(
            TaskEvidence.objects.filter(task__plan__in=policy.visible_plans(request.user)),
            "file_id",
            pk=file_id,
        )
    )


@router.get(
    "/cycles/{cycle_id}/responsibility-report", response=answers(list[LostOut]), auth=SIGNED_IN
)
@paginate(Page)
def responsibility_report(request: HttpRequest, cycle_id: int = object_id()) -> Any:
    """Points lost per responsible unit and criterion over every unit of a finalised or
    published cycle, with the appraisers' reasons (administrators and the chair)."""
    cycle: Cycle = found_or_404(visible_cycles(request.user), "cycle_id", pk=cycle_id)
    if not policy.can_see_responsibility_report(request.user, cycle):
        raise forbidden()
    rows = services.responsibility_report(cycle, feedback.lang())
    return [
        LostOut(
            responsible=r.responsible,
            unit=r.unit,
            code=r.code,
            name=r.name,
            lost=r.lost,
            reason=r.reason,
        )
        for r in rows
    ]
