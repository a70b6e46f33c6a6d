"""Pages of the administrator: units, cycles and people (other apps add their panels to the
page: the portal its boundary maps)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST, require_safe

from chiso.frameworks import builtin_frameworks
from chiso.frameworks.model import Framework
from chiso.problems import Kind, Refusal
from chiso.units.communes import official_provinces
from chiso.units.kinds import UNIT_KINDS
from chiso.web.accounts.models import Role
from chiso.web.accounts.policy import can_manage, role_scope
from chiso.web.accounts.roles import grant_role
from chiso.web.core import feedback, panels
from chiso.web.core.refusals import forbidden
from chiso.web.cycles import forms, lineage, policy, province_units, workflow
from chiso.web.cycles.models import Cycle, FrameworkVersion, Unit
from chiso.web.cycles.unit_groups import unit_groups


def framework_label(framework: Framework) -> str:
    """A criteria set as an administrator chooses it: by its name in the reader's language and
    the years it covers (two versions of PAPI share a name), not by its code."""
    years = (
        f"{framework.year_from}–{framework.year_to}"
        if framework.year_to is not None
        else gettext("từ %(year)s") % {"year": framework.year_from}
    )
    return f"{framework.name_in(feedback.lang())} ({years})"


@login_required
@require_safe
def manage(request: HttpRequest) -> HttpResponse:
    if not can_manage(request.user):
        return HttpResponseForbidden()
    units = list(Unit.objects.all())
    return render(
        request,
        "cycles/manage.html",
        {
            "units": units,
            "unit_groups": unit_groups(units),
            "cycles": policy.working_cycles(Cycle.objects.all()),
            "cancelled": Cycle.objects.filter(state=Cycle.CANCELLED),
            "frameworks": [(f.code, framework_label(f)) for f in builtin_frameworks()],
            "uploaded": FrameworkVersion.objects.defer("yaml"),
            "uploaded_codes": sorted(set(FrameworkVersion.objects.values_list("code", flat=True))),
            "unit_kinds_all": UNIT_KINDS,
            "kinds": Role.KINDS,
            "unit_kinds": UNIT_KINDS,
            "roles": Role.objects.select_related("user", "unit", "cycle").order_by(
                "user__username"
            ),
            "provinces": official_provinces(),
            "panels": panels.render("cycles.manage", request=request),
        },
    )


@login_required
@require_POST
def unit_create(request: HttpRequest) -> HttpResponse:
    form = forms.UnitForm(request.POST)

    def action() -> str:
        if not can_manage(request.user):
            raise forbidden()
        if not form.is_valid():
            raise form.problem()
        data = form.cleaned_data
        unit = workflow.create_unit(request.user, data["code"], data["name"], data["kind"])
        return gettext("Đã thêm đơn vị %(unit)s") % {"unit": unit.name}

    return feedback.perform(request, action, reverse("cycles:manage"))


@login_required
@require_POST
def cycle_create(request: HttpRequest) -> HttpResponse:
    form = forms.CycleForm(request.POST)
    try:
        if not can_manage(request.user):
            raise forbidden()
        if not form.is_valid():
            raise form.problem()
        data = form.cleaned_data
        year = data["year"] or 0
        cycle = workflow.create_cycle(
            request.user,
            data["name"] or f"{year}",
            year,
            data["framework"],
            data["units"],
            windows=form.windows(),
        )
    except Refusal as refusal:
        return feedback.answer(request, refusal, reverse("cycles:manage"))
    messages.info(request, gettext("Đã mở kỳ đánh giá %(cycle)s") % {"cycle": cycle.name})
    return redirect("cycles:cycle", pk=cycle.pk)


@login_required
@require_POST
def role_grant(request: HttpRequest) -> HttpResponse:
    """One person, one role, for every unit and cycle chosen (each pair the role needs) in
    one post: all granted, or none when one is refused."""
    form = forms.RoleForm(request.POST)
    try:
        if not can_manage(request.user):
            raise forbidden()
        if not form.is_valid():
            raise form.problem()
        data = form.cleaned_data
        pairs = _role_pairs(data["username"], data["kind"], data["unit"], data["cycle"])
        with transaction.atomic():
            granted = [
                grant_role(request.user, data["username"], data["kind"], unit, cycle)
                for unit, cycle in pairs
            ]
    except Refusal as refusal:
        return feedback.answer(request, refusal, reverse("cycles:manage"))
    user = granted[0][0]
    password = next((p for _, p in granted if p), None)
    if password:
        text = gettext(
            "Tài khoản mới %(user)s: mật khẩu lần đầu %(password)s (chỉ hiện một lần)"
        ) % {"user": user.username, "password": password}
        messages.info(request, text)
    messages.info(
        request,
        gettext("Đã cấp vai trò %(role)s cho %(user)s: %(count)s quyền")
        % {
            "role": dict(Role.KINDS)[data["kind"]],
            "user": user.username,
            "count": len(granted),
        },
    )
    return redirect("cycles:manage")


def _file(request: HttpRequest, name: str) -> province_units.Upload | None:
    """An uploaded file of the province form, read within the upload limit; None if none."""
    upload = request.FILES.get(name)
    if upload is None or not upload.name:
        return None
    return province_units.Upload(upload.read(), upload.name)


@login_required
@require_POST
def province_load(request: HttpRequest) -> HttpResponse:
    """A province's communes from the official list, its departments and its people from
    files, in one step; the page that answers shows the one-time passwords, once."""
    form = forms.ProvinceForm(request.POST)
    try:
        if not can_manage(request.user):
            raise forbidden()
        if not form.is_valid():
            raise form.problem()
        load = province_units.load_province(
            request.user,
            form.cleaned_data["province"],
            _file(request, "departments"),
            _file(request, "people"),
        )
    except Refusal as refusal:
        return feedback.answer(request, refusal, reverse("cycles:manage"))
    load.emailed = province_units.send_passwords(load)
    return render(request, "cycles/province_loaded.html", {"load": load})


@login_required
@require_POST
def lineage_load(request: HttpRequest) -> HttpResponse:
    """Successor links (old unit → new unit, date) from a CSV/XLSX file, all or nothing."""
    upload = _file(request, "file")

    def action() -> str | None:
        if not can_manage(request.user):
            raise forbidden()
        if upload is None:
            return None
        added = lineage.load_successions(request.user, upload)
        return gettext("Đã thêm %(count)s liên kết kế thừa") % {"count": added}

    return feedback.perform(request, action, reverse("cycles:manage") + "#lineage")


def _role_pairs(
    username: str, kind: str, units: list[Unit], cycles: list[Cycle]
) -> list[tuple[Unit | None, Cycle | None]]:
    """Every (unit, cycle) the role is granted for; a field the role needs and the form left
    empty is refused by its name."""
    if not username.strip():
        raise Refusal(
            "role.field_missing", Kind.INVALID, "username", field=gettext("tên đăng nhập")
        )
    needs = role_scope(kind)
    if needs is None:
        raise Refusal("role.field_missing", Kind.INVALID, "kind", field=gettext("vai trò"))
    for_unit, for_cycle = needs
    if for_unit and not units:
        raise Refusal("role.field_missing", Kind.INVALID, "unit", field=gettext("đơn vị"))
    if for_cycle and not cycles:
        raise Refusal("role.field_missing", Kind.INVALID, "cycle", field=gettext("kỳ đánh giá"))
    chosen_units: list[Unit | None] = list(units) if for_unit else [None]
    chosen_cycles: list[Cycle | None] = list(cycles) if for_cycle else [None]
    return [(u, c) for u in chosen_units for c in chosen_cycles]
