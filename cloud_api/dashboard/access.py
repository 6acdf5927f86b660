"""Who may open the dashboard: owners and head office (every store) and managers (their own
store), signed in through a session. Anyone else is sent to sign in, or told plainly."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse

from cloud_api.accounts.models import User
from cloud_api.core.principal import HEAD_OFFICE, MANAGER, OWNER, Principal, principal_for_user

DASHBOARD_ROLES = frozenset({OWNER, HEAD_OFFICE, MANAGER})


def dashboard_principal(user: AbstractBaseUser | AnonymousUser | None) -> Principal | None:
    if not isinstance(user, User) or not user.is_authenticated:
        return None
    principal = principal_for_user(user)
    if principal is None or principal.role not in DASHBOARD_ROLES:
        return None
    return principal


def dashboard_view(
    view: Callable[..., HttpResponseBase],
) -> Callable[..., HttpResponseBase]:
    """Runs ``view(request, principal, ...)`` for a person allowed in; sends a visitor to the
    sign-in page and answers 403 to a signed-in account without a dashboard role."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            login = reverse("dashboard:login")
            return redirect(f"{login}?{urlencode({'next': request.get_full_path()})}")
        principal = dashboard_principal(request.user)
        if principal is None:
            return render(request, "dashboard/refused.html", status=403)
        return view(request, principal, *args, **kwargs)

    return guarded
