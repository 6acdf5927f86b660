"""The passkey API: register, list and revoke (signed in); sign in (anonymous, throttled)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import login
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from drf_spectacular.utils import extend_schema
from oauth2_provider.models import AbstractAccessToken
from rest_framework import status
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.tokens import RefreshToken

from cloud_api.accounts import login_guard
from cloud_api.accounts.passkeys import authentication, registration, serializers
from cloud_api.accounts.passkeys.selectors import passkey_list
from cloud_api.core.authentication import OAuth2PrincipalAuthentication, UserJWTAuthentication
from cloud_api.core.errors import ApplicationError
from cloud_api.core.permissions import HasRole, Public
from cloud_api.core.throttling import LoginThrottle
from cloud_api.core.views import PrincipalMixin

# A person's own JWT, or the admin's session (with its CSRF check). OAuth2 tokens are read
# too, only so that a till or an app gets a clear 403 rather than a puzzling 401.
PERSONAL_AUTHENTICATION: list[Any] = [
    UserJWTAuthentication,
    OAuth2PrincipalAuthentication,
    SessionAuthentication,
]


class PersonalSignInOnly(BasePermission):
    """No third-party app (an OAuth2 token, whatever its scope) may see, add or remove a way
    into someone's account: only the person, signed in themselves."""

    message = "Passkeys are managed by the person signed in, not through an app's token."

    def has_permission(self, request: Any, view: Any) -> bool:
        return not isinstance(request.auth, AbstractAccessToken)


PERSONAL_PERMISSIONS: list[Any] = [HasRole, PersonalSignInOnly]
ADMIN_LOGIN_BACKEND = "cloud_api.accounts.backends.GuardedModelBackend"


class PasskeyListView(PrincipalMixin, APIView):
    authentication_classes = PERSONAL_AUTHENTICATION
    permission_classes = PERSONAL_PERMISSIONS
    roles = {"read": registration.PASSKEY_ROLES}

    @extend_schema(responses=serializers.PasskeyOut(many=True))
    def get(self, request: Request) -> Response:
        passkeys = passkey_list(user=self.principal.calling_user())
        return Response(serializers.PasskeyOut(passkeys, many=True).data)


class PasskeyDetailView(PrincipalMixin, APIView):
    authentication_classes = PERSONAL_AUTHENTICATION
    permission_classes = PERSONAL_PERMISSIONS
    roles = {"write": registration.PASSKEY_ROLES}

    @extend_schema(responses={204: None})
    def delete(self, request: Request, id: str) -> Response:
        passkey = passkey_list(user=self.principal.calling_user()).filter(uuid=id).first()
        if passkey is None:
            raise NotFound()
        authentication.passkey_revoke(passkey=passkey)
        return Response(status=status.HTTP_204_NO_CONTENT)


class RegisterOptionsView(PrincipalMixin, APIView):
    authentication_classes = PERSONAL_AUTHENTICATION
    permission_classes = PERSONAL_PERMISSIONS
    roles = {"write": registration.PASSKEY_ROLES}
    # The current password is asked for here, so it is rate-limited like a login.
    throttle_classes = [LoginThrottle]

    @extend_schema(request=serializers.RegisterOptionsIn, responses=serializers.OptionsOut)
    def post(self, request: Request) -> Response:
        data = serializers.RegisterOptionsIn(data=request.data)
        data.is_valid(raise_exception=True)
        options = registration.passkey_registration_options(
            user=self.principal.calling_user(),
            password=data.validated_data["password"],
            address=login_guard.client_address(request),
        )
        return Response(options)


class RegisterVerifyView(PrincipalMixin, APIView):
    authentication_classes = PERSONAL_AUTHENTICATION
    permission_classes = PERSONAL_PERMISSIONS
    roles = {"write": registration.PASSKEY_ROLES}

    @extend_schema(request=serializers.RegisterVerifyIn, responses={201: serializers.PasskeyOut})
    def post(self, request: Request) -> Response:
        data = serializers.RegisterVerifyIn(data=request.data)
        data.is_valid(raise_exception=True)
        passkey = registration.passkey_register(
            user=self.principal.calling_user(), **data.validated_data
        )
        return Response(serializers.PasskeyOut(passkey).data, status=status.HTTP_201_CREATED)


class LoginOptionsView(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [Public]
    throttle_classes = [LoginThrottle]

    @extend_schema(request=None, responses=serializers.OptionsOut)
    def post(self, request: Request) -> Response:
        return Response(authentication.passkey_authentication_options())


class LoginVerifyView(APIView):
    """A passkey's answer -> the same JWT pair as ``/api/v1/auth/token/``."""

    authentication_classes: list[Any] = []
    permission_classes = [Public]
    throttle_classes = [LoginThrottle]

    @extend_schema(request=serializers.LoginVerifyIn, responses=serializers.TokenPairOut)
    def post(self, request: Request) -> Response:
        data = serializers.LoginVerifyIn(data=request.data)
        data.is_valid(raise_exception=True)
        user = authentication.passkey_authenticate(credential=data.validated_data["credential"])
        refresh = RefreshToken.for_user(user)
        return Response({"access": str(refresh.access_token), "refresh": str(refresh)})


class SessionLoginView(APIView):
    """A passkey's answer -> a signed-in admin session (the admin login page's passkey button).

    The admin login page's CSRF token must come with the answer (as for the password form),
    so another site cannot sign a visitor in to an account of its choosing.
    """

    authentication_classes: list[Any] = []
    permission_classes = [Public]
    throttle_classes = [LoginThrottle]

    @extend_schema(request=serializers.SessionLoginIn, responses=serializers.SessionLoginOut)
    def post(self, request: Request) -> Response:
        SessionAuthentication().enforce_csrf(request)
        data = serializers.SessionLoginIn(data=request.data)
        data.is_valid(raise_exception=True)
        user = authentication.passkey_authenticate(credential=data.validated_data["credential"])
        if not (user.is_active and user.is_staff):
            raise ApplicationError(
                "This account has no access to the admin site; use the API or the till.",
                code="permission_denied",
                status_code=403,
            )
        login(request._request, user, backend=ADMIN_LOGIN_BACKEND)
        target = data.validated_data["next"]
        if not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            target = ""
        return Response({"redirect": target or reverse("admin:index")})
