"""The person's inbox: their notices, newest first, marked read when opened; and the kinds
they receive, each of which they may turn off. Only their own: every notice is asked of
:mod:`.policy`, and one that is not theirs is answered as if it did not exist."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from chiso.web.core.refusals import forbidden
from chiso.web.notifications import kinds, policy, texts
from chiso.web.notifications.models import Muted, Notification

PAGE_SIZE = 50


@login_required
@require_http_methods(["GET", "HEAD"])
def inbox(request: HttpRequest) -> HttpResponse:
    notices = Notification.objects.filter(recipient=request.user)
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "notice": n,
            "subject": texts.subject(n.kind, n.params),
            "body": texts.body(n.kind, n.params),
        }
        for n in page
        if policy.can_read_notice(request.user, n)
    ]
    muted = set(Muted.objects.filter(user=request.user).values_list("kind", flat=True))
    return render(
        request,
        "notifications/inbox.html",
        {
            "rows": rows,
            "page": page,
            "kinds": [(code, label, code not in muted) for code, label in kinds.KIND_CHOICES],
        },
    )


@login_required
@require_POST
def open_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the notice read and go to the page it is about."""
    notice = get_object_or_404(Notification, pk=pk)
    if not policy.can_read_notice(request.user, notice):
        raise Http404
    if notice.read_at is None:
        Notification.objects.filter(pk=notice.pk).update(read_at=timezone.now())
    return redirect(notice.link)


@login_required
@require_POST
@transaction.atomic
def choose_kinds(request: HttpRequest) -> HttpResponse:
    """The kinds ticked are received; the others are turned off."""
    if not policy.can_choose_kinds(request.user):
        raise forbidden()
    wanted = set(request.POST.getlist("kind"))
    unknown = wanted - set(kinds.KINDS)
    if unknown:
        messages.error(request, _("Loại thông báo không có trong danh sách."))
        return redirect("notifications:inbox")
    Muted.objects.filter(user=request.user, kind__in=wanted).delete()
    for kind in set(kinds.KINDS) - wanted:
        Muted.objects.get_or_create(user=request.user, kind=kind)
    messages.info(request, _("Đã lưu các loại thông báo bạn nhận."))
    return redirect("notifications:inbox")


def account_panel(request: HttpRequest, **_context: Any) -> str:
    """On the person's own page: the way to their inbox, with how many notices are unread."""
    unread = Notification.objects.filter(recipient=request.user, read_at=None).count()
    return render_to_string("notifications/account_panel.html", {"unread": unread}, request=request)
