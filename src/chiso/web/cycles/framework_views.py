"""The administrator's frameworks: upload a version (YAML or a Word/Excel criteria table)
and download any version back as YAML, Excel or Word."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST, require_safe

from chiso.web.accounts.policy import can_manage
from chiso.web.core import feedback
from chiso.web.cycles import forms, framework_uploads
from chiso.web.cycles.models import FrameworkVersion


@login_required
@require_POST
def framework_upload(request: HttpRequest) -> HttpResponse:
    if not can_manage(request.user):
        return HttpResponseForbidden()
    back = reverse("cycles:manage") + "#frameworks"
    if int(request.META.get("CONTENT_LENGTH") or 0) > framework_uploads.MAX_BYTES + 2**16:
        # refused from the request's declared length, before the file is read or parsed
        feedback.tell(request, framework_uploads.too_large())
        return redirect(back)
    form = forms.FrameworkUploadForm(request.POST, request.FILES)

    def action() -> str | None:
        if not form.is_valid():
            raise form.problem()
        upload = form.cleaned_data["file"]
        if upload is None:
            return None
        if upload.size is not None and upload.size > framework_uploads.MAX_BYTES:
            raise framework_uploads.too_large()  # before the upload is read into memory
        version = framework_uploads.upload_framework(
            request.user, upload.name, upload.read(), form.table_meta()
        )
        return gettext("Đã lưu %(code)s, phiên bản %(version)s: %(nodes)s nút") % {
            "code": version.code,
            "version": version.version,
            "nodes": version.nodes,
        }

    return feedback.perform(request, action, back)


@login_required
@require_safe
def framework_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    if not can_manage(request.user):
        return HttpResponseForbidden()
    if fmt not in framework_uploads.FORMATS:
        raise Http404
    version = get_object_or_404(FrameworkVersion, pk=pk)
    response = HttpResponse(
        framework_uploads.download(version, fmt), content_type=framework_uploads.FORMATS[fmt]
    )
    name = f"{version.code}-v{version.version}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
