"""The one password check of the cloud: Django's, behind the failed-sign-in guard.

Everything that checks a password calls ``django.contrib.auth.authenticate`` (the API's token
view, the admin's sign-in form), so guarding this backend guards every door at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from cloud_api.accounts import login_guard

if TYPE_CHECKING:
    from cloud_api.accounts.models import User

LOCKED_ATTRIBUTE = "asiria_login_locked_seconds"


def locked_seconds(request: Any) -> int:
    """Seconds the last sign-in of this request was told to wait (0: it was not locked)."""
    django_request = getattr(request, "_request", request)
    return int(getattr(django_request, LOCKED_ATTRIBUTE, 0))


class GuardedModelBackend(ModelBackend):
    def authenticate(
        self,
        request: Any,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        attempt = login_guard.attempt_for(request, username)
        wait = login_guard.seconds_locked(attempt)
        if wait:
            if request is not None:
                setattr(getattr(request, "_request", request), LOCKED_ATTRIBUTE, wait)
            # Stops authenticate() here: the password is not even looked at.
            raise PermissionDenied
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            login_guard.record_failure(attempt)
        else:
            login_guard.record_success(attempt)
        return user
