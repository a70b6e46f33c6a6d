"""Pages of the improvement plans. Each view asks the policy, calls a service, and renders;
objects a person may not see are 404, actions they may not take are 403."""

from __future__ import annotations

import csv
from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from chiso.numbers import format_number
from chiso.problems import Refusal
from chiso.scoring.ranking import group_bands
from chiso.tables.formulas import csv_row
from chiso.web.core import feedback
from chiso.web.core.frameworks import framework_of
from chiso.web.core.models import AuditEntry
from chiso.web.cycles import audit_names
from chiso.web.cycles.frameworks import framework_by_code, framework_codes
from chiso.web.cycles.models import Cycle, Unit
from chiso.web.cycles.policy import published_cycles, visible_cycles
from chiso.web.plans import exports, forms, policy, services, task_files
from chiso.web.plans.models import ImprovementPlan, Responsibility, Task, TaskEvidence

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _file(data: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    manage = policy.can_manage_plans(request.user)
    plans = policy.visible_plans(request.user).select_related("unit", "cycle")
    cycles = visible_cycles(request.user).filter(state__in=[Cycle.FINALISED, Cycle.PUBLISHED])
    reports = [c for c in cycles if policy.can_see_responsibility_report(request.user, c)]
    return render(
        request,
        "plans/index.html",
        {
            "plans": plans,
            "manage": manage,
            "published": published_cycles() if manage else [],
            "reports": reports,
        },
    )


@login_required
@require_safe
def responsibility_map_page(request: HttpRequest) -> HttpResponse:
    if not policy.can_manage_plans(request.user):
        return HttpResponseForbidden()
    lang = feedback.lang()
    rows = Responsibility.objects.select_related("unit", "responsible")
    frameworks = framework_codes()
    names: dict[str, str] = {}
    for row in rows:
        key = f"{row.framework_code} {row.node_code}"
        if key not in names:
            try:
                fw = framework_by_code(row.framework_code)
                names[key] = fw.node(row.node_code).name_in(lang)
            except (Refusal, KeyError):
                names[key] = ""
    return render(
        request,
        "plans/map.html",
        {
            "rows": [(r, names[f"{r.framework_code} {r.node_code}"]) for r in rows],
            "units": Unit.objects.all(),
            "frameworks": frameworks,
        },
    )


@login_required
@require_POST
def assign(request: HttpRequest) -> HttpResponse:
    form = forms.AssignForm(request.POST)

    def action() -> str:
        if not form.is_valid():
            raise form.problem()
        data = form.cleaned_data
        services.assign(
            request.user, data["framework"], data["unit"], data["node"], data["responsible"]
        )
        return gettext("Đã phân công")

    return feedback.perform(request, action, reverse("plans:map"))


@login_required
@require_POST
def unassign(request: HttpRequest, pk: int) -> HttpResponse:
    if not policy.can_manage_plans(request.user):
        return HttpResponseForbidden()
    row = get_object_or_404(Responsibility, pk=pk)

    def action() -> None:
        services.unassign(request.user, row)

    return feedback.perform(request, action, reverse("plans:map"))


@login_required
@require_POST
def import_map(request: HttpRequest) -> HttpResponse:
    if not policy.can_manage_plans(request.user):
        return HttpResponseForbidden()
    if int(request.META.get("CONTENT_LENGTH") or 0) > services.MAP_MAX_BYTES + 2**16:
        # refused from the request's declared length, before the file is read or parsed
        feedback.tell(request, services.map_too_large())
        return redirect("plans:map")
    form = forms.FileForm(request.POST, request.FILES)
    if not form.is_valid():
        return redirect("plans:map")
    upload = form.cleaned_data["file"]

    def action() -> str:
        if upload.size is not None and upload.size > services.MAP_MAX_BYTES:
            raise services.map_too_large()  # before the upload is read into memory
        count = services.import_map(request.user, upload.read(), upload.name)
        return gettext("%(count)s dòng đã nhập") % {"count": count}

    return feedback.perform(request, action, reverse("plans:map"))


@login_required
@require_safe
def map_audit(request: HttpRequest) -> HttpResponse:
    """Every change of the responsibility map as CSV (changes of plans and tasks are in their
    cycle's audit trail)."""
    if not policy.can_manage_plans(request.user):
        return HttpResponseForbidden()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="responsibility-audit.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(audit_names.header())
    entries = list(AuditEntry.objects.filter(object_type="Responsibility").select_related("actor"))
    # a row of the map is named by the assessed unit (a removed row keeps its number)
    ids = [int(e.object_id) for e in entries if e.object_id.isdigit()]
    units = dict(Responsibility.objects.filter(pk__in=ids).values_list("pk", "unit__name"))
    kind = str(audit_names.OBJECT_NAMES["Responsibility"])
    rows = audit_names.readable_rows(entries, feedback.lang())
    for entry, row in zip(entries, rows, strict=True):
        unit = units.get(int(entry.object_id)) if entry.object_id.isdigit() else None
        if unit:
            row["object"] = f"{kind}: {unit}"
        writer.writerow(csv_row([row[k] for k in audit_names.COLUMNS]))
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def new_plan(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_object_or_404(published_cycles(), pk=pk)
    if not policy.can_manage_plans(request.user):
        return HttpResponseForbidden()
    units = cycle.units.all()
    fw = framework_of(cycle)
    if request.method == "POST":
        form = forms.PlanForm(request.POST, units=units)
        try:
            if not form.is_valid():
                raise form.problem()
            data = form.cleaned_data
            plan = services.create_plan(
                request.user, cycle, data["unit"], data["year"], form.targets()
            )
            return redirect("plans:plan", pk=plan.pk)
        except Refusal as refusal:
            refused = feedback.refused(request, refusal)
            if refused is not None:
                return refused
    else:
        form = forms.PlanForm(units=units, initial={"year": cycle.year + 1})
    return render(
        request,
        "plans/new.html",
        {
            "cycle": cycle,
            "form": form,
            "units": units,
            "groups": [(b.code, b.name_in(feedback.lang())) for b in group_bands(fw)],
        },
    )


def _plan_for(request: HttpRequest, pk: int) -> ImprovementPlan:
    return get_object_or_404(
        policy.visible_plans(request.user).select_related("unit", "cycle"), pk=pk
    )


@login_required
@require_safe
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_for(request, pk)
    lang = feedback.lang()
    fw = framework_of(plan.cycle)
    tasks = list(plan.tasks.select_related("responsible").prefetch_related("files"))
    manage = policy.can_manage_plans(request.user)
    rows = [
        {
            "task": t,
            "name": fw.node(t.node_code).name_in(lang),
            "now": format_number(t.points_now, lang, fw.precision),
            "max": format_number(t.points_max, lang, fw.precision),
            "target": format_number(t.target_points, lang, fw.precision),
            "can_update": policy.can_update_task(request.user, t),
        }
        for t in tasks
    ]
    return render(
        request,
        "plans/plan.html",
        {
            "plan": plan,
            "targets": exports.target_lines(plan, lang),
            "rows": rows,
            "manage": manage,
            "units": Unit.objects.all() if manage else [],
            "statuses": Task.STATUSES,
            "by_unit": _progress_rows(services.progress(plan, "unit", lang), lang),
            "by_domain": _progress_rows(services.progress(plan, "domain", lang), lang),
        },
    )


def _progress_rows(items: list[services.Progress], lang: str) -> list[dict[str, str]]:
    return [
        {
            "label": p.label,
            "tasks": str(p.tasks),
            "done": str(p.done),
            "share": format_number(100 * p.share, lang, 0),
            "points": format_number(p.points, lang),
            "points_done": format_number(p.points_done, lang),
        }
        for p in items
    ]


@login_required
@require_POST
def task_update(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_object_or_404(
        Task.objects.filter(plan__in=policy.visible_plans(request.user)), pk=pk
    )
    form = forms.TaskForm(request.POST)
    back = reverse("plans:plan", args=[task.plan_id]) + f"#task-{task.pk}"

    def action() -> None:
        if not form.is_valid():
            raise form.problem()
        data = form.cleaned_data
        manage = "responsible" in request.POST and policy.can_manage_plans(request.user)
        services.update_task(
            request.user,
            task,
            data["version"],
            data["status"],
            data["evidence"] or "",
            data["deadline"],
            data["responsible"],
            manage=manage,
        )

    return feedback.perform(request, action, back)


@login_required
@require_POST
def task_file_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """A file showing the task done, from its responsible unit (or the administrator)."""
    task = get_object_or_404(
        Task.objects.filter(plan__in=policy.visible_plans(request.user)).select_related(
            "plan__cycle"
        ),
        pk=pk,
    )
    back = reverse("plans:plan", args=[task.plan_id]) + f"#task-{task.pk}"
    form = forms.FileForm(request.POST, request.FILES)
    if not form.is_valid():
        return redirect(back)
    upload = form.cleaned_data["file"]

    def action() -> None:
        task_files.add_file(request.user, task, upload)

    return feedback.perform(request, action, back)


@login_required
@require_safe
def task_file(request: HttpRequest, pk: int) -> FileResponse:
    """A task's file, to those who see its plan."""
    evidence = get_object_or_404(
        TaskEvidence.objects.filter(task__plan__in=policy.visible_plans(request.user)), pk=pk
    )
    return task_files.serve(evidence)


@login_required
@require_safe
def plan_docx(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_for(request, pk)
    return _file(exports.plan_docx(plan, feedback.lang()), DOCX, f"ke-hoach-{plan.pk}.docx")


@login_required
@require_safe
def plan_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_for(request, pk)
    return _file(exports.plan_xlsx(plan, feedback.lang()), XLSX, f"ke-hoach-{plan.pk}.xlsx")


def _report_cycle(request: HttpRequest, pk: int) -> Cycle | None:
    cycle = get_object_or_404(visible_cycles(request.user), pk=pk)
    return cycle if policy.can_see_responsibility_report(request.user, cycle) else None


@login_required
@require_safe
def report(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _report_cycle(request, pk)
    if cycle is None:
        return HttpResponseForbidden()
    lang = feedback.lang()
    rows = services.responsibility_report(cycle, lang)
    totals: dict[str, float] = defaultdict(float)
    for r in rows:
        totals[r.responsible] += r.lost
    return render(
        request,
        "plans/report.html",
        {
            "cycle": cycle,
            "rows": [(r, format_number(r.lost, lang)) for r in rows],
            "totals": [(name, format_number(v, lang)) for name, v in totals.items()],
        },
    )


@login_required
@require_safe
def report_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _report_cycle(request, pk)
    if cycle is None:
        return HttpResponseForbidden()
    rows = services.responsibility_report(cycle, feedback.lang())
    return _file(exports.report_xlsx(rows), XLSX, f"trach-nhiem-{cycle.pk}.xlsx")
