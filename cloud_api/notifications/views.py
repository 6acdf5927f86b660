from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from cloud_api.core.principal import USER_ROLES
from cloud_api.core.views import ScopedViewSet
from cloud_api.notifications import selectors, serializers, services
from cloud_api.notifications.filters import NotificationFilter
from cloud_api.notifications.models import Notification, NotificationPreference


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    queryset = Notification.objects.none()
    serializer_class = serializers.NotificationOut
    filterset_class = NotificationFilter
    roles = {"read": USER_ROLES, "write": USER_ROLES}

    def get_queryset(self) -> QuerySet[Notification]:
        return selectors.notification_list(principal=self.principal)

    def get_object(self) -> Notification | NotificationPreference:
        # The preferences are the caller's own, with no id in the URL (OPTIONS asks for them too).
        if (self.lookup_url_kwarg or self.lookup_field) not in self.kwargs:
            return selectors.notification_preference_get(user=self.principal.calling_user())
        notification: Notification = super().get_object()
        return notification

    @extend_schema(request=None, responses=serializers.NotificationOut)
    @action(detail=True, methods=["post"])
    def read(self, request: Request, id: str) -> Response:
        # The id is in this URL: the notification itself, never the preferences.
        notification = services.notification_mark_read(notification=super().get_object())
        return Response(serializers.NotificationOut(notification).data)

    @extend_schema(
        methods=["GET"], request=None, responses=serializers.PreferenceIO, summary="My preferences"
    )
    @extend_schema(
        methods=["PUT"], request=serializers.PreferenceIO, responses=serializers.PreferenceIO
    )
    @action(detail=False, methods=["get", "put"], url_path="preferences")
    def preferences(self, request: Request) -> Response:
        user = self.principal.calling_user()
        if request.method == "PUT":
            data = serializers.PreferenceIO(data=request.data)
            data.is_valid(raise_exception=True)
            preference = services.notification_preference_set(
                user=user, values=dict(data.validated_data)
            )
        else:
            preference = selectors.notification_preference_get(user=user)
        return Response(serializers.PreferenceIO(preference).data)

    @extend_schema(request=None, responses=serializers.MarkedOut)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request) -> Response:
        marked = services.notification_mark_all_read(user=self.principal.calling_user())
        return Response({"marked": marked})
