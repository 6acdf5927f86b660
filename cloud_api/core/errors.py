"""One error shape for every failure: ``{"error": {"code", "message", "fields"}}``.

Services raise :class:`ApplicationError` for broken business rules; DRF and Django exceptions
are translated here, so no client ever gets an HTML page or a 500 for bad input.
"""

from __future__ import annotations

from typing import Any

import structlog
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError, OperationalError
from django.http import Http404, HttpRequest, JsonResponse
from rest_framework import exceptions as drf
from rest_framework.response import Response
from rest_framework.views import set_rollback

log = structlog.get_logger(__name__)

FieldErrors = dict[str, Any]
MYSQL_BUSY = {1205, 1213}  # lock wait timeout, deadlock
MYSQL_DUPLICATE = 1062
# Out of range (1264, 1690), too long (1406), not storable text (1366), bad date (1292).
MYSQL_OUT_OF_RANGE = {1264, 1690, 1406, 1366, 1292}


def database_problem(exc: Exception, record: str = "record") -> str:
    """What a database error on a till's record means, in words for the till's manager.

    The raw message (table and column names, SQL) is logged here and never sent."""
    number = exc.args[0] if exc.args and isinstance(exc.args[0], int) else None
    log.warning("record_not_stored", error=str(exc), errno=number)
    if number == MYSQL_DUPLICATE:
        return f"An id or the receipt number of this {record} is already used by another {record}."
    if number in MYSQL_OUT_OF_RANGE:
        return f"A quantity, amount, date or text of this {record} is outside what can be stored."
    return f"This {record} could not be stored; head office can see why in the server's log."


class ApplicationError(Exception):
    """A business rule was broken; the message is meant for the person at the other end."""

    status_code = 400
    code = "invalid"

    def __init__(
        self,
        message: str,
        *,
        fields: FieldErrors | None = None,
        code: str | None = None,
        status_code: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}
        if code:
            self.code = code
        if status_code:
            self.status_code = status_code


class ConflictError(ApplicationError):
    status_code = 409
    code = "conflict"


def error_body(code: str, message: str, fields: FieldErrors | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def error_response(
    status: int, code: str, message: str, fields: FieldErrors | None = None
) -> JsonResponse:
    return JsonResponse(error_body(code, message, fields), status=status)


def _flatten(detail: Any) -> Any:
    """DRF ErrorDetail trees -> plain lists/dicts of strings."""
    if isinstance(detail, dict):
        return {str(key): _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_flatten(item) for item in detail]
    return str(detail)


def _first_message(fields: Any) -> str:
    if isinstance(fields, dict):
        for key, value in fields.items():
            inner = _first_message(value)
            return inner if key == "non_field_errors" else f"{key}: {inner}"
    if isinstance(fields, list) and fields:
        return _first_message(fields[0])
    return str(fields)


def _validation(detail: Any) -> tuple[str, FieldErrors]:
    flat = _flatten(detail)
    if isinstance(flat, dict):
        return _first_message(flat), flat
    if isinstance(flat, list):
        return "; ".join(str(item) for item in flat), {"non_field_errors": flat}
    return str(flat), {}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    headers: dict[str, str] = {}
    if isinstance(exc, ApplicationError):
        status, code, message, fields = exc.status_code, exc.code, exc.message, exc.fields
    elif isinstance(exc, drf.ValidationError):
        message, fields = _validation(exc.detail)
        status, code = 400, "invalid"
    elif isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        message, fields = _validation(detail)
        status, code = 400, "invalid"
    elif isinstance(exc, drf.ParseError):
        status, code, message, fields = 400, "malformed_request", str(exc.detail), {}
    elif isinstance(exc, Http404 | drf.NotFound):
        status, code, message, fields = 404, "not_found", "Not found.", {}
    elif isinstance(exc, DjangoPermissionDenied):
        status, code, message, fields = 403, "permission_denied", "You may not do this.", {}
    elif isinstance(exc, drf.Throttled):
        status, code, fields = 429, "throttled", {}
        message = "Too many requests; slow down."
        wait: float | None = getattr(exc, "wait", None)  # set by DRF, absent from its stub
        if wait is not None:
            seconds = int(wait) + 1
            headers["Retry-After"] = str(seconds)
            # A throttle may word its own answer (e.g. a locked sign-in).
            template = getattr(exc, "message_template", "Too many requests; try again in {s} s.")
            message = template.format(s=seconds)
    elif isinstance(exc, drf.APIException):
        codes = exc.get_codes()
        status, fields = exc.status_code, {}
        code = codes if isinstance(codes, str) else exc.default_code
        said: Any = exc.detail
        if isinstance(said, dict):
            said = said.get("detail", next(iter(said.values()), ""))
        message = str(said[0] if isinstance(said, list) and said else said)
        auth_header = getattr(exc, "auth_header", None)
        if auth_header:
            headers["WWW-Authenticate"] = auth_header
    elif isinstance(exc, IntegrityError):
        # A unique rule raced past the service's own check: the change was rolled back.
        log.warning("integrity_error", error=str(exc))
        status, code = 409, "conflict"
        message, fields = "This conflicts with data that already exists.", {}
    elif isinstance(exc, OperationalError) and exc.args and exc.args[0] in MYSQL_BUSY:
        # Deadlock or lock wait timeout: nothing was written; the same request can be retried.
        log.warning("database_busy", error=str(exc))
        status, code, fields = 503, "busy", {}
        message = "The database is busy; nothing was saved. Please retry."
        headers["Retry-After"] = "1"
    elif isinstance(exc, DataError):
        log.warning("data_error", error=str(exc))
        status, code = 400, "invalid"
        message, fields = "A value is out of range or too long.", {}
    else:
        return None  # a real bug: let Django log it and answer 500 (in JSON, see server_error)

    set_rollback()
    response = Response(error_body(code, message, fields), status=status)
    for key, value in headers.items():
        response[key] = value
    return response


# Django-level handlers: unknown URLs and crashes outside DRF still answer JSON.
def not_found(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return error_response(404, "not_found", "Not found.")


def bad_request(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return error_response(400, "bad_request", "Bad request.")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return error_response(403, "permission_denied", "You may not do this.")


def server_error(request: HttpRequest) -> JsonResponse:
    request_id = getattr(request, "request_id", None)
    return error_response(
        500, "server_error", f"Something went wrong on our side (request id {request_id})."
    )
