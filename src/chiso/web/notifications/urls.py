"""The inbox of notices and the kinds a person receives."""

from __future__ import annotations

from django.urls import path

import chiso.web.core.converters  # noqa: F401  (the <id:…> converter)
from chiso.web.notifications import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.inbox, name="inbox"),
    path("notifications/<id:pk>/open/", views.open_notice, name="open"),
    path("notifications/kinds/", views.choose_kinds, name="kinds"),
]
