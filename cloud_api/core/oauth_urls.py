"""The OAuth2 endpoints the cloud serves: token (rate-limited), revoke, introspect, authorize.

django-oauth-toolkit's other views (application registration and management, authorized-token
lists, device flow, dynamic client registration, OIDC) are not mounted: tills get their client
through enrolment and integrations are set up by the operator, so a signed-in account cannot
create an OAuth2 client of its own.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import path
from oauth2_provider import views

from cloud_api.core.errors import error_response
from cloud_api.core.throttling import OAuthTokenThrottle


class ThrottledTokenView(views.TokenView):
    """``/o/token/`` with a per-address rate limit, answered like every other 429."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        throttle = OAuthTokenThrottle()
        # The throttle reads only REMOTE_ADDR and the cache: a plain Django request does.
        if not throttle.allow_request(request, self):  # type: ignore[arg-type]
            wait = int(throttle.wait() or 0) + 1
            response = error_response(
                429, "throttled", f"Too many token requests; try again in {wait} s."
            )
            response["Retry-After"] = str(wait)
            return response
        answer: HttpResponse = super().post(request, *args, **kwargs)
        return answer


app_name = "oauth2_provider"
urlpatterns = [
    path("authorize/", views.AuthorizationView.as_view(), name="authorize"),
    path("token/", ThrottledTokenView.as_view(), name="token"),
    path("revoke_token/", views.RevokeTokenView.as_view(), name="revoke-token"),
    path("introspect/", views.IntrospectTokenView.as_view(), name="introspect"),
]
