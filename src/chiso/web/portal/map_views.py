"""The administrator's boundary maps: a panel on the administrator's page (registered by the
portal, which owns the maps) with the upload form and the maps kept, and the two forms'
addresses."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from chiso.problems import Refusal
from chiso.web.accounts.policy import can_manage
from chiso.web.core import feedback
from chiso.web.cycles.forms import FileForm
from chiso.web.portal import maps
from chiso.web.portal.models import BoundaryMap


def manage_panel(request: HttpRequest) -> str:
    """The maps' part of the administrator's page (place ``cycles.manage``)."""
    return render_to_string(
        "portal/manage_maps.html",
        {"maps": BoundaryMap.objects.defer("features")},
        request=request,
    )


@login_required
@require_POST
def map_upload(request: HttpRequest) -> HttpResponse:
    """A boundary file (GeoJSON or TopoJSON) for the choropleths of the public pages."""
    back = reverse("cycles:manage")
    form = FileForm(request.POST, request.FILES)
    if not form.is_valid() or form.cleaned_data["file"] is None:
        return redirect(back)
    try:
        boundary = maps.upload_map(
            request.user, form.cleaned_data["name"], form.cleaned_data["file"]
        )
    except Refusal as refusal:
        return feedback.answer(request, refusal, back)
    messages.success(
        request,
        gettext("Đã thêm bản đồ %(name)s: %(count)s vùng")
        % {"name": boundary.name, "count": boundary.feature_count},
    )
    return redirect(back)


@login_required
@require_POST
def map_delete(request: HttpRequest, pk: int) -> HttpResponse:
    if not can_manage(request.user):
        # the same answer whether or not the map exists, for those not allowed
        return HttpResponseForbidden()
    boundary = get_object_or_404(BoundaryMap.objects.defer("features"), pk=pk)
    maps.delete_map(request.user, boundary)
    return redirect("cycles:manage")
