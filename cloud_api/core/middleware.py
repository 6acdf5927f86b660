"""Gateway middleware: request ids, JSON access log, body-size limit."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable

import structlog
from django.conf import settings
from django.http import HttpRequest, HttpResponse

from cloud_api.core.errors import error_response

REQUEST_ID_HEADER = "X-Request-ID"
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
access_log = structlog.get_logger("asiria.access")


class RequestIdMiddleware:
    """Give every request an id (or keep a sane one from nginx/the till) and log the request.

    The id is bound to structlog's context, so every log line written while serving the
    request carries it, and it is echoed in the response for support calls.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started = time.perf_counter()
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        principal = getattr(request, "asiria_principal", None)
        access_log.info(
            "request",
            method=request.method,
            path=request.path,
            status=response.status_code,
            duration_ms=round((time.perf_counter() - started) * 1000, 2),
            principal=principal.log_name if principal else None,
            remote_addr=request.META.get("REMOTE_ADDR"),
        )
        structlog.contextvars.clear_contextvars()
        return response


class BodySizeLimitMiddleware:
    """Refuse oversized bodies before anything reads them.

    DRF parsers read the WSGI stream directly, so Django's DATA_UPLOAD_MAX_MEMORY_SIZE alone does
    not protect JSON endpoints; the declared Content-Length is checked here instead (the WSGI
    server never hands over more bytes than it declares).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return error_response(400, "bad_request", "Content-Length is not a number.")
        limit = settings.MAX_REQUEST_BODY_BYTES
        if request.path == settings.SYNC_PUSH_PATH:
            limit = settings.SYNC_PUSH_MAX_BYTES  # a till's batch; the view caps it once gunzipped
        if length > limit:
            return error_response(
                413, "request_too_large", f"The request body is larger than {limit} bytes."
            )
        return self.get_response(request)
