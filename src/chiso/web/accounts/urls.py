"""Signing in and out (Django's own views)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

import chiso.web.core.converters  # noqa: F401  (the <id:…> converter)
from chiso.web.accounts import views

app_name = "accounts"

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/tokens/", views.token_page, name="tokens"),
    path("accounts/tokens/<id:pk>/revoke/", views.token_revoke, name="token-revoke"),
]
