"""Pages of the assessment cycle. Each view asks the policy, calls a service, and renders;
objects a person may not see are 404, actions they may not take are 403."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST, require_safe

from chiso.problems import Kind, Refusal
from chiso.reports.decision import decision_line
from chiso.tables.formulas import csv_row
from chiso.tables.writing import result_rows
from chiso.web.accounts.policy import can_manage, is_appraiser_of, is_officer_of
from chiso.web.core import feedback, pagecache, panels
from chiso.web.core.frameworks import framework_of
from chiso.web.core.models import AuditEntry
from chiso.web.core.refusals import forbidden, too_large
from chiso.web.cycles import (
    appraisal_excel,
    audit_names,
    forms,
    lookups,
    pages,
    policy,
    scores,
    sheet_rows,
    sheets_excel,
    windows,
    workflow,
)
from chiso.web.cycles import evidence as evidence_files
from chiso.web.cycles.central_import import import_points
from chiso.web.cycles.confirmation import Question, perform_confirmed
from chiso.web.cycles.models import Cycle, Evidence, LeafScore, Message, ScoreSheet
from chiso.web.cycles.sheet_rows import sheet_labels, tree_rows


def _at_leaf(leaf: LeafScore) -> str:
    """The sheet's page, scrolled to the leaf's row."""
    return reverse("cycles:sheet", args=[leaf.sheet_id]) + f"#leaf-{leaf.pk}"


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    published = policy.published_cycles()
    mine = policy.working_cycles(policy.visible_cycles(request.user))
    sheets = (
        policy.visible_sheets(request.user)
        .exclude(cycle__state=Cycle.CANCELLED)
        .select_related("unit", "cycle")
        .order_by("pk")
    )
    return render(
        request,
        "cycles/home.html",
        {
            "published": published,
            "simulated": [c for c in published if c.simulated],
            # each with its current deadline (a unit's own extension counts, for its people)
            "mine": [(c, windows.window_for(c, request.user)) for c in mine],
            "sheets": [(s, windows.window_of(s.cycle, s.unit_id)) for s in sheets[:200]],
            "is_admin": can_manage(request.user),
            "is_leader": policy.can_see_leader_view(request.user),
        },
    )


def _cycle_for(request: HttpRequest, pk: int) -> Cycle:
    """The cycle, if ``request.user`` may see it (404 otherwise): looked up by its id and
    asked of the policy (:func:`.policy.can_see_cycle`, which agrees with ``visible_cycles``)
    rather than found in the scoped query, which joins every unit of the cycle."""
    cycle = lookups.cycle_by_id(pk)
    if cycle is None or not policy.can_see_cycle(request.user, cycle):
        raise Http404
    return cycle


@login_required
@require_safe
def cycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The cycle's page: as the administrator manages it, the council's overview of every unit,
    an officer's own units. Below the header it is rendered once per revision of what it
    shows of the cycle (:func:`.pages.cycle_revision`: not a value saved in a sheet before the
    results), language, day and set of rights, and kept (:mod:`.pages`)."""
    cycle = _cycle_for(request, pk)
    lang = feedback.lang()
    shown = pages.cycle_revision(cycle)
    key = pages.key("cycle-page", request.user, lang, cycle.pk, *shown, cycle.state)
    body = pages.kept(key, lambda: _cycle_body(request.user, cycle))
    return render(request, "cycles/cycle.html", {"cycle": cycle, **pages.served(request, body)})


def _cycle_body(user: Any, cycle: Cycle) -> str:
    """The cycle's page below the header, for ``user``, with :data:`.pages.TOKEN` for the
    form token."""
    sheets = _listed(
        policy.visible_sheets(user)
        .filter(cycle=cycle)
        .select_related("unit")
        .order_by("unit__code")
    )
    order = workflow.ORDER
    at = order.index(cycle.state) if cycle.state in order else len(order) - 1  # cancelled: none
    next_state = order[at + 1] if at + 1 < len(order) else None
    state_names = dict(Cycle.STATES)
    results_rows = None
    if cycle.state in (Cycle.FINALISED, Cycle.PUBLISHED) and policy.can_see_results(user, cycle):
        results_rows = result_rows(workflow.compute_results(cycle).results)
    return render_to_string(
        "cycles/cycle_body.html",
        {
            "csrf_token": pages.TOKEN,
            "cycle": cycle,
            # the criteria set by its name (its code is an identifier, not something to read)
            "framework_name": framework_of(cycle).name_in(feedback.lang()),
            "sheets": sheets,
            "next_state": next_state,
            "next_state_name": state_names.get(next_state or "", ""),
            "deadlines": windows.all_windows(cycle),
            "window": windows.window_for(cycle, user),
            "extensions": [
                windows.extension_line(e)
                for e in cycle.extensions.select_related("unit", "granted_by")
            ],
            "can_extend": policy.can_extend(user, cycle),
            "extend_stages": [
                (stage, windows.STAGE_NAMES[stage]) for stage in windows.extendable(cycle)
            ],
            "can_advance": next_state is not None
            and next_state != Cycle.PUBLISHED
            and policy.can_advance(user, cycle, next_state),
            "can_publish": policy.can_publish(user, cycle)
            and cycle.state in (Cycle.FINALISED, Cycle.PUBLISHED),
            "publications": [
                (p, decision_line(workflow.decision_of_publication(p).info(), feedback.lang()))
                for p in cycle.publications.all()
            ],
            "results_rows": results_rows,
            "can_audit": policy.can_read_audit(user, cycle),
            "can_central": policy.can_enter_central_points(user, cycle),
            "can_correct": policy.can_correct(user, cycle),
            "can_set_ranked": policy.can_set_ranked(user, cycle),
            "can_cancel": policy.can_cancel(user, cycle)
            and cycle.state not in (Cycle.PUBLISHED, Cycle.CANCELLED),
        },
    )


def _listed(sheets: Any) -> list[ScoreSheet]:
    """The cycle page's sheets, each with its addresses and its state's label made once for
    the page rather than once per row (a province's 150 communes: reversing two addresses and
    translating a lazy label per row were most of the page's time)."""
    page, ranked = (
        reverse(name, args=[_PK]).replace(str(_PK), "{}")
        for name in ("cycles:sheet", "cycles:sheet-ranked")
    )
    labels = {code: str(label) for code, label in ScoreSheet.STATES}
    listed = list(sheets)
    for sheet in listed:
        sheet.url = page.format(sheet.pk)
        sheet.ranked_url = ranked.format(sheet.pk)
        sheet.state_label = labels.get(sheet.state, sheet.state)
    return listed


_PK = 987654321  # a stand-in id, replaced by each sheet's in the addresses above


@login_required
@require_POST
def cycle_advance(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _cycle_for(request, pk)
    form = forms.AdvanceForm(request.POST)
    back = reverse("cycles:cycle", args=[pk])
    target = request.POST.get("to", "")
    name = str(dict(Cycle.STATES).get(target, target))

    def action() -> str:
        if not form.is_valid():
            raise form.problem()
        workflow.advance(request.user, cycle, form.cleaned_data["to"], form.cleaned_data["reason"])
        return gettext("Kỳ đánh giá đã chuyển sang giai đoạn: %(stage)s") % {"stage": name}

    def question() -> Question:
        return Question(
            gettext("Chuyển kỳ đánh giá sang giai đoạn: %(stage)s") % {"stage": name},
            gettext("Xác nhận chuyển giai đoạn"),
            gettext("Sau khi chuyển, giai đoạn hiện tại khép lại với mọi đơn vị."),
            workflow.not_ready(cycle, target),
        )

    return perform_confirmed(request, action, back, question)


@login_required
@require_POST
def cycle_publish(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _cycle_for(request, pk)
    form = forms.PublishForm(request.POST)
    back = reverse("cycles:cycle", args=[pk])

    def decision() -> workflow.Decision:
        data = form.cleaned_data
        return workflow.Decision(
            data["decision_number"], data["decision_date"], data["decision_body"]
        )

    def action() -> str:
        if not policy.can_publish(request.user, cycle):
            raise forbidden()  # before the form: refused is 403 whatever was sent
        if not form.is_valid():
            raise form.problem()
        publication = workflow.publish(request.user, cycle, form.cleaned_data["reason"], decision())
        return gettext("Đã công bố kết quả, lần %(revision)s") % {"revision": publication.revision}

    def question() -> Question:
        return Question(
            gettext("Công bố kết quả của %(cycle)s") % {"cycle": cycle.name},
            gettext("Xác nhận công bố"),
            decision_line(decision().info(), feedback.lang())
            + ". "
            + gettext("Kết quả công bố không sửa được; sai sót chỉ sửa bằng bản đính chính."),
        )

    return perform_confirmed(request, action, back, question)


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
    writer.writerow(audit_names.header())
    entries = list(AuditEntry.objects.filter(cycle=cycle).select_related("actor"))
    for row in audit_names.readable_rows(entries, feedback.lang()):
        writer.writerow(csv_row([row[k] for k in audit_names.COLUMNS]))
    return response


def _sheet_for(request: HttpRequest, pk: int) -> ScoreSheet:
    """The sheet, with its cycle and unit, if ``request.user`` may view it (404 otherwise)."""
    return _sheet_and_window(request, pk)[0]


def _sheet_and_window(request: HttpRequest, pk: int) -> tuple[ScoreSheet, windows.Window | None]:
    """The sheet, with its cycle and unit, and its unit's window in the cycle's current stage,
    if ``request.user`` may view it (404 otherwise): looked up by its id in one query
    (:func:`.lookups.sheet_with_window`) and asked of the policy
    (:func:`.policy.can_view_sheet`, which agrees with ``visible_sheets``) rather than found
    in the scoped query built from every role."""
    found = lookups.sheet_with_window(pk)
    if found is None or not policy.can_view_sheet(request.user, found[0]):
        raise Http404
    return found


@login_required
@require_safe
def sheet_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A sheet's page. Below the header it is rendered once per revision of the sheet, states,
    deadline, language, day and set of rights, and kept (:mod:`.pages`); what other apps show
    below the sheet (the plans app's gap table) keeps itself and goes in when served."""
    sheet, window = _sheet_and_window(request, pk)
    user = request.user
    lang = feedback.lang()
    key = pages.key(
        "sheet-page",
        user,
        lang,
        sheet.pk,
        sheet.revision,
        sheet.state,
        sheet.cycle.state,
        windows.window_key(window),
    )
    body = pages.kept(key, lambda: _sheet_body(user, sheet, lang, window))
    shown = panels.render("cycles.sheet", user=user, sheet=sheet, lang=lang)
    return render(
        request, "cycles/sheet.html", {"sheet": sheet, **pages.served(request, body, panels=shown)}
    )


def _sheet_body(user: Any, sheet: ScoreSheet, lang: str, window: windows.Window | None) -> str:
    """The sheet's page below the header, for ``user``, with :data:`.pages.TOKEN` for the form
    token and a place for the panels: its frame (:func:`_sheet_frame`) with its rows in it.
    A save changes one row and moves the sheet's revision on: the page is then made again from
    the kept frame and the kept rows but the one that changed."""
    frame = pages.kept_as(
        _frame_key(user, sheet, lang, window), _Frame, lambda: _sheet_frame(user, sheet, window)
    )
    rows = _rows_html(sheet, lang, frame.central, frame.can_request, frame.flags, None)
    return frame.html.replace(pages.place("rows"), rows, 1)


@dataclass(frozen=True)
class _Frame:
    """What a sheet's rows sit in (the page below the header, with a place for the rows), and
    what the reader may do in the rows (:func:`_flags`)."""

    html: str
    central: bool
    can_request: bool
    flags: dict[str, bool]


def _frame_key(user: Any, sheet: ScoreSheet, lang: str, window: windows.Window | None) -> str:
    """The key of the sheet's frame: everything :func:`_sheet_frame` reads (the unit's and the
    cycle's names, the states, the window, and the reader's rights, language and day), and not
    the sheet's revision, which its rows alone show."""
    cycle, unit = sheet.cycle, sheet.unit
    shown = repr((unit.pk, unit.name, cycle.pk, cycle.name, cycle.simulated))
    return pages.key(
        "sheet-frame",
        user,
        lang,
        sheet.pk,
        sheet.state,
        cycle.state,
        windows.window_key(window),
        pagecache.digest(shown),
    )


def _sheet_frame(user: Any, sheet: ScoreSheet, window: windows.Window | None) -> _Frame:
    """The sheet's page below the header with a place for its rows (cycles/sheet_body.html)."""
    central, can_request, flags = _flags(user, sheet)
    html = render_to_string(
        "cycles/sheet_body.html",
        {
            "csrf_token": pages.TOKEN,
            "sheet": sheet,
            "window": window,
            # the person who would type here, told why nothing can be typed
            "closed": window is not None and not window.open and _has_part(user, sheet),
            "can_withdraw": policy.can_withdraw(user, sheet),
            "rows_html": pages.place("rows"),
            "panels": pages.place("panels"),
            **flags,
        },
    )
    return _Frame(html, central, can_request, flags)


def _flags(user: Any, sheet: ScoreSheet) -> tuple[bool, bool, dict[str, bool]]:
    """What ``user`` may do in the sheet's rows: (central points, ask, the rows' flags)."""
    central = policy.can_enter_central_points(user, sheet.cycle)
    can_request = policy.can_request_explanation(user, sheet)
    can_explain = policy.can_explain(user, sheet)
    can_self = policy.can_self_assess(user, sheet)
    return (
        central,
        can_request,
        {
            "can_self": can_self,
            "can_appraise": policy.can_appraise(user, sheet),
            "can_attach": can_self or can_explain,
            "can_message": can_request or can_explain,
        },
    )


def _rows_html(
    sheet: ScoreSheet,
    lang: str,
    central: bool,
    can_request: bool,
    flags: dict[str, bool],
    only: str | None,
    **extra: str,
) -> str:
    """The sheet's rows (or the one row of leaf ``only``, with a ``note`` or an ``error``)."""
    labels = sheet_labels()
    labels["message_button"] = labels["ask"] if can_request else labels["explain"]
    context = {"L": labels, **flags}
    if only is None and not extra:
        # the whole sheet's rows are kept row by row (a row with a note or an error is one
        # answer's)
        kept_as = sheet_rows.rows_key(sheet, lang, central, context)
        return sheet_rows.sheet_rows_html(sheet, lang, central, context, kept_as)
    rows = tree_rows(sheet, lang, central, only)
    for row in rows:
        row.update(extra)
    return sheet_rows.rows_html(rows, context)


def _has_part(user: Any, sheet: ScoreSheet) -> bool:
    """Whether ``user`` types in the sheet in its cycle's current stage (officer or appraiser)."""
    if sheet.cycle.state == Cycle.APPRAISAL:
        return is_appraiser_of(user, sheet)
    return is_officer_of(user, sheet.unit_id)


def _leaf_for(request: HttpRequest, pk: int) -> LeafScore:
    return get_object_or_404(
        policy.visible_leaves(request.user).select_related("sheet__cycle", "sheet__unit"), pk=pk
    )


@login_required
@require_POST
def leaf_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Save one leaf. A plain form post is answered by the sheet's page at the leaf's row;
    a post from htmx (``HX-Request``) by the leaf's row alone, swapped in place, with what
    was saved or why it was not."""
    leaf = _leaf_for(request, pk)
    form = forms.LeafSaveForm(request.POST)
    in_place = request.headers.get("HX-Request") == "true"
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
            points, na = form.appraisal()
            scores.appraise(request.user, leaf, points, data["reason"], version, na=na)
        else:
            scores.enter_central_points(request.user, leaf, data["points"], data["reason"], version)
    except Refusal as refusal:
        # a conflict reloads the whole sheet: others' saves may have changed any row
        sheet = reverse("cycles:sheet", args=[leaf.sheet_id])
        if in_place and refusal.kind is Kind.INVALID:
            return _row_response(request, leaf, error=refusal.message(feedback.lang()))
        response = feedback.answer(
            request, refusal, sheet if refusal.kind is Kind.CONFLICT else _at_leaf(leaf)
        )
        if in_place and refusal.kind is Kind.CONFLICT:
            response = HttpResponse(status=204)
        if in_place and refusal.kind in (Kind.CONFLICT, Kind.FORBIDDEN):
            # the whole page again: it says what changed (another save, a window that closed)
            response["HX-Redirect"] = sheet
        return response
    saved = gettext("Đã lưu tiêu chí %(code)s") % {"code": leaf.code}
    if in_place:
        return _row_response(request, leaf, note=saved)
    messages.info(request, saved)
    return redirect(_at_leaf(leaf))


def _row_response(request: HttpRequest, leaf: LeafScore, **extra: str) -> HttpResponse:
    """The leaf's row as it now stands, for htmx to swap in place of the old one."""
    sheet = ScoreSheet.objects.select_related("cycle", "unit").get(pk=leaf.sheet_id)
    central, can_request, flags = _flags(request.user, sheet)
    html = _rows_html(sheet, feedback.lang(), central, can_request, flags, leaf.code, **extra)
    return HttpResponse(html.replace("__CSRF_TOKEN__", get_token(request)))


@login_required
@require_POST
def sheet_submit(request: HttpRequest, pk: int) -> HttpResponse:
    sheet = _sheet_for(request, pk)
    back = reverse("cycles:sheet", args=[pk])

    def action() -> str:
        scores.submit_sheet(request.user, sheet)
        return gettext("Đã nộp phiếu của %(unit)s") % {"unit": sheet.unit.name}

    def question() -> Question:
        empty = sheet.leaves.filter(self_raw="").count()
        window = windows.window_of(sheet.cycle, sheet.unit_id)
        return Question(
            gettext("Nộp phiếu của %(unit)s") % {"unit": sheet.unit.name},
            gettext("Xác nhận nộp phiếu"),
            gettext("Phiếu đã nộp bị khóa; có thể rút lại để sửa trước khi hết hạn.")
            + (" " + window.describe() if window is not None else ""),
            [gettext("%(count)s tiêu chí chưa nhập") % {"count": empty}] if empty else [],
        )

    return perform_confirmed(request, action, back, question)


@login_required
@require_POST
def sheet_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """The officer takes the submitted sheet back to change it, before the deadline."""
    sheet = _sheet_for(request, pk)

    def action() -> str:
        scores.withdraw_sheet(request.user, sheet)
        return gettext("Đã rút lại phiếu để sửa; hãy nộp lại trước khi hết hạn")

    return feedback.perform(request, action, reverse("cycles:sheet", args=[pk]))


@login_required
@require_POST
def sheet_accept(request: HttpRequest, pk: int) -> HttpResponse:
    """The appraiser accepts the unit's own scores for one domain (``node``) or the sheet."""
    sheet = _sheet_for(request, pk)
    under = request.POST.get("node", "").strip()[:32] or None
    back = reverse("cycles:sheet", args=[pk]) + (f"#node-{under}" if under else "")

    def action() -> str:
        count = scores.accept_self(request.user, sheet, under)
        return gettext("Đã chấp nhận điểm tự đánh giá của %(count)s tiêu chí") % {"count": count}

    return feedback.perform(request, action, back)


@login_required
@require_POST
def leaf_message(request: HttpRequest, pk: int) -> HttpResponse:
    leaf = _leaf_for(request, pk)
    form = forms.MessageForm(request.POST)

    def action() -> str:
        if not form.is_valid():
            raise form.problem()
        scores.add_message(request.user, leaf, form.cleaned_data["text"])
        return gettext("Đã gửi ý kiến về tiêu chí %(code)s") % {"code": leaf.code}

    return feedback.perform(request, action, _at_leaf(leaf))


@login_required
@require_POST
def evidence_upload(request: HttpRequest, pk: int) -> HttpResponse:
    leaf = _leaf_for(request, pk)
    upload = _upload(request)
    if upload is None:
        return redirect("cycles:sheet", pk=leaf.sheet_id)

    def action() -> str:
        evidence_files.add_evidence(request.user, leaf, upload)
        return gettext("Đã đính kèm %(file)s vào tiêu chí %(code)s") % {
            "file": upload.name,
            "code": leaf.code,
        }

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
@require_safe
def appraisal_template(request: HttpRequest, pk: int) -> HttpResponse:
    """The appraiser's Excel sheet: the unit's values, the appraisal so far, two columns to fill."""
    sheet = _sheet_for(request, pk)
    if not is_appraiser_of(request.user, sheet):
        return HttpResponseForbidden()
    response = HttpResponse(
        appraisal_excel.template(sheet),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="tham-dinh-{sheet.unit.code}.xlsx"'
    return response


@login_required
@require_POST
def appraisal_upload(request: HttpRequest, pk: int) -> HttpResponse:
    sheet = _sheet_for(request, pk)
    if int(request.META.get("CONTENT_LENGTH") or 0) > sheets_excel.MAX_BYTES + 2**16:
        feedback.tell(request, too_large(f"{sheets_excel.MAX_BYTES / 2**20:g}"))
        return redirect("cycles:sheet", pk=pk)
    upload = _upload(request)
    if upload is None:
        return redirect("cycles:sheet", pk=pk)

    def action() -> str:
        result = appraisal_excel.upload(request.user, sheet, upload, upload.name)
        return gettext("Đã đọc %(read)s tiêu chí; %(changed)s tiêu chí thay đổi") % {
            "read": result.read,
            "changed": result.changed,
        }

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
    rows = audit_names.readable_rows(list(entries), feedback.lang())
    return render(request, "cycles/history.html", {"leaf": leaf, "entries": rows})
