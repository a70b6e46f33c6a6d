"""Pages of the assessment cycle. Each view asks the policy, calls a service, and renders;
objects a person may not see are 404, actions they may not take are 403."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import Q
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseForbidden
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.views.decorators.http import require_POST, require_safe

from chiso.problems import Kind, Refusal
from chiso.reports.decision import decision_line
from chiso.tables.formulas import csv_row
from chiso.tables.writing import result_rows
from chiso.web.accounts.policy import can_manage
from chiso.web.core import feedback, panels
from chiso.web.core.models import AuditEntry
from chiso.web.core.refusals import forbidden, too_large
from chiso.web.cycles import evidence as evidence_files
from chiso.web.cycles import forms, policy, scores, sheets_excel, workflow
from chiso.web.cycles.central_import import import_points
from chiso.web.cycles.models import Cycle, Evidence, LeafScore, Message, ScoreSheet
from chiso.web.cycles.sheet_rows import sheet_labels, tree_rows


def _at_leaf(leaf: LeafScore) -> str:
    """The sheet's page, scrolled to the leaf's row."""
    return reverse("cycles:sheet", args=[leaf.sheet_id]) + f"#leaf-{leaf.pk}"


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    published = policy.published_cycles()
    mine = policy.visible_cycles(request.user)
    sheets = policy.visible_sheets(request.user).select_related("unit", "cycle").order_by("pk")
    return render(
        request,
        "cycles/home.html",
        {
            "published": published,
            "simulated": [c for c in published if c.simulated],
            "mine": mine,
            "sheets": sheets[:200],
            "is_admin": can_manage(request.user),
        },
    )


def _cycle_for(request: HttpRequest, pk: int) -> Cycle:
    return get_object_or_404(policy.visible_cycles(request.user), pk=pk)


@login_required
@require_safe
def cycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _cycle_for(request, pk)
    sheets = (
        policy.visible_sheets(request.user)
        .filter(cycle=cycle)
        .select_related("unit")
        .order_by("unit__code")
    )
    order = workflow.ORDER
    next_state = order[order.index(cycle.state) + 1] if cycle.state != Cycle.PUBLISHED else None
    results_rows = None
    if cycle.state in (Cycle.FINALISED, Cycle.PUBLISHED) and policy.can_see_results(
        request.user, cycle
    ):
        results_rows = result_rows(workflow.compute_results(cycle).results)
    return render(
        request,
        "cycles/cycle.html",
        {
            "cycle": cycle,
            "sheets": sheets,
            "next_state": next_state,
            "can_advance": next_state is not None
            and next_state != Cycle.PUBLISHED
            and policy.can_advance(request.user, cycle, next_state),
            "can_publish": policy.can_publish(request.user, cycle)
            and cycle.state in (Cycle.FINALISED, Cycle.PUBLISHED),
            "publications": [
                (p, decision_line(workflow.decision_of_publication(p).info(), feedback.lang()))
                for p in cycle.publications.all()
            ],
            "results_rows": results_rows,
            "can_audit": policy.can_read_audit(request.user, cycle),
            "can_central": policy.can_enter_central_points(request.user, cycle),
            "can_correct": policy.can_correct(request.user, cycle),
            "can_set_ranked": policy.can_set_ranked(request.user, cycle),
        },
    )


@login_required
@require_POST
def cycle_advance(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _cycle_for(request, pk)
    form = forms.AdvanceForm(request.POST)

    def action() -> None:
        if not form.is_valid():
            raise form.problem()
        workflow.advance(request.user, cycle, form.cleaned_data["to"], form.cleaned_data["reason"])

    return feedback.perform(request, action, reverse("cycles:cycle", args=[pk]))


@login_required
@require_POST
def cycle_publish(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _cycle_for(request, pk)
    form = forms.PublishForm(request.POST)

    def action() -> None:
        if not policy.can_publish(request.user, cycle):
            raise forbidden()  # before the form: refused is 403 whatever was sent
        if not form.is_valid():
            raise form.problem()
        data = form.cleaned_data
        decision = workflow.Decision(
            data["decision_number"], data["decision_date"], data["decision_body"]
        )
        workflow.publish(request.user, cycle, data["reason"], decision)

    return feedback.perform(request, action, reverse("cycles:cycle", args=[pk]))


@login_required
@require_safe
def cycle_audit(request: HttpRequest, pk: int) -> HttpResponse:
    """The cycle's audit trail as CSV."""
    cycle = _cycle_for(request, pk)
    if not policy.can_read_audit(request.user, cycle):
        return HttpResponseForbidden()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{cycle.pk}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(["at", "actor", "object", "id", "field", "old", "new", "reason"])
    for e in AuditEntry.objects.filter(cycle=cycle).select_related("actor"):
        writer.writerow(
            csv_row(
                [
                    e.at.isoformat(),
                    e.actor.username if e.actor else "",
                    e.object_type,
                    e.object_id,
                    e.field,
                    e.old,
                    e.new,
                    e.reason,
                ]
            )
        )
    return response


def _sheet_for(request: HttpRequest, pk: int) -> ScoreSheet:
    return get_object_or_404(
        policy.visible_sheets(request.user).select_related("cycle", "unit"), pk=pk
    )


@login_required
@require_safe
def sheet_detail(request: HttpRequest, pk: int) -> HttpResponse:
    sheet = _sheet_for(request, pk)
    user = request.user
    lang = feedback.lang()
    central = policy.can_enter_central_points(user, sheet.cycle)
    can_request = policy.can_request_explanation(user, sheet)
    can_explain = policy.can_explain(user, sheet)
    can_self = policy.can_self_assess(user, sheet)
    flags = {
        "can_self": can_self,
        "can_appraise": policy.can_appraise(user, sheet),
        "can_attach": can_self or can_explain,
        "can_message": can_request or can_explain,
    }
    # the rows (most of the page's cost) are rendered once per state of the sheet, language
    # and set of permissions, then shared; the CSRF token goes in afterwards
    key = (
        f"sheet-rows:{sheet.pk}:{sheet.revision}:{sheet.state}:{sheet.cycle.state}:{lang}:"
        f"{central}:{can_request}:" + ":".join(str(int(v)) for v in flags.values())
    )
    rows_html = cache.get(key)
    if rows_html is None:
        labels = sheet_labels()
        labels["message_button"] = labels["ask"] if can_request else labels["explain"]
        rows_html = render_to_string(
            "cycles/sheet_rows.html",
            {
                "rows": tree_rows(sheet, lang, central),
                "L": labels,
                **flags,
            },
        )
        cache.set(key, rows_html, timeout=3600)
    rows_html = rows_html.replace("__CSRF_TOKEN__", get_token(request))
    return render(
        request,
        "cycles/sheet.html",
        {
            "sheet": sheet,
            "rows_html": mark_safe(rows_html),
            # what other apps show below the sheet (the plans app's gap table)
            "panels": panels.render("cycles.sheet", user=user, sheet=sheet, lang=lang),
            **flags,
        },
    )


def _leaf_for(request: HttpRequest, pk: int) -> LeafScore:
    return get_object_or_404(
        policy.visible_leaves(request.user).select_related("sheet__cycle", "sheet__unit"), pk=pk
    )


@login_required
@require_POST
def leaf_save(request: HttpRequest, pk: int) -> HttpResponse:
    leaf = _leaf_for(request, pk)
    form = forms.LeafSaveForm(request.POST)
    try:
        if not form.is_valid():
            if "action" in form.errors:
                return HttpResponseForbidden()
            raise form.problem()
        data = form.cleaned_data
        action, version = data["action"], data["version"]
        if action == "self":
            scores.save_self_score(request.user, leaf, data["value"], version)
        elif action == "appraise":
            scores.appraise(request.user, leaf, data["points"], data["reason"], version)
        else:
            scores.enter_central_points(request.user, leaf, data["points"], data["reason"], version)
    except Refusal as refusal:
        # a conflict reloads the whole sheet: others' saves may have changed any row
        sheet = reverse("cycles:sheet", args=[leaf.sheet_id])
        return feedback.answer(
            request, refusal, sheet if refusal.kind is Kind.CONFLICT else _at_leaf(leaf)
        )
    return redirect(_at_leaf(leaf))


@login_required
@require_POST
def sheet_submit(request: HttpRequest, pk: int) -> HttpResponse:
    sheet = _sheet_for(request, pk)

    def action() -> None:
        scores.submit_sheet(request.user, sheet)

    return feedback.perform(request, action, reverse("cycles:sheet", args=[pk]))


@login_required
@require_POST
def leaf_message(request: HttpRequest, pk: int) -> HttpResponse:
    leaf = _leaf_for(request, pk)
    form = forms.MessageForm(request.POST)

    def action() -> None:
        if not form.is_valid():
            raise form.problem()
        scores.add_message(request.user, leaf, form.cleaned_data["text"])

    return feedback.perform(request, action, _at_leaf(leaf))


@login_required
@require_POST
def evidence_upload(request: HttpRequest, pk: int) -> HttpResponse:
    leaf = _leaf_for(request, pk)
    upload = _upload(request)
    if upload is None:
        return redirect("cycles:sheet", pk=leaf.sheet_id)

    def action() -> None:
        evidence_files.add_evidence(request.user, leaf, upload)

    return feedback.perform(request, action, _at_leaf(leaf))


@login_required
@require_safe
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    evidence = get_object_or_404(policy.visible_evidence(request.user), pk=pk)
    return evidence_files.serve(evidence)


def _upload(request: HttpRequest) -> Any:
    """The uploaded file of a page's form, or None when none was sent."""
    form = forms.FileForm(request.POST, request.FILES)
    return form.cleaned_data["file"] if form.is_valid() else None


@login_required
@require_safe
def sheet_template(request: HttpRequest, pk: int) -> HttpResponse:
    sheet = _sheet_for(request, pk)
    response = HttpResponse(
        sheets_excel.template(sheet),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="phieu-{sheet.unit.code}.xlsx"'
    return response


@login_required
@require_POST
def sheet_upload(request: HttpRequest, pk: int) -> HttpResponse:
    sheet = _sheet_for(request, pk)
    if int(request.META.get("CONTENT_LENGTH") or 0) > sheets_excel.MAX_BYTES + 2**16:
        # refused from the request's declared length, before the file is read or parsed
        limit = f"{sheets_excel.MAX_BYTES / 2**20:g}"
        feedback.tell(request, too_large(limit))
        return redirect("cycles:sheet", pk=pk)
    upload = _upload(request)
    if upload is None:
        return redirect("cycles:sheet", pk=pk)

    def action() -> str:
        result = sheets_excel.upload(request.user, sheet, upload, upload.name)
        return gettext("%(count)s tiêu chí đã lưu") % {"count": result.saved}

    return feedback.perform(request, action, reverse("cycles:sheet", args=[pk]))


@login_required
@require_POST
def cycle_central(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _cycle_for(request, pk)
    upload = _upload(request)
    if upload is None:
        return redirect("cycles:cycle", pk=pk)

    def action() -> str:
        count = import_points(request.user, cycle, upload.read(), upload.name)
        return gettext("%(count)s điểm đã nhập") % {"count": count}

    return feedback.perform(request, action, reverse("cycles:cycle", args=[pk]))


@login_required
@require_safe
def leaf_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Every change of one leaf: scores, evidence and explanation messages, oldest first."""
    leaf = _leaf_for(request, pk)
    evidence_ids = [str(x) for x in Evidence.objects.filter(leaf=leaf).values_list("pk", flat=True)]
    message_ids = [str(x) for x in Message.objects.filter(leaf=leaf).values_list("pk", flat=True)]
    entries = AuditEntry.objects.filter(
        Q(object_type="LeafScore", object_id=str(leaf.pk))
        | Q(object_type="Evidence", object_id__in=evidence_ids)
        | Q(object_type="Message", object_id__in=message_ids)
    ).select_related("actor")
    return render(request, "cycles/history.html", {"leaf": leaf, "entries": entries})
