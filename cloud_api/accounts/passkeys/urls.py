"""Mounted at ``/api/v1/auth/passkeys/``."""

from __future__ import annotations

from django.urls import path, re_path

from cloud_api.accounts.passkeys import views
from cloud_api.core.views import UUID_PATTERN

urlpatterns = [
    path("", views.PasskeyListView.as_view(), name="passkey-list"),
    re_path(
        rf"^(?P<id>{UUID_PATTERN})/$", views.PasskeyDetailView.as_view(), name="passkey-detail"
    ),
    path("register/options/", views.RegisterOptionsView.as_view(), name="passkey-register-options"),
    path("register/verify/", views.RegisterVerifyView.as_view(), name="passkey-register-verify"),
    path("login/options/", views.LoginOptionsView.as_view(), name="passkey-login-options"),
    path("login/verify/", views.LoginVerifyView.as_view(), name="passkey-login-verify"),
    path("login/session/", views.SessionLoginView.as_view(), name="passkey-session-login"),
]
