"""Thin views of the sync contract: push, pull (terminals only) and till activity."""

from __future__ import annotations

import json
import zlib
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cloud_api.core.errors import ApplicationError
from cloud_api.core.parsers import TOO_DEEP, checked_depth
from cloud_api.core.principal import HEAD_OFFICE, MANAGER, OWNER, TERMINAL
from cloud_api.core.views import PrincipalMixin, ScopedViewSet
from cloud_api.sync import pull_selectors, push_services, selectors, serializers, services
from cloud_api.sync.client_report import client_report
from cloud_api.sync.filters import TillActivityFilter
from cloud_api.sync.models import TillActivity


class TooLarge(ApplicationError):
    status_code = 413
    code = "request_too_large"


class GzipJSONParser(BaseParser):
    """JSON, gunzipped first when sent with ``Content-Encoding: gzip``; at most
    ``SYNC_PUSH_MAX_BYTES`` once uncompressed (a zip bomb stops there with a 413)."""

    media_type = "application/json"

    def parse(
        self, stream: Any, media_type: str | None = None, parser_context: Any = None
    ) -> dict[str, Any]:
        limit = settings.SYNC_PUSH_MAX_BYTES
        raw = stream.read(limit + 1)
        if len(raw) > limit:
            raise TooLarge(f"The request body is larger than {limit} bytes.")
        request = (parser_context or {}).get("request")
        encoding = request.headers.get("Content-Encoding", "") if request is not None else ""
        encoding = encoding.strip().lower()
        if encoding == "gzip":
            raw = _gunzip(raw, limit)
        elif encoding not in ("", "identity"):
            raise ApplicationError(
                f"Content-Encoding {encoding} is not supported; send gzip or nothing.",
                code="unsupported_media_type",
                status_code=415,
            )
        try:
            document: dict[str, Any] = json.loads(raw)
        except (ValueError, UnicodeDecodeError) as exc:
            raise ParseError(f"The body is not JSON: {exc}.") from exc
        except RecursionError:
            raise ParseError(TOO_DEEP) from None
        # Lone surrogates are refused event by event (push_services), not for the whole batch.
        return checked_depth(document)


def _gunzip(raw: bytes, limit: int) -> bytes:
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        body = inflater.decompress(raw, limit + 1)
    except zlib.error as exc:
        raise ParseError(f"The gzip body is damaged: {exc}.") from exc
    if len(body) > limit or inflater.unconsumed_tail:
        raise TooLarge(f"The uncompressed body is larger than {limit} bytes.")
    return body


def _events(data: Any) -> list[dict[str, Any]]:
    """The envelopes, when the request as a whole makes sense (else 400: the till then splits
    the batch to find the culprit). Each envelope needs a UUID ``id`` to be answered by."""
    events = data.get("events") if isinstance(data, dict) else None
    if not isinstance(events, list) or not events:
        raise ApplicationError(
            'Send {"events": [...]} with 1 to 500 events.', fields={"events": ["Required."]}
        )
    if len(events) > push_services.MAX_EVENTS:
        raise ApplicationError(
            f"At most {push_services.MAX_EVENTS} events per request ({len(events)} sent).",
            fields={"events": [f"At most {push_services.MAX_EVENTS}."]},
        )
    for index, event in enumerate(events):
        try:
            UUID(event["id"])
        except (TypeError, KeyError, ValueError, AttributeError):
            raise ApplicationError(
                f"events[{index}] has no valid id, so it cannot be answered.",
                fields={f"events[{index}].id": ["A UUID is required."]},
            ) from None
    return events


class SyncPushView(PrincipalMixin, APIView):
    """A till sends its outbox: each event is applied at most once and answered in order."""

    roles = {"write": {TERMINAL}}
    oauth_scope = "sync"
    parser_classes = [GzipJSONParser]

    @extend_schema(
        request=serializers.PushIn,
        responses={200: serializers.PushOut},
        description=(
            "Body optionally gzip (`Content-Encoding: gzip`, at most 10 MB uncompressed), "
            "1 to 500 events. Per event: `applied`, `duplicate` (already had it) or "
            "`rejected` with `error`. Terminals only (OAuth2 client credentials)."
        ),
    )
    def post(self, request: Request) -> Response:
        events = _events(request.data)
        results = push_services.events_push(
            terminal=self.principal.calling_terminal(),
            events=events,
            client=client_report(
                request.data.get("client") if isinstance(request.data, dict) else None
            ),
        )
        return Response({"results": results})


class SyncPullView(PrincipalMixin, APIView):
    """The catalog changes after a cursor, for a till."""

    roles = {"read": {TERMINAL}}
    oauth_scope = "sync"

    @extend_schema(parameters=[serializers.PullQuery], responses={200: serializers.PullOut})
    def get(self, request: Request) -> Response:
        query = serializers.PullQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        cursor = int(query.validated_data["cursor"] or 0)
        services.terminal_pull_record(terminal=self.principal.calling_terminal(), cursor=cursor)
        page = pull_selectors.pull_page(
            principal=self.principal, cursor=cursor, limit=query.validated_data["limit"]
        )
        return Response(
            {
                "changes": page.changes,
                "cursor": str(page.cursor),
                "has_more": page.has_more,
                "remaining": page.remaining,
            }
        )


class TillActivityViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Shifts, cash in/out, drawer openings, voids, refunds and stock counts as tills
    reported them (read-only)."""

    queryset = TillActivity.objects.none()
    serializer_class = serializers.TillActivityOut
    filterset_class = TillActivityFilter
    roles = {"read": {OWNER, MANAGER, HEAD_OFFICE}}

    def get_queryset(self) -> QuerySet[TillActivity]:
        return selectors.till_activity_list(principal=self.principal)
