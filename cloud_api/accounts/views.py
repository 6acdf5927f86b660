from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import RefreshToken
from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView

from cloud_api.accounts import login_guard, selectors, serializers, services
from cloud_api.accounts.auth_serializers import EmailTokenObtainSerializer
from cloud_api.accounts.models import Store, Terminal, User
from cloud_api.core.errors import ApplicationError
from cloud_api.core.permissions import Public
from cloud_api.core.principal import (
    HEAD_OFFICE,
    MANAGER,
    OWNER,
    TERMINAL,
    USER_ROLES,
)
from cloud_api.core.throttling import AnonymousThrottle, LoginThrottle
from cloud_api.core.views import PrincipalMixin, ScopedViewSet, resolve


class OrganisationView(PrincipalMixin, APIView):
    """The caller's own organisation: its name, time zone and currency."""

    roles = {"read": USER_ROLES | {TERMINAL}, "write": {OWNER}}

    @extend_schema(responses=serializers.OrganisationOut)
    def get(self, request: Request) -> Response:
        organisation = selectors.organisation_of(principal=self.principal)
        return Response(serializers.OrganisationOut(organisation).data)

    @extend_schema(request=serializers.OrganisationUpdateIn, responses=serializers.OrganisationOut)
    def patch(self, request: Request) -> Response:
        data = serializers.OrganisationUpdateIn(data=request.data)
        data.is_valid(raise_exception=True)
        organisation = services.organisation_update(
            organisation=selectors.organisation_of(principal=self.principal),
            **data.validated_data,
        )
        return Response(serializers.OrganisationOut(organisation).data)


class StoreViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, ScopedViewSet
):
    queryset = Store.objects.none()  # the schema's model; rows come from get_queryset
    serializer_class = serializers.StoreOut
    roles = {"read": USER_ROLES | {TERMINAL}, "write": {OWNER}}
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Store]:
        return selectors.store_list(principal=self.principal)

    @extend_schema(request=serializers.StoreIn, responses={201: serializers.StoreOut})
    def create(self, request: Request) -> Response:
        data = serializers.StoreIn(data=request.data)
        data.is_valid(raise_exception=True)
        store = services.store_create(
            organisation=selectors.organisation_of(principal=self.principal), **data.validated_data
        )
        return Response(serializers.StoreOut(store).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=serializers.StoreUpdateIn, responses=serializers.StoreOut)
    def partial_update(self, request: Request, id: str) -> Response:
        data = serializers.StoreUpdateIn(data=request.data)
        data.is_valid(raise_exception=True)
        store = services.store_update(store=self.get_object(), **data.validated_data)
        return Response(serializers.StoreOut(store).data)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.partial_update(request, kwargs["id"])


class UserViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    queryset = User.objects.none()
    serializer_class = serializers.UserOut
    roles = {
        "read": {OWNER, MANAGER, HEAD_OFFICE},
        "write": {OWNER, MANAGER},
        "me": USER_ROLES,
    }
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[User]:
        return selectors.user_list(principal=self.principal)

    @extend_schema(request=serializers.UserIn, responses={201: serializers.UserOut})
    def create(self, request: Request) -> Response:
        data = serializers.UserIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        store = resolve(
            selectors.store_list(principal=self.principal),
            values.pop("store_id"),
            "store_id",
            "store",
        )
        user = services.user_create(
            actor=self.principal,
            organisation=selectors.organisation_of(principal=self.principal),
            store=store,
            **values,
        )
        return Response(serializers.UserOut(user).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=serializers.UserUpdateIn, responses=serializers.UserOut)
    def partial_update(self, request: Request, id: str) -> Response:
        data = serializers.UserUpdateIn(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.user_update(
            actor=self.principal,
            user=self.get_object(),
            address=login_guard.client_address(request),
            **data.validated_data,
        )
        return Response(serializers.UserOut(user).data)

    @action(detail=False, methods=["get"])
    def me(self, request: Request) -> Response:
        return Response(serializers.UserOut(self.principal.user).data)


class TerminalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    queryset = Terminal.objects.none()
    serializer_class = serializers.TerminalOut
    roles = {"read": {OWNER, MANAGER, HEAD_OFFICE}, "write": {OWNER, MANAGER}}
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[Terminal]:
        return selectors.terminal_list(principal=self.principal)

    @extend_schema(request=serializers.TerminalIn, responses={201: serializers.TerminalCreatedOut})
    def create(self, request: Request) -> Response:
        data = serializers.TerminalIn(data=request.data)
        data.is_valid(raise_exception=True)
        principal = self.principal
        store = selectors.store_for_write(
            principal=principal,
            store_uuid=data.validated_data["store_id"],
            question="Which store is the till for?",
        )
        terminal, code = services.terminal_create(
            store=store, name=data.validated_data["name"], created_by=principal.user
        )
        body = {
            "id": terminal.uuid,
            "store_id": store.uuid,
            "name": terminal.name,
            "code": terminal.code,
            "enrollment_code": code,
            "expires_at": terminal.enrollment_expires_at,
        }
        return Response(serializers.TerminalCreatedOut(body).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={201: serializers.TerminalCreatedOut})
    @action(detail=True, methods=["post"], url_path="enrollment-code")
    def enrollment_code(self, request: Request, id: str) -> Response:
        """A new one-time code for this terminal; enrolling with it replaces its credentials."""
        terminal, code = services.terminal_new_code(terminal=self.get_object())
        body = {
            "id": terminal.uuid,
            "store_id": terminal.store.uuid,
            "name": terminal.name,
            "code": terminal.code,
            "enrollment_code": code,
            "expires_at": terminal.enrollment_expires_at,
        }
        return Response(serializers.TerminalCreatedOut(body).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=serializers.TerminalOut)
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, id: str) -> Response:
        terminal = services.terminal_revoke(terminal=self.get_object())
        return Response(serializers.TerminalOut(terminal).data)


class EnrollView(APIView):
    """A till trades its one-time code for OAuth2 client credentials (ARCHITECTURE 6.1)."""

    authentication_classes: list[Any] = []
    permission_classes = [Public]
    throttle_classes = [LoginThrottle]

    @extend_schema(request=serializers.EnrollIn, responses={201: serializers.EnrollOut})
    def post(self, request: Request) -> Response:
        data = serializers.EnrollIn(data=request.data)
        data.is_valid(raise_exception=True)
        terminal, client_id, secret = services.terminal_enroll(**data.validated_data)
        body = {
            "terminal_id": terminal.uuid,
            "store_id": terminal.store.uuid,
            "client_id": client_id,
            "client_secret": secret,
            "store_code": terminal.store.code,
            "terminal_code": terminal.code,
            "store_name": terminal.store.name,
            "currency": terminal.store.organisation.currency,
            "time_zone": terminal.store.organisation.time_zone,
        }
        return Response(serializers.EnrollOut(body).data, status=status.HTTP_201_CREATED)


class LoginView(TokenObtainPairView):
    """Email + password -> JWT access and refresh tokens."""

    serializer_class = EmailTokenObtainSerializer
    # simplejwt's stubs type these as empty tuples; any list of classes works at run time.
    permission_classes = [Public]  # type: ignore[assignment]
    throttle_classes = [LoginThrottle]


class RefreshView(TokenRefreshView):
    permission_classes = [Public]  # type: ignore[assignment]
    throttle_classes = [AnonymousThrottle]


class LogoutView(PrincipalMixin, APIView):
    """Blacklist a refresh token, so it can never be used again."""

    permission_classes = [Public]
    throttle_classes = [AnonymousThrottle]

    # The refresh token in the body is the credential: a bearer token is welcome, not needed.
    @extend_schema(
        request=serializers.LogoutIn,
        responses={204: None},
        # drf-spectacular takes security requirement objects here; its stub says names.
        auth=[{"jwtAuth": []}, {"oauth2": []}, {}],  # type: ignore[list-item]
    )
    def post(self, request: Request) -> Response:
        data = serializers.LogoutIn(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            RefreshToken(data.validated_data["refresh"]).blacklist()
        except TokenError as exc:
            raise ApplicationError(
                "This refresh token is invalid or already logged out.",
                fields={"refresh": [str(exc)]},
            ) from exc
        return Response(status=status.HTTP_204_NO_CONTENT)
