"""Pages of the administrator: units, cycles and people."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from chiso.frameworks import builtin_frameworks
from chiso.messages import render as render_message
from chiso.units.kinds import UNIT_KINDS
from chiso.web.accounts import policy
from chiso.web.accounts.models import Role
from chiso.web.cycles import services
from chiso.web.cycles.models import Cycle, Unit
from chiso.web.cycles.views import _error, _lang
from chiso.web.portal import maps
from chiso.web.portal.models import BoundaryMap


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip()) if text.strip() else None
    except ValueError:
        raise services.WorkflowError("cycle.bad_date", value=text) from None


@login_required
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
    try:
        services.create_unit(
            request.user,
            request.POST.get("code", ""),
            request.POST.get("name", ""),
            request.POST.get("kind", ""),
        )
    except services.Forbidden:
        return HttpResponseForbidden()
    except services.WorkflowError as err:
        _error(request, err)
    return redirect("manage")


@login_required
@require_POST
def cycle_create(request: HttpRequest) -> HttpResponse:
    units = list(Unit.objects.filter(pk__in=request.POST.getlist("units")))
    try:
        if not units:
            raise services.WorkflowError("cycle.no_units")
        year = int(request.POST.get("year", "0") or 0)
        windows = {
            key: _date(request.POST.get(key, ""))
            for key in ("self_assessment_ends", "appraisal_ends", "explanation_ends")
        }
        cycle = services.create_cycle(
            request.user,
            request.POST.get("name", "").strip() or f"{year}",
            year,
            request.POST.get("framework", ""),
            units,
            windows=windows,
        )
    except services.Forbidden:
        return HttpResponseForbidden()
    except (services.WorkflowError, ValueError) as err:
        if isinstance(err, services.WorkflowError):
            _error(request, err)
        else:
            messages.error(request, render_message("cycle.not_number", _lang(), value="năm"))
        return redirect("manage")
    return redirect("cycle", pk=cycle.pk)


@login_required
@require_POST
def role_grant(request: HttpRequest) -> HttpResponse:
    post = request.POST
    unit = Unit.objects.filter(pk=post.get("unit") or 0).first()
    cycle = Cycle.objects.filter(pk=post.get("cycle") or 0).first()
    try:
        user, password = services.grant_role(
            request.user, post.get("username", ""), post.get("kind", ""), unit, cycle
        )
    except services.Forbidden:
        return HttpResponseForbidden()
    except services.WorkflowError as err:
        _error(request, err)
        return redirect("manage")
    if password:
        text = (
            f"Tài khoản mới {user.username}: mật khẩu lần đầu {password} (chỉ hiện một lần)"
            if _lang() == "vi"
            else f"New account {user.username}: first password {password} (shown once)"
        )
        messages.info(request, text)
    return redirect("manage")


@login_required
@require_POST
def map_upload(request: HttpRequest) -> HttpResponse:
    """A boundary file (GeoJSON or TopoJSON) for the choropleths of the public pages."""
    upload = request.FILES.get("file")
    if upload is None:
        return redirect("manage")
    try:
        boundary = maps.upload_map(request.user, request.POST.get("name", ""), upload)
    except services.Forbidden:
        return HttpResponseForbidden()
    except services.WorkflowError as err:
        _error(request, err)
        return redirect("manage")
    messages.success(
        request,
        f"Đã thêm bản đồ {boundary.name}: {boundary.feature_count} vùng"
        if _lang() == "vi"
        else f"Map {boundary.name} added: {boundary.feature_count} areas",
    )
    return redirect("manage")


@login_required
@require_POST
def map_delete(request: HttpRequest, pk: int) -> HttpResponse:
    boundary = BoundaryMap.objects.filter(pk=pk).defer("features").first()
    if boundary is None or not policy.can_manage(request.user):
        # the same answer whether or not the map exists, for those not allowed
        return HttpResponseForbidden()
    maps.delete_map(request.user, boundary)
    return redirect("manage")
