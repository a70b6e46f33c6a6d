"""Pages of the administrator: units, cycles and people."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST, require_safe

from chiso.frameworks import builtin_frameworks
from chiso.units.kinds import UNIT_KINDS
from chiso.web.accounts import policy
from chiso.web.accounts.models import Role
from chiso.web.cycles import forms, services
from chiso.web.cycles.feedback import error
from chiso.web.cycles.models import Cycle, FrameworkVersion, Unit
from chiso.web.portal import maps
from chiso.web.portal.models import BoundaryMap


@login_required
@require_safe
def manage(request: HttpRequest) -> HttpResponse:
    if not policy.can_manage(request.user):
        return HttpResponseForbidden()
    return render(
        request,
        "cycles/manage.html",
        {
            "units": Unit.objects.all(),
            "cycles": Cycle.objects.all(),
            "frameworks": builtin_frameworks(),
            "uploaded": FrameworkVersion.objects.defer("yaml"),
            "uploaded_codes": sorted(set(FrameworkVersion.objects.values_list("code", flat=True))),
            "unit_kinds_all": UNIT_KINDS,
            "kinds": Role.KINDS,
            "unit_kinds": UNIT_KINDS,
            "roles": Role.objects.select_related("user", "unit", "cycle").order_by(
                "user__username"
            ),
            "maps": BoundaryMap.objects.defer("features"),
        },
    )


@login_required
@require_POST
def unit_create(request: HttpRequest) -> HttpResponse:
    form = forms.UnitForm(request.POST)
    try:
        if not policy.can_manage(request.user):
            raise services.Forbidden()
        if not form.is_valid():
            raise form.problem()
        data = form.cleaned_data
        services.create_unit(request.user, data["code"], data["name"], data["kind"])
    except services.Forbidden:
        return HttpResponseForbidden()
    except services.WorkflowError as err:
        error(request, err)
    return redirect("cycles:manage")


@login_required
@require_POST
def cycle_create(request: HttpRequest) -> HttpResponse:
    form = forms.CycleForm(request.POST)
    try:
        if not policy.can_manage(request.user):
            raise services.Forbidden()
        if not form.is_valid():
            raise form.problem()
        data = form.cleaned_data
        year = data["year"] or 0
        cycle = services.create_cycle(
            request.user,
            data["name"] or f"{year}",
            year,
            data["framework"],
            data["units"],
            windows=form.windows(),
        )
    except services.Forbidden:
        return HttpResponseForbidden()
    except services.WorkflowError as err:
        error(request, err)
        return redirect("cycles:manage")
    return redirect("cycles:cycle", pk=cycle.pk)


@login_required
@require_POST
def role_grant(request: HttpRequest) -> HttpResponse:
    form = forms.RoleForm(request.POST)
    try:
        if not policy.can_manage(request.user):
            raise services.Forbidden()
        if not form.is_valid():
            raise form.problem()
        data = form.cleaned_data
        user, password = services.grant_role(
            request.user, data["username"], data["kind"], data["unit"], data["cycle"]
        )
    except services.Forbidden:
        return HttpResponseForbidden()
    except services.WorkflowError as err:
        error(request, err)
        return redirect("cycles:manage")
    if password:
        text = gettext(
            "Tài khoản mới %(user)s: mật khẩu lần đầu %(password)s (chỉ hiện một lần)"
        ) % {"user": user.username, "password": password}
        messages.info(request, text)
    return redirect("cycles:manage")


@login_required
@require_POST
def map_upload(request: HttpRequest) -> HttpResponse:
    """A boundary file (GeoJSON or TopoJSON) for the choropleths of the public pages."""
    form = forms.FileForm(request.POST, request.FILES)
    if not form.is_valid() or form.cleaned_data["file"] is None:
        return redirect("cycles:manage")
    try:
        boundary = maps.upload_map(
            request.user, form.cleaned_data["name"], form.cleaned_data["file"]
        )
    except services.Forbidden:
        return HttpResponseForbidden()
    except services.WorkflowError as err:
        error(request, err)
        return redirect("cycles:manage")
    messages.success(
        request,
        gettext("Đã thêm bản đồ %(name)s: %(count)s vùng")
        % {"name": boundary.name, "count": boundary.feature_count},
    )
    return redirect("cycles:manage")


@login_required
@require_POST
def map_delete(request: HttpRequest, pk: int) -> HttpResponse:
    if not policy.can_manage(request.user):
        # the same answer whether or not the map exists, for those not allowed
        return HttpResponseForbidden()
    boundary = get_object_or_404(BoundaryMap.objects.defer("features"), pk=pk)
    maps.delete_map(request.user, boundary)
    return redirect("cycles:manage")
