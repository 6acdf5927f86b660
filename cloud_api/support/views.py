"""A till sends its recent logs for support; head office lists and downloads them."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from cloud_api.core.principal import HEAD_OFFICE, MANAGER, OWNER, TERMINAL, principal_of
from cloud_api.core.throttling import TerminalThrottle
from cloud_api.core.views import PrincipalMixin, ScopedViewSet
from cloud_api.support import selectors, serializers, services
from cloud_api.support.models import TillLogUpload


class TillLogsThrottle(SimpleRateThrottle):
    """Per terminal, ``ASIRIA_RATE_TILL_LOGS`` (6/hour): a till cannot flood the store."""

    scope = "till_logs"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        principal = principal_of(request)
        if principal is None or principal.terminal is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": principal.terminal.pk}


class TillLogSendView(PrincipalMixin, APIView):
    roles = {"write": {TERMINAL}}
    oauth_scope = "sync"
    throttle_classes = [TerminalThrottle, TillLogsThrottle]

    @extend_schema(
        request=serializers.TillLogIn,
        responses={201: serializers.TillLogOut},
        description=(
            "A till's log lines of the last `days` days, gzip then base64 (at most 1 MiB of "
            "gzip, 32 MiB uncompressed), sent by a manager for support. Terminals only; "
            "6 per hour per till. The newest 20 per till are kept."
        ),
    )
    def post(self, request: Request) -> Response:
        data = serializers.TillLogIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        content = services.gzip_from_base64(values.pop("content_gzip_base64"))
        upload = services.till_logs_store(
            terminal=self.principal.calling_terminal(), content=content, **values
        )
        return Response(serializers.TillLogOut(upload).data, status=201)


class TillLogViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Logs tills sent for support, newest first; ``download`` gives the gzip file."""

    queryset = TillLogUpload.objects.none()
    serializer_class = serializers.TillLogOut
    roles = {"read": {OWNER, MANAGER, HEAD_OFFICE}}

    def get_queryset(self) -> QuerySet[TillLogUpload]:
        return selectors.till_log_list(principal=self.principal)

    @extend_schema(
        responses={
            (200, "application/gzip"): OpenApiResponse(
                OpenApiTypes.BINARY, description="JSON lines, gzip-compressed"
            )
        }
    )
    @action(detail=True, methods=["get"])
    def download(self, request: Request, id: str) -> HttpResponse:
        upload = selectors.till_log_content(principal=self.principal, upload_uuid=id)
        if upload is None:
            raise Http404
        day = upload.created_at.strftime("%Y%m%d-%H%M%S")
        name = f"till-logs-{upload.terminal.code or 'till'}-{day}.jsonl.gz"
        response = HttpResponse(bytes(upload.content), content_type="application/gzip")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
