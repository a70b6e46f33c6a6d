"""Signing in and out, changing and resetting a password (Django's own views)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

import chiso.web.core.converters  # noqa: F401  (the <id:…> converter)
from chiso.web.accounts import passwords, views

app_name = "accounts"

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/tokens/", views.token_page, name="tokens"),
    path("accounts/tokens/<id:pk>/revoke/", views.token_revoke, name="token-revoke"),
    path("accounts/email/", views.email_update, name="email"),
    path("accounts/password/", passwords.ChangePassword.as_view(), name="password-change"),
    path(
        "accounts/password/done/",
        passwords.ChangePasswordDone.as_view(),
        name="password-change-done",
    ),
    path("accounts/reset/", passwords.ResetPassword.as_view(), name="password-reset"),
    path("accounts/reset/sent/", passwords.ResetPasswordDone.as_view(), name="password-reset-done"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        passwords.ResetPasswordConfirm.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "accounts/reset/done/",
        passwords.ResetPasswordComplete.as_view(),
        name="password-reset-complete",
    ),
]
